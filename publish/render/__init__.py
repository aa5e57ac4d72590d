"""Writers: one module per output format, and the one table of them.

Every writer module offers one entry point of one shape::

    write(article, layout, options: RenderOptions, out_dir: Path) -> list[Path]

It writes its files into *out_dir* (an empty folder: the build moves what
is in it into the edition folder when every format has succeeded) and
returns them.  Optionally it also offers ``stage(article, layout, options)``:
the part of its work that needs no heavy library, done in the process that
read the article while a worker process still imports the library (the
result, picklable, comes back as ``options.staged``); and ``prepare()``,
which imports that library.

:data:`WRITERS` is the only list of formats: the command line, its help,
the build, manifests, ``dist/index.json`` and the tests derive from it.
Modules are imported only when asked for, so importing ``publish.render``
(or the normalizer) does not pull in WeasyPrint, python-docx or ebooklib.
"""
from __future__ import annotations

import datetime as _dt
import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class RenderOptions:
    """What a writer is given besides the article and the layout."""

    timestamp: _dt.datetime                  # the edition's one time (publish.timestamps)
    attachments: tuple = ()                  # files to embed (the PDF's PDF/A-3 associated files)
    variant: str | None = None               # a writer's variant (the PDF's PDF/A level); None: its default
    staged: Any = None                       # the writer's own stage() result, made elsewhere


@dataclass(frozen=True)
class Writer:
    """An output format as the build and the command line see it."""

    name: str                                # format name and subcommand: pdf, docx …
    module: str                              # the module with write() (imported when used)
    output: str                              # the file (or folder) it makes, NAME standing for the article
    help: tuple[str, str]                    # the subcommand's help: English, Chinese
    label: str = ''                          # how messages and help name it (default: the name in capitals)
    label_zh: str = ''                       # the same in Chinese (default: label)
    cost: int = 1                            # relative time, to spread one edition over workers
    preload: bool = False                    # worth a worker process that imported its library early
    attachments: bool = False                # embeds the source and the article's JSON

    @property
    def title(self) -> str:
        return self.label or self.name.upper()

    @property
    def title_zh(self) -> str:
        return self.label_zh or self.title

    def output_for(self, name: str) -> str:
        """The path, relative to the edition folder, of what this writer makes for *name*."""
        return self.output.replace('NAME', name)

    def load(self):
        return importlib.import_module(self.module)

    def write(self, article, layout, options: RenderOptions, out_dir: Path) -> list[Path]:
        return list(self.load().write(article, layout, options, Path(out_dir)))

    def stage(self, article, layout, options: RenderOptions):
        """The writer's ``stage()`` result, or None when it has none."""
        stage = getattr(self.load(), 'stage', None)
        return stage(article, layout, options) if stage is not None else None

    def prepare(self) -> None:
        getattr(self.load(), 'prepare', lambda: None)()


WRITERS: dict[str, Writer] = {w.name: w for w in (
    Writer('pdf', 'publish.render.pdf', 'NAME.pdf',
           ('build only the PDF (print edition, PDF/A-3u)', '只生成 PDF（印刷版，PDF/A-3u）'),
           cost=4, preload=True, attachments=True),
    Writer('docx', 'publish.render.docx', 'NAME.docx',
           ('build only the DOCX (Word/WPS)', '只生成 DOCX（Word/WPS）')),
    Writer('epub', 'publish.render.epub', 'NAME.epub',
           ('build only the EPUB 3', '只生成 EPUB 3')),
    Writer('html', 'publish.render.web', 'web/index.html',
           ('build only the web page (a self-contained folder, web/)', '只生成网页版（独立文件夹 web/）'),
           label='web page', label_zh='网页'),
    Writer('wechat', 'publish.render.wechat', 'NAME.wechat.html',
           ('build only the WeChat article (inline styles, to paste into the official-account editor)',
            '只生成微信公众号版（内联样式，可粘贴到公众号编辑器）'),
           label='WeChat article', label_zh='微信公众号文章'),
)}

FORMATS: tuple[str, ...] = tuple(WRITERS)


def get_writer(fmt: str) -> Writer:
    """The writer of *fmt*; ``ValueError`` naming the known ones otherwise."""
    try:
        return WRITERS[fmt]
    except KeyError:
        raise ValueError(f'unknown output format {fmt!r}; known: {", ".join(WRITERS)}') from None


def prepare(formats) -> None:
    """Import the writers of *formats* and the libraries they need (a
    module's ``prepare()``), so that a worker process does it while its
    parent still reads the articles.  A failure is left for the render itself
    to report."""
    for fmt in formats:
        try:
            get_writer(fmt).prepare()
        except Exception:
            pass
