"""The guard in front of every request of ``publish serve``.

The server edits files on the user's disk, so a request is served only when

1. its ``Host`` header names this server (a page on another site that
   resolves its own name to 127.0.0.1 — DNS rebinding — is refused);
2. it is a GET, HEAD or POST (every change is a POST);
3. it carries the access key: a random key made at start, given once in the
   printed address (``/?key=…``), which the guard swaps for an HttpOnly,
   SameSite=Strict cookie and a redirect to the same page without it;
4. for a POST: the ``X-CSRF-Token`` header holds the page's CSRF token (a
   value derived from the key, written into every page), an ``Origin``
   header if sent is this server's, and the body says its length and is no
   larger than the cap (and is cut off should it send more).

Every answer carries a Content-Security-Policy that lets a page load only
this server's own scripts, styles and images.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, urlencode

from .i18n import Translator, request_language

COOKIE = 'publish_key'
KEY_PARAM = 'key'
CSRF_HEADER = 'x-csrf-token'
SAFE_METHODS = {'GET', 'HEAD'}
ALLOWED_METHODS = SAFE_METHODS | {'POST'}
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; font-src 'self'; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b'content-security-policy', CSP.encode()),
    (b'x-content-type-options', b'nosniff'),
    (b'referrer-policy', b'no-referrer'),
    (b'x-frame-options', b'DENY'),
    (b'cache-control', b'no-store'),
]


def new_key() -> str:
    return secrets.token_urlsafe(32)


def csrf_token(key: str) -> str:
    """The token a page sends back with every POST; derived from the access
    key, so that it changes with every start of the server."""
    return hmac.new(key.encode(), b'publish serve csrf', hashlib.sha256).hexdigest()


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The ``Host`` header values this server answers to."""
    names = {host, '127.0.0.1', 'localhost', '[::1]'}
    if ':' in host and not host.startswith('['):
        names.add(f'[{host}]')
    return frozenset(n.lower() for name in names for n in (name, f'{name}:{port}'))


class Guard:
    """ASGI middleware: refuses every request that fails a check above."""

    def __init__(self, app, key: str, hosts: frozenset[str], max_body: int):
        self.app = app
        self.key = key
        self.csrf = csrf_token(key)
        self.hosts = hosts
        self.max_body = max_body

    async def __call__(self, scope, receive, send):
        if scope['type'] not in ('http',):
            if scope['type'] == 'websocket':       # no websockets: refuse
                await send({'type': 'websocket.close', 'code': 1008})
                return
            await self.app(scope, receive, send)
            return
        headers = {k.decode('latin-1').lower(): v.decode('latin-1') for k, v in scope['headers']}
        t = Translator(request_language(headers.get('accept-language')))
        send = _with_security_headers(send)
        host = headers.get('host', '').lower()
        if host not in self.hosts:
            return await _refuse(send, 400, t('serve.refused.host'))
        method = scope['method']
        if method not in ALLOWED_METHODS:
            return await _refuse(send, 405, t('serve.refused.method'))
        query = parse_qsl(scope.get('query_string', b'').decode('latin-1'), keep_blank_values=True)
        given = dict(query).get(KEY_PARAM)
        if given is not None and method in SAFE_METHODS and hmac.compare_digest(given, self.key):
            rest = urlencode([(k, v) for k, v in query if k != KEY_PARAM])
            location = scope['path'] + (f'?{rest}' if rest else '')
            cookie = f'{COOKIE}={self.key}; Path=/; HttpOnly; SameSite=Strict'
            await send({'type': 'http.response.start', 'status': 303,
                        'headers': [(b'location', location.encode()), (b'set-cookie', cookie.encode()),
                                    (b'content-length', b'0')]})
            await send({'type': 'http.response.body', 'body': b''})
            return
        if not hmac.compare_digest(_cookie(headers.get('cookie', '')), self.key):
            return await _refuse(send, 403, t('serve.refused.token'))
        if method == 'POST':
            origin = headers.get('origin')
            if not hmac.compare_digest(headers.get(CSRF_HEADER, ''), self.csrf) or \
                    (origin is not None and origin.lower() not in {f'http://{h}' for h in self.hosts}):
                return await _refuse(send, 403, t('serve.refused.csrf'))
            length = headers.get('content-length')
            if length is None or not length.isdigit():
                return await _refuse(send, 411, t('serve.refused.length'))
            limit = _megabytes(self.max_body)
            if int(length) > self.max_body:
                return await _refuse(send, 413, t('serve.refused.size', limit=limit))
            receive = _capped(receive, int(length))
        scope.setdefault('state', {})['csrf'] = self.csrf
        await self.app(scope, receive, send)


def _megabytes(size: int) -> str:
    return f'{size / 1_000_000:g} MB'


def _cookie(header: str) -> str:
    jar = SimpleCookie()
    try:
        jar.load(header)
    except Exception:        # a malformed Cookie header is no key
        return ''
    morsel = jar.get(COOKIE)
    return morsel.value if morsel else ''


def _with_security_headers(send):
    async def sending(message):
        if message['type'] == 'http.response.start':
            present = {k.lower() for k, _ in message.get('headers', [])}
            message = dict(message)
            message['headers'] = list(message.get('headers', [])) + [
                (k, v) for k, v in SECURITY_HEADERS if k not in present]
        await send(message)
    return sending


def _capped(receive, declared: int):
    """Stop a body at its declared length: a client that sends more is cut off."""
    seen = 0

    async def receiving():
        nonlocal seen
        message = await receive()
        if message['type'] == 'http.request':
            body = message.get('body', b'')
            seen += len(body)
            if seen > declared:
                return {'type': 'http.disconnect'}
        return message
    return receiving


async def _refuse(send, status: int, text: str) -> None:
    body = json.dumps({'error': text}, ensure_ascii=False).encode()
    await send({'type': 'http.response.start', 'status': status,
                'headers': [(b'content-type', b'application/json; charset=utf-8'),
                            (b'content-length', str(len(body)).encode())]})
    await send({'type': 'http.response.body', 'body': body})
