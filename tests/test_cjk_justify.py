"""Chinese text in the print edition: inter-character justification, line
breaks at quotation marks, kinsoku; read back with poppler."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from edition_samples import run, seed_article, tool, write_file
from publish.errors import RenderError
from publish.layout import load_layout
from publish.model import Article, Meta, Paragraph
from publish.render import cjk_justify, cjk_punct
from publish.render import pdf as pdf_render

XHTML = '{http://www.w3.org/1999/xhtml}'
CLOSING = '，。、；：？！）」』”’》…'
OPENING = '（「『“‘《'
ZWSP = '\u200b'
WJ = '\u2060'

# Paragraphs with digits, Latin letters and quotations: most of their lines
# hold something that is not a full-width character.
MIXED = (
    '为向建党97周年献礼，6月29日下午3时，随着嘹亮的国歌声，二七区“庆祝中国共产党成立97周年大会”'
    '在政通路小学礼堂拉开序幕。全区副县级以上领导干部，18个镇（街道）全体科级干部，3个管委会、'
    '区直各单位负责人和分管组织工作副科级干部等750余人参加了会议，会议对先进基层党组织颁奖。',
    '先后召开常委会、党建小组会及党建观摩会等会议25次，实施“1+N”多元正向激励，连续两年入选全国'
    '“综合实力”、“最具投资潜力”、“创新创业”3个百强区，GDP增长8.5%，新建5G基站120个，政务APP上线'
    'iOS和Android版，2018年7月2日见报，受惠党员群众达2万多人，开展党员干部教育培训活动80多场。',
)
# A long Latin word that cannot be broken, placed so that the line before it
# has more room left than the characters can take without reading as spaces.
LONG_WORD = ('在6月27日全市庆祝建党97周年大会上，二七区荣获“全市党建工作先进单位”称号，'
             'Pneumonoultramicroscopicsilicovolcanoconiosis是什么？二七区用“三个一”给出答案。')


def lines_of(pdf: Path) -> list[dict]:
    """pdftotext's lines (merged where they share a baseline), page by page, top to bottom."""
    xml = run(tool('pdftotext'), '-bbox-layout', '-enc', 'UTF-8', str(pdf), '-')
    root = ET.fromstring(re.sub(r'<!DOCTYPE[^>]*>', '', xml))
    out = []
    for page_no, page in enumerate(root.iter(XHTML + 'page')):
        lines = []
        for line in page.iter(XHTML + 'line'):
            words = [w.text or '' for w in line.iter(XHTML + 'word')]
            box = {k: float(line.get(k)) for k in ('xMin', 'xMax', 'yMax')}
            box.update(page=page_no, text=''.join(words), words=words)
            if lines and lines[-1]['page'] == page_no and abs(lines[-1]['yMax'] - box['yMax']) < 0.5:
                lines[-1]['xMax'] = max(lines[-1]['xMax'], box['xMax'])
                lines[-1]['text'] += box['text']
                lines[-1]['words'] += words
            else:
                lines.append(box)
        out += sorted(lines, key=lambda b: b['yMax'])
    return out


def paragraph_lines(lines: list[dict], text: str) -> list[dict]:
    """The lines that set *text* (a paragraph; spaces are not compared), in order."""
    text = text.replace(' ', '')
    joined = ''
    start = None
    for i, line in enumerate(lines):
        if start is None and text.startswith(line['text']):
            start, joined = i, ''
        if start is not None:
            joined += line['text']
            if joined == text:
                return lines[start:i + 1]
            if not text.startswith(joined):
                start = None
    raise AssertionError(f'paragraph not found: {text[:30]}…')


