"""Every protection of ``publish serve``, at the HTTP level."""
from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from serve_helpers import BASE, KEY, NAME, client, csrf, make_project



@pytest.fixture
def root(tmp_path):
    return make_project(tmp_path)


def _sidecar(root: Path) -> Path:
    return root / 'seeds' / f'{NAME}.yaml'


# ---------------------------------------------------------------- the access key

def test_without_the_key_every_page_is_refused(root):
    c = client(root, authorized=False)
    for path in ('/', '/new', f'/a/{NAME}', f'/a/{NAME}/download/pdf', '/events', '/static/desk.js'):
        response = c.get(path)
        assert response.status_code == 403, path
        assert 'access key' in response.json()['error']


def test_a_wrong_key_is_refused_and_sets_no_cookie(root):
    c = client(root, authorized=False)
    response = c.get('/?key=not-the-key')
    assert response.status_code == 403
    assert 'set-cookie' not in response.headers


def test_a_wrong_cookie_is_refused(root):
    c = client(root, authorized=False)
    c.cookies.set('publish_key', 'guessed')
    assert c.get('/').status_code == 403


def test_the_key_becomes_an_httponly_samesite_strict_cookie(root):
    c = client(root, authorized=False)
    response = c.get(f'/a/{NAME}?key={KEY}')
    assert response.status_code == 303
    assert response.headers['location'] == f'/a/{NAME}'       # the key leaves the address bar
    cookie = response.headers['set-cookie']
    assert cookie.startswith(f'publish_key={KEY};')
    assert 'HttpOnly' in cookie
    assert 'SameSite=Strict' in cookie
    assert c.get(f'/a/{NAME}').status_code == 200


# ---------------------------------------------------------------- Host header (DNS rebinding)

def test_a_foreign_host_name_is_refused_even_with_the_key(root):
    c = client(root)
    response = c.get('/', headers={'Host': 'attacker.example:8000'})
    assert response.status_code == 400
    assert c.get('/', headers={'Host': 'localhost:8000'}).status_code == 200


# ---------------------------------------------------------------- methods, CSRF, size

def _guarded(max_body: int = 1000):
    """The guard in front of an application that would accept anything."""
    import warnings
    from publish.serve.security import Guard, allowed_hosts
    from starlette.responses import PlainTextResponse
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        from starlette.testclient import TestClient

    async def anything(scope, receive, send):
        body = b''
        while True:
            message = await receive()
            body += message.get('body', b'')
            if message['type'] == 'http.disconnect' or not message.get('more_body'):
                break
        await PlainTextResponse(f'accepted {len(body)}')(scope, receive, send)
    c = TestClient(Guard(anything, KEY, allowed_hosts('127.0.0.1', 8000), max_body),
                   base_url=BASE, follow_redirects=False)
    c.get(f'/?key={KEY}')
    return c


@pytest.mark.parametrize('method', ['PUT', 'DELETE', 'PATCH', 'OPTIONS'])
def test_only_get_and_post_pass_the_guard(method):
    c = _guarded()
    response = c.request(method, '/anything', headers=csrf())
    assert response.status_code == 405


def test_no_route_changes_anything_on_a_get(root):
    c = client(root)
    for path in (f'/a/{NAME}/decision?line=22&join=0', f'/a/{NAME}/block?line=9&kind=subhead',
                 f'/a/{NAME}/details?section=x', f'/a/{NAME}/build',
                 f'/a/{NAME}/figure', '/build', '/suggest-name?text=x'):
        response = c.get(path, headers=csrf())
        assert response.status_code in (404, 405), path
    assert c.get('/new?name=x&text=y', headers=csrf()).status_code == 200      # the form, nothing saved
    assert not _sidecar(root).exists()
    assert sorted(p.name for p in (root / 'seeds').iterdir()) == [f'{NAME}.txt']
    assert not (root / 'dist').exists()


def test_a_post_without_the_csrf_token_changes_nothing(root):
    c = client(root)
    for headers in ({}, {'X-CSRF-Token': 'forged'}):
        response = c.post(f'/a/{NAME}/decision', data={'line': '22', 'join': '0'}, headers=headers)
        assert response.status_code == 403
        assert 'did not come from this page' in response.json()['error']
    assert not _sidecar(root).exists()
    assert c.post(f'/a/{NAME}/decision', data={'line': '22', 'join': '0'}, headers=csrf()).status_code == 200
    assert _sidecar(root).exists()


