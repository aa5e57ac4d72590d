"""The normalizer: damaged text copied out of newspaper columns → typed blocks.

    text ─ clean ─ split into blocks ─ decide every blank line (join / keep)
         ─ widen punctuation ─ recover structure → blocks of the article model

Importing this package is cheap: it never imports a renderer.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..model import Block
from .breaks import Decision
from .repair import repair
from .structure import structure


@dataclass(frozen=True)
class Normalized:
    blocks: tuple[Block, ...]
    decisions: tuple[Decision, ...]
    lines: tuple[int, ...] = ()      # the source line each block starts at


def normalize_text(text: str, force_join: frozenset[int] = frozenset(),
                   force_break: frozenset[int] = frozenset(),
                   kinds: Mapping[int, str] | None = None) -> Normalized:
    """Normalize source text.  ``force_join``/``force_break`` are source line
    numbers (of a blank line, or of the first line below it) whose decision
    is overridden.  ``kinds`` maps the source line a block starts at to the
    type it is given (one of :data:`.structure.KINDS`); a line that starts
    no block is not looked at (the caller sees it in ``lines``)."""
    repaired = repair(text, force_join, force_break)
    kinds = kinds or {}
    blocks = structure([p.text for p in repaired.paragraphs], [kinds.get(p.line) for p in repaired.paragraphs])
    return Normalized(tuple(blocks), repaired.decisions, tuple(p.line for p in repaired.paragraphs))
