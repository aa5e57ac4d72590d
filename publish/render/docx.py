"""DOCX renderer: an editable Word/WPS document built from an :class:`Article`.

``write(article, layout, options, out_dir) -> [out_dir/NAME.docx]`` (the writer
contract, see :mod:`publish.render`), by way of
``render(article, layout, out_path, options) -> Path``.

What the document holds
-----------------------
* Real Word styles, each with a Latin font (``w:ascii``/``w:hAnsi``) *and* an
  East Asian font (``w:eastAsia``) and ``w:lang w:eastAsia="zh-CN"``:

  ==================  =========================================  ==============
  block               paragraph style                            default font
  ==================  =========================================  ==============
  Headline part       Banner / Kicker / Title / Subtitle         Hei (sans)
  Byline              Byline (its lines separated by line breaks) Kai
  Paragraph           Normal (2-character first-line indent)     Song (serif)
  QAHead question     Heading 1                                  Hei bold
  QAHead answer       Heading 2                                  Hei bold
  Subhead             Heading 3                                  Hei bold
  Caption, Figure     Caption (figures: "图 {SEQ 图} caption credit") Kai
  EditorNote          Editor Note                                Kai
  ==================  =========================================  ==============

  Language: ``w:lang w:val="zh-CN" w:eastAsia="zh-CN"`` in docDefaults; the
  styles above say ``w:val="en-US" w:eastAsia="zh-CN"`` as Chinese Word does,
  because LibreOffice breaks Latin-script runs tagged zh-CN anywhere (it
  split "97" over two lines).  Every style's fonts carry ``w:hint="eastAsia"``
  so quotes, dashes and dots shared by both scripts use the Chinese font.

  Picture paragraphs use the "Figure" style (single spacing, kept with the
  caption); a picture is as wide as the text column, or narrower when it would
  be taller than 60 % of the text block (``page.figure_max_height``).

  Paragraph datelines and run-in heads are runs in the character styles
  "Dateline" and "Run-in Head" (bold Hei); they also carry direct bold so the
  emphasis survives in applications that drop character styles.

* A4 pages with print-edition margins, "publication · date" in the header when
  either is known, and a PAGE field in the footer.

* Core properties taken from the article only (title, contributors, subject =
  kicker/subtitle, keywords, category = section, language), each cut to the
  255 characters a core property holds (ending in "…").  Dates come from
  ``options.timestamp`` (:mod:`publish.timestamps`).  Never "now".  Nothing of python-docx's
  template is left: no creator "python-docx", no 2013 dates, no thumbnail, no
  customXml, no stylesWithEffects, no rsids; ``docProps/app.xml`` and
  ``word/fontTable.xml`` are written afresh.

* The shipped faces the document uses are embedded, cut down to its
  characters, with TrueType outlines and obfuscated as Word does
  (:mod:`publish.render.docx_fonts`, a step on the package python-docx
  wrote); the font table names the font of the same kind every Chinese
  Windows has as ``w:altName`` (宋体, 黑体, 楷体).

* Deterministic bytes: the zip is rewritten with the timestamp above on every
  entry, ``[Content_Types].xml`` first and the other entries sorted, and one
  fixed deflate level.  The same article and layout give the same bytes.

Text
----
Text is set literally (``<script>``, ``{{ 7*7 }}``, ``&`` stay text).  XML 1.0
cannot hold most C0 control characters and python-docx/lxml raise
``ValueError: All strings must be XML compatible`` on them, so before text is
set: CR LF and lone CR become a line break; tab stays a tab (``w:tab``); LF is a
line break (``w:br``; a body paragraph's leading and trailing line breaks are
dropped, they would only add empty lines); every other C0 control character (U+0000–U+001F), U+FFFE,
U+FFFF and lone surrogates are removed.  They have no glyph and no printed
meaning; the normalizer is the place that should have dealt with them.

Layout
------
Sizes, fonts and spacing come from the ``docx.yaml`` of the layout's folders
(``layout.dirs`` of a :class:`publish.layout.Layout`): the shipped
``layouts/default/docx.yaml`` first, each more specific one laid over it.  Fonts in
the style map are roles (serif, serif-bold, sans, sans-bold, kai), resolved
through the shipped fonts' manifest, or literal family names.
"""
from __future__ import annotations

