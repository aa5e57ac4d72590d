"""Article and image names from a request, and the paths they stand for.

A name is letters (any script), digits, ``-``, ``_`` and ``.``; it starts
with a letter or digit, never holds ``..`` and is at most 80 characters.
Every path made from a name is resolved and must stay inside ``seeds/``
(a symbolic link pointing out of it is refused too).
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ..errors import PublishError
from ..messages import msg

SEEDS = 'seeds'
_NAME = re.compile(r'[^\W_][\w.-]{0,79}')
IMAGE_SUFFIXES = ('.jpg', '.jpeg', '.png')


class BadName(PublishError):
    """A name from a request that cannot be used."""


def article_name(name: str, lang: str | None = None) -> str:
    name = unicodedata.normalize('NFC', name or '').strip()
    if not _NAME.fullmatch(name) or '..' in name or name.endswith('.'):
        raise BadName(msg('serve.bad_name', lang, name=name[:80]))
    return name


def image_name(name: str, lang: str | None = None) -> str:
    name = unicodedata.normalize('NFC', name or '').strip()
    stem, dot, suffix = name.rpartition('.')
    if not dot or f'.{suffix.lower()}' not in IMAGE_SUFFIXES or not _NAME.fullmatch(stem) or '..' in stem:
        raise BadName(msg('serve.bad_figure_name', lang, name=name[:80]))
    return name


def seeds_dir(root: Path) -> Path:
    return Path(root).resolve() / SEEDS


def in_seeds(root: Path, filename: str, lang: str | None = None) -> Path:
    """``seeds/filename``, resolved; refused when it would lie outside ``seeds/``."""
    folder = seeds_dir(root)
    path = (folder / filename).resolve()
    if path.parent != folder:
        raise BadName(msg('serve.bad_name', lang, name=filename[:80]))
    return path


def suggest_name(headline: str, date: str | None) -> str:
    """A name for a new article: its date and the start of its headline."""
    words = re.sub(r'[^\w]+', '-', unicodedata.normalize('NFC', headline)).strip('-_')[:30].strip('-_')
    parts = [p for p in (date, words) if p]
    name = '-'.join(parts) or 'article'
    return name if _NAME.fullmatch(name) else 'article'
