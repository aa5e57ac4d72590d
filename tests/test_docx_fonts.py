"""Fonts embedded in the DOCX (ECMA-376 §17.8), read back from the package,
with fontTools, python-docx and LibreOffice."""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from lxml import etree

from edition_samples import sample_article, seed_article, write_file
from publish import fonts
from publish.render import docx_fonts
from publish.layout import load_layout


def render_docx(article, layout, out_path):
    return write_file('docx', article, layout or load_layout('default'), out_path)

W = '{http://schemas.openxmlformats.org/wordprocessingml/2006/main}'
R = '{http://schemas.openxmlformats.org/officeDocument/2006/relationships}'
PR = '{http://schemas.openxmlformats.org/package/2006/relationships}'
CT = '{http://schemas.openxmlformats.org/package/2006/content-types}'
GUID = re.compile(r'^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$')
SOFFICE = shutil.which('soffice') or shutil.which('libreoffice')


@pytest.fixture(scope='module')
def seed_docx(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp('seed')
    return render_docx(seed_article(root), None, root / 'seed.docx')


def parts_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def embedded_fonts(parts: dict[str, bytes]) -> list[tuple[str, bool, TTFont]]:
    """(family, bold, de-obfuscated font) for every embed element of the font table."""
    rels = etree.fromstring(parts['word/_rels/fontTable.xml.rels'])
    targets = {r.get('Id'): 'word/' + r.get('Target') for r in rels.iter(PR + 'Relationship')}
    out = []
    for font in etree.fromstring(parts['word/fontTable.xml']).iter(W + 'font'):
        for tag, bold in (('embedRegular', False), ('embedBold', True)):
            for el in font.findall(W + tag):
                key = el.get(W + 'fontKey')
                assert GUID.match(key), key
                data = docx_fonts.obfuscate(parts[targets[el.get(R + 'id')]], key)
                out.append((font.get(W + 'name'), bold, TTFont(io.BytesIO(data))))
    return out


def test_obfuscation_xors_the_first_32_bytes_with_the_key_read_backwards():
    key = '{00112233-4455-6677-8899-AABBCCDDEEFF}'
    data = bytes(40)
    out = docx_fonts.obfuscate(data, key)
    backwards = bytes.fromhex('FFEEDDCCBBAA99887766554433221100')
    assert out == backwards * 2 + bytes(8)
    assert docx_fonts.obfuscate(out, key) == data


def test_odttf_deobfuscates_to_truetype_fonts_holding_the_documents_characters(seed_docx):
    parts = parts_of(seed_docx)
    embedded = embedded_fonts(parts)
    used = docx_fonts.characters_by_face(parts)
    assert {(family, bold) for family, bold, _ in embedded} == set(used)
    for family, bold, font in embedded:
        assert font.sfntVersion == '\x00\x01\x00\x00'          # TrueType outlines …
        assert 'glyf' in font and 'CFF ' not in font          # … not CFF
        assert font['name'].getBestFamilyName() == family
        cmap = font.getBestCmap()
        missing = {c for c in used[(family, bold)] if fonts.needs_glyph(c) and ord(c) not in cmap}
        assert not missing, (family, bold, sorted(missing)[:10])
        glyf = font['glyf']
        han = next(c for c in sorted(used[(family, bold)]) if '\u4e00' <= c <= '\u9fff')
        assert glyf[cmap[ord(han)]].numberOfContours > 0     # real outlines, not empty glyphs
    assert {f for f, _, _ in embedded} == {'Noto Serif CJK SC', 'Noto Sans CJK SC', 'LXGW WenKai'}


def test_body_bold_and_kai_runs_are_in_their_faces(seed_docx):
    used = docx_fonts.characters_by_face(parts_of(seed_docx))
    assert '嘹' in used[('Noto Serif CJK SC', False)]          # body text
    assert '责' in used[('Noto Sans CJK SC', True)]            # run-in heads (character style)
    assert '景' in used[('LXGW WenKai', False)]                # byline
    assert '嘹' not in used[('LXGW WenKai', False)]


def test_font_table_settings_and_content_types(seed_docx):
    parts = parts_of(seed_docx)
    table = etree.fromstring(parts['word/fontTable.xml'])
    alt = {f.get(W + 'name'): f.find(W + 'altName').get(W + 'val') for f in table.iter(W + 'font')}
    assert alt == {'Noto Serif CJK SC': '宋体', 'Noto Sans CJK SC': '黑体', 'LXGW WenKai': '楷体'}
    for font in table.iter(W + 'font'):
        tags = [etree.QName(el).localname for el in font]
        assert tags[0] == 'altName'
        embeds = [t for t in tags if t.startswith('embed')]
        assert embeds and tags[-len(embeds):] == embeds             # last, in schema order
        assert embeds == sorted(embeds, key=['embedRegular', 'embedBold'].index)
    rels = etree.fromstring(parts['word/_rels/fontTable.xml.rels'])
    for rel in rels.iter(PR + 'Relationship'):
        assert rel.get('Type') == docx_fonts.FONT_REL
        assert re.fullmatch(r'fonts/font\d+\.odttf', rel.get('Target'))
        assert 'word/' + rel.get('Target') in parts
    settings = [etree.QName(el).localname for el in etree.fromstring(parts['word/settings.xml'])]
    i = settings.index('embedTrueTypeFonts')
    assert settings[i + 1] == 'saveSubsetFonts'
    assert settings.index('zoom') < i < settings.index('defaultTabStop')
    types = etree.fromstring(parts['[Content_Types].xml'])
    assert any(d.get('Extension') == 'odttf' and d.get('ContentType') == docx_fonts.ODTTF_CONTENT_TYPE
               for d in types.iter(CT + 'Default'))


def test_seed_docx_is_small_and_reproducible(seed_docx, tmp_path):
    assert seed_docx.stat().st_size < 1.5 * 2**20
    again = render_docx(seed_article(tmp_path), None, tmp_path / 'again.docx')
    assert again.read_bytes() == seed_docx.read_bytes()


def test_python_docx_opens_the_package(seed_docx):
    from docx import Document
    doc = Document(str(seed_docx))
    text = ''.join(p.text for p in doc.paragraphs)
    assert '为向建党97周年献礼' in text


def hidden_cjk_fonts(workdir: Path) -> dict[str, str]:
    """An environment whose fontconfig rejects every font that covers Chinese,
    Japanese or Korean (LibreOffice needs some font to start)."""
    langs = ''.join(f'<pattern><patelt name="lang"><string>{lang}</string></patelt></pattern>'
                    for lang in ('zh-cn', 'zh-tw', 'zh-hk', 'ja', 'ko'))
    conf = workdir / 'no-cjk-fonts.conf'
    conf.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>'
                    '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
                    f'<cachedir>{workdir / "fc-cache"}</cachedir>'
                    f'<selectfont><rejectfont>{langs}</rejectfont></selectfont></fontconfig>\n',
                    encoding='utf-8')
    return dict(os.environ, HOME=str(workdir), FONTCONFIG_FILE=str(conf))


