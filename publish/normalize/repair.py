"""Text repair: cleaned source → paragraphs, with a decision for every break."""
from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from functools import reduce

from . import breaks, grid, wrapped
from .blocks import SourceBlock, join_lines, split_blocks
from .chars import cells, ends_sentence
from .clean import clean
from .patterns import is_byline
from .punct import as_printed, turned_to_ascii, widen


@dataclass(frozen=True)
class Paragraph:
    """A repaired paragraph: its lines (as printed) and where it starts."""

    lines: tuple[str, ...]
    line: int

    @property
    def text(self) -> str:
        return '\n'.join(self.lines)


@dataclass(frozen=True)
class Repaired:
    paragraphs: tuple[Paragraph, ...]
    decisions: tuple[breaks.Decision, ...]


def repair(text: str, force_join: frozenset[int] = frozenset(),
           force_break: frozenset[int] = frozenset()) -> Repaired:
    """Join column-broken paragraphs and widen punctuation.

    ``force_join`` / ``force_break`` hold source line numbers of blank lines
    (or of the first line of the block below them) whose decision the user
    overrides.

    Breaks are decided in passes until none changes: a paragraph joined in
    one pass is weighed whole in the next.  The result is a fixed point, so
    repairing repaired text changes nothing."""
    cleaned = clean(text)
    pieces, line_decisions = _pieces(text, cleaned, force_join, force_break)
    merged, decisions, anchors = _decide_source(pieces, line_decisions, cleaned)
    running_from = next((p.line for p in merged if _running(p)), None)
    not_heads = _no_headline_lines(pieces, merged, running_from)
    if not_heads:
        # read again without them, as the repair reads its own output
        pieces, line_decisions = _pieces(text, cleaned, force_join, force_break, running_from, not_heads)
        merged, decisions, anchors = _decide_source(pieces, line_decisions, cleaned)
    page_grid = grid.estimate([length for length, _, _ in anchors], [cells for _, cells, _ in anchors])
    if page_grid:
        # the widest width that fits, or a width it is a multiple of, where
        # that one alone gives the columns one height (the breaks that fit
        # a width fit its divisors too)
        for width in page_grid.widths():
            candidate = replace(page_grid, width=width)
            tried = _decide_all(pieces, cleaned, candidate)
            tall = grid.with_height(candidate, [line for _, _, line in tried[2]])
            if width == page_grid.width:
                merged, decisions, _ = tried
            if tall.height:
                merged, decisions, _ = _decide_all(pieces, cleaned, tall)
                break
    return Repaired(
        paragraphs=tuple(Paragraph(tuple(p.lines) if p.as_printed or p.printed_alone
                                   else tuple(widen('\n'.join(p.lines)).split('\n')), p.line)
                         for p in merged),
        decisions=_with_offsets(sorted({d.line: d for d in [*line_decisions, *decisions.values()]}.values(),
                                       key=lambda d: d.line), text))


def _with_offsets(decisions: list[breaks.Decision], text: str) -> tuple[breaks.Decision, ...]:
    """The decisions with their offsets: the non-space characters of the
    source above the line each was taken at."""
    before, count = [0], 0
    for line in text.replace('\r\n', '\n').replace('\r', '\n').split('\n'):
        count += sum(1 for ch in line if not ch.isspace())
        before.append(count)
    return tuple(replace(d, offset=before[d.line - 1]) for d in decisions)


