"""What a build run reports: one result per edition, and the run's summary."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from publish import messages
from publish.errors import PublishError


class BuildAbort(PublishError):
    """A problem that stops the whole run (not one edition)."""


@dataclass
class EditionResult:
    name: str
    status: str                     # 'built', 'skipped' or 'failed'
    formats: tuple[str, ...] = ()   # formats written this run
    files: tuple[str, ...] = ()     # paths written (relative to the project when possible)
    error: str = ''                 # one translated line when failed
    traceback: str = ''             # for internal errors (bugs) only
    internal: bool = False
    warnings: tuple[tuple[str, str, str], ...] = ()   # (path, English, Chinese) the writers warned of

    def warning_lines(self, lang: str | None = None) -> list[str]:
        """The writers' warnings, one translated line each, naming the file."""
        chinese = (lang or messages.language()) == 'zh'
        return [messages.msg('build.warning', lang, path=path, text=zh if chinese else en)
                for path, en, zh in self.warnings]


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



def display(path: Path) -> str:
    """*path* relative to the current folder when it is inside it."""
    try:
        p = Path(path).absolute()
        rel = p.relative_to(Path.cwd())
        return str(rel)
    except ValueError:
        return str(path)
