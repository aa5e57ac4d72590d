"""Build editions: discover seeds, skip what is up to date, render, write atomically.

Public entry points (the CLI stays thin and only prints what they return):

``build_all(project_root, formats=FORMATS, names=None, jobs=None, force=False,
layout=None, progress=None) -> BuildReport``
    Build every ``seeds/*.txt`` (or only *names*) into ``dist/NAME/NAME.{fmt}``.
    Raises :class:`~publish.errors.PublishError` only for problems that stop the
    whole run (no ``seeds/``, unknown article name, ``dist/`` not writable);
    everything that goes wrong in one edition is recorded in its
    :class:`EditionResult` and the other editions still build.

``discover(project_root, names=None) -> list[Seed]``

How one edition is built (:func:`build_edition`, run in a worker process when
``jobs > 1``; with fewer editions than workers an edition is split into units,
its PDF in a worker and its DOCX and EPUB in this process, see :func:`_run_pool`;
the workers start, and import WeasyPrint, before the inputs are hashed when
some PDF is certainly to be built, see :class:`_Workers`):

1. ``publish.source.load_article(source, project_root)`` reads and normalizes
   the article (sidecar included); ``--layout`` overrides ``meta.layout``.
2. ``meta.timestamp`` is set by :func:`publish.timestamps.edition_timestamp`
   (edition date, else ``SOURCE_DATE_EPOCH``, else last commit, else
   1980-01-01 UTC — never now).
3. Each format is rendered by ``publish.render.get_renderer(fmt)`` into a
   temporary file in the edition folder (for a split edition, steps 1–2 and
   the renderers' ``stage()`` run once in this process, and the workers get
   the result).  Only when every requested format has
   been rendered are they fsynced and ``os.replace()``d into place, then
   ``manifest.json`` and the stamp are written the same way.  A failure (bad
   input, crash, full disk, Ctrl-C) removes the temporary files and leaves the
   previous outputs untouched.
4. The PDF renderer also receives the source text (raw bytes, relationship
   ``Source``) and the article's JSON (``Data``) to embed (PDF/A-3).

Incremental builds
    ``dist/.stamps/NAME.json`` records a hash of everything that shapes an
    edition: source and sidecar bytes, the images the article used, every file
    under ``layouts/`` and ``fonts/`` (the project's and the package's), the
    publish code (version and the hash of its modules), the versions of the
    rendering libraries, the ``--layout`` option and how the timestamp was
    chosen; plus size and mtime of each output written.  A format is rebuilt
    when any of these changed or its output is missing or was touched.
    Nothing heavy is imported for that check; file hashes are cached by
    (size, mtime, ctime, inode) in the user's cache folder
    (``$XDG_CACHE_HOME/publish/file-hashes.json``, default ``~/.cache``), so
    that a new ``dist/`` does not mean reading the 70 MB of fonts again.

Injection points for tests: ``loader`` (like ``load_article``),
``get_renderer`` (like ``publish.render.get_renderer``) and ``layout_loader``
(``(name, project_root) -> layout``).  With ``jobs > 1`` they must be picklable
(module-level functions).
"""
from __future__ import annotations

import dataclasses
import errno
import hashlib
import json
import multiprocessing
import os
import re
import signal
import sys
import tempfile
import time
import traceback
import warnings
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import manifest as _manifest
from . import messages
from .errors import PublishError
from .manifest import FORMATS, STAMPS
from .timestamps import edition_timestamp, fallback_timestamp

SOURCE_DIR = 'seeds'
DIST_DIR = 'dist'
SIDECAR_SUFFIXES = ('.yaml', '.yml')
# errno values that mean "the output could not be written", reported in one line
_WRITE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES,
                 errno.EPERM, errno.EIO, errno.ENOTDIR, errno.EISDIR}


class BuildAbort(PublishError):
    """A problem that stops the whole run (not one edition)."""


# ---------------------------------------------------------------- data

@dataclass(frozen=True)
class Seed:
    name: str
    source: Path
    sidecar: Path | None


@dataclass
class EditionResult:
    name: str
    status: str                     # 'built', 'skipped' or 'failed'
    formats: tuple[str, ...] = ()   # formats written this run
    files: tuple[str, ...] = ()     # paths written (relative to the project when possible)
    error: str = ''                 # one translated line when failed
    traceback: str = ''             # for internal errors (bugs) only
    internal: bool = False


