"""Layouts: folders of Jinja2 templates and CSS for the HTML-based editions.

A layout is named by its folder.  ``layouts/NAME/`` in the project (the
folder holding ``seeds/``) is searched first, then ``layouts/NAME/`` shipped
with publish, then the shipped ``layouts/default/``; a project layout only
needs the files it changes.  ``article.html`` is the body template shared by
the HTML-based editions (:mod:`publish.render.html_body` fills it); each
edition's stylesheet is named after it (``pdf.css``, ``epub.css`` …).

Templates run with autoescape and :class:`jinja2.StrictUndefined`.  A missing
layout or template, or a template that does not compile, is a
:class:`~publish.errors.LayoutError` naming the file (and line) and the places
searched.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from publish.errors import LayoutError

#: Layouts shipped with publish.
PACKAGE_LAYOUTS = Path(__file__).resolve().parent.parent / 'layouts'
DEFAULT = 'default'
BODY_TEMPLATE = 'article.html'


@dataclass(frozen=True)
class Layout:
    """A resolved layout: its name and the folders searched for its files, in order."""

    name: str
    dirs: tuple[Path, ...]
    project_root: Path | None = None
    _env: list = field(default_factory=list, compare=False, repr=False)

    # -- lookup -----------------------------------------------------------------

    @property
    def path(self) -> Path:
        """The layout's own folder (the first searched that exists)."""
        return self.dirs[0]

    def find(self, filename: str) -> Path:
        """The first *filename* found in the layout's folders."""
        for d in self.dirs:
            candidate = d / filename
            if candidate.is_file():
                return candidate
        raise LayoutError(
            f'layout {self.name!r} has no {filename}; searched {self._searched()}',
            self.dirs[0] / filename)

    def read_text(self, filename: str) -> str:
        found = self.find(filename)
        try:
            return found.read_text(encoding='utf-8')
        except (OSError, UnicodeDecodeError) as exc:
            raise LayoutError(f'cannot read {filename}: {exc}', found) from None

    def _searched(self) -> str:
        return ', '.join(str(d) for d in self.dirs)

    # -- templates --------------------------------------------------------------

    @property
    def env(self):
        if not self._env:
            import jinja2
            env = jinja2.Environment(
                loader=jinja2.FileSystemLoader([str(d) for d in self.dirs]),
                autoescape=True,
                undefined=jinja2.StrictUndefined,
                trim_blocks=True,
                lstrip_blocks=True,
                keep_trailing_newline=True,
                bytecode_cache=_bytecode_cache(),
            )
            self._env.append(env)
        return self._env[0]

    def template(self, name: str):
        """The compiled template *name*, looked up layout-first."""
        import jinja2
        try:
            return self.env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            raise LayoutError(
                f'template {name} of layout {self.name!r} does not compile: {exc.message}',
                exc.filename or name, exc.lineno) from None
        except jinja2.TemplateNotFound as exc:
            missing = exc.name if exc.name else name
            raise LayoutError(
                f'template {missing} not found in layout {self.name!r}; searched {self._searched()}',
                self.dirs[0] / str(missing)) from None

    def render_template(self, name: str, **context: Any) -> str:
        """Render template *name*; failures while rendering become LayoutError with file and line."""
        import jinja2
        tmpl = self.template(name)
        try:
            return tmpl.render(**context)
        except jinja2.TemplateSyntaxError as exc:      # from an {% include %} compiled late
            raise LayoutError(f'template {exc.name or name} does not compile: {exc.message}',
                              exc.filename or name, exc.lineno) from None
        except jinja2.TemplateNotFound as exc:
            raise LayoutError(
                f'template {exc.name} (used by {name}) not found in layout {self.name!r}; '
                f'searched {self._searched()}', self.dirs[0] / str(exc.name)) from None
        except jinja2.UndefinedError as exc:
            path, line = _template_location(exc, tmpl)
            raise LayoutError(f'template {name}: {exc.message}', path, line) from None

    # -- pickling (the build runs renderers in worker processes) ----------------

    def __getstate__(self):
        return {'name': self.name, 'dirs': self.dirs, 'project_root': self.project_root}

    def __setstate__(self, state):
        object.__setattr__(self, 'name', state['name'])
        object.__setattr__(self, 'dirs', state['dirs'])
        object.__setattr__(self, 'project_root', state['project_root'])
        object.__setattr__(self, '_env', [])


def _bytecode_cache():
    """Compiled templates kept in the user's cache folder (``templates/``),
    keyed by each template's path and source, so that a run does not compile
    the layout's templates again (0.15 s of the seed's build).  None when
    there is no cache folder to write."""
    import jinja2
    from publish.cachedir import cache_folder
    folder = cache_folder()
    if folder is None:
        return None
    try:
        (folder / 'templates').mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder / 'templates'))


def _template_location(exc: BaseException, tmpl) -> tuple[str | None, int | None]:
    """File and line of the innermost template frame of a rendering error."""
    tb = exc.__traceback__
    found: tuple[str | None, int | None] = (tmpl.filename, None)
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_filename.endswith(('.html', '.xhtml', '.j2', '.jinja')) or code.co_name in ('root', 'top-level template code'):
            found = (code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def layout_dirs(name: str, project_root: Path | str | None = None) -> tuple[Path, ...]:
    """The folders searched for layout *name*, most specific first (only existing ones)."""
    candidates = []
    if project_root is not None:
        candidates.append(Path(project_root) / 'layouts' / name)
    candidates.append(PACKAGE_LAYOUTS / name)
    candidates.append(PACKAGE_LAYOUTS / DEFAULT)
    out: list[Path] = []
    for c in candidates:
        c = c.resolve()
        if c.is_dir() and c not in out:
            out.append(c)
    return tuple(out)


def load_layout(name: str = DEFAULT, project_root: Path | str | None = None) -> Layout:
    """The layout *name*: ``<project_root>/layouts/NAME`` first, then the shipped one.

    Raises :class:`LayoutError` naming the places searched when neither exists.
    """
    if not name or '/' in name or '\\' in name or name in ('.', '..'):
        raise LayoutError(f'layout name {name!r} is not a folder name')
    root = Path(project_root).resolve() if project_root is not None else None
    own = []
    if root is not None:
        own.append(root / 'layouts' / name)
    own.append(PACKAGE_LAYOUTS / name)
    if not any(p.is_dir() for p in own):
        raise LayoutError(
            f'layout {name!r} not found; searched {", ".join(str(p) for p in own)}', own[0])
    return Layout(name=name, dirs=layout_dirs(name, root), project_root=root)
