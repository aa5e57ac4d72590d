"""A quarter-em space between Chinese and Latin letters or digits, when the
layout asks for it (clreq; CSS ``text-autospace``).

Mainland newspapers set ``建党97周年`` without it, so the default layout does
not ask.  A layout's ``pdf.css`` asks with the custom property
``--text-autospace`` (WeasyPrint does not know ``text-autospace`` itself),
with the values of CSS Text 4::

    html { --text-autospace: ideograph-alpha ideograph-numeric; }

``ideograph-alpha`` puts the space between a Han character (or kana) and a
Latin letter, ``ideograph-numeric`` between one and a digit;
``no-autospace`` (or no such property) puts none.

The space is U+2005 FOUR-PER-EM SPACE, a quarter of the font size wide.
A line may break after it, never before it, so no line starts with it; at
the end of a justified line it hangs past the right edge
(:mod:`publish.render.cjk_justify`).  Text extraction reads it as a space.
"""
from __future__ import annotations

import tinycss2

from publish.render.html_text import map_body_text

PROPERTY = '--text-autospace'
KEYWORDS = ('ideograph-alpha', 'ideograph-numeric', 'no-autospace', 'normal')
QUARTER_EM = '\u2005'


def is_ideograph(ch: str) -> bool:
    """Han (with extensions and compatibility forms) or kana."""
    code = ord(ch)
    return (0x3040 <= code <= 0x30ff or 0x3400 <= code <= 0x4dbf or 0x4e00 <= code <= 0x9fff
            or 0xf900 <= code <= 0xfaff or 0x20000 <= code <= 0x3134f)


def _is_alpha(ch: str) -> bool:
    return ch.isascii() and ch.isalpha() or '\u00c0' <= ch <= '\u024f'


def autospace(css_text: str) -> frozenset[str]:
    """What the layout's CSS asks for: a subset of ``{'alpha', 'numeric'}``
    (``normal`` is both, as in CSS Text 4).  The last declaration wins."""
    asked: frozenset[str] = frozenset()
    if PROPERTY not in css_text:        # most layouts: no need to parse the stylesheet
        return asked
    for rule in tinycss2.parse_stylesheet(css_text, skip_comments=True, skip_whitespace=True):
        if rule.type != 'qualified-rule':
            continue
        for decl in tinycss2.parse_declaration_list(rule.content, skip_comments=True,
                                                    skip_whitespace=True):
            if decl.type != 'declaration' or decl.name != PROPERTY:
                continue
            words = {t.lower_value for t in decl.value if t.type == 'ident'}
            asked = frozenset(
                ({'alpha'} if words & {'ideograph-alpha', 'normal'} else set())
                | ({'numeric'} if words & {'ideograph-numeric', 'normal'} else set()))
    return asked


def set_text(text: str, kinds: frozenset[str]) -> str:
    """*text* with a quarter-em space where an ideograph meets a Latin letter
    (``'alpha'`` in *kinds*) or a digit (``'numeric'``)."""
    if not kinds:
        return text

    def other(ch: str) -> bool:
        return ('alpha' in kinds and _is_alpha(ch)) or ('numeric' in kinds and ch.isascii()
                                                        and ch.isdigit())

    out = [text[:1]]
    for a, b in zip(text, text[1:]):
        if (is_ideograph(a) and other(b)) or (other(a) and is_ideograph(b)):
            out.append(QUARTER_EM)
        out.append(b)
    return ''.join(out)


def set_html(html: str, css_text: str) -> str:
    """*html* with the spaces the layout's CSS (*css_text*) asks for in its
    body's text (headings, whose text is also the bookmarks, are left alone)."""
    kinds = autospace(css_text)
    return map_body_text(html, lambda text: set_text(text, kinds)) if kinds else html
