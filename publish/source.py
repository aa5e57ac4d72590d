"""Reading a seed: its text (encoding detected, not assumed), its sidecar, and
the article built from both."""
from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from .config import FigureSpec, Sidecar, load_sidecar, sidecar_path
from .errors import ConfigError, SourceError
from .normalize.breaks import Decision
from .model import (Article, Block, Figure, Headline, HeadlinePart, HeadlineRole, Meta,
                    block_text)

IMAGE_SUFFIXES = {'.jpg': 'JPEG', '.jpeg': 'JPEG', '.png': 'PNG'}
_MAGIC = {'JPEG': b'\xff\xd8\xff', 'PNG': b'\x89PNG\r\n\x1a\n'}


def decode(data: bytes, path: Path) -> str:
    """Bytes → text.  UTF-8 (with or without BOM), UTF-16 with BOM and
    GB18030/GBK are recognised; anything else is refused."""
    if data.startswith(codecs.BOM_UTF8):
        encodings = ['utf-8-sig']
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ['utf-16']
    else:
        if b'\x00' in data:
            raise SourceError('this is a binary file, not text', path)
        encodings = ['utf-8', 'gb18030']
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            break
        return text
    raise SourceError('cannot read this file as text (not UTF-8, UTF-16 or GB18030)', path)


