"""The statistics of real news text and the fitted break model
(publish/normalize/textstats.py, publish/data/, scripts/make_text_model.py)."""
from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

from publish.normalize import breaks, textstats
from publish.normalize import normalize_text
from publish.model import block_text

DATA = Path(__file__).resolve().parent.parent / 'publish' / 'data'


def test_the_shipped_statistics_are_small_sorted_count_lines_and_json():
    table, model = DATA / 'textstats.txt.gz', DATA / 'break_model.json'
    assert table.stat().st_size + model.stat().st_size < 10 * 2 ** 20
    lines = gzip.decompress(table.read_bytes()).decode('utf-8').split('\n')
    assert lines == sorted(lines, key=lambda line: line.encode('utf-8'))
    for line in lines[:1000]:
        key, *numbers = line.split(' ')
        assert 1 <= len(key) <= 3 and len(numbers) == 3
        count, ends, starts = map(int, numbers)
        assert ends <= count and starts <= count
    weights = json.loads(model.read_text('utf-8'))
    for part in ('inside a sentence', 'after a sentence'):
        assert set(weights[part]) == {'bias', 'weights'}
        assert textstats.READS_ON in weights[part]['weights']


def test_character_triples_tell_a_word_that_reads_on_from_a_chance_pair():
    # 人民|日 reads on far better than 民|日 alone says; 发展|的 about as well;
    # across a mark or a digit the triples say nothing
    assert textstats.features('人民', '日报')[textstats.READS_ON_LEFT] > 0.5
    assert abs(textstats.features('发展', '的')[textstats.READS_ON_LEFT]) < 0.5
    for left, right in (('邮箱:', 'yx'), ('增长5', '%，')):
        assert textstats.features(left, right)[textstats.READS_ON_LEFT] == 0.0
    lines = gzip.decompress((DATA / 'textstats.txt.gz').read_bytes()).decode('utf-8').split('\n')
    triples = [line for line in lines if len(line.split(' ')[0]) == 3]
    assert triples and all(int(line.split(' ')[1]) >= textstats.TRIGRAM_MIN for line in triples)
    weights = textstats.model()['inside a sentence']['weights']
    assert weights[textstats.READS_ON_LEFT] > 0


def test_counts_say_how_paragraphs_end_and_start():
    # a paragraph ends after 。 far more often than after 的, and starts with
    # 近日 far more often than with 们的
    assert textstats.features('会议取得圆满成功。', '记者')[textstats.ENDS_LIKE] > \
        textstats.features('工作的', '记者')[textstats.ENDS_LIKE] + 3
    assert textstats.features('他说', '近日，')[textstats.STARTS_LIKE] > \
        textstats.features('他说', '们的工作')[textstats.STARTS_LIKE] + 3
    # 责任|落实 reads on; 成功。|近日 does not
    assert textstats.features('建立责任', '落实机制')[textstats.READS_ON] > \
        textstats.features('成功。', '近日')[textstats.READS_ON]


def test_a_weighed_break_shows_the_statistics_among_its_cues():
    body = '今年以来，全区新建了十二个社区食堂。'
    decisions = normalize_text(body + '\n\n区里为六十岁以上的老人办理了就餐\n\n卡，凭卡可以享受八折优惠。').decisions
    weighed = decisions[-1]
    assert weighed.join
    assert any(cue.startswith(textstats.STARTS_LIKE) for cue in weighed.cues)
    assert any(cue.startswith('prior') for cue in weighed.cues)


def test_a_head_after_a_sentence_stays_and_a_cut_clause_is_joined():
    text = ('今年以来，全区新建了十二个社区食堂，每天供应早餐和午餐。\n\n'
            '吃得放心\n\n'
            '食堂的菜单每周更新一次，由营养师根据季节搭\n\n'
            '配，老人吃得满意。')
    assert [block_text(b) for b in normalize_text(text).blocks][-2:] == [
        '吃得放心', '食堂的菜单每周更新一次，由营养师根据季节搭配，老人吃得满意。']


def test_the_statistics_are_loaded_on_first_use_only():
    code = ('import publish.normalize, publish.cli\n'
            'from publish.normalize import textstats\n'
            'assert textstats._table.cache_info().currsize == 0\n'
            'assert textstats.model.cache_info().currsize == 0\n')
    subprocess.run([sys.executable, '-c', code], check=True)


def test_rules_decide_before_the_model():
    # closing punctuation opening the block below decides alone
    assert breaks.rule('他说：“好', '”大家都笑了。', '他说：“好', '”大家都笑了。')[0] is True
    assert breaks.rule('会议结束。', '记者 景静', '会议结束。', '记者 景静')[0] is False
    # a clause cut at a comma is weighed
    assert breaks.rule('会议结束后，', '大家都很满意。', '会议结束后，', '大家都很满意。') is None


