"""Consecutive punctuation set without a gap of two full widths (clreq
§3.1.6, JIS X 4051).

A full-width mark has its ink in one half of its em box: a closing mark
(，。、）”》 …) on the left, an opening mark (（“《 …) on the right.  A closing
mark followed by another mark (``”。``, ``。”``, ``）、``, ``，“``, ``》。``)
would leave a full em of blank between the two inks; the closing mark is set
half-width instead (its blank right half taken out), so the pair takes one
and a half ems.  Of two opening marks (``“《``, ``（“``) the second is set
half-width (its blank left half taken out).

The half-width mark is a glyph of its own with a real advance of half an
em.  :func:`half_width_font` adds to a font (the subsets the print edition
serves WeasyPrint) a copy of each closing mark whose ink lies within the
left half of the em box, with the same outline and an advance of half the
em, and of each opening mark whose ink lies within the right half, its
outline moved left by half an em; and a GSUB single substitution from
each mark to its copy under the
private feature :data:`FEATURE`.  :func:`install` makes every WeasyPrint
layout turn that feature on, by a Pango font-features attribute, for just
the marks :func:`halved` names, each time its text is set.  As the
font's metrics (``hmtx``, and the CFF charstring's width) say half an em,
the widths WeasyPrint writes into the PDF say so too: no glyph overlaps the
next, and text extraction (poppler, copy and paste) reads the characters as
written.  The copy is drawn for the mark's cluster, so the PDF's ToUnicode
map and its tags give the mark itself.

A line may break between a closing and an opening mark, as before: the
closing mark then ends its line half-width, as it was measured when Pango
chose the break (:mod:`publish.render.cjk_punct` puts a word joiner after
it, which :func:`halved` still finds in the line's own text).  A justified
line that would need more space between its characters than
:mod:`publish.render.cjk_justify` puts in sets its marks full-width again
(:attr:`cjk_compress` of the layout).

What is not done, and why:

* a mark whose ink reaches past the middle of the em (LXGW WenKai's ``？``)
  gets no copy, and a mark that is not an em wide (LXGW WenKai's curly
  quotes, narrow already) neither: it keeps its width;
* an opening mark after a closing one keeps its width (the closing mark's
  blank half is taken out instead), and so does a closing mark before one
  (``”“``: only the first is made narrow, as clreq's tables do);
* the whole shipped fonts, with which a document is typeset again when the
  subsets lack a character, have no copies: the marks then keep their
  widths.

What this relies on in WeasyPrint besides what
:mod:`publish.render.cjk_justify` checks: ``text.line_break.Layout`` is
looked up by that name when a layout is made, and ``Layout.setup`` puts the
style's font features on the layout as a Pango attribute list.
"""
from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

from publish.atomic import write_atomic
from publish.cachedir import cache_folder

CLOSING = frozenset('，。、；：？！）」』”’》〉】〕')
OPENING = frozenset('（「『“‘《〈【〔')
WJ = '\u2060'
#: Characters between two marks that do not part them (drawn as nothing).
TRANSPARENT = frozenset('\u200b' + WJ)
#: The OpenType feature that sets a mark half-width: a private tag
#: (registered tags are lower-case), so no feature of a font is mistaken
#: for it.
FEATURE = 'PCMP'


def halved(text: str) -> list[int]:
    """The indexes of the marks of *text* to set half-width: closing marks
    followed by another mark, and opening marks that follow an opening mark
    (zero-width characters between them do not count); also closing marks
    followed by a word joiner, which :mod:`publish.render.cjk_punct` puts
    only between a closing and an opening mark: the opening one may have
    gone to the next line."""
    out: list[int] = []
    prev = -1                       # index of the last visible character
    for i, ch in enumerate(text):
        if ch in TRANSPARENT:
            if ch == WJ and prev == i - 1 and prev >= 0 and text[prev] in CLOSING:
                out.append(prev)
            continue
        if prev >= 0:
            if (text[prev] in CLOSING and (ch in CLOSING or ch in OPENING)
                    and not (out and out[-1] == prev)):
                out.append(prev)
            elif text[prev] in OPENING and ch in OPENING:
                out.append(i)
        prev = i
    return out


