"""The WeChat edition: only what the official-account editor keeps (a fixed
set of tags, inline styles, no class, id, script, style element or # link,
no CSS variables), the stylesheet inlined by a library, pictures beside it
with a list to upload, the API's limits warned of, and a page that fits a
phone."""
from __future__ import annotations

import dataclasses
import os
import re
import warnings
from html.parser import HTMLParser
from pathlib import Path

import pytest

from edition_samples import TIMESTAMP, sample_article, seed_article
from publish.errors import EditionWarning, LayoutError
from publish.layout import load_layout
from publish.model import Contributor, Headline, HeadlinePart, HeadlineRole, Paragraph, Role
from publish.render import WRITERS, RenderOptions

WECHAT = WRITERS['wechat']

#: What the WeChat editor keeps of a pasted article (checked here on their
#: own, not taken from the writer).
KEPT_TAGS = {'section', 'p', 'span', 'strong', 'em', 'br', 'img', 'h1', 'h2', 'h3', 'blockquote'}
KEPT_ATTRIBUTES = {'style'}
IMG_ATTRIBUTES = {'style', 'src', 'alt'}
KEPT_PROPERTIES = {
    'color', 'background-color', 'font-size', 'font-weight', 'font-style', 'font-family',
    'line-height', 'letter-spacing', 'text-align', 'text-indent', 'text-decoration',
    'margin', 'margin-top', 'margin-right', 'margin-bottom', 'margin-left',
    'padding', 'padding-top', 'padding-right', 'padding-bottom', 'padding-left',
    'border', 'border-top', 'border-right', 'border-bottom', 'border-left', 'border-radius',
    'display', 'width', 'max-width', 'height', 'word-break', 'overflow-wrap', 'white-space',
}
#: The page around the article, which is not pasted.
SHELL = {'html': {'lang'}, 'head': set(), 'meta': {'charset', 'name', 'content'}, 'title': set(),
         'body': set()}


