"""The print edition: A4 PDF through WeasyPrint.

``write(article, layout, options, out_dir) -> [out_dir/NAME.pdf]`` (the writer
contract, see :mod:`publish.render`), by way of
``render(article, layout, out_path, options) -> Path``.

* The body is the layout's ``article.html`` (shared with the EPUB edition)
  styled by the layout's ``pdf.css``; the shipped fonts are declared with
  ``@font-face`` so no system font can be used, and served to WeasyPrint cut
  down to the characters the document can show.  Every character is checked
  against the shipped fonts first (:func:`publish.fonts.check_coverage`).
* Running header "publication · date" (left out when both are missing), page
  numbers, bookmarks for the headline and the Q&A heads, tagged PDF, fonts
  embedded as subsets.
* Metadata comes from the HTML head: title (the headline), one author per
  contributor, language (/Lang), description (kicker or subtitle), keywords,
  creation and modification dates from ``options.timestamp`` (never "now").  Each text is cut to the
  32767 bytes a PDF/A string holds (ending in "…").
* PDF/A: ``options.variant`` is ``'pdf/a-3u'`` by default (None); ``'pdf/a-2u'``
  (which may embed only PDF/A files, so the attachments are left out) or
  ``'plain'`` (plain PDF) can be asked for.
* ``options.attachments``: files embedded in the PDF (PDF/A-3 associated files).  Each
  is a :class:`PdfAttachment`, a mapping with the keys ``filename``, ``data``
  (bytes or str) and optionally ``mime_type``, ``relationship`` (``Source``,
  ``Data``, ``Alternative``, ``Supplement`` or ``Unspecified``) and
  ``description``, or a :class:`pathlib.Path`.  Their dates are
  ``options.timestamp``, so the bytes do not depend on when the build ran.
* Resources (fonts, stylesheets, pictures) are served only from inside the
  project folder, the layout's folders and the fonts folder; any other URL
  (http, files elsewhere) fails the build.
* Any warning or error WeasyPrint logs fails the build with a
  :class:`~publish.errors.RenderError`; nothing is written then.  A
  character the font subsets lack (text the layout's CSS generates) is first
  typeset again with the whole shipped fonts; only a character none of them
  has fails.
* The same article, layout and attachments give the same bytes.
"""
from __future__ import annotations

import datetime as _dt
import importlib
import io
import logging
import mimetypes
import os
import re
import sys
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import unquote, urlsplit

from publish import fonts as _fonts
from publish.atomic import write_atomic
from publish.errors import RenderError
from publish.render._fit import fit
from publish.render import cffi_types, cjk_compress, cjk_justify, cjk_latin_space, cjk_punct
from publish.render._resources import allowed_roots, figure_file, is_allowed, project_folder
from publish.render.html_body import body_html

PDF_VARIANTS = ('pdf/a-3u', 'pdf/a-2u', 'plain')
DEFAULT_VARIANT = 'pdf/a-3u'
RELATIONSHIPS = ('Source', 'Data', 'Alternative', 'Supplement', 'EncryptedPayload',
                 'FormData', 'Schema', 'Unspecified')


@dataclass(frozen=True)
class PdfAttachment:
    """A file to embed in the PDF (an associated file in PDF/A-3)."""

    filename: str
    data: bytes
    mime_type: str = ''
    relationship: str = 'Unspecified'
    description: str = ''


def _as_attachment(item: Any) -> PdfAttachment:
    if isinstance(item, PdfAttachment):
        att = item
    elif isinstance(item, (str, os.PathLike)):
        p = Path(item)
        try:
            att = PdfAttachment(p.name, p.read_bytes())
        except OSError as exc:
            raise RenderError(f'cannot read attachment: {exc.strerror}', p) from None
    elif isinstance(item, Mapping):
        data = item.get('data', b'')
        if isinstance(data, str):
            data = data.encode('utf-8')
        name = item.get('filename') or item.get('name')
        if not name:
            raise RenderError('a PDF attachment needs a filename')
        att = PdfAttachment(str(name), bytes(data), str(item.get('mime_type') or ''),
                            str(item.get('relationship') or 'Unspecified'),
                            str(item.get('description') or ''))
    else:
        raise TypeError(f'unsupported attachment {item!r}')
    if att.relationship not in RELATIONSHIPS:
        raise RenderError(f'attachment {att.filename}: unknown relationship {att.relationship!r} '
                          f'(use one of {", ".join(RELATIONSHIPS)})')
    return att