def test_libreoffice_sets_the_docx_in_its_own_fonts_without_system_cjk_fonts(seed_docx, tmp_path):
    assert SOFFICE and shutil.which('pdffonts'), 'LibreOffice and poppler come with scripts/setup.sh --test'
    env = hidden_cjk_fonts(tmp_path)
    for lang in ('zh', 'ja', 'ko'):                              # no system font to stand in
        listed = subprocess.run(['fc-list', f':lang={lang}'], env=env, capture_output=True, text=True)
        assert listed.stdout.strip() == ''
    subprocess.run([SOFFICE, f'-env:UserInstallation={(tmp_path / "lo").as_uri()}', '--headless',
                    '--norestore', '--convert-to', 'pdf', '--outdir', str(tmp_path), str(seed_docx)],
                   check=True, capture_output=True, timeout=240, env=env)
    pdf = tmp_path / (seed_docx.stem + '.pdf')
    lines = subprocess.run(['pdffonts', str(pdf)], check=True, capture_output=True,
                           text=True).stdout.splitlines()[2:]
    names = {line.split()[0].split('+')[-1] for line in lines if line.strip()}
    assert names == {'NotoSerifCJKsc-Regular', 'NotoSansCJKsc-Regular', 'NotoSansCJKsc-Bold',
                     'LXGWWenKai-Regular'}, names
    text = subprocess.run(['pdftotext', '-enc', 'UTF-8', str(pdf), '-'], check=True,
                          capture_output=True).stdout.decode('utf-8')
    assert '嘹亮的国歌声' in re.sub(r'\s', '', text)


def test_a_family_that_is_not_shipped_is_not_embedded(tmp_path):
    layout = tmp_path / 'layouts' / 'own'
    layout.mkdir(parents=True)
    (layout / 'docx.yaml').write_text('styles:\n  Normal:\n    font: SimSun\n', encoding='utf-8')
    out = render_docx(sample_article(tmp_path), load_layout('own', tmp_path), tmp_path / 'own.docx')
    parts = parts_of(out)
    families = {f for f, _, _ in embedded_fonts(parts)}
    assert 'SimSun' not in families and 'Noto Sans CJK SC' in families


def test_glyphs_converted_before_give_the_same_bytes(seed_docx, tmp_path, monkeypatch):
    monkeypatch.setenv('XDG_CACHE_HOME', str(tmp_path / 'cold'))
    cold = render_docx(seed_article(tmp_path), None, tmp_path / 'cold.docx')
    kept = list((tmp_path / 'cold' / 'publish' / 'truetype-glyphs').iterdir())
    assert len(kept) == 3                      # the CFF faces the seed uses: Song, Hei, Hei bold
    warm = render_docx(seed_article(tmp_path), None, tmp_path / 'warm.docx')
    assert cold.read_bytes() == warm.read_bytes() == seed_docx.read_bytes()
    for path in kept:                          # a cache cut short is read up to the cut
        path.write_bytes(path.read_bytes()[:1000])
    again = render_docx(seed_article(tmp_path), None, tmp_path / 'again.docx')
    assert again.read_bytes() == cold.read_bytes()
