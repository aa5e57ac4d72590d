"""The web edition: ``web/`` — a self-contained folder for the district's
site or its CMS.

``write(article, layout, options, out_dir) -> [out_dir/web/index.html, …]``

* ``index.html``: semantic HTML5 from the layout's ``web.html`` (which
  extends the shared ``article.html``): ``<article>``, a ``<header>`` per
  headline with kicker, headline and subheadline, the byline as
  ``<address>`` with each contributor's role, ``<figure>``/``<figcaption>``
  with the credit, ``<h2>`` for Q&A heads and subheads; ``lang`` from the
  article.  For search engines and sharing: ``<title>``, description, Open
  Graph and a schema.org ``NewsArticle`` in JSON-LD (headline, dates,
  authors and contributors with their roles, pictures, publisher).
* ``style.css``: the shipped fonts' ``@font-face`` rules, then the layout's
  ``web.css`` (phone to desktop, and a print stylesheet).
* ``fonts/``: each shipped font the page uses (the layout's ``fonts.yaml``),
  cut down to the characters it sets, as WOFF2.
* ``images/``: the article's pictures, numbered.

Nothing is fetched from elsewhere and no script is needed to read the
page.  The same article, layout and timestamp give the same bytes.
"""
from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path

from publish import fonts as _fonts
from publish.model import HeadlineRole, Role
from publish.render._resources import copy_figures
from publish.render.font_roles import role_subsets
from publish.render.html_body import body_html, iso_time
from publish.webfonts import woff2

FOLDER = 'web'
PAGE = 'index.html'
TEMPLATE = 'web.html'
STYLESHEET = 'style.css'
IMAGE_TYPES = {'.png', '.jpg', '.jpeg', '.gif', '.webp', '.svg'}
#: schema.org role names of the contributors who are not writers
ROLE_NAMES = {Role.PHOTOGRAPHER: 'photographer', Role.ILLUSTRATOR: 'illustrator',
              Role.EDITOR: 'editor', Role.TRANSLATOR: 'translator'}


def write(article, layout, options, out_dir: Path) -> list[Path]:
    """Write the web page of *article* into ``out_dir/web/``; return every file written."""
    _fonts.check_coverage(article)
    folder = Path(out_dir) / FOLDER
    (folder / 'fonts').mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    images = _copy_pictures(article, layout, folder, written)
    css = _write_fonts(article, layout, folder, written) + layout.read_text('web.css')
    (folder / STYLESHEET).write_text(css, encoding='utf-8')
    written.append(folder / STYLESHEET)

    figure_urls = iter(images)
    html = body_html(article, layout, target='web', timestamp=options.timestamp, template=TEMPLATE,
                     image_url=lambda fig: next(figure_urls), stylesheets=(STYLESHEET,),
                     **page_context(article, options.timestamp, images))
    (folder / PAGE).write_text(html, encoding='utf-8')
    written.append(folder / PAGE)
    return written


# ---------------------------------------------------------------- pictures

def _copy_pictures(article, layout, folder: Path, written: list[Path]) -> list[str]:
    """Copy the figures into ``images/`` as figure-01.png …; their URLs, in order."""
    copies = copy_figures(article, layout, folder / 'images', IMAGE_TYPES,
                          'a web page takes PNG, JPEG, GIF, WebP or SVG')
    written.extend(copies)
    return [f'images/{c.name}' for c in copies]


# ---------------------------------------------------------------- fonts

def _write_fonts(article, layout, folder: Path, written: list[Path]) -> str:
    """The fonts the page sets text in, cut down to that text
    (:func:`~publish.render.font_roles.role_subsets`), as WOFF2 in
    ``fonts/``; their ``@font-face`` rules."""
    subsets = role_subsets(article, layout)
    for face, data in subsets.values():
        path = folder / _font_url(face)
        path.write_bytes(woff2(data))
        written.append(path)
    return _fonts.font_face_css(_font_url, roles=subsets, file_format='woff2', display='swap')


def _font_url(face: _fonts.FontFace) -> str:
    return f'fonts/{Path(face.file).stem}.woff2'


# ---------------------------------------------------------------- metadata

def page_context(article, timestamp: _dt.datetime, images: list[str]) -> dict:
    """What ``web.html`` needs beyond the body's variables: the dates, the
    Open Graph properties, the JSON-LD, whether a headline names the title."""
    meta = article.meta
    published = meta.date.isoformat() if meta.date else iso_time(timestamp)
    description = article.kicker or article.subtitle
    open_graph = [('og:type', 'article'), ('og:title', article.title)]
    if description:
        open_graph.append(('og:description', description))
    if meta.publication:
        open_graph.append(('og:site_name', meta.publication))
    open_graph.append(('og:locale', (meta.language or 'zh-CN').replace('-', '_')))
    if images:
        open_graph.append(('og:image', images[0]))
    open_graph.append(('article:published_time', published))
    open_graph += [('article:author', c.name) for c in article.contributors if c.role is Role.WRITER]
    if meta.section:
        open_graph.append(('article:section', meta.section))
    open_graph += [('article:tag', k) for k in meta.keywords]
    return {
        'date_iso': meta.date.isoformat() if meta.date else '',
        'open_graph': open_graph,
        'json_ld': json_ld(article, timestamp, images),
        'has_title': any(p.role is HeadlineRole.TITLE for b in article.blocks
                         for p in getattr(b, 'parts', ())),
    }


def _person(c) -> dict:
    person = {'@type': 'Person', 'name': c.name}
    if c.title:
        person['jobTitle'] = c.title
    return person


def json_ld(article, timestamp: _dt.datetime, images: list[str]):
    """The schema.org ``NewsArticle`` of the page, ready to stand in a
    ``<script type="application/ld+json">`` element."""
    from markupsafe import Markup

    meta = article.meta
    data = {
        '@context': 'https://schema.org',
        '@type': 'NewsArticle',
        'headline': article.title,
        'inLanguage': meta.language or 'zh-CN',
        'datePublished': meta.date.isoformat() if meta.date else iso_time(timestamp),
        'dateModified': iso_time(timestamp),
    }
    alternative = ' '.join(t for t in (article.kicker, article.subtitle) if t)
    if alternative:
        data['alternativeHeadline'] = alternative
        data['description'] = article.kicker or article.subtitle
    writers = [c for c in article.contributors if c.role is Role.WRITER]
    others = [c for c in article.contributors if c.role is not Role.WRITER]
    if writers:
        data['author'] = [_person(c) for c in writers]
    if others:
        data['contributor'] = [{'@type': 'Role', 'roleName': ROLE_NAMES[c.role], 'contributor': _person(c)}
                               for c in others]
    if images:
        data['image'] = images
    if meta.publication:
        data['publisher'] = {'@type': 'Organization', 'name': meta.publication}
    if meta.section:
        data['articleSection'] = meta.section
    if meta.keywords:
        data['keywords'] = list(meta.keywords)
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False)
    # inside <script>: no "</script" or "<!--" can be made of the article's text
    text = text.replace('<', '\\u003c').replace('>', '\\u003e').replace('&', '\\u0026')
    return Markup(text)
