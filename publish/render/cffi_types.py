"""Faster type parsing for a cffi ``FFI`` with a large ``cdef`` (WeasyPrint's).

cffi parses each new type string it is given (``ffi.new('PangoRectangle *')``,
``ffi.new('hb_codepoint_t[957]')``) with pycparser, and puts before it one
``typedef int NAME;`` line for every typedef the ``cdef`` declared, so that
pycparser can tell type names from other names.  WeasyPrint declares about a
thousand, so each new string costs 6–20 ms; a PDF of the sample article asks
for fifteen (0.13 s, a fifth of its typesetting).

Only the typedef names that occur in the string can change how it parses or
what it means, so :func:`quicken` has the parser see just the declarations
whose names occur in the string.  The types are the same (cffi still caches
them by string); a declaration the parse adds (an anonymous struct) is kept.
"""
from __future__ import annotations

import re

_IDENTIFIER = re.compile(r'[A-Za-z_][A-Za-z0-9_]*')


def quicken(ffi) -> bool:
    """Make *ffi*'s parser read a type string against only the declarations
    it names.  False (and *ffi* untouched) when this cffi is not laid out as
    expected: the parsing is then merely slower."""
    parser = getattr(ffi, '_parser', None)
    whole_parse = getattr(parser, 'parse_type_and_quals', None)
    if whole_parse is None or not isinstance(getattr(parser, '_declarations', None), dict):
        return False
    if getattr(whole_parse, 'quickened', False):
        return True

    def parse_type_and_quals(cdecl):
        names = set(_IDENTIFIER.findall(cdecl))
        every = parser._declarations
        named = {key: value for key, value in every.items() if key.rpartition(' ')[2] in names}
        parser._declarations = named
        try:
            return whole_parse(cdecl)
        finally:
            parser._declarations = every
            every.update(named)

    parse_type_and_quals.quickened = True
    parser.parse_type_and_quals = parse_type_and_quals
    return True
