"""Inter-character justification of Chinese text in WeasyPrint.

WeasyPrint justifies a line by widening its spaces (U+0020, U+00A0) only
(``justify_line`` in ``weasyprint/layout/inline.py``).  A line of Chinese has
no spaces, so a justified line ends short whenever its characters do not
happen to fill the measure: every line holding digits or Latin letters, and
every line that had to push a closing mark to the next one.

:func:`install` replaces that one step.  When a line to justify holds CJK
characters, the room left is spread over the gaps between characters, as
CSS ``text-justify: inter-character`` and clreq describe.  Every CJK
character (Han, kana, hangul, CJK and full-width punctuation, curly quotes)
and every space is given the same extra letter spacing through a Pango
attribute, so runs of Latin letters and digits are not spaced out inside.
Pango puts that spacing half before and half after each character, so a gap
between a CJK character and a Latin one gets half of it.  The widths Pango
then gives are measured and the spacing corrected once, so the line ends on
the right edge (a quarter-em space ending the line hangs past it).  The
spacing is never more than :data:`MAX_SPACING_EM`,
beyond which text extraction would read spaces into the line; a line that
would need more sets the marks :mod:`publish.render.cjk_compress` made
half-width back to their full widths first (as JIS X 4051 expands
punctuation before the gaps between characters).  Lines without
a CJK character keep WeasyPrint's own justification.  No character is added, so text extraction and the PDF's
tags give the text as it is.

What this relies on in WeasyPrint (checked by :func:`check_weasyprint`
before anything is changed, and by ``tests/test_cjk_justify.py``):

* ``layout.inline.text_align`` calls the module-level name ``justify_line``
  with ``(context, line, extra_width)`` for every justified line but a
  paragraph's last;
* ``text.line_break.Layout(style, justification_spacing, max_width)``;
  ``Layout.set_text(text, justify)`` sets ``self.text`` and the Pango
  attributes, and a ``TextBox`` is drawn with
  ``box.pango_layout.reactivate(style)``, which sets the text again with
  ``justify=True``;
* ``text.line_break.line_size`` and ``TextBox.justification_spacing``.

The versions of WeasyPrint this is known to work with are pinned in
``pyproject.toml``.
"""
from __future__ import annotations

import functools
import inspect
import os
import re

from publish import __version__
from publish.errors import RenderError
from publish.render import cjk_compress

#: Moving a line's end by less than this (pt) is not worth a second pass.
TOLERANCE = 0.01
#: Fixed-width spaces (the quarter em between Chinese and Latin) that hang
#: past the right edge when they end a justified line.
HANGING = '\u2005'
#: The most space put between two characters, in em.  Text extraction
#: (poppler, and viewers' copy and paste) reads a gap of a tenth of an em
#: between two glyphs as a space between words; a line that would need more
#: (one pushed short by a long Latin word) keeps the rest of its room at its
#: end rather than gain spaces in its text.
MAX_SPACING_EM = 0.09


def is_cjk(char: str) -> bool:
    """Whether *char* is a CJK character unit that takes justification
    space around it (Han, kana, hangul, bopomofo, CJK and full-width
    punctuation, the curly quotes Chinese text uses)."""
    code = ord(char)
    return (0x2e80 <= code <= 0x2fdf          # radicals
            or 0x3000 <= code <= 0x303f       # CJK symbols and punctuation
            or 0x3040 <= code <= 0x31ff       # kana, bopomofo, hangul compatibility jamo
            or 0x3400 <= code <= 0x4dbf       # extension A
            or 0x4e00 <= code <= 0x9fff       # unified ideographs
            or 0xac00 <= code <= 0xd7af       # hangul syllables
            or 0xf900 <= code <= 0xfaff       # compatibility ideographs
            or 0xfe30 <= code <= 0xfe4f       # CJK compatibility forms
            or 0xff01 <= code <= 0xff60       # full-width forms
            or 0xffe0 <= code <= 0xffe6
            or 0x20000 <= code <= 0x3134f     # extensions B–G
            or char in '\u2018\u2019\u201c\u201d\u00b7')


def takes_space(char: str) -> bool:
    """Whether justification space goes around *char*: CJK characters and
    word spaces (not the fixed-width spaces U+2000–U+200A, such as the
    quarter em :mod:`publish.render.cjk_latin_space` puts in)."""
    return is_cjk(char) or char in ' \u00a0'



#: Runs of characters :func:`takes_space` accepts (the same ranges).
_SPACED_RUN = re.compile(
    '[ \u00a0\u2e80-\u2fdf\u3000-\u303f\u3040-\u31ff\u3400-\u4dbf\u4e00-\u9fff'
    '\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff01-\uff60\uffe0-\uffe6'
    '\U00020000-\U0003134f\u2018\u2019\u201c\u201d\u00b7]+')


