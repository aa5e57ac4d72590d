"""Build editions: discover seeds, skip what is up to date, render, write atomically.

Public entry points (the CLI stays thin and only prints what they return):

``build_all(project_root, formats=None, names=None, jobs=None, force=False,
layout=None, progress=None) -> BuildReport``
    Build *formats* (default: every writer of the table) of every
    ``seeds/*.txt`` (or only *names*) into ``dist/NAME/`` (each writer's
    output: ``NAME.pdf`` …).
    Raises :class:`~publish.errors.PublishError` only for problems that stop the
    whole run (no ``seeds/``, unknown article name, ``dist/`` not writable);
    everything that goes wrong in one edition is recorded in its
    :class:`EditionResult` and the other editions still build.

``discover(project_root, names=None) -> list[Seed]``

The build never names a format: what it needs to know of one (its output,
its cost, whether it wants a preloaded worker, whether it embeds the source)
it reads from the writers table, :data:`publish.render.WRITERS`.  Its parts:

``seeds``    which articles to build
``stamps``   file hashes, the key of an edition's inputs, the stamp of its last build
``edition``  one edition as a transaction (read, render into a work folder, commit)
``pool``     the worker processes and how editions are spread over them
``report``   the results and the run's summary

How one edition is built (:func:`build_edition`, run in a worker process when
``jobs > 1``; with fewer editions than workers an edition is split into units,
its PDF in a worker and its other formats in this process, see :func:`run_pool`;
the workers start, and import WeasyPrint, before the inputs are hashed when
some PDF is certainly to be built, see :class:`_Workers`):

1. ``publish.source.load_article(source, project_root)`` reads and normalizes
   the article (sidecar included); ``--layout`` overrides ``meta.layout``.
2. The edition timestamp is derived once by
   :func:`publish.timestamps.edition_timestamp` (edition date, else
   ``SOURCE_DATE_EPOCH``, else last commit, else 1980-01-01 UTC — never now)
   and given to every writer in its :class:`~publish.render.RenderOptions`.
3. Each format is written by its writer (``WRITERS[fmt]``)
   into a work folder in the edition folder (for a split edition, steps 1–2
   and the writers' ``stage()`` run once in this process, and the workers get
   the result).  Only when every requested format has been written are its
   files fsynced and ``os.replace()``d into place (a folder, such as the web
   page's, replaces the previous one whole), then ``manifest.json`` and the
   stamp are written the same way.  A failure (bad input, crash, full disk,
   Ctrl-C) removes the work folder and leaves the previous outputs untouched.
4. A writer that asks for attachments (the PDF) also receives the source
   text (raw bytes, relationship ``Source``) and the article's JSON
   (``Data``) to embed (PDF/A-3).

Incremental builds
    ``dist/.stamps/NAME.json`` records a hash of everything that shapes an
    edition: source and sidecar bytes, the images the article used, every file
    under ``layouts/`` and ``fonts/`` (the project's and the package's), the
    publish code (version and the hash of its modules), the versions of the
    rendering libraries, the ``--layout`` option and how the timestamp was
    chosen; plus size and mtime of each file written.  A format is rebuilt
    when any of these changed or its output is missing or was touched.
    Nothing heavy is imported for that check; file hashes are cached by
    (size, mtime, ctime, inode) in the user's cache folder
    (``$XDG_CACHE_HOME/publish/file-hashes.json``, default ``~/.cache``), so
    that a new ``dist/`` does not mean reading the 70 MB of fonts again.

Injection points for tests: ``loader`` (like ``load_article``),
``writers`` (a table like ``publish.render.WRITERS``) and ``layout_loader``
(``(name, project_root) -> layout``).  With ``jobs > 1`` they must be picklable
(module-level functions).
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable, Mapping

from publish import manifest as _manifest
from publish import messages
from publish.build.edition import _Task, article_json_bytes, build_edition, render_unit  # noqa: F401
from publish.build.pool import _Workers, clean_stale, plan, run_pool
from publish.build.report import BuildAbort, BuildReport, EditionResult, display as _display  # noqa: F401
from publish.build.seeds import SOURCE_DIR, Seed, discover  # noqa: F401
from publish.build.stamps import (HashCache, hash_cache_path, output_fresh, read_stamp,  # noqa: F401
                                  run_key, seed_key, stamp_valid)
from publish.build_lock import build_lock
from publish.manifest import STAMPS
from publish.render import FORMATS, WRITERS, Writer  # noqa: F401

DIST_DIR = 'dist'


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


def build_all(project_root: Path, formats=None, names=None, jobs: int | None = None,
              force: bool = False, layout: str | None = None,
              progress: Callable[[EditionResult | None, int, int], None] | None = None, *,
              dist: Path | None = None, wait: bool = True,
              on_wait: Callable[[str], None] | None = None, loader: Callable | None = None,
              writers: Mapping[str, Writer] | None = None,
              layout_loader: Callable | None = None) -> BuildReport:
    """Build *formats* of the seeds (all, or *names*) of *project_root*.

    One build at a time writes into a ``dist/`` folder
    (:mod:`publish.build_lock`): while another holds it, this one waits
    (*on_wait* is given a one-line notice first) or, without *wait*, stops
    with :class:`~publish.build_lock.BuildLocked`.

    *progress*, when given, is called as ``progress(None, 0, total)`` before
    the first edition and ``progress(result, done, total)`` after each one
    (in completion order).  The report lists results sorted by name.
    """
    root = Path(project_root).resolve()
    table = WRITERS if writers is None else writers
    formats = tuple(dict.fromkeys(formats if formats is not None else table))
    for fmt in formats:
        if fmt not in table:
            raise BuildAbort(messages.msg('build.unknown_format', fmt=fmt, choices=', '.join(table)))
    dist = Path(dist).resolve() if dist else root / DIST_DIR
    seeds = discover(root, names)
    _check_dist(dist)
    with build_lock(dist / STAMPS, _display(dist), wait=wait, on_wait=on_wait):
        return _build_locked(root, dist, seeds, formats, jobs, force, layout, progress,
                             loader=loader, writers=table, layout_loader=layout_loader)


def _build_locked(root: Path, dist: Path, seeds: list[Seed], formats: tuple[str, ...],
                  jobs: int | None, force: bool, layout: str | None, progress, *,
                  loader, writers, layout_loader) -> BuildReport:
    """:func:`build_all` once the seeds are known and the build lock held."""
    jobs = _default_jobs() if not jobs or jobs < 1 else jobs
    # Editions whose preloading writers (the PDF's) certainly run (never
    # built, or the output is gone): their workers start now and import the
    # writers' libraries (WeasyPrint) while the inputs are hashed.  Should the
    # hashes show more editions to build than workers started (a new seed
    # after a layout change), run_pool starts a pool of the right size.
    workers = _Workers()
    stamps = {s.name: read_stamp(dist, s.name) for s in seeds}
    preload = tuple(f for f in formats if writers[f].preload)
    if preload and jobs > 1:
        certain = [s for s in seeds if force or not all(
            output_fresh(stamps[s.name] or {}, dist, s.name, f) for f in preload)]
        if certain:
            workers.fit(min(jobs, len(certain)), preload)
    try:
        return _build(root, dist, seeds, stamps, formats, jobs, force, layout, progress,
                      workers=workers, loader=loader, writers=writers, layout_loader=layout_loader)
    finally:
        workers.close()


def _build(root: Path, dist: Path, seeds: list[Seed], stamps: dict[str, dict | None],
           formats: tuple[str, ...], jobs: int, force: bool, layout: str | None, progress, *,
           workers: _Workers,
           loader, writers, layout_loader) -> BuildReport:
    """:func:`build_all` once the seeds are known and the workers, if any, started."""
    cache = HashCache(hash_cache_path())
    versions = _manifest.library_versions()
    base = run_key(root, layout, versions, cache)
    fonts = _manifest.fonts_info(root)

    tasks: list[_Task] = []
    results: list[EditionResult] = []
    for seed in seeds:
        key, stamp, valid, todo = _to_build(seed, stamps[seed.name], base, cache, root, dist,
                                            formats, force)
        if not todo:
            results.append(EditionResult(seed.name, 'skipped'))
            continue
        tasks.append(_Task(seed=seed, project_root=root, dist=dist, formats=todo, layout=layout,
                           run_key=key, versions=versions, fonts=fonts,
                           previous=stamp if valid else None, loader=loader,
                           writers=writers, layout_loader=layout_loader))
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
            clean_stale(dist / t.seed.name)
        units = plan(tasks, jobs)
        if workers.pool is None and (jobs == 1 or len(units) == 1):
            for t in tasks:
                r = build_edition(t)
                results.append(r)
                done += 1
                if progress:
                    progress(r, done, total)
        else:
            for r in run_pool(units, jobs, workers):
                results.append(r)
                done += 1
                if progress:
                    progress(r, done, total)
        _manifest.write_index(dist)
    elif not (dist / _manifest.INDEX).is_file():
        _manifest.write_index(dist)

    results.sort(key=lambda r: r.name)
    return BuildReport(results, root, dist)


def _to_build(seed: Seed, stamp: dict | None, base: str, cache: HashCache, root: Path, dist: Path,
              formats: tuple[str, ...], force: bool):
    """The seed's key, its *stamp* (as read), whether the stamp still holds,
    and the formats to build."""
    key = seed_key(seed, base, cache)
    valid = stamp_valid(stamp, key, seed, root, cache)
    if force or not valid:
        return key, stamp, valid, formats
    return key, stamp, valid, tuple(f for f in formats if not output_fresh(stamp, dist, seed.name, f))


def pending(project_root: Path, names=None, formats=None,
            layout: str | None = None) -> dict[str, tuple[str, ...]]:
    """For every seed (or *names*): the formats that :func:`build_all` would
    build now (all of :data:`WRITERS` unless *formats* is given); an empty
    tuple means the edition is up to date.  Builds nothing."""
    root = Path(project_root).resolve()
    dist = root / DIST_DIR
    seeds = discover(root, names)
    cache = HashCache(hash_cache_path())
    base = run_key(root, layout, _manifest.library_versions(), cache)
    wanted = tuple(formats if formats is not None else WRITERS)
    todo = {seed.name: _to_build(seed, read_stamp(dist, seed.name), base, cache, root, dist,
                                 wanted, False)[3]
            for seed in seeds}
    cache.save()
    return todo
