"""The normalizer's sorted tables (publish/normalize/table.py), read from the
shipped gzip file or from the decompressed copy kept in the cache folder."""
from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from publish.normalize import table

LINES = [b'a 1 2 3', b'ab 4 5 6', b'b 7 8 9', '中 10 11 12'.encode(), '中国 13 14 15'.encode()]


@pytest.fixture
def shipped(tmp_path, monkeypatch) -> Path:
    """A table file laid out as publish/data is, and an empty cache folder."""
    data = tmp_path / 'publish' / 'data'
    data.mkdir(parents=True)
    (data / 'sample.txt.gz').write_bytes(gzip.compress(b'\n'.join(LINES)))
    monkeypatch.setattr(table.resources, 'files', lambda package: tmp_path / package)
    monkeypatch.setenv('XDG_CACHE_HOME', str(tmp_path / 'cache'))
    return data / 'sample.txt.gz'


def entries(tmp_path) -> list[Path]:
    return sorted((tmp_path / 'cache' / 'publish' / 'tables').glob('*.bin'))


def lookups(t: table.SortedLines) -> list:
    return [t.count] + [t.find(key) for key in ('a', 'ab', 'b', '中', '中国', 'c', '', '国')]


def test_a_table_is_searched_by_its_keys(shipped):
    t = table.load('sample.txt.gz')
    assert lookups(t) == [5, ['1', '2', '3'], ['4', '5', '6'], ['7', '8', '9'], ['10', '11', '12'],
                          ['13', '14', '15'], None, None, None]


def test_a_table_read_from_the_cache_is_the_table_read_from_its_file(shipped, tmp_path):
    first = table.load('sample.txt.gz')
    [entry] = entries(tmp_path)
    second = table.load('sample.txt.gz')
    assert (second.data, list(second.starts)) == (first.data, list(first.starts))
    assert lookups(second) == lookups(first)
    # what is read is the cache entry: the file (same size, same time) is not opened
    stat = shipped.stat()
    shipped.write_bytes(b'x' * stat.st_size)
    os.utime(shipped, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert lookups(table.load('sample.txt.gz')) == lookups(first)


def test_a_damaged_cache_entry_is_not_used_and_is_written_again(shipped, tmp_path):
    expected = lookups(table.load('sample.txt.gz'))
    [entry] = entries(tmp_path)
    whole = entry.read_bytes()
    entry.write_bytes(whole[:-3])
    assert lookups(table.load('sample.txt.gz')) == expected
    assert entry.read_bytes() == whole


def test_a_new_version_of_the_file_replaces_its_cache_entry(shipped, tmp_path):
    table.load('sample.txt.gz')
    [old] = entries(tmp_path)
    shipped.write_bytes(gzip.compress(b'\n'.join(LINES[:3] + [b'c 0 0 0'] + LINES[3:])))
    assert table.load('sample.txt.gz').find('c') == ['0', '0', '0']
    [new] = entries(tmp_path)
    assert new != old


def test_without_a_usable_cache_folder_the_file_is_read(shipped, tmp_path, monkeypatch):
    (tmp_path / 'cache').write_text('a file where the folder would be')
    assert table.load('sample.txt.gz').find('中国') == ['13', '14', '15']
    monkeypatch.setenv('XDG_CACHE_HOME', 'relative')
    monkeypatch.setenv('HOME', str(tmp_path / 'cache'))
    assert table.load('sample.txt.gz').find('b') == ['7', '8', '9']
