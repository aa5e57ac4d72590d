"""The shipped fonts, their manifest, and the glyph coverage check."""
from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from pathlib import Path

import pytest

from edition_samples import sample_article, seed_article
from publish import fonts
from publish.errors import FontError
from publish.model import Caption, Figure, Headline, HeadlinePart, HeadlineRole, Paragraph


def test_manifest_lists_every_role_with_file_licence_and_checksum():
    data = json.loads(fonts.MANIFEST.read_text(encoding='utf-8'))
    roles = [e['role'] for e in data['fonts']]
    assert set(roles) == set(fonts.ROLES) and len(roles) == len(set(roles))
    for entry in data['fonts']:
        path = fonts.FONTS_DIR / entry['file']
        assert path.is_file()
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry['sha256'], entry['file']
        assert (fonts.FONTS_DIR / entry['license']).is_file()
        assert 'SIL OPEN FONT LICENSE' in (fonts.FONTS_DIR / entry['license']).read_text(encoding='utf-8')
        assert entry['family'] and entry['version']


def test_families_and_paths():
    fams = fonts.families()
    assert fams['serif'] == fams['serif-bold'] == 'Noto Serif CJK SC'
    assert fams['sans-bold'] == 'Noto Sans CJK SC'
    assert fams['kai'] == 'LXGW WenKai'
    assert fonts.path('kai').name == 'LXGWWenKai-Regular.ttf'
    assert fonts.face('serif-bold').css_weight == 700
    with pytest.raises(KeyError):
        fonts.face('mono')


def test_fonts_folder_stays_small():
    total = sum(p.stat().st_size for p in fonts.FONTS_DIR.iterdir() if p.is_file())
    assert total < 100 * 1024 * 1024


def test_font_face_css_uses_distinct_family_names():
    css = fonts.font_face_css(lambda f: 'x/' + f.file)
    assert css.count('@font-face') == len(fonts.faces()) + 1     # the emoji stands in for bold too
    assert set(re.findall(r'font-family: "([^"]+)"', css)) == {
        'Publish Song', 'Publish Hei', 'Publish Kai', 'Publish Emoji'}
    for face in fonts.faces():
        assert f'url("x/{face.file}")' in css
    only = fonts.font_face_css(lambda f: f.file, roles={'kai'})
    assert only.count('@font-face') == 1 and 'Publish Kai' in only


def test_seed_and_sample_are_covered(tmp_path):
    fonts.check_coverage(seed_article())
    fonts.check_coverage(sample_article(tmp_path))


@pytest.mark.parametrize('block_of', [
    lambda t: Paragraph('前文' + t + '后文'),
    lambda t: Caption('图片' + t),
    lambda t: Headline((HeadlinePart(HeadlineRole.TITLE, '标题' + t),)),
    lambda t: Figure(Path('x.png'), caption='说明' + t),
])
def test_missing_glyph_names_char_block_and_snippet(tmp_path, block_of):
    art = sample_article(tmp_path)
    bad = dataclasses.replace(art, blocks=art.blocks[:3] + (block_of('\U00017000'),) + art.blocks[3:])
    with pytest.raises(FontError) as err:
        fonts.check_coverage(bad)
    msg = str(err.value)
    assert 'U+17000' in msg and '\U00017000' in msg
    assert 'block 4' in msg
    assert '\U00017000后文' in msg or msg.count('\U00017000') >= 2


def test_several_missing_glyphs_are_counted(tmp_path):
    art = sample_article(tmp_path)
    bad = dataclasses.replace(art, blocks=art.blocks + (Paragraph('\U00017000 \U00017001 \ue000'),))
    with pytest.raises(FontError) as err:
        fonts.check_coverage(bad)
    assert '2 more' in str(err.value)


def test_whitespace_needs_no_glyph(tmp_path):
    art = sample_article(tmp_path)
    spaced = dataclasses.replace(art, blocks=art.blocks + (
        Paragraph('甲\u3000乙\t丙\u00a0丁\u2003戊\n己\u200b庚'),))
    fonts.check_coverage(spaced)
    assert not fonts.needs_glyph('\u2029')
    assert fonts.has_glyph('中') and not fonts.has_glyph('\U00017000')


def test_used_chars_cover_the_article(tmp_path):
    art = sample_article(tmp_path)
    used = set(fonts.used_chars(art))
    assert set(art.title) <= used and set('郑州日报') <= used


def test_the_emoji_font_draws_only_what_the_text_fonts_lack():
    assert fonts.FALLBACK_ROLE == 'emoji' and fonts.face('emoji').family == 'Noto Emoji'
    assert fonts.has_glyph('\U0001F44D') and fonts.needs_fallback('\U0001F44D')
    assert fonts.fallback_chars('点赞1#©👍A') == '\U0001F44D'          # digits and © stay in the text fonts
    assert fonts.fallback_runs('点赞👍👍🏽好 👩\u200d💻') == [
        ('点赞', False), ('👍👍🏽', True), ('好 ', False), ('👩\u200d💻', True)]
    assert fonts.fallback_runs('') == [] and fonts.fallback_runs('正文') == [('正文', False)]


def test_a_character_no_shipped_font_has_is_still_refused(tmp_path):
    art = sample_article(tmp_path)
    with pytest.raises(FontError) as err:
        fonts.check_coverage(dataclasses.replace(art, blocks=art.blocks + (Paragraph('点赞👍西夏\U00017000'),)))
    assert 'U+17000' in str(err.value) and 'U+1F44D' not in str(err.value)


def test_subset_keeps_every_layout_feature_and_name_record():
    import io
    from fontTools.ttLib import TTFont

    full = TTFont(fonts.path('serif'), lazy=True)
    cut = TTFont(io.BytesIO(fonts.subset(fonts.face('serif'), '，。“”党建97')))
    gpos = {r.FeatureTag for r in cut['GPOS'].table.FeatureList.FeatureRecord}
    assert {'halt', 'kern', 'palt'} <= gpos          # HarfBuzz's defaults and the others
    gsub = {r.FeatureTag for r in cut['GSUB'].table.FeatureList.FeatureRecord}
    assert 'vert' in gsub
    names = {(n.nameID, n.langID) for n in cut['name'].names}
    assert {(n.nameID, n.langID) for n in full['name'].names} <= names   # licence (13, 14) too
    assert cut['name'].getDebugName(13)