@dataclass
class BuildReport:
    results: list[EditionResult] = field(default_factory=list)
    project_root: Path | None = None
    dist: Path | None = None

    @property
    def built(self) -> list[EditionResult]:
        return [r for r in self.results if r.status == 'built']

    @property
    def skipped(self) -> list[EditionResult]:
        return [r for r in self.results if r.status == 'skipped']

    @property
    def failed(self) -> list[EditionResult]:
        return [r for r in self.results if r.status == 'failed']

    @property
    def files(self) -> list[str]:
        return [f for r in self.results for f in r.files]

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def exit_status(self) -> int:
        return 0 if self.ok else 1

    def summary_lines(self, lang: str | None = None) -> list[str]:
        """The run summary, translated: one line, plus one per failed edition."""
        if self.failed:
            lines = [messages.msg('build.summary.failed', lang, failed=len(self.failed),
                                  total=len(self.results))]
            lines += [messages.msg('build.summary.item', lang, name=r.name, error=r.error)
                      for r in self.failed]
            return lines
        if not self.built:
            return [messages.msg('build.summary.nothing', lang, skipped=len(self.skipped))]
        return [messages.msg('build.summary.ok', lang, built=len(self.built),
                             skipped=len(self.skipped), files=len(self.files))]


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
    get_renderer: Callable | None = None
    layout_loader: Callable | None = None
    edition: _Edition | None = None   # when read already (by the parent, for every unit)


@dataclass(frozen=True)
class _Edition:
    """An edition's article as its formats are rendered from it."""
    article: object                   # --layout and the edition timestamp applied
    layout: object
    timestamp_rule: str
    staged: dict = field(default_factory=dict)   # format -> its renderer's stage() result


# ---------------------------------------------------------------- discovery

def discover(project_root: Path, names=None) -> list[Seed]:
    """The seeds to build, sorted by name; *names* may be stems, file names or paths."""
    root = Path(project_root)
    seeds_dir = root / SOURCE_DIR
    if not seeds_dir.is_dir():
        raise BuildAbort(messages.msg('build.no_seeds_dir', path=_display(seeds_dir)))
    if names:
        wanted = []
        for raw in names:
            stem = Path(raw).name
            if stem.endswith('.txt'):
                stem = stem[:-4]
            if stem not in wanted:
                wanted.append(stem)
        paths = []
        for stem in wanted:
            p = seeds_dir / f'{stem}.txt'
            if not p.is_file():
                raise BuildAbort(messages.msg('build.unknown_article', name=stem, path=_display(p)))
            paths.append(p)
    else:
        paths = sorted(p for p in seeds_dir.glob('*.txt') if p.is_file() and not p.name.startswith('.'))
        if not paths:
            raise BuildAbort(messages.msg('build.no_seeds', path=_display(seeds_dir)))
    out = []
    for p in sorted(paths):
        sidecar = next((p.with_suffix(s) for s in SIDECAR_SUFFIXES if p.with_suffix(s).is_file()), None)
        out.append(Seed(p.stem, p, sidecar))
    return out


def _display(path: Path) -> str:
    """*path* relative to the current folder when it is inside it."""
    try:
        p = Path(path).absolute()
        rel = p.relative_to(Path.cwd())
        return str(rel)
    except ValueError:
        return str(path)


# ---------------------------------------------------------------- hashing

def hash_cache_path() -> Path | None:
    """Where file hashes are kept between runs (None: nowhere).  A relative
    ``XDG_CACHE_HOME`` is ignored, as the XDG specification says."""
    base = os.environ.get('XDG_CACHE_HOME', '')
    if not os.path.isabs(base):
        try:
            base = Path.home() / '.cache'
        except RuntimeError:            # no home folder
            return None
    return Path(base) / 'publish' / 'file-hashes.json'


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
    pkg = Path(__file__).resolve().parent
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


def _seed_key(seed: Seed, base: str, cache: HashCache) -> str:
    h = hashlib.sha256(base.encode())
    h.update(cache.sha256(seed.source).encode())
    h.update(cache.sha256(seed.sidecar).encode() if seed.sidecar else b'-')
    return h.hexdigest()


def _stamp_path(dist: Path, name: str) -> Path:
    return dist / STAMPS / f'{name}.json'


