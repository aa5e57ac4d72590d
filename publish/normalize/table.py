"""A sorted table of text lines ("key field field …"), kept as one UTF-8
buffer with the offsets of its lines and searched by bisection.

The normalizer's statistics (the word list, the character statistics) are
read this way: loading costs a decompression and one pass over the line
lengths, and a few megabytes, where a dict of hundreds of thousands of
strings would take tens in every process that builds an edition."""
from __future__ import annotations

import gzip
import operator
from array import array
from importlib import resources
from itertools import accumulate, repeat


class SortedLines:
    def __init__(self, data: bytes, lines: list[bytes] | None = None):
        self.data = data
        lines = data.split(b'\n') if lines is None else lines
        # line i spans starts[i] to starts[i + 1] - 1 (its newline); built
        # from C-level iterators, as a Python loop over 300,000 lines costs
        # more than the rest of normalizing an article
        self.starts = array('I', accumulate(map(operator.add, map(len, lines), repeat(1)), initial=0))
        self.count = len(lines)

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


def load(name: str) -> SortedLines:
    """A gzip-compressed table from ``publish/data``."""
    return SortedLines(gzip.decompress(resources.files('publish').joinpath('data', name).read_bytes()))
