"""Pasted or uploaded text and images, checked by what they contain.

Text is decoded as the CLI decodes a seed (:func:`publish.source.decode`:
UTF-8 with or without BOM, UTF-16 with BOM, GB18030/GBK; binary refused).
An image must be a JPEG or PNG by its first bytes *and* open as one in
Pillow, declare no more than :data:`MAX_PIXELS` pixels (a small file that
would unpack into gigabytes — a decompression bomb — is refused before it is
decoded) and be whole: a PNG's pixel data unpacks to exactly its pixels, a
JPEG ends with its end-of-image marker.
"""
from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from ..errors import PublishError
from ..messages import msg
from ..source import decode

MAX_TEXT = 2_000_000          # bytes of a pasted or uploaded article
MAX_IMAGE = 20_000_000        # bytes of an uploaded picture
MAX_PIXELS = 60_000_000       # width × height of an uploaded picture
MAX_BODY = MAX_IMAGE + 100_000  # bytes of any request body
_MAGIC = {b'\xff\xd8\xff': 'JPEG', b'\x89PNG\r\n\x1a\n': 'PNG'}


class UploadError(PublishError):
    """An upload that cannot be used."""


def _limit(size: int) -> str:
    return f'{size / 1_000_000:g} MB'


def article_text(data: bytes, name: str, lang: str | None = None) -> str:
    """The text of a pasted or uploaded article; refused when too large, binary or empty."""
    if len(data) > MAX_TEXT:
        raise UploadError(msg('serve.too_large', lang, what=name, limit=_limit(MAX_TEXT)))
    text = decode(data, Path(name))
    if not text.strip():
        raise UploadError(msg('serve.no_text', lang), name)
    return text


def image_kind(data: bytes, name: str, lang: str | None = None) -> str:
    """'JPEG' or 'PNG' for a usable picture; anything else is refused."""
    if len(data) > MAX_IMAGE:
        raise UploadError(msg('serve.too_large', lang, what=name, limit=_limit(MAX_IMAGE)))
    kind = next((k for magic, k in _MAGIC.items() if data.startswith(magic)), None)
    if kind is None:
        raise UploadError(msg('serve.not_image', lang), name)
    from PIL import Image
    try:
        with Image.open(io.BytesIO(data), formats=[kind]) as probe:
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise UploadError(msg('serve.image_bomb', lang, width=width, height=height,
                                      limit=MAX_PIXELS // 1_000_000), name)
            probe.verify()               # a PNG's chunks and checksums, to its end
        # Once WeasyPrint is imported, Pillow fills a truncated or undecodable
        # image in (ImageFile.LOAD_TRUNCATED_IMAGES) instead of failing, so
        # wholeness is checked here: a JPEG must end with its end-of-image
        # marker, a PNG's pixel data must unpack to exactly its pixels.
        if kind == 'JPEG' and not data.rstrip(b'\0\r\n').endswith(b'\xff\xd9'):
            raise OSError('image file is truncated')
        if kind == 'PNG':
            _check_png_pixels(data)
    except UploadError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise UploadError(msg('serve.image_broken', lang, reason=str(exc) or type(exc).__name__),
                          name) from None
    return kind


def _check_png_pixels(data: bytes) -> None:
    """Raise OSError unless the PNG's compressed pixel data is one whole zlib
    stream that unpacks to exactly the size its header gives (checked for
    images that are not interlaced, the common case)."""
    width, height, depth, colour, _, _, interlace = struct.unpack('>IIBBBBB', data[16:29])
    idat, at = [], 8
    while at + 8 <= len(data):
        length, kind = struct.unpack('>I4s', data[at:at + 8])
        if kind == b'IDAT':
            idat.append(data[at + 8:at + 8 + length])
        at += 12 + length
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}.get(colour, 4)
    expected = height * (1 + (width * depth * channels + 7) // 8)
    stream = zlib.decompressobj()
    try:
        pixels = stream.decompress(b''.join(idat), expected + 1)
    except zlib.error as exc:
        raise OSError(f'the pixel data cannot be unpacked ({exc})') from None
    if not stream.eof or (not interlace and len(pixels) != expected):
        raise OSError('the pixel data is incomplete or too long')
