"""Structure recovery: repaired paragraphs → typed blocks of the article model.

The headline area is everything above the first block of running text (a
paragraph with a sentence, a byline, a dateline, a Q&A head).  Below it each
paragraph is recognised by its own form: byline, Q&A head, dateline,
enumerated paragraph with a run-in head, caption, editor's note, subhead.
"""
from __future__ import annotations

import re

from ..model import (KINDS, Block, Byline, Caption, Contributor, EditorNote, Headline, HeadlinePart,
                     HeadlineRole, Paragraph, QAHead, QAKind, Role, RunIn, Subhead)
from .blocks import join_lines
from .chars import ends_sentence, han_count
from .patterns import (BYLINE_TITLE, CAPTION_START, CLOSING_DATELINE, CREDIT_END, DATELINE, EDITOR_NOTE,
                       KNOWN_HEADS, QA_HEAD, RUN_IN_START, is_byline)

_SENTENCE = re.compile(r'[。！？!?]')
_HEADING_MAX = 40          # Han characters; longer blocks are running text
_RUN_IN_MAX = 40           # a run-in head is at most this long
_TITLE_RE = re.compile(rf'^{BYLINE_TITLE}')
_TITLES = re.compile(r'(?:本报)?(特约记者|记者|通讯员|实习生|特约通讯员|摄影记者|见习记者)')


def structure(paragraphs: list[str], kinds: list[str | None] | None = None) -> list[Block]:
    """The typed blocks of *paragraphs*.  ``kinds[i]``, when given, is the
    type paragraph *i* is to have (one of :data:`KINDS`) instead of the one
    it would be recognised as; a body type given to a line of the headline
    area ends the area there."""
    kinds = list(kinds) if kinds is not None else [None] * len(paragraphs)
    blocks: list[Block] = []
    given: set[int] = set()
    header_done = False
    lead_done = False
    for index, (text, kind) in enumerate(zip(paragraphs, kinds)):
        flat = join_lines(text.split('\n'))    # Latin words keep a space at a line end
        if kind is not None:
            block = typed_block(text, flat, kind)
            given.add(len(blocks))
        elif not header_done and _is_heading(text) and not _opens_body(text):
            block = _headline_line(flat, first=not blocks, more=_more_headings(paragraphs, index))
        else:
            block = _body_block(text, flat)
        if isinstance(block, Headline):
            blocks.append(block)
            continue
        header_done = True
        if isinstance(block, Paragraph) and not lead_done:
            lead_done = True
            block = Paragraph(block.text, block.dateline, block.dateline_separator, block.run_in, lead=True)
        elif not isinstance(block, Paragraph) and not isinstance(block, (Byline, Caption)):
            lead_done = True
        blocks.append(block)
    return _assign_headline_roles(blocks, given)


def typed_block(text: str, flat: str, kind: str) -> Block:
    """The paragraph *text* as a block of the type *kind* (one of :data:`KINDS`).
    The lines of a byline are names, not a sentence wrapped: given another
    type, they stay apart by a space."""
    if kind != 'byline' and '\n' in text and is_byline(text):
        flat = ' '.join(' '.join(line.split()) for line in text.split('\n'))
    roles = {role.value: role for role in HeadlineRole}
    if kind in roles:
        return Headline((HeadlinePart(roles[kind], flat),))
    if kind == 'byline':
        lines = tuple(' '.join(line.split()) for line in text.split('\n'))
        return Byline(lines, parse_contributors(lines))
    if kind == 'paragraph':
        return _paragraph(flat)
    if kind in ('question', 'answer'):
        return QAHead(QAKind(kind), flat)
    if kind == 'subhead':
        return Subhead(flat)
    if kind == 'caption':
        return _caption(flat)
    raise ValueError(f'unknown block type {kind!r} (known: {", ".join(KINDS)})')


# ---------------------------------------------------------------- headline area

def _is_heading(text: str) -> bool:
    flat = text.replace('\n', ' ')
    return (han_count(flat) <= _HEADING_MAX * 2 and not ends_sentence(flat)
            and not _SENTENCE.search(flat))


def _opens_body(text: str) -> bool:
    first = text.split('\n', 1)[0]
    return bool(QA_HEAD.match(first) or DATELINE.match(first) or is_byline(text)
                or EDITOR_NOTE.search(text) or KNOWN_HEADS.match(first))


