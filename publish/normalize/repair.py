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
    overrides."""
    cleaned = clean(text)
    blocks = split_blocks(cleaned)
    decisions: list[breaks.Decision] = []
    paragraphs: list[tuple[list[str], int]] = []
    for block in blocks:
        lines = [' '.join(line.split()) for line in block.lines]
        if not paragraphs:
            paragraphs.append((lines, block.line))
            continue
        current, _ = paragraphs[-1]
        blank_line = block.line - block.blank_before
        left_text, right_text = '\n'.join(current), '\n'.join(lines)
        overridden = _override(block, blank_line, force_join, force_break)
        if overridden is not None:
            decision = breaks.forced(blank_line, overridden, left_text, right_text)
        else:
            decision = breaks.decide(left_text, right_text, blank_line, left_text)
        decisions.append(decision)
        if decision.join:
            joined = breaks.join_across(current[-1], lines[0], cleaned)
            current[-1:] = [joined] + lines[1:]
        else:
            paragraphs.append((lines, block.line))
    return Repaired(
        paragraphs=tuple(Paragraph(tuple(widen(line) for line in lines), start)
                         for lines, start in paragraphs),
        decisions=tuple(decisions))


def _override(block: SourceBlock, blank_line: int, force_join: frozenset[int],
              force_break: frozenset[int]) -> bool | None:
    lines = set(range(blank_line, block.line + 1))
    if lines & force_join:
        return True
    if lines & force_break:
        return False
    return None