def _pieces(text: str, cleaned: str, force_join: frozenset[int] = frozenset(),
            force_break: frozenset[int] = frozenset(), running_from: int | None = None,
            not_heads: frozenset[int] = frozenset()) -> tuple[list['_Piece'], list[breaks.Decision]]:
    """The source's blocks, each with its override and its length on the grid.

    Punctuation inside a block is widened already, so that the breaks are
    weighed on the text as it will read (and as it reads when normalized
    text is normalized again); what stands at a break is widened once more
    after the joins.  A line that has full-width marks is left as printed.

    When the source is printed lines copied from a PDF (:mod:`.wrapped`), a
    block is split into its paragraphs here; the decisions taken at its line
    ends are returned with the pieces.  ``running_from``: the source line
    the running text starts at, once the joins are known (the headline lines
    end above it); ``not_heads``: the first lines of pieces that the joins show
    are no headline lines (:func:`_no_headline_lines`)."""
    source_lines = text.replace('\r\n', '\n').replace('\r', '\n').split('\n')
    blocks = split_blocks(cleaned)
    page = wrapped.read_page([source_lines[b.line - 1:b.line - 1 + len(b.lines)] for b in blocks])
    if page is None:
        source_heads = _headline_blocks(blocks)      # read again below, on the blocks split here
        blocks = [part for index, block in enumerate(blocks) for part in _paragraph_lines(
            block, len(blocks) == 1 or (index < source_heads and not is_byline(block.text)))]
    pieces, line_decisions = [], []
    raws: list[list[str]] = []        # each piece's lines as in the source
    heads = _headline_blocks(blocks)
    if running_from is not None:
        heads = min(heads, sum(1 for block in blocks if block.line < running_from))
    # the headline lines are set apart from the text and copied with it as
    # one: when one of them kept its full-width marks, all of them are as
    # printed (a column name in ASCII brackets: 探脱贫(人民眼·打赢脱贫攻坚战)),
    # but for a line whose ASCII commas or stops show it was turned to ASCII
    head = [index < heads and not any(block.line <= line < block.line + len(block.lines) for line in not_heads)
            for index, block in enumerate(blocks)]
    heads_printed = any(as_printed(line) for block, is_head in zip(blocks, head) if is_head for line in block.lines)
    above: tuple[list[str], list[str], int] | None = None   # the block above: lines, source lines,
    #                                                         where its last paragraph starts
    sentence_earlier = False        # a finished sentence in the blocks above the block above
    for index, block in enumerate(blocks):
        raw = [' '.join(line.split()) for line in block.lines]
        # widened as a whole (a mark opening a line punctuates the line above),
        # then the lines printed wide put back
        wide = widen('\n'.join(raw)).split('\n')
        # a headline line is as printed with the others unless its block,
        # its lines read together (as the repair gives them), shows a conversion
        with_heads = heads_printed and head[index] and not turned_to_ascii(join_lines(raw))
        printed = [as_printed(line) or with_heads for line in raw]
        lines = [r if p else w for r, w, p in zip(raw, wide, printed)]
        source = source_lines[block.line - 1:block.line - 1 + len(lines)]
        sizes = [grid.line_length(line) for line in source]
        cell_sizes = [cells(line) for line in lines]
        override = _override(block, force_join, force_break)
        # a finished sentence in the blocks above this one
        sentence_before = sentence_earlier or (above is not None and any(map(breaks.SENTENCE_INSIDE.search, above[0])))
        if page is None or len(lines) == 1:
            groups: list[tuple[int, int, breaks.Decision | None]] = [(0, len(lines), None)]
        else:
            groups, decided = _paragraphs(lines, source, block.line, page, force_join, force_break, sentence_before)
            line_decisions += decided
        if page is not None and above is not None and override is None:
            start, end, _ = groups[0]
            sentence_above = sentence_earlier or any(map(breaks.SENTENCE_INSIDE.search, above[0][:above[2]]))
            groups[0] = (start, end, _paragraph_end_above(*above, lines, source, block.line - block.blank_before,
                                                          page, headline_area=not sentence_above))
        sentence_earlier = sentence_before
        above = (lines, source, groups[-1][0])
        for start, end, decision in groups:
            text, as_raw = lines[start:end], raw[start:end]
            chars = [[p] * len(line) for line, p in zip(text, printed[start:end])]
            if page is not None and len(lines) > 1:
                # the printed lines of one paragraph run together as one
                text, chars = ([part] for part in reduce(
                    lambda a, b: _joined(*a, *b, cleaned), zip(text, chars)))
                as_raw = [reduce(lambda a, b: breaks.join_across(a, b, cleaned), as_raw)]
            piece = _Piece(text, block.line + start,
                           block.line - block.blank_before if start == 0 else block.line + start,
                           override if start == 0 else None, sum(sizes[start:end]), sum(cell_sizes[start:end]),
                           as_printed=any(printed[start:end]), decided=decision,
                           printed_chars=chars, in_headline_area=head[index],
                           widened=any(not p and w != r for w, r, p in
                                       zip(wide[start:end], raw[start:end], printed[start:end])))
            pieces.append(piece)
            raws.append(as_raw)
    _heads_as_printed(pieces, raws, running_from)
    return pieces, line_decisions


