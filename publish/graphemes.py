"""Where a text may be cut without splitting a character as a reader sees it:
never between a letter and its combining marks, inside an emoji sequence
(joiners, variation selectors, skin tones, tags) or between the two halves
of a flag."""
from __future__ import annotations

import unicodedata

_ZWJ = '\u200d'


def _extends(ch: str) -> bool:
    """True for a character that belongs to the one before it."""
    code = ord(ch)
    return (ch == _ZWJ
            or unicodedata.category(ch) in ('Mn', 'Me', 'Mc')
            or 0xfe00 <= code <= 0xfe0f or 0xe0100 <= code <= 0xe01ef      # variation selectors
            or 0x1f3fb <= code <= 0x1f3ff                                   # skin tones
            or 0xe0020 <= code <= 0xe007f)                                  # tag characters


def _regional(ch: str) -> bool:
    return 0x1f1e6 <= ord(ch) <= 0x1f1ff


def is_boundary(text: str, i: int) -> bool:
    """Whether *text* may be cut before its *i*-th code point."""
    if i <= 0 or i >= len(text):
        return True
    if _extends(text[i]) or text[i - 1] == _ZWJ:
        return False
    if _regional(text[i]) and _regional(text[i - 1]):
        run = 0                                   # flags pair up from the start of the run
        while i - run - 1 >= 0 and _regional(text[i - run - 1]):
            run += 1
        return run % 2 == 0
    return True