def halved_byte_ranges(text: str) -> list[tuple[int, int]]:
    """:func:`halved` as (start, end) byte offsets in *text*'s UTF-8."""
    marks = halved(text)
    if not marks:
        return []
    ranges = []
    offset = 0
    wanted = iter(marks)
    nxt = next(wanted)
    for i, ch in enumerate(text):
        size = len(ch.encode('utf-8'))
        if i == nxt:
            ranges.append((offset, offset + size))
            nxt = next(wanted, -1)
            if nxt < 0:
                break
        offset += size
    return ranges


_FEATURE_ON = f'{FEATURE} 1'.encode()


def half_width_font(data: bytes) -> bytes:
    """The font *data* (OpenType, CFF or TrueType outlines) with a half-width
    copy of each closing mark whose ink lies within the left half of the em
    box and of each opening mark whose ink lies within the right half (moved
    left by half an em), and the GSUB lookup of :data:`FEATURE` that sets
    them.  A font without such a mark, or without a GSUB table, is given
    back as it is.  The same bytes give the same bytes (no timestamp is
    changed).

    Made with fontTools, which takes about a tenth of a second for a CJK
    subset: the result is kept between runs (:func:`cache_path`), so an
    article built again with the same characters makes none."""
    marks = _marks_to_copy(data)
    if not marks:
        return data
    path = cache_path(data)
    if path is not None:
        try:
            cached = path.read_bytes()
        except OSError:
            pass
        else:
            try:
                os.utime(path)            # kept longest when used last
            except OSError:
                pass
            return cached
    out = _with_copies(data, marks)
    if path is not None:
        _store(path, out)
    return out


#: Bump when :func:`half_width_font` makes different bytes of the same font.
_CACHE_FORMAT = 2
#: The most fonts the cache keeps (about 200 kB each, five an article).
CACHE_ENTRIES = 200


def cache_path(data: bytes) -> Path | None:
    """Where :func:`half_width_font`'s result for *data* is kept between runs
    (``$XDG_CACHE_HOME/publish/half-width-fonts/``, default ``~/.cache``;
    the fontTools version is part of the name, as it may write other bytes);
    None: nowhere.  Deleting it is always safe."""
    folder = cache_folder()
    if folder is None:
        return None
    import fontTools
    key = hashlib.sha256(data).hexdigest()[:40]
    return (folder / 'half-width-fonts'
            / f'{key}-v{_CACHE_FORMAT}-ft{fontTools.version}.otf')


