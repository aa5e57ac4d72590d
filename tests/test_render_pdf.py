"""The print edition, read back with poppler and pikepdf."""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import pickle
import re
import subprocess
import sys
import time
from pathlib import Path

import pikepdf
import pytest

from edition_samples import (TIMESTAMP, TRICKY, assert_in_order, expected_texts, run,
                             sample_article, seed_article, squeeze, tool, write_file)
from publish import fonts
from publish.errors import FontError, RenderError
from publish.layout import load_layout
from publish.model import Paragraph
from publish.render import RenderOptions, get_writer
from publish.render import pdf as pdf_render

ATTACHMENTS = [
    {'filename': 'sample.txt', 'data': '源文本\n\n第二段'.encode('utf-8'), 'mime_type': 'text/plain',
     'relationship': 'Source', 'description': 'The article text as supplied'},
    {'filename': 'sample.json', 'data': b'{"name": "sample"}', 'mime_type': 'application/json',
     'relationship': 'Data', 'description': 'The article structure as published'},
]


@pytest.fixture(scope='module')
def layout(project):
    return load_layout('default', project)


@pytest.fixture(scope='module')
def pdf(project, article, layout) -> Path:
    return write_file('pdf', article, layout, project / 'dist' / 'sample.pdf', attachments=ATTACHMENTS)


def page_text(path: Path) -> str:
    return run(tool('pdftotext'), '-enc', 'UTF-8', str(path), '-')


def test_registry_gives_this_writer():
    assert get_writer('pdf').load() is pdf_render
    assert get_writer('pdf').output_for('x') == 'x.pdf'
    with pytest.raises(ValueError):
        get_writer('rtf')


def test_importing_the_registry_does_not_import_weasyprint():
    code = ('import sys, publish.render, publish.layout, publish.fonts; '
            'print(any(m.split(".")[0] in ("weasyprint", "ebooklib", "docx") for m in sys.modules))')
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == 'False'


def test_weasyprint_is_imported_without_the_modules_it_does_not_need_here():
    """fontTools' subsetter and variable-font instancer are left out of the
    import and brought in on first use: by WeasyPrint through the names it
    holds, and by anyone importing them afterwards, who gets the real ones."""
    code = '\n'.join([
        'import sys, types',
        'from publish.render import pdf',
        'pdf.prepare()',
        'print(sorted(n for n in pdf._DEFERRED_MODULES if n in sys.modules))',
        'from weasyprint.pdf import fonts',
        'print(fonts.subset.Options.__module__, fonts.instantiateVariableFont.__name__)',
        'import fontTools.subset, fontTools.varLib.instancer as i',
        'print(type(sys.modules["fontTools.subset"]) is types.ModuleType, fontTools.subset.Options is fonts.subset.Options)',
        'print(i.instantiateVariableFont.__module__)',
    ])
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True)
    assert out.stdout.split('\n')[:4] == [
        '[]', 'fontTools.subset instantiateVariableFont', 'True True', 'fontTools.varLib.instancer']


def test_every_block_text_in_order(pdf, article):
    text = page_text(pdf)
    # running header and page numbers repeat on every page; take them out
    text = text.replace('郑州日报 · 2018年7月2日', '')
    text = re.sub(r'—\s*\d+\s*—', '', text)
    assert_in_order(squeeze(text), expected_texts(article))


def test_markup_in_text_is_printed_literally(pdf):
    text = squeeze(page_text(pdf))
    assert squeeze(TRICKY) in text
    assert '49' not in text.split('{{7*7}}')[0][-5:]


def layout_with_css(project: Path, name: str, css: str):
    """A layout of the project whose pdf.css is *css* (the templates are the default's)."""
    own = project / 'layouts' / name
    own.mkdir(parents=True, exist_ok=True)
    (own / 'pdf.css').write_text(css, encoding='utf-8')
    return load_layout(name, project)


