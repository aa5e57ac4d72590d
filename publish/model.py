"""The article model: one immutable document in the middle of the pipeline.

The normalizer builds an :class:`Article`; every renderer reads only this
model (and a layout).  The set of block types is closed: a renderer must
handle every type in :data:`BLOCK_TYPES` and fail on anything else.
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
import enum
import re
from dataclasses import dataclass, field
from pathlib import Path


class HeadlineRole(enum.Enum):
    """The parts of a Chinese newspaper headline (标题区)."""

    BANNER = 'banner'        # page or campaign banner above everything
    KICKER = 'kicker'        # 引题, above the headline
    TITLE = 'title'          # 主题, the headline proper
    SUBTITLE = 'subtitle'    # 副题, below the headline


#: The types a block can be given by hand (the sidecar's ``blocks:``): the
#: headline parts, and the body's byline, paragraph, Q&A heads, subhead and caption.
KINDS: tuple[str, ...] = (*(role.value for role in HeadlineRole), 'byline', 'paragraph',
                          'question', 'answer', 'subhead', 'caption')


class Role(enum.Enum):
    """What a contributor did, with its MARC relator code."""

    WRITER = 'aut'
    PHOTOGRAPHER = 'pht'
    ILLUSTRATOR = 'ill'
    EDITOR = 'edt'
    TRANSLATOR = 'trl'

    @property
    def marc(self) -> str:
        return self.value


class QAKind(enum.Enum):
    QUESTION = 'question'    # 问：
    ANSWER = 'answer'        # 答：


@dataclass(frozen=True)
class Contributor:
    name: str
    role: Role = Role.WRITER
    title: str = ''          # the position printed before the name: 记者, 通讯员, 实习生 …


@dataclass(frozen=True)
class HeadlinePart:
    role: HeadlineRole
    text: str


# ---------------------------------------------------------------- blocks

@dataclass(frozen=True)
class Headline:
    """One line of the headline area; a line may hold several parts
    (a kicker and the headline set on one line, separated by a space)."""

    parts: tuple[HeadlinePart, ...]

    @property
    def text(self) -> str:
        return ' '.join(p.text for p in self.parts)


@dataclass(frozen=True)
class Byline:
    """The byline block: its printed lines and the contributors they name."""

    lines: tuple[str, ...]
    contributors: tuple[Contributor, ...]

    @property
    def text(self) -> str:
        return '\n'.join(self.lines)


@dataclass(frozen=True)
class RunIn:
    """A run-in head (一是…, （一）…, 第一，…) at the start of a paragraph."""

    text: str
    separator: str = ''      # what stood between head and body in the source (a space, or nothing)
    guessed: bool = False    # True when the source showed no gap and the split is a best guess


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph, optionally opened by a dateline or a run-in head."""

    text: str                # the body, without dateline or run-in head
    dateline: str = ''       # 本报北京2月1日电, 新华社…电 (kept with what followed it in the source)
    dateline_separator: str = ''
    run_in: RunIn | None = None
    lead: bool = False       # the article's lead paragraph

    @property
    def full_text(self) -> str:
        head = self.dateline + self.dateline_separator
        if self.run_in:
            head += self.run_in.text + self.run_in.separator
        return head + self.text


@dataclass(frozen=True)
class QAHead:
    kind: QAKind
    text: str                # the whole head, marker included: 问：党建成绩怎么样？


@dataclass(frozen=True)
class Subhead:
    text: str


@dataclass(frozen=True)
class Caption:
    """A photo caption printed in the text, with its credit when it has one."""

    text: str
    credit: str = ''

    @property
    def full_text(self) -> str:
        return self.text + (' ' + self.credit if self.text and self.credit else self.credit)


@dataclass(frozen=True)
class EditorNote:
    text: str                # 编者按 / …——编者


@dataclass(frozen=True)
class Figure:
    """A picture supplied by the sidecar, with caption and credit."""

    path: Path
    caption: str = ''
    credit: str = ''
    alt: str = ''
    number: int = 0          # 1-based figure number in the article


Block = Headline | Byline | Paragraph | QAHead | Subhead | Caption | EditorNote | Figure
BLOCK_TYPES: tuple[type, ...] = (Headline, Byline, Paragraph, QAHead, Subhead, Caption, EditorNote, Figure)


class UnknownBlockType(TypeError):
    """A block that is none of :data:`BLOCK_TYPES` reached a walk over the blocks."""

    def __init__(self, block: object, where: str = ''):
        known = ', '.join(t.__name__ for t in BLOCK_TYPES)
        super().__init__(f'{where + ": " if where else ""}unknown block type '
                         f'{type(block).__name__} (known: {known})')


