"""The optional sidecar ``seeds/NAME.yaml`` (or ``NAME.yml``): what the text cannot say.

Validated once into a frozen :class:`Sidecar`; every error names the file and
the line (and column for YAML syntax errors).  Keys:

    publication: 人民日报          # name of the paper
    date: 2019-02-01              # edition date (YYYY-MM-DD)
    section: 要闻                  # section name
    page: "04"                    # page
    language: zh-CN
    layout: default               # a folder in layouts/
    keywords: [党建, 二七区]
    headline:                     # headline parts, overriding what was recognised
      banner: …
      kicker: …
      title: …
      subtitle: …
    contributors:                 # replaces the contributors read from the byline
      - {name: 景静, role: writer, title: 记者}
      - {name: 胡源浩, role: photographer}
    figures:
      - {file: photo.jpg, caption: …, credit: …, alt: …, after: 3}
    join: [12]                    # source lines: force a join at this blank line
    break: [40]                   # source lines: force a paragraph break here
    blocks: {14: byline}          # source lines: the type of the block starting there

A line number in ``join``/``break`` may be the blank line itself or the first
line of the block below it (``publish normalize --explain`` lists both).  A
line number in ``blocks`` is the first line of a block of the article (after
``join``/``break``); the types are those of
:data:`publish.model.KINDS`.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .model import KINDS, Contributor, HeadlineRole, Role
from .yamlio import safe_loader

#: The sidecar of ``seeds/NAME.txt`` is ``NAME`` with one of these suffixes.
SIDECAR_SUFFIXES = ('.yaml', '.yml')


def sidecar_path(source: Path) -> Path | None:
    """The sidecar beside *source*, or None when it has none.  Two sidecars
    (``NAME.yaml`` and ``NAME.yml``) are a :class:`ConfigError`: which one is
    meant cannot be known."""
    found = [p for p in (Path(source).with_suffix(s) for s in SIDECAR_SUFFIXES) if p.is_file()]
    if len(found) > 1:
        err = ConfigError(f'two sidecars for one article: {found[0].name} and {found[1].name}; '
                          f'keep one of them', found[1])
        err.key, err.params = 'config.two_sidecars', {'first': found[0].name, 'second': found[1].name}
        raise err
    return found[0] if found else None


ROLE_NAMES = {'writer': Role.WRITER, 'author': Role.WRITER, 'photographer': Role.PHOTOGRAPHER,
              'illustrator': Role.ILLUSTRATOR, 'editor': Role.EDITOR, 'translator': Role.TRANSLATOR}


@dataclass(frozen=True)
class FigureSpec:
    file: str
    caption: str = ''
    credit: str = ''
    alt: str = ''
    after: int | str | None = None     # block number (1-based) or text the figure follows
    line: int = 0                      # where it stands in the sidecar


@dataclass(frozen=True)
class BlockKind:
    """``blocks: {14: byline}``: the block starting at source line 14 is a byline."""
    line: int                          # the source line the block starts at
    kind: str                          # one of KINDS
    at: int = 0                        # where it stands in the sidecar


@dataclass(frozen=True)
class Sidecar:
    path: Path | None = None
    publication: str = ''
    date: dt.date | None = None
    section: str = ''
    page: str = ''
    language: str = 'zh-CN'
    layout: str | None = None
    keywords: tuple[str, ...] = ()
    headline: tuple[tuple[HeadlineRole, str], ...] = ()
    contributors: tuple[Contributor, ...] | None = None
    figures: tuple[FigureSpec, ...] = ()
    join: frozenset[int] = frozenset()
    breaks: frozenset[int] = frozenset()
    blocks: tuple[BlockKind, ...] = ()

    @property
    def kinds(self) -> dict[int, str]:
        """Source line → the type its block is given."""
        return {b.line: b.kind for b in self.blocks}


def load_sidecar(path: Path) -> Sidecar:
    """Read and validate a sidecar; a missing file gives the empty sidecar."""
    if not path.exists():
        return Sidecar()
    import yaml
    try:
        text = path.read_text(encoding='utf-8-sig')
    except UnicodeDecodeError:
        raise ConfigError('the sidecar is not UTF-8 text', path) from None
    try:
        root = yaml.compose(text, Loader=safe_loader())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        problem = exc.problem or 'YAML syntax error'
        raise ConfigError(f'YAML syntax error: {problem}', path,
                          mark.line + 1 if mark else None, mark.column + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise ConfigError(f'YAML error: {exc}', path) from None
    if root is None:
        return Sidecar(path=path)
    return _Reader(path).sidecar(root)


class _Reader:
    """Walks the YAML node tree so that every error knows its line."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, node: Any, message: str) -> ConfigError:
        return ConfigError(message, self.path, node.start_mark.line + 1)

    def mapping(self, node: Any, what: str) -> dict[str, tuple[Any, Any]]:
        import yaml
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f'{what} must be a mapping of keys to values')
        out: dict[str, tuple[Any, Any]] = {}
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                raise self.fail(key, f'{what}: keys must be plain words')
            if key.value in out:
                raise self.fail(key, f'{what}: key "{key.value}" appears twice')
            out[key.value] = (key, value)
        return out

    def scalar(self, node: Any, key: str) -> str:
        import yaml
        if not isinstance(node, yaml.ScalarNode):
            raise self.fail(node, f'"{key}" must be a single value, not a list or mapping')
        return node.value

    def string(self, node: Any, key: str) -> str:
        value = self.scalar(node, key)
        if node.tag.endswith(':null'):
            return ''
        return value.strip()

    def integer(self, node: Any, key: str) -> int:
        value = self.scalar(node, key)
        try:
            number = int(value)
        except ValueError:
            raise self.fail(node, f'"{key}" must be a whole number, not "{value}"') from None
        if number < 1:
            raise self.fail(node, f'"{key}" must be 1 or more, not {number}')
        return number

    def sequence(self, node: Any, key: str) -> list[Any]:
        import yaml
        if isinstance(node, yaml.ScalarNode) and node.tag.endswith(':null'):
            return []
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, f'"{key}" must be a list')
        return list(node.value)

    def sidecar(self, root: Any) -> Sidecar:
        fields: dict[str, Any] = {'path': self.path}
        readers = {
            'publication': self.string, 'section': self.string, 'page': self.string,
            'language': self.language, 'layout': self.layout, 'date': self.date,
            'keywords': lambda n, k: tuple(self.string(x, k) for x in self.sequence(n, k)),
            'headline': self.headline, 'contributors': self.contributors, 'figures': self.figures,
            'join': lambda n, k: frozenset(self.integer(x, k) for x in self.sequence(n, k)),
            'break': lambda n, k: frozenset(self.integer(x, k) for x in self.sequence(n, k)),
            'blocks': self.block_kinds,
        }
        for key, (key_node, value) in self.mapping(root, 'the sidecar').items():
            if key not in readers:
                known = ', '.join(sorted(readers))
                raise self.fail(key_node, f'unknown key "{key}" (known keys: {known})')
            fields['breaks' if key == 'break' else key] = readers[key](value, key)
        return Sidecar(**fields)

    def date(self, node: Any, key: str) -> dt.date:
        value = self.scalar(node, key)
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise self.fail(node, f'"date" must be a date like 2019-02-01, not "{value}"') from None

    def language(self, node: Any, key: str) -> str:
        import re
        value = self.string(node, key)
        if not re.fullmatch(r'[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*', value):
            raise self.fail(node, f'"language" must be a language tag like zh-CN, not "{value}"')
        return value

    def layout(self, node: Any, key: str) -> str:
        import re
        value = self.string(node, key)
        if not re.fullmatch(r'[A-Za-z0-9_.-]+', value) or value.startswith('.'):
            raise self.fail(node, f'"layout" must be the name of a folder in layouts/, not "{value}"')
        return value

    def headline(self, node: Any, key: str) -> tuple[tuple[HeadlineRole, str], ...]:
        parts = []
        roles = {r.value: r for r in HeadlineRole}
        for name, (name_node, value) in self.mapping(node, '"headline"').items():
            if name not in roles:
                raise self.fail(name_node, f'unknown headline part "{name}" (known: {", ".join(roles)})')
            parts.append((roles[name], self.string(value, f'headline.{name}')))
        return tuple(parts)

    def block_kinds(self, node: Any, key: str) -> tuple[BlockKind, ...]:
        import yaml
        if isinstance(node, yaml.ScalarNode) and node.tag.endswith(':null'):
            return ()
        out: list[BlockKind] = []
        for number, (line_node, value) in self.mapping(node, '"blocks"').items():
            line = self.integer(line_node, 'blocks')
            if any(b.line == line for b in out):
                raise self.fail(line_node, f'"blocks": line {line} appears twice')
            kind = self.string(value, f'blocks.{number}')
            if kind not in KINDS:
                raise self.fail(value, f'"blocks": unknown block type "{kind}" for line {line} '
                                       f'(known: {", ".join(KINDS)})')
            out.append(BlockKind(line, kind, value.start_mark.line + 1))
        return tuple(out)

    def contributors(self, node: Any, key: str) -> tuple[Contributor, ...]:
        people = []
        for item in self.sequence(node, key):
            entry = self.mapping(item, 'a contributor')
            unknown = set(entry) - {'name', 'role', 'title'}
            if unknown:
                name = sorted(unknown)[0]
                raise self.fail(entry[name][0], f'unknown contributor key "{name}" (known: name, role, title)')
            if 'name' not in entry:
                raise self.fail(item, 'a contributor needs a "name"')
            role = Role.WRITER
            if 'role' in entry:
                word = self.string(entry['role'][1], 'role').lower()
                if word not in ROLE_NAMES:
                    raise self.fail(entry['role'][1], f'unknown role "{word}" (known: {", ".join(ROLE_NAMES)})')
                role = ROLE_NAMES[word]
            title = self.string(entry['title'][1], 'title') if 'title' in entry else ''
            people.append(Contributor(self.string(entry['name'][1], 'name'), role, title))
        return tuple(people)

    def figures(self, node: Any, key: str) -> tuple[FigureSpec, ...]:
        figures = []
        for item in self.sequence(node, key):
            entry = self.mapping(item, 'a figure')
            unknown = set(entry) - {'file', 'caption', 'credit', 'alt', 'after'}
            if unknown:
                name = sorted(unknown)[0]
                raise self.fail(entry[name][0],
                                f'unknown figure key "{name}" (known: file, caption, credit, alt, after)')
            if 'file' not in entry:
                raise self.fail(item, 'a figure needs a "file"')
            after: int | str | None = None
            if 'after' in entry:
                value = entry['after'][1]
                after = (self.integer(value, 'after') if value.tag.endswith(':int')
                         else self.string(value, 'after'))
            figures.append(FigureSpec(
                file=self.string(entry['file'][1], 'file'),
                caption=self.string(entry['caption'][1], 'caption') if 'caption' in entry else '',
                credit=self.string(entry['credit'][1], 'credit') if 'credit' in entry else '',
                alt=self.string(entry['alt'][1], 'alt') if 'alt' in entry else '',
                after=after, line=item.start_mark.line + 1))
        return tuple(figures)
