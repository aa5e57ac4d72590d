"""Fonts written without TTFont.save (publish/sfnt.py): the same bytes,
without importing the modules of tables left as they were read."""
from __future__ import annotations

import io
import subprocess
import sys

import pytest
from fontTools.ttLib import TTFont

from publish import fonts
from publish.sfnt import font_bytes

CHARS = '中文排版，。“”《》abcXYZ123'


def subset(role: str) -> bytes:
    return fonts.subset(fonts.face(role), CHARS)


def saved(font: TTFont) -> bytes:
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


@pytest.mark.parametrize('role', ['serif', 'kai', 'emoji'])
def test_a_font_read_and_written_unchanged_is_what_ttfont_saves(role):
    data = subset(role)
    ours = font_bytes(TTFont(io.BytesIO(data), recalcTimestamp=False))
    assert ours == saved(TTFont(io.BytesIO(data), recalcTimestamp=False))
    assert TTFont(io.BytesIO(ours))['cmap'].getBestCmap() == TTFont(io.BytesIO(data))['cmap'].getBestCmap()


def changed(data: bytes) -> TTFont:
    """The TrueType font with glyphs moved, so that glyf, loca, hmtx, maxp and
    head are compiled again (loca's format is set while glyf is written)."""
    font = TTFont(io.BytesIO(data), recalcTimestamp=False)
    glyf = font['glyf']
    for name in font.getGlyphOrder():
        glyph = glyf[name]
        if glyph.numberOfContours > 0:
            glyph.coordinates.translate((7, 0))
            glyph.recalcBounds(glyf)
    font['hmtx'].metrics = {n: (w, lsb + 7) for n, (w, lsb) in font['hmtx'].metrics.items()}
    font['maxp'].numGlyphs = len(font.getGlyphOrder())
    font['post'].formatType = 3.0
    return font


def test_changed_tables_are_compiled_as_ttfont_saves_them():
    data = subset('kai')
    ours = font_bytes(changed(data))
    assert ours == saved(changed(data))
    assert ours != font_bytes(TTFont(io.BytesIO(data), recalcTimestamp=False))


def test_woff2_is_written_as_ttfont_saves_it():
    from fontTools.ttLib import woff2
    fonts_ = []
    for _ in range(2):
        font = TTFont(io.BytesIO(subset('kai')), recalcTimestamp=False)
        font.flavor = 'woff2'
        font.flavorData = woff2.WOFF2FlavorData(transformedTables=())
        fonts_.append(font)
    ours = font_bytes(fonts_[0])
    assert ours.startswith(b'wOF2') and ours == saved(fonts_[1])


def test_the_layout_tables_modules_are_not_imported():
    code = ('import io, sys\n'
            'from fontTools.ttLib import TTFont\n'
            'from publish import fonts\n'
            'from publish.sfnt import font_bytes\n'
            f'font = TTFont(io.BytesIO(fonts.subset(fonts.face("serif"), {CHARS!r})), recalcTimestamp=False)\n'
            'assert "GSUB" in font and "name" in font\n'
            'font_bytes(font)\n'
            'print(sorted(m for m in sys.modules if m.endswith(("otTables", "_n_a_m_e", "G_S_U_B_"))))\n')
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == '[]'