def test_a_rule_is_as_sure_as_it_was_right_on_the_training_text():
    right, cases = textstats.model()['rules']['certain join']
    decision = breaks.decide('这是一个很长的句子，讲述了很多事情', '，然后继续讲下去。', 3)
    assert decision.join and decision.confidence == round((right + 1) / (cases + 2), 3)


def test_a_quotation_closed_below_a_sentence_end_is_a_weaker_rule():
    # a quotation over several paragraphs opens each with “ and closes only the
    # last: left open at a sentence end, it is less sure to run on
    inside = breaks.decide('他说：“这件事情我们要做好，还要', '做得更好。”大家都笑了。', 3)
    after = breaks.decide('他说：“这件事情我们要做好。', '还要做得更好。”大家都笑了。', 3)
    assert inside.join and after.join
    right, cases = textstats.model()['rules'][breaks.QUOTE_AFTER_STOP]
    assert after.confidence == round((right + 1) / (cases + 2), 3) < inside.confidence


def test_a_sentence_end_at_the_foot_of_a_column_is_weighed_with_the_page():
    left = '今年以来，全区新建了十二个社区食堂，每天供应早餐和午餐。'
    right = '老人凭卡就餐可以享受八折优惠，很受欢迎。'
    plain = breaks.decide(left, right, 3)
    at_foot = breaks.decide(left, right, 3, fills_line=True, column_foot=True)
    assert any(cue.startswith('the break falls at the foot of a column') for cue in at_foot.cues)
    # more likely a column break than the same break elsewhere on the page
    assert (at_foot.join, at_foot.confidence if at_foot.join else 1 - at_foot.confidence) > \
        (plain.join, plain.confidence if plain.join else 1 - plain.confidence)


def test_a_summary_repeated_in_the_text_is_a_paragraph_of_its_own():
    summary = '■本市今年将新建十所学校，让孩子们就近上学更方便'
    body = '本市今年将新建十所学校，让孩子们就近上学更方便，教育局负责人在会上说。'
    article = breaks.canonical('\n'.join(['新学校', summary, '据介绍，新建学校多在城郊。', body]))
    assert breaks.repeated_above(summary, '据介绍，新建学校多在城郊。', article)
    # the halves of the body's paragraph stand together wherever they stand
    assert not breaks.repeated_above('本市今年将新建十所学', '校，让孩子们', article)
    # too short to tell a repetition from a common phrase
    assert not breaks.repeated_above('新学校', '据介绍', article)
    # widths and spaces do not matter: normalized text reads the same
    assert breaks.canonical('上学 更方便，（一）') == breaks.canonical('上学更方便,(一)')
    right = '据介绍，新建学校多在城郊。'
    plain = breaks.decide(summary, right, 3)
    repeated = breaks.decide(summary, right, 3, repeated=True)
    assert any(cue.startswith(breaks.REPEATED) for cue in repeated.cues)
    assert not repeated.join
    assert repeated.join <= plain.join


def test_normalizing_keeps_a_summary_that_the_text_repeats_apart():
    # read alone, the summary would run on into the paragraph below it
    summary, below = '本市今年将新建十所学校，让孩子们就近上学更方便', '教育局负责人在会上说，新学校秋季开学。'
    assert breaks.decide(summary, below, 3).join
    text = (f'新学校就在家门口\n\n全区的家长都关心孩子上学的事。\n\n{summary}\n\n{below}\n\n'
            f'{summary}，每所学校都有操场和图书馆。新建学校多在城郊。\n')
    blocks = [block_text(b) for b in normalize_text(text).blocks]
    assert blocks[2:4] == [summary, below]


def test_a_subhead_quoted_in_the_text_below_is_a_paragraph_of_its_own():
    # a subhead of eight characters, taken from the paragraph it heads
    subhead = '电网建设惠及各方'
    body = '熟悉电力的人都知道，电网建设惠及各方，也是辛苦活。'
    article = breaks.canonical('\n'.join(['让风点亮灯', '工程进展顺利，工人们很辛苦。', subhead, body]))
    assert breaks.repeated_above(subhead, body, article)
    assert not breaks.repeated_above(subhead[:5], body, article)


SUBHEAD, BELOW = '曾经的鱼塘变成了湿地公园', '村民们在这里散步，看鸟，拍照。'