def _read_stamp(dist: Path, name: str) -> dict | None:
    try:
        return json.loads(_stamp_path(dist, name).read_text(encoding='utf-8'))
    except (OSError, ValueError):
        return None


def _stamp_valid(stamp: dict | None, key: str, seed: Seed, project_root: Path,
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


def _output_fresh(stamp: dict, dist: Path, name: str, fmt: str) -> bool:
    out = stamp.get('outputs', {}).get(fmt)
    if not out:
        return False
    try:
        st = (dist / name / f'{name}.{fmt}').stat()
    except OSError:
        return False
    return [st.st_size, st.st_mtime_ns] == [out.get('size'), out.get('mtime_ns')]


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


def article_json_bytes(article, project_root: Path) -> bytes:
    """The article as JSON for embedding (:func:`publish.model.article_json`),
    paths relative to the project, sorted keys."""
    from publish.model import article_json
    data = _relative_paths(article_json(article), Path(project_root).resolve())
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2, default=str) + '\n').encode('utf-8')


# ---------------------------------------------------------------- one edition

def _default_loader(source: Path, project_root: Path):
    from publish.source import load_article
    return load_article(source, project_root)


def _default_get_renderer(fmt: str):
    from publish.render import get_renderer
    return get_renderer(fmt)


def _default_layout_loader(name: str, project_root: Path):
    from publish.layout import load_layout
    return load_layout(name, project_root)


def _attachments(article, seed: Seed, project_root: Path) -> list[dict]:
    """The files the PDF/A-3 embeds: the source as given, and the article's JSON."""
    return [
        {'filename': seed.source.name, 'data': seed.source.read_bytes(),
         'mime_type': 'text/plain', 'relationship': 'Source',
         'description': 'The article text as supplied'},
        {'filename': f'{seed.name}.json', 'data': article_json_bytes(article, project_root),
         'mime_type': 'application/json', 'relationship': 'Data',
         'description': 'The article structure as published'},
    ]


def _render_kwargs(fmt: str, edition: _Edition, seed: Seed, project_root: Path) -> dict:
    kwargs = {}
    if fmt == 'pdf':
        # made where the PDF is rendered: for a long article they are large,
        # and sending them to a worker costs more than making them there
        kwargs['attachments'] = _attachments(edition.article, seed, project_root)
    if fmt in edition.staged:
        kwargs['staged'] = edition.staged[fmt]
    return kwargs


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
    """The output a temporary file stands for (.NAME.x1y2.part.pdf → NAME.pdf), for messages."""
    m = re.fullmatch(rf'\.{re.escape(name)}\..+\.part\.(\w+)(\..*)?', path.name)
    return path.with_name(f'{name}.{m.group(1)}') if m else path


def _internal(name: str, exc: BaseException) -> EditionResult:
    text = f'{type(exc).__name__}: {exc}'.splitlines()[0] if str(exc) else type(exc).__name__
    return EditionResult(name, 'failed', internal=True,
                         traceback=''.join(traceback.format_exception(exc)),
                         error=messages.msg('build.internal_error', name=name, error=text))


def _remove(paths) -> None:
    for t in paths:
        try:
            Path(t).unlink()
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


@dataclass
class _Unit:
    """Some formats of one edition rendered to temporary files (by a worker)."""

    name: str
    rendered: list | None = None      # [(fmt, temp path, final path)]
    info: dict | None = None
    failure: EditionResult | None = None


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
    return _Unit(task.seed.name, rendered=rendered, info=info)


def _read_edition(task: _Task) -> _Edition:
    """Load the article, apply ``--layout`` and the edition timestamp, load its layout."""
    seed, root = task.seed, task.project_root
    article = (task.loader or _default_loader)(seed.source, root)
    meta = article.meta
    if task.layout:
        meta = dataclasses.replace(meta, layout=task.layout)
    ts, rule = edition_timestamp(meta.date, seed.source, root)
    article = dataclasses.replace(article, meta=dataclasses.replace(meta, timestamp=ts))
    layout = (task.layout_loader or _default_layout_loader)(meta.layout, root)
    return _Edition(article, layout, rule)


