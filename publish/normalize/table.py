"""A sorted table of text lines ("key field field …"), kept as one UTF-8
buffer with the offsets of its lines and searched by bisection.

The normalizer's statistics (the word list, the character statistics) are
read this way: loading costs a decompression and one pass over the line
lengths, and a few megabytes, where a dict of hundreds of thousands of
strings would take tens in every process that builds an edition.  The
decompressed buffer and its offsets are kept in the cache folder
(``tables/``), so a later process reads both tables in 0.03 s instead of
0.2 s; a cache entry names the size and time of the file it was made from."""
from __future__ import annotations

import gzip
import operator
from array import array
from importlib import resources
from itertools import accumulate, repeat
from pathlib import Path

from publish.cachedir import derived_path, keep_derived

_CACHE_FORMAT = 1
_COUNT = 8                 # bytes of the line count that opens a cache entry


class SortedLines:
    def __init__(self, data: bytes, starts: array | None = None):
        self.data = data
        if starts is None:
            # line i spans starts[i] to starts[i + 1] - 1 (its newline); built
            # from C-level iterators, as a Python loop over 300,000 lines costs
            # more than the rest of normalizing an article
            starts = array('I', accumulate(map(operator.add, map(len, data.split(b'\n')), repeat(1)),
                                           initial=0))
        self.starts = starts
        self.count = len(starts) - 1

    def line(self, i: int) -> bytes:
        return self.data[self.starts[i]:self.starts[i + 1] - 1]

    def find(self, key: str) -> list[str] | None:
        """The fields after ``key`` on its line, or None."""
        probe = (key + ' ').encode('utf-8')
        lo, hi = 0, self.count
        while lo < hi:                      # the first line not below the probe
            mid = (lo + hi) // 2
            if self.line(mid) < probe:
                lo = mid + 1
            else:
                hi = mid
        if lo < self.count and self.line(lo).startswith(probe):
            return self.line(lo).decode('utf-8').split(' ')[1:]
        return None


def load(name: str, kind: type[SortedLines] = SortedLines) -> SortedLines:
    """A gzip-compressed table from ``publish/data``, as *kind*."""
    source = resources.files('publish').joinpath('data', name)
    kept = derived_path('tables', source, _CACHE_FORMAT)
    if kept is not None:
        parts = _read_entry(kept)
        if parts is not None:
            return kind(*parts)
    table = kind(gzip.decompress(source.read_bytes()))
    if kept is not None and table.starts.itemsize == 4:
        keep_derived(kept, table.count.to_bytes(_COUNT, 'little') + table.starts.tobytes() + table.data)
    return table


def _read_entry(path: Path) -> tuple[bytes, array] | None:
    """(data, line offsets) kept at *path*; None when absent or not whole."""
    try:
        buf = path.read_bytes()
    except OSError:
        return None
    count = int.from_bytes(buf[:_COUNT], 'little')
    end = _COUNT + 4 * (count + 1)
    starts = array('I')
    if starts.itemsize != 4 or len(buf) < end:
        return None
    starts.frombytes(buf[_COUNT:end])
    data = buf[end:]
    if starts[0] != 0 or starts[-1] != len(data) + 1:
        return None
    return data, starts
