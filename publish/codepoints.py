"""Sets of Unicode code points kept as sorted ranges, and the code points a
font file has glyphs for.

A CJK font has glyphs for some 45,000 code points in two to three thousand
ranges.  Read from the font (HarfBuzz) into frozensets, the six shipped
fonts' cost 0.05 s, in every process that checks an article against them.  So a font's code points are kept in the cache folder
(``cmaps/``) as their ranges, which load in microseconds and answer
``code in points`` by bisection.
"""
from __future__ import annotations

from array import array
from bisect import bisect_right
from pathlib import Path
from typing import Iterable, Iterator

from publish.cachedir import derived_path, keep_derived

_CACHE_FORMAT = 1


class CodePoints:
    """An immutable set of code points: ``bounds`` holds the start and the
    end (exclusive) of each range, ranges sorted, apart and not touching."""

    __slots__ = ('bounds',)

    def __init__(self, bounds: Iterable[int] = ()):
        self.bounds = array('I', bounds)

    @classmethod
    def of(cls, codes: Iterable[int]) -> CodePoints:
        bounds = array('I')
        for code in sorted(set(codes)):
            if bounds and bounds[-1] == code:
                bounds[-1] = code + 1
            else:
                bounds.extend((code, code + 1))
        return cls(bounds)

    def ranges(self) -> Iterator[tuple[int, int]]:
        b = self.bounds
        return zip(b[::2], b[1::2])

    def __contains__(self, code) -> bool:
        return isinstance(code, int) and bisect_right(self.bounds, code) % 2 == 1

    def __or__(self, other: CodePoints) -> CodePoints:
        return union(self, other)

    def __iter__(self) -> Iterator[int]:
        for start, end in self.ranges():
            yield from range(start, end)

    def __bool__(self) -> bool:
        return len(self.bounds) > 0

    def __len__(self) -> int:
        return sum(end - start for start, end in self.ranges())

    def __eq__(self, other) -> bool:
        return isinstance(other, CodePoints) and self.bounds == other.bounds

    def __hash__(self) -> int:
        return hash(self.bounds.tobytes())

    def __repr__(self) -> str:
        return f'<CodePoints: {len(self)} in {len(self.bounds) // 2} ranges>'


def union(*sets: CodePoints) -> CodePoints:
    """The code points in any of *sets*."""
    spans = sorted(span for points in sets for span in points.ranges())
    if not spans:
        return CodePoints()
    merged = []
    start, end = spans[0]
    for s, e in spans:
        if s <= end:
            if e > end:
                end = e
        else:
            merged += (start, end)
            start, end = s, e
    merged += (start, end)
    return CodePoints(merged)


def of_font(path: Path) -> CodePoints:
    """The code points the font file *path* maps to glyphs (its cmap)."""
    kept = derived_path('cmaps', path, _CACHE_FORMAT)
    if kept is not None:
        points = _read_entry(kept)
        if points is not None:
            return points
    import uharfbuzz as hb
    points = CodePoints.of(hb.Face(hb.Blob.from_file_path(str(path))).unicodes)
    if kept is not None and points.bounds.itemsize == 4:
        keep_derived(kept, points.bounds.tobytes())
    return points


def _read_entry(path: Path) -> CodePoints | None:
    """The code points kept at *path*; None when absent or not whole."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    bounds = array('I')
    if bounds.itemsize != 4 or len(data) % 8:
        return None
    bounds.frombytes(data)
    if list(bounds) != sorted(set(bounds)):         # not strictly increasing
        return None
    return CodePoints(bounds)
