"""Layout lookup, the shared body template and its error reporting."""
from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

import pytest

from edition_samples import TIMESTAMP, sample_article
from publish.errors import LayoutError
from publish.layout import PACKAGE_LAYOUTS, load_layout
from publish.render.html_body import body_html, headline_lines
from publish.model import BLOCK_TYPES, Paragraph
from hypothesis import HealthCheck, given, settings, strategies as st


@pytest.fixture
def project(tmp_path) -> Path:
    (tmp_path / 'seeds').mkdir()
    return tmp_path


def body(layout, article, target='pdf', timestamp=TIMESTAMP):
    return body_html(article, layout, target=target, timestamp=timestamp,
                     image_url=lambda f: 'img/' + f.path.name)


def test_default_layout(project):
    layout = load_layout('default', project)
    assert layout.path == (PACKAGE_LAYOUTS / 'default').resolve()
    for name in ('article.html', 'pdf.css', 'epub.css'):
        assert layout.find(name).is_file()


def test_project_layout_comes_first_and_falls_back_to_default(project):
    own = project / 'layouts' / 'house'
    own.mkdir(parents=True)
    (own / 'pdf.css').write_text('/* house */', encoding='utf-8')
    layout = load_layout('house', project)
    assert layout.path == own.resolve()
    assert layout.read_text('pdf.css') == '/* house */'
    assert layout.find('article.html') == (PACKAGE_LAYOUTS / 'default' / 'article.html').resolve()
    # the project's own "default" overrides the shipped one file by file
    mine = project / 'layouts' / 'default'
    mine.mkdir(parents=True)
    (mine / 'epub.css').write_text('/* mine */', encoding='utf-8')
    layout = load_layout('default', project)
    assert layout.read_text('epub.css') == '/* mine */'
    assert 'Publish' in layout.read_text('pdf.css')


def test_unknown_layout_names_places_searched(project):
    with pytest.raises(LayoutError) as err:
        load_layout('nope', project)
    msg = str(err.value)
    assert "'nope'" in msg and str(project / 'layouts' / 'nope') in msg
    assert str(PACKAGE_LAYOUTS / 'nope') in msg
    with pytest.raises(LayoutError):
        load_layout('../default', project)


def test_missing_template_names_template_and_places(project):
    layout = load_layout('default', project)
    with pytest.raises(LayoutError) as err:
        layout.template('missing.html')
    assert 'missing.html' in str(err.value) and str((PACKAGE_LAYOUTS / 'default').resolve()) in str(err.value)
    with pytest.raises(LayoutError) as err:
        layout.find('missing.css')
    assert 'missing.css' in str(err.value)


def test_broken_template_names_file_and_line(project):
    own = project / 'layouts' / 'broken'
    own.mkdir(parents=True)
    (own / 'article.html').write_text('<html>\n<body>\n{% if blocks %}\n<p>x</p>\n</body>\n',
                                      encoding='utf-8')
    layout = load_layout('broken', project)
    with pytest.raises(LayoutError) as err:
        body(layout, sample_article(project))
    assert err.value.path.name == 'article.html'
    assert err.value.line is not None and err.value.line >= 3
    assert 'article.html' in str(err.value)


def test_undefined_variable_is_an_error(project):
    own = project / 'layouts' / 'typo'
    own.mkdir(parents=True)
    (own / 'article.html').write_text('<html>\n<title>{{ titel }}</title>\n</html>\n', encoding='utf-8')
    with pytest.raises(LayoutError) as err:
        body(load_layout('typo', project), sample_article(project))
    assert 'titel' in str(err.value)
    assert err.value.line == 2


def test_compiled_templates_are_kept_and_follow_an_edit(project, tmp_path, monkeypatch):
    """Templates compiled once are kept in the cache folder; a template
    changed since is compiled again, by the next run as by this one."""
    monkeypatch.setenv('XDG_CACHE_HOME', str(tmp_path / 'cache'))
    own = project / 'layouts' / 'house'
    own.mkdir(parents=True)
    template = own / 'article.html'
    template.write_text('<p>first {{ blocks | length }}</p>\n', encoding='utf-8')
    art = sample_article(project)
    assert body(load_layout('house', project), art).startswith('<p>first ')
    assert list((tmp_path / 'cache' / 'publish' / 'templates').iterdir())
    template.write_text('<p>second {{ blocks | length }}</p>\n', encoding='utf-8')
    assert body(load_layout('house', project), art).startswith('<p>second ')


def test_templates_render_without_a_writable_cache_folder(project, tmp_path, monkeypatch):
    (tmp_path / 'not-a-folder').write_text('', encoding='utf-8')
    monkeypatch.setenv('XDG_CACHE_HOME', str(tmp_path / 'not-a-folder'))
    assert '<' in body(load_layout('default', project), sample_article(project))


def test_every_block_type_renders(project):
    art = sample_article(project)
    assert {type(b) for b in art.blocks} == set(BLOCK_TYPES)
    html = body(load_layout('default', project), art)
    for css_class in ('banner', 'kicker', 'headline', 'subtitle', 'byline', 'lead', 'dateline',
                      'run-in', 'qa qa-question', 'qa qa-answer', 'subhead', 'caption', 'credit',
                      'editor-note', 'figure', 'running-header'):
        assert f'class="{css_class}' in html, css_class
    assert html.index('<img') < html.index('<figcaption>')
    assert '<meta name="author" content="景静"/>' in html and html.count('name="author"') == 4
    assert '<html lang="zh-CN">' in html
    assert 'name="dcterms.created" content="2018-07-02T08:30:00Z"' in html


def test_no_dates_or_header_when_absent(project):
    art = sample_article(project, publication='')
    html = body(load_layout('default', project), art, timestamp=None)
    assert 'dcterms' not in html and 'running-header' not in html


def test_unknown_block_type_raises(project):
    @dataclasses.dataclass(frozen=True)
    class Table:
        text: str
    art = sample_article(project)
    bad = dataclasses.replace(art, blocks=art.blocks + (Table('x'),))
    with pytest.raises(TypeError, match='Table'):
        body(load_layout('default', project), bad)


def test_text_is_escaped_not_interpreted(project):
    html = body(load_layout('default', project), sample_article(project))
    assert '<script>' not in html
    assert '&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;' in html
    assert '{{ 7*7 }}' in html and '{% if x %}' in html and '49' not in html
    assert 'AT&amp;T' in html and '&amp;amp;' in html


def test_layout_pickles(project):
    layout = load_layout('default', project)
    layout.template('article.html')
    again = pickle.loads(pickle.dumps(layout))
    assert again.dirs == layout.dirs and again.template('article.html')


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.lists(st.sampled_from(list('<>&"\'{}%#*7中文，。“”') + ['{{', '}}', '{%', '%}', '</p>', '&amp;']),
                     min_size=1, max_size=20).map(''.join))
def test_any_text_comes_back_literally(project, text):
    from lxml import html as lxml_html
    art = sample_article(project)
    art = dataclasses.replace(art, blocks=art.blocks + (Paragraph(text),))
    doc = lxml_html.fromstring(body(load_layout('default', project), art).encode('utf-8'))
    last = doc.xpath('//p[contains(@class, "body")]')[-1]
    assert last.text_content() == text


def test_headline_lines():
    assert headline_lines('短标题') == ['短标题']
    t = '“三个一”构建党建大格局，“五个突出”持续深化“基层党建全面提升年”行动'
    first, second = headline_lines(t)
    assert first.endswith('，') and first + second == t
    assert headline_lines('没有标点的很长很长很长很长很长很长的标题文字') == ['没有标点的很长很长很长很长很长很长的标题文字']
