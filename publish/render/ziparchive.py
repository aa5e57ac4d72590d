"""The one zip writer of the zip-based editions (DOCX, EPUB): the same
entries and time give the same bytes."""
from __future__ import annotations

import datetime as _dt
import io
import zipfile
from typing import Iterable, Mapping

from publish.timestamps import naive_utc

_EARLIEST = _dt.datetime(1980, 1, 1)           # the earliest time a zip entry can hold
_LATEST = _dt.datetime(2107, 12, 31, 23, 59, 58)


def zip_time(when: _dt.datetime) -> tuple[int, int, int, int, int, int]:
    """*when* (UTC when aware) as a zip entry time, clamped to what zip can hold."""
    when = min(max(naive_utc(when), _EARLIEST), _LATEST)
    return (when.year, when.month, when.day, when.hour, when.minute, when.second)


def read_entries(data: bytes) -> dict[str, bytes]:
    """The entries of the zip *data*, by name, in the order stored."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        return {info.filename: src.read(info) for info in src.infolist()}


def zip_bytes(entries: Mapping[str, bytes], when: _dt.datetime, *, first: Iterable[str] = (),
              stored: Iterable[str] = (), level: int = 9, unix_mode: int | None = None) -> bytes:
    """A zip of *entries*: the names in *first* in that order (those present),
    then the others sorted; every entry with the time *when*; the names in
    *stored* uncompressed, the others deflated at *level*; with *unix_mode*
    the entries say they were made on Unix with that mode, else they carry
    no system attributes."""
    date_time = zip_time(when)
    first = [n for n in first if n in entries]
    names = first + sorted(n for n in entries if n not in first)
    stored = set(stored)
    out = io.BytesIO()
    with zipfile.ZipFile(out, 'w') as dst:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=date_time)
            if unix_mode is None:
                info.create_system = 0
                info.external_attr = 0
            else:
                info.create_system = 3
                info.external_attr = unix_mode << 16
            if name in stored:
                info.compress_type = zipfile.ZIP_STORED
                dst.writestr(info, entries[name])
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
                dst.writestr(info, entries[name], compresslevel=level)
    return out.getvalue()