def _looks_binary(text: str) -> bool:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in '\n\r\t\f')
    return controls > max(8, len(text) // 100)


def read_source(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f'cannot read the file: {exc.strerror}', path) from None
    text = decode(data, path)
    if not text.strip():
        raise SourceError('the file is empty' if not text else 'the file holds only whitespace', path)
    return text


def load_article(source: Path, project_root: Path | None = None,
                 sidecar: Sidecar | None = None) -> Article:
    """Read ``source`` (and its sidecar) and build the article."""
    return load(source, project_root, sidecar)[0]


def load(source: Path, project_root: Path | None = None,
         sidecar: Sidecar | None = None) -> tuple[Article, tuple[Decision, ...]]:
    """The article and the normalizer's decision at every blank line."""
    seed = read(source, project_root, sidecar)
    return seed.article, seed.decisions


@dataclass(frozen=True)
class Seed:
    """A seed read once: its text, its article, the normalizer's decision at
    every blank line, and the source line each block of the article starts
    at (None for what the sidecar added: a figure, a headline part)."""
    text: str
    article: Article
    decisions: tuple[Decision, ...]
    block_lines: tuple[int | None, ...]
    sidecar: Sidecar


def read(source: Path, project_root: Path | None = None, sidecar: Sidecar | None = None) -> Seed:
    """Read ``source`` (and its sidecar) and build the article."""
    from .normalize import normalize_text
    source = Path(source)
    root = Path(project_root) if project_root else source.parent.parent
    if sidecar is None:
        path = sidecar_path(source)
        sidecar = load_sidecar(path) if path else Sidecar()
    text = read_source(source)
    normalized = normalize_text(text, sidecar.join, sidecar.breaks, sidecar.kinds)
    _check_block_lines(sidecar, normalized.lines)
    placed: list[tuple[Block, int | None]] = list(zip(normalized.blocks, normalized.lines))
    if sidecar.headline:
        placed = _override_headline(placed, sidecar.headline)
    placed = _place_figures(placed, sidecar, source.parent, root)
    blocks = [b for b, _ in placed]
    contributors = sidecar.contributors
    if contributors is None:
        contributors = tuple(c for b in blocks if hasattr(b, 'contributors') for c in b.contributors)
    meta = Meta(publication=sidecar.publication, date=sidecar.date, section=sidecar.section,
                page=sidecar.page, language=sidecar.language, layout=sidecar.layout or 'default',
                keywords=sidecar.keywords)
    article = Article(name=source.stem, blocks=tuple(blocks), meta=meta,
                      contributors=_unique(contributors), source_path=source)
    return Seed(text, article, normalized.decisions, tuple(line for _, line in placed), sidecar)


def _check_block_lines(sidecar: Sidecar, starts: tuple[int, ...]) -> None:
    """Every line of the sidecar's ``blocks:`` starts a block of the article."""
    for given in sidecar.blocks:
        if given.line in starts:
            continue
        before = [n for n in starts if n < given.line][-1:]
        after = [n for n in starts if n > given.line][:1]
        near = ', '.join(str(n) for n in before + after)
        raise ConfigError(f'"blocks": no block starts at line {given.line} of the source '
                          f'(the nearest blocks start at lines {near})', sidecar.path, given.at)


def _unique(people):
    seen, out = set(), []
    for person in people:
        if person not in seen:
            seen.add(person)
            out.append(person)
    return tuple(out)


def _override_headline(placed: list[tuple[Block, int | None]],
                       parts: tuple[tuple[HeadlineRole, str], ...]) -> list[tuple[Block, int | None]]:
    """Give recognised headline lines the roles the sidecar names; a part whose
    text is not in the headline area is added to it.  Each block comes with
    the source line it starts at (None for a part added here)."""
    wanted = {text: role for role, text in parts}
    out: list[tuple[Block, int | None]] = []
    found: set[str] = set()
    for block, line in placed:
        if isinstance(block, Headline):
            new_parts = []
            for part in block.parts:
                role = wanted.get(part.text, part.role)
                found.add(part.text)
                new_parts.append(HeadlinePart(role, part.text))
            whole = block.text
            if whole in wanted and len(block.parts) > 1:
                new_parts = [HeadlinePart(wanted[whole], whole)]
                found.add(whole)
            block = Headline(tuple(new_parts))
        out.append((block, line))
    order = list(HeadlineRole)
    missing = [(role, text) for role, text in parts if text not in found]
    missing.sort(key=lambda rt: order.index(rt[0]))
    head: list[tuple[Block, int | None]] = [(Headline((HeadlinePart(role, text),)), None)
                                            for role, text in missing]
    if head:
        # A part the sidecar names takes the place of a recognised part of the same role.
        replaced = {role for role, _ in missing}
        out = [(b, n) for b, n in out if not (isinstance(b, Headline) and len(b.parts) == 1
                                              and b.parts[0].role in replaced and b.parts[0].text not in wanted)]
    return head + out


def _place_figures(placed: list[tuple[Block, int | None]], sidecar: Sidecar, folder: Path,
                   root: Path) -> list[tuple[Block, int | None]]:
    blocks = [b for b, _ in placed]
    out = list(placed)
    inserts: list[tuple[int, Figure]] = []
    for number, spec in enumerate(sidecar.figures, 1):
        path = resolve_image(spec, folder, root, sidecar.path)
        figure = Figure(path=path, caption=spec.caption, credit=spec.credit,
                        alt=spec.alt or spec.caption, number=number)
        inserts.append((_position(spec, blocks, sidecar.path), figure))
    for offset, (index, figure) in enumerate(sorted(inserts, key=lambda p: p[0])):
        out.insert(index + offset, (figure, None))
    return out


def _position(spec: FigureSpec, blocks: list[Block], sidecar: Path | None) -> int:
    if spec.after is None:
        return len(blocks)
    if isinstance(spec.after, int):
        if spec.after > len(blocks):
            raise ConfigError(f'figure "{spec.file}": after {spec.after}, but the article has '
                              f'{len(blocks)} blocks', sidecar, spec.line)
        return spec.after
    for index, block in enumerate(blocks):
        if spec.after in block_text(block):
            return index + 1
    raise ConfigError(f'figure "{spec.file}": no block contains "{spec.after}"', sidecar, spec.line)


def resolve_image(spec: FigureSpec, folder: Path, root: Path, sidecar: Path | None) -> Path:
    """The image file of a figure: inside the project, existing, JPEG or PNG."""
    name = spec.file
    if '://' in name or name.startswith(('file:', 'data:')):
        raise ConfigError(f'figure "{name}": images must be files beside the article, not URLs',
                          sidecar, spec.line)
    candidate = Path(name)
    if candidate.is_absolute():
        raise ConfigError(f'figure "{name}": give a path relative to the article, not an absolute one',
                          sidecar, spec.line)
    path = (folder / candidate)
    resolved = path.resolve()
    if not resolved.is_relative_to(Path(root).resolve()):
        raise ConfigError(f'figure "{name}": the image must be inside the project', sidecar, spec.line)
    if not resolved.is_file():
        raise ConfigError(f'figure "{name}": image not found', sidecar, spec.line)
    kind = IMAGE_SUFFIXES.get(resolved.suffix.lower())
    with open(resolved, 'rb') as fh:
        head = fh.read(8)
    if kind is None or not head.startswith(_MAGIC[kind]):
        raise ConfigError(f'figure "{name}": not a JPEG or PNG image', sidecar, spec.line)
    return resolved
