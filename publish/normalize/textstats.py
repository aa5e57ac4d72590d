"""Statistics of real news text, the strongest evidence at a break: how well
the text reads on across it, how often a paragraph ends the way the text
above ends, and how often one starts the way the block below starts.

``publish/data/textstats.txt.gz`` holds, for every character, character
pair and frequent character triple seen in the training text, "key count
ends starts" lines: how often it occurs, how often a paragraph (or
headline line) ends with it and how often one starts with it.  ``scripts/make_text_model.py`` derives it from
People's Daily text (``../shared/corpus/train``); it holds counts, no text.
The table is loaded on first use and searched by bisection (:mod:`.table`).
"""
from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources

from . import table
from .chars import is_han

# Names of the features, as the fitted model (publish/data/break_model.json) weighs them.
READS_ON = 'the characters read on across the break'
ENDS_LIKE = 'paragraphs end the way the text above ends'
STARTS_LIKE = 'paragraphs start the way the block below starts'
READS_ON_LEFT = 'the two characters above read on into the first below'
FEATURES = (READS_ON, ENDS_LIKE, STARTS_LIKE, READS_ON_LEFT)

_MIN_PAIR = 5          # a pair seen fewer times backs off to its last (first) character
TRIGRAM_MIN = 10       # triples seen fewer times are not in the table
_TRIGRAM_EXPECTED = 40  # a missing triple says something when it was expected this often


@lru_cache(maxsize=1)
def _table() -> table.SortedLines:
    return table.load('textstats.txt.gz')


@lru_cache(maxsize=1)
def model() -> dict:
    """The fitted break model: the training text's size and the weights."""
    return json.loads(resources.files('publish').joinpath('data', 'break_model.json').read_text('utf-8'))


@lru_cache(maxsize=1 << 14)
def counts(key: str) -> tuple[int, int, int]:
    """(occurrences, paragraph ends, paragraph starts) of a character or pair."""
    fields = _table().find(key) if key and not any(ch.isspace() for ch in key) else None
    return (int(fields[0]), int(fields[1]), int(fields[2])) if fields else (0, 0, 0)


def _share(pair: str, single: str, which: int) -> float:
    """log of the share of occurrences of ``pair`` (else ``single``) that
    end (which=1) or start (which=2) a paragraph."""
    c = counts(pair)
    if c[0] < _MIN_PAIR:
        c = counts(single)
    return math.log((c[which] + 0.1) / (c[0] + 1))


def features(left: str, right: str) -> dict[str, float]:
    """The statistical features of a break between ``left`` and ``right``."""
    if not left or not right or not any(map(is_han, left[-10:] + right[:10])):
        # counted on Chinese text: they say nothing about a break in English text
        return {name: 0.0 for name in FEATURES}
    total = model()['characters']
    a, b = left[-1], right[0]
    pair = counts(a + b)[0]
    reads_on = math.log((pair + 0.5) * total / ((counts(a)[0] + 1) * (counts(b)[0] + 1)))
    return {
        READS_ON: max(-6.0, min(6.0, reads_on)),
        ENDS_LIKE: _share(left[-2:], a, 1),
        STARTS_LIKE: _share(right[:2], b, 2),
        READS_ON_LEFT: _gain(left[-2:], b) if len(left) > 1 else 0.0,
    }


def _gain(before: str, after: str) -> float:
    """How much better the three characters ``before + after`` read on than
    their middle pair alone says (log of the ratio of the triple's count to
    what the two pairs in it predict); 0 when the table cannot tell."""
    triple = before + after
    if not all(map(is_han, triple)):
        return 0.0      # the triples counted are Chinese words; marks and digits back off to the pairs
    first, second, middle = counts(triple[:2])[0], counts(triple[1:])[0], counts(triple[1])[0]
    if not first or not second or not middle:
        return 0.0
    seen = counts(triple)[0]
    expected = first * second / middle
    if not seen:
        if expected < _TRIGRAM_EXPECTED:
            return 0.0
        seen = (TRIGRAM_MIN - 1) / 2          # fewer than TRIGRAM_MIN: somewhere below
    return max(-6.0, min(6.0, math.log(seen / expected)))
