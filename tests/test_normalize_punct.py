"""Punctuation width (GB/T 15834-2011): ，；：？！（） full-width in Chinese text,
ASCII where it belongs (numbers, codes, URLs, e-mail, Latin text)."""
from __future__ import annotations

import pytest

from publish.model import block_text
from publish.normalize import normalize_text
from publish.normalize.punct import turned_to_ascii, widen


@pytest.mark.parametrize('source, expected', [
    ('我们,你们', '我们，你们'),
    ('第一;第二', '第一；第二'),
    ('他说:好', '他说：好'),
    ('怎么样?', '怎么样？'),
    ('太好了!', '太好了！'),
    ('18个镇(街道)干部', '18个镇（街道）干部'),
    ('我们,你们;他们:大家?好!(是的)', '我们，你们；他们：大家？好！（是的）'),
    ('问:党建成绩怎么样?', '问：党建成绩怎么样？'),
    ('他说,“好!”', '他说，“好！”'),
    ('“好”,他说', '“好”，他说'),
    ('这是(Beta)版本', '这是（Beta）版本'),
    ('村(社区)“两委”', '村（社区）“两委”'),
    ('（注:见下文）', '（注：见下文）'),
    ('时间是10:30,地点在北京', '时间是10:30，地点在北京'),
    ('网址https://example.com/a?b=1,欢迎访问', '网址https://example.com/a?b=1，欢迎访问'),
])
def test_widened_in_chinese(source, expected):
    assert widen(source) == expected


@pytest.mark.parametrize('text', [
    '增长3.5个百分点',
    '共1,434,321人参加',
    '上午10:30开会',
    '比分3:2',
    '实施“1+N”多元正向激励',
    '股票代码001229.SZ',
    '访问 https://example.com/a?b=1 了解详情',
    '访问https://example.com/a?b=1',
    'https://example.com/a?b=1',
    '地址 http://example.com/path;param?q=a:b,c!d 见附件',
    '来信请寄 news.desk+cn@example.com 编辑部',
    'news.desk+cn@example.com',
    'Hello, world: fine!',
    'Is it (really) fine? Yes; it is!',
    '他用英文写道"Hello, world: fine!"，大家都笑了。',
    'A,B,C',
    '。，；：？！（）',
])
def test_ascii_kept_where_it_belongs(text):
    assert widen(text) == text


def test_latin_run_inside_chinese_keeps_its_marks():
    out = widen('他说 Hello, world: fine 然后走了')
    assert 'Hello, world: fine' in out


def test_number_separators_kept_around_chinese_punctuation():
    assert widen('共有1,434,321人,比去年增长3.5%') == '共有1,434,321人，比去年增长3.5%'


def test_spaces_are_not_removed():
    assert widen('中文 , 空格') == '中文 ， 空格'
    assert widen('问 : 党建成绩怎么样 ?') == '问 ： 党建成绩怎么样 ？'
    assert widen('  前后 有空格  ') == '  前后 有空格  '


def test_a_mark_at_the_start_of_the_text():
    # nothing before it: only the text after it can say it is Chinese
    assert widen(',,') == ',,'
    assert widen(',中文') == '，中文'


def test_runs_of_marks_are_widened_together():
    assert widen('党,,') == '党，，'
    assert widen('真的吗?!') == '真的吗？！'


@pytest.mark.parametrize('text', [
    '我们,你们;他们:大家?好!(是的)', '党,,', '共1,434,321人,比去年增长3.5%',
    '网址https://example.com/a?b=1,欢迎访问', '他说 Hello, world: fine 然后走了', '(一)基本原则',
])
def test_widen_is_idempotent(text):
    once = widen(text)
    assert widen(once) == once


def test_length_and_letters_unchanged():
    text = '我们,你们;他们:大家?好!(是的) Hello, world: 10:30 1,434,321 https://example.com/a?b=1'
    out = widen(text)
    assert len(out) == len(text)
    fold = str.maketrans('，；：？！（）', ',;:?!()')
    assert out.translate(fold) == text


def test_normalizer_widens_punctuation_in_the_article():
    text = '为向建党97周年献礼,6月29日下午3时,全区18个镇(街道)干部参加了会议?\n'
    [block] = normalize_text(text).blocks
    assert block_text(block) == '为向建党97周年献礼，6月29日下午3时，全区18个镇（街道）干部参加了会议？'


def test_punctuation_across_a_line_of_the_same_block():
    # a mark opening the second line of a block punctuates the Chinese above it
    [block] = normalize_text('党建工作\n,取得新成效').blocks
    assert '，' in block_text(block) and ',' not in block_text(block)


def test_a_block_with_full_width_marks_was_not_turned_into_ascii():
    # the headline kept its full-width comma: its ASCII brackets are as printed;
    # the body below, all ASCII, is widened
    text = '有了灯光，也要留住星光(域外听风)\n\n瑞士的城镇化率并不算高,很多国家在工业革命后(19世纪)发展。\n'
    head, body = (block_text(b) for b in normalize_text(text).blocks)
    assert head == '有了灯光，也要留住星光(域外听风)'
    assert body == '瑞士的城镇化率并不算高，很多国家在工业革命后（19世纪）发展。'


def test_the_rule_holds_line_by_line():
    # two lines of one block: only the one with a full-width mark is as printed
    text = ''.join(block_text(b) for b in normalize_text('问：你好吗\n答:很好\n').blocks)
    assert '答：很好' in text
    text = ''.join(block_text(b) for b in normalize_text('有了灯光，也要留住星光(域外听风)\n(一)瑞士\n').blocks)
    assert '星光(域外听风)' in text and '（一）瑞士' in text


