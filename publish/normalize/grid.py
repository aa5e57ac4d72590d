"""The type grid of the page the text was copied from.

Chinese newspaper columns are set on a grid: every full line holds the same
number of characters, and a paragraph's first line is indented.  A column
ends at the end of a full line, so the text above a column break always
fills its last line, while a paragraph usually ends part-way through one.
The line width is not given; it is read off the breaks that are certainly
column breaks (a word cut in two, a sentence cut at a comma …): the
paragraph up to each of them fills a whole number of lines.
"""
from __future__ import annotations

from dataclasses import dataclass

MIN_WIDTH, MAX_WIDTH = 8, 40
MIN_ANCHORS = 3


INDENT = 2           # a paragraph's first line is indented two characters


@dataclass(frozen=True)
class Grid:
    width: int          # characters in a full line

    def fills_line(self, length: int) -> bool:
        # length: places taken since the paragraph started
        """Whether a paragraph's first ``length`` characters end exactly at the
        end of a line (its first line holding ``width - INDENT``)."""
        return (length + INDENT) % self.width == 0


def line_length(source_line: str) -> int:
    """Places a line of the source takes on the grid: every character between
    its indent and its end, spaces inside the line included, characters that
    print nothing (zero-width, control) not."""
    from .clean import IGNORABLE
    return len(IGNORABLE.sub('', source_line).strip(' \t\u3000\u00a0'))


def estimate(offsets: list[int]) -> Grid | None:
    """The grid that the paragraph lengths at known column breaks agree on.

    The narrowest line width (MIN_WIDTH..MAX_WIDTH) that all of them fit (all
    but one, from four on), with at least MIN_ANCHORS fitting.  Any multiple
    of the true width fits as well, so the narrowest is the safe choice: a
    true column break always fits it.  None when no width fits."""
    if len(offsets) < MIN_ANCHORS:
        return None
    for allowed_misses in (0, 1 if len(offsets) >= 4 else 0):
        for width in range(MIN_WIDTH, MAX_WIDTH + 1):
            fit = sum(1 for o in offsets if (o + INDENT) % width == 0)
            if fit >= MIN_ANCHORS and fit >= len(offsets) - allowed_misses:
                return Grid(width)
    return None
