"""Text copied from a PDF: one source line per printed line (publish/normalize/wrapped.py)."""
from __future__ import annotations

import json
import unicodedata

import pytest

from publish.cli import main
from publish.model import block_text
from publish.normalize import normalize_text
from publish.normalize.wrapped import printed_line, read_page

HEADLINE = '社区食堂开进老小区'
PARAGRAPHS = [
    '今年以来，区里在六个老旧小区开办了社区食堂，每天供应早餐和午餐，老人凭卡就餐可以享受八折优惠。',
    '家住幸福路的王大爷说，以前一个人做饭麻烦，常常凑合一顿，现在下楼走几步就能吃上热饭热菜。',
    '食堂的菜单每周更新一次，由营养师根据季节搭配，2023年共接待就餐居民12万人次，比上年增加三成。',
    '街道负责人介绍，下一步还将开通送餐上门服务，行动不便的老人打个电话就能订餐。',
]
SUBHEAD = '让老人吃得放心'
NO_START = set('，。、；：？！”）》')


def cell(ch: str) -> float:
    return 1.0 if unicodedata.east_asian_width(ch) in 'WFA' else 0.5


def wrap(paragraph: str, width: int, keep_indent: bool) -> list[str]:
    """Set a paragraph in a column ``width`` cells wide, first line indented
    two cells, a mark that cannot start a line hanging at the end of the line
    above; the indent is kept in the copy or dropped."""
    lines, line, used, room = [], '', 0.0, width - 2
    for ch in paragraph:
        if used + cell(ch) > room and not (ch in NO_START and line):
            lines.append(line)
            line, used, room = '', 0.0, width
        line += ch
        used += cell(ch)
    lines.append(line)
    if keep_indent:
        lines[0] = '\u3000\u3000' + lines[0]
    return lines


def article(width: int, keep_indent: bool) -> str:
    lines = [HEADLINE]
    for number, paragraph in enumerate(PARAGRAPHS):
        if number == 2:
            lines.append(SUBHEAD)
        lines += wrap(paragraph, width, keep_indent)
    return '\n'.join(lines) + '\n'


def texts(source: str) -> list[str]:
    return [block_text(b) for b in normalize_text(source).blocks]


EXPECTED = [HEADLINE, *PARAGRAPHS[:2], SUBHEAD, *PARAGRAPHS[2:]]


@pytest.mark.parametrize('width', [11, 13, 16])
@pytest.mark.parametrize('keep_indent', [True, False])
def test_printed_lines_are_rebuilt_into_paragraphs(width, keep_indent):
    assert texts(article(width, keep_indent)) == EXPECTED


@pytest.mark.parametrize('margin', ['  ', '\u3000', '\t'])
@pytest.mark.parametrize('keep_indent', [True, False])
def test_a_margin_every_line_has_is_no_indent(margin, keep_indent):
    # a viewer that copies the page's layout sets every line in from the left
    source = ''.join(margin + line + '\n' for line in article(13, keep_indent).splitlines())
    assert texts(source) == EXPECTED
    page = read_page([source.split('\n')[:-1]])
    assert page is not None and page.width == 13 and page.indents == keep_indent


@pytest.mark.parametrize('width', [11, 13, 16])
@pytest.mark.parametrize('subhead, paragraph', [
    ('小小食堂，大大民生', '食堂虽小，却连着千家万户，老人们每天都来这里吃饭聊天，日子过得有滋有味。'),
    ('社区食堂的新变化', '变化最大的是菜单，食堂的菜单每周更新一次，由营养师根据季节搭配。'),
])
def test_printed_lines_with_a_blank_line_after_each_paragraph(width, subhead, paragraph):
    # some viewers copy a blank line after each paragraph: the short line
    # above a blank line ends a paragraph, as it does inside a block, where
    # the text alone would run a subhead on into the paragraph below
    expected = [HEADLINE, PARAGRAPHS[0], subhead, paragraph]
    blocks = [HEADLINE, '\n'.join(wrap(PARAGRAPHS[0], width, False)), subhead, '\n'.join(wrap(paragraph, width, False))]
    assert texts('\n\n'.join(blocks) + '\n') == expected
    # read again, the paragraphs stay
    assert texts('\n\n'.join(expected) + '\n') == expected


def test_running_text_in_the_blocks_above_ends_the_headline_area():
    # printed lines in blocks: below a finished sentence no line end is read
    # as one of the headline lines
    blocks = [HEADLINE, *('\n'.join(wrap(p, 13, False)) for p in PARAGRAPHS[:2]), SUBHEAD,
              '\n'.join(wrap(PARAGRAPHS[2], 13, False))]
    source = '\n\n'.join(blocks) + '\n'
    assert texts(source) == [HEADLINE, *PARAGRAPHS[:2], SUBHEAD, PARAGRAPHS[2]]
    first_stop = source.index('。') + 1
    below = [d for d in normalize_text(source).decisions if d.offset >= first_stop]
    assert below and not any('headline area' in cue for d in below for cue in d.cues)


