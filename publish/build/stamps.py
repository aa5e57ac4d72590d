"""Knowing what changed: file hashes (cached between runs), the key of
everything that shapes an edition, and the stamp of its last good build.

``dist/.stamps/NAME.json`` records a hash of everything that shapes an
edition (see :func:`run_key` and :func:`seed_key`), the images it used, how
its timestamp was chosen, and size and mtime of every file each format
wrote; a format is rebuilt when any of these changed.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from publish import manifest as _manifest
from publish.build.seeds import Seed
from publish.cachedir import cache_folder
from publish.manifest import STAMPS
from publish.timestamps import fallback_timestamp


def hash_cache_path() -> Path | None:
    """Where file hashes are kept between runs (None: nowhere).  A relative
    ``XDG_CACHE_HOME`` is ignored, as the XDG specification says."""
    folder = cache_folder()
    return folder / 'file-hashes.json' if folder else None


class HashCache:
    """sha256 of files, cached by (size, mtime_ns, ctime_ns, inode) in the
    file *path*.  A file whose content changes changes its ctime (POSIX),
    even when its mtime is put back."""

    def __init__(self, path: Path | None):
        self.path = path
        self.data: dict[str, list] = {}
        self.dirty = False
        self._this_run: dict[str, str] = {}
        if path is not None:
            try:
                data = json.loads(path.read_text(encoding='utf-8'))
            except (OSError, ValueError):
                data = None
            self.data = data if isinstance(data, dict) else {}

    def sha256(self, path: Path) -> str:
        key = str(Path(path).resolve())
        if key in self._this_run:
            return self._this_run[key]
        st = os.stat(key)
        sig = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
        hit = self.data.get(key)
        if isinstance(hit, list) and hit[:-1] == sig:
            digest = hit[-1]
        else:
            digest = _manifest.sha256_file(Path(key))
            # a file changed within the last two seconds could change again
            # within the same time tick: do not trust its signature later
            if time.time() - max(st.st_mtime, st.st_ctime) > 2:
                self.data[key] = sig + [digest]
                self.dirty = True
        self._this_run[key] = digest
        return digest

    def prefetch(self, paths: list[Path]) -> None:
        """Hash *paths* now, several at a time (hashlib and file reads let go
        of the interpreter lock): the fonts alone are 70 MB to read when
        dist/ is new."""
        with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
            for _ in pool.map(self.sha256, paths):
                pass

    def save(self) -> None:
        """Write the cache, without the files that no longer exist.  A cache
        that cannot be written is no error."""
        if self.path is None or not self.dirty:
            return
        kept = {k: v for k, v in self.data.items() if k in self._this_run or os.path.exists(k)}
        try:
            # the folder is the user's own: the cache lists paths of their files
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            _manifest.write_atomic(self.path, json.dumps(kept, sort_keys=True))
        except OSError:
            pass


def _tree_files(dirs: list[Path]) -> list[Path]:
    files = []
    for d in dirs:
        for root, subdirs, names in os.walk(d):
            subdirs[:] = sorted(s for s in subdirs if s != '__pycache__' and not s.startswith('.'))
            files += [Path(root) / n for n in sorted(names) if not n.endswith(('.pyc', '~'))]
    return files


def _tree_hash(trees: list[tuple[Path, list[Path]]], cache: HashCache, label: str) -> str:
    """Hash of folders, each given with its files (:func:`_tree_files`)."""
    h = hashlib.sha256(label.encode())
    for d, files in trees:
        for p in files:
            h.update(p.relative_to(d).as_posix().encode() + b'\0' + cache.sha256(p).encode() + b'\n')
    return h.hexdigest()


def run_key(project_root: Path, layout: str | None, versions: dict, cache: HashCache) -> str:
    """Hash of everything shared by all editions of a run (code, layouts, fonts, libraries)."""
    pkg = Path(__file__).resolve().parent.parent     # the publish package
    code = _tree_files([pkg])   # modules and package data (word lists…)
    layouts, fonts = ([(d, _tree_files([d])) for d in _manifest.asset_dirs(project_root, name)]
                      for name in ('layouts', 'fonts'))
    cache.prefetch(code + [p for _, files in layouts + fonts for p in files])
    h = hashlib.sha256(b'publish-build-1\0')
    h.update(json.dumps(versions, sort_keys=True).encode())
    for p in code:
        h.update(p.relative_to(pkg).as_posix().encode() + b'\0' + cache.sha256(p).encode() + b'\n')
    h.update(_tree_hash(layouts, cache, 'layouts').encode())
    h.update(_tree_hash(fonts, cache, 'fonts').encode())
    h.update(repr(layout).encode())
    return h.hexdigest()


def seed_key(seed: Seed, base: str, cache: HashCache) -> str:
    h = hashlib.sha256(base.encode())
    h.update(cache.sha256(seed.source).encode())
    h.update(cache.sha256(seed.sidecar).encode() if seed.sidecar else b'-')
    return h.hexdigest()


def stamp_path(dist: Path, name: str) -> Path:
    return dist / STAMPS / f'{name}.json'


def read_stamp(dist: Path, name: str) -> dict | None:
    try:
        return json.loads(stamp_path(dist, name).read_text(encoding='utf-8'))
    except (OSError, ValueError):
        return None


def stamp_valid(stamp: dict | None, key: str, seed: Seed, project_root: Path,
                 cache: HashCache) -> bool:
    """Does the stamp describe a build from the same inputs as now?"""
    if not stamp or stamp.get('key') != key:
        return False
    for rel, digest in stamp.get('images', {}).items():
        p = Path(project_root) / rel
        try:
            if cache.sha256(p) != digest:
                return False
        except OSError:
            return False
    rule = stamp.get('timestamp_rule')
    if rule != 'date':
        ts, now_rule = fallback_timestamp(seed.source, project_root)
        if now_rule != rule or ts.isoformat() != stamp.get('timestamp'):
            return False
    return True


def output_fresh(stamp: dict, dist: Path, name: str, fmt: str) -> bool:
    """Are the files *fmt* wrote for edition *name* still there, untouched?"""
    out = stamp.get('outputs', {}).get(fmt)
    if not out or not out.get('files'):
        return False
    for rel, (size, mtime_ns) in out['files'].items():
        try:
            st = (dist / name / rel).stat()
        except OSError:
            return False
        if [st.st_size, st.st_mtime_ns] != [size, mtime_ns]:
            return False
    return True


def output_record(final_files: list[Path], edition_dir: Path) -> dict:
    """What a stamp keeps of the files a format wrote: size and mtime of each."""
    files = {}
    for p in final_files:
        st = p.stat()
        files[p.relative_to(edition_dir).as_posix()] = [st.st_size, st.st_mtime_ns]
    return {'files': files}


