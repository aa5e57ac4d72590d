"""Punctuation width (GB/T 15834-2011): in Chinese text ， ； ： ？ ！ （ ） are
full-width.  ASCII stays where it belongs: numbers (3.5, 1,434,321, 10:30,
1+N), codes (001229.SZ), URLs, e-mail addresses and runs of Latin text.

A mark is widened when the text it punctuates is Chinese: the nearest
non-space character before it (or, for an opening bracket, after it) is
Chinese.  Spaces are left as they are.

A line that already has one of the full-width marks was not turned into
ASCII (:func:`as_printed`): what ASCII it has is as printed, as in the
headline ``有了灯光，也要留住星光(域外听风)``, and the repair leaves it alone.
(The repair does not copy-edit the print: a line mixing the two widths, as
the newspaper printed it, stays mixed.)
"""
from __future__ import annotations

import re

from .chars import is_cjk

WIDE = {',': '，', ';': '；', ':': '：', '?': '？', '!': '！', '(': '（', ')': '）'}
# Spans never touched: URLs, e-mail addresses, times and numbers with separators.
# A URL ends before Chinese text and before punctuation that closes it (…a?b=1,欢迎).
_URL_CHAR = r'[^\s\u3000-\u303f\uff00-\uffef“”\u4e00-\u9fff]'
_PROTECTED = re.compile(
    rf'(?:[a-zA-Z][a-zA-Z0-9+.-]*://|www\.){_URL_CHAR}*?(?=[,.;:?!]*(?!{_URL_CHAR}))'
    r'|[\w.+-]+@[\w-]+(?:\.[\w-]+)+'
    r'|\d+(?:[,:]\d+)+')


_WIDE_MARKS = frozenset(WIDE.values())
_ASCII_MARKS = re.compile('[,;:?!]')


def as_printed(text: str) -> bool:
    """Whether *text* has a full-width ，；：？！（）: then its punctuation was
    not turned into ASCII, and its ASCII marks are as printed."""
    return any(ch in _WIDE_MARKS for ch in text)


def turned_to_ascii(line: str) -> bool:
    """Whether ``line`` has an ASCII , ; : ? ! outside a number, URL or
    e-mail address (the comma of 1,434,321 is printed so): in a headline
    line, one shows that the line was turned to ASCII."""
    return bool(_ASCII_MARKS.search(_PROTECTED.sub('', line)))


def _neighbour(text: str, i: int, step: int) -> str:
    i += step
    while 0 <= i < len(text) and text[i] in ' \n':
        i += step
    return text[i] if 0 <= i < len(text) else ''


def _is_chinese(ch: str) -> bool:
    return is_cjk(ch) and ch not in '“‘'  # an opening quote alone says nothing


def widen(text: str) -> str:
    """Return ``text`` with ASCII ,;:?!() made full-width where they punctuate Chinese.

    A mark widened can make its neighbour Chinese context (``党,,``), so the
    pass is repeated until nothing changes: widening widened text is a no-op."""
    while True:
        wider = _widen_once(text)
        if wider == text:
            return text
        text = wider


def _widen_once(text: str) -> str:
    if not any(ch in WIDE for ch in text):
        return text
    protected = [False] * len(text)
    for m in _PROTECTED.finditer(text):
        for k in range(m.start(), m.end()):
            protected[k] = True
    out = list(text)
    opens: list[int] = []
    for i, ch in enumerate(text):
        if ch not in WIDE or protected[i]:
            continue
        before, after = _neighbour(text, i, -1), _neighbour(text, i, +1)
        if ch == '(':
            opens.append(i)
            continue
        if ch == ')':
            start = opens.pop() if opens else None
            inner = text[start + 1:i] if start is not None else ''
            outer_before = _neighbour(text, start, -1) if start is not None else ''
            if (is_cjk(after) or is_cjk(outer_before) or any(is_cjk(c) for c in inner)
                    or (start is None and is_cjk(before))):
                out[i] = '）'
                if start is not None:
                    out[start] = '（'
            continue
        if ch in ',;:' and before.isdigit() and after.isdigit():
            continue          # 1,434  10:30
        if _is_chinese(before) or (before in '”’）)' and _is_chinese(after)) or \
                (ch in ',;:' and _is_chinese(after) and not before.isalnum()):
            out[i] = WIDE[ch]
        elif (before and before in '”’') or (ch in ',;:?!' and _is_chinese(after)):
            out[i] = WIDE[ch]
    for start in opens:       # an unclosed bracket opening Chinese text
        if is_cjk(_neighbour(text, start, +1)) or is_cjk(_neighbour(text, start, -1)):
            out[start] = '（'
    return ''.join(out)
