"""Renderers: one module per output format, each with
``render(article, layout, out_path, **options) -> Path`` and, optionally,
``stage(article, layout)`` (see :func:`get_stage`) and ``prepare()`` (see
:func:`prepare`).

Modules are imported only when asked for, so importing ``publish.render``
(or the normalizer) does not pull in WeasyPrint, python-docx or ebooklib.
"""
from __future__ import annotations

import importlib
from typing import Callable

#: Output format → module providing ``render``.
RENDERERS: dict[str, str] = {
    'pdf': 'publish.render.pdf',
    'docx': 'publish.render.docx',
    'epub': 'publish.render.epub',
}

FORMATS: tuple[str, ...] = tuple(RENDERERS)


def get_renderer(fmt: str) -> Callable:
    """The ``render`` function for *fmt* (``'pdf'``, ``'docx'`` or ``'epub'``)."""
    try:
        module_name = RENDERERS[fmt]
    except KeyError:
        raise ValueError(f'unknown output format {fmt!r}; known: {", ".join(RENDERERS)}') from None
    return importlib.import_module(module_name).render


def get_stage(fmt: str) -> Callable | None:
    """The renderer's ``stage(article, layout)``, when it has one: the part of
    its work that needs no heavy library, done in the process that read the
    article while a worker process still imports the library.  What it
    returns (picklable) goes to ``render(..., staged=...)``."""
    return getattr(importlib.import_module(RENDERERS[fmt]), 'stage', None)


def prepare(formats) -> None:
    """Import the renderers of *formats* and the libraries they need (a
    module's ``prepare()``), so that a worker process does it while its
    parent still reads the articles.  A failure is left for the render itself
    to report."""
    for fmt in formats:
        try:
            module = importlib.import_module(RENDERERS[fmt])
            getattr(module, 'prepare', lambda: None)()
        except Exception:
            pass
