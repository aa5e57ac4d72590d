"""The e-reader edition: EPUB 3 through ebooklib.

``write(article, layout, options, out_dir) -> [out_dir/NAME.epub]`` (the
writer contract, see :mod:`publish.render`), by way of
``render(article, layout, out_path, options) -> Path``.

* One XHTML document made from the layout's ``article.html`` (the body shared
  with the PDF edition) and styled by the layout's ``epub.css``; a navigation
  document lists the headline and the Q&A heads and subheads.
* Metadata: dc:title (the headline), dc:language, one dc:creator per writer
  and one dc:contributor per other contributor, each with a MARC relator
  role refinement (aut, pht, ill, edt, trl) and an id of its own; dc:publisher
  (publication), dc:date (edition date), dc:description (kicker or subtitle),
  dc:subject (keywords).  The identifier is ``urn:uuid:`` + a UUID 5 of the
  article's text, so it is the same at every build of the same article.
* Fonts: the shipped fonts, each cut down (HarfBuzz subsetter) to the
  characters set in it (the layout's ``fonts.yaml`` says which parts each
  sets), with explicit media types; a font no element uses is left out.
* Reproducible: dcterms:modified is ``options.timestamp``, never "now"; the
  zip is rewritten with ``mimetype`` first and stored, fixed entry times and
  a fixed order.
* ebooklib failing (raising, or returning False) is a
  :class:`~publish.errors.RenderError`.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import os
import tempfile
import uuid
from pathlib import Path

from publish import fonts as _fonts
from publish.atomic import write_atomic
from publish.errors import RenderError
from publish.render._resources import figure_file
from publish.render.font_roles import role_subsets
from publish.render.html_body import body_html
from publish.render.ziparchive import read_entries, zip_bytes
from publish.timestamps import utc

CHAPTER = 'text/article.xhtml'
STYLESHEET = 'styles/epub.css'
IMAGE_TYPES = {'.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg',
               '.gif': 'image/gif', '.svg': 'image/svg+xml', '.webp': 'image/webp'}
#: Namespace for the content-derived book identifier.
ID_NAMESPACE = uuid.UUID('8f0c5b2e-6a4e-5d1b-9c57-4f1d2e7a9b30')


def book_identifier(article) -> str:
    """``urn:uuid:…`` derived from the article's text and headline (stable across builds)."""
    digest = hashlib.sha256((article.title + '\n' + article.text()).encode('utf-8')).hexdigest()
    return f'urn:uuid:{uuid.uuid5(ID_NAMESPACE, digest)}'


def modified_time(timestamp: _dt.datetime) -> _dt.datetime:
    """dcterms:modified and zip entry time: the edition timestamp in UTC."""
    return utc(timestamp)


# ---------------------------------------------------------------- render

def write(article, layout, options, out_dir: Path) -> list[Path]:
    """The writer's entry point: ``out_dir/NAME.epub``."""
    return [render(article, layout, Path(out_dir) / f'{article.name}.epub', options)]


