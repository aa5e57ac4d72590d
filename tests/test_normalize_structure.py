"""Structure recovery: one fixture per structure kind, and the seed article."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from publish.model import (Byline, Caption, Contributor, EditorNote, Headline, Paragraph,
                           QAHead, QAKind, Role, RunIn, Subhead, block_text)
from publish.normalize import normalize_text
from publish.normalize.structure import parse_contributors

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / 'seeds' / '000_f1de1b68b16b5b86.txt'
EXPECTED = Path(__file__).resolve().parent / 'fixtures' / 'seed.expected.txt'

BODY = '会议开始了，全区领导干部参加了会议。'


def blocks(text: str):
    return normalize_text(text).blocks


def roles(block: Headline) -> list[tuple[str, str]]:
    return [(p.role.value, p.text) for p in block.parts]


# ---------------------------------------------------------------- headline area

def test_banner_kicker_and_title_split_at_the_gap():
    out = blocks('庆七一 颂党恩 砥砺前行\n\n'
                 '庆祝建党97周年，二七区总结成绩、部署工作 “三个一”构建党建大格局\n\n'
                 '为向建党97周年献礼，二七区召开大会。会议对先进基层党组织颁奖。')
    assert isinstance(out[0], Headline) and isinstance(out[1], Headline)
    assert roles(out[0]) == [('banner', '庆七一 颂党恩 砥砺前行')]
    assert roles(out[1]) == [('kicker', '庆祝建党97周年，二七区总结成绩、部署工作'),
                             ('title', '“三个一”构建党建大格局')]
    assert isinstance(out[2], Paragraph) and out[2].lead


def test_kicker_title_subtitle_on_three_lines():
    out = blocks('奋力书写新时代答卷——\n\n二七区推进基层党建工作纪实\n\n记者深入基层一线调查采访\n\n' + BODY)
    assert [roles(b) for b in out[:3]] == [[('kicker', '奋力书写新时代答卷——')],
                                           [('title', '二七区推进基层党建工作纪实')],
                                           [('subtitle', '记者深入基层一线调查采访')]]
    assert isinstance(out[3], Paragraph)


def test_title_then_subtitle():
    out = blocks('二七区召开庆祝建党97周年大会\n\n总结成绩 部署工作\n\n' + BODY)
    assert [roles(b) for b in out[:2]] == [[('title', '二七区召开庆祝建党97周年大会')],
                                           [('subtitle', '总结成绩 部署工作')]]


def test_title_with_a_column_tag_is_the_headline():
    out = blocks('坚定信心奋勇前进\n\n把握发展主动权（评论员观察）\n\n' + BODY)
    assert [roles(b) for b in out[:2]] == [[('kicker', '坚定信心奋勇前进')],
                                           [('title', '把握发展主动权（评论员观察）')]]


def test_a_single_headline_line_is_the_title():
    out = blocks('二七区召开大会\n\n' + BODY)
    assert roles(out[0]) == [('title', '二七区召开大会')]


def test_no_headline_area_when_the_text_opens_with_running_text():
    out = blocks(BODY + '\n\n二七区召开大会，会议对先进基层党组织颁奖。')
    assert not any(isinstance(b, Headline) for b in out)
    assert out[0].lead and not out[1].lead


# ---------------------------------------------------------------- lead, dateline

def test_lead_is_the_first_paragraph_only():
    out = blocks('二七区召开大会\n\n记者 景静\n\n' + BODY + '\n\n会议对先进基层党组织颁奖。')
    paragraphs = [b for b in out if isinstance(b, Paragraph)]
    assert [p.lead for p in paragraphs] == [True, False]
    assert paragraphs[0].text == BODY


@pytest.mark.parametrize('source, dateline, separator, body', [
    ('本报北京2月1日电（记者 李刚）今天召开大会，会议颁奖。', '本报北京2月1日电', '',
     '（记者 李刚）今天召开大会，会议颁奖。'),
    ('本报郑州2月1日电 记者从有关部门获悉，今天召开大会。', '本报郑州2月1日电', ' ',
     '记者从有关部门获悉，今天召开大会。'),
    ('新华社北京2月1日电 记者从有关部门获悉，今天召开大会。', '新华社北京2月1日电', ' ',
     '记者从有关部门获悉，今天召开大会。'),
    ('新华社华盛顿1月31日电（记者 王五）美国官员当天表示，会谈取得进展。', '新华社华盛顿1月31日电', '',
     '（记者 王五）美国官员当天表示，会谈取得进展。'),
    ('本报讯 今天下雨了，大家都带了伞。', '本报讯', ' ', '今天下雨了，大家都带了伞。'),
])
def test_dateline(source, dateline, separator, body):
    out = blocks('大会召开\n\n' + source)
    para = out[-1]
    assert isinstance(para, Paragraph)
    assert (para.dateline, para.dateline_separator, para.text) == (dateline, separator, body)
    assert block_text(para) == source
    assert para.lead


@pytest.mark.parametrize('closing', ['（新华社北京1月31日电）', '(本报北京2月16日电)'])
def test_a_closing_dateline_is_body_text_not_a_heading(closing):
    out = blocks(f'标题\n\n{BODY}\n\n{closing}')
    assert isinstance(out[-1], Paragraph) and block_text(out[-1]).endswith('电）')


def test_a_paragraph_merely_mentioning_xinhua_has_no_dateline():
    out = blocks('大会召开\n\n据新华社报道，会议取得圆满成功。')
    assert out[-1].dateline == ''


# ---------------------------------------------------------------- bylines

@pytest.mark.parametrize('lines, expected', [
    (['记者 景静'], [('景静', Role.WRITER, '记者')]),
    (['通讯员 王宁 张明博/文'], [('王宁', Role.WRITER, '通讯员'), ('张明博', Role.WRITER, '通讯员')]),
    (['实习生 王小明'], [('王小明', Role.WRITER, '实习生')]),
    (['特约记者 李 刚'], [('李刚', Role.WRITER, '特约记者')]),
    (['本报记者 张三 李四'], [('张三', Role.WRITER, '记者'), ('李四', Role.WRITER, '记者')]),
    (['本报记者 张三、李四'], [('张三', Role.WRITER, '记者'), ('李四', Role.WRITER, '记者')]),
    (['胡源浩/图'], [('胡源浩', Role.PHOTOGRAPHER, '')]),
    (['王宁/文'], [('王宁', Role.WRITER, '')]),
    (['文/王宁'], [('王宁', Role.WRITER, '')]),
    (['图/胡源浩'], [('胡源浩', Role.PHOTOGRAPHER, '')]),
    (['胡源浩 摄'], [('胡源浩', Role.PHOTOGRAPHER, '')]),
    (['胡源浩摄'], [('胡源浩', Role.PHOTOGRAPHER, '')]),
    (['本报记者 李刚 摄'], [('李刚', Role.PHOTOGRAPHER, '记者')]),
    (['摄影记者 李刚'], [('李刚', Role.PHOTOGRAPHER, '摄影记者')]),
    (['（记者 李刚）'], [('李刚', Role.WRITER, '记者')]),
])
def test_byline_contributors(lines, expected):
    text = '二七区召开大会\n\n' + '\n'.join(lines) + '\n\n' + BODY
    out = blocks(text)
    assert isinstance(out[1], Byline), out[1]
    assert out[1].lines == tuple(lines)
    assert [(c.name, c.role, c.title) for c in out[1].contributors] == expected
    assert isinstance(out[2], Paragraph)


def test_writer_and_photographer_byline():
    out = blocks('二七区召开大会\n\n文/图 李刚\n\n' + BODY)
    assert isinstance(out[1], Byline)
    assert [(c.name, c.role) for c in out[1].contributors] == [('李刚', Role.WRITER), ('李刚', Role.PHOTOGRAPHER)]


def test_writer_and_photographer_contributors():
    assert [(c.name, c.role) for c in parse_contributors(('文/图 李刚',))] == [
        ('李刚', Role.WRITER), ('李刚', Role.PHOTOGRAPHER)]


def test_padded_name_is_closed_up():
    assert parse_contributors(('特约记者 李 刚',)) == (Contributor('李刚', Role.WRITER, '特约记者'),)
    # two three-character names are not glued together
    assert [c.name for c in parse_contributors(('记者 张明博 王小明',))] == ['张明博', '王小明']


def test_multi_line_byline_with_every_role():
    text = ('二七区召开大会\n\n'
            '记者 景静\n'
            '特约记者 李 刚\n'
            '实习生 王小明\n'
            '通讯员 王宁 张明博/文\n'
            '胡源浩/图\n\n' + BODY)
    out = blocks(text)
    assert isinstance(out[1], Byline)
    assert len(out[1].lines) == 5
    assert [(c.name, c.role.marc, c.title) for c in out[1].contributors] == [
        ('景静', 'aut', '记者'), ('李刚', 'aut', '特约记者'), ('王小明', 'aut', '实习生'),
        ('王宁', 'aut', '通讯员'), ('张明博', 'aut', '通讯员'), ('胡源浩', 'pht', '')]


# ---------------------------------------------------------------- Q&A heads

def test_qa_heads():
    out = blocks('二七区召开大会\n\n问：党建成绩怎么样？\n\n答：做了“三个一”\n\n' + BODY)
    assert isinstance(out[1], QAHead) and out[1].kind is QAKind.QUESTION
    assert out[1].text == '问：党建成绩怎么样？'
    assert isinstance(out[2], QAHead) and out[2].kind is QAKind.ANSWER
    assert out[2].text == '答：做了“三个一”'
    assert isinstance(out[3], Paragraph)


def test_qa_head_with_ascii_colon_is_widened():
    out = blocks('二七区召开大会\n\n问:党建成绩怎么样?\n\n' + BODY)
    assert isinstance(out[1], QAHead) and out[1].text == '问：党建成绩怎么样？'


def test_a_long_answer_is_a_paragraph_not_a_head():
    answer = '答：' + '我们坚持党建引领，全区广大干部群众上下一心、开拓创新、砥砺前行，' * 3 + '取得了成效。'
    out = blocks('问：党建成绩怎么样？\n\n' + answer)
    assert isinstance(out[0], QAHead)
    assert not isinstance(out[1], QAHead)
    assert block_text(out[1]) == answer


# ---------------------------------------------------------------- run-in heads

def _run_in(text: str) -> Paragraph:
    out = blocks(BODY + '\n\n' + text)
    para = out[-1]
    assert isinstance(para, Paragraph)
    assert block_text(para) == text          # the split never changes the text
    return para


def test_run_in_head_split_at_the_gap():
    para = _run_in('一是突出标准化改造，建强基层战斗堡垒 以构建党建标准化指标体系为方向，不断提高水平。')
    assert para.run_in == RunIn('一是突出标准化改造，建强基层战斗堡垒', ' ', guessed=False)
    assert para.text == '以构建党建标准化指标体系为方向，不断提高水平。'


def test_run_in_head_without_a_gap_is_a_flagged_guess():
    para = _run_in('一是形成了一个责任明、推进快的“工作体系”二七区牢固树立抓好党建是最大政绩的理念，坚持抓好党建。')
    assert para.run_in == RunIn('一是形成了一个责任明、推进快的“工作体系”', '', guessed=True)
    assert para.text == '二七区牢固树立抓好党建是最大政绩的理念，坚持抓好党建。'


def test_bracketed_enumerator_with_gap():
    para = _run_in('（一）坚持党的领导 各级党组织要发挥作用，推动工作落实。')
    assert para.run_in == RunIn('（一）坚持党的领导', ' ')
    assert para.text == '各级党组织要发挥作用，推动工作落实。'


def test_ordinal_enumerator():
    para = _run_in('第一，加强组织建设，推动工作落实，取得成效。')
    assert para.run_in is not None and para.run_in.text.startswith('第一，')
    assert not para.run_in.guessed


def test_gap_right_after_the_enumerator():
    para = _run_in('第二， 完善制度，推动工作落实，取得成效。')
    assert para.run_in == RunIn('第二，', ' ')
    assert para.text == '完善制度，推动工作落实，取得成效。'


def test_head_ending_with_a_full_stop():
    para = _run_in('一是加强学习。会议要求全体党员认真学习，提高本领。')
    assert para.run_in == RunIn('一是加强学习。', '')
    assert para.text == '会议要求全体党员认真学习，提高本领。'


def test_short_enumerated_line_is_a_subhead():
    out = blocks(BODY + '\n\n（一）基本原则\n\n各级党组织要发挥作用，推动工作落实。')
    assert out[1] == Subhead('（一）基本原则')


def test_plain_paragraph_has_no_run_in():
    assert _run_in('二七区坚持党建引领，全区广大干部群众上下一心。').run_in is None


# ---------------------------------------------------------------- subheads, captions, notes

def test_subhead_between_paragraphs():
    out = blocks('二七区召开大会\n\n' + BODY + '\n\n加强基层组织建设\n\n各级党组织要发挥作用，推动工作落实。')
    assert out[2] == Subhead('加强基层组织建设')
    assert isinstance(out[3], Paragraph)


def test_section_label_is_a_subhead():
    out = blocks('二七区召开大会\n\n' + BODY + '\n\n核心阅读\n\n各级党组织要发挥作用，推动工作落实。')
    assert out[2] == Subhead('核心阅读')


@pytest.mark.parametrize('source, text, credit', [
    ('图为会议现场。 李刚 摄', '图为会议现场。', '李刚 摄'),
    ('图为会议现场。李刚摄', '图为会议现场。', '李刚摄'),
    ('会议现场（新华社发）', '会议现场', '（新华社发）'),
    ('二七区开展主题党日活动（二七区委组织部供图）', '二七区开展主题党日活动', '（二七区委组织部供图）'),
    ('上图：会议现场。', '上图：会议现场。', ''),
    ('图①：会议现场。 王五摄', '图①：会议现场。', '王五摄'),
    ('制图：李刚', '', '制图：李刚'),
])
def test_caption_with_credit(source, text, credit):
    out = blocks('二七区召开大会\n\n' + BODY + '\n\n' + source)
    assert len(out) == 3
    caption = out[2]
    assert isinstance(caption, Caption), caption
    assert (caption.text, caption.credit) == (text, credit)
    assert block_text(caption).replace(' ', '') == source.replace(' ', '')


def test_caption_with_credit_is_kept_above_a_paragraph():
    out = blocks('二七区召开大会\n\n' + BODY + '\n\n图为会议现场。 李刚 摄\n\n各级党组织要发挥作用，推动工作落实。')
    assert out[2] == Caption('图为会议现场。', '李刚 摄')
    assert block_text(out[3]) == '各级党组织要发挥作用，推动工作落实。'


def test_caption_without_credit_is_kept_above_a_paragraph():
    out = blocks('二七区召开大会\n\n' + BODY + '\n\n图为会议现场。\n\n各级党组织要发挥作用，推动工作落实。')
    assert out[2] == Caption('图为会议现场。')
    assert block_text(out[3]) == '各级党组织要发挥作用，推动工作落实。'


@pytest.mark.parametrize('note', [
    '今年以来，二七区多措并举推进基层党建工作，取得了新的成效。——编者',
    '今年以来，二七区多措并举推进工作，取得了新的成效。 ——编 者',
    '编者按：今年以来，二七区多措并举推进工作，取得了新的成效。',
])
def test_editors_note(note):
    out = blocks('二七区召开大会\n\n' + note + '\n\n' + BODY)
    assert out[1] == EditorNote(note)
    assert isinstance(out[2], Paragraph)


# ---------------------------------------------------------------- the seed

def _cli(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ('LC_ALL', 'LC_MESSAGES', 'LANGUAGE')}
    env['LANG'] = 'C.UTF-8'
    return subprocess.run([sys.executable, '-m', 'publish.cli', *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope='module')
def seed_json() -> dict:
    result = _cli('normalize', str(SEED.relative_to(REPO)), '--format', 'json')
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_seed_text_equals_expected_block_for_block():
    result = _cli('normalize', str(SEED.relative_to(REPO)))
    assert result.returncode == 0, result.stderr
    got = result.stdout.rstrip('\n').split('\n\n')
    want = EXPECTED.read_text(encoding='utf-8').rstrip('\n').split('\n\n')
    assert len(got) == len(want) == 20
    for i, (g, w) in enumerate(zip(got, want)):
        assert g == w, f'block {i + 1} differs'
    assert result.stdout == EXPECTED.read_text(encoding='utf-8')


def test_seed_headline(seed_json):
    assert seed_json['headline'] == {
        'banner': '庆七一 颂党恩 砥砺前行',
        'kicker': '庆祝建党97周年，二七区总结成绩、部署工作',
        'title': '“三个一”构建党建大格局，“五个突出”持续深化“基层党建全面提升年”行动',
    }
    first = seed_json['blocks'][:2]
    assert [b['type'] for b in first] == ['headline', 'headline']
    assert [p['role'] for p in first[0]['parts']] == ['banner']
    assert [p['role'] for p in first[1]['parts']] == ['kicker', 'title']


def test_seed_byline(seed_json):
    [byline] = [b for b in seed_json['blocks'] if b['type'] == 'byline']
    assert byline['lines'] == ['记者 景静', '通讯员 王宁 张明博/文', '胡源浩/图']
    people = [(c['name'], c['role']) for c in seed_json['contributors']]
    assert people == [('景静', 'writer'), ('王宁', 'writer'), ('张明博', 'writer'), ('胡源浩', 'photographer')]
    assert [c['title'] for c in seed_json['contributors']] == ['记者', '通讯员', '通讯员', '']
    assert [c['marc'] for c in seed_json['contributors']] == ['aut', 'aut', 'aut', 'pht']


def test_seed_qa_heads(seed_json):
    heads = [(b['kind'], b['text']) for b in seed_json['blocks'] if b['type'] == 'qa_head']
    assert heads == [('question', '问：党建成绩怎么样？'), ('answer', '答：做了“三个一”'),
                     ('question', '问：如何持续深化“基层党建全面提升年”行动？'), ('answer', '答：做好“五个突出”')]


def test_seed_run_in_heads(seed_json):
    runs = [b['run_in'] for b in seed_json['blocks'] if b['type'] == 'paragraph' and b['run_in']]
    assert [r['text'][:2] for r in runs] == ['一是', '二是', '三是', '一是', '二是', '三是', '四是', '五是']
    # the first three show no gap in the source: flagged guesses at the closing quote
    assert [(r['text'], r['guessed']) for r in runs[:3]] == [
        ('一是形成了一个责任明、推进快的“工作体系”', True),
        ('二是抓实了一批打基础、利长远的“工作载体”', True),
        ('三是开创了一个氛围好、成效显的“工作局面”', True)]
    # the last five are split at the space the source shows
    assert all(r['separator'] == ' ' and not r['guessed'] for r in runs[3:])
    assert runs[3]['text'] == '一是突出标准化改造，建强基层战斗堡垒'


def test_seed_block_types(seed_json):
    assert [b['type'] for b in seed_json['blocks']] == (
        ['headline', 'headline', 'paragraph', 'byline', 'qa_head', 'qa_head']
        + ['paragraph'] * 5 + ['qa_head', 'qa_head'] + ['paragraph'] * 7)
    leads = [b['lead'] for b in seed_json['blocks'] if b['type'] == 'paragraph']
    assert leads[0] is True and not any(leads[1:])


def test_seed_recognised_without_the_sidecar():
    """The seed has a sidecar stating headline and contributors; the
    normalizer must find the same on its own."""
    out = normalize_text(SEED.read_text(encoding='utf-8')).blocks
    assert roles(out[0]) == [('banner', '庆七一 颂党恩 砥砺前行')]
    assert roles(out[1]) == [('kicker', '庆祝建党97周年，二七区总结成绩、部署工作'),
                             ('title', '“三个一”构建党建大格局，“五个突出”持续深化“基层党建全面提升年”行动')]
    [byline] = [b for b in out if isinstance(b, Byline)]
    assert [(c.name, c.role, c.title) for c in byline.contributors] == [
        ('景静', Role.WRITER, '记者'), ('王宁', Role.WRITER, '通讯员'), ('张明博', Role.WRITER, '通讯员'),
        ('胡源浩', Role.PHOTOGRAPHER, '')]
    assert [b.kind for b in out if isinstance(b, QAHead)] == [QAKind.QUESTION, QAKind.ANSWER] * 2
    runs = [b.run_in for b in out if isinstance(b, Paragraph) and b.run_in]
    assert [(r.guessed, r.separator) for r in runs] == [(True, '')] * 3 + [(False, ' ')] * 5
    assert '\n\n'.join(block_text(b) for b in out) + '\n' == EXPECTED.read_text(encoding='utf-8')


# ---------------------------------------------------------------- types given by hand (sidecar ``blocks:``)

def test_a_line_given_the_headline_is_the_headline_and_the_others_range_round_it():
    text = '奋力书写新时代答卷——\n\n二七区推进基层党建工作纪实\n\n记者深入基层一线调查采访\n\n' + BODY
    out = normalize_text(text, kinds={5: 'title'}).blocks
    assert [roles(b) for b in out[:3]] == [[('kicker', '奋力书写新时代答卷——')],
                                           [('kicker', '二七区推进基层党建工作纪实')],
                                           [('title', '记者深入基层一线调查采访')]]
    assert isinstance(out[3], Paragraph) and out[3].lead


def test_a_body_type_given_in_the_headline_area_ends_the_area():
    text = '二七区召开庆祝建党97周年大会\n\n总结成绩 部署工作\n\n' + BODY
    out = normalize_text(text, kinds={3: 'paragraph'}).blocks
    assert roles(out[0]) == [('title', '二七区召开庆祝建党97周年大会')]
    assert out[1] == Paragraph('总结成绩 部署工作', lead=True)
    assert out[2] == Paragraph(BODY)


@pytest.mark.parametrize('kind, expected', [
    ('subhead', Subhead('记者 景静')),
    ('paragraph', Paragraph('记者 景静', lead=True)),
    ('question', QAHead(QAKind.QUESTION, '记者 景静')),
    ('caption', Caption('记者 景静')),
])
def test_a_byline_given_another_type_is_that_type(kind, expected):
    text = '二七区召开大会\n\n记者 景静\n\n' + BODY
    assert isinstance(normalize_text(text).blocks[1], Byline)
    assert normalize_text(text, kinds={3: kind}).blocks[1] == expected


def test_the_lines_of_a_byline_given_another_type_stay_apart():
    text = '二七区召开大会\n\n记者 景静\n通讯员 王宁\n\n' + BODY
    assert isinstance(normalize_text(text).blocks[1], Byline)
    assert normalize_text(text, kinds={3: 'subhead'}).blocks[1] == Subhead('记者 景静 通讯员 王宁')
    assert normalize_text(text, kinds={3: 'paragraph'}).blocks[1].text == '记者 景静 通讯员 王宁'


def test_a_paragraph_given_the_byline_names_its_contributors():
    text = '二七区召开大会\n\n' + BODY + '\n\n景静 王宁\n胡源浩/图'
    assert not isinstance(normalize_text(text).blocks[-1], Byline)
    byline = normalize_text(text, kinds={5: 'byline'}).blocks[-1]
    assert byline == Byline(('景静 王宁', '胡源浩/图'),
                            (Contributor('景静'), Contributor('王宁'), Contributor('胡源浩', Role.PHOTOGRAPHER)))


def test_a_type_given_to_a_line_that_starts_no_block_changes_nothing_and_lines_tell_the_starts():
    text = '二七区召开大会\n\n\n记者 景静\n\n' + BODY
    plain = normalize_text(text)
    assert plain.lines == (1, 4, 6)
    assert normalize_text(text, kinds={3: 'subhead', 5: 'subhead'}).blocks == plain.blocks
