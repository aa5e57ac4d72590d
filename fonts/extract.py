"""Reproduce the fonts shipped in this folder from the Debian font packages.

    python fonts/extract.py            # needs fonts-noto-cjk and fonts-lxgw-wenkai

The Noto CJK collections (.ttc) hold one face per region; the Simplified
Chinese face is taken out of each and trimmed to the glyphs its own character
map and Chinese layout features reach (the glyphs only used by the Japanese,
Korean and Traditional Chinese faces go), which halves the size.  LXGW WenKai
is copied unchanged (its licence reserves its name for unmodified builds).
Then manifest.json is rewritten with versions and SHA-256 sums.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import sys
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


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    entries = []
    for role, name, src, face, licence in FONTS:
        out = HERE / name
        if not out.exists():
            print('making', name, flush=True)
            if face is None:
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
            'source': f'Debian {src} ({face or "unchanged"})',
        })
    (HERE / 'manifest.json').write_text(
        json.dumps({'fonts': entries}, ensure_ascii=False, indent=2) + '\n', encoding='utf-8')


if __name__ == '__main__':
    main()