import copy
import datetime as _dt
import io
import os
import re
import weakref
from pathlib import Path
from typing import Mapping

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.image.exceptions import UnrecognizedImageError
from docx.image.image import Image as _DocxImage
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Emu

from publish import fonts as _fonts
from publish.atomic import write_atomic
from publish.errors import LayoutError, RenderError
from publish.render import docx_fonts
from publish.model import (
    Article, BlockVisitor, Byline, Caption, EditorNote, Figure, Headline, HeadlineRole,
    Paragraph, QAHead, QAKind, Subhead,
)
from publish.render._fit import fit
from publish.render.html_body import date_text
from publish.render.ziparchive import read_entries, zip_bytes
from publish.timestamps import naive_utc
from publish.yamlio import safe_load

__all__ = ['write', 'render', 'clean_text', 'load_style_map']

#: The style map's file in a layout folder.
STYLE_MAP_FILE = 'docx.yaml'
#: What a style map may hold: its sections, and the settings of ``page``.
_SECTIONS = ('page', 'header', 'footer', 'styles', 'character_styles')
_PAGE_KEYS = ('width_cm', 'height_cm', 'top_cm', 'bottom_cm', 'left_cm', 'right_cm',
              'header_cm', 'footer_cm', 'figure_max_height')


_STYLE_KEYS = {'font', 'size', 'bold', 'italic', 'color', 'line_height', 'align',
               'first_line_chars', 'indent_chars', 'space_before', 'space_after',
               'keep_with_next', 'outline_level'}
_NUMBER_KEYS = {'size', 'line_height', 'first_line_chars', 'indent_chars', 'space_before',
                'space_after', 'outline_level'}
_BOOL_KEYS = {'bold', 'italic', 'keep_with_next'}
_ALIGN = {'left': 'left', 'center': 'center', 'right': 'right', 'justify': 'both',
          'both': 'both'}
_HEADLINE_STYLE = {
    HeadlineRole.BANNER: 'Banner',
    HeadlineRole.KICKER: 'Kicker',
    HeadlineRole.TITLE: 'Title',
    HeadlineRole.SUBTITLE: 'Subtitle',
}
# Font table classes: with charset 86 (GB2312) they let Word/WPS pick a Chinese
# substitute of the same kind (Song, Hei, Kai) where the font is not installed.
_FONT_CLASS = {'serif': 'roman', 'serif-bold': 'roman', 'sans': 'swiss', 'sans-bold': 'swiss',
               'kai': 'script'}
_FIELD_SEQ_LABEL = '图'
# The font of the same kind every Chinese Windows has, named in the font table
# (w:altName) for a reader without the embedded fonts or for characters they lack.
_ALT_NAMES = {'serif': '宋体', 'serif-bold': '宋体', 'sans': '黑体', 'sans-bold': '黑体',
              'kai': '楷体'}

_DROP_PACKAGE_RELS = {RT.THUMBNAIL}
_DROP_DOCUMENT_RELS = {RT.CUSTOM_XML,
                       'http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects'}


# ---------------------------------------------------------------- text

_INVALID_XML = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]')


def clean_text(text: str) -> str:
    """Make *text* safe for XML 1.0 as documented in the module docstring."""
    text = text.replace('\r\n', '\n').replace('\r', '\n')
    return _INVALID_XML.sub('', text)


# ---------------------------------------------------------------- layout and fonts

