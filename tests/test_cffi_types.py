"""cffi's type parsing, quickened: the same types, from a far shorter parse."""
from __future__ import annotations

import subprocess
import sys

import cffi
import pytest

from publish.render import cffi_types

CDEF = '\n'.join([f'typedef int unused_{n}_t;' for n in range(300)] + [
    'typedef unsigned int cp_t;',
    'typedef struct _Rect { int x; int y; int width; int height; } Rect;',
    'typedef struct _Map Map;',
    'typedef unsigned char Ch8;',
    'struct tagged { double d; char c; };',
    'typedef void (*callback_t)(int, void *);',
])
TYPES = ['cp_t[957]', 'cp_t[]', 'char[4]', 'char[]', 'Rect *', 'Rect[3]', 'Map *', 'Ch8 **',
         'unsigned int *', 'struct tagged *', 'struct _Rect', 'const char *', 'callback_t',
         'int(*)(cp_t, Rect *)', 'cp_t[2][3]']


def ffi_with_cdef(quick: bool):
    ffi = cffi.FFI()
    ffi.cdef(CDEF)
    if quick:
        assert cffi_types.quicken(ffi)
    return ffi


def parsed_sources(ffi, cdecl: str) -> list[str]:
    """The C sources pycparser is given while *ffi* parses *cdecl*."""
    from cffi import cparser
    seen = []
    parser = cparser._get_parser()
    parse = parser.parse

    def recording(text, *args, **kwargs):
        seen.append(text)
        return parse(text, *args, **kwargs)

    parser.parse = recording
    try:
        ffi.typeof(cdecl)
    finally:
        del parser.parse
    return seen


@pytest.mark.parametrize('cdecl', TYPES)
def test_a_quickened_parser_gives_the_same_types(cdecl):
    plain, quick = ffi_with_cdef(False), ffi_with_cdef(True)
    assert quick.getctype(quick.typeof(cdecl)) == plain.getctype(plain.typeof(cdecl))
    if not cdecl.endswith('[]') and '(' not in cdecl and cdecl != 'callback_t':
        assert quick.sizeof(cdecl) == plain.sizeof(cdecl)


def test_a_quickened_parser_reads_only_the_declarations_named():
    plain, quick = ffi_with_cdef(False), ffi_with_cdef(True)
    [whole] = parsed_sources(plain, 'cp_t[11]')
    [short] = parsed_sources(quick, 'cp_t[11]')
    assert whole.count('typedef int') > 300
    assert short.count('typedef int') <= 2
    assert 'cp_t' in short


def test_structures_declared_by_a_type_string_are_kept():
    quick = ffi_with_cdef(True)
    quick.typeof('struct newly_named *')
    assert 'struct newly_named' in quick._parser._declarations
    assert 'typedef unused_7_t' in quick._parser._declarations
    assert quick.typeof('unused_7_t[2]') == ffi_with_cdef(False).typeof('unused_7_t[2]')


def test_an_unknown_type_name_is_still_an_error():
    with pytest.raises(cffi.CDefError):
        ffi_with_cdef(True).typeof('no_such_t *')


def test_a_cffi_laid_out_otherwise_is_left_alone():
    class Other:
        _parser = object()
    assert cffi_types.quicken(Other()) is False


def test_weasyprint_is_imported_with_its_type_parsing_quickened():
    code = ('from publish.render import pdf; pdf.prepare(); from weasyprint.text.ffi import ffi; '
            'print(getattr(ffi._parser.parse_type_and_quals, "quickened", False))')
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == 'True'
