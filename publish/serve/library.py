"""Every seed of the project with its headline, date and state."""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from .. import build
from ..errors import PublishError
from ..model import Headline, block_text
from . import decisions
from .sidecar import article_files
from .i18n import Translator


@dataclass(frozen=True)
class Entry:
    name: str
    headline: str
    date: str
    state: str               # 'ok' (up to date), 'stale' (needs building) or 'failed'
    error: str = ''          # the one-line error when failed
    uncertain: int = 0       # decisions a person should check


def headline_of(blocks) -> str:
    """The headline proper of an article's blocks (else its first headline line, else its first block)."""
    parts = [b for b in blocks if isinstance(b, Headline)]
    titled = [p.text for b in parts for p in b.parts if p.role.value == 'title']
    return (titled or [block_text(b) for b in parts] or [block_text(blocks[0])[:30]] if blocks else [''])[0]


def _inputs(source: Path) -> tuple:
    """What an article's summary depends on: its source and sidecar, by size and time."""
    out = []
    for path in article_files(source):
        try:
            st = path.stat()
            out.append((st.st_size, st.st_mtime_ns, st.st_ino))
        except OSError:
            out.append(None)
    return tuple(out)


@lru_cache(maxsize=1024)
def _summary(source: Path, root: Path, inputs: tuple, lang: str) -> Entry:
    """The article's entry without its build state; read again when *inputs* change."""
    name = source.stem
    try:
        proof = decisions.read(source, root)
        article, found = proof.article, proof.decisions
    except PublishError as exc:
        return Entry(name, '', '', 'failed', Translator(lang).error(exc))
    date = article.meta.date.isoformat() if article.meta.date else ''
    return Entry(name, headline_of(article.blocks), date, '', '', sum(1 for d in found if d.uncertain))


def entries(root: Path, t: Translator, failures: dict[str, str]) -> list[Entry]:
    """The library, sorted by name.  *failures*: the error of each edition whose last
    build in this server failed."""
    root = Path(root).resolve()
    try:
        todo = build.pending(root)
    except PublishError:
        return []
    out = []
    for name in sorted(todo):
        source = root / build.SOURCE_DIR / f'{name}.txt'
        entry = _summary(source, root, _inputs(source), t.lang)
        if entry.state != 'failed':
            if name in failures:
                entry = replace(entry, state='failed', error=failures[name])
            else:
                entry = replace(entry, state='stale' if todo[name] else 'ok')
        out.append(entry)
    return out