def _decide_source(pieces: list['_Piece'], line_decisions: list[breaks.Decision], cleaned: str
                   ) -> tuple[list['_Piece'], dict[int, breaks.Decision], list[tuple[int, float, int]]]:
    """Every break decided from the text (:func:`_decide_all`, no grid yet),
    read as paragraphs already where the source shows no sure column break."""
    _, between_blocks, _ = _decide_all(pieces, cleaned, None, apart=True)
    if not any(p.widened for p in pieces) \
            and not any(map(breaks.surely_joins, [*line_decisions, *between_blocks.values()])):
        # no break, read between the blocks beside it, is surely a column
        # break: the source reads as paragraphs already, as normalized text
        # does (its breaks are those the repair kept, read as they were
        # kept), and a weak join is not taken.  A source whose punctuation
        # was turned to ASCII (the repair widens some of it) is not
        # normalized text: it was copied off a page, and is read so
        merged, decisions, _ = _decide_all(pieces, cleaned, None, no_column_seen=True)
        return merged, decisions, []        # nor is a grid read off breaks so weighed
    return _decide_all(pieces, cleaned, None)


def _no_headline_lines(pieces: list['_Piece'], merged: list['_Piece'], running_from: int | None) -> frozenset[int]:
    """The first lines of the pieces read as headline lines that the joins
    show are not: a piece joined into the running text, and one joined into
    a paragraph that, read whole, shows a conversion to ASCII the piece does
    not show alone.  Read again, the repair has each inside such a paragraph."""
    starts = [paragraph.line for paragraph in merged]
    found = set()
    for piece in pieces:
        if not piece.in_headline_area:
            continue
        paragraph = merged[bisect_right(starts, piece.line) - 1]
        if (running_from is not None and piece.line >= running_from) or (
                turned_to_ascii(join_lines(paragraph.lines)) and not turned_to_ascii(join_lines(piece.lines))):
            found.add(piece.line)
    return frozenset(found)


def _paragraph_lines(block: SourceBlock, one_a_line: bool) -> list[SourceBlock]:
    """The blocks of a block that is not printed lines.  One that has a
    line wider than any printed column, or a sentence ended at a line end
    with a line below, holds paragraphs one a line (text copied from a web
    page or a document, with no blank line between paragraphs), as does a
    source with no blank line at all and a block of the headline lines
    (``one_a_line``; a kicker, a headline and a subtitle, not a byline):
    each of its lines is a block.  The lines of another block belong
    together (a byline and its title)."""
    if not one_a_line and all(cells(line) <= wrapped.MAX_WIDTH for line in block.lines) \
            and not any(ends_sentence(line) for line in block.lines[:-1]):
        return [block]
    return [SourceBlock((line,), block.line + i, block.blank_before if i == 0 else 0)
            for i, line in enumerate(block.lines)]


