"""Writing a file so that readers see the old bytes or the new, never half."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes | str, *, sync: bool = True) -> None:
    """Write *data* to a temporary file beside *path*, rename it into place
    (mode 0644).  With *sync* the file is flushed to disk first."""
    if isinstance(data, str):
        data = data.encode('utf-8')
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f'.{path.name}.', suffix='.tmp', dir=path.parent)
    try:
        with os.fdopen(fd, 'wb') as f:
            f.write(data)
            if sync:
                f.flush()
                os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
