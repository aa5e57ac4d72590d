"""Manifests: what each edition folder holds, and checking it later.

``dist/NAME/manifest.json``
    every output file of the edition (size, sha256), the source text and
    sidecar (path, size, sha256), the images the article used, the layout, the
    edition timestamp and how it was chosen, the versions of publish and the
    libraries that shape the files, and the fonts (from ``fonts/manifest.json``).
``dist/index.json``
    every edition in ``dist/`` with its title, date, files and the sha256 of its
    manifest (so a changed manifest is noticed too).

Both are written with sorted keys, two-space indentation and a final newline,
and hold no time other than the edition's own timestamp, so they are
byte-identical between builds of the same inputs.

:func:`verify` re-hashes ``dist/`` against these files.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .atomic import write_atomic  # noqa: F401  (the manifest's writer, used here and by the build)

MANIFEST = 'manifest.json'
INDEX = 'index.json'
STAMPS = '.stamps'
ARCHIVE = 'archive'
# Libraries whose versions shape the output files (distribution names).
LIBRARIES = ('weasyprint', 'pydyf', 'python-docx', 'ebooklib', 'jinja2', 'fonttools', 'pikepdf')
PACKAGE_ROOT = Path(__file__).resolve().parent.parent


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + '\n'


def library_versions() -> dict[str, str | None]:
    """Versions of publish and the libraries that shape the files (no imports)."""
    from importlib import metadata
    versions: dict[str, str | None] = {'publish': __version__}
    for dist in LIBRARIES:
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = None
    return versions


def asset_dirs(project_root: Path, name: str) -> list[Path]:
    """``fonts``/``layouts`` folders that may feed a build: the project's, then the package's."""
    out = []
    for base in (Path(project_root).resolve(), PACKAGE_ROOT):
        d = base / name
        if d.is_dir() and d not in out:
            out.append(d)
    return out


def fonts_info(project_root: Path):
    """The shipped fonts as ``fonts/manifest.json`` describes them (or None)."""
    for d in asset_dirs(project_root, 'fonts'):
        p = d / MANIFEST
        if p.is_file():
            try:
                return json.loads(p.read_text(encoding='utf-8'))
            except (OSError, ValueError):
                return {'unreadable': p.name}
    return None


def file_entry(path: Path, rel: str | None = None) -> dict:
    st = path.stat()
    entry = {'size': st.st_size, 'sha256': sha256_file(path)}
    if rel is not None:
        entry['path'] = rel
    return entry


def rel_posix(path: Path, root: Path) -> str:
    try:
        return Path(os.path.relpath(Path(path).resolve(), Path(root).resolve())).as_posix()
    except ValueError:
        return Path(path).as_posix()


def edition_files(edition_dir: Path) -> list[Path]:
    """Every file of an edition folder but its manifest and hidden ones (temporary files)."""
    out = []
    for root, dirs, files in os.walk(edition_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith('.'))
        out += [Path(root) / f for f in sorted(files)
                if not f.startswith('.') and not (root == str(edition_dir) and f == MANIFEST)]
    return out


def edition_manifest(*, name: str, edition_dir: Path, project_root: Path, source: Path,
                     sidecar: Path | None, images: list[Path], title: str, date: str | None,
                     timestamp: str, timestamp_rule: str, layout: str,
                     versions: dict, fonts) -> dict:
    files = {p.relative_to(edition_dir).as_posix(): file_entry(p) for p in edition_files(edition_dir)}
    return {
        'edition': name,
        'title': title,
        'date': date,
        'timestamp': timestamp,
        'timestamp_rule': timestamp_rule,
        'layout': layout,
        'source': file_entry(source, rel_posix(source, project_root)),
        'sidecar': file_entry(sidecar, rel_posix(sidecar, project_root)) if sidecar else None,
        'images': [file_entry(p, rel_posix(p, project_root)) for p in images],
        'files': files,
        'generator': versions,
        'fonts': fonts,
    }


def write_index(dist: Path) -> bool:
    """Rewrite ``dist/index.json`` from the edition manifests; True if it changed."""
    dist = Path(dist)
    editions = []
    for d in sorted(p for p in dist.iterdir() if p.is_dir() and not p.name.startswith('.')):
        m = d / MANIFEST
        if d.name == ARCHIVE or not m.is_file():
            continue
        try:
            data = json.loads(m.read_text(encoding='utf-8'))
        except (OSError, ValueError):
            continue
        editions.append({
            'name': d.name,
            'title': data.get('title'),
            'date': data.get('date'),
            'timestamp': data.get('timestamp'),
            'files': sorted(data.get('files', {})),
            'manifest': {'path': f'{d.name}/{MANIFEST}', 'sha256': sha256_file(m)},
        })
    text = dumps({'editions': editions, 'generator': {'publish': __version__}})
    index = dist / INDEX
    try:
        if index.read_text(encoding='utf-8') == text:
            return False
    except OSError:
        pass
    write_atomic(index, text)
    return True


# ---------------------------------------------------------------- verify

@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in ``dist/``: kind is 'changed', 'missing', 'extra' or 'unreadable'."""

    path: str          # relative to dist/, posix
    kind: str
    manifest: str = ''  # the manifest that lists it (relative to dist/)
    detail: str = ''