def _deep_merge(base: dict, over: Mapping) -> dict:
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _read_style_map(path: Path) -> Mapping:
    import yaml
    try:
        data = safe_load(path.read_text(encoding='utf-8'))
    except yaml.YAMLError as exc:
        mark = getattr(exc, 'problem_mark', None)
        raise LayoutError(f'cannot read the DOCX style map: {exc}', path,
                          mark.line + 1 if mark else None) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise LayoutError(f'cannot read the DOCX style map: {exc}', path) from None
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise LayoutError('the DOCX style map must be a mapping of sections '
                          '(page, header, footer, styles, character_styles)', path)
    unknown_sections = set(data) - set(_SECTIONS)
    if unknown_sections:
        raise LayoutError(f'unknown sections {", ".join(sorted(map(str, unknown_sections)))} '
                          f'(known: {", ".join(_SECTIONS)})', path)
    for key, value in (data.get('page') or {}).items():
        if key not in _PAGE_KEYS:
            raise LayoutError(f'page.{key}: unknown setting (known: '
                              f'{", ".join(_PAGE_KEYS)})', path)
        if not _is_number(value) or value <= 0:
            raise LayoutError(f'page.{key} must be a positive number, not {value!r}', path)
    for section in ('styles', 'character_styles'):
        for name, props in (data.get(section) or {}).items():
            where = f'{section}.{name}'
            if not isinstance(props, Mapping):
                raise LayoutError(f'{where} must be a mapping of properties', path)
            unknown = set(props) - _STYLE_KEYS
            if unknown:
                raise LayoutError(f'{where}: unknown properties '
                                  f'{", ".join(sorted(map(str, unknown)))} (known: '
                                  f'{", ".join(sorted(_STYLE_KEYS))})', path)
            for key, value in props.items():
                if key in _NUMBER_KEYS and value is not None and not _is_number(value):
                    raise LayoutError(f'{where}.{key} must be a number, not {value!r}', path)
                if key in _BOOL_KEYS and not isinstance(value, bool):
                    raise LayoutError(f'{where}.{key} must be true or false, not {value!r}',
                                      path)
                if key == 'align' and value not in _ALIGN:
                    raise LayoutError(f'{where}.align must be one of '
                                      f'{", ".join(_ALIGN)}, not {value!r}', path)
                if key == 'color' and not re.fullmatch(r'[0-9A-Fa-f]{6}', str(value)):
                    raise LayoutError(f'{where}.color must be RRGGBB, not {value!r}', path)
    return data


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def load_style_map(layout) -> dict:
    """The effective style map: the ``docx.yaml`` of each of the layout's
    folders (:class:`publish.layout.Layout`), the shipped default first and
    the most specific last, each laid over the ones before."""
    style_map: dict = {}
    for folder in reversed(tuple(layout.dirs)):
        candidate = Path(folder) / STYLE_MAP_FILE
        if candidate.is_file():
            style_map = _deep_merge(style_map, _read_style_map(candidate))
    missing = [section for section in ('page', 'header', 'footer', 'styles')
               if section not in style_map]
    if missing or 'Normal' not in style_map.get('styles', {}):
        raise LayoutError(f'the DOCX style map of layout {layout.name!r} lacks '
                          f'{", ".join(missing) or "styles.Normal"}; searched {", ".join(map(str, layout.dirs))}',
                          Path(layout.dirs[0]) / STYLE_MAP_FILE)
    return style_map


# ---------------------------------------------------------------- XML helpers

def _pt_twips(points: float) -> int:
    return int(round(points * 20))


def _half_points(points: float) -> int:
    return int(round(points * 2))


def _attr(value: str) -> str:
    return (value.replace('&', '&amp;').replace('"', '&quot;')
            .replace('<', '&lt;').replace('>', '&gt;'))


def _rfonts_xml(family: str) -> str:
    f = _attr(family)
    return (f'<w:rFonts w:ascii="{f}" w:hAnsi="{f}" w:eastAsia="{f}" w:cs="{f}" '
            f'w:hint="eastAsia"/>')


def _rpr_xml(props: Mapping, families: Mapping[str, str], *, latin_lang: str | None = 'en-US'
             ) -> str:
    parts = []
    if props.get('font'):
        parts.append(_rfonts_xml(families.get(props['font'], props['font'])))
    if 'bold' in props:
        v = '1' if props['bold'] else '0'
        parts.append(f'<w:b w:val="{v}"/><w:bCs w:val="{v}"/>')
    if 'italic' in props:
        v = '1' if props['italic'] else '0'
        parts.append(f'<w:i w:val="{v}"/><w:iCs w:val="{v}"/>')
    if props.get('color'):
        parts.append(f'<w:color w:val="{_attr(str(props["color"]))}"/>')
    if props.get('size'):
        hp = _half_points(float(props['size']))
        parts.append(f'<w:sz w:val="{hp}"/><w:szCs w:val="{hp}"/>')
    if latin_lang:
        parts.append(f'<w:lang w:val="{latin_lang}" w:eastAsia="zh-CN" w:bidi="ar-SA"/>')
    return f'<w:rPr {nsdecls("w")}>' + ''.join(parts) + '</w:rPr>'


