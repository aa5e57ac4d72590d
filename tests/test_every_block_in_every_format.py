"""Every block type of the model renders in every format, and what it says
can be read back out of the file; an unknown block type fails in each."""
from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document

from edition_samples import make_png, tool, write_file
from publish.layout import load_layout
from publish.model import (BLOCK_TYPES, Article, Byline, Caption, Contributor, EditorNote, Figure,
                           Headline, HeadlinePart, HeadlineRole, Meta, Paragraph, QAHead, QAKind,
                           RunIn, Subhead, UnknownBlockType, block_text)
from publish.render import FORMATS, WRITERS


def one_block(block_type: type, folder: Path):
    return {
        Headline: Headline((HeadlinePart(HeadlineRole.KICKER, '引题文字'),
                            HeadlinePart(HeadlineRole.TITLE, '主题文字'))),
        Byline: Byline(('记者 景静', '胡源浩/图'), (Contributor('景静', title='记者'),)),
        Paragraph: Paragraph('正文段落写在这里。', run_in=RunIn('一是开头', ' ')),
        QAHead: QAHead(QAKind.QUESTION, '问：党建成绩怎么样？'),
        Subhead: Subhead('小标题文字'),
        Caption: Caption('图为会议现场。', '胡源浩 摄'),
        EditorNote: EditorNote('编者按：这是一段说明。——编者'),
        Figure: Figure(make_png(folder / 'images' / 'one.png'), '会场全景', '胡源浩 摄',
                       alt='会场', number=1),
    }[block_type]


def visible_text(html: str) -> str:
    """The text of an HTML page's body (tags dropped, the head and any script or style left out)."""
    import html as html_module
    body = re.sub(r'(?s)<head>.*?</head>|<script.*?</script>|<style.*?</style>', '', html)
    return html_module.unescape(re.sub(r'<[^>]+>', '', body))


def text_of(fmt: str, path: Path) -> str:
    """What a reader sees in the file *fmt* wrote, told apart by its kind of file."""
    if path.suffix == '.pdf':
        return subprocess.run([tool('pdftotext'), '-enc', 'UTF-8', str(path), '-'],
                              capture_output=True, text=True, check=True).stdout
    if path.suffix == '.docx':
        return '\n'.join(p.text for p in Document(str(path)).paragraphs)
    if path.suffix == '.epub':
        with zipfile.ZipFile(path) as book:
            pages = [n for n in book.namelist() if n.endswith('.xhtml') and 'nav' not in n]
            return '\n'.join(visible_text(book.read(n).decode('utf-8')) for n in pages)
    if path.suffix == '.html':
        return visible_text(path.read_text(encoding='utf-8'))
    raise AssertionError(f'{fmt}: no way to read {path.name} back')


def squeeze(text: str) -> str:
    return re.sub(r'\s', '', text)


@pytest.fixture(scope='module')
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp('project')
    (root / 'seeds').mkdir()
    return root


@pytest.mark.parametrize('fmt', FORMATS)
@pytest.mark.parametrize('block_type', BLOCK_TYPES, ids=lambda t: t.__name__)
def test_block_type_renders_and_reads_back(project, fmt, block_type):
    block = one_block(block_type, project)
    article = Article(f'{block_type.__name__.lower()}-{fmt}', (block,),
                      Meta(), source_path=project / 'seeds' / 'x.txt')
    out = write_file(fmt, article, load_layout('default', project),
                     project / 'dist' / fmt / Path(WRITERS[fmt].output_for(article.name)).name)
    assert squeeze(block_text(block)) in squeeze(text_of(fmt, out))


@pytest.mark.parametrize('fmt', FORMATS)
def test_unknown_block_type_fails(project, fmt):
    class Table:
        text = '单元格'
    article = Article(f'unknown-{fmt}', (Paragraph('前文。'), Table()), Meta(),
                      source_path=project / 'seeds' / 'x.txt')
    out = project / 'dist' / fmt / 'unknown'
    with pytest.raises(UnknownBlockType, match='Table'):
        write_file(fmt, article, load_layout('default', project), out)
    assert not out.exists()