def _heads_as_printed(pieces: list['_Piece'], raws: list[list[str]], running_from: int | None) -> None:
    """The headline lines (the short paragraphs above the first long one or
    the first with a finished sentence) are left as printed unless one of
    them shows it was turned to ASCII: an ASCII ,;:?! outside a number, URL
    or address (:func:`.punct.turned_to_ascii`), which a Chinese headline is
    not printed with.  ASCII brackets around a column name are printed so
    (探脱贫(人民眼)), and a headline is often copied apart from the text:
    the text being turned to ASCII says nothing about it, nor does a line
    joined into the running text (at or below ``running_from``, once the
    joins are known)."""
    heads = 0
    while (heads < len(pieces) and not _running(pieces[heads])
           and sum(len(line) for line in raws[heads]) <= HEADLINE_MAX
           and (running_from is None or pieces[heads].line < running_from)):
        pieces[heads].in_headline_area = True
        heads += 1
    if heads == len(pieces) or any(turned_to_ascii(join_lines(raw)) for raw in raws[:heads]):
        return
    for piece, raw in zip(pieces[:heads], raws[:heads]):
        piece.lines, piece.printed_alone, piece.widened = list(raw), True, False
        piece.printed_chars = [[True] * len(line) for line in raw]


# The longest a headline line runs (in news text 999 in 1000 are shorter);
# a longer paragraph above the text is a note or a preamble, not a headline.
HEADLINE_MAX = 60


def _headline_blocks(blocks: list[SourceBlock]) -> int:
    """How many blocks open the source before its running text (the first
    block with a finished sentence): the headline lines.  When that block
    opens with a mark that cannot start a paragraph (？ ， 。: see
    :func:`.breaks.cannot_start`), its sentence began in the block above:
    running text starts there, as it does in the paragraph the two are
    joined into."""
    for index, block in enumerate(blocks):
        if any(breaks.SENTENCE_INSIDE.search(line) for line in block.lines):
            while index > 0 and breaks.cannot_start(blocks[index].lines[0]):
                index -= 1
            return index
    return 0


def _paragraphs(lines: list[str], raw: list[str], first_line: int, page: wrapped.Page,
                force_join: frozenset[int], force_break: frozenset[int], sentence_above: bool
                ) -> tuple[list[tuple[int, int, breaks.Decision | None]], list[breaks.Decision]]:
    """The paragraphs of a block of printed lines: (first, end) line indexes
    with the decision at the line end above each, and every line end's
    decision.  ``sentence_above``: the blocks above have a finished sentence."""
    printed = [wrapped.printed_line(line, page.margin) for line in raw]
    groups: list[tuple[int, int, breaks.Decision | None]] = []
    decisions = []
    start, above = 0, None
    for i in range(len(lines) - 1):
        number = first_line + i + 1           # the line below the line end
        left, right = '\n'.join(lines[start:i + 1]), lines[i + 1]
        if number in force_join or number in force_break:
            decision = breaks.forced(number, number in force_join, left, right)
        else:
            decision = _line_end(left, right, number, printed[i], printed[i + 1], i + 1 == len(lines) - 1,
                                 i == start, page, headline_area=not (
                                     sentence_above or any(map(breaks.SENTENCE_INSIDE.search, lines[:start]))))
        decisions.append(decision)
        if not decision.join:
            groups.append((start, i + 1, above))
            start, above = i + 1, decision
    groups.append((start, len(lines), above))
    return groups, decisions


def _paragraph_end_above(above: list[str], above_source: list[str], above_start: int,
                         lines: list[str], source: list[str], blank_line: int, page: wrapped.Page,
                         headline_area: bool) -> breaks.Decision | None:
    """A paragraph end the page reads at a blank line between blocks of
    printed lines (the printed line above ends short of the column, or the
    line below is indented), as at a line end inside a block; None where it
    reads none: a blank line after a full line may be a change of column."""
    line, below = (wrapped.printed_line(text, page.margin) for text in (above_source[-1], source[0]))
    decision = _line_end('\n'.join(above[above_start:]), lines[0], blank_line, line, below, len(lines) == 1,
                         above_start == len(above) - 1, page, headline_area)
    return None if decision.join else decision