# ---------------------------------------------------------------- logging

# WeasyPrint's warning for a character no font it was given could draw; its
# argument is the character.
_NOTDEF_WARNING = '.notdef glyph rendered'


class _Collector(logging.Handler):
    """Keeps what WeasyPrint logs: every message, and apart the characters it
    drew as .notdef boxes."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []
        self.notdef: list[str] = []

    def emit(self, record):
        if isinstance(record.msg, str) and record.msg.startswith(_NOTDEF_WARNING) and record.args:
            self.notdef.append(str(record.args[0]))
            return
        try:
            self.messages.append(record.getMessage())
        except Exception:                         # pragma: no cover
            self.messages.append(str(record.msg))

    def clear(self) -> None:
        self.messages.clear()
        self.notdef.clear()


# ---------------------------------------------------------------- importing

#: Modules WeasyPrint imports for what these renders never do: subsetting
#: fonts with fontTools (HarfBuzz does it) and instancing variable fonts (the
#: shipped fonts are static), with the functions it imports from them.  They
#: are a third of WeasyPrint's import time (0.15 of 0.5 s).
_DEFERRED_MODULES = {'fontTools.subset': (), 'fontTools.varLib.instancer': ('instantiateVariableFont',)}


class _Deferred(types.ModuleType):
    """Stands in for a module while WeasyPrint is imported, and imports it
    when one of its attributes is first used; a function named in
    :data:`_DEFERRED_MODULES` imports it when first called."""

    def __init__(self, name: str, functions: tuple[str, ...]):
        super().__init__(name)
        for function in functions:
            setattr(self, function, self._forward(function))

    def _forward(self, function: str):
        def call(*args, **kwargs):
            return getattr(self._module(), function)(*args, **kwargs)
        call.__name__ = function
        return call

    def _module(self):
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return importlib.import_module(self.__name__)

    def __getattr__(self, attr: str):
        if attr.startswith('__'):
            raise AttributeError(attr)
        return getattr(self._module(), attr)


def _import_weasyprint():
    """Import WeasyPrint (:func:`_import_weasyprint_quickly`), with its cffi
    type parsing quickened (:mod:`publish.render.cffi_types`)."""
    weasyprint = _import_weasyprint_quickly()
    from weasyprint.text import ffi
    cffi_types.quicken(ffi.ffi)
    return weasyprint


def _import_weasyprint_quickly():
    """Import WeasyPrint, skipping a library search that costs 0.2 s and
    the modules of :data:`_DEFERRED_MODULES` (0.15 s).

    WeasyPrint tries several names for each C library (``libpango-1.0-0``,
    ``pango-1.0``, …, ``libpango-1.0.so.0``); cffi looks up every name that
    is not a loadable file with :func:`ctypes.util.find_library`, which runs
    ``ldconfig -p`` (and gcc) each time.  On Linux the sonames in the list
    load directly, so the search is switched off while WeasyPrint is first
    imported; should a library then be missing (the import fails, or the
    optional HarfBuzz subsetter is not found), it is imported again with the
    search on.  The deferred modules are stand-ins only during the import:
    whoever imports them afterwards gets the real ones.
    """
    if 'weasyprint' in sys.modules or not sys.platform.startswith('linux'):
        import weasyprint
        return weasyprint
    import ctypes.util
    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    deferred = [name for name in _DEFERRED_MODULES if name not in sys.modules]
    for name in deferred:
        sys.modules[name] = _Deferred(name, _DEFERRED_MODULES[name])
    try:
        import weasyprint
        from weasyprint.text import ffi
        if ffi.harfbuzz_subset is not None:
            return weasyprint
    except OSError:
        pass
    finally:
        ctypes.util.find_library = search
        for name in deferred:
            if isinstance(sys.modules.get(name), _Deferred):
                del sys.modules[name]
    for mod in [m for m in sys.modules if m == 'weasyprint' or m.startswith('weasyprint.')]:
        del sys.modules[mod]
    import weasyprint
    return weasyprint


def prepare() -> None:
    """Do now what the first render would otherwise start with: import WeasyPrint."""
    _import_weasyprint()


# ---------------------------------------------------------------- URL fetcher

def _make_fetcher(roots: tuple[Path, ...], refused: list[str], served: Mapping[Path, bytes]):
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ConfinedFetcher(URLFetcher):
        """Serves files inside *roots* and refuses every other URL; a file
        in *served* is answered with the bytes given for it."""

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme != 'file':
                refused.append(url)
                raise ValueError(f'refused to fetch {url}: only files of the project, '
                                 f'the layout and the fonts folder are used')
            path = Path(unquote(parts.path)).resolve()
            if not is_allowed(path, roots):
                refused.append(url)
                raise ValueError(f'refused to read {path}: outside the project, '
                                 f'the layout and the fonts folder')
            try:
                data = served[path] if path in served else path.read_bytes()
            except OSError as exc:
                raise ValueError(f'cannot read {path}: {exc.strerror}') from None
            mime = mimetypes.guess_type(path.name)[0] or 'application/octet-stream'
            return URLFetcherResponse(path.as_uri(), data, {'Content-Type': mime})

    return ConfinedFetcher(allowed_protocols=('file',))


# ---------------------------------------------------------------- render

def _finisher(fonts_used: list[str]):
    """A WeasyPrint finisher: drops duplicate associated files and lists, in
    *fonts_used*, the name of every font the PDF embeds."""
    def finish(document, pdf) -> None:
        for obj in pdf.objects:
            if isinstance(obj, dict) and obj.get('Type') == '/Font' and obj.get('Subtype') == '/Type0':
                name = obj.get('BaseFont', b'')
                name = name.decode('latin-1') if isinstance(name, bytes) else str(name)
                fonts_used.append(name.lstrip('/').split('+', 1)[-1])
        _dedupe_af(document, pdf)
    return finish


#: The longest string, in bytes, PDF/A-2 and PDF/A-3 allow (ISO 19005-2, 6.1.13).
PDF_STRING_LIMIT = 32767


def pdf_string_size(text: str) -> int:
    """The bytes *text* takes as a PDF string: one a character when it is
    ASCII, else UTF-16BE after a byte order mark (as WeasyPrint writes it)."""
    return len(text) if text.isascii() else 2 + len(text.encode('utf-16-be'))


def _fit_metadata(metadata) -> None:
    """Cut the document information WeasyPrint writes (title, authors,
    subject, keywords; the XMP metadata repeats them) to what a PDF string
    holds.  Authors and keywords are written joined by ", ": a list too long
    becomes one entry, cut."""
    def cut(text: str) -> str:
        return fit(text, PDF_STRING_LIMIT, pdf_string_size)

    if metadata.title:
        metadata.title = cut(metadata.title)
    if metadata.description:
        metadata.description = cut(metadata.description)
    for field in ('authors', 'keywords'):
        values = getattr(metadata, field)
        joined = ', '.join(values or ())
        if joined and cut(joined) != joined:
            setattr(metadata, field, [cut(joined)])


def _dedupe_af(document, pdf) -> None:
    """WeasyPrint 70 lists each associated file twice in the catalog's /AF."""
    af = pdf.catalog.get('AF')
    if af:
        seen, unique = set(), []
        for ref in af:
            key = ref if isinstance(ref, (str, bytes)) else id(ref)
            if key not in seen:
                seen.add(key)
                unique.append(ref)
        af[:] = unique