class VerifyResult(list):
    """A list of :class:`Problem`, with counts of what was checked."""

    editions = 0
    files = 0


def _walk_files(folder: Path, dist: Path) -> list[str]:
    out = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for f in sorted(files):
            out.append(Path(os.path.relpath(os.path.join(root, f), dist)).as_posix())
    return out


def verify(dist: Path) -> VerifyResult:
    """Re-hash ``dist/`` against its manifests and the index; list every problem."""
    dist = Path(dist)
    result = VerifyResult()
    indexed: dict[str, str] = {}
    idx = dist / INDEX
    if idx.is_file():
        try:
            for e in json.loads(idx.read_text(encoding='utf-8')).get('editions', []):
                indexed[e['name']] = e.get('manifest', {}).get('sha256', '')
        except (OSError, ValueError, AttributeError, KeyError, TypeError) as exc:
            result.append(Problem(INDEX, 'unreadable', INDEX, str(exc)))
    for entry in sorted(dist.iterdir()):
        rel = entry.name
        if entry.is_dir() and not entry.is_symlink():
            if rel in (STAMPS, ARCHIVE):
                continue
            m = entry / MANIFEST
            if not m.is_file():
                result.extend(Problem(p, 'extra') for p in _walk_files(entry, dist))
                continue
            mrel = f'{rel}/{MANIFEST}'
            try:
                data = json.loads(m.read_text(encoding='utf-8'))
                files = dict(data['files'])
            except (OSError, ValueError, KeyError, TypeError) as exc:
                result.append(Problem(mrel, 'unreadable', mrel, str(exc)))
                continue
            result.editions += 1
            if rel in indexed and indexed[rel] and indexed[rel] != sha256_file(m):
                result.append(Problem(mrel, 'changed', INDEX))
            for fname, info in sorted(files.items()):
                p = entry / fname
                prel = f'{rel}/{fname}'
                result.files += 1
                if not p.is_file():
                    result.append(Problem(prel, 'missing', mrel))
                elif p.stat().st_size != info.get('size') or sha256_file(p) != info.get('sha256'):
                    result.append(Problem(prel, 'changed', mrel))
            known = {f'{rel}/{f}' for f in files} | {mrel}
            result.extend(Problem(p, 'extra') for p in _walk_files(entry, dist) if p not in known)
        elif rel != INDEX:
            result.append(Problem(rel, 'extra'))
    for name in sorted(indexed):
        if not (dist / name / MANIFEST).is_file() and not (dist / name).is_dir():
            result.append(Problem(f'{name}/{MANIFEST}', 'missing', INDEX))
    result.sort()
    return result
