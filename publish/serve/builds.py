"""Builds started from the pages: one at a time, in a thread, with their
progress and the failures they met, through :func:`publish.build.build_all`."""
from __future__ import annotations

import threading
from pathlib import Path

from .. import build, messages
from ..errors import PublishError
from ..render import FORMATS
from .sidecar import article_files


class Builds:
    """Builds run one at a time in a thread; their progress and failures are kept."""

    def __init__(self, root: Path):
        self.root = root
        self.lock = threading.Lock()
        self.done = 0
        self.total = 0
        self.running = False
        self.failures: dict[str, tuple[str, tuple]] = {}     # name -> (error, inputs' signature)

    def signature(self, name: str) -> tuple:
        out = []
        for path in article_files(self.root / build.SOURCE_DIR / f'{name}.txt'):
            try:
                st = path.stat()
                out.append((st.st_size, st.st_mtime_ns))
            except OSError:
                out.append(None)
        return tuple(out)

    def current_failures(self) -> dict[str, str]:
        return {name: error for name, (error, sig) in self.failures.items() if sig == self.signature(name)}

    def run(self, names_: list[str] | None, formats: tuple[str, ...] = FORMATS) -> build.BuildReport:
        """Build *formats* of the articles *names_* (None: all); one build at a time.

        One article is built in this process (WeasyPrint stays loaded from one
        build to the next); several in parallel processes."""
        with self.lock:
            self.running, self.done, self.total = True, 0, 0

            def progress(result, done, total):
                self.done, self.total = done, total
            try:
                report = build.build_all(self.root, formats=formats, names=names_,
                                         jobs=1 if names_ and len(names_) == 1 else None, progress=progress)
            finally:
                self.running = False
            for result in report.results:
                if result.status == 'failed':
                    self.failures[result.name] = (result.error, self.signature(result.name))
                elif set(formats) == set(FORMATS) or result.status == 'built':
                    self.failures.pop(result.name, None)
            return report

    def start(self, names_: list[str] | None, formats: tuple[str, ...]) -> None:
        """:meth:`run` in a thread of its own; a run-wide error is kept as every article's failure."""
        def work():
            try:
                self.run(names_, formats)
            except PublishError as exc:
                for name in names_ or []:
                    self.failures[name] = (messages.format_error(exc), self.signature(name))
        threading.Thread(target=work, daemon=True).start()
