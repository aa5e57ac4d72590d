"""Consecutive punctuation in the print edition: a closing mark followed by
another mark is set half-width, and the PDF's text still reads as written.
Read back with pdfminer (glyph positions) and poppler (text extraction)."""
from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from edition_samples import run, tool, write_file
from publish import fonts
from publish.layout import load_layout
from publish.model import Article, Meta, Paragraph
from publish.render import cjk_compress, cjk_justify, cjk_punct
from fontTools.pens.boundsPen import BoundsPen

XHTML = '{http://www.w3.org/1999/xhtml}'
PAIRS = ('”。', '。”', '）、', '，“', '》。', '”“', '。《', '！”', '：“', '“《', '（“')
# Made-up sentences holding each pair; the first paragraph is long enough to
# be justified over several lines, the second is a single line (set as is).
PARAGRAPHS = (
    '区委书记说：“抓党建要抓到点子上。”会议要求各镇（街道）、各部门把“三会一课”落到实处，'
    '对照《党支部工作条例》。他强调：“要敢于担当！”全区共评出“优秀党员”“先进支部”两类。'
    '《实施意见》同时印发。各级干部要学习《条例》，“一把手”要带头，做到“两个维护”。'
    '会议还通报了上半年的“三项重点”工作进展情况，部署了下一步的工作任务。',
    '他说：“《条例》好。”大家都说好（“很好”）、非常好，“对”。《人民日报》也说好。',
)


def chars_of(pdf: Path) -> list[list[tuple[str, float, float]]]:
    """The characters pdfminer finds, line by line (top to bottom): text,
    x position of the glyph, font size."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar

    def walk(obj):
        if isinstance(obj, LTChar):
            yield obj
        elif hasattr(obj, '__iter__'):
            for child in obj:
                yield from walk(child)

    lines: list[list[tuple[str, float, float]]] = []
    for page in extract_pages(str(pdf)):
        rows: dict[float, list] = {}
        for c in walk(page):
            key = next((y for y in rows if abs(y - c.y0) < 0.5), c.y0)
            rows.setdefault(key, []).append((c.get_text(), c.x0, c.size))
        for y in sorted(rows, reverse=True):
            lines.append(sorted(rows[y], key=lambda ch: ch[1]))
    return lines


def advances(pdf: Path, span: int = 1) -> dict[str, list[float]]:
    """For each run of *span* + 1 adjacent characters on a line, how far its
    last starts after its first, in em (with *span* 1: how far the second of
    a pair starts after the first)."""
    out: dict[str, list[float]] = {}
    for line in chars_of(pdf):
        for i in range(len(line) - span):
            run = ''.join(c for c, _, _ in line[i:i + span + 1])
            out.setdefault(run, []).append((line[i + span][1] - line[i][1]) / line[i][2])
    return out


@pytest.fixture(scope='module')
def pairs_pdf(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp('project')
    (root / 'seeds').mkdir()
    article = Article(name='pairs', blocks=tuple(Paragraph(t) for t in PARAGRAPHS),
                      meta=Meta(), source_path=root / 'seeds' / 'pairs.txt')
    return write_file('pdf', article, load_layout('default', root), root / 'dist' / 'pairs.pdf')


def test_which_marks_are_set_half_width():
    assert cjk_compress.halved('甲”。乙') == [1]
    assert cjk_compress.halved('甲。”乙') == [1]
    assert cjk_compress.halved('好）、非') == [1]
    assert cjk_compress.halved('好，“对') == [1]
    assert cjk_compress.halved('报》。还') == [1]
    assert cjk_compress.halved('了。\u2060《书') == [1]       # a word joiner does not part them
    assert cjk_compress.halved('”\u200b“') == [0]
    assert cjk_compress.halved('。”）') == [0, 1]               # a run of three: the first two
    assert cjk_compress.halved('“《书') == [1]                  # of two opening marks, the second
    assert cjk_compress.halved('说（“好') == [2]
    assert cjk_compress.halved('。（“好') == [0, 2]
    assert cjk_compress.halved('（）') == []
    assert cjk_compress.halved('甲，乙。') == []
    assert cjk_compress.halved('甲。\u2060\u200b“乙') == [1]    # counted once
    assert cjk_compress.halved_byte_ranges('甲”。') == [(3, 6)]


def test_a_pair_of_marks_takes_an_em_and_a_half(pairs_pdf):
    seen = advances(pairs_pdf)
    spans = advances(pairs_pdf, span=2)
    for pair in PAIRS:
        if pair[0] in cjk_compress.CLOSING:
            # the closing mark takes half an em, plus at most the
            # justification space (< 0.1 em)
            assert pair in seen, f'{pair} not found in the PDF'
            assert all(0.45 < adv < 0.6 for adv in seen[pair]), (pair, seen[pair])
        else:
            # of two opening marks, the second takes half an em
            taken = [adv for run, advs in spans.items() if run.startswith(pair) for adv in advs]
            assert taken, f'{pair} not found in the PDF'
            assert all(1.45 < adv < 1.7 for adv in taken), (pair, taken)
    # other characters keep their full width
    for pair in ('说：', '“抓', '党建', '（街', '街道'):
        assert all(0.95 < adv < 1.1 for adv in seen[pair]), (pair, seen[pair])


def test_the_text_reads_as_written(pairs_pdf):
    plain = run(tool('pdftotext'), '-enc', 'UTF-8', str(pairs_pdf), '-')
    body = plain.split('\f')[0]
    lines = [ln for ln in body.split('\n') if ln.strip()]
    joined = ''.join(lines)
    for text in PARAGRAPHS:
        assert text in joined, joined
    assert ' ' not in joined, lines                      # no spaces read into the text
    assert '\u200b' not in plain and '\u2060' not in plain
    # poppler's words: no CJK character parted from the next one on a line
    xml = run(tool('pdftotext'), '-bbox-layout', '-enc', 'UTF-8', str(pairs_pdf), '-')
    root = ET.fromstring(re.sub(r'<!DOCTYPE[^>]*>', '', xml))
    for line in root.iter(XHTML + 'line'):
        words = [w.text or '' for w in line.iter(XHTML + 'word')]
        for a, b in zip(words, words[1:]):
            assert not (cjk_justify.is_cjk(a[-1]) and cjk_justify.is_cjk(b[0])), words


def test_the_pdfs_text_has_the_characters_themselves(pairs_pdf):
    from pdfminer.high_level import extract_text
    text = extract_text(str(pairs_pdf)).replace('\n', '')
    for paragraph in PARAGRAPHS:
        assert paragraph in text


def test_a_closing_mark_before_an_opening_one_is_marked():
    pair = cjk_punct.PAIR_BREAK
    assert cjk_punct.set_text('了。《书》') == f'了。{pair}《书》'
    assert cjk_punct.set_text('注）（又') == f'注）{pair}（又'
    assert cjk_punct.set_text('好。“对”') == f'好。{pair}“对”'
    assert cjk_punct.set_text('“甲”“乙”') == f'“甲”{pair}“乙”'
    assert cjk_punct.set_text('“甲”乙') == '“甲”\u200b乙'             # a break after it, as before
    # the closing mark stays half-width when the line is cut after the pair break
    assert cjk_compress.halved(f'工作。{pair}') == [2]
    assert cjk_compress.halved('“甲”\u200b') == []


def charstring_width(font, glyph: str) -> float:
    """The advance a CFF font's charstring for *glyph* gives."""
    from fontTools.misc.psCharStrings import T2WidthExtractor
    cff = font['CFF '].cff
    top = cff.topDictIndex[0]
    charstring, fd = top.CharStrings.getItemAndSelector(glyph)
    private = top.FDArray[fd].Private if fd is not None else top.Private
    extractor = T2WidthExtractor(getattr(private, 'Subrs', []), cff.GlobalSubrs,
                                 private.nominalWidthX, private.defaultWidthX)
    extractor.execute(charstring)
    return extractor.width


