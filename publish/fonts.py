"""The fonts every edition embeds, as listed in ``fonts/manifest.json``.

Roles: ``serif`` and ``serif-bold`` (Song, body text), ``sans`` and
``sans-bold`` (Hei, headlines and Q&A heads), ``kai`` (Kai, bylines and
captions), and ``emoji`` (monochrome emoji), the last fallback of every
other role: it draws only what none of the text fonts has
(:func:`fallback_runs`).  The manifest is read once, on first use.

HTML-based editions refer to the fonts by the distinctive CSS family names in
:data:`CSS_FAMILIES`, declared with ``@font-face`` rules that point at the
shipped files (:func:`font_face_css`), so that no system copy of the same font
can be picked by fontconfig.

:func:`check_coverage` makes sure every character of an article has a glyph
in one of the shipped fonts before anything is rendered.
"""
from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator

from publish import codepoints
from publish.codepoints import CodePoints
from publish.errors import FontError

#: The folder holding the shipped fonts, their licences and manifest.json.
FONTS_DIR = Path(__file__).resolve().parent.parent / 'fonts'
MANIFEST = FONTS_DIR / 'manifest.json'

ROLES = ('serif', 'serif-bold', 'sans', 'sans-bold', 'kai', 'emoji')

#: The role whose font is the last fallback of every other role.
FALLBACK_ROLE = 'emoji'

#: CSS family name and font-weight per role.  The names are deliberately not
#: those of any installed font.
CSS_FAMILIES: dict[str, tuple[str, int]] = {
    'serif': ('Publish Song', 400),
    'serif-bold': ('Publish Song', 700),
    'sans': ('Publish Hei', 400),
    'sans-bold': ('Publish Hei', 700),
    'kai': ('Publish Kai', 400),
    'emoji': ('Publish Emoji', 400),
}

# Characters that need no glyph: whitespace (any Unicode space or line
# separator) and format controls that shape nothing by themselves.
_IGNORED_CATEGORIES = {'Zs', 'Zl', 'Zp', 'Cc'}
_IGNORED = {'\u200b', '\u200c', '\u200d', '\u2060', '\ufeff'}


@dataclass(frozen=True)
class FontFace:
    role: str
    family: str              # the family name inside the file (for DOCX, and in pdffonts as PS name)
    file: str
    path: Path
    version: str
    sha256: str
    license: str
    postscript_name: str = ''
    style: str = 'regular'

    @property
    def css_family(self) -> str:
        return CSS_FAMILIES[self.role][0]

    @property
    def css_weight(self) -> int:
        return CSS_FAMILIES[self.role][1]

    @property
    def css_weights(self) -> tuple[int, ...]:
        """The weights the face is declared for: the fallback font, which has
        one weight, stands in for bold text too (rather than being emboldened)."""
        return (400, 700) if self.role == FALLBACK_ROLE else (self.css_weight,)

    @property
    def media_type(self) -> str:
        return 'font/otf' if self.path.suffix.lower() == '.otf' else 'font/ttf'


@lru_cache(maxsize=None)
def _load(manifest_path: Path) -> tuple[FontFace, ...]:
    try:
        data = json.loads(manifest_path.read_text(encoding='utf-8'))
    except OSError as exc:
        raise FontError(f'cannot read the font manifest: {exc.strerror}', manifest_path) from None
    except ValueError as exc:
        raise FontError(f'the font manifest is not valid JSON: {exc}', manifest_path) from None
    faces = []
    for i, entry in enumerate(data.get('fonts', []) if isinstance(data, dict) else []):
        try:
            face = FontFace(
                role=entry['role'], family=entry['family'], file=entry['file'],
                path=manifest_path.parent / entry['file'], version=entry.get('version', ''),
                sha256=entry.get('sha256', ''), license=entry.get('license', ''),
                postscript_name=entry.get('postscript_name', ''),
                style=entry.get('style', 'regular'))
        except (KeyError, TypeError):
            raise FontError(f'font entry {i + 1} lacks role, family or file', manifest_path) from None
        if face.role not in CSS_FAMILIES:
            raise FontError(f'font entry {i + 1} has unknown role {face.role!r}', manifest_path)
        if not face.path.is_file():
            raise FontError(f'font file {face.file} listed in the manifest is missing', face.path)
        faces.append(face)
    missing = [r for r in ROLES if not any(f.role == r for f in faces)]
    if missing:
        raise FontError(f'the font manifest names no font for {", ".join(missing)}', manifest_path)
    return tuple(faces)


