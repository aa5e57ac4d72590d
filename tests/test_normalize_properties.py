"""Properties of the normalizer (hypothesis):

(a) it never drops, adds or reorders a non-space character, except the width
    of ，；：？！（） and the characters cleaning removes (zero-width, control);
(b) normalizing its own text output changes nothing.

The generator never produces '-', since an English hyphen at a column break
may rightly be removed.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from publish.model import block_text
from publish.normalize import normalize_text
from publish.normalize.clean import IGNORABLE

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / 'seeds' / '000_f1de1b68b16b5b86.txt'

FOLD = str.maketrans('，；：？！（）', ',;:?!()')
# Derandomized: the suite sees the same 200 examples every run, so a red run
# means a change in the code, not luck.  To hunt, run with more and random
# examples: HUNT=5000 pytest tests/test_normalize_properties.py
_HUNT = int(os.environ.get('HUNT', '0') or 0)
SETTINGS = settings(max_examples=_HUNT or 200, deadline=None, derandomize=not _HUNT, database=None,
                    suppress_health_check=[HealthCheck.too_slow])


def output(text: str) -> str:
    """What `publish normalize --format text` prints."""
    return '\n\n'.join(block_text(b) for b in normalize_text(text).blocks) + '\n'


def stream(text: str) -> str:
    """The non-space characters, full-width ，；：？！（） folded to ASCII,
    without what cleaning removes."""
    return re.sub(r'\s', '', IGNORABLE.sub('', text).translate(FOLD))


# ---------------------------------------------------------------- generators

HAN = '党建工作二七区的了是一二三问答记者文图摄编者通讯员会议召开全市发展报告新华社本电北京月日'
LATIN = 'abcxyzABCXYZ0123456789'
PUNCT = ',.;:?!()，。、“”；：？！（）…—《》%'
INVISIBLE = ['\u200b', '\ufeff', '\x07', '\u00ad']
SPACES = [' ', '  ', '\u3000', '\u00a0', '\t']
TOKENS = ['记者 景静', '通讯员 王宁 张明博/文', '胡源浩/图', '李刚 摄', '问：', '答:', '一是', '（一）',
          '第一，', '——编者', '编者按：', '本报北京2月1日电', '新华社北京2月1日电 ', '图为', '1,434,321',
          '10:30', '3.5', '1+N', '001229.SZ', 'http://a.cn/p?x=1', 'news@example.com', 'Hello, world: fine!',
          '实证研究', '督', '导考评', '的系统性', '“工作体系”']

piece = st.one_of(
    st.text(alphabet=HAN, min_size=1, max_size=8),
    st.text(alphabet=LATIN, min_size=1, max_size=6),
    st.sampled_from(list(PUNCT)),
    st.sampled_from(SPACES),
    st.sampled_from(TOKENS),
)
line = st.lists(piece, min_size=1, max_size=12).map(''.join)
block = st.lists(line, min_size=1, max_size=3).map('\n'.join)
separator = st.sampled_from(['\n\n', '\n\n\n', '\n \n', '\r\n\r\n', '\n\u3000\n'])


def article_of(blocks: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(st.lists(blocks, min_size=1, max_size=8), st.lists(separator, min_size=8, max_size=8),
                     st.sampled_from(['', '\n', '\n\n'])).map(
        lambda t: ''.join(b + s for b, s in zip(t[0], t[1]))[:-2] + t[2])


# random text: any mix of the characters above, newlines and blank lines included
characters = st.lists(st.sampled_from(list(HAN + LATIN + PUNCT) + SPACES + INVISIBLE + ['\n', '\n\n', '\r\n']),
                      min_size=1, max_size=120).map(''.join)
random_text = st.one_of(characters, article_of(block))


def nonblank(text: str) -> bool:
    return bool(IGNORABLE.sub('', text).strip())


# ---------------------------------------------------------------- (a) nothing lost, added or reordered

@SETTINGS
@given(random_text.filter(nonblank))
@example('二七区建立责任落实、工作推进、督\n\n导考评“三项机制”')
@example(',,')
@example('党\n,')
def test_every_non_space_character_is_kept_in_order(text):
    assert stream(output(text)) == stream(text)


@SETTINGS
@given(random_text.filter(nonblank), st.frozensets(st.integers(1, 40)), st.frozensets(st.integers(1, 40)))
def test_forced_joins_and_breaks_keep_every_character(text, join, break_):
    blocks = normalize_text(text, force_join=join, force_break=break_).blocks
    out = '\n\n'.join(block_text(b) for b in blocks)
    assert stream(out) == stream(text)


def test_only_a_hyphen_at_a_break_may_go():
    text = 'We need infor-\n\nmation, and information is power.'
    blocks = normalize_text(text, force_join=frozenset({2})).blocks
    out = '\n\n'.join(block_text(b) for b in blocks)
    assert out == 'We need information, and information is power.'
    assert stream(out) == stream(text).replace('-', '', 1)


# ---------------------------------------------------------------- (b) idempotence

@SETTINGS
@given(random_text.filter(nonblank))
@example(',,')
@example('党,,')
@example('党\n\n,')
@example('?，党党党一\n\n二')
# printed lines: a paragraph end read off a short line, where the text read as
# paragraphs runs on
@example('一\n' + '一' * 20 + '\n一\n\n' + '一' * 18 + '\n' + '一' * 20 + '\n,\n\n一\n一')
# a grid keeps a break the text joins weakly; normalized again, that weak
# join, taken first, made the break below a sure one
@example('一一一一一一一一一00“一一\n\n一七一一一一一一0000000000？一一一一\n\n'
         '一一一一一一一一一一一一一一一一一一一一一一一一一一一一一一\n一一一一一一一一一\n\n'
         '一一一一一一0000000000000000（一）一\n\n一一一一')
# a headline line left as printed joined to a block that opens with an ASCII
# comma: the comma, once it stands after the headline's text, is widened
@example('一一一一一一一一一一一一一一\n一一一一一一一一一（一）\n一是\n\n,0\n'
         '一一一一一一一一一一一一一一\n一\n\n一\n？')
# a block that opens with a question mark finishes the sentence of the block
# above it, so it belongs to the body and not to the headline area
@example('一' * 18 + '(\n' + '一' * 42 + '\n\n（一）\n\n?')
# a headline line with full-width marks joined into the running text below
# says nothing of how the headline lines above it were copied
@example('一\n' + '一' * 18 + '(\n' + '一' * 41 + '\n\n（一）一\n\n一?')
# the comma of a number in a headline line shows no conversion, alone or
# joined to the line below
@example('1,434,321\n一)\n\n（一\n\n问：？')
# a headline block's lines, one kept as printed and one turned to ASCII,
# are read together as the repair gives them
@example('（一）\n\n一(\n0,\n\n一？')
@example('一\n\n)\n,\n\n一，\n\n一\n\nhttp://a.cn/p?x=1')
# a headline line joined to a block that shows a conversion to ASCII is
# read, as the paragraph it is in, as turned to ASCII too
@example('一(0\n\n,\n\n一，\n\nHello, world: fine!')
# whether a headline line was joined into the running text is read off the
# joins the repair makes, after it has seen whether the source shows a sure
# column break
@example('一\n)\n\n(0?通讯员 王宁 张明博/文\n一\n\n一\n一一一一一一一一一一\n一\n\n一一一一一一一一一一一一\n一')
def test_normalizing_normalized_text_changes_nothing(text):
    once = output(text)
    assert output(once) == once


def _fixtures() -> list[str]:
    texts = [SEED.read_text(encoding='utf-8')]
    texts += [
        '二七区建立责任落实、工作推进、督\n\n导考评“三项机制”，形成了管党治党体系。',
        '不断提高党建标准化理论研究、实证研究\n\n的系统性、指导性、针对性和实践性。',
        '庆七一 颂党恩 砥砺前行\n\n庆祝建党97周年，二七区总结成绩 “三个一”构建党建大格局\n\n'
        '为向建党97周年献礼，二七区召开大会。会议颁奖。',
        '奋力书写新时代答卷——\n\n二七区推进基层党建工作纪实\n\n记者深入基层一线调查采访\n\n'
        '本报北京2月1日电（记者 李刚）今天召开大会，会议颁奖。',
        '标题\n\n特约记者 李 刚\n实习生 王小明\n本报记者 张三 李四\n\n正文开始了，大家都来了。',
        '会议开始了，很多人参加。\n\n一是形成了一个责任明的“工作体系”二七区牢固树立理念，坚持抓好党建。\n\n'
        '二是突出标准化改造，建强基层战斗堡垒 以构建党建标准化指标体系为方向，不断提高水平。\n\n'
        '（一）坚持党的领导 各级党组织要发挥作用，推动工作落实。\n\n第二， 完善制度，推动工作落实。',
        '大会召开\n\n会议开始了，很多人参加。\n\n加强基层组织建设\n\n图为会议现场。\n\n'
        '今年以来，二七区多措并举推进工作，取得了新的成效。——编者',
        '报告指出，信息技术（英文 infor-\n\nmation technology）正在改变世界，information 一词很常见。',
        '我们,你们;他们:大家?好!(是的) 网址https://example.com/a?b=1,欢迎访问 共1,434,321人',
        '\u3000\u3000会议\u200b开始了，很多\u00a0\u00a0人参加。\r\n\r\n\u3000\u3000会议要求继续努力。\r\n',
    ]
    return texts


@pytest.mark.parametrize('text', _fixtures(), ids=lambda t: t[:12])
def test_fixtures_are_fixed_points(text):
    once = output(text)
    assert output(once) == once
    if '-\n\n' in text:          # a hyphen at a break may go
        assert stream(once).replace('-', '') == stream(text).replace('-', '')
    else:
        assert stream(once) == stream(text)


# Cases on which an earlier version decided a break differently on its own
# output: cues read off one line of a block, brackets compared by width.
ONCE_NOT_IDEMPOTENT = [
    pytest.param('?(\n党\n\n党?', id='bracket-on-an-earlier-line-of-the-block'),
    pytest.param('(一\n\n一）', id='mixed-width-brackets'),
    pytest.param('会议指出(包括\n\n基层组织）要发挥作用。', id='mixed-width-brackets-sentence'),
]


@pytest.mark.parametrize('text', ONCE_NOT_IDEMPOTENT)
def test_cases_once_not_idempotent_are_fixed_points(text):
    once = output(text)
    assert output(once) == once


@SETTINGS
@given(st.text())
def test_han_count_counts_what_is_han_accepts(text):
    from publish.normalize.chars import han_count, is_han
    assert han_count(text) == sum(1 for ch in text if is_han(ch))
