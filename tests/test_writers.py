"""The writer contract: one table of writers that everything listing formats
derives from, one entry point of one shape, one walk over the block types,
one zip writer, font roles and the DOCX style map from the layout."""
from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import inspect
import re
import zipfile
from pathlib import Path

import pytest

from edition_samples import TIMESTAMP, sample_article, write_file
from publish import fonts
from publish.build import edition as build_edition
from publish.cli import build_parser
from publish.errors import LayoutError
from publish.layout import PACKAGE_LAYOUTS, Layout, load_layout
from publish.model import (BLOCK_TYPES, BlockVisitor, Meta, Paragraph, UnknownBlockType, block_text)
from publish.render import FORMATS, WRITERS, RenderOptions
from publish.render.font_roles import PARTS, role_texts
from publish.render.ziparchive import read_entries, zip_bytes

BUILD_DIR = Path(build_edition.__file__).parent


@pytest.fixture
def project(tmp_path) -> Path:
    (tmp_path / 'seeds').mkdir()
    return tmp_path


# ---------------------------------------------------------------- the table

def test_every_writer_module_offers_the_one_entry_point():
    for writer in WRITERS.values():
        module = importlib.import_module(writer.module)
        params = list(inspect.signature(module.write).parameters)
        assert params == ['article', 'layout', 'options', 'out_dir'], writer.name
        output = Path(writer.output_for('NAME'))
        assert not output.is_absolute() and '..' not in output.parts and output.name, writer.name


def test_the_command_line_lists_the_table():
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == 'command').choices
    for writer in WRITERS.values():
        assert writer.name in commands
        assert commands[writer.name].description == writer.help[0]
        assert writer.title in commands['all'].description
    assert commands['pdf'].get_default('formats') == ('pdf',)
    assert commands['all'].get_default('formats') == FORMATS


def test_the_build_names_no_format():
    names = '|'.join(re.escape(f) for f in FORMATS)
    for path in sorted(BUILD_DIR.glob('*.py')):
        code = re.sub(r'(?s)""".*?"""|#[^\n]*', '', path.read_text(encoding='utf-8'))
        found = re.findall(rf"""['"]({names})['"]|\.({names})\b""", code)
        assert not found, f'{path.name} names a format: {found}'


def test_a_writer_added_to_the_table_is_built_verified_and_indexed(tmp_path, monkeypatch):
    """A format the build has never heard of: one table entry, and every
    listing (the run, the manifest, the index, verify) has it."""
    from publish import build, manifest
    from publish.render import Writer
    import test_build as fakes

    project = tmp_path / 'proj'
    (project / 'seeds').mkdir(parents=True)
    (project / 'seeds' / 'a.txt').write_text('正文。', encoding='utf-8')
    monkeypatch.setenv('FAKE_RENDER_LOG', str(tmp_path / 'calls.log'))
    monkeypatch.setenv('XDG_CACHE_HOME', str(tmp_path / 'cache'))
    table = {'docx': fakes.fake_writer(WRITERS['docx']),
             'txt': fakes.fake_writer(Writer('txt', 'publish.render.pdf', 'text/NAME.txt', ('text', '文本')))}
    report = build.build_all(project, jobs=1, loader=fakes.fake_loader, writers=table,
                             layout_loader=fakes.fake_layout_loader)
    assert report.ok and report.built[0].formats == ('docx', 'txt')
    man = (project / 'dist' / 'a' / 'manifest.json').read_text(encoding='utf-8')
    assert '"text/a.txt"' in man and '"a.docx"' in man
    assert 'text/a.txt' in (project / 'dist' / 'index.json').read_text(encoding='utf-8')
    assert manifest.verify(project / 'dist') == []
    from publish.archive import archive
    bag = archive(project).path
    assert (bag / 'data' / 'a' / 'text' / 'a.txt').is_file() and (bag / 'data' / 'a' / 'a.docx').is_file()


# ---------------------------------------------------------------- the walk

class Table:
    text = '单元格'


def walkers(project):
    article = dataclasses.replace(sample_article(project), blocks=(Paragraph('前文。'), Table()))
    layout = load_layout('default', project)
    return {
        'plain text': lambda: [block_text(b) for b in article.blocks],
        'font coverage': lambda: fonts.check_coverage(article),
        'font roles': lambda: role_texts(article, layout),
        'HTML body': lambda: __import__('publish.render.html_body', fromlist=['x']).body_html(
            article, layout, target='pdf', timestamp=TIMESTAMP),
    }


def test_an_unknown_block_type_is_the_same_error_in_every_walk(project):
    for name, walk in walkers(project).items():
        with pytest.raises(UnknownBlockType, match='unknown block type Table') as err:
            walk()
        assert isinstance(err.value, TypeError), name


def test_a_walker_that_forgets_a_block_type_fails_loudly():
    class OnlyParagraphs(BlockVisitor):
        def paragraph(self, block):
            return block.text
    walker = OnlyParagraphs()
    assert walker.visit(Paragraph('正文')) == '正文'
    with pytest.raises(NotImplementedError, match='OnlyParagraphs does not handle Subhead'):
        from publish.model import Subhead
        walker.visit(Subhead('小标题'))


