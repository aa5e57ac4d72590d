"""Layouts: folders of Jinja2 templates and CSS for the HTML-based editions.

A layout is named by its folder.  ``layouts/NAME/`` in the project (the
folder holding ``seeds/``) is searched first, then ``layouts/NAME/`` shipped
with publish, then the shipped ``layouts/default/``; a project layout only
needs the files it changes.  ``article.html`` is the body template shared by
the PDF and EPUB editions; ``pdf.css`` and ``epub.css`` style them.

Templates run with autoescape and :class:`jinja2.StrictUndefined`.  A missing
layout or template, or a template that does not compile, is a
:class:`~publish.errors.LayoutError` naming the file (and line) and the places
searched.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from publish import __version__
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

    def render_body(self, article, *, target: str,
                    image_url: Callable[[Any], str] = lambda fig: str(fig.path),
                    stylesheets: tuple[str, ...] = (), inline_css: str = '') -> str:
        """The article as one HTML document, for *target* ``'pdf'`` or ``'epub'``.

        Every block must be one of :data:`publish.model.BLOCK_TYPES`; anything
        else raises ``TypeError``.
        """
        return self.render_template(BODY_TEMPLATE, **body_context(
            article, target=target, image_url=image_url,
            stylesheets=stylesheets, inline_css=inline_css))

    # -- pickling (the build runs renderers in worker processes) ----------------

    def __getstate__(self):
        return {'name': self.name, 'dirs': self.dirs, 'project_root': self.project_root}

    def __setstate__(self, state):
        object.__setattr__(self, 'name', state['name'])
        object.__setattr__(self, 'dirs', state['dirs'])
        object.__setattr__(self, 'project_root', state['project_root'])
        object.__setattr__(self, '_env', [])


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


# ------------------------------------------------------------------ context

def _date_text(d: _dt.date | None) -> str:
    return f'{d.year}年{d.month}月{d.day}日' if d else ''


def body_context(article, *, target: str, image_url: Callable[[Any], str],
                 stylesheets: tuple[str, ...] = (), inline_css: str = '') -> dict:
    """The variables ``article.html`` sees.  Blocks become plain dicts with a ``type``."""
    from publish.model import BLOCK_TYPES

    meta = article.meta
    blocks = []
    for n, block in enumerate(article.blocks, 1):
        if not isinstance(block, BLOCK_TYPES):
            raise TypeError(f'block {n} has unknown type {type(block).__name__}; '
                            f'a renderer handles only {", ".join(t.__name__ for t in BLOCK_TYPES)}')
        blocks.append(_block_dict(block, n, image_url))
    header = ' · '.join(x for x in (meta.publication, _date_text(meta.date)) if x)
    timestamp = meta.timestamp
    return {
        'target': target,
        'lang': meta.language or 'zh-CN',
        'title': article.title,
        'kicker': article.kicker,
        'subtitle': article.subtitle,
        'description': article.kicker or article.subtitle,
        'keywords': ', '.join(meta.keywords),
        'authors': [c.name for c in article.contributors],
        'created': _iso(timestamp),
        'publication': meta.publication,
        'date_text': _date_text(meta.date),
        'running_header': header,
        'section': meta.section,
        'blocks': blocks,
        'generator': f'publish {__version__}',
        'stylesheets': list(stylesheets),
        'inline_css': inline_css,
    }


def _iso(ts: _dt.datetime | None) -> str:
    if ts is None:
        return ''
    if ts.tzinfo is not None:
        ts = ts.astimezone(_dt.timezone.utc).replace(tzinfo=None)
        return ts.isoformat(timespec='seconds') + 'Z'
    return ts.isoformat(timespec='seconds')


_HEADLINE_BREAKS = '，；：！？ \u3000'


def headline_lines(text: str, longer_than: int = 16) -> list[str]:
    """A long headline cut into two lines after the punctuation (or space)
    nearest its middle, as newspapers set it; short ones stay one line.
    The lines joined give the text back unchanged."""
    if len(text) <= longer_than:
        return [text]
    middle = len(text) / 2
    cuts = [i + 1 for i, ch in enumerate(text[:-1]) if ch in _HEADLINE_BREAKS]
    cuts = [c for c in cuts if len(text) * 0.25 <= c <= len(text) * 0.75]
    if not cuts:
        return [text]
    cut = min(cuts, key=lambda c: abs(c - middle))
    return [text[:cut], text[cut:]]


def _headline_part(part) -> dict:
    lines = headline_lines(part.text)
    return {'role': part.role.value, 'text': part.text, 'lines': lines,
            'longest': max(len(line.strip()) for line in lines)}


def _block_dict(block, n: int, image_url) -> dict:
    from publish import model as m

    if isinstance(block, m.Headline):
        return {'type': 'headline', 'n': n,
                'parts': [_headline_part(p) for p in block.parts]}
    if isinstance(block, m.Byline):
        return {'type': 'byline', 'n': n, 'lines': list(block.lines)}
    if isinstance(block, m.Paragraph):
        return {'type': 'paragraph', 'n': n, 'text': block.text, 'lead': block.lead,
                'dateline': block.dateline, 'dateline_separator': block.dateline_separator,
                'run_in': block.run_in.text if block.run_in else '',
                'run_in_separator': block.run_in.separator if block.run_in else ''}
    if isinstance(block, m.QAHead):
        return {'type': 'qa', 'n': n, 'kind': block.kind.value, 'text': block.text}
    if isinstance(block, m.Subhead):
        return {'type': 'subhead', 'n': n, 'text': block.text}
    if isinstance(block, m.Caption):
        return {'type': 'caption', 'n': n, 'text': block.text, 'credit': block.credit}
    if isinstance(block, m.EditorNote):
        return {'type': 'editor_note', 'n': n, 'text': block.text}
    if isinstance(block, m.Figure):
        return {'type': 'figure', 'n': n, 'src': image_url(block), 'alt': block.alt or block.caption,
                'caption': block.caption, 'credit': block.credit, 'number': block.number}
    raise TypeError(f'block {n} has unknown type {type(block).__name__}')
