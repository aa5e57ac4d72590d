"""Reading a source file: encodings detected, newlines and odd spaces cleaned,
unreadable files refused with one line naming the file."""
from __future__ import annotations

import codecs
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from publish.errors import SourceError
from publish.model import Byline, Headline, Paragraph, article_json, block_text
from publish.normalize import normalize_text
from publish.normalize.clean import clean, clean_line
from publish.source import decode, load, load_article, read_source

ARTICLE = ('二七区召开庆祝大会\r\n'
           '\r\n'
           '记者 景静\r\n'
           '\r\n'
           '6月29日下午，二七区召开庆祝中国共产党成立97周年大会。会议对先进基层党组织颁奖。\r\n'
           '\r\n'
           '会议要求，全区上下要继续努力，推动工作再上新台阶。\r\n')
EXPECTED_TEXT = ('二七区召开庆祝大会\n\n记者 景静\n\n'
                 '6月29日下午，二七区召开庆祝中国共产党成立97周年大会。会议对先进基层党组织颁奖。\n\n'
                 '会议要求，全区上下要继续努力，推动工作再上新台阶。\n')

ENCODINGS = {
    'utf-8': ARTICLE.encode('utf-8'),
    'utf-8 with BOM': codecs.BOM_UTF8 + ARTICLE.encode('utf-8'),
    'gb18030': ARTICLE.encode('gb18030'),
    'gbk': ARTICLE.encode('gbk'),
    'utf-16-le with BOM': codecs.BOM_UTF16_LE + ARTICLE.encode('utf-16-le'),
    'utf-16-be with BOM': codecs.BOM_UTF16_BE + ARTICLE.encode('utf-16-be'),
}