@pytest.mark.parametrize('role', ['serif', 'serif-bold', 'sans', 'sans-bold', 'kai'])
def test_the_half_width_fonts_have_copies_of_the_marks(role):
    from fontTools.ttLib import TTFont
    from publish.render.pdf import _font_subsets
    face = fonts.face(role)
    marks = cjk_compress.CLOSING | cjk_compress.OPENING
    html = '<p>他说：“好。”' + ''.join(sorted(marks)) + '</p>'
    data = cjk_compress.half_width_font(_font_subsets(html, '')[face.path.resolve()])
    font = TTFont(io.BytesIO(data))
    gsub = font['GSUB'].table
    records = [r for r in gsub.FeatureList.FeatureRecord if r.FeatureTag == cjk_compress.FEATURE]
    assert len(records) == 1
    mapping = {}
    for index in records[0].Feature.LookupListIndex:
        lookup = gsub.LookupList.Lookup[index]
        assert lookup.LookupType == 1
        for table in lookup.SubTable:
            mapping.update(table.mapping)
    cmap = font.getBestCmap()
    hmtx = font['hmtx']
    glyphs = font.getGlyphSet()
    wide = {ch for ch in marks if hmtx[cmap[ord(ch)]][0] == 1000}
    # every full-width mark but LXGW WenKai's question mark (ink past the middle);
    # its curly quotes are narrow already
    expected = wide - {'？'} if role == 'kai' else wide
    assert {ch for ch in wide if cmap[ord(ch)] in mapping} == expected
    assert len(expected) >= 20
    for ch in expected:
        glyph = cmap[ord(ch)]
        copy = mapping[glyph]
        assert hmtx[copy][0] == 500
        if 'CFF ' in font:                               # the charstring says so too
            assert charstring_width(font, copy) == 500
        ink, copy_ink = BoundsPen(glyphs), BoundsPen(glyphs)
        glyphs[glyph].draw(ink)
        glyphs[copy].draw(copy_ink)
        shift = 0 if ch in cjk_compress.CLOSING else -500   # an opening mark's ink moves left
        assert copy_ink.bounds == (ink.bounds[0] + shift, ink.bounds[1],
                                   ink.bounds[2] + shift, ink.bounds[3])
        assert 0 <= copy_ink.bounds[0] and copy_ink.bounds[2] <= 500
    # every script and language system has the feature
    index = gsub.FeatureList.FeatureRecord.index(records[0])
    for script in gsub.ScriptList.ScriptRecord:
        for system in [script.Script.DefaultLangSys] + [r.LangSys for r in script.Script.LangSysRecord]:
            if system is not None:
                assert index in system.FeatureIndex
    tags = [r.FeatureTag for r in gsub.FeatureList.FeatureRecord]
    assert tags == sorted(tags)


