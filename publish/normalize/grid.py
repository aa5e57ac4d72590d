"""The type grid of the page the text was copied from.

Chinese newspaper columns are set on a grid: every full line holds the same
number of characters, and a paragraph's first line is indented.  A column
ends at the end of a full line, so the text above a column break always
fills its last line, while a paragraph usually ends part-way through one.
The line width is not given; it is read off the breaks that are certainly
column breaks (a word cut in two, a sentence cut at a comma …): the
paragraph up to each of them fills a whole number of lines.  The column
height is read the same way: the line counts at those breaks differ by
whole columns.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

MIN_WIDTH, MAX_WIDTH = 8, 40
MIN_ANCHORS = 3
MIN_HEIGHT = 8


INDENT = 2           # a paragraph's first line is indented two characters


@dataclass(frozen=True)
class Grid:
    width: int                  # characters (or cells) in a full line
    height: int | None = None   # lines in a column, when known
    phase: int = 0              # line count (modulo height) at which a column ends
    in_cells: bool = False      # widths are display cells, not characters

    def fills_line(self, length: float) -> bool:
        """Whether a paragraph's first ``length`` characters end exactly at the
        end of a line (its first line holding ``width - INDENT``)."""
        return (length + INDENT) % self.width == 0

    def short_of_line(self, length: float) -> bool:
        """Whether a paragraph's first ``length`` characters surely end
        part-way through a line: they fill no line of this width nor of any
        width it is a multiple of (the width is read off a few breaks, and
        lengths that all fit a width fit its divisors too; a width twice the
        true one fits three of them one time in eight)."""
        return not any((length + INDENT) % width == 0
                       for width in range(MIN_WIDTH, self.width + 1) if self.width % width == 0)

    def widths(self) -> list[int]:
        """This width and the widths it is a multiple of, widest first."""
        return [w for w in range(self.width, MIN_WIDTH - 1, -1) if self.width % w == 0]

    def lines(self, length: float) -> int:
        """Lines taken by a paragraph of ``length`` characters."""
        return int(-(-(length + INDENT) // self.width))

    def at_column_foot(self, line: int) -> bool:
        """Whether a column ends after ``line`` lines (counted from the top of the text)."""
        return self.height is not None and line % self.height == self.phase


def line_length(source_line: str) -> int:
    """Places a line of the source takes on the grid: every character between
    its indent and its end, spaces inside the line included, characters that
    print nothing (zero-width, control) not."""
    from .clean import IGNORABLE
    return len(IGNORABLE.sub('', source_line).strip(' \t\u3000\u00a0'))


def estimate(offsets: list[int], cell_offsets: list[float] | None = None) -> Grid | None:
    """The grid that the paragraph lengths at known column breaks agree on.

    The widest line width (MIN_WIDTH..MAX_WIDTH) that every one of them
    fits, with at least MIN_ANCHORS of them, in characters or, failing
    that, in display cells (``cell_offsets``, the same lengths in cells).
    A divisor of the true width fits as well; the widest is the cautious
    choice for a full line, the evidence for a join (a narrower grid would
    find more paragraphs filling their last line by chance), and a line
    is taken as short, the evidence against one, only when it is short at
    every divisor too (:meth:`Grid.short_of_line`).  None when no width fits."""
    for lengths, in_cells in ((offsets, False), (cell_offsets or [], True)):
        if len(lengths) < MIN_ANCHORS:
            continue
        for width in range(MAX_WIDTH, MIN_WIDTH - 1, -1):
            if all((o + INDENT) % width == 0 for o in lengths):
                return Grid(width, in_cells=in_cells)
    return None


def with_height(page: Grid, anchor_lines: list[int]) -> Grid:
    """The grid with its column height, read off the line counts at known
    column breaks: the height divides every distance between two of them."""
    height = 0
    for a, b in zip(anchor_lines, anchor_lines[1:]):
        height = math.gcd(height, b - a)
    if height < MIN_HEIGHT:
        return page
    return Grid(page.width, height, anchor_lines[0] % height, page.in_cells)
