"""The shipped fonts embedded in a DOCX, as Word embeds fonts (ECMA-376
Part 1, §17.8.1 and §17.8.3).

A colleague's Word, WPS or LibreOffice has none of the shipped fonts; with
them embedded the document looks the same there.  python-docx drops embedded
fonts when it saves, so this is a step on the package it wrote:
:func:`embed` takes the package's parts and gives the parts to add or
replace.

* Which characters each face sets is read from the package itself: every
  run of the body, headers and footers, with its font and boldness resolved
  through its character style, its paragraph style (and the styles those are
  based on) and the document defaults.
* Each face used is cut down to those characters (and printable ASCII and
  the common Chinese punctuation, so page numbers and small edits show in the
  same font) with HarfBuzz's subsetter.  Word embeds and uses TrueType
  outlines only, so the CFF outlines of the Noto CJK fonts are drawn by
  HarfBuzz, converted to quadratic curves by fontTools' cu2qu and written as
  a ``glyf`` table (as fontTools' ``otf2ttf`` does).  Converted glyphs are
  kept between runs (:func:`glyph_cache_path`), so the next article converts
  only the characters it adds.
* Each font is obfuscated (§17.8.1): the first 32 bytes are XORed with the
  16 bytes of its font key, a GUID, read backwards.  The key is made from the
  font's own bytes, so the same document gives the same package.  The fonts
  are ``word/fonts/fontN.odttf``, related from ``word/fontTable.xml``, whose
  ``w:font`` entries get ``w:embedRegular`` / ``w:embedBold`` with
  ``r:id`` and ``w:fontKey``; ``word/settings.xml`` gets
  ``w:embedTrueTypeFonts`` and ``w:saveSubsetFonts``; ``[Content_Types].xml``
  the ``odttf`` content type.

A character outside the subsets (one a colleague types) is set in the font
table's ``w:altName`` (宋体, 黑体, 楷体), which :mod:`publish.render.docx`
writes.
"""
from __future__ import annotations

import hashlib
import io
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from lxml import etree

from publish import fonts as _fonts
from publish.atomic import write_atomic
from publish.cachedir import cache_folder
from publish.sfnt import font_bytes

W_NS = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main'
R_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
PR_NS = 'http://schemas.openxmlformats.org/package/2006/relationships'
CT_NS = 'http://schemas.openxmlformats.org/package/2006/content-types'
FONT_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/font'
ODTTF_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.obfuscatedFont'

#: Characters every embedded face holds besides the document's: printable
#: ASCII (page numbers, Latin text typed later) and common Chinese punctuation.
BASE_CHARACTERS = (''.join(map(chr, range(0x20, 0x7f)))
                   + '，。、；：？！“”‘’（）《》〈〉「」『』【】—…·～　')

# w:settings children that come before w:embedTrueTypeFonts (CT_Settings).
_SETTINGS_BEFORE = {'writeProtection', 'view', 'zoom', 'removePersonalInformation',
                    'removeDateAndTime', 'doNotDisplayPageBoundaries', 'displayBackgroundShape',
                    'printPostScriptOverText', 'printFractionalCharacterWidth', 'printFormsData'}


def _w(name: str) -> str:
    return f'{{{W_NS}}}{name}'


@dataclass(frozen=True)
class EmbeddedFont:
    family: str
    bold: bool
    part_name: str           # word/fonts/fontN.odttf
    font_key: str            # {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}
    data: bytes              # obfuscated


# ---------------------------------------------------------------- which characters in which face

def _on(el) -> bool | None:
    """The value of a toggle property element (w:b), None when absent."""
    if el is None:
        return None
    return el.get(_w('val'), 'true') not in ('0', 'false', 'off')


def _run_font(rpr) -> tuple[str | None, bool | None]:
    """(family, bold) a w:rPr sets, None where it sets nothing."""
    if rpr is None:
        return None, None
    family = None
    fonts = rpr.find(_w('rFonts'))
    if fonts is not None:
        family = fonts.get(_w('eastAsia')) or fonts.get(_w('ascii')) or fonts.get(_w('hAnsi'))
    return family, _on(rpr.find(_w('b')))