def cli(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ('LC_ALL', 'LC_MESSAGES', 'LANGUAGE')}
    env['LANG'] = 'C.UTF-8'
    return subprocess.run([sys.executable, '-m', 'publish.cli', *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / 'seeds').mkdir()
    return tmp_path


def assert_refused(result: subprocess.CompletedProcess, name: str, *words: str) -> str:
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert result.stdout == ''
    assert 'Traceback' not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert name in lines[0]
    for word in words:
        assert word in lines[0].lower()
    return lines[0]


# ---------------------------------------------------------------- encodings

@pytest.mark.parametrize('encoding', ENCODINGS)
def test_decode_detects_the_encoding(encoding):
    text = decode(ENCODINGS[encoding], Path('a.txt'))
    assert text.lstrip('\ufeff') == ARTICLE
    assert '\ufeff' not in text


@pytest.mark.parametrize('encoding', ENCODINGS)
def test_every_encoding_gives_the_same_article(project, encoding):
    src = project / 'seeds' / 'a.txt'
    src.write_bytes(ENCODINGS[encoding])
    result = cli(project, 'normalize', 'seeds/a.txt')
    assert result.returncode == 0, result.stderr
    assert result.stdout == EXPECTED_TEXT


def test_gb18030_characters_outside_gbk(project):
    text = '标题\n\n𠀀字与䶮字都能读出，欧元符号€也能。\n'
    (project / 'seeds' / 'a.txt').write_bytes(text.encode('gb18030'))
    assert read_source(project / 'seeds' / 'a.txt') == text


def test_utf8_is_preferred_when_both_decode():
    # plain ASCII decodes as UTF-8 and as GB18030 alike
    assert decode(b'Hello, world\n', Path('a.txt')) == 'Hello, world\n'
    assert decode('中文'.encode('utf-8'), Path('a.txt')) == '中文'


# ---------------------------------------------------------------- newlines and spaces

@pytest.mark.parametrize('newline', ['\r\n', '\r', '\n'])
def test_newlines_become_lf(newline):
    source = newline.join(['二七区召开大会', '', '记者 景静', '', '会议开始了，很多人参加。'])
    assert clean(source) == '二七区召开大会\n\n记者 景静\n\n会议开始了，很多人参加。'
    out = [block_text(b) for b in normalize_text(source).blocks]
    assert out == ['二七区召开大会', '记者 景静', '会议开始了，很多人参加。']
    assert not any('\r' in t for t in out)


def test_mixed_newlines(project):
    (project / 'seeds' / 'a.txt').write_bytes('二七区召开大会\r\n\r记者 景静\n\r\n会议开始了，很多人参加。\r'
                                             .encode('utf-8'))
    result = cli(project, 'normalize', 'seeds/a.txt')
    assert result.stdout == '二七区召开大会\n\n记者 景静\n\n会议开始了，很多人参加。\n'


def test_ideographic_space_indents_removed():
    text = '\u3000\u3000会议开始了，很多人参加。\n\n\u3000\u3000会议要求，全区上下继续努力。\u3000'
    assert [block_text(b) for b in normalize_text(text).blocks] == ['会议开始了，很多人参加。',
                                                                     '会议要求，全区上下继续努力。']


def test_nbsp_runs_become_one_space():
    assert clean_line('\u00a0\u00a0记者\u00a0\u00a0\u00a0景静\u00a0') == '记者 景静'
    out = normalize_text('二七区召开大会\n\n记者\u00a0\u00a0景静\n\n会议开始了，很多人参加。').blocks
    assert isinstance(out[1], Byline) and out[1].lines == ('记者 景静',)
    assert out[1].contributors[0].name == '景静'


def test_gap_inside_a_line_is_kept_as_one_space():
    # the gap between a run-in head and its body is a cue, not noise
    text = '会议开始了，很多人参加。\n\n一是突出标准化改造\u3000\u3000以构建党建标准化指标体系为方向，不断提高水平。'
    para = normalize_text(text).blocks[-1]
    assert para.run_in is not None and para.run_in.separator == ' '
    assert block_text(para) == '一是突出标准化改造 以构建党建标准化指标体系为方向，不断提高水平。'


@pytest.mark.parametrize('junk', ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\x07', '\x1b'])
def test_zero_width_and_control_characters_removed(junk):
    text = f'会议{junk}开始了，很多{junk}人参加。{junk}'
    [block] = normalize_text(text).blocks
    assert block_text(block) == '会议开始了，很多人参加。'


def test_line_of_only_invisible_characters_is_blank():
    text = '会议开始了，很多人参加。\n\u200b\u3000\u00a0\n会议要求，全区上下继续努力。'
    n = normalize_text(text)
    assert [block_text(b) for b in n.blocks] == ['会议开始了，很多人参加。', '会议要求，全区上下继续努力。']
    assert [d.line for d in n.decisions] == [2]


def test_tab_and_newline_survive_cleaning_as_structure():
    assert clean('a\tb\n\nc') == 'a b\n\nc'


# ---------------------------------------------------------------- refused files

def test_binary_file_refused(project):
    png = bytes.fromhex('89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de')
    (project / 'seeds' / 'picture.txt').write_bytes(png)
    assert_refused(cli(project, 'normalize', 'seeds/picture.txt'), 'seeds/picture.txt', 'binary')


def test_text_with_many_control_characters_refused(project):
    (project / 'seeds' / 'a.txt').write_bytes(bytes(range(1, 32)) * 10)
    assert_refused(cli(project, 'normalize', 'seeds/a.txt'), 'seeds/a.txt')


def test_undecodable_file_refused(project):
    # invalid as UTF-8 and as GB18030, no BOM
    (project / 'seeds' / 'latin1.txt').write_bytes('Café crème brûlée à la carte — déjà vu'.encode('cp1252')
                                                   + b'\x80\xff')
    assert_refused(cli(project, 'normalize', 'seeds/latin1.txt'), 'seeds/latin1.txt')


def test_utf16_without_bom_is_refused_not_misread(project):
    (project / 'seeds' / 'a.txt').write_bytes(ARTICLE.encode('utf-16-le'))
    assert_refused(cli(project, 'normalize', 'seeds/a.txt'), 'seeds/a.txt')


def test_decode_raises_source_error_naming_the_file():
    with pytest.raises(SourceError) as info:
        decode(b'\x00\x01\x02binary', Path('seeds/x.txt'))
    assert info.value.exit_status == 2
    assert str(info.value).startswith('seeds/x.txt: ')


@pytest.mark.parametrize('content, word', [
    (b'', 'empty'),
    (b'   \n\n\t\n', 'whitespace'),
    ('\u3000\u3000\n\u00a0\n'.encode('utf-8'), 'whitespace'),
    (codecs.BOM_UTF8, 'empty'),
])
def test_empty_and_blank_files_refused(project, content, word):
    (project / 'seeds' / 'a.txt').write_bytes(content)
    line = assert_refused(cli(project, 'normalize', 'seeds/a.txt'), 'seeds/a.txt')
    assert word in line or 'empty' in line


def test_missing_file_refused(project):
    assert_refused(cli(project, 'normalize', 'seeds/nothere.txt'), 'seeds/nothere.txt')


def test_directory_refused(project):
    (project / 'seeds' / 'dir.txt').mkdir()
    assert_refused(cli(project, 'normalize', 'seeds/dir.txt'), 'seeds/dir.txt')


# ---------------------------------------------------------------- load, article_json

def test_load_article_and_json(project):
    src = project / 'seeds' / '000_sample.txt'
    src.write_text(ARTICLE, encoding='utf-8')
    article = load_article(src)
    assert article.name == '000_sample'
    assert article.source_path == src
    assert isinstance(article.blocks[0], Headline) and isinstance(article.blocks[2], Paragraph)
    assert article.title == '二七区召开庆祝大会'
    assert [c.name for c in article.contributors] == ['景静']
    assert article.text() == EXPECTED_TEXT
    data = article_json(article)
    json.dumps(data, ensure_ascii=False)          # serialisable
    assert data['name'] == '000_sample'
    assert data['headline'] == {'title': '二七区召开庆祝大会'}
    assert data['contributors'] == [{'name': '景静', 'role': 'writer', 'marc': 'aut', 'title': '记者'}]
    assert [b['type'] for b in data['blocks']] == ['headline', 'byline', 'paragraph', 'paragraph']
    _, decisions = load(src)
    assert [d.line for d in decisions] == [2, 4, 6]
