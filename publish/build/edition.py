"""One edition as a transaction: read the article, render the requested
formats into a work folder inside the edition folder, then move them into
place, and write the manifest and the stamp.  A failure (bad input, crash,
full disk, Ctrl-C) removes the work folder and leaves the previous outputs
untouched.

When an edition is split over processes (see :mod:`publish.build.pool`),
each unit renders some formats into a work folder of its own and the parent
commits the edition when all have succeeded.
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
import errno
import json
import os
import re
import shutil
import tempfile
import traceback
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping

from publish import manifest as _manifest
from publish import messages
from publish.build.report import EditionResult, display as _display
from publish.build.seeds import Seed
from publish.build.stamps import output_record, stamp_path
from publish.errors import EditionWarning, PublishError
from publish.manifest import STAMPS
from publish.render import WRITERS, RenderOptions
from publish.timestamps import edition_timestamp

# errno values that mean "the output could not be written", reported in one line
_WRITE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES,
                 errno.EPERM, errno.EIO, errno.ENOTDIR, errno.EISDIR}


@dataclass(frozen=True)
class _Task:
    seed: Seed
    project_root: Path
    dist: Path
    formats: tuple[str, ...]
    layout: str | None
    run_key: str                      # hash of every input of this edition
    versions: dict
    fonts: object
    previous: dict | None             # the stamp of the last good build, if its key still matches
    loader: Callable | None = None
    writers: Mapping = field(default_factory=lambda: WRITERS)   # the writers table
    layout_loader: Callable | None = None
    edition: _Edition | None = None   # when read already (by the parent, for every unit)


@dataclass(frozen=True)
class _Edition:
    """An edition's article as its formats are rendered from it."""
    article: object                   # --layout applied
    layout: object
    timestamp: _dt.datetime           # the edition's one time (publish.timestamps)
    timestamp_rule: str
    staged: dict = field(default_factory=dict)   # format -> its writer's stage() result



# ---------------------------------------------------------------- article JSON

def _relative_paths(value, root: Path):
    """Absolute paths inside the project → relative, so the JSON is the same in every clone."""
    if isinstance(value, str):
        prefix = str(root) + os.sep
        return Path(value[len(prefix):]).as_posix() if value.startswith(prefix) else value
    if isinstance(value, list):
        return [_relative_paths(v, root) for v in value]
    if isinstance(value, dict):
        return {k: _relative_paths(v, root) for k, v in value.items()}
    return value


def article_json_bytes(article, project_root: Path, timestamp: _dt.datetime | None = None) -> bytes:
    """The article as JSON for embedding (:func:`publish.model.article_json`),
    with the edition *timestamp* in its ``meta``, paths relative to the
    project, sorted keys."""
    from publish.model import article_json
    data = _relative_paths(article_json(article), Path(project_root).resolve())
    data['meta']['timestamp'] = timestamp.isoformat() if timestamp is not None else None
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2, default=str) + '\n').encode('utf-8')


# ---------------------------------------------------------------- one edition

def _default_loader(source: Path, project_root: Path):
    from publish.source import load_article
    return load_article(source, project_root)


def writer_of(task: _Task, fmt: str):
    """The writer of *fmt* in the task's table."""
    return task.writers[fmt]


def _default_layout_loader(name: str, project_root: Path):
    from publish.layout import load_layout
    return load_layout(name, project_root)


def _attachments(article, seed: Seed, project_root: Path, timestamp: _dt.datetime) -> list[dict]:
    """The files a writer that asks for them embeds (the PDF/A-3's associated
    files): the source as given, and the article's JSON."""
    return [
        {'filename': seed.source.name, 'data': seed.source.read_bytes(),
         'mime_type': 'text/plain', 'relationship': 'Source',
         'description': 'The article text as supplied'},
        {'filename': f'{seed.name}.json', 'data': article_json_bytes(article, project_root, timestamp),
         'mime_type': 'application/json', 'relationship': 'Data',
         'description': 'The article structure as published'},
    ]


def render_options(writer, edition: _Edition, seed: Seed, project_root: Path) -> RenderOptions:
    """What *writer* is given besides the article and the layout."""
    # attachments are made where the writer runs: for a long article they are
    # large, and sending them to a worker costs more than making them there
    attachments = (tuple(_attachments(edition.article, seed, project_root, edition.timestamp))
                   if writer.attachments else ())
    return RenderOptions(timestamp=edition.timestamp, attachments=attachments,
                         staged=edition.staged.get(writer.name))


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _figure_paths(article, seed: Seed) -> list[Path]:
    out = []
    for fig in getattr(article, 'figures', ()):
        p = Path(fig.path)
        if not p.is_absolute():
            p = seed.source.parent / p
        if p.is_file() and p not in out:
            out.append(p)
    return out