def html_string(article, layout, timestamp) -> str:
    """The HTML the PDF is made from (for debugging a layout): the layout's
    body, with the breaks at quotation marks clreq allows
    (:func:`publish.render.cjk_punct.set_html`) and the space between
    Chinese and Latin the layout's CSS may ask for
    (:mod:`publish.render.cjk_latin_space`)."""
    html = body_html(article, layout, target='pdf', timestamp=timestamp,
                     image_url=lambda fig: figure_file(fig, layout, article).as_uri())
    return cjk_latin_space.set_html(cjk_punct.set_html(html), layout.read_text('pdf.css'))


# Characters a page can show beyond the article's HTML and the layout's CSS:
# text CSS generates (page numbers, list markers, CJK counters, quotes,
# full-width forms), hyphens and ellipses.
_GENERATED = (''.join(map(chr, range(0x21, 0x7f))) + ''.join(map(chr, range(0xff01, 0xff5f)))
              + '\u2010\u2011\u2013\u2014\u2026\u00b7\u2022\u25e6\u25aa\u25a0\u25a1\u25cf'
              + '\u25cb\u25c6\u25c7\u2605\u2606\u203b\u2018\u2019\u201c\u201d\u300c\u300d\u300e\u300f'
              + '〇一二三四五六七八九十百千万亿零壹贰叁肆伍陆柒捌玖拾佰仟甲乙丙丁戊己庚辛壬癸')