def faces() -> tuple[FontFace, ...]:
    """Every shipped font, in manifest order."""
    return _load(MANIFEST)


def face(role: str) -> FontFace:
    """The shipped font for *role* (``serif``, ``serif-bold``, ``sans``, ``sans-bold``, ``kai``)."""
    for f in faces():
        if f.role == role:
            return f
    raise KeyError(role)


def path(role: str) -> Path:
    """The font file for *role*."""
    return face(role).path


def family(role: str) -> str:
    """The family name inside the font file for *role* (what DOCX names)."""
    return face(role).family


def families() -> dict[str, str]:
    """Role → family name inside the font file, for every role."""
    return {f.role: f.family for f in faces()}


def postscript_names() -> frozenset[str]:
    """PostScript names inside the shipped font files."""
    return frozenset(f.postscript_name for f in faces())


def pdf_font_names() -> frozenset[str]:
    """The font names WeasyPrint writes for the shipped fonts (``pdffonts``, after
    the subset tag): the CSS family, dashed, with ``-Bold`` for bold faces."""
    return frozenset(f.css_family.replace(' ', '-') + ('-Bold' if weight >= 600 else '')
                     for f in faces() for weight in f.css_weights)


def font_face_css(url_for: Callable[[FontFace], str], roles: Iterable[str] | None = None, *,
                  file_format: str | None = None, display: str | None = None) -> str:
    """``@font-face`` rules for the shipped fonts (those of *roles*, or all);
    *url_for* gives each file's URL, *file_format* its ``format()`` (by
    default the shipped file's: opentype or truetype), *display* the
    ``font-display`` descriptor, if any."""
    wanted = set(roles) if roles is not None else None
    rules = []
    for f in faces():
        if wanted is not None and f.role not in wanted:
            continue
        fmt = file_format or ('opentype' if f.path.suffix.lower() == '.otf' else 'truetype')
        for weight in f.css_weights:
            rules.append(
                '@font-face {\n'
                f'  font-family: "{f.css_family}";\n'
                f'  src: url("{url_for(f)}") format("{fmt}");\n'
                f'  font-weight: {weight};\n'
                '  font-style: normal;\n'
                + (f'  font-display: {display};\n' if display else '')
                + '}')
    return '\n'.join(rules) + '\n'


def _hb_face(font_path: Path):
    """The font file as a HarfBuzz face.  Not kept: five CJK faces held for
    the whole run would add about 30 MB to every process."""
    import uharfbuzz as hb
    return hb.Face(hb.Blob.from_file_path(str(font_path)))


@lru_cache(maxsize=None)
def _cmap(font_path: Path) -> CodePoints:
    return codepoints.of_font(font_path)


def cmap(role: str) -> CodePoints:
    """Code points that the font for *role* has a glyph for."""
    return _cmap(path(role))


@lru_cache(maxsize=None)
def _covered_all() -> CodePoints:
    return _covered_by_text_fonts() | _cmap(face(FALLBACK_ROLE).path)


@lru_cache(maxsize=None)
def _covered_by_text_fonts() -> CodePoints:
    return codepoints.union(*(_cmap(f.path) for f in faces() if f.role != FALLBACK_ROLE))


def needs_fallback(char: str) -> bool:
    """True when only the fallback font (emoji) can draw *char*."""
    code = ord(char)
    return (code not in _covered_by_text_fonts() and needs_glyph(char)
            and code in _cmap(face(FALLBACK_ROLE).path))


def fallback_chars(text: str) -> str:
    """The distinct characters of *text* that only the fallback font draws, sorted."""
    return ''.join(sorted({c for c in text if needs_fallback(c)}))


def fallback_runs(text: str) -> list[tuple[str, bool]]:
    """*text* cut into runs, each with whether it is set in the fallback font:
    a character only that font draws starts a fallback run, and what belongs
    to it (joiners, variation selectors, skin tones) stays in it.  The runs
    joined give *text* back."""
    if text and not any(map(needs_fallback, set(text))):
        return [(text, False)]              # the common case, without walking the graphemes
    from publish.graphemes import is_boundary

    runs: list[tuple[str, bool]] = []
    start, current = 0, None
    for i, ch in enumerate(text):
        if current is not None and not is_boundary(text, i):
            continue
        fallback = needs_fallback(ch) if needs_glyph(ch) else bool(current)
        if fallback != current:
            if current is not None:
                runs.append((text[start:i], current))
            start, current = i, fallback
    if current is not None:
        runs.append((text[start:], current))
    return runs


