"""A Chinese word list, to see a word running across a column break
(``督`` | ``导考评``).  Loaded on first use only.

The list is derived from jieba's dictionary (MIT licence) by
``scripts/make_wordlist.py``: words of two to four Han characters.
"""
from __future__ import annotations

import gzip
from functools import lru_cache
from importlib import resources

from .chars import is_han


@lru_cache(maxsize=1)
def vocabulary() -> frozenset[str]:
    data = resources.files('publish').joinpath('data/words.txt.gz').read_bytes()
    return frozenset(gzip.decompress(data).decode('utf-8').split('\n'))


def crossing(left: str, right: str) -> str | None:
    """The longest dictionary word made of the end of ``left`` and the start of
    ``right`` (Han characters only), or None."""
    tail = ''
    for ch in reversed(left[-3:]):
        if not is_han(ch):
            break
        tail = ch + tail
    head = ''
    for ch in right[:3]:
        if not is_han(ch):
            break
        head += ch
    if not tail or not head:
        return None
    vocab = vocabulary()
    best = None
    for i in range(1, len(tail) + 1):
        for j in range(1, len(head) + 1):
            if 2 <= i + j <= 4:
                word = tail[-i:] + head[:j]
                if word in vocab and (best is None or len(word) > len(best)):
                    best = word
    return best
