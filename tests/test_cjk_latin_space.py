"""The quarter-em space between Chinese and Latin letters or digits: off in
the default layout, asked for by a layout's CSS."""
from __future__ import annotations

from pathlib import Path

import pytest

from edition_samples import TIMESTAMP, run, tool, write_file
from publish.layout import load_layout
from publish.model import Article, Meta, Paragraph
from publish.render import cjk_latin_space
from publish.render import pdf as pdf_render
from test_cjk_justify import lines_of, paragraph_lines

Q = cjk_latin_space.QUARTER_EM
BOTH = frozenset({'alpha', 'numeric'})
TEXT = ('为向建党97周年献礼，6月29日下午3时，二七区召开大会，新建5G基站120个，政务APP上线，'
        '全区副县级以上领导干部，18个镇（街道）全体科级干部，3个管委会、区直各单位负责人和分管组织'
        '工作副科级干部等750余人参加了会议，会议对先进基层党组织颁奖，GDP增长8.5%。')


@pytest.mark.parametrize('text, kinds, expected', [
    ('建党97周年', BOTH, f'建党{Q}97{Q}周年'),
    ('政务APP上线', BOTH, f'政务{Q}APP{Q}上线'),
    ('政务APP上线97', frozenset({'numeric'}), f'政务APP上线{Q}97'),
    ('APP上线', BOTH, f'APP{Q}上线'),
    ('政务APP上线97', frozenset({'alpha'}), f'政务{Q}APP{Q}上线97'),
    ('增长8.5%，GDP', BOTH, f'增长{Q}8.5%，GDP'),      # not at punctuation
    ('“97”年', BOTH, '“97”年'),
    ('建党97周年', frozenset(), '建党97周年'),
])
def test_spaces_between_ideographs_and_letters_or_digits(text, kinds, expected):
    assert cjk_latin_space.set_text(text, kinds) == expected


@pytest.mark.parametrize('css, kinds', [
    ('', set()),
    ('html { --text-autospace: no-autospace; }', set()),
    ('html { --text-autospace: ideograph-alpha ideograph-numeric; }', {'alpha', 'numeric'}),
    (':root { --text-autospace: normal }', {'alpha', 'numeric'}),
    ('html { --text-autospace: ideograph-numeric } /* --text-autospace: normal */', {'numeric'}),
])
def test_the_layout_css_switches_it(css, kinds):
    assert cjk_latin_space.autospace(css) == kinds


def test_the_default_layout_has_none():
    assert cjk_latin_space.autospace(load_layout('default').read_text('pdf.css')) == set()


def render(project: Path, name: str, css_extra: str) -> Path:
    layout = project / 'layouts' / name
    layout.mkdir(parents=True)
    default_css = load_layout('default', project).read_text('pdf.css')
    (layout / 'pdf.css').write_text(default_css + css_extra, encoding='utf-8')
    article = Article(name=name, blocks=(Paragraph(TEXT),), meta=Meta(),
                      source_path=project / 'seeds' / f'{name}.txt')
    return write_file('pdf', article, load_layout(name, project), project / 'dist' / f'{name}.pdf')


@pytest.fixture(scope='module')
def pdfs(tmp_path_factory) -> dict[str, Path]:
    project = tmp_path_factory.mktemp('project')
    (project / 'seeds').mkdir()
    return {'off': render(project, 'off', ''),
            'on': render(project, 'on', 'html { --text-autospace: ideograph-alpha ideograph-numeric; }\n')}


def gap_before(lines, word: str) -> float:
    for line in lines:
        for i, w in enumerate(line['words']):
            if w.startswith(word) and i:
                return line['word_boxes'][i][0] - line['word_boxes'][i - 1][1]
    raise AssertionError(f'{word} does not start a word of its own')


def word_boxes(pdf: Path) -> list[dict]:
    import re
    import xml.etree.ElementTree as ET
    xml = run(tool('pdftotext'), '-bbox-layout', '-enc', 'UTF-8', str(pdf), '-')
    root = ET.fromstring(re.sub(r'<!DOCTYPE[^>]*>', '', xml))
    ns = '{http://www.w3.org/1999/xhtml}'
    return [{'words': [w.text for w in line.iter(ns + 'word')],
             'word_boxes': [(float(w.get('xMin')), float(w.get('xMax'))) for w in line.iter(ns + 'word')]}
            for line in root.iter(ns + 'line')]


def test_off_the_text_runs_on(pdfs):
    assert '\u2005' not in pdf_render.html_string(
        Article(name='x', blocks=(Paragraph(TEXT),), meta=Meta()), load_layout('default'), TIMESTAMP)
    text = run(tool('pdftotext'), '-enc', 'UTF-8', str(pdfs['off']), '-').replace('\n', '')
    assert '建党97周年' in text and '政务APP上线' in text and ' ' not in text


def test_on_a_quarter_em_between_and_the_lines_still_flush(pdfs):
    boxes = word_boxes(pdfs['on'])
    for word in ('97', '周年献礼', '5G', '基站', '750', '余人'):
        # a quarter em, and at most half the justification space (0.09 em)
        assert 0.24 * 10.5 < gap_before(boxes, word) < 0.30 * 10.5, word
    lines = lines_of(pdfs['on'])
    right = max(line['xMax'] for line in lines)
    para = paragraph_lines(lines, TEXT)
    assert len(para) >= 3
    for line in para[:-1]:
        assert right - line['xMax'] <= 0.5, line['text']
    for line in lines:                                  # no line starts with the space
        assert not line['text'][0].isspace()