def _store(path: Path, data: bytes) -> None:
    """Keep *data* at *path*, and no more than :data:`CACHE_ENTRIES` fonts
    (the least recently used go).  A cache that cannot be written is no
    error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data, sync=False)
        entries = list(path.parent.glob('*.otf'))
        if len(entries) > CACHE_ENTRIES:
            entries.sort(key=lambda p: p.stat().st_mtime)
            for old in entries[:len(entries) - CACHE_ENTRIES]:
                old.unlink(missing_ok=True)
    except OSError:
        pass


def _marks_to_copy(data: bytes) -> list[tuple[int, int]]:
    """(glyph id, how far its outline moves) for the marks of the font *data*
    that are an em wide with their ink within the half of the em box that
    holds it: the left half for a closing mark (which stays), the right half
    for an opening one (which moves left by half an em).  None when the font
    has no GSUB table.  Read by HarfBuzz."""
    import uharfbuzz as hb

    face = hb.Face(data)
    if 'GSUB' not in {tag for tag in face.table_tags}:
        return []
    font = hb.Font(face)
    em = face.upem
    half = em // 2
    out: list[tuple[int, int]] = []
    seen: set[int] = set()
    for ch in sorted(CLOSING | OPENING):
        glyph = font.get_nominal_glyph(ord(ch))
        if not glyph or glyph in seen or font.get_glyph_h_advance(glyph) != em:
            continue
        seen.add(glyph)
        ink = font.get_glyph_extents(glyph)
        if ink is None or ink.width <= 0:
            continue
        left, right = ink.x_bearing, ink.x_bearing + ink.width
        if ch in CLOSING and left >= 0 and right <= half:
            out.append((glyph, 0))
        elif ch in OPENING and left >= half and right <= em:
            out.append((glyph, -half))
    return out


def _with_copies(data: bytes, marks: list[tuple[int, int]]) -> bytes:
    """The font *data* with the copies of the glyphs *marks* and the GSUB
    lookup (see :func:`half_width_font`)."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data), recalcBBoxes=False, recalcTimestamp=False)
    if 'glyf' in font:
        font['post']             # read with the old glyph order, written with the new
    half = font['head'].unitsPerEm // 2
    order = list(font.getGlyphOrder())
    add = _cff_adder(font, order) if 'CFF ' in font else _glyf_adder(font, order)
    hmtx = font['hmtx']
    vmtx = font['vmtx'] if 'vmtx' in font else None
    vorg = font['VORG'].VOriginRecords if 'VORG' in font else None
    copies: dict[str, str] = {}
    for glyph, shift in ((order[gid], shift) for gid, shift in marks):
        copy = add(glyph, half, shift)
        order.append(copy)
        hmtx[copy] = (half, hmtx[glyph][1] + shift)
        if vmtx is not None:
            vmtx[copy] = vmtx[glyph]
        if vorg is not None and glyph in vorg:
            vorg[copy] = vorg[glyph]
        copies[glyph] = copy
    font.setGlyphOrder(order)
    _add_feature(font['GSUB'].table, copies)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _cff_adder(font, order: list[str]):
    """A function adding a copy of a glyph, with a new advance and its
    outline moved right by *shift* units, to the CFF table of *font*: a CID-keyed font gets it under a CID the font does not
    use, in the same font dict as the glyph (whose local subroutines it may
    call: its outline is drawn again without them)."""
    from fontTools.pens.t2CharStringPen import T2CharStringPen
    from fontTools.pens.transformPen import TransformPen

    cff = font['CFF '].cff
    top = cff.topDictIndex[0]
    charstrings = top.CharStrings
    glyph_set = font.getGlyphSet()
    cid_keyed = hasattr(top, 'ROS')
    used = set(order)
    free_cids = (f'cid{c:05d}' for c in range(getattr(top, 'CIDCount', 65535) - 1, 0, -1)
                 if f'cid{c:05d}' not in used)

    def add(glyph: str, advance: int, shift: int) -> str:
        name = next(free_cids) if cid_keyed else _new_name(glyph, used)
        used.add(name)
        _, fd = charstrings.getItemAndSelector(glyph)
        private = top.FDArray[fd].Private if fd is not None else top.Private
        width = None if advance == private.defaultWidthX else advance - private.nominalWidthX
        pen = T2CharStringPen(width, None)
        glyph_set[glyph].draw(TransformPen(pen, (1, 0, 0, 1, shift, 0)) if shift else pen)
        charstring = pen.getCharString(private=private, globalSubrs=cff.GlobalSubrs)
        if charstrings.charStringsAreIndexed:
            charstrings.charStrings[name] = len(charstrings.charStringsIndex)
            charstrings.charStringsIndex.append(charstring)
        else:
            charstrings.charStrings[name] = charstring
        top.charset.append(name)
        if fd is not None and hasattr(top, 'FDSelect'):
            top.FDSelect.append(fd)
        return name

    return add


def _glyf_adder(font, order: list[str]):
    """A function adding a copy of a glyph, its outline moved right by
    *shift* units, to the ``glyf`` table of *font* (the advance is
    ``hmtx``'s)."""
    import copy as _copy

    glyf = font['glyf']
    used = set(order)

    def add(glyph: str, advance: int, shift: int) -> str:
        name = _new_name(glyph, used)
        used.add(name)
        copy = _copy.deepcopy(glyf[glyph])
        if shift:
            copy.expand(glyf)
            if copy.isComposite():
                for component in copy.components:
                    component.x += shift
            elif copy.numberOfContours > 0:
                copy.coordinates.translate((shift, 0))
            copy.recalcBounds(glyf)
        glyf[name] = copy
        return name

    return add


def _new_name(glyph: str, used: set[str]) -> str:
    name, n = f'{glyph}.half', 1
    while name in used:
        n += 1
        name = f'{glyph}.half{n}'
    return name