def test_only_shipped_fonts_embedded_and_subset(pdf):
    out = run(tool('pdffonts'), str(pdf)).splitlines()[2:]
    assert out, 'no fonts listed'
    allowed = fonts.pdf_font_names()
    for line in out:
        cols = line.split()
        name = cols[0].split('+', 1)[-1]
        assert '+' in cols[0], f'{cols[0]} not subset'
        assert name in allowed, f'{name} is not a shipped font'
        emb, sub = cols[-5], cols[-4]
        assert (emb, sub) == ('yes', 'yes'), line
    used = {line.split()[0].split('+', 1)[-1] for line in out}
    assert {'Publish-Song', 'Publish-Hei-Bold', 'Publish-Kai'} <= used


@pytest.mark.parametrize('name, css, shown', [
    ('escape', 'h1.headline::before { content: "\\2605 " }', '★'),
    ('counter', 'body { counter-reset: k 2 } h1.headline::before { content: counter(k, hiragana) " " }',
     'い'),
])
def test_text_the_layout_generates_is_set_in_shipped_fonts(project, article, tmp_path, name, css, shown):
    # the fonts WeasyPrint gets are cut down to the document's characters:
    # what CSS generates (an escape, a counter in kana) must not fall back
    # to a system font
    default_css = load_layout('default', project).read_text('pdf.css')
    own = layout_with_css(project, f'generates-{name}', default_css + css + '\n')
    out = write_file('pdf', article, own, tmp_path / f'{name}.pdf')
    assert shown in page_text(out)
    names = {line.split()[0].split('+', 1)[-1] for line in run(tool('pdffonts'), str(out)).splitlines()[2:]}
    assert names and names <= fonts.pdf_font_names(), names


FONTCONFIG_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <dir>{fonts}</dir>
  <cachedir>{cache}</cachedir>
