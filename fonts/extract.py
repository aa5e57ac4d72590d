"""Reproduce the fonts shipped in this folder from the Debian font packages
and, for the emoji, a PyPI wheel.

    python fonts/extract.py            # needs fonts-noto-cjk and fonts-lxgw-wenkai
    pip download --no-deps manimgx-fonts==2026.9.26.post1 -d /tmp/wheels
    python fonts/extract.py --emoji-wheel /tmp/wheels/manimgx_fonts-2026.9.26.post1-py3-none-any.whl

The Noto CJK collections (.ttc) hold one face per region; the Simplified
Chinese face is taken out of each and trimmed to the glyphs its own character
map and Chinese layout features reach (the glyphs only used by the Japanese,
Korean and Traditional Chinese faces go), which halves the size.  LXGW WenKai
is copied unchanged (its licence reserves its name for unmodified builds).
Noto Emoji (monochrome; OFL, no reserved name) is published as a variable
font with a weight axis; the regular instance (wght 400) is shipped, as Word
and the DOCX edition take static fonts only.
Then manifest.json is rewritten with versions and SHA-256 sums; files already
here are kept.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import sys
import zipfile
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

HERE = Path(__file__).resolve().parent
NOTO = Path('/usr/share/fonts/opentype/noto')
LXGW = Path('/usr/share/fonts/truetype/lxgw-wenkai')

# role, output file, source, face name in the collection (None: copy as is), licence
FONTS = [
    ('serif', 'NotoSerifCJKsc-Regular.otf', NOTO / 'NotoSerifCJK-Regular.ttc', 'NotoSerifCJKsc-Regular', 'OFL-Noto-CJK.txt'),
    ('serif-bold', 'NotoSerifCJKsc-Bold.otf', NOTO / 'NotoSerifCJK-Bold.ttc', 'NotoSerifCJKsc-Bold', 'OFL-Noto-CJK.txt'),
    ('sans', 'NotoSansCJKsc-Regular.otf', NOTO / 'NotoSansCJK-Regular.ttc', 'NotoSansCJKsc-Regular', 'OFL-Noto-CJK.txt'),
    ('sans-bold', 'NotoSansCJKsc-Bold.otf', NOTO / 'NotoSansCJK-Bold.ttc', 'NotoSansCJKsc-Bold', 'OFL-Noto-CJK.txt'),
    ('kai', 'LXGWWenKai-Regular.ttf', LXGW / 'LXGWWenKai-Regular.ttf', None, 'OFL-LXGW-WenKai.txt'),
]

# The last fallback of every role: from the wheel named on the command line.
EMOJI = ('emoji', 'NotoEmoji-Regular.ttf', 'OFL-Noto-Emoji.txt')
EMOJI_WHEEL = 'manimgx_fonts-2026.9.26.post1-py3-none-any.whl'
EMOJI_MEMBER = 'manimgx_fonts/NotoEmoji[wght].ttf'
EMOJI_MEMBER_SHA256 = 'de6c18832938afc99caf132b39d6a30a19bac7f2e812e28db2535b4608d27551'

# Layout features kept: the defaults plus Chinese punctuation spacing and
# vertical forms.  'locl' is left out on purpose: in the SC face it only
# switches to the other regions' glyph shapes.
FEATURES = [f for f in subset.Options().layout_features if f != 'locl'] + [
    'halt', 'palt', 'vhal', 'vpal', 'vert', 'vrt2', 'vkrn', 'fwid', 'hwid', 'pwid']


def extract_face(src: Path, psname: str, out: Path) -> None:
    coll = TTCollection(str(src))
    for font in coll.fonts:
        if font['name'].getDebugName(6) == psname:
            break
    else:
        sys.exit(f'{src}: no face {psname}')
    opts = subset.Options()
    opts.layout_features = FEATURES
    opts.name_IDs = ['*']
    opts.name_languages = ['*']
    opts.notdef_outline = True
    opts.glyph_names = False
    opts.hinting = True
    opts.legacy_kern = True
    opts.drop_tables = [t for t in opts.drop_tables if t not in ('BASE', 'VORG')]
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=font.getBestCmap().keys())
    sub.subset(font)
    font.save(str(out))


def extract_emoji(wheel: Path, out: Path) -> None:
    """The regular instance of the variable Noto Emoji in *wheel*."""
    import io
    from fontTools.varLib import instancer
    data = zipfile.ZipFile(wheel).read(EMOJI_MEMBER)
    if hashlib.sha256(data).hexdigest() != EMOJI_MEMBER_SHA256:
        sys.exit(f'{wheel}: {EMOJI_MEMBER} is not the expected file')
    font = instancer.instantiateVariableFont(TTFont(io.BytesIO(data)), {'wght': 400},
                                             updateFontNames=False)
    font.recalcTimestamp = False                # the same bytes on every run
    font.save(str(out))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    wheel = Path(sys.argv[sys.argv.index('--emoji-wheel') + 1]) if '--emoji-wheel' in sys.argv else None
    entries = []
    for role, name, src, face, licence in FONTS + [EMOJI[:2] + (wheel, None) + EMOJI[2:]]:
        out = HERE / name
        if not out.exists():
            print('making', name, flush=True)
            if role == EMOJI[0]:
                if wheel is None:
                    sys.exit(f'{name} is missing: give --emoji-wheel (see the docstring)')
                extract_emoji(wheel, out)
            elif face is None:
                shutil.copyfile(src, out)
            else:
                extract_face(src, face, out)
        font = TTFont(str(out), lazy=True)
        names = font['name']
        family = names.getDebugName(16) or names.getDebugName(1)
        entries.append({
            'role': role,
            'family': family,
            'style': 'bold' if role.endswith('-bold') else 'regular',
            'postscript_name': names.getDebugName(6),
            'file': name,
            'version': names.getDebugName(5),
            'sha256': sha256(out),
            'license': licence,
            'source': (f'PyPI {EMOJI_WHEEL} {EMOJI_MEMBER} (instance wght=400)' if role == EMOJI[0]
                       else f'Debian {src} ({face or "unchanged"})'),
        })
    (HERE / 'manifest.json').write_text(
        json.dumps({'fonts': entries}, ensure_ascii=False, indent=2) + '\n', encoding='utf-8')


if __name__ == '__main__':
    main()