class _Styles:
    """Font and boldness of each style of a styles.xml, inheritance resolved."""

    def __init__(self, styles_xml: bytes | None):
        self.by_id: dict[str, tuple[str | None, str | None, bool | None]] = {}
        self.default_family: str | None = None
        self.default_bold = False
        self.default_paragraph: str | None = None
        if not styles_xml:
            return
        root = etree.fromstring(styles_xml)
        rpr = root.find(f'{_w("docDefaults")}/{_w("rPrDefault")}/{_w("rPr")}')
        self.default_family, bold = _run_font(rpr)
        self.default_bold = bool(bold)
        for style in root.findall(_w('style')):
            sid = style.get(_w('styleId'))
            based = style.find(_w('basedOn'))
            family, bold = _run_font(style.find(_w('rPr')))
            self.by_id[sid] = (based.get(_w('val')) if based is not None else None, family, bold)
            if style.get(_w('type')) == 'paragraph' and style.get(_w('default')) in ('1', 'true', 'on'):
                self.default_paragraph = sid

    def resolve(self, sid: str | None) -> tuple[str | None, bool | None]:
        family = bold = None
        seen = set()
        while sid and sid in self.by_id and sid not in seen:
            seen.add(sid)
            based, fam, b = self.by_id[sid]
            family = family if family is not None else fam
            bold = bold if bold is not None else b
            sid = based
        return family, bold


def characters_by_face(parts: Mapping[str, bytes]) -> dict[tuple[str, bool], set[str]]:
    """(family, bold) → the characters set in that face, over the body,
    headers and footers of the package *parts*."""
    styles = _Styles(parts.get('word/styles.xml'))
    used: dict[tuple[str, bool], set[str]] = {}
    names = sorted(n for n in parts if n == 'word/document.xml'
                   or (n.startswith('word/header') or n.startswith('word/footer')) and n.endswith('.xml'))
    for name in names:
        root = etree.fromstring(parts[name])
        for p in root.iter(_w('p')):
            ppr = p.find(_w('pPr'))
            pstyle = ppr.find(_w('pStyle')) if ppr is not None else None
            p_family, p_bold = styles.resolve(pstyle.get(_w('val')) if pstyle is not None
                                              else styles.default_paragraph)
            for r in p.iter(_w('r')):
                text = ''.join(t.text or '' for t in r.iter(_w('t')))
                if not text:
                    continue
                rpr = r.find(_w('rPr'))
                rstyle = rpr.find(_w('rStyle')) if rpr is not None else None
                c_family, c_bold = styles.resolve(rstyle.get(_w('val')) if rstyle is not None else None)
                d_family, d_bold = _run_font(rpr)
                family = d_family or c_family or p_family or styles.default_family
                bold = next((b for b in (d_bold, c_bold, p_bold) if b is not None), styles.default_bold)
                if family:
                    used.setdefault((family, bold), set()).update(text)
    return used


def _face_for(family: str, bold: bool) -> _fonts.FontFace | None:
    """The shipped face of *family* with that weight (the regular one when the
    family has no bold: the application then emboldens it)."""
    faces = [f for f in _fonts.faces() if f.family == family]
    for want in (bold, False):
        for f in faces:
            if f.role.endswith('-bold') == want:
                return f
    return None


# ---------------------------------------------------------------- fonts

def glyph_cache_path(face: _fonts.FontFace) -> Path | None:
    """Where the TrueType glyphs converted from *face* are kept between runs
    (``$XDG_CACHE_HOME/publish/truetype-glyphs/``, default ``~/.cache``, as
    the file hashes of the build); None: nowhere.  Deleting it is always safe."""
    folder = cache_folder()
    return folder / 'truetype-glyphs' / f'{face.sha256[:32]}-v{_CACHE_FORMAT}.bin' if folder else None


_CACHE_FORMAT = 1
_RECORD = struct.Struct('<II')           # glyph id in the whole font, length of the glyf data


class _GlyphCache:
    """Compiled ``glyf`` entries by glyph id of the whole font: drawing and
    converting the outlines is what embedding costs, and most characters of
    one article are in the next."""

    def __init__(self, path: Path | None):
        self.path = path
        self.glyphs = self._read()
        self.added: dict[int, bytes] = {}

    def _read(self) -> dict[int, bytes]:
        try:
            data = self.path.read_bytes() if self.path else b''
        except OSError:
            return {}
        glyphs, at = {}, 0
        while at + _RECORD.size <= len(data):
            gid, size = _RECORD.unpack_from(data, at)
            at += _RECORD.size
            if at + size > len(data):
                break                               # cut short: keep what is whole
            glyphs[gid] = data[at:at + size]
            at += size
        return glyphs

    def get(self, gid: int) -> bytes | None:
        return self.glyphs.get(gid)

    def put(self, gid: int, data: bytes) -> None:
        self.glyphs[gid] = self.added[gid] = data

    def save(self) -> None:
        if not self.added or not self.path:
            return
        merged = {**self._read(), **self.added}     # another process may have added some
        body = b''.join(_RECORD.pack(gid, len(d)) + d for gid, d in sorted(merged.items()))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, body, sync=False)
        except OSError:
            pass                                    # a cache that cannot be written is no cache