@functools.lru_cache(maxsize=1024)
def spaced_ranges(text: str) -> tuple[tuple[int, int], ...]:
    """The byte ranges of *text* (UTF-8) whose characters get justification
    space: runs of CJK characters and spaces.  (A text is set several times,
    to measure it and to draw it: the ranges are kept.)"""
    ranges = []
    offset = end = 0
    for match in _SPACED_RUN.finditer(text):
        offset += len(text[end:match.start()].encode('utf-8'))
        size = len(match.group().encode('utf-8'))
        ranges.append((offset, offset + size))
        offset += size
        end = match.end()
    return tuple(ranges)


def _has_cjk(box, boxes) -> bool:
    if isinstance(box, boxes.TextBox):
        return any(is_cjk(c) for c in box.text)
    if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        return any(_has_cjk(child, boxes) for child in box.children if child.is_in_normal_flow())
    return False


def _text_boxes(box, boxes):
    """The in-flow text boxes of a line, left to right."""
    if isinstance(box, boxes.TextBox):
        yield box
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        for child in box.children:
            if child.is_in_normal_flow():
                yield from _text_boxes(child, boxes)


def _justified_layout_class(line_break):
    """WeasyPrint's ``Layout`` (one Pango layout for a piece of text) that,
    each time its text is set (to measure it, and again to draw it), adds its
    justification space (:attr:`cjk_spacing`) to the CJK characters."""
    from weasyprint.text.ffi import TO_UNITS, ffi, pango

    class CJKJustifiedLayout(line_break.Layout):
        cjk_spacing = 0.0        # pt added to every CJK character and space

        def set_text(self, text, justify=False):
            super().set_text(text, justify=justify)
            if not self.cjk_spacing:
                return
            attr_list = pango.pango_layout_get_attributes(self.layout)
            if attr_list == ffi.NULL:
                attr_list = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
            letter_spacing = self.style['letter_spacing']
            base = 0 if letter_spacing == 'normal' else letter_spacing
            units = int(round((base + self.cjk_spacing) * TO_UNITS))
            for start, end in spaced_ranges(self.text):
                attr = pango.pango_attr_letter_spacing_new(units)
                attr.start_index, attr.end_index = start, end
                pango.pango_attr_list_change(attr_list, attr)
            pango.pango_layout_set_attributes(self.layout, attr_list)

    return CJKJustifiedLayout


def _spaced_width(layout_class, line_break, box, context, spacing: float,
                  compress: bool = True) -> tuple[object, float]:
    """*box*'s text laid out with *spacing* added to its CJK characters, and
    consecutive punctuation compressed or not (*compress*): the
    (deactivated) layout and its width."""
    layout = layout_class(box.style, 0, None)
    layout.cjk_spacing = spacing
    layout.cjk_compress = compress
    layout.set_text(box.text)
    first_line, _ = layout.get_first_line()
    width, _ = line_break.line_size(first_line, box.style)
    layout.deactivate()
    return layout, width


def _gap_count(box) -> float:
    """How many character gaps of *box* get the full spacing (Pango's rule:
    half on each side of a spaced character, none at the box's ends)."""
    text = box.text
    if not text:
        return 0
    spaced = sum(m.end() - m.start() for m in _SPACED_RUN.finditer(text))
    return spaced - (takes_space(text[0]) + takes_space(text[-1])) / 2


def _shift(box, boxes, deltas: dict, x_advance: float) -> float:
    """Move the line's boxes right by what the text boxes before them gained
    and widen the text boxes by what they gained (*deltas*: box id → (layout,
    gain)).  Returns the total gain so far."""
    if isinstance(box, boxes.TextBox):
        box.position_x += x_advance
        if id(box) in deltas:
            layout, gain = deltas[id(box)]
            box.pango_layout = layout
            box.width += gain
            x_advance += gain
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        box.position_x += x_advance
        before = x_advance
        for child in box.children:
            if child.is_in_normal_flow():
                x_advance = _shift(child, boxes, deltas, x_advance)
        box.width += x_advance - before
    else:
        box.translate(x_advance, 0)
    return x_advance


def make_justify_line(original, layout_class):
    """The replacement of WeasyPrint's ``justify_line``: inter-character
    justification for lines with CJK characters, *original* for the others."""
    from weasyprint.formatting_structure import boxes
    from weasyprint.text import line_break

    def justify_line(context, line, extra_width):
        if extra_width <= 0 or not _has_cjk(line, boxes):
            return original(context, line, extra_width)
        text_boxes = [b for b in _text_boxes(line, boxes) if b.text]
        if text_boxes and text_boxes[-1].text.endswith(HANGING):
            # a fixed-width space ending the line hangs past the right edge
            last = text_boxes[-1]
            tail = last.text[len(last.text.rstrip(HANGING)):]
            layout = line_break.create_layout(tail, last.style, context, None, 0)
            extra_width += line_break.line_size(layout.get_first_line()[0], last.style)[0]
        gaps = sum(_gap_count(b) for b in text_boxes)
        if not gaps:
            return original(context, line, extra_width)
        limit = MAX_SPACING_EM * min(b.style['font_size'] for b in text_boxes)
        compress, base = True, 0.0
        if extra_width > gaps * limit + TOLERANCE:
            # Not enough room between the characters: the marks set
            # half-width on this line take their full widths back first.
            compressed = [b for b in text_boxes if cjk_compress.halved(b.text)]
            base = sum(_spaced_width(layout_class, line_break, b, context, 0, False)[1] - b.width
                       for b in compressed)
            if compressed and 0 < base <= extra_width + TOLERANCE:
                compress = False
            else:
                base = 0.0
        room = extra_width - base
        spacing = min(max(room, 0) / gaps, limit)
        for _ in range(2):
            deltas = {}
            for box in text_boxes:
                if not _gap_count(box) and (compress or not cjk_compress.halved(box.text)):
                    continue
                layout, width = _spaced_width(layout_class, line_break, box, context, spacing,
                                              compress)
                deltas[id(box)] = (layout, width - box.width)
            gained = sum(gain for _, gain in deltas.values())
            if gained <= 0 or abs(gained - extra_width) <= TOLERANCE or room <= TOLERANCE:
                break
            if gained < extra_width and spacing >= limit:
                break
            if gained - base <= 0:
                break
            spacing = min(spacing * room / (gained - base), limit)
        _shift(line, boxes, deltas, 0)

    justify_line.cjk_inter_character = True
    return justify_line


