"""Fonts for browsers: a shipped font cut down to the characters a page sets,
as WOFF2.  The web edition writes these beside its page; ``publish serve``
serves them to its own pages."""
from __future__ import annotations

import io
from typing import Iterable

from publish import fonts as _fonts

#: Brotli quality of the WOFF2 files.  fontTools compresses at 11, the
#: slowest: for the seed's serif subset (187 KB) 1.2 s and 143 KB; 9 takes
#: 0.25 s, 24 MB more memory and gives 154 KB; 5 takes 0.03 s, no more
#: memory, and gives 157 KB.
WOFF2_QUALITY = 5


class _Brotli:
    """The brotli module as fontTools' WOFF2 writer calls it, compressing at
    :data:`WOFF2_QUALITY`."""

    def __init__(self, module):
        self.module = module

    def compress(self, data, **options):
        return self.module.compress(data, **{'quality': WOFF2_QUALITY, **options})

    def __getattr__(self, name):
        return getattr(self.module, name)


def woff2(data: bytes) -> bytes:
    """An OpenType font as WOFF2 (fontTools with Brotli), its dates left as they are."""
    import brotli
    from fontTools.ttLib import TTFont, woff2 as _woff2

    from publish.sfnt import font_bytes
    font = TTFont(io.BytesIO(data), recalcTimestamp=False)
    font.flavor = 'woff2'
    # No glyf/loca transform: fontTools makes it in Python, glyph by glyph.
    # For the seed's three subsets it took 0.42 of 0.49 s and saved 18 KB of
    # 418 (4 %): the TrueType Kai font pays it, the CFF fonts have no glyf.
    font.flavorData = _woff2.WOFF2FlavorData(transformedTables=())
    compress, _woff2.brotli = _woff2.brotli, _Brotli(brotli)
    try:
        return font_bytes(font)
    finally:
        _woff2.brotli = compress


def subset_woff2(face: _fonts.FontFace, chars: Iterable[str]) -> bytes:
    """*face* cut down to *chars* (:func:`publish.fonts.subset`), as WOFF2;
    the same face and characters give the same bytes."""
    return woff2(_fonts.subset(face, chars))
