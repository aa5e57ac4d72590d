"""Cutting a metadata value down to a format's length limit.

The formats limit some metadata fields (a DOCX core property holds 255
characters; a PDF/A string 32767 bytes).  A value too long keeps as much of
its start as fits, followed by an ellipsis, and is cut only where a character
ends (:func:`publish.graphemes.is_boundary`).
"""
from __future__ import annotations

from typing import Callable

from publish.graphemes import is_boundary

ELLIPSIS = '…'


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
