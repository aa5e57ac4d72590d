"""Latin words cut at a break: ``organi-`` | ``zations`` is one word cut by
hyphenation (``organizations``); ``long-`` | ``term`` is a compound whose
hyphen stays.

Which one a break holds is read from the text itself first (the joined word
or the hyphenated one written elsewhere in it), then from the parts: a
compound is made of words, and English compounds are mostly made with a
small set of words (``well-``, ``self-``, ``-based``, ``-term`` …), while a
word hyphenated at a line end is cut between syllables, its parts not words.
"""
from __future__ import annotations

import re

_CUT = re.compile(r'([A-Za-z]+)-$')
_REST = re.compile(r'^([a-z]+)')

# Words that make most hyphenated English compounds, before and after the hyphen.
COMPOUND_FIRST = frozenset('''
    all anti co cross cost down e ever far fast first full half high inter large left life long low
    many mid middle multi near new non off old on one open out over part post pre pro real right
    second self semi short single small state sub third top two three four five ten twenty up well
    wide world year x
'''.split())
COMPOUND_SECOND = frozenset('''
    based bound born building class day driven end free friendly going known led level like long
    made making minded old oriented owned party related round run scale size term time wide year
    up in out off on down over
'''.split())


def join_hyphenated(left: str, right: str, whole_text: str) -> str | None:
    """``left`` and ``right`` joined when ``left`` ends with a hyphen after a
    Latin word and ``right`` opens with lower-case letters; None otherwise."""
    cut, rest = _CUT.search(left), _REST.match(right)
    if not cut or not rest:
        return None
    first, second = cut.group(1), rest.group(1)
    if _written(first + '-' + second, whole_text):
        return left + right
    if _written(first + second, whole_text):
        return left[:-1] + right
    if first.lower() in COMPOUND_FIRST or second in COMPOUND_SECOND:
        return left + right
    return left[:-1] + right


def _written(word: str, text: str) -> bool:
    return bool(re.search(rf'(?<![A-Za-z-]){re.escape(word)}(?![A-Za-z-])', text.replace('\n', ' '),
                          re.IGNORECASE))