def _ppr_xml(props: Mapping, body_size: float) -> str:
    size = float(props.get('size') or body_size)
    parts = []
    if props.get('keep_with_next'):
        parts.append('<w:keepNext/>')
    parts.append('<w:widowControl/>')
    spacing = (f'w:before="{_pt_twips(float(props.get("space_before", 0)))}" '
               f'w:beforeLines="0" '
               f'w:after="{_pt_twips(float(props.get("space_after", 0)))}" w:afterLines="0"')
    if props.get('line_height'):
        pitch = _pt_twips(round(size * float(props['line_height']) * 2) / 2)
        spacing += f' w:line="{pitch}" w:lineRule="exact"'
    else:
        spacing += ' w:line="240" w:lineRule="auto"'
    parts.append(f'<w:spacing {spacing}/>')
    first = float(props.get('first_line_chars', 0) or 0)
    side = float(props.get('indent_chars', 0) or 0)
    parts.append(
        f'<w:ind w:left="{_pt_twips(side * size)}" w:leftChars="{int(side * 100)}" '
        f'w:right="{_pt_twips(side * size)}" w:rightChars="{int(side * 100)}" '
        f'w:firstLine="{_pt_twips(first * size)}" w:firstLineChars="{int(first * 100)}"/>')
    align = _ALIGN.get(str(props.get('align', 'justify')), 'both')
    parts.append(f'<w:jc w:val="{align}"/>')
    if 'outline_level' in props and props['outline_level'] is not None:
        parts.append(f'<w:outlineLvl w:val="{int(props["outline_level"])}"/>')
    return f'<w:pPr {nsdecls("w")}>' + ''.join(parts) + '</w:pPr>'


def _style_id(name: str) -> str:
    return re.sub(r'\W', '', name) or 'Style'


# ---------------------------------------------------------------- styles

def _setup_styles(doc, style_map: Mapping, families: Mapping[str, str]) -> None:
    styles = doc.styles
    body = style_map['styles']['Normal']
    body_size = float(body.get('size', 10.5))

    # docDefaults: the serif everywhere, zh-CN, body size.
    defaults = styles.element.find(qn('w:docDefaults'))
    if defaults is None:
        defaults = OxmlElement('w:docDefaults')
        styles.element.insert(0, defaults)
    for child in list(defaults):
        defaults.remove(child)
    rpr_default = OxmlElement('w:rPrDefault')
    rpr_default.append(parse_xml(_rpr_xml({'font': body.get('font', 'serif'),
                                           'size': body_size}, families,
                                          latin_lang='zh-CN')))
    ppr_default = OxmlElement('w:pPrDefault')
    ppr_default.append(parse_xml(f'<w:pPr {nsdecls("w")}><w:spacing w:after="0" '
                                 f'w:line="240" w:lineRule="auto"/></w:pPr>'))
    defaults.append(rpr_default)
    defaults.append(ppr_default)

    for name, props in style_map['styles'].items():
        try:
            style = styles[name]
        except KeyError:
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.element.set(qn('w:styleId'), _style_id(name))
            if name != 'Normal':
                style.base_style = styles['Normal']
                style.next_paragraph_style = styles['Normal']
        if style.type != WD_STYLE_TYPE.PARAGRAPH:
            raise LayoutError(f'styles.{name} is not a paragraph style in Word')
        style.quick_style = True
        style.hidden = False
        style.unhide_when_used = False
        style.priority = None
        el = style.element
        for tag in ('w:pPr', 'w:rPr'):
            for old in el.findall(qn(tag)):
                el.remove(old)
        el.append(parse_xml(_ppr_xml(props, body_size)))
        el.append(parse_xml(_rpr_xml(props, families)))

    for name, props in style_map.get('character_styles', {}).items():
        try:
            style = styles[name]
        except KeyError:
            style = styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
            style.element.set(qn('w:styleId'), _style_id(name))
        style.quick_style = True
        el = style.element
        for old in el.findall(qn('w:rPr')):
            el.remove(old)
        el.append(parse_xml(_rpr_xml(props, families)))

    # Linked character styles ("Title Char" …) follow their paragraph styles;
    # every other template style loses its theme fonts (→ docDefaults).
    by_id = {st.style_id: st for st in styles}
    for name in style_map['styles']:
        el = styles[name].element
        link = el.find(qn('w:link'))
        linked = by_id.get(link.get(qn('w:val'))) if link is not None else None
        if linked is not None and linked.type == WD_STYLE_TYPE.CHARACTER:
            for old in linked.element.findall(qn('w:rPr')):
                linked.element.remove(old)
            linked.element.append(copy.deepcopy(el.find(qn('w:rPr'))))
    for st in styles:
        for rsid in st.element.findall(qn('w:rsid')):   # the template's revision ids
            st.element.remove(rsid)
        for fonts in st.element.iter(qn('w:rFonts')):
            for key in [k for k in fonts.attrib if _local(k).endswith('Theme')]:
                del fonts.attrib[key]
        for color in st.element.iter(qn('w:color')):
            for key in [k for k in color.attrib if _local(k).startswith('theme')]:
                del color.attrib[key]