def _more_headings(paragraphs: list[str], index: int) -> bool:
    nxt = paragraphs[index + 1] if index + 1 < len(paragraphs) else ''
    return bool(nxt) and _is_heading(nxt) and not _opens_body(nxt)


_BANNER = re.compile(r'^[\u4e00-\u9fff]{2,6}(?: [\u4e00-\u9fff]{2,6}){1,4}$')


def _headline_line(line: str, first: bool, more: bool) -> Headline:
    """A headline-area line; roles are settled once the whole area is known."""
    if first and more and _BANNER.match(line):
        return Headline((HeadlinePart(HeadlineRole.BANNER, line),))
    # A kicker and headline set on one line with a gap between them.
    left, sep, right = line.partition(' ')
    if sep and han_count(left) >= 8 and han_count(right) >= 8 and not left.endswith('——'):
        return Headline((HeadlinePart(HeadlineRole.KICKER, left), HeadlinePart(HeadlineRole.TITLE, right)))
    return Headline((HeadlinePart(HeadlineRole.TITLE, line),))


def _assign_headline_roles(blocks: list[Block], given: set[int] = frozenset()) -> list[Block]:
    """Among the headline-area lines, one is the headline (主题): lines above it
    are kickers, lines below it subheadlines.  The headline is the line
    already split as kicker + headline, else the line carrying a column tag
    (…（评论员观察）), else the line after a kicker ending in ——, else the first.
    The lines in *given* were given their part by hand: they keep it, and a
    line given the headline is the headline."""
    area = [i for i, b in enumerate(blocks) if isinstance(b, Headline)]
    if not area:
        return blocks
    plain = [i for i in area if blocks[i].parts[0].role is not HeadlineRole.BANNER and i not in given]
    if not plain:
        return blocks
    split = [i for i in plain if len(blocks[i].parts) > 1]
    tagged = [i for i in plain if re.search(r'[（(][^（）()]{2,12}[）)]$', blocks[i].text)]
    dashed = [i for i in plain[:-1] if blocks[i].text.endswith('——')]
    chosen = [i for i in area if i in given and blocks[i].parts[0].role is HeadlineRole.TITLE]
    if chosen:
        title = chosen[0]
    elif split:
        title = split[0]
    elif tagged:
        title = tagged[0]
    elif dashed:
        title = plain[plain.index(dashed[0]) + 1]
    else:
        title = plain[0]
    out = list(blocks)
    for i in plain:
        if i == title:
            continue
        role = HeadlineRole.KICKER if i < title else HeadlineRole.SUBTITLE
        out[i] = Headline(tuple(HeadlinePart(role, p.text) for p in blocks[i].parts))
    return out


# ---------------------------------------------------------------- body

def _body_block(text: str, flat: str) -> Block:
    if is_byline(text):
        lines = tuple(' '.join(line.split()) for line in text.split('\n'))
        return Byline(lines, parse_contributors(lines))
    qa = QA_HEAD.match(flat)
    if qa and han_count(flat) <= _HEADING_MAX:
        kind = QAKind.QUESTION if qa.group(1) == '问' else QAKind.ANSWER
        return QAHead(kind, flat)
    if EDITOR_NOTE.search(flat):
        return EditorNote(flat)
    if CAPTION_START.match(flat) or (CREDIT_END.search(flat) and han_count(flat) <= 80):
        return _caption(flat)
    if CLOSING_DATELINE.match(flat):
        return Paragraph(flat)                    # （新华社北京1月31日电）: body text, no heading
    if KNOWN_HEADS.match(flat):
        return Subhead(flat)
    run_in = RUN_IN_START.match(flat)
    if run_in and not _SENTENCE.search(flat) and han_count(flat) <= _HEADING_MAX:
        return Subhead(flat)                      # （一）基本原则
    if not _SENTENCE.search(flat) and han_count(flat) <= _HEADING_MAX and not flat.endswith(('，', '、', '；')):
        return Subhead(flat)
    return _paragraph(flat)


def _caption(flat: str) -> Caption:
    credit = CREDIT_END.search(flat)
    if credit:
        return Caption(flat[:credit.start()].rstrip(), credit.group(0))
    return Caption(flat)


