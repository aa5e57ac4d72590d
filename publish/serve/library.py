"""Every seed of the project with its headline, date and state."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import build
from ..errors import PublishError
from ..model import Headline, block_text
from . import decisions
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


def entries(root: Path, t: Translator, failures: dict[str, str]) -> list[Entry]:
    """The library, sorted by name.  *failures*: the error of each edition whose last
    build in this server failed."""
    try:
        todo = build.pending(root)
    except PublishError:
        return []
    out = []
    for name in sorted(todo):
        source = Path(root) / build.SOURCE_DIR / f'{name}.txt'
        try:
            article, found = decisions.read(source, root)
        except PublishError as exc:
            out.append(Entry(name, '', '', 'failed', t.error(exc)))
            continue
        date = article.meta.date.isoformat() if article.meta.date else ''
        uncertain = sum(1 for d in found if d.uncertain)
        if name in failures:
            state, error = 'failed', failures[name]
        else:
            state, error = ('stale' if todo[name] else 'ok'), ''
        out.append(Entry(name, headline_of(article.blocks), date, state, error, uncertain))
    return out