def test_a_blocks_type_is_not_changed_without_the_csrf_token(root):
    c = client(root)
    for headers in ({}, {'X-CSRF-Token': 'forged'}):
        response = c.post(f'/a/{NAME}/block', data={'line': '9', 'kind': 'subhead'}, headers=headers)
        assert response.status_code == 403
        assert 'did not come from this page' in response.json()['error']
    assert not _sidecar(root).exists()
    assert c.post(f'/a/{NAME}/block', data={'line': '9', 'kind': 'subhead'}, headers=csrf()).status_code == 200
    assert 'subhead' in _sidecar(root).read_text(encoding='utf-8')


def test_a_post_from_another_origin_is_refused(root):
    c = client(root)
    response = c.post(f'/a/{NAME}/decision', data={'line': '22', 'join': '0'},
                      headers={**csrf(), 'Origin': 'http://attacker.example'})
    assert response.status_code == 403
    assert not _sidecar(root).exists()
    response = c.post(f'/a/{NAME}/decision', data={'line': '22', 'join': '0'},
                      headers={**csrf(), 'Origin': BASE})
    assert response.status_code == 200


def test_a_body_over_the_cap_is_refused_before_it_is_read():
    c = _guarded(max_body=1000)
    assert c.post('/x', content=b'a' * 1000, headers=csrf()).text == 'accepted 1000'
    response = c.post('/x', content=b'a' * 1001, headers=csrf())
    assert response.status_code == 413


def test_a_body_without_its_length_is_refused():
    c = _guarded(max_body=1000)

    def chunks():
        yield b'a' * 10
    response = c.post('/x', content=chunks(), headers=csrf())
    assert response.status_code == 411


def test_a_body_longer_than_it_says_is_cut_off():
    c = _guarded(max_body=1000)
    # a client that declares 10 bytes and sends 20: the application never sees the rest
    response = c.post('/x', content=b'a' * 20, headers={**csrf(), 'Content-Length': '10'})
    assert 'accepted 20' not in response.text


# ---------------------------------------------------------------- names and paths

@pytest.mark.parametrize('name', ['../evil', '..', '.hidden', 'a/b', 'a\\b', 'x' * 81, 'a..b', ' / '])
def test_a_bad_article_name_is_refused_and_writes_nothing(root, name):
    c = client(root)
    response = c.post('/new', data={'name': name, 'text': '正文。'}, headers=csrf())
    assert response.status_code == 400
    assert sorted(p.name for p in root.rglob('*') if p.is_file()) == [f'{NAME}.txt']


@pytest.mark.parametrize('path', ['/a/..%2F..%2Fetc%2Fpasswd', '/a/%2E%2E', '/a/.git', '/a/nothing-here'])
def test_a_bad_or_unknown_name_in_the_address_is_not_served(root, path):
    c = client(root)
    response = c.get(path)
    assert response.status_code in (200, 404)
    assert 'root:' not in response.text
    assert 'class="block' not in response.text


def test_a_symbolic_link_out_of_the_project_is_refused(root, tmp_path):
    secret = tmp_path / 'secret.txt'
    secret.write_text('机密的内容。\n', encoding='utf-8')
    os.symlink(secret, root / 'seeds' / 'leak.txt')
    c = client(root)
    response = c.get('/a/leak')
    assert '机密' not in response.text
    response = c.post('/a/leak/decision', data={'line': '1', 'join': '1'}, headers=csrf())
    assert response.status_code == 400
    assert not (tmp_path / 'secret.yaml').exists()


def test_an_existing_article_is_never_overwritten(root):
    c = client(root)
    before = (root / 'seeds' / f'{NAME}.txt').read_bytes()
    response = c.post('/new', data={'name': NAME, 'text': '别的文章。'}, headers=csrf())
    assert response.status_code == 400
    assert 'exists already' in response.json()['error']
    assert (root / 'seeds' / f'{NAME}.txt').read_bytes() == before


# ---------------------------------------------------------------- uploads, by content

def test_an_uploaded_text_is_decoded_like_the_cli_decodes_a_seed(root):
    c = client(root)
    text = '标题\n\n正文第一段，没有完。\n'
    response = c.post('/new', data={'name': 'gbk'}, files={'file': ('a.txt', text.encode('gb18030'), 'text/plain')},
                      headers=csrf())
    assert response.status_code == 200, response.text
    assert (root / 'seeds' / 'gbk.txt').read_text(encoding='utf-8') == text


def test_a_binary_file_is_not_taken_for_an_article(root):
    c = client(root)
    response = c.post('/new', data={'name': 'bin'},
                      files={'file': ('a.txt', b'\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR', 'text/plain')}, headers=csrf())
    assert response.status_code == 400
    assert 'binary' in response.json()['error']
    assert not (root / 'seeds' / 'bin.txt').exists()


