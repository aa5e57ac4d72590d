"""The character data of an HTML document's body, rewritten piece by piece.

The print edition's HTML is made from the layout's templates and then given
typographic touches that are plain text rules (:mod:`publish.render.cjk_punct`,
:mod:`publish.render.cjk_latin_space`); this walks the text between its tags.
"""
from __future__ import annotations

import re
from typing import Callable

_TAG_OR_TEXT = re.compile(r'(<[^>]*>)')
# headings are left alone: their text is also the PDF's bookmarks
_SKIPPED = ('script', 'style', 'head', 'title', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6')


def map_body_text(html: str, change: Callable[[str], str]) -> str:
    """*html* with *change* applied to each run of character data in its body
    (not in the head, scripts, style sheets or headings; never to tags or
    attribute values)."""
    parts = _TAG_OR_TEXT.split(html)
    skipping: str | None = None
    in_body = '<body' not in html
    for i, part in enumerate(parts):
        if i % 2:                                   # a tag
            name = re.match(r'</?\s*([a-zA-Z0-9]+)', part)
            name = name.group(1).lower() if name else ''
            if name == 'body' and not part.startswith('</'):
                in_body = True
            elif name in _SKIPPED:
                skipping = None if part.startswith('</') else name
            continue
        if in_body and not skipping and part:
            parts[i] = change(part)
    return ''.join(parts)
