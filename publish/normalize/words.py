"""Chinese word segmentation, just enough to see a word cut by a column break
(``督`` | ``导考评``).

The dictionary (``publish/data/words.txt.gz``, "word frequency part-of-speech"
lines sorted by word) is derived from jieba's dictionary (MIT licence) by
``scripts/make_wordlist.py``.  It is loaded on first use and searched by
bisection, so loading costs a few tens of milliseconds and no big table.
Segmentation is the classic unigram model: the split of a run of Han
characters that maximises the product of word probabilities.
"""
from __future__ import annotations

import math
from functools import lru_cache

from . import table
from .chars import is_han

_WINDOW = 6            # characters on each side of a break that are segmented


class _Lexicon(table.SortedLines):
    """The sorted "word frequency tag" lines."""

    def __init__(self, data: bytes, starts=None):
        super().__init__(data, starts)
        sample = (self.line(i) for i in range(0, self.count, 50))
        self.log_total = math.log(sum(int(line.split(b' ')[1]) for line in sample) * 50)

    def find(self, word: str) -> list[str] | None:
        fields = super().find(word)
        return [word, *fields] if fields is not None else None


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    return table.load('words.txt.gz', _Lexicon)


@lru_cache(maxsize=1 << 16)
def _entry(word: str) -> list[str] | None:
    return _lexicon().find(word)


def frequency(word: str) -> int:
    entry = _entry(word)
    return int(entry[1]) if entry else 0


def part_of_speech(word: str) -> str:
    """jieba's (ICTCLAS) tag of a word: n noun, v verb, p preposition, d adverb,
    c conjunction, u particle, m numeral, q measure word …; '' if unknown."""
    entry = _entry(word)
    return entry[2] if entry else ''


def last_word(text: str) -> str:
    """The last word of the Han characters that end ``text`` ('' if none)."""
    tail = _han_tail(text)
    return segment(tail)[-1] if tail else ''


def first_word(text: str) -> str:
    head = _han_head(text)
    return segment(head)[0] if head else ''


@lru_cache(maxsize=4096)
def segment(run: str) -> tuple[str, ...]:
    """Split a run of Han characters into words (most probable split)."""
    return _segment(run)[0]


def log_probability(run: str) -> float:
    """Log probability of the most probable split of a run of Han characters."""
    return _segment(run)[1]


@lru_cache(maxsize=4096)
def _segment(run: str) -> tuple[tuple[str, ...], float]:
    log_total = _lexicon().log_total
    n = len(run)
    best = [0.0] + [-math.inf] * n
    back = [0] * (n + 1)
    for end in range(1, n + 1):
        for length in range(1, min(4, end) + 1):
            word = run[end - length:end]
            f = frequency(word)
            if not f and length > 1:
                continue
            score = best[end - length] + math.log(f or 1) - log_total
            if score > best[end]:
                best[end], back[end] = score, length
    words: list[str] = []
    end = n
    while end > 0:
        words.append(run[end - back[end]:end])
        end -= back[end]
    return tuple(reversed(words)), best[n]


def _han_tail(text: str) -> str:
    tail = ''
    for ch in reversed(text[-_WINDOW:]):
        if not is_han(ch):
            break
        tail = ch + tail
    return tail


def _han_head(text: str) -> str:
    head = ''
    for ch in text[:_WINDOW]:
        if not is_han(ch):
            break
        head += ch
    return head


def cohesion(left: str, right: str) -> float:
    """How much more probable the text around the break is read as one run
    than as two (natural log): high when a word is cut in two."""
    tail, head = _han_tail(left), _han_head(right)
    if not tail or not head or tail[-1] == head[0]:
        # 谈|谈到: a character repeated across the break reads as a
        # reduplicated word (谈谈) whether or not one was cut.
        return 0.0
    return log_probability(tail + head) - log_probability(tail) - log_probability(head)
