"""Code-point sets kept as ranges, and fonts' code points kept in the cache
folder (publish/codepoints.py)."""
from __future__ import annotations

import shutil

import pytest
from hypothesis import given, strategies as st

from publish import codepoints, fonts
from publish.codepoints import CodePoints

codes = st.sets(st.integers(min_value=0, max_value=0x10FFFF) | st.integers(min_value=0x4E00, max_value=0x4E40))


@given(codes, codes, st.lists(st.integers(min_value=0, max_value=0x10FFFF), max_size=50))
def test_code_points_behave_as_a_set(a, b, probes):
    pa, pb = CodePoints.of(a), CodePoints.of(b)
    for code in [*probes, *a, *b, *(c + 1 for c in a), *(c - 1 for c in b)]:
        assert (code in pa) == (code in a)
        assert (code in pa | pb) == (code in a | b)
    assert set(pa | pb) == a | b and len(pa | pb) == len(a | b)
    assert pa | pb == CodePoints.of(a | b) == codepoints.union(pb, pa)


def test_ranges_are_sorted_apart_and_not_touching():
    points = CodePoints.of([5, 1, 2, 3, 9, 10])
    assert list(points.ranges()) == [(1, 4), (5, 6), (9, 11)]
    assert list((points | CodePoints.of([4, 6, 7])).ranges()) == [(1, 8), (9, 11)]
    assert 'a' not in points and 11 not in points and 0 not in points


@pytest.fixture
def font(tmp_path, monkeypatch):
    monkeypatch.setenv('XDG_CACHE_HOME', str(tmp_path / 'cache'))
    copy = tmp_path / 'emoji.ttf'
    shutil.copyfile(fonts.path('emoji'), copy)
    return copy


def entries(tmp_path):
    return sorted((tmp_path / 'cache' / 'publish' / 'cmaps').glob('*.bin'))


def test_a_fonts_code_points_are_its_cmap_whether_read_or_kept(font, tmp_path):
    import uharfbuzz as hb
    whole = set(hb.Face(hb.Blob.from_file_path(str(font))).unicodes)
    assert set(codepoints.of_font(font)) == whole
    [entry] = entries(tmp_path)
    # what is read next is the entry kept for the file's size and time
    entry.write_bytes(CodePoints.of([0x41]).bounds.tobytes())
    assert set(codepoints.of_font(font)) == {0x41}


def test_a_damaged_entry_is_read_again_from_the_font(font, tmp_path):
    first = codepoints.of_font(font)
    [entry] = entries(tmp_path)
    whole = entry.read_bytes()
    entry.write_bytes(whole[:-4])                # half a range
    assert codepoints.of_font(font) == first
    entry.write_bytes(whole[8:16] + whole[:8])   # out of order
    assert codepoints.of_font(font) == first
    assert entry.read_bytes() == whole


def test_a_new_version_of_a_font_replaces_its_entry(font, tmp_path):
    codepoints.of_font(font)
    [old] = entries(tmp_path)
    shutil.copyfile(fonts.path('kai'), font)
    assert 0x4E2D in codepoints.of_font(font)    # 中, which the emoji font lacks
    [new] = entries(tmp_path)
    assert new != old
