"""The page grid read off certain column breaks (publish/normalize/grid.py)."""
from __future__ import annotations

from publish.normalize import grid
from publish.normalize.chars import cells


def test_one_width_must_fit_every_certain_break():
    # paragraph lengths at three column breaks of a 20-character column (first line indented 2)
    assert grid.estimate([18, 38, 58]) == grid.Grid(20)
    # one break that does not fit: no grid, the text decides alone
    assert grid.estimate([18, 38, 58, 61]) is None


def test_two_breaks_are_no_clear_margin():
    assert grid.estimate([18, 38]) is None


def test_widths_in_display_cells_where_characters_do_not_fit():
    # the same breaks on a page that sets digits half a cell: 2 characters of
    # digits more at each, in characters, and none in cells
    assert grid.estimate([17, 37, 57], [18, 38, 58]) == grid.Grid(20, in_cells=True)
    assert cells('会议于2018年召开') == 8
    assert grid.line_length('\u3000\u3000会议于2018年召开') == 10


def test_a_line_is_short_only_when_short_at_every_width_the_grid_may_have():
    # three breaks that fit 20 fit 10 as well, one time in eight by chance:
    # 8 characters (10 cells with the indent) fill a line of 10
    page = grid.Grid(20)
    assert not page.short_of_line(8)
    assert not page.short_of_line(18)
    assert page.short_of_line(13)
    assert grid.Grid(13).short_of_line(9)
    assert not grid.Grid(13).short_of_line(11)
