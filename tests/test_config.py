"""The sidecar seeds/NAME.yaml, through the real command line: overrides work,
and every mistake is one line on stderr naming the sidecar and its line."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from publish.config import load_sidecar
from publish.errors import ConfigError
from publish.model import HeadlineRole

ARTICLE = ('二七区召开庆祝大会\n\n'
           '记者 景静\n\n'
           '6月29日下午，二七区召开庆祝中国共产党成立97周年大会。会议对先进基层党组织颁奖。\n\n'
           '会议要求，全区上下要继续努力，推动工作再上新台阶。\n')
# a tiny valid PNG (1x1)
PNG = bytes.fromhex('89504e470d0a1a0a0000000d49484452000000010000000108020000009077'
                    '53de0000000c4944415408d763f8cfc000000301010018dd8db00000000049454e44ae426082')


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / 'proj'
    (root / 'seeds').mkdir(parents=True)
    (root / 'seeds' / 'a.txt').write_text(ARTICLE, encoding='utf-8')
    return root


def run(project: Path, sidecar: str, *args: str) -> subprocess.CompletedProcess:
    (project / 'seeds' / 'a.yaml').write_text(sidecar, encoding='utf-8')
    env = {k: v for k, v in os.environ.items() if k not in ('LC_ALL', 'LC_MESSAGES', 'LANGUAGE')}
    env['LANG'] = 'C.UTF-8'
    return subprocess.run([sys.executable, '-m', 'publish.cli', 'normalize', 'seeds/a.txt', *args],
                          cwd=project, env=env, capture_output=True, text=True, timeout=120)


def refused(result: subprocess.CompletedProcess, line: int, column: int | None = None) -> str:
    """The one error line; asserts it names the sidecar and the line (and column)."""
    assert result.returncode != 0, result.stdout
    assert 'Traceback' not in result.stderr
    assert result.stdout == ''
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    where = f'seeds/a.yaml:{line}' + (f':{column}' if column is not None else '')
    assert re.search(rf'(?<![\w/]){re.escape(where)}:\s', lines[0]), (where, lines[0])
    return lines[0]


def article(project: Path, sidecar: str) -> dict:
    result = run(project, sidecar, '--format', 'json')
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# ---------------------------------------------------------------- YAML syntax

@pytest.mark.parametrize('sidecar, line, column', [
    ('publication: 人民日报\nsection: 要闻: 二版\n', 2, 12),
    ('publication: 人民日报\nheadline:\n\ttitle: 新标题\n', 3, 1),
    ('publication: 人民日报\nkeywords: [党建, 二七区\n', 3, 1),
    ('publication: 人民日报\ndate: "2019-02-01\n', 3, 1),
])
def test_malformed_yaml_reported_with_line_and_column(project, sidecar, line, column):
    message = refused(run(project, sidecar), line, column)
    assert 'yaml' in message.lower()


def test_sidecar_that_is_not_a_mapping(project):
    refused(run(project, '- 党建\n- 二七区\n'), 1)


def publish(project: Path, *args: str, lang: str = 'C.UTF-8') -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ('LC_ALL', 'LC_MESSAGES', 'LANGUAGE')}
    env['LANG'] = lang
    return subprocess.run([sys.executable, '-m', 'publish.cli', *args], cwd=project, env=env,
                          capture_output=True, text=True, timeout=600)


def test_a_yml_sidecar_is_read_like_a_yaml_one(project):
    from docx import Document
    (project / 'seeds' / 'a.yml').write_text('publication: 二七区融媒体中心\nsection: 党建\n', encoding='utf-8')
    result = publish(project, 'normalize', 'seeds/a.txt', '--format', 'json')
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)['meta']['publication'] == '二七区融媒体中心'
    result = publish(project, 'all')
    assert result.returncode == 0, result.stderr
    dist = project / 'dist' / 'a'
    manifest = json.loads((dist / 'manifest.json').read_text(encoding='utf-8'))
    assert manifest['sidecar']['path'] == 'seeds/a.yml'
    assert Document(str(dist / 'a.docx')).core_properties.category == '党建'
    assert (dist / 'a.pdf').stat().st_size and (dist / 'a.epub').stat().st_size


def test_two_sidecars_for_one_article_are_refused(project):
    (project / 'seeds' / 'a.yaml').write_text('publication: 甲\n', encoding='utf-8')
    (project / 'seeds' / 'a.yml').write_text('publication: 乙\n', encoding='utf-8')
    result = publish(project, 'normalize', 'seeds/a.txt')
    assert result.returncode != 0 and result.stdout == '' and 'Traceback' not in result.stderr
    assert result.stderr.splitlines() == [
        'publish: seeds/a.yml: two sidecars for one article: a.yaml and a.yml; keep one of them']
    result = publish(project, 'all', lang='zh_CN.UTF-8')
    assert result.returncode == 1 and 'Traceback' not in result.stderr
    assert 'seeds/a.yml: 同一篇文章有两个附加信息文件：a.yaml 和 a.yml，请只保留其中一个' in result.stderr
    assert not (project / 'dist' / 'a' / 'a.pdf').exists()


def test_empty_sidecar_is_no_sidecar(project):
    assert article(project, '')['headline'] == {'title': '二七区召开庆祝大会'}
    assert article(project, '# nothing yet\n')['headline'] == {'title': '二七区召开庆祝大会'}


# ---------------------------------------------------------------- keys and types

def test_unknown_key_reported_with_its_line(project):
    message = refused(run(project, 'publication: 人民日报\ndate: 2019-02-01\ntitle: 新标题\n'), 3)
    assert '"title"' in message or "'title'" in message


def test_unknown_headline_part(project):
    refused(run(project, 'headline:\n  title: 新标题\n  maintitle: 另一个\n'), 3)


def test_unknown_contributor_key_and_role(project):
    refused(run(project, 'contributors:\n  - name: 张三\n    job: 记者\n'), 3)
    refused(run(project, 'publication: 人民日报\ncontributors:\n  - {name: 张三, role: boss}\n'), 3)
    refused(run(project, 'contributors:\n  - role: writer\n'), 2)


@pytest.mark.parametrize('sidecar, line, word', [
    ('publication: 人民日报\ndate: tomorrow\n', 2, 'tomorrow'),
    ('date: 2019-02-30\n', 1, '2019-02-30'),
    ('date: [2019, 2, 1]\n', 1, 'date'),
    ('publication: 人民日报\njoin: [x]\n', 2, 'x'),
    ('join:\n  - 3\n  - x\n', 3, 'x'),
    ('join: [0]\n', 1, 'join'),
    ('break: 3\n', 1, 'break'),
    ('section: 要闻\n\ncontributors: 3\n', 3, 'contributors'),
    ('headline: 新标题\n', 1, 'headline'),
    ('figures: {file: a.png}\n', 1, 'figures'),
    ('language: 中文\n', 1, 'language'),
    ('layout: ../../etc\n', 1, 'layout'),
    ('publication: [人民日报]\n', 1, 'publication'),
])
def test_wrong_type_reported_with_its_line(project, sidecar, line, word):
    message = refused(run(project, sidecar), line)
    assert word in message


def test_load_sidecar_error_carries_line(tmp_path):
    path = tmp_path / 'a.yaml'
    path.write_text('publication: 人民日报\ndate: tomorrow\n', encoding='utf-8')
    with pytest.raises(ConfigError) as info:
        load_sidecar(path)
    assert (info.value.path, info.value.line) == (path, 2)
    assert info.value.exit_status == 2


def test_load_sidecar_values(tmp_path):
    path = tmp_path / 'a.yaml'
    path.write_text('publication: 人民日报\ndate: 2019-02-01\npage: "04"\nkeywords: [党建, 二七区]\n'
                    'join: [12, 14]\nbreak: [40]\nheadline:\n  kicker: 引题\n  title: 主题\n',
                    encoding='utf-8')
    sidecar = load_sidecar(path)
    assert sidecar.publication == '人民日报' and str(sidecar.date) == '2019-02-01'
    assert sidecar.page == '04' and sidecar.keywords == ('党建', '二七区')
    assert sidecar.join == frozenset({12, 14}) and sidecar.breaks == frozenset({40})
    assert sidecar.headline == ((HeadlineRole.KICKER, '引题'), (HeadlineRole.TITLE, '主题'))
    assert sidecar.contributors is None
    assert load_sidecar(tmp_path / 'none.yaml').contributors is None


# ---------------------------------------------------------------- overrides

def test_headline_override(project):
    data = article(project, 'headline:\n  kicker: 庆七一 颂党恩\n  title: 二七区隆重召开庆祝建党97周年大会\n')
    assert data['headline'] == {'kicker': '庆七一 颂党恩', 'title': '二七区隆重召开庆祝建党97周年大会'}
    heads = [b for b in data['blocks'] if b['type'] == 'headline']
    assert [[p['role'] for p in b['parts']] for b in heads] == [['kicker'], ['title']]
    # the recognised title was replaced, not kept beside the new one
    assert '二七区召开庆祝大会' not in json.dumps(heads, ensure_ascii=False)
    assert data['blocks'][len(heads)]['type'] == 'byline'


def test_headline_override_renames_a_recognised_line(project):
    data = article(project, 'headline:\n  subtitle: 二七区召开庆祝大会\n  title: 庆祝建党97周年\n')
    assert data['headline']['subtitle'] == '二七区召开庆祝大会'
    assert data['headline']['title'] == '庆祝建党97周年'


def test_contributors_override(project):
    data = article(project, 'contributors:\n'
                            '  - {name: 景静, role: writer, title: 记者}\n'
                            '  - {name: 胡源浩, role: photographer}\n'
                            '  - name: 李刚\n    role: editor\n')
    assert data['contributors'] == [
        {'name': '景静', 'role': 'writer', 'marc': 'aut', 'title': '记者'},
        {'name': '胡源浩', 'role': 'photographer', 'marc': 'pht', 'title': ''},
        {'name': '李刚', 'role': 'editor', 'marc': 'edt', 'title': ''},
    ]


def test_contributors_from_the_byline_without_a_sidecar(project):
    data = article(project, 'publication: 人民日报\n')
    assert data['contributors'] == [{'name': '景静', 'role': 'writer', 'marc': 'aut', 'title': '记者'}]


def test_meta_from_the_sidecar(project):
    data = article(project, 'publication: 人民日报\ndate: 2019-02-01\nsection: 要闻\npage: "04"\n'
                            'keywords: [党建, 二七区]\n')
    meta = data['meta']
    assert (meta['publication'], meta['date'], meta['section'], meta['page'], meta['keywords']) == (
        '人民日报', '2019-02-01', '要闻', '04', ['党建', '二七区'])


def test_forced_break_and_join_from_the_sidecar(project):
    plain = run(project, '').stdout
    assert plain.count('\n\n') == 3
    # join the two body paragraphs (blank line 6), and break nothing else
    joined = run(project, 'join: [6]\n')
    assert joined.returncode == 0, joined.stderr
    assert joined.stdout.count('\n\n') == 2
    assert '颁奖。会议要求' in joined.stdout
    # the first line below the blank line works too
    assert run(project, 'join: [7]\n').stdout == joined.stdout


def test_forced_break_from_the_sidecar(project):
    (project / 'seeds' / 'a.txt').write_text(
        '二七区召开大会\n\n二七区建立责任落实、工作推进、督\n\n导考评“三项机制”，形成了管党治党体系。\n',
        encoding='utf-8')
    assert '督导考评' in run(project, '').stdout
    result = run(project, 'break: [4]\n')
    assert result.stdout.endswith('工作推进、督\n\n导考评“三项机制”，形成了管党治党体系。\n')


# ---------------------------------------------------------------- figures

def test_a_good_figure_is_placed(project):
    (project / 'seeds' / 'photo.png').write_bytes(PNG)
    data = article(project, 'figures:\n  - {file: photo.png, caption: 会议现场, credit: 胡源浩 摄, after: 3}\n')
    figures = [b for b in data['blocks'] if b['type'] == 'figure']
    assert len(figures) == 1
    assert figures[0]['caption'] == '会议现场' and figures[0]['number'] == 1
    assert Path(figures[0]['path']).name == 'photo.png'
    assert [b['type'] for b in data['blocks']].index('figure') == 3


@pytest.mark.parametrize('name, setup', [
    ('missing.jpg', None),
    ('fake.png', 'text'),
    ('photo.gif', 'gif'),
    ('../../etc/passwd', None),
    ('/etc/passwd', None),
    ('link.png', 'symlink'),
    ('http://example.com/a.jpg', None),
    ('https://example.com/a.png', None),
    ('file:///etc/passwd', None),
])
def test_bad_figures_refused(project, name, setup):
    seeds = project / 'seeds'
    if setup == 'text':
        (seeds / name).write_text('not an image', encoding='utf-8')
    elif setup == 'gif':
        (seeds / name).write_bytes(b'GIF89a' + b'\0' * 20)
    elif setup == 'symlink':
        outside = project.parent / 'outside.png'
        outside.write_bytes(PNG)
        (seeds / name).symlink_to(outside)
    result = run(project, f'publication: 人民日报\nfigures:\n  - caption: 会议现场\n    file: "{name}"\n')
    message = refused(result, 3)
    assert name in message


def test_figure_after_a_missing_block(project):
    (project / 'seeds' / 'photo.png').write_bytes(PNG)
    refused(run(project, 'figures:\n  - {file: photo.png, after: 99}\n'), 2)
    refused(run(project, 'figures:\n\n  - {file: photo.png, after: 没有这段文字}\n'), 3)


def test_unknown_figure_key(project):
    refused(run(project, 'figures:\n  - file: photo.png\n    size: big\n'), 3)


# ---------------------------------------------------------------- blocks: the type of a block, by its line

def test_blocks_give_a_block_its_type_and_a_byline_its_contributors(project):
    data = article(project, '# types fixed by hand\nblocks:\n  3: paragraph\n  7: subhead\n')
    assert [b['type'] for b in data['blocks']] == ['headline', 'paragraph', 'paragraph', 'subhead']
    assert data['blocks'][3]['text'] == '会议要求，全区上下要继续努力，推动工作再上新台阶。'
    assert data['contributors'] == []
    data = article(project, 'blocks: {5: byline}\n')
    assert [b['type'] for b in data['blocks']] == ['headline', 'byline', 'byline', 'paragraph']


def test_blocks_with_an_unknown_type_are_refused_naming_the_key(project):
    message = refused(run(project, 'publication: 人民日报\nblocks:\n  3: author\n'), 3)
    assert '"blocks"' in message and '"author"' in message and 'byline' in message


def test_blocks_naming_a_line_that_starts_no_block_are_refused(project):
    message = refused(run(project, 'blocks:\n  3: byline\n  6: subhead\n'), 3)
    assert '"blocks"' in message and 'no block starts at line 6' in message and 'lines 5, 7' in message


@pytest.mark.parametrize('sidecar, line', [
    ('blocks:\n  x: byline\n', 2),
    ('blocks:\n  0: byline\n', 2),
    ('blocks: [3]\n', 1),
    ('blocks:\n  3: [byline]\n', 2),
    ('blocks:\n  3: byline\n  03: subhead\n', 3),
])
def test_malformed_blocks_are_refused_with_their_line(project, sidecar, line):
    assert '"blocks' in refused(run(project, sidecar), line)


def test_publish_all_builds_the_types_the_sidecar_gives(project):
    (project / 'seeds' / 'a.yaml').write_text('blocks: {7: subhead}\n', encoding='utf-8')
    result = publish(project, 'all')
    assert result.returncode == 0, result.stderr
    page = (project / 'dist' / 'a' / 'web' / 'index.html').read_text(encoding='utf-8')
    assert re.search(r'<h2[^>]*>会议要求，全区上下要继续努力，推动工作再上新台阶。</h2>', page)


def test_json_decisions_say_what_the_sidecar_forced_and_the_text_either_side(project):
    decisions = article(project, 'break: [6]\n')['decisions']
    assert [sorted(d) for d in decisions] == [['confidence', 'cues', 'forced', 'join', 'left', 'line', 'offset',
                                               'right']] * 3
    forced = {d['line']: d for d in decisions}[6]
    assert forced['forced'] and not forced['join'] and forced['cues'] == ['the sidecar forces a break here']
    assert forced['left'].endswith('颁奖。') and forced['right'].startswith('会议要求')
    assert not any(d['forced'] for d in decisions if d['line'] != 6)