def test_the_visitor_has_a_method_for_every_block_type():
    names = {re.sub(r'(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])', '_', t.__name__).lower()
             for t in BLOCK_TYPES}
    assert names <= set(vars(BlockVisitor)), names - set(vars(BlockVisitor))


# ---------------------------------------------------------------- zip, timestamps

def test_one_zip_writer_orders_stores_and_dates_entries():
    entries = {'b.xml': b'<b/>' * 100, 'mimetype': b'application/epub+zip', 'a.xml': b'<a/>'}
    when = dt.datetime(2018, 7, 2, 16, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    data = zip_bytes(entries, when, first=('mimetype', 'missing'), stored=('mimetype',), level=9,
                     unix_mode=0o644)
    assert data == zip_bytes(dict(reversed(entries.items())), when, first=('mimetype',),
                             stored=('mimetype',), level=9, unix_mode=0o644)
    import io
    infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    assert [i.filename for i in infos] == ['mimetype', 'a.xml', 'b.xml']
    assert [i.compress_type for i in infos] == [zipfile.ZIP_STORED] + [zipfile.ZIP_DEFLATED] * 2
    assert {i.date_time for i in infos} == {(2018, 7, 2, 8, 30, 0)}
    assert {i.external_attr >> 16 for i in infos} == {0o644}
    assert read_entries(data) == {k: entries[k] for k in ('mimetype', 'a.xml', 'b.xml')}
    early = zip_bytes(entries, dt.datetime(1970, 1, 1), level=6)
    assert {i.date_time for i in zipfile.ZipFile(io.BytesIO(early)).infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_the_timestamp_is_not_the_articles():
    assert 'timestamp' not in {f.name for f in dataclasses.fields(Meta)}
    assert 'timestamp' in {f.name for f in dataclasses.fields(RenderOptions)}


def test_the_embedded_article_json_carries_the_edition_timestamp(project):
    data = build_edition.article_json_bytes(sample_article(project), project, TIMESTAMP)
    assert b'"timestamp": "2018-07-02T08:30:00+00:00"' in data


# ---------------------------------------------------------------- the layout decides

def layout_with(project: Path, name: str, files: dict[str, str]) -> Layout:
    folder = project / 'layouts' / name
    folder.mkdir(parents=True)
    for fname, text in files.items():
        (folder / fname).write_text(text, encoding='utf-8')
    return load_layout(name, project)


def test_epub_fonts_follow_the_layouts_font_roles(project):
    default = (PACKAGE_LAYOUTS / 'default' / 'fonts.yaml').read_text(encoding='utf-8')
    serif_only = re.sub(r'(?m)^(\w+): [\w-]+$', r'\1: serif', default)
    layout = layout_with(project, 'serif-only', {'fonts.yaml': serif_only})
    article = sample_article(project)
    assert set(role_texts(article, layout)) == {'serif'}
    out = write_file('epub', article, layout, project / 'out.epub')
    with zipfile.ZipFile(out) as z:
        font_files = [n for n in z.namelist() if n.startswith('EPUB/fonts/')]
    assert font_files == ['EPUB/fonts/' + fonts.face('serif').file]
    with zipfile.ZipFile(write_file('epub', article, load_layout('default', project),
                                    project / 'default.epub')) as z:
        assert len([n for n in z.namelist() if n.startswith('EPUB/fonts/')]) == 3


@pytest.mark.parametrize('text, complaint', [
    ('byline: kai\n', 'gives no font role for'),
    ('\n'.join(f'{p}: serif' for p in PARTS) + '\nsidebar: kai\n', "unknown part 'sidebar'"),
    ('\n'.join(f'{p}: serif' for p in PARTS).replace('body: serif', 'body: song'), "unknown font role 'song'"),
    ('[', 'not valid YAML'),
])
def test_broken_font_roles_name_the_file(project, text, complaint):
    layout = layout_with(project, 'broken', {'fonts.yaml': text})
    with pytest.raises(LayoutError) as err:
        role_texts(sample_article(project), layout)
    assert complaint in str(err.value) and 'fonts.yaml' in str(err.value.path)


def test_docx_style_map_comes_only_from_the_layout(project):
    from publish.render import docx as docx_render
    folder = project / 'bare'
    folder.mkdir()
    (folder / 'docx.yaml').write_text('styles:\n  Normal:\n    size: 12\n', encoding='utf-8')
    bare = Layout(name='bare', dirs=(folder,))           # no shipped default beneath it
    with pytest.raises(LayoutError, match='lacks page, header, footer'):
        docx_render.load_style_map(bare)
    with_default = Layout(name='bare', dirs=(folder, (PACKAGE_LAYOUTS / 'default').resolve()))
    assert docx_render.load_style_map(with_default)['styles']['Normal']['size'] == 12


def test_render_options_reach_every_writer(project, tmp_path):
    article = sample_article(project)
    layout = load_layout('default', project)
    for fmt in FORMATS:
        out_dir = tmp_path / fmt
        out_dir.mkdir()
        files = WRITERS[fmt].write(article, layout, RenderOptions(TIMESTAMP), out_dir)
        assert out_dir / WRITERS[fmt].output_for(article.name) in files
        assert all(p.is_file() and out_dir in p.parents for p in files)
