"""Text repair: cleaned source → paragraphs, with a decision for every break."""
from __future__ import annotations

from dataclasses import dataclass

from . import breaks
from .blocks import SourceBlock, split_blocks
from .clean import clean
from .punct import widen


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
    pieces = [_Piece([' '.join(line.split()) for line in block.lines], block.line,
                     block.line - block.blank_before, _override(block, force_join, force_break))
              for block in split_blocks(cleaned)]
    decisions: dict[int, breaks.Decision] = {}
    while True:
        merged: list[_Piece] = []
        for piece in pieces:
            if not merged:
                merged.append(piece)
                continue
            current = merged[-1]
            left_text, right_text = '\n'.join(current.lines), '\n'.join(piece.lines)
            if piece.forced is not None:
                decision = breaks.forced(piece.blank_line, piece.forced, left_text, right_text)
            else:
                decision = breaks.decide(left_text, right_text, piece.blank_line, left_text,
                                         headline_area=not any(_running(p) for p in merged[:-1]))
            decisions[piece.blank_line] = decision
            if decision.join:
                joined = breaks.join_across(current.lines[-1], piece.lines[0], cleaned)
                current.lines[-1:] = [joined] + piece.lines[1:]
            else:
                merged.append(piece)
        if len(merged) == len(pieces):
            break
        pieces = merged
    return Repaired(
        paragraphs=tuple(Paragraph(tuple(widen('\n'.join(p.lines)).split('\n')), p.line) for p in merged),
        decisions=tuple(decisions[k] for k in sorted(decisions)))


def _running(piece: '_Piece') -> bool:
    """Whether a paragraph is running text (it has a finished sentence)."""
    return any(breaks.SENTENCE_INSIDE.search(line) for line in piece.lines)


@dataclass
class _Piece:
    lines: list[str]
    line: int               # first line of the piece in the source
    blank_line: int         # the blank line above it
    forced: bool | None     # the sidecar's decision for that blank line, if any


def _override(block: SourceBlock, force_join: frozenset[int],
              force_break: frozenset[int]) -> bool | None:
    lines = set(range(block.line - block.blank_before, block.line + 1))
    if lines & force_join:
        return True
    if lines & force_break:
        return False
    return None