def _simple_glyph_stats(data: bytes) -> tuple[int, int, int]:
    """(xMin, contours, points) of a compiled simple glyph (0, 0, 0 when empty)."""
    if not data:
        return 0, 0, 0
    contours, x_min = struct.unpack_from('>hh', data, 0)
    if contours <= 0:
        return x_min, 0, 0
    last_point, = struct.unpack_from('>H', data, 10 + 2 * (contours - 1))
    return x_min, contours, last_point + 1


def truetype_subset(face: _fonts.FontFace, chars) -> bytes:
    """*face* cut down to *chars* with TrueType outlines (converted from CFF
    when the face has them), as Word embeds fonts."""
    import uharfbuzz as hb
    from fontTools.ttLib import TTFont, newTable
    from fontTools.ttLib.tables._g_l_y_f import Glyph

    wanted = hb.SubsetInput()
    for code in sorted({ord(c) for c in chars if _fonts.needs_glyph(c)} | {0x20, 0x3000}):
        wanted.unicode_set.add(code)
    wanted.flags = hb.SubsetFlags.NO_HINTING
    plan = hb.SubsetPlan(_fonts._hb_face(face.path), wanted)
    whole_gid = dict(plan.new_to_old_glyph_mapping.items())
    result = plan.execute()
    if result is None:
        raise _fonts.FontError(f'cannot subset the font {face.path.name}', face.path)
    data = result.blob.data
    # bounding boxes come from the glyphs as compiled; head.modified stays the font's
    font = TTFont(io.BytesIO(data), recalcBBoxes=False, recalcTimestamp=False)
    if 'CFF ' not in font:
        return data
    # glyph names of our own, so that the CFF table (and fontTools' 60 ms
    # of OpenType table code it imports) is never read: the names are not
    # kept ('post' format 3), the glyphs are told apart by their order
    font.setGlyphOrder([f'glyph{gid:05d}' for gid in range(font['maxp'].numGlyphs)])
    cache = _GlyphCache(glyph_cache_path(face))
    outlines = None
    order = font.getGlyphOrder()
    glyf = newTable('glyf')
    glyf.glyphOrder = order
    glyf.glyphs = {}
    hmtx = font['hmtx']
    max_points = max_contours = 0
    for gid, name in enumerate(order):
        compiled = cache.get(whole_gid[gid])
        if compiled is None:
            outlines = outlines or hb.Font(hb.Face(hb.Blob(data)))
            compiled = _convert_glyph(outlines, gid, glyf)
            cache.put(whole_gid[gid], compiled)
        glyf.glyphs[name] = Glyph(compiled)
        x_min, contours, points = _simple_glyph_stats(compiled)
        hmtx[name] = (hmtx[name][0], x_min)
        max_points, max_contours = max(max_points, points), max(max_contours, contours)
    cache.save()
    del font['CFF ']
    if 'VORG' in font:
        del font['VORG']
    font['loca'] = newTable('loca')
    font['glyf'] = glyf
    maxp = font['maxp'] = newTable('maxp')
    maxp.tableVersion = 0x00010000
    maxp.numGlyphs = len(order)
    for field in ('maxCompositePoints', 'maxCompositeContours', 'maxTwilightPoints', 'maxStorage',
                  'maxFunctionDefs', 'maxInstructionDefs', 'maxStackElements',
                  'maxSizeOfInstructions', 'maxComponentElements', 'maxComponentDepth'):
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    maxp.maxPoints, maxp.maxContours = max_points, max_contours
    font['post'].formatType = 3.0          # no glyph names
    font['head'].glyphDataFormat = 0
    font.sfntVersion = '\x00\x01\x00\x00'
    return font_bytes(font)


def _convert_glyph(outlines, gid: int, glyf) -> bytes:
    """Glyph *gid*'s cubic outline, drawn by HarfBuzz, as a compiled TrueType
    glyph (quadratic curves within one font unit, fontTools' cu2qu)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    pen = TTGlyphPen(None)
    outlines.draw_glyph_with_pen(gid, Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
    return pen.glyph().compile(glyf, recalcBBoxes=True)


def font_key(data: bytes) -> str:
    """A GUID made from *data*'s digest, as ``{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}``."""
    h = hashlib.sha256(data).hexdigest()[:32].upper()
    return '{%s-%s-%s-%s-%s}' % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])


