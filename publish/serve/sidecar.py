"""Edits of ``seeds/NAME.yaml``, the sidecar the CLI reads.

The file is read and written with ruamel.yaml's round-trip mode, so a
person's comments, key order and quoting survive an edit made in the
browser.  A change is written to a temporary file beside the sidecar,
validated by the CLI's own reader (:func:`publish.config.load_sidecar`), and
only then renamed over it: a failed or invalid edit leaves the sidecar as it
was.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..config import ROLE_NAMES, SIDECAR_SUFFIXES, load_sidecar, sidecar_path
from ..model import HeadlineRole

HEADLINE_PARTS = tuple(role.value for role in HeadlineRole)
ROLES = tuple(name for name in ROLE_NAMES if name != 'author')
TEXT_FIELDS = ('publication', 'section')



def sidecar_of(source: Path) -> Path:
    """The article's sidecar, as the CLI finds it (``NAME.yaml`` or
    ``NAME.yml``); ``NAME.yaml`` when it has none yet."""
    return sidecar_path(source) or Path(source).with_suffix('.yaml')


def article_files(source: Path) -> tuple[Path, ...]:
    """The source and every file that may be its sidecar."""
    source = Path(source)
    return (source, *(source.with_suffix(s) for s in SIDECAR_SUFFIXES))

def _yaml() -> YAML:
    yaml = YAML()                      # round trip
    yaml.preserve_quotes = True
    yaml.width = 4096                  # never fold a long headline
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def read(path: Path) -> CommentedMap:
    """The sidecar's mapping (an empty one when there is no file or it is empty)."""
    if not path.exists():
        return CommentedMap()
    data = _yaml().load(path.read_text(encoding='utf-8-sig'))
    return data if isinstance(data, CommentedMap) else CommentedMap()


def write(path: Path, data: CommentedMap) -> None:
    """Write *data* to *path* atomically, after the CLI's reader has accepted it."""
    buffer = io.StringIO()
    _yaml().dump(data, buffer)
    text = buffer.getvalue() if data else ''
    fd, temp = tempfile.mkstemp(prefix=f'.{path.name}.', suffix='.yaml', dir=path.parent)
    try:
        with os.fdopen(fd, 'w', encoding='utf-8') as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        load_sidecar(Path(temp))
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def _line_list(data: CommentedMap, key: str) -> CommentedSeq:
    value = data.get(key)
    if not isinstance(value, CommentedSeq):
        value = CommentedSeq(value if isinstance(value, list) else [])
        value.fa.set_flow_style()
        data[key] = value
    return value


def set_decision(path: Path, lines: tuple[int, ...], join: bool) -> None:
    """Force a join (or a break) at the blank line known by any of *lines*:
    every earlier override of it is removed from ``join:`` and ``break:``
    and its first line number written into the one wanted.  A join takes
    the block below into the one above: a type given to it (``blocks:``)
    goes with it."""
    data = read(path)
    if join and isinstance(data.get('blocks'), CommentedMap):
        for line in lines:
            data['blocks'].pop(line, None)
        if not data['blocks']:
            del data['blocks']
    for key in ('join', 'break'):
        if key in data:
            seq = _line_list(data, key)
            for index in reversed(range(len(seq))):
                if seq[index] in lines:
                    del seq[index]
    target = _line_list(data, 'join' if join else 'break')
    target.append(lines[0])
    ordered = sorted(target)
    target[:] = ordered
    for key in ('join', 'break'):
        if key in data and not data[key]:
            del data[key]
    write(path, data)


def set_block_kind(path: Path, line: int, kind: str) -> None:
    """Give the block starting at source line *line* the type *kind* in
    ``blocks:`` (kept in line order), or with an empty *kind* take back the
    type given before: the block is then what it is recognised as."""
    data = read(path)
    blocks = data.get('blocks')
    if not isinstance(blocks, CommentedMap):
        blocks = CommentedMap()
    if kind:
        blocks[line] = kind
        for key in sorted((k for k in blocks if isinstance(k, int)), key=int):
            blocks.move_to_end(key)
    else:
        blocks.pop(line, None)
    _set(data, 'blocks', blocks if blocks else None)
    write(path, data)


def set_details(path: Path, publication: str, date: dt.date | None, section: str,
                headline: dict[str, str], contributors: list[dict[str, str]]) -> None:
    """Set (or, when empty, remove) the article's details; other keys stay as they are."""
    data = read(path)
    _set(data, 'publication', publication)
    _set(data, 'date', date)
    _set(data, 'section', section)
    parts = CommentedMap()
    old = data.get('headline') if isinstance(data.get('headline'), CommentedMap) else None
    for role in HEADLINE_PARTS:
        if headline.get(role):
            parts[role] = headline[role]
    if old is not None:
        for role in list(old):
            if role not in parts:
                del old[role]
        for role, text in parts.items():
            old[role] = text
        if not old:
            del data['headline']
    else:
        _set(data, 'headline', parts if parts else None)
    people = CommentedSeq()
    for person in contributors:
        entry = CommentedMap((k, person[k]) for k in ('name', 'role', 'title') if person.get(k))
        entry.fa.set_flow_style()
        people.append(entry)
    _set(data, 'contributors', people if people else None)
    write(path, data)


def add_figure(path: Path, file: str, caption: str, credit: str, alt: str, after: int | None) -> None:
    data = read(path)
    figures = data.get('figures')
    if not isinstance(figures, CommentedSeq):
        figures = CommentedSeq()
        data['figures'] = figures
    entry = CommentedMap([('file', file)])
    for key, value in (('caption', caption), ('credit', credit), ('alt', alt), ('after', after)):
        if value:
            entry[key] = value
    entry.fa.set_flow_style()
    figures.append(entry)
    write(path, data)


def _set(data: CommentedMap, key: str, value) -> None:
    if value in (None, '', [], {}):
        data.pop(key, None)
    else:
        data[key] = value
