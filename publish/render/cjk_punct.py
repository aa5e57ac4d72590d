"""Where a line of Chinese may break at a quotation mark.

Pango follows the Unicode line-breaking rule that never breaks before or
after a quotation mark (“ ” ‘ ’), while Chinese text may break before an
opening quote and after a closing one (clreq).  With runs such as
``全国“综合实力”、“最具投资潜力”`` a line then has to end up to four
characters early, and inter-character justification has to spread that much
space over its gaps (enough for ``pdftotext`` to read spaces into it).

:func:`set_html` puts a zero-width space (U+200B) into the print edition's
HTML before an opening quote that follows a character after which a line may
end, and after a closing quote followed by a character a line may start
with (``全国​“综合``, ``实力”、​“最具``, ``”​实施``).  WeasyPrint draws no
glyph for it, so it is in neither the PDF's text nor its tags.  Nothing is
put where a line would start with a closing mark or end with an opening one
(``”、``, ``《“``), nor at a dash, an ellipsis or a space.

Between a closing mark and an opening one (``。“``, ``”“``, ``）（``,
``，《``) goes a word joiner (U+2060, drawn as nothing too) before the
zero-width space: the closing mark of such a pair is set half-width
(:mod:`publish.render.cjk_compress`), also when a line ends after it and
its partner starts the next line, which the word joiner still tells once
the line's text is cut there.  So the width Pango measured when it chose
the break is the width drawn.
"""
from __future__ import annotations

from publish.render.html_text import map_body_text

CLOSING = frozenset('，。、；：？！）」』”’》〉】〕')
OPENING = frozenset('（「『“‘《〈【〔')
OPENING_QUOTES = frozenset('“‘')
CLOSING_QUOTES = frozenset('”’')
#: Characters a line may neither start with nor end after, besides the marks.
NO_BREAK_AROUND = frozenset('—…·\u200b\u2060 \u00a0\u3000')

ZWSP = '\u200b'
WJ = '\u2060'
#: What goes between a closing mark and an opening one.
PAIR_BREAK = WJ + ZWSP


def _may_end_line(ch: str) -> bool:
    """A line may end with *ch* (an opening quote follows it)."""
    return not (ch in OPENING or ch in NO_BREAK_AROUND or ch.isspace())


def _may_start_line(ch: str) -> bool:
    """A line may start with *ch* (a closing quote precedes it)."""
    return not (ch in CLOSING or ch in NO_BREAK_AROUND or ch.isspace())


def set_text(text: str) -> str:
    """*text* (HTML character data) with zero-width spaces where a line may
    break at a quotation mark, and :data:`PAIR_BREAK` between a closing mark
    and an opening one."""
    out: list[str] = []
    for i, ch in enumerate(text):
        if ch in OPENING_QUOTES and i and _may_end_line(text[i - 1]) and out[-1] != ZWSP:
            out.append(ZWSP)
        out.append(ch)
        nxt = text[i + 1] if i + 1 < len(text) else ''
        if ch in CLOSING and nxt in OPENING:
            out.extend(PAIR_BREAK)
        elif ch in CLOSING_QUOTES and nxt and _may_start_line(nxt):
            out.append(ZWSP)
    return ''.join(out)


def set_html(html: str) -> str:
    """*html* with :func:`set_text` applied to the character data of its body
    (not to the head, scripts, style sheets or headings, whose text is also
    the PDF's bookmarks)."""
    return map_body_text(html, set_text)
