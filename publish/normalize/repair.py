"""Text repair: cleaned source → paragraphs, with a decision for every break."""
from __future__ import annotations

from dataclasses import dataclass

from . import breaks, grid
from .blocks import SourceBlock, split_blocks
from .clean import clean
from .punct import as_printed, widen


@dataclass(frozen=True)
class Paragraph:
    """A repaired paragraph: its lines (as printed) and where it starts."""

    lines: tuple[str, ...]
    line: int

    @property
    def text(self) -> str:
        return '\n'.join(self.lines)


@dataclass(frozen=True)
class Repaired:
    paragraphs: tuple[Paragraph, ...]
    decisions: tuple[breaks.Decision, ...]


def repair(text: str, force_join: frozenset[int] = frozenset(),
           force_break: frozenset[int] = frozenset()) -> Repaired:
    """Join column-broken paragraphs and widen punctuation.

    ``force_join`` / ``force_break`` hold source line numbers of blank lines
    (or of the first line of the block below them) whose decision the user
    overrides.

    Breaks are decided in passes until none changes: a paragraph joined in
    one pass is weighed whole in the next.  The result is a fixed point, so
    repairing repaired text changes nothing."""
    cleaned = clean(text)
    pieces = _pieces(text, cleaned, force_join, force_break)
    merged, decisions, anchors = _decide_all(pieces, cleaned, None)
    page_grid = grid.estimate([length for length, _ in anchors])
    if page_grid:
        merged, decisions, anchors = _decide_all(pieces, cleaned, page_grid)
        page_grid = grid.with_height(page_grid, [line for _, line in anchors])
        if page_grid.height:
            merged, decisions, _ = _decide_all(pieces, cleaned, page_grid)
    return Repaired(
        paragraphs=tuple(Paragraph(tuple(p.lines) if p.as_printed
                                   else tuple(widen('\n'.join(p.lines)).split('\n')), p.line)
                         for p in merged),
        decisions=tuple(decisions[k] for k in sorted(decisions)))


def _pieces(text: str, cleaned: str, force_join: frozenset[int] = frozenset(),
            force_break: frozenset[int] = frozenset()) -> list['_Piece']:
    """The source's blocks, each with its override and its length on the grid.

    Punctuation inside a block is widened already, so that the breaks are
    weighed on the text as it will read (and as it reads when normalized
    text is normalized again); what stands at a break is widened once more
    after the joins.  A line that has full-width marks is left as printed."""
    source_lines = text.replace('\r\n', '\n').replace('\r', '\n').split('\n')
    pieces = []
    for block in split_blocks(cleaned):
        raw = [' '.join(line.split()) for line in block.lines]
        printed = [as_printed(line) for line in raw]
        # widened as a whole (a mark opening a line punctuates the line above),
        # then the lines printed wide put back
        wide = widen('\n'.join(raw)).split('\n')
        pieces.append(_Piece([r if p else w for r, w, p in zip(raw, wide, printed)], block.line,
                             block.line - block.blank_before, _override(block, force_join, force_break),
                             sum(grid.line_length(source_lines[n - 1])
                                 for n in range(block.line, block.line + len(block.lines))),
                             as_printed=any(printed)))
    return pieces


def _decide_all(pieces: list['_Piece'], cleaned: str, page_grid: grid.Grid | None
                ) -> tuple[list['_Piece'], dict[int, breaks.Decision], list[tuple[int, int]]]:
    """Decide every break, in passes until none changes.  Returns the
    paragraphs, the decisions by blank line, and, for the breaks that are
    certainly column breaks, the paragraph length and the line count there
    (to read the grid from)."""
    pieces = [_Piece(list(p.lines), p.line, p.blank_line, p.forced, p.grid_length, as_printed=p.as_printed)
              for p in pieces]
    decisions: dict[int, breaks.Decision] = {}
    anchors: dict[int, tuple[int, int]] = {}
    while True:
        merged: list[_Piece] = []
        for piece in pieces:
            if not merged:
                merged.append(piece)
                continue
            current = merged[-1]
            left_text, right_text = '\n'.join(current.lines), '\n'.join(piece.lines)
            length = current.grid_length
            fills = page_grid is not None and page_grid.fills_line(length)
            line = current.first_line + (page_grid.lines(length) if page_grid else 0)
            if piece.forced is not None:
                decision = breaks.forced(piece.blank_line, piece.forced, left_text, right_text)
            else:
                decision = breaks.decide(
                    left_text, right_text, piece.blank_line,
                    headline_area=not any(_running(p) for p in merged[:-1]),
                    fills_line=fills and page_grid.height is None,
                    column_foot=fills and page_grid.at_column_foot(line))
            decisions[piece.blank_line] = decision
            if decision.join and decision.confidence >= ANCHOR_CONFIDENCE:
                anchors[piece.blank_line] = (length, line)
            if decision.join:
                joined = breaks.join_across(current.lines[-1], piece.lines[0], cleaned)
                current.lines[-1:] = [joined] + piece.lines[1:]
                current.grid_length += piece.grid_length
                current.as_printed = current.as_printed or piece.as_printed
            else:
                piece.first_line = line
                merged.append(piece)
        if len(merged) == len(pieces):
            return merged, decisions, [anchors[k] for k in sorted(anchors) if decisions[k].join]
        pieces = merged


# A join this sure is taken as a known column break when reading the grid.
ANCHOR_CONFIDENCE = 0.97


def _running(piece: '_Piece') -> bool:
    """Whether a paragraph is running text (it has a finished sentence)."""
    return any(breaks.SENTENCE_INSIDE.search(line) for line in piece.lines)


@dataclass
class _Piece:
    lines: list[str]
    line: int               # first line of the piece in the source
    blank_line: int         # the blank line above it
    forced: bool | None     # the sidecar's decision for that blank line, if any
    grid_length: int        # places it takes on the page's type grid
    first_line: int = 0     # lines of the grid above it, once the grid is known
    as_printed: bool = False  # a line had full-width marks: its ASCII ones stay (see punct.as_printed)


def _override(block: SourceBlock, force_join: frozenset[int],
              force_break: frozenset[int]) -> bool | None:
    lines = set(range(block.line - block.blank_before, block.line + 1))
    if lines & force_join:
        return True
    if lines & force_break:
        return False
    return None