def _render(task: _Task, formats: tuple[str, ...], temps: list[Path]) -> tuple[list, dict]:
    """Render *formats* into temporary files beside their final places."""
    seed, dist = task.seed, task.dist
    get_renderer = task.get_renderer or _default_get_renderer
    edition = task.edition or _read_edition(task)
    article, layout = edition.article, edition.layout
    meta = article.meta

    outdir = dist / seed.name
    outdir.mkdir(parents=True, exist_ok=True)
    rendered: list[tuple[str, Path, Path]] = []
    for fmt in formats:
        render = get_renderer(fmt)
        fd, tmp_name = tempfile.mkstemp(prefix=f'.{seed.name}.', suffix=f'.part.{fmt}', dir=outdir)
        os.close(fd)
        tmp = Path(tmp_name)
        temps.append(tmp)
        # Python warnings from the libraries (ebooklib warns before re-raising a
        # write error) are not for users: a real problem raises, and the
        # renderers turn WeasyPrint's logged warnings into errors themselves
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            produced = render(article, layout, tmp, **_render_kwargs(fmt, edition, seed, task.project_root))
        produced = Path(produced) if produced else tmp
        if produced != tmp:
            temps.append(produced)
        if not produced.is_file() or produced.stat().st_size == 0:
            raise PublishError(messages.msg('build.output_empty', fmt=fmt.upper(),
                                            path=_display(outdir / f'{seed.name}.{fmt}')))
        _fsync(produced)
        rendered.append((fmt, produced, outdir / f'{seed.name}.{fmt}'))
    info = {'title': article.title, 'date': meta.date.isoformat() if meta.date else None,
            'timestamp': meta.timestamp.isoformat(), 'timestamp_rule': edition.timestamp_rule,
            'layout': meta.layout,
            'images': [str(p) for p in _figure_paths(article, seed)]}
    return rendered, info


def _commit(task: _Task, rendered: list, info: dict) -> EditionResult:
    """Every format rendered: move them into place, then the manifest and the stamp."""
    seed, root, dist = task.seed, task.project_root, task.dist
    outdir = dist / seed.name
    for fmt, produced, final in rendered:
        os.chmod(produced, 0o644)
        os.replace(produced, final)
    _fsync_dir(outdir)

    images = [Path(p) for p in info['images']]
    man = _manifest.edition_manifest(
        name=seed.name, edition_dir=outdir, project_root=root, source=seed.source,
        sidecar=seed.sidecar, images=images, title=info['title'], date=info['date'],
        timestamp=info['timestamp'], timestamp_rule=info['timestamp_rule'], layout=info['layout'],
        versions=task.versions, fonts=task.fonts)
    _manifest.write_atomic(outdir / _manifest.MANIFEST, _manifest.dumps(man))

    outputs = dict((task.previous or {}).get('outputs', {}))
    for fmt, _, final in rendered:
        st = final.stat()
        outputs[fmt] = {'size': st.st_size, 'mtime_ns': st.st_mtime_ns,
                        'sha256': man['files'][final.name]['sha256']}
    stamp = {
        'key': task.run_key,
        'images': {_manifest.rel_posix(p, root): _manifest.sha256_file(p) for p in images},
        'timestamp': info['timestamp'],
        'timestamp_rule': info['timestamp_rule'],
        'outputs': outputs,
    }
    (dist / STAMPS).mkdir(exist_ok=True)
    _manifest.write_atomic(_stamp_path(dist, seed.name), json.dumps(stamp, sort_keys=True, indent=1))
    files = tuple(_display(final) for _, _, final in rendered)
    return EditionResult(seed.name, 'built', formats=tuple(f for f, _, _ in rendered), files=files)


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


# ---------------------------------------------------------------- the run

def _check_dist(dist: Path) -> None:
    try:
        dist.mkdir(parents=True, exist_ok=True)
        (dist / STAMPS).mkdir(exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix='.write-test.', dir=dist)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise BuildAbort(messages.msg('build.dist_not_writable', reason=messages.os_reason(exc)),
                         _display(dist)) from None


def _default_jobs() -> int:
    return os.cpu_count() or 1