def check_weasyprint() -> None:
    """Fail with a :class:`RenderError` when the installed WeasyPrint does not
    have what the justification step relies on.  Reading its source takes a
    fiftieth of a second: a WeasyPrint found good is remembered in the
    user's cache folder, by its version and its modules' sizes and times."""
    stamp = _checked_stamp()
    if stamp is not None and stamp.exists():
        return
    try:
        from weasyprint.layout import inline
        from weasyprint.text import line_break
        from weasyprint.formatting_structure import boxes
        problems = []
        # WeasyPrint's own Layout, also once install() has put a subclass in its place
        layout = next(c for c in line_break.Layout.__mro__ if c.__module__ == line_break.__name__)
        if 'justify_line(context, line, offset)' not in inspect.getsource(inline.text_align):
            problems.append('layout.inline.text_align no longer calls justify_line(context, line, offset)')
        if list(inspect.signature(layout.set_text).parameters) != ['self', 'text', 'justify']:
            problems.append('text.line_break.Layout.set_text(text, justify) changed')
        if 'self.set_text(self.text, justify=True)' not in inspect.getsource(layout.reactivate):
            problems.append('Layout.reactivate no longer sets the text again with justify=True')
        if 'self.text = text' not in inspect.getsource(layout.set_text):
            problems.append('Layout.set_text no longer keeps the text in self.text')
        if not callable(getattr(line_break, 'line_size', None)):
            problems.append('text.line_break.line_size is gone')
        if list(inspect.signature(layout.__init__).parameters)[:3] != ['self', 'style', 'justification_spacing']:
            problems.append('text.line_break.Layout(style, justification_spacing, …) changed')
        if not hasattr(boxes.TextBox, 'justification_spacing'):
            problems.append('TextBox.justification_spacing is gone')
        if 'Layout(style, justification_spacing, max_width)' not in inspect.getsource(
                line_break.create_layout):
            problems.append('text.line_break.create_layout no longer makes its layout '
                            'with the module-level name Layout')
        if 'pango_layout_set_attributes' not in inspect.getsource(layout.setup):
            problems.append('Layout.setup no longer puts the font features on the layout '
                            'as an attribute list')
    except (ImportError, AttributeError, OSError, TypeError, StopIteration) as exc:
        problems = [f'{type(exc).__name__}: {exc}']
    if problems:
        import weasyprint
        raise RenderError(f'WeasyPrint {weasyprint.__version__} is not supported for '
                          f'justifying Chinese text ({"; ".join(problems)}); '
                          f'install the version pyproject.toml names')
    if stamp is not None:
        try:
            stamp.parent.mkdir(parents=True, exist_ok=True)
            stamp.touch()
        except OSError:
            pass                          # a cache that cannot be written is no cache


def _checked_stamp():
    """The file that says this WeasyPrint was checked (None: no cache folder)."""
    import hashlib

    import weasyprint
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import inline
    from weasyprint.text import line_break

    from publish.cachedir import cache_folder
    folder = cache_folder()
    if folder is None:
        return None
    key = [weasyprint.__version__, __version__]
    for module in (inline, line_break, boxes):
        try:
            st = os.stat(module.__file__)
        except (OSError, TypeError):
            return None
        key.append(f'{module.__file__} {st.st_size} {st.st_mtime_ns}')
    return folder / 'weasyprint-checked' / hashlib.sha256('\n'.join(key).encode()).hexdigest()[:24]


def install() -> None:
    """Put inter-character justification in place of WeasyPrint's
    ``justify_line``, and consecutive punctuation compressed
    (:mod:`publish.render.cjk_compress`) in every layout, the justified
    ones included (once per process)."""
    from weasyprint.layout import inline
    from weasyprint.text import line_break
    if getattr(inline.justify_line, 'cjk_inter_character', False):
        return
    check_weasyprint()
    cjk_compress.install()
    inline.justify_line = make_justify_line(inline.justify_line,
                                            _justified_layout_class(line_break))
