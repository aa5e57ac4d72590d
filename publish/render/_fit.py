"""Cutting a metadata value down to a format's length limit.

The formats limit some metadata fields (a DOCX core property holds 255
characters; a PDF/A string 32767 bytes).  A value too long keeps as much of
its start as fits, followed by an ellipsis, and is cut only where a character
ends: never between a letter and its combining marks, inside an emoji
sequence (joiners, variation selectors, skin tones, tags) or between the two
halves of a flag.
"""
from __future__ import annotations

import unicodedata
from typing import Callable

ELLIPSIS = '…'

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


def fit(text: str, limit: int, size: Callable[[str], int] = len) -> str:
    """*text* when ``size(text) <= limit``; otherwise its longest start that,
    cut where a character ends and followed by an ellipsis, has a size within
    *limit* (spaces before the ellipsis dropped).  *size* must grow with the
    text: :func:`len` counts code points."""
    if size(text) <= limit:
        return text
    if size(ELLIPSIS) > limit:
        raise ValueError(f'a limit of {limit} leaves no room for an ellipsis')
    cuts = [i for i in range(len(text)) if is_boundary(text, i)]
    lo, hi = 0, len(cuts) - 1                     # cuts[0] == 0 always fits
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if size(text[:cuts[mid]] + ELLIPSIS) <= limit:
            lo = mid
        else:
            hi = mid - 1
    return text[:cuts[lo]].rstrip() + ELLIPSIS
