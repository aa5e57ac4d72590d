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


def _page(paragraphs: list[str], width: int, height: int) -> str:
    """The text of a page set in columns ``width`` characters wide and
    ``height`` lines high, first lines indented two, copied out as one block
    per paragraph and a blank line more where a column ends inside one."""
    lines = []
    for number, paragraph in enumerate(paragraphs):
        room, rest = width - 2, paragraph
        while rest:
            lines.append((number, rest[:room]))
            rest, room = rest[room:], width
    blocks, current = [], ''
    for at, (number, text) in enumerate(lines):
        if at and (number != lines[at - 1][0] or at % height == 0):
            blocks.append(current)
            current = ''
        current += text
    return '\n\n'.join([*blocks, current]) + '\n'


_CLAUSES = ['社区食堂每天供应早餐', '老人凭卡就餐可以享受八折优惠', '街道还请来营养师调配菜谱', '大家都说办得好',
            '菜单每周更新一次', '下一步还将开通送餐上门服务', '行动不便的老人打个电话就能订餐', '居民们纷纷点赞']


def test_a_narrower_width_is_taken_where_it_alone_gives_the_columns_one_height():
    import random
    from publish.model import block_text
    from publish.normalize import normalize_text
    rng = random.Random(18)
    paragraphs = ['社区食堂开进老小区'] + ['，'.join(rng.choice(_CLAUSES) for _ in range(rng.randint(3, 7))) + '。'
                                        for _ in range(14)]
    source = _page(paragraphs, 10, 9)
    seen = []
    estimate = grid.estimate
    try:
        grid.estimate = lambda *a: seen.append(estimate(*a)) or seen[-1]
        blocks = [block_text(b) for b in normalize_text(source).blocks]
    finally:
        grid.estimate = estimate
    # the sure breaks of this page all fit a line of 20 as well as one of 10
    assert seen and seen[0].width == 20
    assert blocks == paragraphs
    assert any(cue.startswith('the break falls at the foot of a column')
               for d in normalize_text(source).decisions for cue in d.cues)
