"""Column-break repair: every blank line is a paragraph break or a column break.

Small hand-written fixtures, one per cue the issue names; each asserts the
text that comes out, so a wrong join or a wrong keep fails.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from publish.model import Byline, Headline, Paragraph, QAHead, block_text
from publish.normalize import normalize_text
from publish.normalize.blocks import join_pair
from publish.normalize.breaks import join_across

REPO = Path(__file__).resolve().parent.parent


def texts(text: str, **overrides) -> list[str]:
    return [block_text(b) for b in normalize_text(text, **overrides).blocks]


def decision_at(text: str, line: int, **overrides):
    [d] = [d for d in normalize_text(text, **overrides).decisions if d.line == line]
    return d


BODY = '二七区召开庆祝大会，全区领导干部参加了会议。'


# ---------------------------------------------------------------- column breaks

def test_column_break_inside_a_word_is_joined():
    text = '二七区建立责任落实、工作推进、督\n\n导考评“三项机制”，形成了管党治党体系。'
    assert texts(text) == ['二七区建立责任落实、工作推进、督导考评“三项机制”，形成了管党治党体系。']
    d = decision_at(text, 2)
    assert d.join and not d.forced and d.confidence > 0.5


def test_column_break_between_words_is_joined():
    text = '不断提高党建标准化理论研究、实证研究\n\n的系统性、指导性、针对性和实践性。'
    assert texts(text) == ['不断提高党建标准化理论研究、实证研究的系统性、指导性、针对性和实践性。']


def test_block_opening_with_closing_punctuation_continues_the_paragraph():
    text = '这是一个很长的句子，讲述了很多事情\n\n，然后继续讲下去。'
    assert texts(text) == ['这是一个很长的句子，讲述了很多事情，然后继续讲下去。']
    # even after a full stop: a block cannot open with “”” or “）”
    text = '他说：“我们一定会做好这项工作。\n\n”会议随后结束，大家都很满意。'
    assert texts(text) == ['他说：“我们一定会做好这项工作。”会议随后结束，大家都很满意。']


def test_dash_after_running_text_that_stops_on_a_word_continues_the_sentence():
    text = BODY + '\n\n去年全区新增就业岗位两万个。住房\n\n——住房保障实现全覆盖，公租房分配更加公平。'
    assert texts(text)[1:] == ['去年全区新增就业岗位两万个。住房——住房保障实现全覆盖，公租房分配更加公平。']


@pytest.mark.parametrize('above, below', [
    ('去年全区新增就业岗位两万个，再就业人数创新高。', '——住房保障实现全覆盖，公租房分配更加公平。'),
    ('（二）基本原则', '——公平公正。坚持对各类所有制企业一视同仁。'),
    ('今年以来成效明显。主要任务包括', '——持续推进改革，不断深化开放。'),
    ('一代天骄，成吉思汗。惜秦皇汉武，略输文采', '——毛泽东《沁园春·雪》'),
])
def test_dash_item_or_signature_is_kept(above, below):
    assert texts(BODY + '\n\n' + above + '\n\n' + below)[1:] == [above, below]


def test_clause_with_disposal_marker_but_no_verb_yet_is_joined():
    text = BODY + '\n\n有的网站却不顾事实，将这所职业学校\n\n歪曲为“培训营”。'
    assert texts(text)[1:] == ['有的网站却不顾事实，将这所职业学校歪曲为“培训营”。']
    assert any('把/将/被/据 but not its verb' in cue for cue in decision_at(text, 4).cues)


def test_a_source_introduced_by_ju_waits_for_its_verb():
    # 据 + the source, and the verb (统计, 报道 …) below
    text = BODY + '\n\n去年我国进出口总值创新高，据海关总署\n\n统计，全年进出口总值增长一成。'
    assert any('把/将/被/据 but not its verb' in cue for cue in decision_at(text, 4).cues)
    assert not any('据' in cue for cue in decision_at(BODY + '\n\n据了解，全区经济\n\n运行总体平稳。', 4).cues)


def test_a_block_ending_in_a_semicolon_is_weighed_as_a_list_item():
    # the items of a list are paragraphs that end with ；
    items = ['城乡居民收入增长百分之八；', '“全区新增就业岗位一万个”，超过年初目标；', '粮食总产量再创新高。']
    assert texts(BODY + '\n\n' + '\n\n'.join(items))[1:] == items
    assert any(cue.startswith('ends with a semicolon') for cue in decision_at(BODY + '\n\n' + '\n\n'.join(items), 4).cues)


@pytest.mark.parametrize('above', ['今年形势将更加严峻。今年前三季度', '全年粮食产量将再创新高'])
def test_will_is_not_the_disposal_marker(above):
    # 将 before an adverb is "will": nothing waits for a verb
    text = BODY + '\n\n' + above + '\n\n全区经济运行总体平稳。'
    assert not any('把/将/被' in cue for cue in decision_at(text, 4).cues)


def test_joined_break_keeps_every_character_in_order():
    text = '全区广大干部群众上下一心、开拓创新，营造了“政通人和、风清气正、奋\n\n发有为”的良好氛围。'
    assert texts(text) == ['全区广大干部群众上下一心、开拓创新，营造了“政通人和、风清气正、奋发有为”的良好氛围。']


def test_paragraph_after_a_sentence_end_is_kept():
    text = '第一段已经结束了，会议取得圆满成功。\n\n第二段开始了新的内容，大家认真学习。'
    assert texts(text) == ['第一段已经结束了，会议取得圆满成功。', '第二段开始了新的内容，大家认真学习。']
    assert not decision_at(text, 2).join


def test_paragraph_after_a_question_or_exclamation_is_kept():
    text = '具体做法是什么？\n\n二七区用实际行动给出答案，成绩有目共睹！\n\n全区干部备受鼓舞，纷纷表示要再接再厉。'
    assert len(texts(text)) == 3


def test_headline_is_kept_above_the_paragraph():
    text = '二七区召开庆祝建党97周年大会\n\n全区领导干部参加了会议，会议对先进基层党组织颁奖。'
    blocks = normalize_text(text).blocks
    assert [block_text(b) for b in blocks] == ['二七区召开庆祝建党97周年大会',
                                               '全区领导干部参加了会议，会议对先进基层党组织颁奖。']
    assert isinstance(blocks[0], Headline) and isinstance(blocks[1], Paragraph)
    assert not decision_at(text, 2).join


def test_byline_is_kept():
    text = ('二七区召开大会\n\n'
            '会议对先进基层党组织、优秀共产党员颁奖，全区领导干部参加\n\n'
            '记者 景静\n通讯员 王宁 张明博/文\n\n'
            '会议要求，全区上下要继续努力，推动工作再上新台阶。')
    out = normalize_text(text).blocks
    assert [block_text(b) for b in out] == [
        '二七区召开大会',
        '会议对先进基层党组织、优秀共产党员颁奖，全区领导干部参加',
        '记者 景静\n通讯员 王宁 张明博/文',
        '会议要求，全区上下要继续努力，推动工作再上新台阶。']
    assert isinstance(out[2], Byline)
    # neither the break above the byline nor the one below it is joined
    assert not decision_at(text, 4).join and not decision_at(text, 7).join


def test_qa_heads_are_kept():
    text = ('会议对先进基层党组织颁奖，全区领导干部参加了会议。\n\n'
            '问：党建成绩怎么样\n\n'
            '答：做了“三个一”\n\n'
            '在全市大会上，二七区荣获“全市党建工作先进单位”称号。')
    out = normalize_text(text).blocks
    assert [block_text(b) for b in out] == [
        '会议对先进基层党组织颁奖，全区领导干部参加了会议。',
        '问：党建成绩怎么样', '答：做了“三个一”',
        '在全市大会上，二七区荣获“全市党建工作先进单位”称号。']
    assert isinstance(out[1], QAHead) and isinstance(out[2], QAHead)


def test_qa_head_after_an_unfinished_block_is_kept():
    # the block above does not end a sentence, yet a Q&A head cannot continue it
    text = '记者就此采访了区委书记，请他谈谈下一步的打算\n\n问：如何持续深化行动？\n\n答：做好“五个突出”'
    assert texts(text) == ['记者就此采访了区委书记，请他谈谈下一步的打算',
                           '问：如何持续深化行动？', '答：做好“五个突出”']


@pytest.mark.parametrize('head', ['一是', '（一）', '第一，', '二、'])
def test_enumerated_heads_are_kept(head):
    text = (f'区委坚持选人用人与严格管理相统一，围绕激励担当作为，坚持德才兼备\n\n'
            f'{head}突出标准化改造，不断提高党建标准化理论研究水平。')
    assert texts(text) == ['区委坚持选人用人与严格管理相统一，围绕激励担当作为，坚持德才兼备',
                           f'{head}突出标准化改造，不断提高党建标准化理论研究水平。']


def test_enumerated_paragraphs_each_kept():
    text = ('二七区用“三个一”给出答案。\n\n'
            '一是形成了一个工作体系。\n\n'
            '二是抓实了一批工作载体。\n\n'
            '三是开创了一个工作局面。')
    assert len(texts(text)) == 4


def test_more_than_one_blank_line_is_one_break():
    text = '第一段已经结束了，会议取得圆满成功。\n\n\n\n第二段开始了新的内容，大家认真学习。'
    n = normalize_text(text)
    assert [block_text(b) for b in n.blocks] == ['第一段已经结束了，会议取得圆满成功。',
                                                  '第二段开始了新的内容，大家认真学习。']
    assert [d.line for d in n.decisions] == [2]


# ---------------------------------------------------------------- joining rules

def test_no_space_between_cjk_when_joined():
    out = texts('这是一个很长的句子，讲述了很多事情\n\n，然后继续讲下去。')[0]
    assert ' ' not in out


def test_one_space_between_latin_words_when_joined():
    text = '报告指出，学者们（包括 Hello\n\nworld 项目的作者）都在研究，各国都在投入。'
    assert texts(text) == ['报告指出，学者们（包括 Hello world 项目的作者）都在研究，各国都在投入。']


def test_latin_words_on_two_lines_of_one_block_keep_a_space():
    assert texts('一段文字 Hello\nworld 在这里，继续写下去。') == ['一段文字 Hello world 在这里，继续写下去。']


def test_hyphen_removed_when_the_joined_word_occurs_elsewhere():
    text = ('报告指出，信息技术（英文 infor-\n\nmation technology）正在改变世界，'
            'information 一词很常见。')
    assert texts(text) == ['报告指出，信息技术（英文 information technology）正在改变世界，'
                           'information 一词很常见。']


def test_hyphen_kept_when_the_hyphenated_word_occurs_elsewhere():
    text = '报告指出，信息技术（英文 infor-\n\nmation technology）正在改变世界，infor-mation 一词也有人写。'
    assert texts(text) == ['报告指出，信息技术（英文 infor-mation technology）正在改变世界，infor-mation 一词也有人写。']
    text = '报告指出，新的技术（英文 open-\n\nsource）正在改变世界，各国都在投入。'
    assert texts(text) == ['报告指出，新的技术（英文 open-source）正在改变世界，各国都在投入。']


@pytest.mark.parametrize('left, right, whole, joined', [
    ('督', '导考评', '', '督导考评'),
    ('实证研究', '的系统性', '', '实证研究的系统性'),
    ('the quick', 'brown fox', '', 'the quick brown fox'),
    ('版本 2.0', '发布', '', '版本 2.0发布'),
    ('open', '“源码”', '', 'open“源码”'),
    ('ends with space ', 'next', '', 'ends with space next'),
    ('infor-', 'mation', 'we need information', 'information'),
    ('infor-', 'mation', 'nothing here', 'information'),   # a word cut by hyphenation
    ('long-', 'term', 'nothing here', 'long-term'),        # a compound
    ('Infor-', 'mation', 'INFORMATION', 'Information'),
    ('co-', 'operate', 'a cooperative', 'co-operate'),   # "cooperate" itself never occurs
])
def test_join_across(left, right, whole, joined):
    assert join_across(left, right, whole + ' ' + left + '\n\n' + right) == joined


def test_join_pair_spacing():
    assert join_pair('中文', 'text') == '中文text'
    assert join_pair('text', '中文') == 'text中文'
    assert join_pair('word', 'word') == 'word word'
    assert join_pair('3', '5') == '3 5'
    assert join_pair('', 'x') == 'x'


# ---------------------------------------------------------------- sidecar overrides

def test_forced_join_by_blank_line_and_by_line_below():
    text = '第一段已经结束了，会议取得圆满成功。\n\n第二段开始了新的内容，大家认真学习。'
    merged = ['第一段已经结束了，会议取得圆满成功。第二段开始了新的内容，大家认真学习。']
    for line in (2, 3):
        n = normalize_text(text, force_join=frozenset({line}))
        assert [block_text(b) for b in n.blocks] == merged
        [d] = n.decisions
        assert d.join and d.forced and d.confidence == 1.0
        assert any('sidecar' in cue for cue in d.cues)


def test_forced_break():
    text = '二七区建立责任落实、工作推进、督\n\n导考评“三项机制”，形成了管党治党体系。'
    for line in (2, 3):
        n = normalize_text(text, force_break=frozenset({line}))
        assert [block_text(b) for b in n.blocks] == ['二七区建立责任落实、工作推进、督',
                                                      '导考评“三项机制”，形成了管党治党体系。']
        [d] = n.decisions
        assert not d.join and d.forced


def test_force_elsewhere_changes_nothing():
    text = '二七区建立责任落实、工作推进、督\n\n导考评“三项机制”，形成了管党治党体系。'
    assert texts(text, force_break=frozenset({1, 4, 99})) == texts(text)


def test_forced_join_of_latin_words():
    text = 'Hello\n\nworld'
    assert texts(text, force_join=frozenset({2})) == ['Hello world']


# ---------------------------------------------------------------- --explain

def _run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ('LC_ALL', 'LC_MESSAGES', 'LANGUAGE')}
    env['LANG'] = 'C.UTF-8'
    return subprocess.run([sys.executable, '-m', 'publish.cli', *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


EXPLAIN_FIXTURE = ('二七区召开大会\n'
                   '\n'
                   '记者 景静\n'
                   '\n'
                   '二七区建立责任落实、工作推进、督\n'
                   '\n'
                   '导考评“三项机制”，形成了管党治党体系。\n'
                   '\n'
                   '\n'
                   '问：党建成绩怎么样？\n'
                   '\n'
                   '答：做了“三个一”\n')


def test_explain_lists_every_blank_line_with_its_decision_and_cues(tmp_path):
    (tmp_path / 'seeds').mkdir()
    src = tmp_path / 'seeds' / 'a.txt'
    src.write_text(EXPLAIN_FIXTURE, encoding='utf-8')
    plain = _run_cli('normalize', 'seeds/a.txt', cwd=tmp_path)
    result = _run_cli('normalize', 'seeds/a.txt', '--explain', cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == plain.stdout            # the explanation does not change the article
    assert 'Traceback' not in result.stderr
    heads: list[str] = []
    cues: dict[str, list[str]] = {}
    for line in result.stderr.splitlines():
        if line.startswith(' '):
            assert heads, 'a cue before any decision'
            cues.setdefault(heads[-1], []).append(line.strip())
        else:
            heads.append(line)
    found = []
    for head in heads:
        m = re.match(r'^seeds/a\.txt:(\d+): (joined|kept) +(0\.\d+|1\.00)\b', head)
        assert m, head
        found.append((int(m.group(1)), m.group(2)))
        assert 0.5 <= float(m.group(3)) <= 1.0
        assert cues.get(head), f'no cue listed for {head}'
    # one entry per run of blank lines in the source (lines 2, 4, 6, 8–9, 11)
    assert found == [(2, 'kept'), (4, 'kept'), (6, 'joined'), (8, 'kept'), (11, 'kept')]
    assert '督¦导考评' in result.stderr


def test_explain_reports_a_forced_decision(tmp_path):
    (tmp_path / 'seeds').mkdir()
    (tmp_path / 'seeds' / 'a.txt').write_text(EXPLAIN_FIXTURE, encoding='utf-8')
    (tmp_path / 'seeds' / 'a.yaml').write_text('break: [6]\n', encoding='utf-8')
    result = _run_cli('normalize', 'seeds/a.txt', '--explain', cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert re.search(r'^seeds/a\.txt:6: kept +1\.00', result.stderr, re.M)
    assert 'sidecar' in result.stderr
    assert '二七区建立责任落实、工作推进、督\n\n导考评' in result.stdout


def test_a_word_cut_by_hyphenation_is_joined_and_a_compound_keeps_its_hyphen():
    text = ('报告指出，各类社会组织（英文 social organi-\n\nzations）和 public ser-\n\nvices 都在增加，'
            '这是 long-\n\nterm 的工作，也是 well-\n\nknown 的事实，各国都在投入。')
    assert texts(text) == ['报告指出，各类社会组织（英文 social organizations）和 public services 都在增加，'
                           '这是 long-term 的工作，也是 well-known 的事实，各国都在投入。']


def test_an_english_column_broken_article_comes_out_whole():
    text = ('Canteens for older residents\n\n'
            'The district opened twelve community canteens this year. Local organi-\n\n'
            'zations run them, and the long-\n\nterm plan adds public ser-\n\n'
            'vices such as meal delivery to the homes of people who cannot walk to the canteen.\n\n'
            'Residents over sixty pay less. A meal costs eight yuan, and the\n\n'
            'canteens are open every day of the week, holidays included.\n\n'
            'Reporter Li Ming\n')
    assert texts(text) == [
        'Canteens for older residents',
        'The district opened twelve community canteens this year. Local organizations run them, and the '
        'long-term plan adds public services such as meal delivery to the homes of people who cannot walk '
        'to the canteen.',
        'Residents over sixty pay less. A meal costs eight yuan, and the canteens are open every day of '
        'the week, holidays included.',
        'Reporter Li Ming']


def test_the_signature_under_a_quotation_stands_alone():
    # a quotation, the line naming who said it, then the text goes on
    text = ('“绿水青山就是金山银山。”\n\n——王建国\n\n'
            '同志们在会上认真讨论了这个问题，大家都很受启发。\n')
    assert [block_text(b) for b in normalize_text(text).blocks][1] == '——王建国'
    # a dash list item cut by a column is no signature: it runs on
    text = ('会议提出了三项要求。\n\n——坚持推进\n\n'
            '改革开放，推动经济高质量发展。\n')
    assert [block_text(b) for b in normalize_text(text).blocks][1] == '——坚持推进改革开放，推动经济高质量发展。'


def test_a_section_number_and_a_column_label_stand_alone():
    text = ('老人们说，住在山里的人，能不快乐长寿？\n\n三\n\n绝壁千仞，空谷幽深，云雾缭绕的山间住着几户人家。\n\n'
            '本版数据来源：区统计局\n\n·广告·\n\n本店新年特惠，欢迎选购。')
    assert texts(text) == ['老人们说，住在山里的人，能不快乐长寿？', '三',
                           '绝壁千仞，空谷幽深，云雾缭绕的山间住着几户人家。',
                           '本版数据来源：区统计局', '·广告·', '本店新年特惠，欢迎选购。']
    # a name with a middle dot still runs on across a column
    assert texts('记者采访了艾哈迈德·\n\n本·拉希德先生。') == ['记者采访了艾哈迈德·本·拉希德先生。']


def test_a_note_opens_a_paragraph_even_inside_an_open_bracket():
    # the bracket opened with the first note closes after the second: a
    # bracket left open at a sentence end yields to the note below
    first = '（注1：本表所称全年应纳税所得额是指扣除后的余额。'
    second = '注2：非居民个人取得工资、薪金所得，依照本表按月换算后计算应纳税额。）'
    assert texts(f'{first}\n\n{second}') == [first, second]
    # 关|注： is a word cut by the column, not a note
    assert texts('社会各界普遍关\n\n注：这项政策何时落地。') == ['社会各界普遍关注：这项政策何时落地。']
