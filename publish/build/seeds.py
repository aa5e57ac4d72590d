"""Which articles a run builds: ``seeds/NAME.txt``, each with its sidecar."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from publish import messages
from publish.config import SIDECAR_SUFFIXES
from publish.build.report import BuildAbort, display as _display

SOURCE_DIR = 'seeds'


@dataclass(frozen=True)
class Seed:
    name: str
    source: Path
    sidecar: Path | None


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
        # with two sidecars the first is hashed; reading the article reports both
        sidecars = [p.with_suffix(s) for s in SIDECAR_SUFFIXES if p.with_suffix(s).is_file()]
        out.append(Seed(p.stem, p, sidecars[0] if sidecars else None))
    return out
