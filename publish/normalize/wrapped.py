"""Text copied from a PDF: one source line per printed line.

A PDF viewer copies a column as the lines it printed, with no blank line
between paragraphs.  Such text shows its page: most lines hold the same
width in display cells (a Han character one cell, digits and Latin letters
half), a paragraph's last line usually ends short of it, and a paragraph's
first line is indented (by two cells, which the copy keeps in some PDFs and
drops in others, where the first line is then two cells short).  A margin
every printed line has (a viewer that copies the page's layout sets one)
is no indent.

:func:`read_page` recognises the shape from the lines of the source's
multi-line blocks; :func:`split` decides every line end inside a block:
the paragraph runs on, or a new one starts.  The line width is evidence
only where the lines agree on one: a block of a few lines of different
widths (a byline and its title) is not a column.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from .chars import cells, ends_sentence
from .patterns import DATELINE
from .punct import widen

MIN_LINES = 5            # printed lines (not counting last lines) needed to read a width
MIN_SHARE = 0.6          # share of them that must fit that width (or a first line's)
MIN_WIDTH, MAX_WIDTH = 6, 60
INDENT = 2               # cells of a paragraph's first-line indent

_LEADING_SPACE = re.compile('^[ \t\u00a0\u3000]+')


@dataclass(frozen=True)
class Page:
    width: float         # cells in a full line of the column
    indents: bool        # the copy kept the first-line indents
    margin: float = 0.0  # leading space, in cells, that every printed line has
    wide_digits: bool | None = None   # digits and Latin letters set nearer a whole cell
                                      # than half of one (None: not known)


@dataclass(frozen=True)
class PrintedLine:
    text: str            # the line without its indent, punctuation as in the source
    cells: float         # printed width, indent included
    indented: bool
    half: int            # characters set in half a cell (digits, Latin letters)


def printed_line(raw: str, margin: float = 0.0) -> PrintedLine:
    """A source line as it was printed, ``margin`` cells of its leading
    space aside.  ASCII punctuation in Chinese text was full-width on the
    page (it is widened for measuring)."""
    lead = _LEADING_SPACE.match(raw)
    indent = max(0.0, (cells(lead.group(0)) if lead else 0.0) - margin)
    text = (raw[lead.end():] if lead else raw).rstrip()
    wide = widen(text)
    width = cells(wide)
    spaces = sum(1 for ch in wide if ch.isspace())
    # characters set in half a cell: every half cell of the width, spaces aside
    half = int(2 * (len(wide) - width)) - spaces
    return PrintedLine(text, indent + width, indent >= 1, half)


def _lead(raw: str) -> float:
    """The leading space of a line, in cells."""
    lead = _LEADING_SPACE.match(raw)
    return cells(lead.group(0)) if lead else 0.0


def read_page(blocks: list[list[str]]) -> Page | None:
    """The column width the printed lines agree on, or None when the text
    does not look like printed lines.  ``blocks`` are the raw source lines of
    each block."""
    if sum(len(block) - 1 for block in blocks if len(block) > 1) < MIN_LINES:
        return None
    margin = min(_lead(raw) for block in blocks if len(block) > 1 for raw in block if raw.strip())
    inner = [printed_line(raw, margin) for block in blocks if len(block) > 1 for raw in block[:-1]]
    # the width that most lines fill, counting first lines without their
    # indent (two cells short) no more often than full lines
    def explained(w: int) -> int:
        full = sum(1 for line in inner if _fits(line, w))
        return full + min(full, sum(1 for line in inner if _fits(line, w - INDENT) and not _fits(line, w)))
    common = Counter(math.floor(line.cells + 0.5) for line in inner)
    near, _, width = max((explained(w), n, w) for w, n in common.items())
    if not MIN_WIDTH <= width <= MAX_WIDTH or near < MIN_SHARE * len(inner):
        return None
    indented = sum(1 for block in blocks for raw in block if _lead(raw) - margin >= 1)
    # how wide the page sets digits and Latin letters: the reading that lets
    # more of the lines that have them fill the column
    with_half = [line for line in inner if line.half]
    narrow = sum(1 for line in with_half if _fits(line, width, False))
    wide = sum(1 for line in with_half if _fits(line, width, True))
    return Page(float(width), indents=indented >= 2, margin=margin,
                wide_digits=None if narrow == wide == 0 else wide > narrow)


@dataclass(frozen=True)
class LineEnd:
    """The decision at the end of one printed line."""
    join: bool
    score: float                      # evidence for a join (log-odds)
    cues: tuple[tuple[str, float], ...]


# Evidence at a line end, in log-odds for "the paragraph runs on".
WEIGHTS = {
    'the line fills the column': 5.0,
    'the line fills the column as a first line': 4.0,
    'the line fills the column and ends a sentence': 0.8,
    'the line ends short of the column': -5.0,
    'the line ends just short of the column': -2.5,
    'the line is wider than the column (a line of its own)': -5.0,
    'the line below is indented': -6.0,
    'the line below is not indented': 1.5,
    'the line below is two cells short, like a first line without its indent': -4.5,
    'the line below is two cells short and ends a sentence': -1.0,
    'the line below fills the column': 1.0,
    'the line below ends short without finishing a sentence (a heading)': -3.0,
    'the line below is wider than the column (a line of its own)': -5.0,
    'the line is spaced out (a heading or a name)': -4.0,
    'the line below is spaced out (a heading or a name)': -4.0,
}


_HANGING = re.compile('[，。、；：？！,.;:?!”’）)》」』…—]{1,2}$')


_PUNCTUATION_PAIR = re.compile('[，。、；：？！”’）》」』…—“‘（《「『]{2,}')


def _fits(line: PrintedLine, width: float, wide_digits: bool | None = None) -> bool:
    """Whether ``line`` may take exactly ``width`` cells.  Digits and Latin
    letters are not always set in exactly half a cell: a page sets them in
    half a cell or a little more (``wide_digits`` False), or nearer a whole
    one (True); when the page is not known yet, anything from half a cell to
    a whole one.  Punctuation at the end of a line may hang in the margin, and
    two marks side by side may be set in a cell and a half."""
    low, high = {None: (0.0, 0.5), False: (0.0, DIGIT_SLACK), True: (0.5 - DIGIT_SLACK, 0.5)}[wide_digits]
    return _narrowest(line) + low * line.half - 0.5 <= width <= line.cells + high * line.half + 0.5


# How far a digit or Latin letter may be set from half a cell (or from a whole one).
DIGIT_SLACK = 0.25


def _narrowest(line: PrintedLine) -> float:
    """The fewest cells ``line`` may take inside the column."""
    hang = len(_HANGING.search(line.text).group(0)) if _HANGING.search(line.text) else 0
    squeezed = sum(len(run) - 1 for run in _PUNCTUATION_PAIR.findall(widen(line.text)))
    return line.cells - hang - 0.5 * squeezed


def _wider(line: PrintedLine, width: float) -> bool:
    """Whether ``line`` is wider than ``width`` cells, hanging punctuation aside."""
    return _narrowest(line) - width >= 1


def _fills(line: PrintedLine, width: float, wide_digits: bool | None = None) -> bool:
    return _fits(line, width, wide_digits) or (not _wider(line, width) and line.cells >= width)


_SPACED = re.compile('[\u4e00-\u9fff][ \u3000\u00a0]+[\u4e00-\u9fff]')


def _spaced(line: PrintedLine) -> bool:
    """Whether ``line`` has a space between two Han characters: running text
    has none; a heading, a byline or a letter-spaced name is set that way."""
    return bool(_SPACED.search(line.text)) and not DATELINE.match(line.text)


def line_end(line: PrintedLine, below: PrintedLine, below_is_last: bool, first: bool,
             page: Page) -> list[tuple[str, float]]:
    """The cues of the page at the end of ``line`` (``first``: the line opens
    a paragraph; ``below_is_last``: the line below is its block's last)."""
    expected = page.width - (INDENT if first and not page.indents and not line.indented else 0)
    digits = page.wide_digits
    cues = []
    if _wider(line, page.width):
        cues.append('the line is wider than the column (a line of its own)')
    elif _fills(line, expected, digits) or _fills(line, page.width, digits):
        cues.append('the line fills the column and ends a sentence' if ends_sentence(line.text)
                    else 'the line fills the column as a first line' if expected < page.width
                    else 'the line fills the column')
    elif expected - (line.cells + 0.5 * min(line.half, 4)) < 1.5:
        cues.append('the line ends just short of the column')
    else:
        cues.append('the line ends short of the column')
    if _spaced(line):
        cues.append('the line is spaced out (a heading or a name)')
    if page.indents:
        cues.append('the line below is indented' if below.indented else 'the line below is not indented')
    elif not below_is_last:
        if _fits(below, page.width - INDENT, digits) and not _fits(below, page.width, digits):
            cues.append('the line below is two cells short and ends a sentence' if ends_sentence(below.text)
                        else 'the line below is two cells short, like a first line without its indent')
        elif _fills(below, page.width, digits):
            cues.append('the line below fills the column')
    if _wider(below, page.width):
        cues.append('the line below is wider than the column (a line of its own)')
    if _spaced(below):
        cues.append('the line below is spaced out (a heading or a name)')
    opening_width = page.width - (0 if page.indents else INDENT)
    if (not ends_sentence(below.text) and not _fills(below, page.width, digits)
            and not _fits(below, opening_width, digits) and not _wider(below, page.width)):
        cues.append('the line below ends short without finishing a sentence (a heading)')
    return [(name, WEIGHTS[name]) for name in cues]


def fills(cues: list[tuple[str, float]]) -> bool:
    """Whether the cues of :func:`line_end` say the line fills the column."""
    return any(name.startswith('the line fills the column') for name, _ in cues)
