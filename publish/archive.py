"""BagIt bags of built editions, for long-term archiving.

``archive(project_root, names=None) -> ArchiveResult`` copies the chosen
edition folders of ``dist/`` (all of them when *names* is empty) into a
BagIt bag (https://www.rfc-editor.org/rfc/rfc8493) made with the ``bagit``
library, with sha256 manifests, and validates it.

Where it goes
    one edition → ``dist/archive/NAME/``; every edition → ``dist/archive/all/``;
    several chosen editions → ``dist/archive/editions-<12 hex of sha256 of the
    sorted names>/``.  An older bag at that place is replaced atomically.

Fixed metadata
    ``Bagging-Date`` is the date of the latest edition timestamp among the
    chosen editions (from their manifests: edition date, SOURCE_DATE_EPOCH or
    last commit — never today), ``Bag-Software-Agent`` names publish and bagit,
    ``External-Identifier`` lists the editions.  The payload is
    ``data/NAME/...`` exactly as in ``dist/``.

An edition whose files no longer match its manifest (see ``publish verify``)
is refused: an archive must hold what was published.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import __version__, messages
from .errors import PublishError
from .manifest import ARCHIVE, MANIFEST, STAMPS


class ArchiveError(PublishError):
    pass


@dataclass
class ArchiveResult:
    path: Path
    editions: list[str]


def _bag_name(names: list[str], all_editions: bool) -> str:
    if all_editions:
        return 'all'
    if len(names) == 1:
        return names[0]
    return 'editions-' + hashlib.sha256('\n'.join(sorted(names)).encode()).hexdigest()[:12]


def built_editions(dist: Path) -> list[str]:
    if not dist.is_dir():
        return []
    return sorted(d.name for d in dist.iterdir()
                  if d.is_dir() and d.name not in (ARCHIVE, STAMPS) and (d / MANIFEST).is_file())


def archive(project_root: Path, names=None, *, dist: Path | None = None) -> ArchiveResult:
    import bagit
    logging.getLogger('bagit').addHandler(logging.NullHandler())
    logging.getLogger('bagit').propagate = False

    root = Path(project_root).resolve()
    dist = Path(dist).resolve() if dist else root / 'dist'
    all_editions = not names
    if all_editions:
        chosen = built_editions(dist)
        if not chosen:
            raise ArchiveError(messages.msg('archive.nothing', path=str(dist)))
    else:
        chosen = []
        for raw in names:
            stem = Path(raw).name
            stem = stem[:-4] if stem.endswith('.txt') else stem
            if not (dist / stem / MANIFEST).is_file():
                raise ArchiveError(messages.msg('archive.not_built', name=stem,
                                                path=f'dist/{stem}/{MANIFEST}'))
            if stem not in chosen:
                chosen.append(stem)
        chosen.sort()

    # only what still matches its manifest goes into an archive
    from .manifest import verify
    for problem in verify(dist):
        edition = problem.path.split('/', 1)[0]
        if edition in chosen:
            raise ArchiveError(messages.msg('archive.unverified', name=edition, path=f'dist/{problem.path}',
                                            kind=problem.kind))

    stamps = []
    for name in chosen:
        try:
            stamps.append(json.loads((dist / name / MANIFEST).read_text(encoding='utf-8'))['timestamp'])
        except (OSError, ValueError, KeyError) as exc:
            raise ArchiveError(messages.msg('verify.bad_manifest', path=f'dist/{name}/{MANIFEST}',
                                            reason=str(exc)), dist / name / MANIFEST) from None
    bagging_date = max(stamps)[:10]

    out_root = dist / ARCHIVE
    out_root.mkdir(parents=True, exist_ok=True)
    target = out_root / _bag_name(chosen, all_editions)
    work = Path(tempfile.mkdtemp(prefix='.bag-', dir=out_root))
    old = None
    try:
        for name in chosen:
            # the files the manifest lists (an edition may hold folders: the
            # web page's), and the manifest
            listed = json.loads((dist / name / MANIFEST).read_text(encoding='utf-8'))['files']
            for rel in sorted(listed) + [MANIFEST]:
                (work / name / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(dist / name / rel, work / name / rel)
        os.chmod(work, 0o755)
        bagit.make_bag(str(work), bag_info={
            'Bagging-Date': bagging_date,
            'Bag-Software-Agent': f'publish {__version__} (bagit.py {bagit.VERSION})',
            'External-Identifier': ' '.join(chosen),
            'External-Description': 'Editions (PDF/A, DOCX, EPUB) with their manifests',
        }, checksums=['sha256'])
        bag = bagit.Bag(str(work))
        try:
            bag.validate()
        except bagit.BagValidationError as exc:
            raise ArchiveError(messages.msg('archive.invalid', path=str(target), reason=str(exc))) from None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix='.old-', dir=out_root))
            os.replace(target, old / 'bag')
        os.replace(work, target)
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    return ArchiveResult(target, chosen)


def validate(path: Path) -> None:
    """Raise ArchiveError unless the bag at *path* validates."""
    import bagit
    logging.getLogger('bagit').addHandler(logging.NullHandler())
    logging.getLogger('bagit').propagate = False
    try:
        bagit.Bag(str(path)).validate()
    except (bagit.BagError, bagit.BagValidationError) as exc:
        raise ArchiveError(messages.msg('archive.invalid', path=str(path), reason=str(exc))) from None