def _local(name: str) -> str:
    return name.rsplit('}', 1)[-1]


# ---------------------------------------------------------------- styles by id

#: Per document part: style name → the id a paragraph or run names it by
#: (None for the default style of its kind, as python-docx writes it).
_STYLE_IDS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _style_ref(part, name: str) -> str | None:
    """The id of the style *name* in the document of *part*.  python-docx,
    given a style, looks for the default one among all styles each time:
    a tenth of the seed's DOCX time; the styles are set up before the first
    paragraph, so they are read once."""
    ids = _STYLE_IDS.get(part)
    if ids is None:
        styles = part.document.styles
        defaults = [styles.default(kind) for kind in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER)]
        ids = _STYLE_IDS[part] = {s.name: None if s in defaults else s.style_id for s in styles}
    return ids[name]


def _add_paragraph(doc, style: str):
    """``doc.add_paragraph(style=style)``, the style named by its id."""
    par = doc.add_paragraph()
    par._p.style = _style_ref(doc.part, style)
    return par


# ---------------------------------------------------------------- runs and fields

def _add_text(paragraph, text: str, style: str | None = None, bold: bool | None = None):
    """Runs of *text* in *style*; what only the fallback font draws (emoji)
    gets runs of its own set in that font."""
    text = clean_text(text)
    for piece, fallback in _fonts.fallback_runs(text) or [(text, False)]:
        run = paragraph.add_run(piece)
        if style:
            run._r.style = _style_ref(paragraph.part, style)
        if bold is not None:
            run.bold = bold
        if fallback:
            family = _fonts.face(_fonts.FALLBACK_ROLE).family
            fonts = run._r.get_or_add_rPr().get_or_add_rFonts()
            for key in ('w:ascii', 'w:hAnsi', 'w:eastAsia', 'w:cs'):
                fonts.set(qn(key), family)
    return run


def _add_field(paragraph, instruction: str, result: str) -> None:
    """A complex field (fldChar begin/separate/end) with a cached result."""
    def fld(kind: str):
        r = OxmlElement('w:r')
        c = OxmlElement('w:fldChar')
        c.set(qn('w:fldCharType'), kind)
        r.append(c)
        paragraph._p.append(r)

    fld('begin')
    r = OxmlElement('w:r')
    instr = OxmlElement('w:instrText')
    instr.set('{http://www.w3.org/XML/1998/namespace}space', 'preserve')
    instr.text = f' {instruction} '
    r.append(instr)
    paragraph._p.append(r)
    fld('separate')
    paragraph.add_run(result)
    fld('end')


# ---------------------------------------------------------------- blocks