</fontconfig>
"""

RENDER_IN_CHILD = """
import sys
from pathlib import Path
from edition_samples import sample_article, write_file
from publish.layout import load_layout
project, layout_name, out = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
write_file('pdf', sample_article(project), load_layout(layout_name, project), out)
"""


@pytest.mark.parametrize('system_fonts', ['none', 'only the shipped ones'])
def test_generated_text_beyond_the_subsets_falls_back_to_the_whole_shipped_fonts(
        project, article, tmp_path, system_fonts):
    # fontconfig is made to see no font at all (a machine without fonts), or
    # only the shipped files; whatever the machine has installed plays no part
    fonts_dir = tmp_path / 'no-fonts' if system_fonts == 'none' else fonts.FONTS_DIR
    fonts_dir.mkdir(exist_ok=True)
    conf = tmp_path / 'fonts.conf'
    conf.write_text(FONTCONFIG_CONF.format(fonts=fonts_dir, cache=tmp_path / 'fc-cache'), encoding='utf-8')
    env = {**os.environ, 'FONTCONFIG_FILE': str(conf),
           'PYTHONPATH': os.pathsep.join([str(Path(__file__).parent), os.environ.get('PYTHONPATH', '')])}
    seen = subprocess.run([tool('fc-list'), '--format', '%{file}\\n'], env=env, capture_output=True,
                          text=True, check=True).stdout.split()
    assert all(Path(f).parent == fonts.FONTS_DIR for f in seen), seen
    assert bool(seen) == (system_fonts != 'none')

    hiragana = 'body { counter-reset: k 2 } h1.headline::before { content: counter(k, hiragana) " " }'
    default_css = load_layout('default', project).read_text('pdf.css')
    own = layout_with_css(project, 'generates-kana', default_css + hiragana + '\n')
    # い is in the whole shipped fonts, not in the subsets WeasyPrint is given first
    staged = pdf_render.stage(article, own, RenderOptions(TIMESTAMP))
    assert ord('い') in fonts.cmap('serif')
    assert not any(ord('い') in fonts_cmap_of(data) for data in staged.font_subsets.values())

    out = tmp_path / 'kana.pdf'
    child = subprocess.run([sys.executable, '-c', RENDER_IN_CHILD, str(project), 'generates-kana', str(out)],
                           env=env, capture_output=True, text=True)
    assert child.returncode == 0, child.stderr[-2000:]
    assert 'い“三个一”构建' in squeeze(page_text(out))
    names = {line.split()[0].split('+', 1)[-1] for line in run(tool('pdffonts'), str(out)).splitlines()[2:]}
    assert names and names <= fonts.pdf_font_names(), names


def test_generated_character_no_shipped_font_has_fails_the_build(project, article, tmp_path):
    default_css = load_layout('default', project).read_text('pdf.css')
    own = layout_with_css(project, 'generates-tangut', default_css + 'h1.headline::before { content: "\\17000" }\n')
    out = tmp_path / 'tangut.pdf'
    with pytest.raises(RenderError) as err:
        write_file('pdf', article, own, out)
    assert 'no shipped font has' in str(err.value)
    assert not out.exists()


def fonts_cmap_of(data: bytes) -> frozenset[int]:
    import uharfbuzz as hb
    return frozenset(hb.Face(hb.Blob(data)).unicodes)


def test_metadata(pdf, article):
    with pikepdf.open(pdf) as doc:
        info = doc.docinfo
        assert str(info['/Title']) == article.title
        assert str(info['/Author']) == '景静, 王宁, 胡源浩, 李明'
        assert str(info['/Subject']) == article.kicker
        assert str(info['/Keywords']) == '党建, 二七区'
        assert str(info['/CreationDate']).startswith('D:20180702083000')
        assert str(info['/ModDate']).startswith('D:20180702083000')
        assert str(doc.Root.Lang) == 'zh-CN'
        assert doc.Root.MarkInfo.Marked is True
        assert '/StructTreeRoot' in doc.Root
        meta = doc.open_metadata()
        assert meta['pdfaid:part'] == '3'
        assert meta['pdfaid:conformance'] == 'U'
        assert meta['dc:title'] == article.title
        box = [float(x) for x in doc.pages[0].MediaBox]
        assert round(box[2] / 72 * 25.4) == 210 and round(box[3] / 72 * 25.4) == 297


def test_document_information_longer_than_a_pdf_string_is_cut(project, layout, tmp_path):
    # keywords are not printed: a long list costs no typesetting
    keywords = tuple(f'关键词{i:05d}' for i in range(3000))
    art = sample_article(project)
    art = dataclasses.replace(art, meta=dataclasses.replace(art.meta, keywords=keywords))
    out = write_file('pdf', art, layout, tmp_path / 'keywords.pdf')
    whole = ', '.join(keywords)
    with pikepdf.open(out) as doc:
        info = str(doc.docinfo['/Keywords'])
        assert info.endswith('…') and whole.startswith(info[:-1])
        assert pdf_render.PDF_STRING_LIMIT - 4 <= pdf_render.pdf_string_size(info) <= pdf_render.PDF_STRING_LIMIT
        assert str(doc.open_metadata()['pdf:Keywords']) == info                  # XMP says the same
        assert str(doc.docinfo['/Title']) == art.title


def test_authors_and_titles_too_long_become_one_cut_entry():
    from types import SimpleNamespace
    meta = SimpleNamespace(title='题' * 20000, description='述' * 10, authors=['作者甲', '作者乙'] * 5000,
                           keywords=['短'])
    pdf_render._fit_metadata(meta)
    assert meta.title == '题' * 16381 + '…'            # 2 + 2 × 16382 bytes = 32766
    assert meta.description == '述' * 10 and meta.keywords == ['短']
    assert len(meta.authors) == 1 and meta.authors[0].startswith('作者甲, 作者乙, ')
    assert pdf_render.pdf_string_size(meta.authors[0]) <= pdf_render.PDF_STRING_LIMIT


def test_bookmarks_for_headline_and_questions(pdf):
    with pikepdf.open(pdf) as doc:
        with doc.open_outline() as outline:
            titles = []

            def walk(items, depth):
                for item in items:
                    titles.append((depth, item.title))
                    walk(item.children, depth + 1)
            walk(outline.root, 0)
    flat = [squeeze(t) for _, t in titles]
    assert squeeze('“三个一”构建党建大格局，“五个突出”持续深化提升年行动') in flat
    assert '问：党建成绩怎么样？' in flat
    assert titles[0][0] == 0
    assert all(depth > 0 for depth, t in titles if t.startswith('问'))


def test_attachments_are_associated_files(pdf):
    with pikepdf.open(pdf) as doc:
        files = doc.attachments
        assert sorted(files) == ['sample.json', 'sample.txt']
        assert files['sample.txt'].get_file().read_bytes() == ATTACHMENTS[0]['data']
        af = doc.Root.AF
        rels = sorted(str(spec.AFRelationship) for spec in af)
        assert rels == ['/Data', '/Source'], 'each attachment listed once with its relationship'
        for spec in af:
            params = spec.EF.F.Params
            assert str(params.ModDate).startswith('D:20180702083000')
            assert str(params.CreationDate).startswith('D:20180702083000')


def test_byte_reproducible(project, article, layout, pdf):
    again = write_file('pdf', article, layout, project / 'dist' / 'again.pdf', attachments=ATTACHMENTS)
    assert hashlib.sha256(again.read_bytes()).digest() == hashlib.sha256(pdf.read_bytes()).digest()


def test_staged_elsewhere_gives_the_same_bytes(project, article, layout, pdf):
    # what the build's parent process stages travels to a worker by pickle
    staged = pickle.loads(pickle.dumps(pdf_render.stage(article, layout, RenderOptions(TIMESTAMP))))
    assert '<html' in staged.html and set(staged.font_subsets) == {f.path.resolve() for f in fonts.faces()}
    out = write_file('pdf', article, layout, project / 'dist' / 'staged.pdf', attachments=ATTACHMENTS,
                            staged=staged)
    assert out.read_bytes() == pdf.read_bytes()
    # and the staged HTML is what is typeset
    other = dataclasses.replace(staged, html=staged.html.replace('</body>', '<p>正文</p></body>'))
    out = write_file('pdf', article, layout, project / 'dist' / 'staged2.pdf', staged=other)
    assert '砥砺前行。正文—' in squeeze(page_text(out))


def test_dates_are_the_edition_timestamp_and_no_header_without_publication(project, layout, tmp_path):
    art = sample_article(project, publication='')
    out = write_file('pdf', art, layout, tmp_path / 'plain.pdf', variant='plain',
                     timestamp=dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc))
    with pikepdf.open(out) as doc:
        assert str(doc.docinfo['/CreationDate']).startswith('D:19800101000000')
        assert str(doc.docinfo['/ModDate']).startswith('D:19800101000000')
        assert '/AF' not in doc.Root                # a plain PDF: no PDF/A attachments
    text = page_text(out)
    assert '·' not in text.split('\n')[0]


def test_pdfa2_variant(project, article, layout, tmp_path):
    out = write_file('pdf', article, layout, tmp_path / 'a2.pdf', variant='pdf/a-2u')
    with pikepdf.open(out) as doc:
        assert doc.open_metadata()['pdfaid:part'] == '2'
    with pytest.raises(RenderError):
        write_file('pdf', article, layout, tmp_path / 'x.pdf', variant='pdf/x-4')


def test_qpdf_check(pdf):
    subprocess.run([tool('qpdf'), '--check', str(pdf)], check=True, capture_output=True)


def test_missing_glyph_fails_before_rendering(project, article, layout, tmp_path):
    bad = dataclasses.replace(article, blocks=article.blocks + (Paragraph('西夏文\U00017000字'),))
    out = tmp_path / 'bad.pdf'
    with pytest.raises(FontError) as err:
        write_file('pdf', bad, layout, out)
    assert 'U+17000' in str(err.value) and '\U00017000' in str(err.value)
    assert f'block {len(bad.blocks)}' in str(err.value)
    assert not out.exists()


def test_font_subsets_hold_characters_written_as_css_escapes():
    import uharfbuzz as hb
    subsets = pdf_render._font_subsets("<p>正文</p>", r'p::before { content: "\2460 \7B2C" }')
    serif = hb.Face(hb.Blob(subsets[fonts.path('serif').resolve()]))
    assert {0x2460, 0x7B2C, ord('正')} <= set(serif.unicodes)
    assert ord('永') not in set(serif.unicodes)


@pytest.mark.parametrize('name, css, named', [
    ('noisy', 'p { colour: red; }', 'colour'),                      # a WeasyPrint warning
    ('system-font', 'p { font-family: serif; }', 'not shipped'),   # text set in a system font
])
def test_layout_css_that_fails_the_build(project, article, tmp_path, name, css, named):
    own = layout_with_css(project, name, css + '\n')
    with pytest.raises(RenderError) as err:
        write_file('pdf', article, own, tmp_path / f'{name}.pdf')
    assert named in str(err.value)
    assert not (tmp_path / f'{name}.pdf').exists()


def test_resources_outside_the_project_are_refused(project, article, tmp_path):
    own = layout_with_css(project, 'greedy', 'body { background: url("https://example.com/x.png"); }\n'
                                             'h1 { background: url("file:///etc/hostname"); }\n')
    with pytest.raises(RenderError) as err:
        write_file('pdf', article, own, tmp_path / 'greedy.pdf')
    assert 'example.com' in str(err.value) or '/etc/hostname' in str(err.value)


def test_seed_article_renders_quickly(tmp_path):
    art = seed_article()
    layout = load_layout('default')
    write_file('pdf', art, layout, tmp_path / 'warm.pdf')        # fonts loaded once
    start = time.perf_counter()
    out = write_file('pdf', art, layout, tmp_path / 'seed.pdf')
    took = time.perf_counter() - start
    assert took < 5, f'seed PDF took {took:.1f} s'
    text = squeeze(page_text(out).replace('郑州日报 · 2018年7月2日', ''))
    text = re.sub(r'—\d+—', '', text)
    assert_in_order(text, expected_texts(art))
    assert out.stat().st_size < 1_000_000
    # no line starts with closing punctuation or ends with opening punctuation
    for line in page_text(out).splitlines():
        assert not re.match(r'\s*[，。、；：？！”’）》]', line), line
        assert not re.search(r'[“‘（《]\s*$', line), line


@pytest.mark.parametrize('fmt', ['pdf', 'epub'])
def test_picture_outside_the_project_is_refused(project, article, tmp_path_factory, fmt):
    from edition_samples import make_png
    from publish.model import Figure
    elsewhere = make_png(tmp_path_factory.mktemp('elsewhere') / 'x.png')
    bad = dataclasses.replace(article, blocks=article.blocks + (Figure(elsewhere, caption='图'),))
    out = tmp_path_factory.mktemp('out') / f'x.{fmt}'
    with pytest.raises(RenderError) as err:
        write_file(fmt, bad, load_layout('default', project), out)
    assert 'outside the project' in str(err.value)
    assert not out.exists()


def test_unknown_block_type_fails(project, article, tmp_path):
    @dataclasses.dataclass(frozen=True)
    class Table:
        text: str
    bad = dataclasses.replace(article, blocks=article.blocks + (Table('表格'),))
    with pytest.raises((TypeError, RenderError), match='Table'):
        write_file('pdf', bad, load_layout('default', project), tmp_path / 'bad.pdf')
    assert not (tmp_path / 'bad.pdf').exists()


def test_warnings_fail_even_when_logging_is_quiet(project, article, tmp_path):
    import logging
    logger = logging.getLogger('weasyprint')
    own = layout_with_css(project, 'quiet', 'p { text-justify: inter-character; }\n')
    old = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with pytest.raises(RenderError, match='text-justify'):
            write_file('pdf', article, own, tmp_path / 'quiet.pdf')
        assert logger.level == logging.CRITICAL
    finally:
        logger.setLevel(old)
