"""The interface's fonts: each page links the shipped fonts cut down to its
own characters (and the interface's messages), as WOFF2, kept in the cache folder."""
from __future__ import annotations

import io
import re

import pytest

from serve_helpers import NAME, client, make_project


@pytest.fixture
def root(tmp_path, monkeypatch):
    monkeypatch.setenv('XDG_CACHE_HOME', str(tmp_path / 'cache'))
    return make_project(tmp_path)


def _fonts(c, page: str, lang: str = 'en') -> tuple[str, dict[str, bytes]]:
    """The page's font stylesheet and every subset it names."""
    html = c.get(page, headers={'Accept-Language': lang}).text
    [sheet] = re.findall(r'<link rel="stylesheet" class="desk-fonts" href="(/fonts/[0-9a-f]{16}\.css)">', html)
    css = c.get(sheet)
    assert css.status_code == 200 and css.headers['content-type'].startswith('text/css')
    urls = re.findall(r'url\("(/fonts/[a-z-]+-[0-9a-f]{16}\.woff2)"\)', css.text)
    assert len(urls) == 5
    files = {}
    for url in urls:
        response = c.get(url)
        assert response.status_code == 200 and response.headers['content-type'] == 'font/woff2'
        assert 'immutable' in response.headers['cache-control']
        files[url] = response.content
    return sheet, files


def _cmap(data: bytes) -> set[int]:
    from fontTools.ttLib import TTFont
    return set(TTFont(io.BytesIO(data)).getBestCmap())


def test_the_proofing_view_gets_small_subsets_holding_its_characters(root):
    c = client(root)
    _, files = _fonts(c, f'/a/{NAME}')
    for url, data in files.items():
        assert data.startswith(b'wOF2'), url
        assert len(data) < 400_000, (url, len(data))        # a whole shipped font is 11–17 MB
        chars = _cmap(data)
        assert {ord(ch) for ch in '督导考评砥砺前行'} <= chars, url       # the article's
        assert {ord(ch) for ch in 'Breaks tocheck'} <= chars, url        # the interface's
    sans = next(data for url, data in files.items() if '/sans-' in url)
    assert ord('鑫') not in _cmap(sans)                        # not on the page


def test_a_chinese_page_has_the_chinese_messages_it_may_show(root):
    c = client(root)
    _, files = _fonts(c, '/', lang='zh-CN')
    sans = next(data for url, data in files.items() if '/sans-' in url)
    # 规范化 is in no text of the library page, but in an error it may show
    assert {ord(ch) for ch in '文章库规范化'} <= _cmap(sans)


def test_subsets_are_made_once_and_kept_in_the_cache_folder(root, tmp_path):
    c = client(root)
    sheet, files = _fonts(c, f'/a/{NAME}')
    kept = sorted((tmp_path / 'cache' / 'publish' / 'serve-fonts').glob('*.woff2'))
    assert len(kept) == 5
    assert sorted(p.read_bytes() for p in kept) == sorted(files.values())
    # another server (nothing in memory) serves them from the cache folder
    again = client(root)
    assert all(again.get(url).content == data for url, data in files.items())
    # the same page gives the same fonts; a page with other characters others
    assert _fonts(again, f'/a/{NAME}')[0] == sheet
    assert _fonts(again, '/')[0] != sheet


@pytest.mark.parametrize('path', [
    '/fonts/sans-0123456789abcdef.woff2',           # no page named these characters
    '/fonts/emoji-0123456789abcdef.woff2',
    '/fonts/NotoSansCJKsc-Regular.otf',             # no whole font
    '/fonts/..%2Fmanifest.json',
    '/fonts/0123456789abcdef.css.map',
])
def test_nothing_else_is_served_from_fonts(root, path):
    assert client(root).get(path).status_code == 404