def test_a_mark_at_a_column_break_is_widened_when_neither_half_was_printed_wide():
    # the first half widens its own "!" before the join; the "?" the break
    # left at the start of the second half is widened after it
    text = '磨破嘴皮子还是不行咋办\n\n?“那就让村民到外面的世界去看看!”村党支部副书记马生文说。\n'
    [block] = normalize_text(text).blocks
    assert block_text(block) == '磨破嘴皮子还是不行咋办？“那就让村民到外面的世界去看看！”村党支部副书记马生文说。'


def test_what_stands_as_printed_stays_so_across_joins():
    # a line with full-width marks joined to two blocks below keeps its ASCII
    # brackets as printed
    text = '记者来到村里。本报记者走进山村，看到(记者手记)村里的\n\n变化很大\n\n村民们都很高兴。\n'
    [block] = normalize_text(text).blocks
    assert block_text(block) == '记者来到村里。本报记者走进山村，看到(记者手记)村里的变化很大村民们都很高兴。'
    # and so does a printed line in the middle of a paragraph copied from a PDF
    text = ('追求匠心需要精益求精\n\n'
            '\u3000\u3000近些年来工匠精神成为社会\n热词。从写进报告到列入质量发\n展纲要行动计划可以说工匠精神\n'
            '已是一种共识大家都认同这一点\n而且各地都有体会也都在实践\n\n'
            '里面摸索前进并取得了成效在这\n方面(新春走基层)，各地都有体\n会。\n'
            '\u3000\u3000然而,什么是工匠精神还需\n要进一步破题。\n')
    got = [block_text(b) for b in normalize_text(text).blocks]
    assert got[1].endswith('在这方面(新春走基层)，各地都有体会。') and got[2] == '然而，什么是工匠精神还需要进一步破题。'


def test_a_line_joined_into_the_text_says_nothing_of_the_headline():
    # the second short line is joined into the running text: its ASCII comma
    # shows the text was turned to ASCII, not the headline above it
    text = '探脱贫(人民眼)\n\n走进山村,走近乡亲的\n\n记者来到村里，村民们都很高兴。\n'
    assert [block_text(b) for b in normalize_text(text).blocks] == [
        '探脱贫(人民眼)', '走进山村，走近乡亲的记者来到村里，村民们都很高兴。']


def test_the_headline_lines_are_printed_as_one():
    # one headline line kept its full-width comma: the column name in ASCII
    # brackets on the next is as printed, while the text below was turned
    # into ASCII and is widened
    source = ('走进山村，走近乡亲\n\n岁末年初看变化(新春走基层)\n\n'
              '春节将至,记者来到村里。村民说,日子越过越好。\n')
    got = [block_text(b) for b in normalize_text(source).blocks]
    assert got == ['走进山村，走近乡亲', '岁末年初看变化(新春走基层)', '春节将至，记者来到村里。村民说，日子越过越好。']
    # without a full-width mark in the headline lines, the brackets are widened
    plain = source.replace('，', ',')
    assert [block_text(b) for b in normalize_text(plain).blocks][1] == '岁末年初看变化（新春走基层）'


def test_headline_brackets_alone_say_nothing_of_a_conversion():
    # ASCII brackets around a column name are printed so in headlines; with no
    # ASCII comma or stop in the headline lines, nothing shows they were
    # turned into ASCII, and they stay as printed while the text is widened
    source = ('走进山村看变化\n\n岁末年初看变化(新春走基层)\n\n'
              '春节将至,记者来到村里。村民说,日子越过越好(真的)。\n')
    got = [block_text(b) for b in normalize_text(source).blocks]
    assert got == ['走进山村看变化', '岁末年初看变化(新春走基层)', '春节将至，记者来到村里。村民说，日子越过越好（真的）。']
    # a long note above the text is no headline: its brackets are widened
    note = '(' + '根据第十届全国人民代表大会常务委员会第十八次会议的决定修正' * 3 + ')'
    got = [block_text(b) for b in normalize_text(note + '\n\n' + source).blocks]
    assert got[0] == '（' + note[1:-1] + '）'


def test_a_number_url_or_address_shows_no_conversion():
    assert not turned_to_ascii('共1,434,321人(截至10:30)，见https://a.cn/p?x=1或news@example.com')
    assert turned_to_ascii('走进山村,走近乡亲') and turned_to_ascii(',0')
    # a headline line with a number's comma keeps its column name in ASCII
    # brackets as printed, when another headline line kept its full-width marks
    source = '走进山村，走近乡亲\n\n1,434,321人看变化(新春走基层)\n\n春节将至,记者来到村里。\n'
    assert [block_text(b) for b in normalize_text(source).blocks][1] == '1,434,321人看变化(新春走基层)'


def test_headline_brackets_in_lines_copied_from_a_pdf():
    # the same in printed lines copied from a PDF (no blank lines, indents kept)
    source = ('追求匠心需要精益求精(新春走基层)\n'
              '\u3000\u3000近些年来,工匠精神成为社会\n热词。从写进报告,到列入质\n量发展纲要行动计划,可以说\n'
              '工匠精神已是一种共识。\n'
              '\u3000\u3000然而,什么是工匠精神,还需\n要进一步破题(有待讨论)。\n')
    got = [block_text(b) for b in normalize_text(source).blocks]
    assert got[0] == '追求匠心需要精益求精(新春走基层)'
    assert '，' in got[1] and ',' not in ''.join(got[1:]) and got[-1].endswith('（有待讨论）。')