class AllowList(HTMLParser):
    """Every problem of a WeChat page: a tag, attribute or style property
    the editor does not keep, a CSS variable, a # link."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.open: list[str] = []
        self.seen: list[str] = []
        self.feed(text)
        if not text.startswith('<!DOCTYPE html>'):
            self.problems.append('no <!DOCTYPE html>')

    def handle_starttag(self, tag, attrs):
        self.seen.append(tag)
        in_body = 'body' in self.open
        if in_body:
            allowed = IMG_ATTRIBUTES if tag == 'img' else KEPT_ATTRIBUTES
            if tag not in KEPT_TAGS:
                self.problems.append(f'<{tag}> in the article')
        elif tag in SHELL and (tag in ('html',) or self.open[-1:] == [{'head': 'html', 'body': 'html',
                                                                       'meta': 'head', 'title': 'head'}[tag]]):
            allowed = SHELL[tag]
        else:
            self.problems.append(f'<{tag}> outside the article')
            allowed = set()
        for name, value in attrs:
            if name not in allowed:
                self.problems.append(f'<{tag} {name}>')
            if name == 'style':
                self.check_style(tag, value or '')
            if name in ('src', 'href') and (value or '').startswith('#'):
                self.problems.append(f'<{tag} {name}="{value}">')
        if tag not in ('meta', 'img', 'br'):
            self.open.append(tag)

    def check_style(self, tag, style):
        if 'var(' in style or '--' in style:
            self.problems.append(f'<{tag}> uses a CSS variable: {style}')
        for decl in filter(str.strip, style.split(';')):
            prop = decl.partition(':')[0].strip().lower()
            if prop not in KEPT_PROPERTIES:
                self.problems.append(f'<{tag}> style {prop}')

    def handle_endtag(self, tag):
        while self.open and self.open.pop() != tag:
            pass


def problems_of(page: Path) -> list[str]:
    return AllowList(page.read_text(encoding='utf-8')).problems


def write_wechat(article, project: Path, out: Path, layout=None):
    out.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always', EditionWarning)
        files = WECHAT.write(article, layout or load_layout('default', project), RenderOptions(TIMESTAMP), out)
    said = [w.message for w in caught if isinstance(w.message, EditionWarning)]
    return out / WECHAT.output_for(article.name), files, said


@pytest.fixture(scope='module')
def sample(project, tmp_path_factory):
    return write_wechat(sample_article(project), project, tmp_path_factory.mktemp('wechat'))


@pytest.fixture(scope='module')
def seed(tmp_path_factory):
    return write_wechat(seed_article(), Path(__file__).parent, tmp_path_factory.mktemp('seed'))


# ---------------------------------------------------------------- what the editor keeps

def test_only_what_the_editor_keeps(sample, seed):
    for page, _, _ in (sample, seed):
        assert problems_of(page) == []
        html = page.read_text(encoding='utf-8')
        assert 'class=' not in html and ' id=' not in html and '<style' not in html and '<script' not in html


@pytest.mark.parametrize('html, problem', [
    ('<p class="x">a</p>', '<p class>'),
    ('<div>a</div>', '<div> in the article'),
    ('<p style="color: var(--red)">a</p>', 'CSS variable'),
    ('<p style="position: fixed">a</p>', 'style position'),
    ('<a href="#b3">a</a>', '<a> in the article'),
    ('<img src="#x" alt="a">', '<img src="#x">'),
    ('<style>p{}</style>', '<style> in the article'),
])
def test_the_allow_list_is_not_blind(html, problem):
    page = f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>t</title></head><body>{html}</body></html>'
    assert any(problem in p for p in AllowList(page).problems), AllowList(page).problems


def test_the_layouts_styles_are_inlined(sample):
    html = sample[0].read_text(encoding='utf-8')
    css = load_layout('default').read_text('wechat.css')
    assert re.search(r'h2\.qa-answer \{[^}]*color: #b0191e', css)
    answer = re.search(r'<h2 style="([^"]*)">答：做了“三个一”</h2>', html)
    assert answer and 'color:#b0191e' in answer.group(1)
    note = re.search(r'<blockquote style="([^"]*)"><p style="[^"]*">编者按', html)
    assert note and 'border-left:3px solid #b0191e' in note.group(1)


def test_all_the_text_is_there(sample, project):
    from test_every_block_in_every_format import squeeze, visible_text
    text = squeeze(visible_text(sample[0].read_text(encoding='utf-8')))
    from edition_samples import assert_in_order, expected_texts
    assert_in_order(text, expected_texts(sample_article(project)))


# ---------------------------------------------------------------- pictures and limits

def test_pictures_beside_it_with_a_list_to_upload(sample, project):
    page, files, _ = sample
    folder = page.with_suffix('')
    assert folder.name == 'sample.wechat' and folder.is_dir()
    srcs = re.findall(r'<img [^>]*src="([^"]+)"', page.read_text(encoding='utf-8'))
    assert srcs == ['sample.wechat/figure-01.png', 'sample.wechat/figure-02.png']
    for src in srcs:
        assert (page.parent / src).read_bytes()[:8] == b'\x89PNG\r\n\x1a\n'
    listing = (folder / 'upload-list.txt').read_text(encoding='utf-8')
    assert 'figure-01.png' in listing and 'figure-02.png' in listing and '颁奖仪式' in listing
    assert sorted(p.relative_to(page.parent).as_posix() for p in files) == sorted(
        ['sample.wechat.html', 'sample.wechat/figure-01.png', 'sample.wechat/figure-02.png',
         'sample.wechat/upload-list.txt'])


def test_a_sample_within_the_limits_warns_of_nothing(sample):
    assert sample[2] == []
    assert 'within the limits' in (sample[0].with_suffix('') / 'upload-list.txt').read_text(encoding='utf-8')


def test_limits_exceeded_are_warned_of(project, tmp_path):
    article = sample_article(project)
    long_title = '很长的标题' * 14
    article = dataclasses.replace(
        article,
        blocks=(Headline((HeadlinePart(HeadlineRole.TITLE, long_title),)),)
        + tuple(Paragraph(f'第{i}段，' + '正文内容写在这里。' * 30) for i in range(120)),
        contributors=tuple(Contributor(n, Role.WRITER) for n in ('欧阳明月', '司马长风', '上官')))
    page, _, said = write_wechat(article, project, tmp_path)
    text = ' '.join(w.english for w in said)
    assert len(page.read_text(encoding='utf-8')) > 20_000
    assert 'fewer than 20000' in text and 'title has 70 characters' in text and 'author' in text
    assert all(w.chinese and w.path == page for w in said)
    assert '超出限制' in (page.with_suffix('') / 'upload-list.txt').read_text(encoding='utf-8')


# ---------------------------------------------------------------- the layout's stylesheet

@pytest.mark.parametrize('css, complaint', [
    ('p.body { color: var(--ink); }\n', 'CSS variables'),
    (':root { --ink: #333; }\n', 'CSS variables'),
    ('p.body { position: fixed; }\n', 'position'),
    ('@media (min-width: 40em) { p.body { color: #000; } }\n', 'at-rule'),
])
def test_styles_the_editor_drops_are_a_layout_error(project, tmp_path, css, complaint):
    folder = project / 'layouts' / f'bad{abs(hash(css))}'
    folder.mkdir(parents=True)
    (folder / 'wechat.css').write_text(css, encoding='utf-8')
    with pytest.raises(LayoutError) as err:
        write_wechat(sample_article(project), project, tmp_path, load_layout(folder.name, project))
    assert complaint in str(err.value) and err.value.path.name == 'wechat.css'


# ---------------------------------------------------------------- on a phone

def test_it_fits_a_phone(sample, tmp_path):
    from test_render_web import look_at
    shots = Path(os.environ['PUBLISH_SCREENSHOTS']) if os.environ.get('PUBLISH_SCREENSHOTS') else tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    page = sample[0]
    seen = look_at(page, (375,), shots, 'wechat', text='p[style*="text-indent"]')[375]
    assert seen['scroll'] <= 375, seen
    assert all(w > 0 and right <= 375 for w, right in seen['images']), seen['images']
    assert float(seen['text'].rstrip('px')) >= 15
    assert (shots / 'wechat-375.png').stat().st_size > 10_000