def _paragraph(flat: str) -> Paragraph:
    """A body paragraph, opened by its dateline or run-in head when it has one."""
    dateline = DATELINE.match(flat)
    if dateline:
        rest = flat[dateline.end():]
        separator = rest[:len(rest) - len(rest.lstrip())]
        return Paragraph(rest.lstrip(), dateline=dateline.group(0), dateline_separator=separator)
    run_in = RUN_IN_START.match(flat)
    if run_in:
        return _run_in_paragraph(flat, run_in.end())
    return Paragraph(flat)


def _run_in_paragraph(flat: str, marker_end: int) -> Paragraph:
    """Split an enumerated paragraph into its run-in head and body.

    Where the source shows the gap (a space), that is the split.  A head that
    ends with a full stop ends there.  Otherwise a closing quote followed by
    more text (…的“工作体系”二七区…) is taken as the end of the head, flagged
    as a guess; failing that, the enumerator alone is the head."""
    if flat[marker_end:marker_end + 1] == ' ':      # 第二， 完善制度…: the gap right after the enumerator
        return Paragraph(flat[marker_end + 1:], run_in=RunIn(flat[:marker_end], ' '))
    window = flat[:marker_end + _RUN_IN_MAX]
    gap = window.find(' ', marker_end)
    if gap > marker_end:
        return Paragraph(flat[gap + 1:], run_in=RunIn(flat[:gap], ' '))
    stop = re.search(r'[。！？]', window[marker_end:])
    if stop:
        end = marker_end + stop.end()
        if end < len(flat):
            return Paragraph(flat[end:], run_in=RunIn(flat[:end]))
    quote = re.search(r'”(?=[\u4e00-\u9fff])', window[marker_end:])
    if quote and '，' not in window[marker_end:marker_end + quote.start()].replace('、', ''):
        end = marker_end + quote.end()
        return Paragraph(flat[end:], run_in=RunIn(flat[:end], '', guessed=True))
    return Paragraph(flat[marker_end:], run_in=RunIn(flat[:marker_end]))


# ---------------------------------------------------------------- bylines

_NAME_SPLIT = re.compile(r'[\s、，,]+')


def parse_contributors(lines: tuple[str, ...]) -> tuple[Contributor, ...]:
    """记者 景静 / 通讯员 王宁 张明博/文 / 胡源浩/图 → contributors with titles and roles."""
    people: list[Contributor] = []
    for raw in lines:
        line = raw.strip('（）() ')
        if re.match(r'^作者(?:单位|系|为|是)', line):
            continue                  # （作者单位：…）（作者为…）: an affiliation, no name
        role = Role.WRITER
        both = False
        if m := re.match(r'^([文图])\s*/\s*([文图])?\s*', line):        # 文/图 NAME
            both = m.group(2) is not None
            role = Role.PHOTOGRAPHER if m.group(1) == '图' and not both else Role.WRITER
            line = line[m.end():]
        elif m := re.search(r'\s*/\s*([文图])$', line):
            role = Role.PHOTOGRAPHER if m.group(1) == '图' else Role.WRITER
            line = line[:m.start()]
        elif m := re.search(r'\s*摄$', line):
            role = Role.PHOTOGRAPHER
            line = line[:m.start()]
        marked = line != raw.strip('（）() ')      # the role was printed (…/文, …/图, 文/图…, …摄)
        title = ''
        if m := _TITLES.match(line):
            title = m.group(1)
            line = line[m.end():]
            if title == '摄影记者' and not marked:
                role = Role.PHOTOGRAPHER
        elif m := re.match(r'^作者[：:]?', line):
            line = line[m.end():]
        for name in _names(line):
            people.append(Contributor(name, role, title))
            if both:
                people.append(Contributor(name, Role.PHOTOGRAPHER, title))
    return tuple(people)


def _names(text: str) -> list[str]:
    tokens = [t for t in _NAME_SPLIT.split(text.strip()) if t]
    names: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        # 李 刚: a two-character name set with a gap
        if len(token) == 1 and i + 1 < len(tokens) and len(tokens[i + 1]) == 1:
            names.append(token + tokens[i + 1])
            i += 2
            continue
        names.append(token)
        i += 1
    return names