def _figure(doc, block: Figure, number: int, expected: int, style_map: Mapping,
            text_width: int, text_height: int) -> None:
    path = Path(block.path)
    try:
        image = _DocxImage.from_file(str(path))
    except FileNotFoundError:
        raise RenderError(f'figure {number}: picture not found: {path}', path) from None
    except UnrecognizedImageError:
        raise RenderError(f'figure {number}: not a PNG/JPEG/GIF/BMP/TIFF picture', path) from None
    except OSError as exc:
        raise RenderError(f'figure {number}: cannot read picture: {exc}', path) from None
    px_w, px_h = max(image.px_width, 1), max(image.px_height, 1)
    width = text_width
    height = int(width * px_h / px_w)
    max_height = int(text_height * float(style_map['page'].get('figure_max_height', 0.6)))
    if height > max_height:
        height = max_height
        width = int(height * px_w / px_h)
    pic_par = _add_paragraph(doc, 'Figure')
    run = pic_par.add_run()
    try:
        run.add_picture(str(path), width=Emu(width), height=Emu(height))
    except UnrecognizedImageError:
        raise RenderError(f'figure {number}: not a PNG/JPEG/GIF/BMP/TIFF picture', path) from None
    alt = clean_text(block.alt or block.caption or f'{_FIELD_SEQ_LABEL} {number}')
    for doc_pr in run._r.iter(qn('wp:docPr')):
        doc_pr.set('descr', alt)
        doc_pr.set('name', f'{_FIELD_SEQ_LABEL} {number}')
    for c_nv_pr in run._r.iter(qn('pic:cNvPr')):
        c_nv_pr.set('name', f'figure{number}{path.suffix.lower()}')
        c_nv_pr.set('descr', alt)

    cap = _add_paragraph(doc, 'Caption')
    _add_text(cap, f'{_FIELD_SEQ_LABEL} ')
    # SEQ counts by itself when Word updates fields; \r restarts the count when
    # the article numbers its figures otherwise, so the update keeps its numbers.
    restart = f' \\r {number}' if number != expected else ''
    _add_field(cap, f'SEQ {_FIELD_SEQ_LABEL} \\* ARABIC{restart}', str(number))
    if block.caption:
        _add_text(cap, ' ' + block.caption)
    if block.credit:
        _add_text(cap, ' ' + block.credit)


def _paragraph(doc, block: Paragraph) -> None:
    par = _add_paragraph(doc, 'Normal')
    if block.dateline:
        _add_text(par, block.dateline, 'Dateline', bold=True)
        if block.dateline_separator:
            _add_text(par, block.dateline_separator)
    if block.run_in is not None:
        _add_text(par, block.run_in.text, 'Run-in Head', bold=True)
        if block.run_in.separator:
            _add_text(par, block.run_in.separator)
    body = clean_text(block.text).strip('\n')   # a break at either end only adds an empty line
    if body:
        _add_text(par, body)


class _DocxBlocks(BlockVisitor):
    """Adds each block to the document as its Word paragraphs."""

    where = 'DOCX renderer'

    def __init__(self, doc, style_map: Mapping, text_width: int, text_height: int):
        self.doc = doc
        self.style_map = style_map
        self.text_width = text_width
        self.text_height = text_height
        self.last_figure = 0

    def headline(self, block: Headline) -> None:
        for part in block.parts:
            _add_text(_add_paragraph(self.doc, _HEADLINE_STYLE[part.role]), part.text)

    def byline(self, block: Byline) -> None:
        _add_text(_add_paragraph(self.doc, 'Byline'), '\n'.join(block.lines))

    def paragraph(self, block: Paragraph) -> None:
        _paragraph(self.doc, block)

    def qa_head(self, block: QAHead) -> None:
        style = 'Heading 1' if block.kind is QAKind.QUESTION else 'Heading 2'
        _add_text(_add_paragraph(self.doc, style), block.text)

    def subhead(self, block: Subhead) -> None:
        _add_text(_add_paragraph(self.doc, 'Heading 3'), block.text)

    def caption(self, block: Caption) -> None:
        par = _add_paragraph(self.doc, 'Caption')
        _add_text(par, block.text)
        if block.credit:
            _add_text(par, (' ' if block.text else '') + block.credit)

    def editor_note(self, block: EditorNote) -> None:
        _add_text(_add_paragraph(self.doc, 'Editor Note'), block.text)

    def figure(self, block: Figure) -> None:
        expected = self.last_figure + 1
        number = block.number or expected
        _figure(self.doc, block, number, expected, self.style_map, self.text_width,
                self.text_height)
        self.last_figure = number


# ---------------------------------------------------------------- page, header, footer

