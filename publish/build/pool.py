"""The run's worker processes, and how editions are spread over them.

Whole editions and the units of writers that want a preloaded worker (the
PDF: importing WeasyPrint takes a third of a second) run in worker
processes, which import those writers' libraries as soon as they start.
With fewer editions than workers, an edition is split into units by the
writers' relative cost (:func:`plan`); this process then reads each such
article once, stages what the workers' writers can stage, and renders the
cheap units itself.
"""
from __future__ import annotations

import dataclasses
import multiprocessing
import os
import signal
import sys
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Callable

from publish import messages
from publish.build.edition import (_Task, _Unit, _commit, _failure,
                                   _internal, _read_edition, _remove, build_edition, render_unit,
                                   writer_of)
from publish.build.report import EditionResult
from publish.render import RenderOptions


def _cost(task: _Task, fmt: str) -> int:
    """The writer's relative cost, to split one edition over idle workers."""
    return writer_of(task, fmt).cost


def _preloads(task: _Task, fmt: str) -> bool:
    """Does the writer of *fmt* want a worker that imported its library?"""
    return writer_of(task, fmt).preload


def plan(tasks: list[_Task], jobs: int) -> list[tuple[_Task, tuple[str, ...] | None]]:
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
        for fmt in sorted(t.formats, key=lambda f: -_cost(t, f)):
            i = loads.index(min(loads))
            groups[i].append(fmt)
            loads[i] += _cost(t, fmt)
        out += [(t, tuple(f for f in t.formats if f in g)) for g in groups]
    return out


def clean_stale(outdir: Path) -> None:
    """Remove leftovers of a run that was killed outright (SIGKILL, power loss)."""
    if outdir.is_dir():
        _remove([*outdir.glob('.*.part'), *outdir.glob('.*.part.*'), *outdir.glob('.*.tmp'),
                 *outdir.glob('.*.old')])


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
    its units and the formats given to workers staged by their writers
    (:meth:`~publish.render.Writer.stage`: what needs no heavy library is
    made here while the workers still import theirs).  A task whose
    edition cannot be read is left as it was, and a format that cannot be
    staged is left out of ``staged``: the units do that work themselves and
    report the error."""
    out = {}
    for name, (t, pooled) in split.items():
        try:
            edition = _read_edition(t)
        except Exception:
            continue
        staged = {}
        for fmt in pooled:
            try:
                result = writer_of(t, fmt).stage(edition.article, edition.layout,
                                                 RenderOptions(timestamp=edition.timestamp))
            except Exception:
                continue
            if result is not None:
                staged[fmt] = result
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
        order = {f: i for i, f in enumerate(task.writers)}
        rendered = sorted((r for u in units for r in u.rendered), key=lambda r: order.get(r.fmt, 99))
        info = dict(units[0].info, warnings=[w for u in units for w in u.info.get('warnings', ())])
        try:
            return _commit(task, rendered, info)
        except Exception as exc:
            return _failure(task, exc)
    finally:
        _remove(u.work for u in units)


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


def run_pool(plan, jobs: int, workers: _Workers):
    """Run the plan; yield each edition's result as it completes.

    Whole editions and the units of preloading writers run in worker
    processes, which import those writers' libraries as soon as they start.
    When editions are split over workers, this process meanwhile reads each
    such article, once, for all its units, and renders the other units
    itself, so a single article costs about its slowest writer's time.
    """
    # biggest first: the slowest editions start early, and the pool ends together
    plan = sorted(plan, key=lambda u: (-u[0].seed.source.stat().st_size, u[0].seed.name))
    expected: dict[str, int] = {}
    for t, _ in plan:
        expected[t.seed.name] = expected.get(t.seed.name, 0) + 1
    def preloaded(t, fmts):
        return fmts is None or any(_preloads(t, f) for f in fmts)

    pooled = [(t, fmts) for t, fmts in plan if preloaded(t, fmts)]
    here = [(t, fmts) for t, fmts in plan if not preloaded(t, fmts)]
    if not pooled:                    # nothing worth a preloaded worker: the workers take everything
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
            _remove(u.work for u in units)
        for t, _ in plan:
            clean_stale(t.dist / t.seed.name)

