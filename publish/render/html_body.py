"""The one HTML body builder of the HTML-based editions (PDF, EPUB, web …).

:func:`body_html` fills the layout's ``article.html`` with :func:`body_context`:
the article's metadata, and its blocks as plain dicts with a ``type``, made
by one walk over the block types (:class:`publish.model.BlockVisitor`).
"""
from __future__ import annotations

import datetime as _dt
from typing import Any, Callable

from publish import __version__
from publish.layout import BODY_TEMPLATE
from publish.model import BlockVisitor
from publish.timestamps import naive_utc


def body_html(article, layout, *, target: str, timestamp: _dt.datetime | None,
              image_url: Callable[[Any], str] = lambda fig: str(fig.path),
              stylesheets: tuple[str, ...] = (), inline_css: str = '',
              template: str = BODY_TEMPLATE, **extra: Any) -> str:
    """The article as one HTML document for the edition *target* (``'pdf'``,
    ``'epub'`` …), from the layout's ``article.html`` or from *template*, an
    edition's own template that extends it.

    Every block must be one of :data:`publish.model.BLOCK_TYPES`; anything
    else raises :class:`publish.model.UnknownBlockType` (a ``TypeError``).
    *extra* are further variables for the template.
    """
    return layout.render_template(template, **body_context(
        article, target=target, timestamp=timestamp, image_url=image_url,
        stylesheets=stylesheets, inline_css=inline_css), **extra)


def date_text(d: _dt.date | None) -> str:
    return f'{d.year}年{d.month}月{d.day}日' if d else ''


def running_header(meta) -> str:
    """"publication · date", or what there is of it."""
    return ' · '.join(x for x in (meta.publication, date_text(meta.date)) if x)


def body_context(article, *, target: str, timestamp: _dt.datetime | None,
                 image_url: Callable[[Any], str],
                 stylesheets: tuple[str, ...] = (), inline_css: str = '') -> dict:
    """The variables ``article.html`` sees.  Blocks become plain dicts with a ``type``."""
    meta = article.meta
    to_dict = _BlockDict(image_url)
    blocks = [to_dict.visit(block, n) for n, block in enumerate(article.blocks, 1)]
    return {
        'target': target,
        'lang': meta.language or 'zh-CN',
        'title': article.title,
        'kicker': article.kicker,
        'subtitle': article.subtitle,
        'description': article.kicker or article.subtitle,
        'keywords': ', '.join(meta.keywords),
        'authors': [c.name for c in article.contributors],
        'created': iso_time(timestamp),
        'publication': meta.publication,
        'date_text': date_text(meta.date),
        'running_header': running_header(meta),
        'section': meta.section,
        'blocks': blocks,
        'generator': f'publish {__version__}',
        'stylesheets': list(stylesheets),
        'inline_css': inline_css,
    }


def iso_time(ts: _dt.datetime | None) -> str:
    if ts is None:
        return ''
    if ts.tzinfo is not None:
        return naive_utc(ts).isoformat(timespec='seconds') + 'Z'
    return ts.isoformat(timespec='seconds')


_HEADLINE_BREAKS = '，；：！？ \u3000'


def headline_lines(text: str, longer_than: int = 16) -> list[str]:
    """A long headline cut into two lines after the punctuation (or space)
    nearest its middle, as newspapers set it; short ones stay one line.
    The lines joined give the text back unchanged."""
    if len(text) <= longer_than:
        return [text]
    middle = len(text) / 2
    cuts = [i + 1 for i, ch in enumerate(text[:-1]) if ch in _HEADLINE_BREAKS]
    cuts = [c for c in cuts if len(text) * 0.25 <= c <= len(text) * 0.75]
    if not cuts:
        return [text]
    cut = min(cuts, key=lambda c: abs(c - middle))
    return [text[:cut], text[cut:]]


def _headline_part(part) -> dict:
    lines = headline_lines(part.text)
    return {'role': part.role.value, 'text': part.text, 'lines': lines,
            'longest': max(len(line.strip()) for line in lines)}


def byline_parts(line: str, contributors) -> list[dict]:
    """A byline's printed *line* cut at the contributors' names:
    ``[{'text': '记者 ', 'role': ''}, {'text': '景静', 'role': 'writer'}]``;
    the texts joined give the line back."""
    names = sorted({c.name: c for c in contributors if c.name}.items(), key=lambda kv: -len(kv[0]))
    out: list[dict] = []
    rest = line
    while rest:
        hits = [(rest.find(name), -len(name), name, c) for name, c in names if name in rest]
        if not hits:
            out.append({'text': rest, 'role': ''})
            break
        at, _, name, c = min(hits)
        if at:
            out.append({'text': rest[:at], 'role': ''})
        out.append({'text': name, 'role': c.role.name.lower()})
        rest = rest[at + len(name):]
    return out


class _BlockDict(BlockVisitor):
    """A block as the dict ``article.html`` sees; *n* is its 1-based number."""

    where = 'HTML body'

    def __init__(self, image_url):
        self.image_url = image_url

    def headline(self, block, n):
        return {'type': 'headline', 'n': n, 'parts': [_headline_part(p) for p in block.parts]}

    def byline(self, block, n):
        return {'type': 'byline', 'n': n, 'lines': list(block.lines),
                'contributors': [{'name': c.name, 'role': c.role.name.lower(), 'title': c.title}
                                 for c in block.contributors],
                'line_parts': [byline_parts(line, block.contributors) for line in block.lines]}

    def paragraph(self, block, n):
        return {'type': 'paragraph', 'n': n, 'text': block.text, 'lead': block.lead,
                'dateline': block.dateline, 'dateline_separator': block.dateline_separator,
                'run_in': block.run_in.text if block.run_in else '',
                'run_in_separator': block.run_in.separator if block.run_in else ''}

    def qa_head(self, block, n):
        return {'type': 'qa', 'n': n, 'kind': block.kind.value, 'text': block.text}

    def subhead(self, block, n):
        return {'type': 'subhead', 'n': n, 'text': block.text}

    def caption(self, block, n):
        return {'type': 'caption', 'n': n, 'text': block.text, 'credit': block.credit}

    def editor_note(self, block, n):
        return {'type': 'editor_note', 'n': n, 'text': block.text}

    def figure(self, block, n):
        return {'type': 'figure', 'n': n, 'src': self.image_url(block), 'alt': block.alt or block.caption,
                'caption': block.caption, 'credit': block.credit, 'number': block.number}
