"""Splitting cleaned text into the blocks the source shows (runs of non-blank
lines separated by blank lines), remembering where each starts."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SourceBlock:
    lines: tuple[str, ...]
    line: int            # 1-based line number of the first line in the source
    blank_before: int    # blank lines between the previous block and this one

    @property
    def text(self) -> str:
        return '\n'.join(self.lines)

    @property
    def flat(self) -> str:
        """The block's lines joined as one run of text."""
        return join_lines(self.lines)


def split_blocks(text: str) -> list[SourceBlock]:
    blocks: list[SourceBlock] = []
    cur: list[str] = []
    start = blank = 0
    for number, line in enumerate(text.split('\n'), 1):
        if line:
            if not cur:
                start = number
            cur.append(line)
            continue
        if cur:
            blocks.append(SourceBlock(tuple(cur), start, blank))
            cur, blank = [], 0
        blank += 1
    if cur:
        blocks.append(SourceBlock(tuple(cur), start, blank))
    return blocks


def join_pair(left: str, right: str) -> str:
    """Join two pieces of one paragraph: no space between CJK, one space between
    Latin words (or wherever either side already has a space)."""
    from .chars import is_cjk
    if not left or not right:
        return left + right
    a, b = left[-1], right[0]
    if a == ' ' or b == ' ' or is_cjk(a) or is_cjk(b):
        return left + right
    return left + ' ' + right


def join_lines(lines: tuple[str, ...] | list[str]) -> str:
    out = ''
    for line in lines:
        out = join_pair(out, line) if out else line
    return out
