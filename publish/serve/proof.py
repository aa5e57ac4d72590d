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

from ..model import (KINDS, Byline, Caption, EditorNote, Figure, Headline, HeadlineRole, Paragraph,
                     QAHead, QAKind, Subhead, block_text)
from .decisions import BreakDecision, Proof

#: The type (the sidecar's ``blocks:`` word) of each kind of block the view
#: shows; a lead, a paragraph with a dateline or a run-in head is a paragraph.
TYPE_OF = {**{kind: kind for kind in KINDS}, 'lead': 'paragraph', 'dateline': 'paragraph',
           'run_in': 'paragraph'}
HEADLINE_TYPES = tuple(role.value for role in HeadlineRole)


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
    line: int | None = None         # the source line it starts at (None: added by the sidecar)
    type: str = ''                  # its type among the choices ('' for none of them)
    given: bool = False             # its type was given by hand (the sidecar's ``blocks:``)
    choices: tuple[str, ...] = ()   # the types it can be given; none when it cannot be changed


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


def view(proof: Proof) -> list[BlockView]:
    article, decisions = proof.article, proof.decisions
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
    # headline parts are offered down to the first paragraph of running text
    first_paragraph = next((i for i, b in enumerate(article.blocks) if isinstance(b, Paragraph)),
                           len(article.blocks))
    for index, (b, text) in enumerate(zip(article.blocks, texts)):
        pieces, last = [], 0
        for at, decision in cuts.get(index, []):
            pieces.append(Piece(text[last:at], decision))
            last = at
        pieces.append(Piece(text[last:]))
        parts = [(p.role.value, p.text) for p in b.parts] if isinstance(b, Headline) else []
        kind, line = block_kind(b), proof.block_lines[index]
        choices: tuple[str, ...] = ()
        if line is not None:
            headline = index <= first_paragraph or isinstance(b, Headline)
            choices = tuple(k for k in KINDS if headline or k not in HEADLINE_TYPES)
        views.append(BlockView(index + 1, kind, pieces, gaps.get(index), parts, line,
                               TYPE_OF.get(kind, ''), line in proof.given, choices))
    return views


def ordered_for_review(decisions: tuple[BreakDecision, ...]) -> list[BreakDecision]:
    """Uncertain decisions first (least sure first), then the others in source order."""
    return sorted(decisions, key=lambda d: (not d.uncertain, d.confidence if d.uncertain else 0, d.line))