def obfuscate(data: bytes, key: str) -> bytes:
    """ECMA-376 §17.8.1: the first 32 bytes XORed with the key's 16 bytes
    taken from its last hex pair to its first.  Its own inverse."""
    guid = bytes.fromhex(key.strip('{}').replace('-', ''))[::-1]
    head = bytes(b ^ guid[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


# ---------------------------------------------------------------- package parts

def _font_table(xml: bytes, embedded: list[EmbeddedFont], rel_ids: Mapping[str, str]) -> bytes:
    root = etree.fromstring(xml)
    for font in root.findall(_w('font')):
        for tag in ('embedRegular', 'embedBold', 'embedItalic', 'embedBoldItalic'):
            for old in font.findall(_w(tag)):
                font.remove(old)
        for emb in embedded:
            if emb.family != font.get(_w('name')):
                continue
            el = etree.SubElement(font, _w('embedBold' if emb.bold else 'embedRegular'))
            el.set(f'{{{R_NS}}}id', rel_ids[emb.part_name])
            el.set(_w('fontKey'), emb.font_key)
        # embedRegular comes before embedBold (CT_Font)
        embeds = sorted(font.findall(_w('embedRegular')) + font.findall(_w('embedBold')),
                        key=lambda e: e.tag != _w('embedRegular'))
        for el in embeds:
            font.remove(el)
            font.append(el)
    return etree.tostring(root, xml_declaration=True, encoding='UTF-8', standalone=True)


def _font_table_rels(embedded: list[EmbeddedFont]) -> tuple[bytes, dict[str, str]]:
    root = etree.Element(f'{{{PR_NS}}}Relationships', nsmap={None: PR_NS})
    ids = {}
    for n, emb in enumerate(embedded, 1):
        ids[emb.part_name] = f'rId{n}'
        etree.SubElement(root, f'{{{PR_NS}}}Relationship', Id=f'rId{n}', Type=FONT_REL,
                         Target=emb.part_name[len('word/'):])
    return etree.tostring(root, xml_declaration=True, encoding='UTF-8', standalone=True), ids


def _content_types(xml: bytes) -> bytes:
    root = etree.fromstring(xml)
    for el in root.findall(f'{{{CT_NS}}}Default'):
        if el.get('Extension', '').lower() == 'odttf':
            root.remove(el)
    default = etree.Element(f'{{{CT_NS}}}Default', Extension='odttf', ContentType=ODTTF_CONTENT_TYPE)
    defaults = root.findall(f'{{{CT_NS}}}Default')
    root.insert(root.index(defaults[-1]) + 1 if defaults else 0, default)
    return etree.tostring(root, xml_declaration=True, encoding='UTF-8', standalone=True)


def _settings(xml: bytes) -> bytes:
    root = etree.fromstring(xml)
    for tag in ('embedTrueTypeFonts', 'saveSubsetFonts', 'embedSystemFonts'):
        for old in root.findall(_w(tag)):
            root.remove(old)
    at = 0
    for i, el in enumerate(root):
        if etree.QName(el).localname in _SETTINGS_BEFORE:
            at = i + 1
    root.insert(at, etree.Element(_w('embedTrueTypeFonts')))
    root.insert(at + 1, etree.Element(_w('saveSubsetFonts')))
    return etree.tostring(root, xml_declaration=True, encoding='UTF-8', standalone=True)


def embed(parts: Mapping[str, bytes]) -> dict[str, bytes]:
    """The parts to add to or replace in the DOCX package *parts* (part name
    → bytes, as in the zip) so that it embeds the shipped faces it uses.
    Families that are not shipped are left to the reader's fonts."""
    if 'word/fontTable.xml' not in parts:
        return {}
    embedded: list[EmbeddedFont] = []
    chosen: dict[tuple[str, bool], tuple[_fonts.FontFace, set[str]]] = {}
    for (family, bold), chars in sorted(characters_by_face(parts).items()):
        face = _face_for(family, bold)
        if face is not None:
            key = (family, face.role.endswith('-bold'))
            chosen.setdefault(key, (face, set()))[1].update(chars)
    for n, ((family, bold), (face, chars)) in enumerate(sorted(chosen.items()), 1):
        data = truetype_subset(face, chars | set(BASE_CHARACTERS))
        key = font_key(data)
        embedded.append(EmbeddedFont(family, bold, f'word/fonts/font{n}.odttf', key,
                                     obfuscate(data, key)))
    if not embedded:
        return {}
    rels, ids = _font_table_rels(embedded)
    out = {emb.part_name: emb.data for emb in embedded}
    out['word/_rels/fontTable.xml.rels'] = rels
    out['word/fontTable.xml'] = _font_table(parts['word/fontTable.xml'], embedded, ids)
    out['[Content_Types].xml'] = _content_types(parts['[Content_Types].xml'])
    out['word/settings.xml'] = _settings(parts['word/settings.xml'])
    return out