def test_page_width_is_read_in_display_cells():
    # digits and Latin letters take half a cell
    assert printed_line('2023年共接待就餐居民12').cells == 11
    assert printed_line('\u3000\u3000今年以来，区里在').cells == 10
    source = article(13, keep_indent=False)
    page = read_page([source.split('\n')])
    assert page is not None and page.width == 13 and not page.indents


def test_paragraph_ending_on_a_full_line_is_kept_by_the_indent_below():
    lines = ['\u3000\u3000老人凭卡就餐享受八折', '优惠，食堂每天供应午餐。',
             '\u3000\u3000街道负责人介绍，下一', '步将开通送餐上门服务，让', '老人打电话就能订餐。'] * 2
    assert [printed_line(line).cells for line in lines[:4]] == [12, 12, 12, 12]
    first, second = '老人凭卡就餐享受八折优惠，食堂每天供应午餐。', '街道负责人介绍，下一步将开通送餐上门服务，让老人打电话就能订餐。'
    assert texts('\n'.join(lines) + '\n') == [first, second] * 2


def test_one_line_per_block_is_not_read_as_printed_lines():
    # the shape of the seed: one line a paragraph, blank lines between
    source = '\n\n'.join([HEADLINE, *PARAGRAPHS]) + '\n'
    assert read_page([[line] for line in source.split('\n\n')]) is None
    assert texts(source) == [HEADLINE, *PARAGRAPHS]


@pytest.mark.parametrize('headline_apart', [True, False])
def test_paragraphs_one_a_line_with_no_blank_line_between(headline_apart):
    # text copied from a web page or a document: a paragraph a line, and a
    # column break a line end too (here inside a word: 老|人凭卡)
    first, rest = PARAGRAPHS[0].split('老人凭卡')
    body = '\n'.join([first + '老', '人凭卡' + rest, *PARAGRAPHS[1:]]) + '\n'
    source = HEADLINE + ('\n\n' if headline_apart else '\n') + body
    assert texts(source) == [HEADLINE, *PARAGRAPHS]
    # a source of short lines and no blank line at all reads so too
    assert texts('\n'.join([HEADLINE, '记者 张三', '区里建起三家社区食堂。', '老人凭卡就餐']) + '\n') == [
        HEADLINE, '记者 张三', '区里建起三家社区食堂。', '老人凭卡就餐']


def test_headline_lines_copied_as_one_block_stay_lines_of_their_own():
    # kicker, headline and subtitle with no blank line between them; the
    # byline below the text keeps its lines together
    byline = '记者 张三\n通讯员 李四/文'
    source = '老旧小区的新变化\n' + HEADLINE + '\n区里建起六家社区食堂\n\n' + '\n\n'.join(PARAGRAPHS[:2]) \
        + '\n\n' + byline + '\n'
    assert texts(source) == ['老旧小区的新变化', HEADLINE, '区里建起六家社区食堂', *PARAGRAPHS[:2], byline]


def test_an_article_mixing_both_shapes():
    printed = '\n'.join(wrap(PARAGRAPHS[0], 12, False) + wrap(PARAGRAPHS[1], 12, False))
    source = HEADLINE + '\n\n' + printed + '\n\n' + PARAGRAPHS[3] + '\n'
    assert texts(source) == [HEADLINE, PARAGRAPHS[0], PARAGRAPHS[1], PARAGRAPHS[3]]


def test_every_line_end_of_printed_lines_has_a_decision_with_its_offset(tmp_path, capsys):
    source = article(12, keep_indent=False)
    path = tmp_path / 'a.txt'
    path.write_text(source, encoding='utf-8')
    assert main(['normalize', str(path), '--format', 'json']) == 0
    decisions = json.loads(capsys.readouterr().out)['decisions']
    lines = source.rstrip('\n').split('\n')
    assert len(decisions) == len(lines) - 1
    before = 0
    for decision, line in zip(decisions, lines):
        before += len(line.replace('\u3000', ''))
        assert decision['offset'] == before
        assert 0.5 <= decision['confidence'] <= 1.0
        assert decision['cues']
    ends = {sum(len(x) for x in lines[:i + 1]) for i in range(len(lines))}
    boundaries, at = set(), 0
    for text in EXPECTED[:-1]:
        at += len(text)
        boundaries.add(at)
    assert boundaries <= ends
    assert {d['offset'] for d in decisions if not d['join']} == boundaries


def test_normalizing_rebuilt_paragraphs_again_changes_nothing():
    once = '\n\n'.join(texts(article(13, keep_indent=True))) + '\n'
    assert texts(once) == EXPECTED


