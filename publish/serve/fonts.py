"""The interface's fonts, cut down to the page being shown.

The shipped CJK fonts are 11–17 MB each; a page sets a few hundred to a few
thousand distinct characters.  Each page therefore links a stylesheet of
``@font-face`` rules (``/fonts/DIGEST.css``, :meth:`UIFonts.stylesheet`)
naming subsets of the shipped fonts made for the characters of that page
and of the interface's messages in its language (what the page may show
without being rendered anew: errors, notices); :meth:`UIFonts.register`
gives the digest of those characters.  A subset is made on its first
request (:meth:`UIFonts.file`, HarfBuzz's subsetter and WOFF2 as the web
edition makes them) and kept in the user's cache folder, so it is made once.
A character typed later that the subset lacks is drawn by a system font.
"""
from __future__ import annotations

import hashlib
import re
import string
from collections import OrderedDict
from pathlib import Path

from .. import fonts, messages
from ..atomic import write_atomic
from ..cachedir import cache_folder
from ..webfonts import subset_woff2

#: the interface's CSS families, and the shipped font (role) of each weight
FACES: tuple[tuple[str, str, int], ...] = (
    ('Desk Serif', 'serif', 400), ('Desk Serif', 'serif-bold', 700),
    ('Desk Sans', 'sans', 400), ('Desk Sans', 'sans-bold', 700),
    ('Desk Kai', 'kai', 400),
)
ROLES = tuple(role for _, role, _ in FACES)
#: a subset's address: /fonts/ROLE-DIGEST.woff2; the stylesheet's: /fonts/DIGEST.css
FILE = re.compile(r'(?P<role>[a-z-]+)-(?P<digest>[0-9a-f]{16})\.woff2')
STYLESHEET = re.compile(r'(?P<digest>[0-9a-f]{16})\.css')
_ALWAYS = string.printable + '¦…—–“”‘’·、，。：；！？（）《》【】'
_KEEP = 256                       # character sets remembered for subsets not made yet


def _catalogue(lang: str) -> frozenset[str]:
    index = 1 if lang == 'zh' else 0
    return frozenset(''.join(texts[index] for texts in messages.CATALOGUE.values()))


class UIFonts:
    """Font subsets for the pages of one server; *folder* keeps them (None: kept nowhere)."""

    def __init__(self, folder: Path | None = None):
        base = cache_folder()
        self.folder = folder if folder is not None else (base / 'serve-fonts' if base else None)
        self.pending: OrderedDict[str, str] = OrderedDict()

    def register(self, text: str, lang: str) -> str:
        """The digest naming the fonts of a page whose text (markup and all) is *text*."""
        chars = ''.join(sorted((set(text) | _catalogue(lang) | set(_ALWAYS)) - set('\n\r\t')))
        digest = hashlib.sha256(chars.encode('utf-8')).hexdigest()[:16]
        self.pending[digest] = chars
        self.pending.move_to_end(digest)
        while len(self.pending) > _KEEP:
            self.pending.popitem(last=False)
        return digest

    @staticmethod
    def stylesheet(name: str) -> str | None:
        """The ``@font-face`` rules called *name* (``DIGEST.css``); None for another name."""
        found = STYLESHEET.fullmatch(name)
        if not found:
            return None
        return ''.join(f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-display: swap; '
                       f'src: url("/fonts/{role}-{found["digest"]}.woff2") format("woff2"); }}\n'
                       for family, role, weight in FACES)

    def file(self, name: str) -> bytes | None:
        """The subset called *name* (``ROLE-DIGEST.woff2``), made now if it is not kept
        yet; None for a name no page gave."""
        found = FILE.fullmatch(name)
        if not found or found['role'] not in ROLES:
            return None
        face = fonts.face(found['role'])
        kept = self._kept(face, found['digest'])
        if kept is not None and kept.is_file():
            return kept.read_bytes()
        chars = self.pending.get(found['digest'])
        if chars is None:
            return None
        data = subset_woff2(face, chars)
        if kept is not None:
            try:
                kept.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(kept, data, sync=False)
            except OSError:
                pass                  # a cache that cannot be written is no cache
        return data

    def _kept(self, face: fonts.FontFace, digest: str) -> Path | None:
        """Where the subset of *face* for *digest* is kept: named by the font's
        own digest too, so that a changed font makes new subsets."""
        if self.folder is None:
            return None
        st = face.path.stat()
        key = hashlib.sha256(f'{face.sha256} {st.st_size} {st.st_mtime_ns}'.encode()).hexdigest()[:12]
        return self.folder / f'{Path(face.file).stem}-{key}-{digest}.woff2'
