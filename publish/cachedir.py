"""The user's cache folder for publish: what is kept between runs to save
work (file hashes, converted glyphs).  Deleting it is always safe."""
from __future__ import annotations

import os
from pathlib import Path


def cache_folder() -> Path | None:
    """``$XDG_CACHE_HOME/publish``, by default ``~/.cache/publish``; None when
    there is no home folder.  A relative ``XDG_CACHE_HOME`` is ignored, as the
    XDG specification says."""
    base = os.environ.get('XDG_CACHE_HOME', '')
    if not os.path.isabs(base):
        try:
            base = Path.home() / '.cache'
        except RuntimeError:            # no home folder
            return None
    return Path(base) / 'publish'


def derived_path(folder: str, source: Path, version: int) -> Path | None:
    """Where something made from the file *source* is kept, in the cache
    folder's *folder*: the entry is named by the file's name, size and
    modification time, and *version* (raised when what is kept changes
    form), so a new version of the file is never answered by an old entry.
    None: nowhere (no cache folder, or *source* is not a file)."""
    base = cache_folder()
    if base is None or not isinstance(source, Path):
        return None
    try:
        st = source.stat()
    except OSError:
        return None
    return base / folder / f'{source.name}-{st.st_size}-{st.st_mtime_ns}-v{version}.bin'


def keep_derived(path: Path, data: bytes) -> None:
    """Keep *data* at *path* (from :func:`derived_path`) in place of what was
    made from older versions of the same file.  A cache that cannot be
    written is no error."""
    from publish.atomic import write_atomic
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data, sync=False)
        name = path.name.rsplit('-', 3)[0]
        for old in path.parent.glob('*.bin'):
            if old != path and old.name.rsplit('-', 3)[0] == name:
                old.unlink(missing_ok=True)
    except OSError:
        pass