def _failure(task: _Task, exc: BaseException) -> EditionResult:
    """The result for an edition whose build raised *exc*."""
    seed, dist = task.seed, task.dist
    if isinstance(exc, PublishError):
        if exc.path is not None:
            exc.path = _final_name(Path(exc.path), seed.name)
        return EditionResult(seed.name, 'failed', error=messages.format_error(exc))
    if isinstance(exc, OSError) and exc.errno in _WRITE_ERRNOS:
        target = _final_name(Path(str(exc.filename)), seed.name) if exc.filename else dist / seed.name
        return EditionResult(seed.name, 'failed', error=messages.msg(
            'build.write_failed', path=_display(Path(str(target))), reason=messages.os_reason(exc)))
    return _internal(seed.name, exc)   # a bug: keep the traceback, build the others


def _final_name(path: Path, name: str) -> Path:
    """The output a temporary file stands for, for messages: a file in an
    edition's work folder (``.NAME.x1y2.part/web/index.html``) is named by
    its final place (``web/index.html``), a file being written atomically
    (``.NAME.pdf.k3j2.tmp``) by the file it becomes."""
    parts = path.parts
    for i, part in enumerate(parts):
        if re.fullmatch(rf'\.{re.escape(name)}\..+\.part', part):
            rest = list(parts[i + 1:])
            if rest and (m := re.fullmatch(r'\.(.+)\.\w+\.tmp', rest[-1])):
                rest[-1] = m.group(1)
            return Path(*parts[:i], *rest)
    return path


def _internal(name: str, exc: BaseException) -> EditionResult:
    text = f'{type(exc).__name__}: {exc}'.splitlines()[0] if str(exc) else type(exc).__name__
    return EditionResult(name, 'failed', internal=True,
                         traceback=''.join(traceback.format_exception(exc)),
                         error=messages.msg('build.internal_error', name=name, error=text))


def _remove(paths) -> None:
    """Remove files and folders (temporary ones: errors are ignored)."""
    for t in paths:
        if t is None:
            continue
        t = Path(t)
        if t.is_dir() and not t.is_symlink():
            shutil.rmtree(t, ignore_errors=True)
            continue
        try:
            t.unlink()
        except OSError:
            pass


def build_edition(task: _Task) -> EditionResult:
    """Build the requested formats of one edition; never raises for edition errors."""
    temps: list[Path] = []
    try:
        rendered, info = _render(task, task.formats, temps)
        return _commit(task, rendered, info)
    except Exception as exc:
        return _failure(task, exc)
    finally:
        _remove(temps)


@dataclass(frozen=True)
class _Output:
    """What one format wrote into a work folder: *entries* (files or
    folders, relative to the edition folder) holding *files*."""

    fmt: str
    work: Path
    entries: tuple[str, ...]
    files: tuple[str, ...]
    main: str                         # the file the run reports


@dataclass
class _Unit:
    """Some formats of one edition rendered to temporary files (by a worker)."""

    name: str
    rendered: list | None = None      # [_Output]
    info: dict | None = None
    failure: EditionResult | None = None
    work: Path | None = None          # the work folder holding the rendered files


def render_unit(task: _Task, formats: tuple[str, ...]) -> _Unit:
    """Render *formats* of an edition to temporary files and leave them there;
    the parent commits the edition when all its units have succeeded."""
    temps: list[Path] = []
    try:
        rendered, info = _render(task, formats, temps)
    except BaseException as exc:
        _remove(temps)
        if not isinstance(exc, Exception):
            raise
        return _Unit(task.seed.name, failure=_failure(task, exc))
    return _Unit(task.seed.name, rendered=rendered, info=info, work=temps[0] if temps else None)


def _read_edition(task: _Task) -> _Edition:
    """Load the article, apply ``--layout``, derive the edition timestamp, load its layout."""
    seed, root = task.seed, task.project_root
    article = (task.loader or _default_loader)(seed.source, root)
    if task.layout:
        article = dataclasses.replace(article, meta=dataclasses.replace(article.meta, layout=task.layout))
    meta = article.meta
    ts, rule = edition_timestamp(meta.date, seed.source, root)
    layout = (task.layout_loader or _default_layout_loader)(meta.layout, root)
    return _Edition(article, layout, ts, rule)