def needs_glyph(char: str) -> bool:
    """False for whitespace and invisible controls, which no font has to draw."""
    return not (char.isspace() or char in _IGNORED
                or unicodedata.category(char) in _IGNORED_CATEGORIES)


def has_glyph(char: str) -> bool:
    """True when some shipped font can draw *char*."""
    return ord(char) in _covered_all()


def _article_texts(article) -> Iterator[tuple[str, str]]:
    """(where, text) for every piece of text an edition prints."""
    from publish.model import BlockVisitor, block_text

    class PrintedText(BlockVisitor):
        where = 'font coverage'

        def headline(self, block):
            return '\n'.join(p.text for p in block.parts)

        def byline(self, block):
            return '\n'.join(block.lines)

        def figure(self, block):
            return '\n'.join(t for t in (block.caption, block.credit, block.alt) if t)

        def paragraph(self, block):
            return block_text(block)

        qa_head = subhead = caption = editor_note = paragraph

    meta = article.meta
    if getattr(meta, 'publication', ''):
        yield 'the publication name (running header)', meta.publication
    printed = PrintedText()
    for n, block in enumerate(article.blocks, 1):
        yield f'block {n} ({type(block).__name__})', printed.visit(block)
    for c in article.contributors:
        yield 'the contributors', f'{c.title}{c.name}'


def missing_chars(texts: Iterable[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """(char, where, snippet) for every character without a glyph, first occurrence each."""
    covered = _covered_all()
    seen: set[str] = set()
    out = []
    for where, text in texts:
        for i, ch in enumerate(text):
            if ch in seen or ord(ch) in covered or not needs_glyph(ch):
                continue
            seen.add(ch)
            snippet = text[max(0, i - 8):i + 9].replace('\n', ' ')
            out.append((ch, where, snippet))
    return out


def check_coverage(article) -> None:
    """Raise :class:`FontError` if a character of *article* has no glyph in any shipped font.

    The message names the character (U+XXXX and the character itself), the
    block it occurs in and a snippet around it; further missing characters are
    counted.  Whitespace is ignored.
    """
    missing = missing_chars(_article_texts(article))
    if not missing:
        return
    ch, where, snippet = missing[0]
    name = unicodedata.name(ch, '')
    msg = (f'no shipped font has a glyph for U+{ord(ch):04X} {ch!r}'
           f'{" (" + name + ")" if name else ""} in {where}: “{snippet}”')
    if len(missing) > 1:
        others = ', '.join(f'U+{ord(c):04X} {c}' for c, _, _ in missing[1:6])
        msg += f'; {len(missing) - 1} more without a glyph: {others}' + (' …' if len(missing) > 6 else '')
    raise FontError(msg, getattr(article, 'source_path', None))


def used_chars(article, extra: str = '') -> str:
    """Every distinct character an edition of *article* prints, sorted (for font subsetting)."""
    chars = set(extra)
    for _, text in _article_texts(article):
        chars.update(text)
    return ''.join(sorted(chars))


def subset(face: FontFace, chars: Iterable[str]) -> bytes:
    """*face*'s file cut down to the glyphs *chars* need (every layout feature
    and name record kept), by HarfBuzz's subsetter: milliseconds where
    fontTools takes a second on a CJK font.  Characters the font lacks are
    ignored; the same face and characters give the same bytes."""
    import uharfbuzz as hb

    wanted = hb.SubsetInput()
    for code in {ord(c) for c in chars if needs_glyph(c)} | {0x20, 0x3000}:
        wanted.unicode_set.add(code)
    # Each set starts with HarfBuzz's defaults (68 common layout features,
    # name IDs 0–6, English): emptied and inverted, it holds everything.
    for kept in (wanted.layout_feature_tag_set,   # every layout feature (halt, vert, locl, …)
                 wanted.name_id_set,              # every name record, licence included
                 wanted.name_lang_id_set):
        kept.clear()
        kept.invert()
    result = hb.subset(_hb_face(face.path), wanted)
    if result is None:
        raise FontError(f'cannot subset the font {face.path.name}', face.path)
    return result.blob.data