@pytest.fixture(scope='module')
def mixed_pdf(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp('project')
    (root / 'seeds').mkdir()
    article = Article(name='mixed', blocks=tuple(Paragraph(t) for t in MIXED + (LONG_WORD,)),
                      meta=Meta(), source_path=root / 'seeds' / 'mixed.txt')
    return write_file('pdf', article, load_layout('default', root), root / 'dist' / 'mixed.pdf')


@pytest.fixture(scope='module')
def seed_pdf(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp('seed')
    return write_file('pdf', seed_article(root), load_layout('default', root), root / 'seed.pdf')


def test_the_installed_weasyprint_has_what_the_justification_relies_on(tmp_path, monkeypatch):
    monkeypatch.setenv('XDG_CACHE_HOME', str(tmp_path))          # nothing remembered: checked now
    cjk_justify.check_weasyprint()        # raises RenderError naming what changed
    assert list((tmp_path / 'publish' / 'weasyprint-checked').iterdir())


def test_a_weasyprint_that_lacks_something_is_refused_and_not_remembered(tmp_path, monkeypatch):
    monkeypatch.setenv('XDG_CACHE_HOME', str(tmp_path))
    monkeypatch.setattr(cjk_justify.inspect, 'getsource', lambda obj: '')
    with pytest.raises(RenderError, match='is not supported for justifying Chinese text'):
        cjk_justify.check_weasyprint()
    assert not (tmp_path / 'publish' / 'weasyprint-checked').exists()


def test_justification_replaces_weasyprints_step_once(mixed_pdf):
    from weasyprint.layout import inline
    assert getattr(inline.justify_line, 'cjk_inter_character', False)
    before = inline.justify_line
    cjk_justify.install()
    assert inline.justify_line is before


def test_every_line_but_the_last_ends_at_the_right_edge(mixed_pdf):
    lines = lines_of(mixed_pdf)
    right = max(line['xMax'] for line in lines)
    assert right <= 595.28 - 66.6 + 0.5, 'a line runs past the text block'
    for text in MIXED:
        para = paragraph_lines(lines, text)
        assert len(para) >= 3
        for line in para[:-1]:
            assert right - line['xMax'] <= 0.5, f'{right - line["xMax"]:.2f} pt short: {line["text"]}'
        assert right - para[-1]['xMax'] > 10          # the last line is not stretched


def test_a_line_that_needs_too_much_space_keeps_the_rest_at_its_end(mixed_pdf):
    lines = lines_of(mixed_pdf)
    right = max(line['xMax'] for line in lines)
    first = paragraph_lines(lines, LONG_WORD)[0]
    assert right - first['xMax'] > 0.5                 # left short …
    assert len(first['words']) == 1, first['words']    # … but read without spaces
    assert cjk_justify.MAX_SPACING_EM < 0.1


def test_digits_and_latin_words_are_not_spaced_out(mixed_pdf):
    words = [w for line in lines_of(mixed_pdf) for w in line['words']]
    text = ' '.join(words)
    for run_ in ('GDP', 'APP', 'Android', '2018', '750', '8.5%', '1+N'):
        assert run_ in text


def test_text_extraction_has_no_added_spaces(mixed_pdf, seed_pdf):
    for pdf, paragraphs in ((mixed_pdf, MIXED),
                            (seed_pdf, [b.text for b in seed_article().blocks
                                        if isinstance(b, Paragraph) and not b.run_in])):
        lines = lines_of(pdf)
        for text in paragraphs:
            for line in paragraph_lines(lines, text):
                for a, b in zip(line['words'], line['words'][1:]):
                    assert not (cjk_justify.is_cjk(a[-1]) and cjk_justify.is_cjk(b[0])), line['text']
        plain = run(tool('pdftotext'), '-enc', 'UTF-8', str(pdf), '-')
        assert ZWSP not in plain and '\u2060' not in plain


def test_no_line_starts_with_a_closing_mark_or_ends_with_an_opening_one(mixed_pdf, seed_pdf):
    for pdf in (mixed_pdf, seed_pdf):
        for line in lines_of(pdf):
            assert line['text'][0] not in CLOSING and line['text'][-1] not in OPENING, line['text']


def test_seed_body_lines_are_flush(seed_pdf):
    lines = lines_of(seed_pdf)
    right = max(line['xMax'] for line in lines)
    paragraphs = [b.text for b in seed_article().blocks if isinstance(b, Paragraph) and not b.run_in]
    checked = 0
    for text in paragraphs:
        for line in paragraph_lines(lines, text)[:-1]:
            checked += 1
            assert right - line['xMax'] <= 0.5, line['text']
    assert checked > 15


# ---------------------------------------------------------------- breaks at quotes

@pytest.mark.parametrize('text, expected', [
    ('入选全国“综合实力”称号', f'入选全国{ZWSP}“综合实力”{ZWSP}称号'),
    ('“综合实力”、“最具投资潜力”', f'“综合实力”、{WJ}{ZWSP}“最具投资潜力”'),
    ('制订了《“三个二七”实施意见》', f'制订了《“三个二七”{ZWSP}实施意见》'),
    ('他说：“好。”', f'他说：{WJ}{ZWSP}“好。”'),
    ('他说“好。”', f'他说{ZWSP}“好。”'),
    ('了。《书》', f'了。{WJ}{ZWSP}《书》'),
    ('“甲”“乙”', f'“甲”{WJ}{ZWSP}“乙”'),
    ('“好”。', '“好”。'),
    ('……“好”——', '……“好”——'),
    ('没有引号的句子。', '没有引号的句子。'),
])
def test_break_opportunities_at_quotation_marks(text, expected):
    assert cjk_punct.set_text(text) == expected


def test_only_the_character_data_of_the_body_outside_headings_is_changed():
    html = ('<html><head><title>“标题”</title><style>p::before{content:"“"}</style></head>'
            '<body><h1>全国“综合”实力</h1><p title="全国“综合”">全国“综合”实力</p>'
            '<style>a{}</style><h2 class="qa">答：做了“三个一”</h2></body></html>')
    out = cjk_punct.set_html(html)
    assert out.replace(ZWSP, '') == html
    assert out.count(ZWSP) == 2
    assert f'全国{ZWSP}“综合”{ZWSP}实力</p>' in out
