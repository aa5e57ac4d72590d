"""The normalizer: damaged text copied out of newspaper columns → typed blocks.

    text ─ clean ─ split into blocks ─ decide every blank line (join / keep)
         ─ widen punctuation ─ recover structure → blocks of the article model

Importing this package is cheap: it never imports a renderer.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..model import Block
from .breaks import Decision
from .repair import repair
from .structure import structure


@dataclass(frozen=True)
class Normalized:
    blocks: tuple[Block, ...]
    decisions: tuple[Decision, ...]


def normalize_text(text: str, force_join: frozenset[int] = frozenset(),
                   force_break: frozenset[int] = frozenset()) -> Normalized:
    """Normalize source text.  ``force_join``/``force_break`` are source line
    numbers (of a blank line, or of the first line below it) whose decision
    is overridden."""
    repaired = repair(text, force_join, force_break)
    blocks = structure([p.text for p in repaired.paragraphs])
    return Normalized(tuple(blocks), repaired.decisions)
