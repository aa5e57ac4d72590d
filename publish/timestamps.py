"""The one time an edition carries: never "now".

:func:`edition_timestamp` picks, in this order,

1. ``date`` — the edition date from the sidecar (``meta.date``), at 00:00 UTC;
2. ``env``  — ``SOURCE_DATE_EPOCH`` (https://reproducible-builds.org/specs/source-date-epoch/),
   when it is set to a non-negative integer;
3. ``git``  — the committer time of the last commit touching the source file
   (``git log -1 --format=%ct -- FILE``), when the project is a git checkout
   and the file has been committed;
4. ``fixed`` — :data:`FIXED_EPOCH`, 1980-01-01 00:00:00 UTC.  It is derived from
   nothing (no clock, no randomness, no file times): it is the earliest time a
   ZIP container (DOCX, EPUB) can record, so every format can carry it exactly.

File modification times are deliberately not used: they change on copy and
clone, and the editions must be identical across clones.
"""
from __future__ import annotations

import datetime as _dt
import os
import subprocess
from pathlib import Path

UTC = _dt.timezone.utc
FIXED_EPOCH = _dt.datetime(1980, 1, 1, tzinfo=UTC)


def utc(ts: _dt.datetime) -> _dt.datetime:
    """*ts* in UTC; a naive time is taken to be UTC already."""
    return ts.astimezone(UTC) if ts.tzinfo is not None else ts.replace(tzinfo=UTC)


def naive_utc(ts: _dt.datetime) -> _dt.datetime:
    """*ts* in UTC without a time zone, as file formats that record none
    (zip entries, the DOCX's core properties) want it."""
    return utc(ts).replace(tzinfo=None)


def from_date(date: _dt.date) -> _dt.datetime:
    return _dt.datetime(date.year, date.month, date.day, tzinfo=UTC)


def source_date_epoch(environ=None) -> _dt.datetime | None:
    env = os.environ if environ is None else environ
    value = (env.get('SOURCE_DATE_EPOCH') or '').strip()
    if not value:
        return None
    try:
        seconds = int(value)
    except ValueError:
        return None
    if seconds < 0:
        return None
    return _dt.datetime.fromtimestamp(seconds, UTC)


def git_commit_time(path: Path, project_root: Path) -> _dt.datetime | None:
    """The last commit time of *path*, or None (no git, not committed, not a repo)."""
    try:
        out = subprocess.run(
            ['git', 'log', '-1', '--format=%ct', '--', str(Path(path).resolve())],
            cwd=project_root, capture_output=True, text=True, timeout=30,
            env={**os.environ, 'GIT_TERMINAL_PROMPT': '0', 'LC_ALL': 'C'},
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if out.returncode != 0:
        return None
    value = out.stdout.strip()
    if not value.isdigit():
        return None
    return _dt.datetime.fromtimestamp(int(value), UTC)


def fallback_timestamp(source: Path, project_root: Path, environ=None) -> tuple[_dt.datetime, str]:
    """The timestamp when the sidecar gives no date: (when, which rule)."""
    ts = source_date_epoch(environ)
    if ts is not None:
        return ts, 'env'
    ts = git_commit_time(source, project_root)
    if ts is not None:
        return ts, 'git'
    return FIXED_EPOCH, 'fixed'


def edition_timestamp(date: _dt.date | None, source: Path, project_root: Path,
                      environ=None) -> tuple[_dt.datetime, str]:
    """(timestamp, rule) for an edition; rule is 'date', 'env', 'git' or 'fixed'."""
    if date is not None:
        if isinstance(date, _dt.datetime):
            date = date.date()
        return from_date(date), 'date'
    return fallback_timestamp(source, project_root, environ)
