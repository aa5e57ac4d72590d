"""Character classes of Chinese text, shared by every normalizer step."""
from __future__ import annotations

import re
from unicodedata import east_asian_width

# Closing marks a sentence end may be followed by: ”’」』）)》
CLOSERS = '”’」』）)》】〉'
OPENERS = '“‘「『（(《【〈'
# A sentence ends with 。！？… (or ASCII ?!) possibly followed by closers.
SENTENCE_END = re.compile(r'(?:[。！？!?]|……|…)[' + re.escape(CLOSERS) + r']*$')
# Characters that cannot begin a line of Chinese text (clreq 行首禁则) nor a paragraph.
NON_STARTER_PUNCT = set('，。、；：？！,.;:?!…）)」』】》〉”’%％℃')


def is_han(ch: str) -> bool:
    o = ord(ch)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x2FA1F
            or 0xF900 <= o <= 0xFAFF or o == 0x3007)


def is_cjk(ch: str) -> bool:
    """Han, CJK punctuation, full-width forms and the curly quotes: no space is
    put between two of these when lines are joined."""
    if not ch:
        return False
    o = ord(ch)
    return (is_han(ch) or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF
            or ch in '“”‘’…—·■□●○◆◇★☆▲△' or 0x2460 <= o <= 0x24FF or 0x2160 <= o <= 0x217F)


# A Latin sentence ends with a full stop after a word (not after a number: 3.).
LATIN_SENTENCE_END = re.compile(r'[A-Za-z][.!?]["\'”’)]*$')


def ends_sentence(text: str) -> bool:
    text = text.rstrip()
    return bool(SENTENCE_END.search(text) or LATIN_SENTENCE_END.search(text))


# the characters is_han accepts, for counting them in C
_HAN = re.compile('[\u4e00-\u9fff\u3400-\u4dbf\U00020000-\U0002fa1f\uf900-\ufaff\u3007]')


def han_count(text: str) -> int:
    return len(_HAN.findall(text))


def quote_balance(text: str) -> int:
    """Open “ minus closed ” (positive: a quotation is still open)."""
    return text.count('“') - text.count('”')


def bracket_balance(text: str) -> int:
    return (text.count('（') + text.count('(')) - (text.count('）') + text.count(')'))


def cells(text: str) -> float:
    """Width of ``text`` as printed on a Chinese page, in cells of one Han
    character: CJK characters and punctuation, full-width forms and the curly
    quotes take a cell, digits, Latin letters, ASCII marks and spaces half."""
    return sum(1.0 if east_asian_width(ch) in 'WFA' or (ch > '\x7f' and is_cjk(ch)) else 0.5 for ch in text)