def _line_end(left: str, right: str, number: int, line: wrapped.PrintedLine, below: wrapped.PrintedLine,
              below_is_last: bool, first: bool, page: wrapped.Page, headline_area: bool) -> breaks.Decision:
    """The decision at the end of printed ``line`` (``left`` the paragraph
    so far, ``right`` the line below): the page's cues
    (:func:`.wrapped.line_end`) weighed with the text's."""
    cues = wrapped.line_end(line, below, below_is_last, first, page)
    below_full = wrapped.line_end(below, below, True, False, page)
    return breaks.decide_line_end(left, right, number, cues, wrapped.fills(cues), wrapped.fills(below_full),
                                  headline_area=headline_area,
                                  below_not_indented=page.indents and not below.indented)


def _decide_all(pieces: list['_Piece'], cleaned: str, page_grid: grid.Grid | None, no_column_seen: bool = False,
                apart: bool = False
                ) -> tuple[list['_Piece'], dict[int, breaks.Decision], list[tuple[int, float, int]]]:
    """Decide every break, in passes until none changes.  Returns the
    paragraphs, the decisions by blank line, and, for the breaks that are
    certainly column breaks, the paragraph length (in characters and in
    cells) and the line count there (to read the grid from).
    ``no_column_seen``: see :func:`.breaks.decide`; ``apart``: every break
    is decided between the two blocks beside it, as if none were joined
    (one pass; the paragraphs returned are the blocks)."""
    pieces = [replace(p, lines=list(p.lines), printed_chars=list(p.printed_chars)) for p in pieces]
    article = breaks.canonical(cleaned)
    decisions: dict[int, breaks.Decision] = {}
    anchors: dict[int, tuple[int, float, int]] = {}
    while True:
        merged: list[_Piece] = []
        starts: list[int] = []        # the index in ``pieces`` each paragraph of ``merged`` starts at
        headings = breaks.subheads(['\n'.join(p.lines) for p in pieces])
        running = False               # a paragraph of ``merged[:-1]`` is running text
        for index, piece in enumerate(pieces):
            if not merged:
                merged.append(piece)
                starts.append(index)
                continue
            current = merged[-1]
            left_text, right_text = '\n'.join(current.lines), '\n'.join(piece.lines)
            length = current.cell_length if page_grid and page_grid.in_cells else current.grid_length
            fills = page_grid is not None and page_grid.fills_line(length)
            line = current.first_line + (page_grid.lines(length) if page_grid else 0)
            if piece.decided is not None and (piece.decided.join or piece.decided.forced):
                decision = piece.decided
            elif piece.forced is not None:
                decision = breaks.forced(piece.blank_line, piece.forced, left_text, right_text)
            else:
                decision = breaks.decide(
                    left_text, right_text, piece.blank_line,
                    headline_area=not running,
                    fills_line=fills and page_grid.height is None,
                    column_foot=fills and page_grid.at_column_foot(line),
                    short_of_line=page_grid is not None and page_grid.short_of_line(length),
                    no_column_seen=no_column_seen,
                    repeated=breaks.repeated_above(left_text, right_text, article),
                    other_headings=breaks.others(headings, starts[-1], index))
                if piece.decided is not None and not (decision.ruled and decision.join) \
                        and not breaks.surely_joins(decision):
                    # a paragraph end read off the printed lines stands where
                    # the text, read as paragraphs, does not surely run on
                    # and no rule joins (see breaks.decide: normalized text
                    # reads so too)
                    decision = piece.decided if not decision.join else replace(
                        piece.decided, confidence=_against(piece.decided.confidence, decision.confidence),
                        cues=(*piece.decided.cues, f'the text runs on (confidence {decision.confidence:.3f})'))
                elif piece.decided is not None:
                    # the text runs on where the printed lines end a
                    # paragraph: as sure as the two together say
                    decision = replace(decision, confidence=_against(decision.confidence,
                                                                     piece.decided.confidence),
                                       cues=(*decision.cues, 'the printed lines end a paragraph here '
                                             f'(confidence {piece.decided.confidence:.3f})'))
            decisions[piece.blank_line] = decision
            if decision.join and decision.confidence >= ANCHOR_CONFIDENCE:
                anchors[piece.blank_line] = (current.grid_length, current.cell_length, line)
            if decision.join and not apart:
                joined, chars = _widened_across(current.lines[-1], current.printed_chars[-1],
                                                piece.lines[0], piece.printed_chars[0], cleaned)
                current.lines[-1:] = [joined] + piece.lines[1:]
                current.printed_chars[-1:] = [chars] + piece.printed_chars[1:]
                current.grid_length += piece.grid_length
                current.cell_length += piece.cell_length
                current.as_printed = current.as_printed or piece.as_printed
                current.printed_alone = False
            else:
                piece.first_line = line
                running = running or _running(current)
                merged.append(piece)
                starts.append(index)
        if len(merged) == len(pieces):
            return merged, decisions, [anchors[k] for k in sorted(anchors) if decisions[k].join]
        pieces = merged