def _add_feature(gsub, copies: dict[str, str]) -> None:
    """Add to the GSUB table *gsub* a single-substitution lookup from each
    glyph of *copies* to its copy, as the feature :data:`FEATURE` of every
    script and language system (feature records kept in tag order)."""
    from fontTools.otlLib.builder import buildLookup, buildSingleSubstSubtable
    from fontTools.ttLib.tables import otTables

    lookups = gsub.LookupList.Lookup
    lookups.append(buildLookup([buildSingleSubstSubtable(copies)]))
    gsub.LookupList.LookupCount = len(lookups)
    feature = otTables.Feature()
    feature.FeatureParams = None
    feature.LookupListIndex = [len(lookups) - 1]
    feature.LookupCount = 1
    record = otTables.FeatureRecord()
    record.FeatureTag = FEATURE
    record.Feature = feature
    records = gsub.FeatureList.FeatureRecord
    at = sum(1 for r in records if r.FeatureTag < FEATURE)
    records.insert(at, record)
    gsub.FeatureList.FeatureCount = len(records)
    for script in gsub.ScriptList.ScriptRecord:
        systems = [script.Script.DefaultLangSys] + [r.LangSys for r in script.Script.LangSysRecord]
        for system in systems:
            if system is None:
                continue
            system.FeatureIndex = sorted([i + (i >= at) for i in system.FeatureIndex] + [at])
            system.FeatureCount = len(system.FeatureIndex)
            if system.ReqFeatureIndex != 0xFFFF and system.ReqFeatureIndex >= at:
                system.ReqFeatureIndex += 1
    if getattr(gsub, 'FeatureVariations', None) is not None:
        for variation in gsub.FeatureVariations.FeatureVariationRecord:
            for sub in variation.FeatureTableSubstitution.SubstitutionRecord:
                if sub.FeatureIndex >= at:
                    sub.FeatureIndex += 1


def _compressing_layout_class(line_break):
    """WeasyPrint's ``Layout`` that, each time its text is set, turns on
    :data:`FEATURE` for the marks :func:`halved` names."""
    from weasyprint.text.ffi import ffi, pango
    from weasyprint.text.fonts import font_features

    class CompressingLayout(line_break.Layout):
        cjk_compressing = True
        #: False: the marks keep their full widths (a line that needs them
        #: to be justified, see :mod:`publish.render.cjk_justify`).
        cjk_compress = True
        _compressed = False            # the attribute list holds feature ranges

        def _fresh_attributes(self):
            """A new attribute list holding only what ``setup`` put there
            (the style's font features), so no range of an earlier text
            stays."""
            style = self.style
            features = font_features(
                style['font_kerning'], style['font_variant_ligatures'],
                style['font_variant_position'], style['font_variant_caps'],
                style['font_variant_numeric'], style['font_variant_alternates'],
                style['font_variant_east_asian'], style['font_feature_settings'])
            attr_list = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
            if features:
                joined = ','.join(f'{key} {value}' for key, value in features.items()).encode()
                pango.pango_attr_list_insert(attr_list, pango.pango_attr_font_features_new(joined))
            pango.pango_layout_set_attributes(self.layout, attr_list)

        def setup(self, style):
            super().setup(style)
            self._compressed = False

        def set_text(self, text, justify=False):
            if self._compressed:
                self._fresh_attributes()
                self._compressed = False
            super().set_text(text, justify=justify)
            ranges = halved_byte_ranges(self.text) if self.cjk_compress else []
            if not ranges:
                return
            attr_list = pango.pango_layout_get_attributes(self.layout)
            if attr_list == ffi.NULL:
                attr_list = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
            for start, end in ranges:
                attr = pango.pango_attr_font_features_new(_FEATURE_ON)
                attr.start_index, attr.end_index = start, end
                pango.pango_attr_list_insert(attr_list, attr)
            pango.pango_layout_set_attributes(self.layout, attr_list)
            self._compressed = True

    return CompressingLayout


def install() -> None:
    """Make every WeasyPrint layout set consecutive punctuation compressed
    (once per process)."""
    from weasyprint.text import line_break
    if getattr(line_break.Layout, 'cjk_compressing', False):
        return
    line_break.Layout = _compressing_layout_class(line_break)