def _setup_page(doc, article: Article, style_map: Mapping) -> tuple[int, int]:
    page = style_map['page']
    section = doc.sections[0]
    section.page_width = Cm(float(page['width_cm']))
    section.page_height = Cm(float(page['height_cm']))
    section.top_margin = Cm(float(page['top_cm']))
    section.bottom_margin = Cm(float(page['bottom_cm']))
    section.left_margin = Cm(float(page['left_cm']))
    section.right_margin = Cm(float(page['right_cm']))
    section.header_distance = Cm(float(page['header_cm']))
    section.footer_distance = Cm(float(page['footer_cm']))
    section.gutter = Cm(0)

    head_bits = [clean_text(article.meta.publication), date_text(article.meta.date)]
    head = style_map['header'].get('separator', ' · ').join(b for b in head_bits if b)
    if head:
        hp = section.header.paragraphs[0]
        hp.style = doc.styles['Header']
        _add_text(hp, head)
        # The pPr holds only pStyle here, so pBdr lands in schema order.
        hp._p.get_or_add_pPr().append(parse_xml(
            f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="4" '
            f'w:space="1" w:color="auto"/></w:pBdr>'))

    fp = section.footer.paragraphs[0]
    fp.style = doc.styles['Footer']
    fmt = str(style_map['footer'].get('page_format', '{PAGE}'))
    before, _, after = fmt.partition('{PAGE}')
    if before:
        fp.add_run(before)
    _add_field(fp, 'PAGE \\* ARABIC', '1')
    if after:
        fp.add_run(after)

    width = section.page_width - section.left_margin - section.right_margin
    height = section.page_height - section.top_margin - section.bottom_margin
    return int(width), int(height)


# ---------------------------------------------------------------- metadata

def _timestamp(ts: _dt.datetime) -> _dt.datetime:
    """The edition timestamp as a naive UTC datetime, for the file's dates."""
    return naive_utc(ts).replace(microsecond=0)


def _authors(article: Article) -> list[str]:
    contributors = list(article.contributors)
    if not contributors:
        for block in article.blocks:
            if isinstance(block, Byline):
                contributors.extend(block.contributors)
    names: list[str] = []
    for c in contributors:
        name = clean_text(c.name).strip()
        if name and name not in names:
            names.append(name)
    return names


#: The most characters a text core property holds (Word's limit, which
#: python-docx enforces by raising).
CORE_PROPERTY_LIMIT = 255


def _core_properties(doc, article: Article, when: _dt.datetime) -> None:
    """Title, authors, subject, keywords, category, language, dates; every
    text cut to :data:`CORE_PROPERTY_LIMIT` characters."""
    def text(value: str) -> str:
        return fit(value, CORE_PROPERTY_LIMIT)

    props = doc.core_properties
    for child in list(props._element):
        props._element.remove(child)
    props.title = text(clean_text(article.title))
    authors = _authors(article)
    if authors:
        props.author = text('；'.join(authors))
    subject = '；'.join(clean_text(s) for s in (article.kicker, article.subtitle) if s)
    if subject:
        props.subject = text(subject)
    if article.meta.keywords:
        props.keywords = text('; '.join(clean_text(k) for k in article.meta.keywords))
    if article.meta.section:
        props.category = text(clean_text(article.meta.section))
    props.language = text(article.meta.language or 'zh-CN')
    props.last_modified_by = text(clean_text(article.meta.publication))
    props.revision = 1
    props.created = when
    props.modified = when


def _app_xml(article: Article) -> bytes:
    company = _attr(clean_text(article.meta.publication))
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
        '2006/docPropsVTypes">'
        '<Application>publish</Application>'
        '<DocSecurity>0</DocSecurity>'
        '<ScaleCrop>false</ScaleCrop>'
        f'<Company>{company}</Company>'
        '<LinksUpToDate>false</LinksUpToDate>'
        '<SharedDoc>false</SharedDoc>'
        '<HyperlinksChanged>false</HyperlinksChanged>'
        '</Properties>'
    ).encode('utf-8')


def _families_used(families: Mapping[str, str], article: Article) -> dict[str, str]:
    """*families* without the fallback font's when the article needs none of it."""
    needed = bool(_fonts.fallback_chars(_fonts.used_chars(article)))
    return {role: family for role, family in families.items()
            if needed or role != _fonts.FALLBACK_ROLE}


