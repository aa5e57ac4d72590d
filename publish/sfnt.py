"""Font files written with fontTools, faster: :func:`font_bytes` is
``TTFont.save`` without importing a module for each table it holds.

``TTFont.save`` looks up every table's class to write the tables another
depends on first, which imports fontTools' module for each of them; the
OpenType layout tables (GSUB, GPOS, GDEF, and ``name``, which uses them)
bring in 0.05 s of class building.  Only a table that was read and changed
is compiled, and only those can depend on one another (``loca`` is made
with ``glyf``, and sets ``head``'s offset format), so only their classes are
needed: the others are copied as they were read.  The bytes are those
``TTFont.save`` writes.
"""
from __future__ import annotations

import io


def font_bytes(font) -> bytes:
    """*font* (a ``fontTools.ttLib.TTFont``) as ``font.save`` writes it, with
    its tables in the order the OpenType specification recommends."""
    from fontTools.ttLib.sfnt import SFNTWriter
    from fontTools.ttLib.ttFont import getTableClass, reorderFontTables

    if font.recalcTimestamp and 'head' in font:
        font['head']                           # read, so that its time is set anew
    tags = font.keys()[1:]                    # GlyphOrder is no table
    compiled: dict[str, bytes] = {}

    def compile_table(tag) -> None:
        if tag in compiled:
            return
        compiled[tag] = b''                    # a dependency cycle ends here
        for master in getTableClass(tag).dependencies:
            if font.isLoaded(master):
                compile_table(master)
        compiled[tag] = font.getTableData(tag)

    for tag in tags:
        if font.isLoaded(tag):
            compile_table(tag)
    out = io.BytesIO()
    writer = SFNTWriter(out, len(tags), font.sfntVersion, font.flavor, font.flavorData)
    for tag in tags:
        writer[tag] = compiled[tag] if tag in compiled else font.reader[tag]
    writer.close()
    if writer.reordersTables():
        return out.getvalue()
    ordered = io.BytesIO()
    out.seek(0)
    reorderFontTables(out, ordered)
    return ordered.getvalue()
