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