def _joined(above: str, above_printed: list[bool], below: str, below_printed: list[bool],
            cleaned: str) -> tuple[str, list[bool]]:
    """Two lines joined across a break (:func:`.breaks.join_across`), and
    which characters of the joined line stand as printed."""
    joined = breaks.join_across(above, below, cleaned)
    cut = len(joined) - len(below)          # the line below is joined whole
    above_printed = above_printed[:cut] + above_printed[-1:] * (cut - len(above))
    return joined, above_printed + below_printed


def _widened_across(above: str, above_printed: list[bool], below: str, below_printed: list[bool],
                    cleaned: str) -> tuple[str, list[bool]]:
    """Two lines joined across a break, and which of its characters stand
    as printed; the marks that do not are widened where they stand now (a
    comma opening the block below punctuates the text above it), as each
    side was widened in its own block."""
    joined, printed = _joined(above, above_printed, below, below_printed, cleaned)
    if all(printed):
        return joined, printed
    return ''.join(ch if kept else wide for ch, wide, kept in zip(joined, widen(joined), printed)), printed


def _against(confidence: float, opposed: float) -> float:
    """The confidence of a decision taken with ``confidence`` against other
    evidence that is ``opposed`` sure of the contrary: the two weighed
    together (log-odds added), and no less than an even chance."""
    def logit(p: float) -> float:
        p = min(max(p, 1e-4), 1 - 1e-4)
        return math.log(p / (1 - p))
    return round(max(0.5, 1 / (1 + math.exp(logit(opposed) - logit(confidence)))), 3)


# A join this sure is taken as a known column break when reading the grid.
ANCHOR_CONFIDENCE = 0.9


def _running(piece: '_Piece') -> bool:
    """Whether a paragraph is running text (it has a finished sentence)."""
    return any(breaks.SENTENCE_INSIDE.search(line) for line in piece.lines)


@dataclass
class _Piece:
    lines: list[str]
    line: int               # first line of the piece in the source
    blank_line: int         # the blank line above it
    forced: bool | None     # the sidecar's decision for that blank line, if any
    grid_length: int        # places it takes on the page's type grid, in characters
    cell_length: float      # and in display cells
    first_line: int = 0     # lines of the grid above it, once the grid is known
    as_printed: bool = False  # a line had full-width marks: its ASCII ones stay (see punct.as_printed)
    decided: breaks.Decision | None = None   # the break above it, decided at a printed line's end
    printed_alone: bool = False  # a headline line: as printed while it stands alone
    widened: bool = False   # the source had it in ASCII punctuation that the repair widens
    # for each line, whether each of its characters stands as printed: a
    # join widens the marks of the others only (a line joined across a break
    # has both kinds; what the paragraph prints is decided in :func:`repair`)
    printed_chars: list[list[bool]] = field(default_factory=list)
    in_headline_area: bool = False   # one of the headline lines (:func:`_headline_blocks`, :func:`_heads_as_printed`)


def _override(block: SourceBlock, force_join: frozenset[int],
              force_break: frozenset[int]) -> bool | None:
    lines = set(range(block.line - block.blank_before, block.line + 1))
    if lines & force_join:
        return True
    if lines & force_break:
        return False
    return None
