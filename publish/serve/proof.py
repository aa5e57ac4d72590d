"""An article as the proofing view shows it.

Each block of the article becomes a :class:`BlockView`: its kind (a CSS
class and a label) and its text cut into pieces, with a mark wherever a
blank line of the source was joined.  A blank line kept as a paragraph
break is shown as the gap before the block it starts.

The decisions carry the text just above and just below their blank line;
they are found in the article's text in source order, whitespace ignored.
A decision that cannot be placed (the sidecar renamed a headline part, say)
is still listed, only not marked in the text.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..model import (Byline, Caption, EditorNote, Figure, Headline, Paragraph, QAHead, QAKind,
                     Subhead, block_text)
from .decisions import BreakDecision


@dataclass
class Piece:
    text: str = ''
    decision: BreakDecision | None = None      # a joined break at the end of the text


@dataclass
class BlockView:
    number: int                     # 1-based, as the sidecar's figure ``after:`` counts
    kind: str                       # banner, kicker, title, subtitle, byline, paragraph, …
    pieces: list[Piece] = field(default_factory=list)
    gap: BreakDecision | None = None  # the kept break above this block
    parts: list[tuple[str, str]] = field(default_factory=list)  # a headline's (role, text)


def block_kind(block) -> str:
    if isinstance(block, Headline):
        return block.parts[0].role.value if len(block.parts) == 1 else 'headline'
    if isinstance(block, Paragraph):
        if block.run_in is not None:
            return 'run_in'
        if block.dateline:
            return 'dateline'
        return 'lead' if block.lead else 'paragraph'
    if isinstance(block, QAHead):
        return 'question' if block.kind is QAKind.QUESTION else 'answer'
    for cls, kind in ((Byline, 'byline'), (Subhead, 'subhead'), (Caption, 'caption'),
                      (EditorNote, 'editor_note'), (Figure, 'figure')):
        if isinstance(block, cls):
            return kind
    raise TypeError(f'unknown block type: {type(block).__name__}')


def _squeezed(text: str) -> tuple[str, list[int]]:
    """*text* without whitespace, and for each of its characters the index in *text*."""
    chars, where = [], []
    for index, ch in enumerate(text):
        if not ch.isspace():
            chars.append(ch)
            where.append(index)
    return ''.join(chars), where


def _find_join(flat: str, start: int, left: str, right: str) -> int | None:
    """Index in *flat* where *left* ends and *right* begins, at or after *start*."""
    left, _ = _squeezed(left)
    right, _ = _squeezed(right)
    for size in (6, 4, 2, 1):
        tail, head = left[-size:], right[:size]
        if not tail or not head:
            continue
        found = flat.find(tail + head, start)
        if found >= 0:
            return found + len(tail)
    return None


def view(article, decisions: tuple[BreakDecision, ...]) -> list[BlockView]:
    texts = [block_text(b) for b in article.blocks]
    flats = [_squeezed(t) for t in texts]
    cuts: dict[int, list[tuple[int, BreakDecision]]] = {}
    gaps: dict[int, BreakDecision] = {}
    block, offset = 0, 0
    for decision in decisions:
        if decision.join:
            for b in range(block, len(texts)):
                at = _find_join(flats[b][0], offset if b == block else 0, decision.left, decision.right)
                if at is not None:
                    block, offset = b, at
                    cuts.setdefault(b, []).append((flats[b][1][at - 1] + 1, decision))
                    break
        else:
            head, _ = _squeezed(decision.right)
            for b in range(block + 1, len(texts)):
                if head and flats[b][0].startswith(head[:4]) and b not in gaps:
                    block, offset = b, 0
                    gaps[b] = decision
                    break
    views = []
    for index, (b, text) in enumerate(zip(article.blocks, texts)):
        pieces, last = [], 0
        for at, decision in cuts.get(index, []):
            pieces.append(Piece(text[last:at], decision))
            last = at
        pieces.append(Piece(text[last:]))
        parts = [(p.role.value, p.text) for p in b.parts] if isinstance(b, Headline) else []
        views.append(BlockView(index + 1, block_kind(b), pieces, gaps.get(index), parts))
    return views


def ordered_for_review(decisions: tuple[BreakDecision, ...]) -> list[BreakDecision]:
    """Uncertain decisions first (least sure first), then the others in source order."""
    return sorted(decisions, key=lambda d: (not d.uncertain, d.confidence if d.uncertain else 0, d.line))