def test_the_half_width_copies_are_what_harfbuzz_sets():
    import uharfbuzz as hb
    data = cjk_compress.half_width_font(fonts.subset(fonts.face('serif'), '好”。'))
    font = hb.Font(hb.Face(data))

    def advances(features):
        buf = hb.Buffer()
        buf.add_str('好”。好')
        buf.guess_segment_properties()
        hb.shape(font, buf, features)
        return [p.x_advance for p in buf.glyph_positions]

    assert advances({}) == [1000, 1000, 1000, 1000]
    assert advances({cjk_compress.FEATURE: True}) == [1000, 500, 500, 1000]


def test_a_font_without_closing_marks_is_left_as_it_is():
    data = fonts.subset(fonts.face('emoji'), '😀')
    assert cjk_compress.half_width_font(data) == data
    serif = fonts.subset(fonts.face('serif'), '他说好')
    assert cjk_compress.half_width_font(serif) == serif


# A line that breaks before an unbreakable ``光……”``: with its ``，“`` set
# compressed it would need more space between its characters than
# justification puts in (cjk_justify.MAX_SPACING_EM).
TIGHT = ('热烈的气氛中，作家们登台合唱经过改编的歌词，“走在乡间的小路上，披着月亮湾的月光……”'
         '站在合唱的行列里，看着乡亲们兴奋的面容，我突然想，我们用不着对三线厂的离开感到遗憾。')


def test_a_line_short_of_room_sets_its_marks_full_width_again(tmp_path):
    (tmp_path / 'seeds').mkdir()
    article = Article(name='tight', blocks=(Paragraph(TIGHT),), meta=Meta(),
                      source_path=tmp_path / 'seeds' / 'tight.txt')
    pdf = write_file('pdf', article, load_layout('default', tmp_path), tmp_path / 'tight.pdf')
    first, second = chars_of(pdf)[:2]
    assert ''.join(c for c, _, _ in first).endswith('月亮湾的月')
    right = max(x + size for _, x, size in second)     # the column's right edge (a full line)
    last_char, last_x, size = first[-1]
    assert abs(last_x + size - right) < 0.5              # flush: justified
    pairs = [(b[1] - a[1]) / a[2] for a, b in zip(first, first[1:]) if a[0] + b[0] == '，“']
    assert pairs and all(adv > 0.95 for adv in pairs)   # the pair took its full width back
    plain = run(tool('pdftotext'), '-enc', 'UTF-8', str(pdf), '-')
    assert TIGHT in plain.replace('\n', '')


def test_the_half_width_fonts_are_kept_between_runs(monkeypatch, tmp_path):
    monkeypatch.setenv('XDG_CACHE_HOME', str(tmp_path))
    data = fonts.subset(fonts.face('serif'), '好”。')
    first = cjk_compress.half_width_font(data)
    assert cjk_compress.cache_path(data).read_bytes() == first

    def made_again(*args):
        raise AssertionError('made again')

    with monkeypatch.context() as m:
        m.setattr(cjk_compress, '_with_copies', made_again)
        assert cjk_compress.half_width_font(data) == first
    # the least recently used go beyond CACHE_ENTRIES
    monkeypatch.setattr(cjk_compress, 'CACHE_ENTRIES', 2)
    for text in ('甲”。', '乙”。', '丙”。'):
        cjk_compress.half_width_font(fonts.subset(fonts.face('serif'), text))
    kept = list(cjk_compress.cache_path(data).parent.glob('*.otf'))
    assert len(kept) == 2 and cjk_compress.cache_path(data) not in kept
    # no cache folder: made each time, the same bytes
    monkeypatch.setattr(cjk_compress, 'cache_folder', lambda: None)
    assert cjk_compress.half_width_font(data) == first