class BlockVisitor:
    """One method per block type; :meth:`visit` calls the one for a block.

    The walk is exhaustive: a subclass that does not override a method fails
    loudly on that block type, and a block of an unknown type raises
    :class:`UnknownBlockType` (a ``TypeError``) in every walker alike.
    ``where`` names the walker in that error."""

    where = ''

    def visit(self, block, *args, **kwargs):
        match block:
            case Headline():
                return self.headline(block, *args, **kwargs)
            case Byline():
                return self.byline(block, *args, **kwargs)
            case Paragraph():
                return self.paragraph(block, *args, **kwargs)
            case QAHead():
                return self.qa_head(block, *args, **kwargs)
            case Subhead():
                return self.subhead(block, *args, **kwargs)
            case Caption():
                return self.caption(block, *args, **kwargs)
            case EditorNote():
                return self.editor_note(block, *args, **kwargs)
            case Figure():
                return self.figure(block, *args, **kwargs)
            case _:
                raise UnknownBlockType(block, self.where)

    def _missing(self, block):
        raise NotImplementedError(f'{type(self).__name__} does not handle {type(block).__name__}')

    def headline(self, block: Headline, *args, **kwargs):
        return self._missing(block)

    def byline(self, block: Byline, *args, **kwargs):
        return self._missing(block)

    def paragraph(self, block: Paragraph, *args, **kwargs):
        return self._missing(block)

    def qa_head(self, block: QAHead, *args, **kwargs):
        return self._missing(block)

    def subhead(self, block: Subhead, *args, **kwargs):
        return self._missing(block)

    def caption(self, block: Caption, *args, **kwargs):
        return self._missing(block)

    def editor_note(self, block: EditorNote, *args, **kwargs):
        return self._missing(block)

    def figure(self, block: Figure, *args, **kwargs):
        return self._missing(block)


class _PlainText(BlockVisitor):
    def headline(self, block):
        return block.text

    byline = qa_head = subhead = editor_note = headline

    def paragraph(self, block):
        return block.full_text

    caption = paragraph

    def figure(self, block):
        return ' '.join(t for t in (block.caption, block.credit) if t)


_PLAIN_TEXT = _PlainText()


def block_text(block: Block) -> str:
    """The block as it reads in plain text (the `--format text` output)."""
    return _PLAIN_TEXT.visit(block)


# ---------------------------------------------------------------- article

@dataclass(frozen=True)
class Meta:
    publication: str = ''
    date: _dt.date | None = None
    section: str = ''
    page: str = ''
    language: str = 'zh-CN'
    layout: str = 'default'
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Article:
    name: str                          # the seed's stem: 000_f1de1b68b16b5b86
    blocks: tuple[Block, ...]
    meta: Meta = field(default_factory=Meta)
    contributors: tuple[Contributor, ...] = ()
    source_path: Path | None = None

    def headline_part(self, role: HeadlineRole) -> str:
        return ' '.join(p.text for b in self.blocks if isinstance(b, Headline)
                        for p in b.parts if p.role is role)

    @property
    def title(self) -> str:
        return self.headline_part(HeadlineRole.TITLE) or self.name

    @property
    def kicker(self) -> str:
        return self.headline_part(HeadlineRole.KICKER)

    @property
    def subtitle(self) -> str:
        return self.headline_part(HeadlineRole.SUBTITLE)

    @property
    def banner(self) -> str:
        return self.headline_part(HeadlineRole.BANNER)

    @property
    def body(self) -> tuple[Block, ...]:
        return tuple(b for b in self.blocks if not isinstance(b, Headline))

    @property
    def figures(self) -> tuple[Figure, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Figure))

    def text(self) -> str:
        return '\n\n'.join(block_text(b) for b in self.blocks) + '\n'


def article_json(article: Article) -> dict:
    """The article model as JSON-ready data: typed blocks and metadata."""
    def convert(value):
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            data = {'type': _type_name(type(value))} if isinstance(value, BLOCK_TYPES) else {}
            for f in dataclasses.fields(value):
                data[f.name] = convert(getattr(value, f.name))
            return data
        if isinstance(value, (list, tuple)):
            return [convert(v) for v in value]
        if isinstance(value, enum.Enum):
            return value.value
        if isinstance(value, Path):
            return str(value)
        if hasattr(value, 'isoformat'):
            return value.isoformat()
        return value

    return {
        'name': article.name,
        'headline': {role.value: article.headline_part(role) for role in HeadlineRole
                     if article.headline_part(role)},
        'meta': convert(article.meta),
        'contributors': [{'name': c.name, 'role': c.role.name.lower(), 'marc': c.role.marc,
                          'title': c.title} for c in article.contributors],
        'blocks': [convert(b) for b in article.blocks],
    }


def _type_name(cls: type) -> str:
    # QAHead → qa_head, EditorNote → editor_note
    return re.sub(r'(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])', '_', cls.__name__).lower()
