"""One build at a time in a ``dist/`` folder.

A build removes the temporary files it finds in an edition's folder (those
of a run that was killed), so two builds into one folder would remove each
other's.  :func:`build_lock` serializes them with an operating-system lock
(``flock``) on ``dist/.stamps/build.lock``: a second build waits for the
first, or gives up at once.  The kernel releases the lock when the process
holding it ends, however it ends, so a lock left by a killed build never
blocks.  Worker processes forked while the lock is held do not keep it.

The holder writes its process id into the file, for the message of the
build that has to wait.
"""
from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from . import messages
from .errors import PublishError

#: The lock file, inside the folder that holds the build stamps.
LOCK_NAME = 'build.lock'

# How long to look for the holder's process id: it writes it right after it
# takes the lock.
_PID_WAIT = 1.0

# Descriptors of the locks this process holds.
_held: list[int] = []


def _forget_in_child() -> None:
    """In a forked child: close the inherited lock descriptors (closing a copy
    does not release the parent's lock), so that the lock ends with the
    process that took it, not with its last worker."""
    for fd in _held:
        try:
            os.close(fd)
        except OSError:
            pass
    _held.clear()


os.register_at_fork(after_in_child=_forget_in_child)


class BuildLocked(PublishError):
    """Another build holds the folder and the caller would not wait."""


def _holder(fd: int) -> int | None:
    """The process id the lock's holder wrote, or None when it wrote none."""
    deadline = time.monotonic() + _PID_WAIT
    while True:
        text = os.pread(fd, 32, 0).decode('ascii', 'replace').strip()
        if text.isdigit():
            return int(text)
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.02)


def _holder_text(pid: int | None) -> str:
    return (messages.msg('build.lock.holder', pid=pid) if pid is not None
            else messages.msg('build.lock.holder_unknown'))


@contextmanager
def build_lock(folder: Path, shown: str, *, wait: bool = True,
               on_wait: Callable[[str], None] | None = None) -> Iterator[Path]:
    """Hold the build lock of *folder* (the stamps folder of a ``dist/``,
    which must exist) for the ``with`` block.  When another process holds
    it: with *wait*, *on_wait* is given a one-line notice and the lock is
    waited for; without, :class:`BuildLocked` is raised naming the holder.
    *shown* is the ``dist/`` folder as the messages name it."""
    path = Path(folder) / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder_text(_holder(fd))
            if not wait:
                raise BuildLocked(messages.msg('build.lock.busy', holder=holder, path=shown)) from None
            if on_wait is not None:
                on_wait(messages.msg('build.lock.waiting', holder=holder, path=shown))
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f'{os.getpid()}\n'.encode('ascii'), 0)
        _held.append(fd)
        try:
            yield path
        finally:
            _held.remove(fd)
            os.ftruncate(fd, 0)           # no stale process id for the next holder
    finally:
        os.close(fd)                      # releases the lock