def build_all(project_root: Path, formats=FORMATS, names=None, jobs: int | None = None,
              force: bool = False, layout: str | None = None,
              progress: Callable[[EditionResult | None, int, int], None] | None = None, *,
              dist: Path | None = None, loader: Callable | None = None,
              get_renderer: Callable | None = None,
              layout_loader: Callable | None = None) -> BuildReport:
    """Build *formats* of the seeds (all, or *names*) of *project_root*.

    *progress*, when given, is called as ``progress(None, 0, total)`` before
    the first edition and ``progress(result, done, total)`` after each one
    (in completion order).  The report lists results sorted by name.
    """
    root = Path(project_root).resolve()
    formats = tuple(dict.fromkeys(formats))
    for fmt in formats:
        if fmt not in FORMATS:
            raise BuildAbort(messages.msg('build.unknown_format', fmt=fmt, choices=', '.join(FORMATS)))
    dist = Path(dist).resolve() if dist else root / DIST_DIR
    seeds = discover(root, names)
    _check_dist(dist)
    jobs = _default_jobs() if not jobs or jobs < 1 else jobs
    # Editions whose PDF is certainly built (never built, or its PDF is gone):
    # their workers start now and import WeasyPrint while the inputs are hashed.
    # Should the hashes show more editions to build than workers started (a
    # new seed after a layout change), _run_pool starts a pool of the right size.
    workers = _Workers()
    if 'pdf' in formats and jobs > 1:
        certain = [s for s in seeds if force or not _output_fresh(_read_stamp(dist, s.name) or {},
                                                                    dist, s.name, 'pdf')]
        if certain:
            workers.fit(min(jobs, len(certain)), ('pdf',))
    try:
        return _build(root, dist, seeds, formats, jobs, force, layout, progress, workers=workers,
                      loader=loader, get_renderer=get_renderer, layout_loader=layout_loader)
    finally:
        workers.close()


def _build(root: Path, dist: Path, seeds: list[Seed], formats: tuple[str, ...], jobs: int,
           force: bool, layout: str | None, progress, *, workers: _Workers,
           loader, get_renderer, layout_loader) -> BuildReport:
    """:func:`build_all` once the seeds are known and the workers, if any, started."""
    cache = HashCache(hash_cache_path())
    versions = _manifest.library_versions()
    base = run_key(root, layout, versions, cache)
    fonts = _manifest.fonts_info(root)

    tasks: list[_Task] = []
    results: list[EditionResult] = []
    for seed in seeds:
        key, stamp, valid, todo = _to_build(seed, base, cache, root, dist, formats, force)
        if not todo:
            results.append(EditionResult(seed.name, 'skipped'))
            continue
        tasks.append(_Task(seed=seed, project_root=root, dist=dist, formats=todo, layout=layout,
                           run_key=key, versions=versions, fonts=fonts,
                           previous=stamp if valid else None, loader=loader,
                           get_renderer=get_renderer, layout_loader=layout_loader))
    cache.save()

    total = len(seeds)
    done = 0
    if progress:
        progress(None, 0, total)
    for r in results:
        done += 1
        if progress:
            progress(r, done, total)

    if tasks:
        for t in tasks:
            _clean_stale(dist / t.seed.name, t.seed.name)
        plan = _plan(tasks, jobs)
        if workers.pool is None and (jobs == 1 or len(plan) == 1):
            for t in tasks:
                r = build_edition(t)
                results.append(r)
                done += 1
                if progress:
                    progress(r, done, total)
        else:
            for r in _run_pool(plan, jobs, workers):
                results.append(r)
                done += 1
                if progress:
                    progress(r, done, total)
        _manifest.write_index(dist)
    elif not (dist / _manifest.INDEX).is_file():
        _manifest.write_index(dist)

    results.sort(key=lambda r: r.name)
    return BuildReport(results, root, dist)


def _to_build(seed: Seed, base: str, cache: HashCache, root: Path, dist: Path,
              formats: tuple[str, ...], force: bool):
    """The seed's key, its stamp, whether the stamp still holds, and the formats to build."""
    key = _seed_key(seed, base, cache)
    stamp = _read_stamp(dist, seed.name)
    valid = _stamp_valid(stamp, key, seed, root, cache)
    if force or not valid:
        return key, stamp, valid, formats
    return key, stamp, valid, tuple(f for f in formats if not _output_fresh(stamp, dist, seed.name, f))


def pending(project_root: Path, names=None, formats=FORMATS,
            layout: str | None = None) -> dict[str, tuple[str, ...]]:
    """For every seed (or *names*): the formats that ``build_all`` would
    build now; an empty tuple means the edition is up to date.  Builds nothing."""
    root = Path(project_root).resolve()
    dist = root / DIST_DIR
    seeds = discover(root, names)
    cache = HashCache(hash_cache_path())
    base = run_key(root, layout, _manifest.library_versions(), cache)
    todo = {seed.name: _to_build(seed, base, cache, root, dist, tuple(formats), False)[3]
            for seed in seeds}
    cache.save()
    return todo