def test_an_article_over_the_size_cap_is_refused(root):
    from publish.serve.uploads import MAX_TEXT
    c = client(root)
    response = c.post('/new', data={'name': 'big'},
                      files={'file': ('a.txt', '字'.encode() * (MAX_TEXT // 3 + 1), 'text/plain')}, headers=csrf())
    assert response.status_code in (400, 413)
    assert not (root / 'seeds' / 'big.txt').exists()


def _png(size=(40, 30), mode='RGB') -> bytes:
    from PIL import Image
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, 'PNG')
    return buffer.getvalue()


def _figure(c, name: str, data: bytes):
    return c.post(f'/a/{NAME}/figure', data={'caption': '大会现场'}, files={'file': (name, data, 'image/png')},
                  headers=csrf())


def _jpeg() -> bytes:
    from PIL import Image
    buffer = io.BytesIO()
    Image.effect_noise((120, 80), 40).convert('RGB').save(buffer, 'JPEG')
    return buffer.getvalue()


def _garbled_png() -> bytes:
    """A PNG whose chunks and checksums are right but whose pixels are not compressed data."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data))
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 10, 10, 8, 2, 0, 0, 0))
            + chunk(b'IDAT', b'these are not pixels') + chunk(b'IEND', b''))


def _png_with_a_wrong_checksum() -> bytes:
    """A PNG whose pixels unpack but whose image data fails its CRC."""
    data = bytearray(_png())
    idat = data.index(b'IDAT')
    length = int.from_bytes(data[idat - 4:idat], 'big')
    data[idat + 4 + length] ^= 0xFF                   # first byte of the chunk's CRC
    return bytes(data)


def test_a_figure_is_checked_by_content_not_by_its_name(root, monkeypatch):
    from PIL import ImageFile
    monkeypatch.setattr(ImageFile, 'LOAD_TRUNCATED_IMAGES', True)   # as it is once WeasyPrint is imported
    c = client(root)
    response = _figure(c, 'fake.png', '<svg onload=alert(1)>'.encode())
    assert response.status_code == 400
    assert 'not a JPEG or PNG' in response.json()['error']
    for name, broken in (('broken.png', _png()[:60]), ('broken.jpg', _jpeg()[:-200]),   # right magic, truncated
                         ('garbled.png', _garbled_png()), ('checksum.png', _png_with_a_wrong_checksum())):
        response = _figure(c, name, broken)
        assert response.status_code == 400, name
        assert 'damaged' in response.json()['error']
        assert not (root / 'seeds' / name).exists()
    assert not (root / 'seeds' / 'fake.png').exists()
    response = _figure(c, 'good.png', _png())
    assert response.status_code == 200, response.text
    assert (root / 'seeds' / 'good.png').read_bytes() == _png()
    assert 'file: good.png' in _sidecar(root).read_text(encoding='utf-8')


def test_a_decompression_bomb_is_refused(root):
    c = client(root)
    bomb = _png((8000, 8000), mode='1')          # 64 megapixels in a few kilobytes
    assert len(bomb) < 100_000
    response = _figure(c, 'bomb.png', bomb)
    assert response.status_code == 400
    assert 'too large' in response.json()['error']
    assert not (root / 'seeds' / 'bomb.png').exists()


@pytest.mark.parametrize('name', ['../up.png', 'x.svg', 'x.png.html', '.png'])
def test_a_bad_figure_name_is_refused(root, name):
    c = client(root)
    response = _figure(c, name, _png())
    assert response.status_code == 400
    assert not any(p.suffix in ('.png', '.svg', '.html') for p in root.parent.rglob('*'))


# ---------------------------------------------------------------- escaping, nothing from the network

def test_markup_in_the_article_is_shown_as_text(root):
    (root / 'seeds' / 'markup.txt').write_text(
        '标题<script>alert(1)</script>\n\n正文里有<img src=x onerror=alert(2)>标记，没有完\n\n的句子。\n',
        encoding='utf-8')
    c = client(root)
    for path in ('/a/markup', '/'):
        html = c.get(path).text
        assert '<script>alert' not in html and '<img src=x' not in html
    assert '&lt;script&gt;' in c.get('/a/markup').text


def test_every_answer_forbids_loading_from_anywhere_but_the_server(root):
    c = client(root)
    for path in ('/', f'/a/{NAME}', '/static/desk.css'):
        policy = c.get(path).headers['content-security-policy']
        assert "default-src 'none'" in policy and "script-src 'self'" in policy
        assert 'http' not in policy


def test_the_pages_name_no_other_server():
    folder = Path(__file__).resolve().parent.parent / 'publish' / 'serve'
    for path in list((folder / 'templates').iterdir()) + list((folder / 'static').iterdir()):
        text = path.read_text(encoding='utf-8')
        assert 'http://' not in text and 'https://' not in text and '//cdn' not in text, path