def test_a_full_line_in_the_lead_runs_on_to_a_last_line_without_a_full_stop():
    # the lead's last line ends no sentence; the full line above it is running
    # text all the same, though no sentence has ended above yet
    lines = ['社区食堂开进老小区', '区里在六个老旧小区开', '办了社区食堂，让老人吃上', '放心饭菜',
             '今年以来，区里在六个', '老旧小区开办社区食堂，每', '天供应早餐午餐，老人凭卡', '就餐可以享受八折优惠。',
             '街道负责人介绍，下一', '步还将开通送餐上门服务。']
    assert [printed_line(line).cells for line in lines[1:3]] == [10, 12]
    assert texts('\n'.join(lines) + '\n') == [
        '社区食堂开进老小区', '区里在六个老旧小区开办了社区食堂，让老人吃上放心饭菜',
        '今年以来，区里在六个老旧小区开办社区食堂，每天供应早餐午餐，老人凭卡就餐可以享受八折优惠。',
        '街道负责人介绍，下一步还将开通送餐上门服务。']


def test_a_subhead_wider_than_the_column_stands_alone():
    # a line wider than the column is a line of its own: the paragraph above
    # ends before it, even on a full line that ends a sentence
    subhead = '让老人在家门口吃得放心吃得舒心'
    first = '今年以来，区里在六个老旧小区开办了社区食堂，每天供应早餐和午餐，老人凭卡就餐可以享受八折的优惠。'
    assert len(wrap(first, 10, False)[-1]) == 10
    lines = [HEADLINE, *wrap(first, 10, False), subhead, *wrap(PARAGRAPHS[1], 10, False)]
    assert texts('\n'.join(lines) + '\n') == [HEADLINE, first, subhead, PARAGRAPHS[1]]


def test_a_spaced_out_line_is_a_line_of_its_own():
    # a heading or a name set with spaces between its characters
    lines = [HEADLINE, *wrap(PARAGRAPHS[0], 12, False), '本报记者\u00a0王\u00a0刚', *wrap(PARAGRAPHS[1], 12, False)]
    assert texts('\n'.join(lines) + '\n') == [HEADLINE, PARAGRAPHS[0], '本报记者 王 刚', PARAGRAPHS[1]]


def test_digits_set_in_half_a_cell_leave_a_first_line_two_cells_short():
    # the page sets digits in half a cell: a line of digits two cells short
    # is a first line without its indent, not a full one
    paragraphs = ['今年以来，区里在六个老旧小区开办了社区食堂，每天供应早餐和午餐，老人凭卡就餐可以享受八折优惠，深受欢迎。',
                  '2023年5月28日，食堂的菜单开始每周更新，由营养师根据季节搭配，2023年共接待就餐居民12万人次。',
                  '街道负责人介绍，下一步还将开通送餐上门服务，行动不便的老人打个电话就能订餐，方便又实惠。']
    lines = [HEADLINE] + [line for p in paragraphs for line in wrap(p, 10, False)]
    assert texts('\n'.join(lines) + '\n') == [HEADLINE, *paragraphs]


CLOSING = '（本报开罗2月19日电）'


@pytest.mark.parametrize('width', [10, 11, 12, 13, 14, 15, 16])
def test_a_closing_dateline_in_brackets_stands_alone(width):
    # the dateline closing the article, on a line of its own or split over two
    # when it is wider than the column; whatever the last line above holds
    lines = [HEADLINE]
    for paragraph in PARAGRAPHS:
        lines += wrap(paragraph, width, False)
    source = '\n'.join(lines + [CLOSING[:width], CLOSING[width:]]) + '\n'
    assert texts(source) == [HEADLINE, *PARAGRAPHS, CLOSING]


def test_a_closing_dateline_after_a_line_that_fills_the_column():
    # the paragraph's last line is full and ends a sentence: the text alone
    # reads on, the bracketed dateline does not
    lines = ['\u3000\u3000老人凭卡就餐享受八折', '优惠，食堂每天供应午餐。',
             '\u3000\u3000街道负责人介绍，下一', '步将开通送餐上门服务，让', '老人打电话就能订餐了。', CLOSING]
    assert texts('\n'.join(lines) + '\n')[-1] == CLOSING


def test_a_rule_that_joins_is_not_undone_by_a_short_printed_line():
    # the speaker's name under a quotation runs on from it (a rule), though
    # the quotation ends on a short line; normalizing again must agree
    quote = '“现在下楼走几步就能吃上热饭热菜，方便多了。”'
    lines = [HEADLINE, *wrap(PARAGRAPHS[0], 13, True), *wrap(quote, 13, True), '王大爷说。',
             *wrap(PARAGRAPHS[1], 13, True)]
    once = texts('\n'.join(lines) + '\n')
    assert once == [HEADLINE, PARAGRAPHS[0], quote + '王大爷说。', PARAGRAPHS[1]]
    assert texts('\n\n'.join(once) + '\n') == once