def _font_table_xml(families: Mapping[str, str]) -> bytes:
    seen: dict[str, str] = {}
    for role, family in families.items():
        seen.setdefault(family, role)
    fonts = []
    for family, role in seen.items():
        kind = _FONT_CLASS.get(role, 'auto')
        alt = f'<w:altName w:val="{_attr(_ALT_NAMES[role])}"/>' if role in _ALT_NAMES else ''
        charset = '86' if role in _FONT_CLASS else '00'      # GB2312 for the Chinese fonts
        fonts.append(
            f'<w:font w:name="{_attr(family)}">{alt}'
            f'<w:charset w:val="{charset}"/><w:family w:val="{kind}"/>'
            f'<w:pitch w:val="variable"/></w:font>')
    return ("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
            '<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            + ''.join(fonts) + '</w:fonts>').encode('utf-8')


def _clean_settings(doc, tab_twips: int) -> None:
    settings = doc.settings.element
    for tag in ('w:rsids', 'w:savePreviewPicture', 'w:proofState', 'w:attachedTemplate'):
        for el in settings.findall(qn(tag)):
            settings.remove(el)
    for el in list(settings):
        if _local(el.tag) == 'docId':
            settings.remove(el)
    for el in settings.findall(qn('w:themeFontLang')):
        el.set(qn('w:val'), 'zh-CN')
        el.set(qn('w:eastAsia'), 'zh-CN')
    for el in settings.findall(qn('w:characterSpacingControl')):
        el.set(qn('w:val'), 'compressPunctuation')
    for el in settings.findall(qn('w:defaultTabStop')):
        el.set(qn('w:val'), str(tab_twips))
    # A line ending in a manual line break is not stretched in justified text
    # (Word and LibreOffice both honour this; it is first in w:compat's sequence).
    compat = settings.find(qn('w:compat'))
    if compat is None:
        compat = OxmlElement('w:compat')
        settings.append(compat)
    if compat.find(qn('w:doNotExpandShiftReturn')) is None:
        compat.insert(0, OxmlElement('w:doNotExpandShiftReturn'))


def _drop_template_parts(doc) -> None:
    package = doc.part.package
    for rels, drop in ((package.rels, _DROP_PACKAGE_RELS),
                       (doc.part.rels, _DROP_DOCUMENT_RELS)):
        for r_id in [k for k, rel in rels.items() if rel.reltype in drop]:
            rels.pop(r_id)


# ---------------------------------------------------------------- entry point

def write(article: Article, layout, options, out_dir: Path) -> list[Path]:
    """The writer's entry point: ``out_dir/NAME.docx``."""
    return [render(article, layout, Path(out_dir) / f'{article.name}.docx', options)]


def render(article: Article, layout, out_path: str | os.PathLike, options) -> Path:
    """Write *article* as a DOCX to *out_path* and return the path.

    *layout* is a :class:`publish.layout.Layout`: the ``docx.yaml`` of its
    folders make the style map.  Raises :class:`publish.model.UnknownBlockType`
    on a block type the model does not define, RenderError when a picture
    cannot be used, LayoutError on a broken style map.
    """
    out_path = Path(out_path)
    style_map = load_style_map(layout)
    families = _fonts.families()
    when = _timestamp(options.timestamp)

    doc = Document()
    _drop_template_parts(doc)
    _clean_settings(doc, _pt_twips(2 * float(style_map['styles']['Normal'].get('size', 10.5))))
    _setup_styles(doc, style_map, families)
    body = doc.element.body
    for p in body.findall(qn('w:p')):
        body.remove(p)
    text_width, text_height = _setup_page(doc, article, style_map)

    blocks = _DocxBlocks(doc, style_map, text_width, text_height)
    for block in article.blocks:
        blocks.visit(block)
    if body.find(qn('w:p')) is None:
        doc.add_paragraph()      # Word wants at least one paragraph before the section end
    _core_properties(doc, article, when)

    raw = io.BytesIO()
    doc.save(raw)
    entries = read_entries(raw.getvalue())
    entries['docProps/app.xml'] = _app_xml(article)
    entries['word/fontTable.xml'] = _font_table_xml(_families_used(families, article))
    entries.update(docx_fonts.embed(entries))
    data = zip_bytes(entries, when, first=('[Content_Types].xml',), level=6)

    out_path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(out_path, data, sync=False)
    return out_path