def _render(task: _Task, formats: tuple[str, ...], temps: list[Path]) -> tuple[list, dict]:
    """Render *formats* into a work folder in the edition folder; *temps*
    gets the work folder, for the caller to remove."""
    seed, dist = task.seed, task.dist
    edition = task.edition or _read_edition(task)
    article, layout = edition.article, edition.layout
    meta = article.meta

    outdir = dist / seed.name
    outdir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f'.{seed.name}.', suffix='.part', dir=outdir))
    temps.append(work)
    rendered: list[_Output] = []
    notes: list[tuple[str, str, str]] = []
    for fmt in formats:
        writer = writer_of(task, fmt)
        main = writer.output_for(seed.name)
        # Python warnings from the libraries (ebooklib warns before re-raising a
        # write error) are not for users: a real problem raises, and the
        # writers turn WeasyPrint's logged warnings into errors themselves.
        # A writer's own EditionWarning is for users.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('ignore')
            warnings.simplefilter('always', EditionWarning)
            written = writer.write(article, layout, render_options(writer, edition, seed, task.project_root),
                                   work)
        for w in caught:
            if isinstance(w.message, EditionWarning):
                where = _final_name(w.message.path, seed.name) if w.message.path else outdir / main
                notes.append((_display(where), w.message.english, w.message.chinese))
        produced = work / main
        if not produced.is_file() or produced.stat().st_size == 0:
            raise PublishError(messages.msg('build.output_empty', fmt=writer.title,
                                            path=_display(outdir / main)))
        files = sorted({Path(p).resolve().relative_to(work.resolve()) for p in written or ()} | {Path(main)})
        for rel in files:
            _fsync(work / rel)
        entries = tuple(dict.fromkeys(rel.parts[0] for rel in files))
        rendered.append(_Output(fmt, work, entries, tuple(rel.as_posix() for rel in files), main))
    info = {'title': article.title, 'date': meta.date.isoformat() if meta.date else None,
            'timestamp': edition.timestamp.isoformat(), 'timestamp_rule': edition.timestamp_rule,
            'layout': meta.layout, 'warnings': notes,
            'images': [str(p) for p in _figure_paths(article, seed)]}
    return rendered, info


def _move_into_place(temporary: Path, final: Path) -> None:
    """Rename a rendered file, or folder, to its final place; a folder
    replaces the previous one whole."""
    if not temporary.is_dir():
        os.chmod(temporary, 0o644)
        os.replace(temporary, final)
        return
    for root, dirs, files in os.walk(temporary):
        os.chmod(root, 0o755)
        for f in files:
            os.chmod(os.path.join(root, f), 0o644)
    old = None
    if final.is_dir() and not final.is_symlink():
        old = Path(tempfile.mkdtemp(prefix=f'.{final.name}.', suffix='.old', dir=final.parent))
        os.replace(final, old / final.name)
    elif final.exists() or final.is_symlink():
        final.unlink()
    os.replace(temporary, final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _commit(task: _Task, rendered: list[_Output], info: dict) -> EditionResult:
    """Every format rendered: move them into place, then the manifest and the stamp."""
    seed, root, dist = task.seed, task.project_root, task.dist
    outdir = dist / seed.name
    for out in rendered:
        for entry in out.entries:
            _move_into_place(out.work / entry, outdir / entry)
    _fsync_dir(outdir)

    images = [Path(p) for p in info['images']]
    man = _manifest.edition_manifest(
        name=seed.name, edition_dir=outdir, project_root=root, source=seed.source,
        sidecar=seed.sidecar, images=images, title=info['title'], date=info['date'],
        timestamp=info['timestamp'], timestamp_rule=info['timestamp_rule'], layout=info['layout'],
        versions=task.versions, fonts=task.fonts)
    _manifest.write_atomic(outdir / _manifest.MANIFEST, _manifest.dumps(man))

    outputs = dict((task.previous or {}).get('outputs', {}))
    for out in rendered:
        outputs[out.fmt] = output_record([outdir / f for f in out.files], outdir)
    stamp = {
        'key': task.run_key,
        'images': {_manifest.rel_posix(p, root): _manifest.sha256_file(p) for p in images},
        'timestamp': info['timestamp'],
        'timestamp_rule': info['timestamp_rule'],
        'outputs': outputs,
    }
    (dist / STAMPS).mkdir(exist_ok=True)
    _manifest.write_atomic(stamp_path(dist, seed.name), json.dumps(stamp, sort_keys=True, indent=1))
    files = tuple(_display(outdir / out.main) for out in rendered)
    return EditionResult(seed.name, 'built', formats=tuple(out.fmt for out in rendered), files=files,
                         warnings=tuple(map(tuple, info.get('warnings', ()))))


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


