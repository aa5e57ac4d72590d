"""Where the HTML-based renderers may read files from: the project, the
layout's folders and the shipped fonts, nothing else."""
from __future__ import annotations

import shutil
from pathlib import Path

from publish import fonts as _fonts
from publish.errors import RenderError
from publish.model import Figure


def project_folder(layout, article) -> Path | None:
    """The project root: the layout's, else the folder above the article's seeds/."""
    project = getattr(layout, 'project_root', None)
    if project is None and getattr(article, 'source_path', None) is not None:
        src = Path(article.source_path).resolve()
        project = src.parent.parent if src.parent.name == 'seeds' else src.parent
    return Path(project).resolve() if project is not None else None


def allowed_roots(layout, article) -> tuple[Path, ...]:
    roots = [_fonts.FONTS_DIR.resolve()]
    roots += [Path(d).resolve() for d in getattr(layout, 'dirs', ()) or ()]
    project = project_folder(layout, article)
    if project is not None:
        roots.append(project)
    return tuple(dict.fromkeys(roots))


def is_allowed(path: Path, roots: tuple[Path, ...]) -> bool:
    path = path.resolve()
    return any(path == r or r in path.parents for r in roots)


def figure_file(figure, layout, article) -> Path:
    """The figure's image file, resolved; relative paths are taken from the project root.
    An image outside the project (and layout) is refused."""
    p = Path(figure.path)
    if not p.is_absolute():
        base = project_folder(layout, article)
        if base is None:
            raise RenderError(f'figure {figure.number or ""} has the relative path {p} '
                              'but the project folder is unknown', article.source_path)
        p = base / p
    p = p.resolve()
    if not is_allowed(p, allowed_roots(layout, article)):
        raise RenderError('the picture is outside the project folder; copy it into the project', p)
    if not p.is_file():
        raise RenderError('picture not found', p)
    return p


def copy_figures(article, layout, folder: Path, types: set[str], refusal: str) -> list[Path]:
    """Copy the article's figures into *folder* as ``figure-01.png`` … in
    their order; the files written.  A picture whose suffix is not in *types*
    fails with *refusal* (what the edition takes)."""
    copies: list[Path] = []
    for block in article.blocks:
        if not isinstance(block, Figure):
            continue
        src = figure_file(block, layout, article)
        suffix = src.suffix.lower()
        if suffix not in types:
            raise RenderError(f'picture {src.name}: {refusal}', src)
        copy = folder / f'figure-{len(copies) + 1:02d}{suffix}'
        folder.mkdir(parents=True, exist_ok=True)
        try:
            shutil.copyfile(src, copy)
        except OSError as exc:
            raise RenderError(f'cannot read picture: {exc.strerror}', src) from None
        copies.append(copy)
    return copies