def render(article, layout, out_path: Path | str, options) -> Path:
    """Render *article* with *layout* (a :class:`publish.layout.Layout`) to the EPUB *out_path*."""
    _fonts.check_coverage(article)
    out_path = Path(out_path)

    from ebooklib import epub
    from publish import model as m

    lang = article.meta.language or 'zh-CN'
    mtime = modified_time(options.timestamp)

    # pictures
    images: list[tuple[str, str, bytes]] = []          # file name, media type, data
    image_names: dict[int, str] = {}
    for i, block in enumerate(article.blocks):
        if isinstance(block, m.Figure):
            src = figure_file(block, layout, article)
            media = IMAGE_TYPES.get(src.suffix.lower())
            if media is None:
                raise RenderError(f'picture {src.name}: EPUB takes PNG, JPEG, GIF, SVG or WebP', src)
            try:
                data = src.read_bytes()
            except OSError as exc:
                raise RenderError(f'cannot read picture: {exc.strerror}', src) from None
            name = f'images/figure-{len(images) + 1:02d}{src.suffix.lower()}'
            images.append((name, media, data))
            image_names[i] = name

    # fonts
    subsets = role_subsets(article, layout)
    roles = set(subsets)
    font_css = _fonts.font_face_css(lambda f: f'../fonts/{f.file}', roles=roles)
    css = font_css + layout.read_text('epub.css')

    figure_index = iter(sorted(image_names))
    html = body_html(
        article, layout, target='epub', timestamp=options.timestamp,
        image_url=lambda fig: '../' + image_names[next(figure_index)],
    )

    book = epub.EpubBook()
    book.set_identifier(book_identifier(article))
    book.set_title(article.title)
    book.set_language(lang)
    writers = [c for c in article.contributors if c.role is m.Role.WRITER]
    others = [c for c in article.contributors if c.role is not m.Role.WRITER]
    for n, c in enumerate(writers, 1):
        book.add_author(c.name, role=c.role.marc, uid=f'creator{n:02d}')
    for n, c in enumerate(others, 1):
        uid = f'contributor{n:02d}'
        book.add_metadata('DC', 'contributor', c.name, {'id': uid})
        book.add_metadata(None, 'meta', c.role.marc,
                          {'refines': '#' + uid, 'property': 'role', 'scheme': 'marc:relators'})
    if article.meta.publication:
        book.add_metadata('DC', 'publisher', article.meta.publication)
    if article.meta.date:
        book.add_metadata('DC', 'date', article.meta.date.isoformat())
    if article.kicker or article.subtitle:
        book.add_metadata('DC', 'description', article.kicker or article.subtitle)
    for kw in article.meta.keywords:
        book.add_metadata('DC', 'subject', kw)

    style = epub.EpubItem(uid='style', file_name=STYLESHEET, media_type='text/css',
                          content=css.encode('utf-8'))
    book.add_item(style)
    for role in sorted(subsets):
        face, data = subsets[role]
        book.add_item(epub.EpubItem(uid=f'font-{role}', file_name=f'fonts/{face.file}',
                                    media_type=face.media_type, content=data))
    for n, (name, media, data) in enumerate(images, 1):
        book.add_item(epub.EpubItem(uid=f'figure{n:02d}', file_name=name, media_type=media, content=data))

    chapter = epub.EpubHtml(uid='article', title=article.title, file_name=CHAPTER, lang=lang,
                            content=html.encode('utf-8'))
    chapter.add_link(href='../' + STYLESHEET, rel='stylesheet', type='text/css')
    book.add_item(chapter)

    toc = []
    for n, block in enumerate(article.blocks, 1):
        if isinstance(block, m.Headline) and any(p.role is m.HeadlineRole.TITLE for p in block.parts):
            toc.append(epub.Link(f'{CHAPTER}#b{n}', article.title, f'toc-b{n}'))
        elif isinstance(block, m.QAHead) and block.kind is m.QAKind.QUESTION or isinstance(block, m.Subhead):
            toc.append(epub.Link(f'{CHAPTER}#b{n}', block.text, f'toc-b{n}'))
    if not toc:
        toc.append(epub.Link(CHAPTER, article.title, 'toc-article'))
    book.toc = toc
    nav = epub.EpubNav(title=article.title)
    book.add_item(nav)
    book.add_item(epub.EpubNcx())          # ebooklib always names an NCX in the spine
    book.spine = [chapter]

    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix='.' + out_path.name, suffix='.raw', dir=out_path.parent)
    os.close(fd)
    try:
        try:
            ok = epub.write_epub(tmp, book, {'mtime': mtime.replace(tzinfo=None), 'epub3_pages': False,
                                             'epub2_guide': False, 'epub3_landmark': False,
                                             'raise_exceptions': True, 'play_order': {'enabled': False}})
        except Exception as exc:
            raise RenderError(f'ebooklib could not write the EPUB: {type(exc).__name__}: {exc}',
                              out_path) from exc
        if ok is False:
            raise RenderError('ebooklib could not write the EPUB', out_path)
        _rewrite_zip(Path(tmp), out_path, mtime)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return out_path


def _rewrite_zip(src: Path, dest: Path, when: _dt.datetime) -> None:
    """Copy the EPUB with ``mimetype`` first and stored, fixed times and a stable order."""
    entries = read_entries(src.read_bytes())
    if 'mimetype' not in entries:
        raise RenderError('ebooklib wrote an EPUB without mimetype', dest)
    write_atomic(dest, zip_bytes(entries, when, first=('mimetype', 'META-INF/container.xml'),
                                 stored=('mimetype',), level=9, unix_mode=0o644), sync=False)