_CSS_ESCAPE = re.compile(r'\\([0-9a-fA-F]{1,6})\s?')


def _font_subsets(html: str, css_text: str) -> dict[Path, bytes]:
    """Every shipped font cut down to the characters this document can show.
    WeasyPrint copies each font it is given into a folder of its own and
    reads it whole: a subset of a few hundred kilobytes instead of a CJK font
    of 15 MB makes that, and its own subsetting when it writes the PDF,
    several times faster and the process much smaller.  Should the layout
    still generate a character left out here, :func:`render` notices it (a
    .notdef box, or a system font filling in) and renders again with the
    whole fonts.  :func:`render` adds to each subset the half-width copies
    of the marks that set consecutive punctuation compressed
    (:func:`publish.render.cjk_compress.half_width_font`): made with
    fontTools, a tenth of a second a font the first time, so that a build
    makes them in the worker process, which has fontTools loaded, while the
    process that staged the PDF writes the other editions."""
    codes = (int(h, 16) for h in _CSS_ESCAPE.findall(css_text))
    escaped = ''.join(chr(c) for c in codes if c <= 0x10ffff)
    chars = set(html) | set(css_text) | set(escaped) | set(_GENERATED)
    return {f.path.resolve(): _fonts.subset(f, chars) for f in _fonts.faces()}


def _stylesheets(layout, fetcher, css_text: str):
    """The font configuration and stylesheets: the shipped fonts' @font-face
    rules, then the layout's pdf.css (*css_text*)."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    css_path = layout.find('pdf.css')
    font_config = FontConfiguration()
    fonts_css = _fonts.font_face_css(lambda f: f.path.resolve().as_uri())
    sheets = [CSS(string=fonts_css, base_url=_fonts.FONTS_DIR.resolve().as_uri() + '/',
                  url_fetcher=fetcher, font_config=font_config),
              CSS(string=css_text, base_url=css_path.resolve().as_uri(),
                  url_fetcher=fetcher, font_config=font_config)]
    return font_config, sheets


def _write(weasyprint, article, layout, html: str, css_text: str, atts: list[PdfAttachment],
           timestamp, pdf_variant: str | None, collector: _Collector,
           font_subsets: Mapping[Path, bytes]) -> tuple[bytes, list[str]]:
    """The PDF's bytes, and the names of the fonts it embeds.  What WeasyPrint
    logged is left in *collector* for the caller to judge."""
    refused: list[str] = []
    fonts_used: list[str] = []
    try:
        fetcher = _make_fetcher(allowed_roots(layout, article), refused, font_subsets)
        base = (project_folder(layout, article) or layout.path).as_uri() + '/'
        doc = weasyprint.HTML(string=html, base_url=base, url_fetcher=fetcher)
        wp_atts = [weasyprint.Attachment(
            file_obj=io.BytesIO(a.data), name=a.filename, description=a.description or None,
            created=timestamp, modified=timestamp, relationship=a.relationship,
            url_fetcher=fetcher) for a in atts]
        font_config, stylesheets = _stylesheets(layout, fetcher, css_text)
        options = dict(stylesheets=stylesheets,
                       pdf_tags=True,            # tagged PDF (structure tree, /MarkInfo)
                       pdf_identifier=True,      # /ID from the content's MD5: reproducible
                       attachments=wp_atts or None,
                       uncompressed_pdf=False, custom_metadata=False)
        if pdf_variant:
            options['pdf_variant'] = pdf_variant
        if pdf_variant == 'pdf/a-2u':
            options['attachments'] = None      # PDF/A-2 embeds only PDF/A files
        document = doc.render(font_config=font_config, **options)
        _fit_metadata(document.metadata)
        data = document.write_pdf(finisher=_finisher(fonts_used), **options)
    except RenderError:
        raise
    except Exception as exc:
        raise RenderError(f'WeasyPrint failed on {article.name}: {type(exc).__name__}: {exc}',
                          article.source_path) from exc
    if refused:
        raise RenderError(f'the layout asked for resources that are not served: {", ".join(refused)}',
                          getattr(layout, 'path', None))
    return data, fonts_used


@dataclass(frozen=True)
class Staged:
    """What WeasyPrint is given: the document's HTML, the layout's CSS, and
    the shipped fonts cut down to the characters they can show."""

    html: str
    css_text: str
    font_subsets: Mapping[Path, bytes]


def stage(article, layout, options) -> Staged:
    """Everything :func:`render` does before WeasyPrint: check the article's
    characters against the shipped fonts, fill the layout's templates, cut
    the fonts down.  No WeasyPrint is needed for it."""
    _fonts.check_coverage(article)
    html = html_string(article, layout, options.timestamp)
    css_text = layout.read_text('pdf.css')
    return Staged(html, css_text, _font_subsets(html, css_text))


def write(article, layout, options, out_dir: Path) -> list[Path]:
    """The writer's entry point: ``out_dir/NAME.pdf``."""
    return [render(article, layout, Path(out_dir) / f'{article.name}.pdf', options)]