def test_evidence_against_a_join_is_weighed_only_where_the_text_is_not_sure():
    weak = breaks.decide(SUBHEAD, BELOW, 3)
    assert weak.join and not breaks.surely_joins(weak)
    for page in ({'short_of_line': True}, {'no_column_seen': True}):
        kept = breaks.decide(SUBHEAD, BELOW, 3, **page)
        assert not kept.join
    assert any(cue.startswith(breaks.SHORT_OF_LINE) for cue in breaks.decide(SUBHEAD, BELOW, 3, short_of_line=True).cues)
    # a word across the break: the text is sure, and the page is not weighed
    left, right = '社区食堂每天供应早餐和午餐，老人凭卡就餐可以享', '受八折优惠。'
    sure = breaks.decide(left, right, 3)
    assert breaks.surely_joins(sure)
    assert breaks.decide(left, right, 3, short_of_line=True, no_column_seen=True) == sure


def test_subheads_are_blocks_like_other_blocks_of_the_article():
    blocks = ['社区食堂开进老小区', '今年以来，区里开办了社区食堂。', '让老人吃得放心', '菜单每周更新一次。',
              '送餐上门', '下一步还将开通送餐服务，', '打个电话就能订餐。']
    # the headline is above the running text; a block after a comma is no subhead
    flags = breaks.subheads(blocks)
    assert flags == [False, False, True, False, True, False, False]
    assert breaks.others(flags, 2, 3) and breaks.others(flags, 4, 5)
    assert not breaks.others(breaks.subheads(blocks[:4]), 2, 3)
    assert not breaks.heading_like('下一步还将开通送餐服务，')
    # the fitted model has learned it as evidence of a paragraph end
    assert textstats.model()['inside a sentence']['weights'][breaks.OTHER_HEADINGS] < 0
    one = breaks.decide(SUBHEAD, BELOW, 3)
    many = breaks.decide(SUBHEAD, BELOW, 3, other_headings=True)
    assert any(cue.startswith(breaks.OTHER_HEADINGS) for cue in many.cues)
    assert one.join and not many.join


_FOOD = '社区食堂每天供应早餐和午餐老人凭卡就餐可以享受八折优惠大家都说办得好街道还请来营养师调配菜谱'


def _with_column_breaks(lengths: list[int]) -> str:
    """An article with a paragraph cut by a column after each of ``lengths``
    characters (a certain break: the block below opens with a comma), then a
    subhead that the text alone would run on into the paragraph below."""
    blocks = ['湿地公园里的新生活']
    for length in lengths:
        blocks += [_FOOD[:length], '，很受欢迎。']
    return '\n\n'.join([*blocks, SUBHEAD, BELOW]) + '\n'


def _texts(text: str) -> list[str]:
    return [block_text(b) for b in normalize_text(text).blocks]


def test_a_subhead_ending_part_way_through_a_line_of_the_grid_stands_alone():
    # 14, 30 and 46 characters, each with the indent, fill lines of 16: a
    # column ends only at a line's end, and the subhead (14 cells) does not
    on_grid = _texts(_with_column_breaks([14, 30, 46]))
    assert on_grid[-2:] == [SUBHEAD, BELOW]
    decision = next(d for d in normalize_text(_with_column_breaks([14, 30, 46])).decisions
                    if d.left.endswith(SUBHEAD[-4:]))
    assert any(cue.startswith(breaks.SHORT_OF_LINE) for cue in decision.cues)
    assert _texts('\n\n'.join(on_grid) + '\n') == on_grid
    # breaks that agree on no width: the text decides alone, and runs on
    assert _texts(_with_column_breaks([14, 31, 46]))[-1] == SUBHEAD + BELOW


def test_a_source_with_no_sure_column_break_reads_as_paragraphs():
    # the same weak join is taken where a certain column break shows that
    # the source was cut into columns, and not where none does
    assert _texts(_with_column_breaks([14]))[-1] == SUBHEAD + BELOW
    alone = normalize_text(_with_column_breaks([]))
    assert [block_text(b) for b in alone.blocks][-2:] == [SUBHEAD, BELOW]
    assert any(cue.startswith(breaks.NO_COLUMN_SEEN) for d in alone.decisions for cue in d.cues)


def test_a_source_turned_to_ascii_is_read_as_copied_off_a_page():
    # normalized text never has ASCII punctuation that the repair widens: a
    # source that has it was copied off a page, and a weak join is taken
    # there without a sure column break beside it
    turned = _with_column_breaks([]).replace('，', ',')
    assert _texts(turned)[-1] == SUBHEAD + BELOW
    assert not any(cue.startswith(breaks.NO_COLUMN_SEEN)
                   for d in normalize_text(turned).decisions for cue in d.cues)
    # and what it gives, read again, keeps its paragraphs
    assert _texts('\n\n'.join(_texts(turned)) + '\n') == _texts(turned)