# Rough relative cost of each format, to split one edition over idle workers
# (the PDF's includes importing WeasyPrint, a third of a second).
_WEIGHT = {'pdf': 4, 'epub': 1, 'docx': 1}


def _plan(tasks: list[_Task], jobs: int) -> list[tuple[_Task, tuple[str, ...] | None]]:
    """Work units: a whole edition (None), or, when there are fewer editions
    than workers, groups of its formats rendered in different processes."""
    if len(tasks) >= jobs:
        return [(t, None) for t in tasks]
    per = max(1, jobs // len(tasks))
    out: list[tuple[_Task, tuple[str, ...] | None]] = []
    for t in tasks:
        k = min(per, len(t.formats))
        if k <= 1:
            out.append((t, None))
            continue
        groups: list[list[str]] = [[] for _ in range(k)]
        loads = [0] * k
        for fmt in sorted(t.formats, key=lambda f: -_WEIGHT.get(f, 1)):
            i = loads.index(min(loads))
            groups[i].append(fmt)
            loads[i] += _WEIGHT.get(fmt, 1)
        out += [(t, tuple(f for f in t.formats if f in g)) for g in groups]
    return out


def _clean_stale(outdir: Path, name: str) -> None:
    """Remove leftovers of a run that was killed outright (SIGKILL, power loss)."""
    if outdir.is_dir():
        _remove([*outdir.glob('.*.part.*'), *outdir.glob('.*.tmp')])


# In a worker process: whether it is running a unit now.
_working = False


def _on_interrupt(signum, frame) -> None:
    """Ctrl-C in a worker stops the unit it is running (the unit removes its
    temporary files and the parent is told); an idle or starting worker goes
    on until the parent, which is stopping the run, shuts the pool down."""
    if _working:
        raise KeyboardInterrupt


def _prepare_worker(formats: tuple[str, ...]) -> None:
    signal.signal(signal.SIGINT, _on_interrupt)
    from publish.render import prepare
    prepare(formats)


def _in_worker(fn: Callable, *args):
    """Run a unit in a worker, where Ctrl-C may interrupt it."""
    global _working
    _working = True
    try:
        return fn(*args)
    finally:
        _working = False


def _read_editions(split: dict[str, tuple[_Task, list[str]]]) -> dict[str, _Task]:
    """The tasks of split editions, each with its edition read once for all
    its units and the formats given to workers staged by their renderers
    (the PDF's HTML and font subsets made here, so that the worker only
    typesets; renderers injected for tests are not staged).  A task whose
    edition cannot be read is left as it was, and a format that cannot be
    staged is left out of ``staged``: the units do that work themselves and
    report the error."""
    from publish.render import get_stage

    out = {}
    for name, (t, pooled) in split.items():
        try:
            edition = _read_edition(t)
        except Exception:
            continue
        staged = {}
        for fmt in pooled if t.get_renderer is None else ():
            stage = get_stage(fmt)
            if stage is not None:
                try:
                    staged[fmt] = stage(edition.article, edition.layout)
                except Exception:
                    pass
        out[name] = dataclasses.replace(t, edition=dataclasses.replace(edition, staged=staged))
    return out


def _pool_failure(task: _Task, exc: BaseException) -> EditionResult:
    if isinstance(exc, BrokenProcessPool):
        return EditionResult(task.seed.name, 'failed', error=messages.msg(
            'build.worker_died', error=str(exc) or type(exc).__name__))
    return _internal(task.seed.name, exc)


def _finish(task: _Task, units: list[_Unit]) -> EditionResult:
    """Commit an edition whose formats were rendered by several workers."""
    try:
        failed = [u.failure for u in units if u.failure is not None]
        if failed:
            return failed[0]
        order = {f: i for i, f in enumerate(FORMATS)}
        rendered = sorted((r for u in units for r in u.rendered), key=lambda r: order.get(r[0], 99))
        try:
            return _commit(task, rendered, units[0].info)
        except Exception as exc:
            return _failure(task, exc)
    finally:
        _remove(p for u in units for _, p, _ in (u.rendered or ()))


class _Workers:
    """The run's worker processes, started when asked for; they import the
    renderers of the formats they are started for (WeasyPrint: a third of a
    second), so that they do it while this process still hashes inputs and
    reads articles."""

    def __init__(self):
        self.pool: ProcessPoolExecutor | None = None
        self.size = 0

    def fit(self, size: int, formats: tuple[str, ...]) -> ProcessPoolExecutor:
        """A pool of at least *size* workers: one started too small (rare: see
        :func:`build_all`) is shut down first."""
        if self.pool is not None and self.size < size:
            self.close()
        if self.pool is None:
            ctx = multiprocessing.get_context('fork' if sys.platform != 'win32' else 'spawn')
            self.pool = ProcessPoolExecutor(max_workers=size, mp_context=ctx,
                                            initializer=_prepare_worker, initargs=(formats,))
            self.size = size
            self.pool.submit(os.getpid)          # any call starts every worker
        return self.pool

    def close(self) -> None:
        """Stop the workers (after their current unit) and wait for them."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


def _run_pool(plan, jobs: int, workers: _Workers):
    """Run the plan; yield each edition's result as it completes.

    Whole editions and PDF units run in worker processes, which import
    WeasyPrint (a third of a second) as soon as they start.  When editions
    are split over workers, this process meanwhile reads each such article,
    once, for all its units, and renders the cheap units (DOCX, EPUB) itself,
    so a single article costs about the PDF's time and no more.
    """
    # biggest first: the slowest editions start early, and the pool ends together
    plan = sorted(plan, key=lambda u: (-u[0].seed.source.stat().st_size, u[0].seed.name))
    expected: dict[str, int] = {}
    for t, _ in plan:
        expected[t.seed.name] = expected.get(t.seed.name, 0) + 1
    pooled = [(t, fmts) for t, fmts in plan if fmts is None or 'pdf' in fmts]
    here = [(t, fmts) for t, fmts in plan if fmts is not None and 'pdf' not in fmts]
    if not pooled:                    # no PDF: the workers take everything
        pooled, here = plan, []
    collected: dict[str, list[_Unit]] = {}

    def finished(task: _Task, unit: _Unit) -> EditionResult | None:
        units = collected.setdefault(task.seed.name, [])
        units.append(unit)
        if len(units) < expected[task.seed.name]:
            return None
        del collected[task.seed.name]
        return _finish(task, units)

    # split editions, each with the formats its workers render
    split: dict[str, tuple[_Task, list[str]]] = {}
    for t, fmts in plan:
        if fmts is not None:
            split.setdefault(t.seed.name, (t, []))
    for t, fmts in pooled:
        if fmts is not None:
            split[t.seed.name][1].extend(fmts)

    formats = tuple(dict.fromkeys(f for t, fmts in pooled for f in (fmts or t.formats)))
    pool = workers.fit(min(jobs, len(pooled)), formats)
    futures = {}
    try:
        read = _read_editions(split)
        for t, fmts in pooled:
            t = read.get(t.seed.name, t)
            try:
                fut = (pool.submit(_in_worker, build_edition, t) if fmts is None
                       else pool.submit(_in_worker, render_unit, t, fmts))
            except BrokenProcessPool as exc:
                # a worker died before any work reached it (while
                # importing the renderers): every unit fails alike
                fut = Future()
                fut.set_exception(exc)
            futures[fut] = (t, fmts)
        for t, fmts in here:
            t = read.get(t.seed.name, t)
            result = finished(t, render_unit(t, fmts))
            if result:
                yield result
        for fut in as_completed(futures):
            t, fmts = futures[fut]
            try:
                out = fut.result()
            except Exception as exc:
                out = _pool_failure(t, exc)
                if fmts is not None:
                    out = _Unit(t.seed.name, failure=out)
            if fmts is None:
                yield out
                continue
            result = finished(t, out)
            if result:
                yield result
    finally:
        workers.close()
        # every worker has stopped: temporary files of units never collected
        # (an interrupt) or of a worker killed outright (out of memory, a
        # crash in a C library) go now
        for units in collected.values():
            _remove(p for u in units for _, p, _ in (u.rendered or ()))
        for t, _ in plan:
            _clean_stale(t.dist / t.seed.name, t.seed.name)