def render(article, layout, out_path: Path | str, options) -> Path:
    """Render *article* with *layout* (a :class:`publish.layout.Layout`) to the PDF *out_path*.

    ``options.attachments`` are embedded files (see the module docstring);
    with the variant ``'pdf/a-3u'`` (the default) they become PDF/A-3
    associated files with their relationship (``Source`` for the text as
    supplied, ``Data`` for the article JSON).  ``options.staged`` is
    :func:`stage`'s result for the same article and layout, when it was made
    elsewhere.  Returns *out_path*.
    """
    pdf_variant = options.variant or DEFAULT_VARIANT
    if pdf_variant not in PDF_VARIANTS:
        raise RenderError(f'unsupported PDF variant {pdf_variant!r} '
                          f'(use {", ".join(str(v) for v in PDF_VARIANTS)})')
    if pdf_variant == 'plain':
        pdf_variant = None
    staged = options.staged or stage(article, layout, options)
    html, css_text = staged.html, staged.css_text
    out_path = Path(out_path)
    atts = [_as_attachment(a) for a in options.attachments]

    weasyprint = _import_weasyprint()
    cjk_justify.install()

    timestamp = options.timestamp
    if timestamp.tzinfo is not None:
        timestamp = timestamp.astimezone(_dt.timezone.utc)

    # WeasyPrint logs problems (unknown CSS, unloadable fonts or pictures)
    # instead of raising; every warning it logs during this build fails it.
    # The handler sits on the process-wide logger: render one PDF at a time
    # per process (the build runs renderers in worker processes).
    collector = _Collector()
    logger = logging.getLogger('weasyprint')
    old_level = logger.level
    if logger.getEffectiveLevel() > logging.WARNING:
        logger.setLevel(logging.WARNING)
    logger.addHandler(collector)
    try:
        font_subsets = {path: cjk_compress.half_width_font(data)
                        for path, data in staged.font_subsets.items()}
        data, fonts_used = _write(weasyprint, article, layout, html, css_text, atts, timestamp,
                                  pdf_variant, collector, font_subsets)
        if collector.notdef or not set(fonts_used) <= _fonts.pdf_font_names():
            # the layout generated text the subsets lack, drawn as .notdef
            # or by a font of the system: the whole fonts then
            collector.clear()
            data, fonts_used = _write(weasyprint, article, layout, html, css_text, atts, timestamp,
                                      pdf_variant, collector, {})
    finally:
        logger.removeHandler(collector)
        logger.setLevel(old_level)
    if collector.notdef:
        shown = ', '.join(f'U+{ord(c):04X} {c}' for c in dict.fromkeys(collector.notdef))
        raise RenderError(f'the layout of {article.name} generates characters no shipped font '
                          f'has: {shown}', getattr(layout, 'path', None))
    if collector.messages:
        shown = '; '.join(dict.fromkeys(collector.messages))
        raise RenderError(f'WeasyPrint reported problems for {article.name}: {shown}',
                          article.source_path)
    foreign = sorted(set(fonts_used) - _fonts.pdf_font_names())
    if foreign:
        raise RenderError(f'the PDF of {article.name} would use fonts that are not shipped '
                          f'({", ".join(foreign)}): the layout sets text in another family '
                          f'than {", ".join(sorted({n for n, _ in _fonts.CSS_FAMILIES.values()}))}, '
                          f'or generates characters no shipped font has',
                          getattr(layout, 'path', None))
    out_path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(out_path, data, sync=False)
    return out_path
