"""Cleaning of characters that carry no text: indents, odd spaces, zero-width
and control characters.

Removed outright: zero-width characters (U+200B–U+200D, U+2060, U+FEFF) and
C0/C1 control characters other than newline and tab; they have no glyph and no
meaning in print.  Indents (ideographic spaces, NBSP, tabs) at the start and
end of a line are dropped; a run of them inside a line becomes one space, so a
gap the source shows (between a run-in head and its body, or in a byline) is
kept as a gap.
"""
from __future__ import annotations

import re

IGNORABLE = re.compile('[\u200b-\u200d\u2060\ufeff\u00ad\x00-\x08\x0b-\x1f\x7f-\x9f]')
SPACE_RUN = re.compile('[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+')


def clean_line(line: str) -> str:
    line = IGNORABLE.sub('', line)
    return SPACE_RUN.sub(' ', line).strip()


def clean(text: str) -> str:
    """Newlines made LF, each line cleaned; blank lines stay blank."""
    text = text.replace('\r\n', '\n').replace('\r', '\n')
    return '\n'.join(clean_line(line) for line in text.split('\n'))
