"""The routes of ``publish serve``.

    GET  /                         the library
    GET  /new                      the new-article form
    POST /new                      save seeds/NAME.txt (pasted or uploaded)      → {url}
    POST /suggest-name             a name from the text's date and headline     → {name}
    GET  /a/NAME                   the proofing view
    POST /a/NAME/decision          force a join or a break (line, join=1|0)      → sidecar
    POST /a/NAME/block             give a block its type (line, kind; '' undoes) → sidecar
    POST /a/NAME/details           publication, date, section, headline, people → sidecar
    POST /a/NAME/figure            upload a JPEG/PNG with caption, credit, alt  → sidecar
    POST /a/NAME/build             build the article's editions                  → {ok|error}
    GET  /a/NAME/page/N.png        page N of its PDF
    GET  /a/NAME/download/FMT      an edition
    POST /build                    build every article (progress in /events)
    GET  /events                   server-sent events: files changed, build progress
    GET  /fonts/DIGEST.css         a page's fonts: @font-face rules naming …
    GET  /fonts/ROLE-DIGEST.woff2  … a shipped font cut down to the page's characters

Every request passes :class:`~publish.serve.security.Guard` first.  The work
is done by the project's public functions: :func:`publish.build.build_all`,
:func:`publish.source.load` (through :mod:`.decisions`) and the sidecar's
reader.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import re
import threading
import time
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import build
from ..errors import PublishError
from ..render import FORMATS, WRITERS
from ..model import KINDS, Headline
from ..normalize import normalize_text
from . import decisions as decisions_
from . import library, names, proof, sidecar, uploads
from .i18n import Translator, request_language
from .builds import Builds
from .fonts import UIFonts
from .preview import Previews
from .security import Guard, allowed_hosts, new_key

HERE = Path(__file__).resolve().parent
FONTS_HERE = '<!--desk-fonts-->'
MEDIA_TYPES = {'.pdf': 'application/pdf',
               '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
               '.epub': 'application/epub+zip', '.html': 'text/html; charset=utf-8'}


def edition_file(root: Path, name: str, fmt: str) -> Path | None:
    """The file the writer *fmt* made for *name*, when it makes one file
    (a web page is a folder: it is not offered for download)."""
    writer = WRITERS.get(fmt)
    if writer is None:
        return None
    path = root / build.DIST_DIR / name / writer.output_for(name)
    return path if path.suffix in MEDIA_TYPES else None
_DATE = re.compile(r'((?:19|20)\d\d)\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})')


def create_app(root: Path, key: str | None = None, host: str = '127.0.0.1', port: int = 8000,
               event_lifetime: float = 600.0, stopping: threading.Event | None = None) -> Starlette:
    """The application for the project at *root*; *key* is the access key (made when not given).

    An event stream ends after *event_lifetime* seconds (the browser opens a
    new one) or as soon as *stopping* is set (the server is shutting down)."""
    stopping = stopping or threading.Event()
    root = Path(root).resolve()
    key = key or new_key()
    env = Environment(loader=FileSystemLoader(HERE / 'templates'), autoescape=select_autoescape(default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    previews = Previews()
    builds = Builds(root)
    ui_fonts = UIFonts()

    def page(request: Request, template: str, status: int = 200, **context) -> HTMLResponse:
        """The page, linking the fonts cut down to its characters (where the
        template leaves ``<!--desk-fonts-->``, which no escaped text can be)."""
        t = _t(request)
        html = env.get_template(template).render(t=t, lang=t.lang, csrf=request.scope['state']['csrf'],
                                                 **context)
        digest = ui_fonts.register(html, t.lang)
        html = html.replace(FONTS_HERE, f'<link rel="stylesheet" class="desk-fonts" href="/fonts/{digest}.css">', 1)
        return HTMLResponse(html, status_code=status)

    def error(request: Request, exc: PublishError, status: int = 400) -> JSONResponse:
        return JSONResponse({'error': _t(request).error(exc)}, status_code=status)

    def seed(request: Request) -> tuple[str, Path]:
        name = names.article_name(request.path_params['name'], _t(request).lang)
        path = names.in_seeds(root, f'{name}.txt')
        if not path.is_file():
            raise _NotFound(name)
        return name, path

    def edits_article(handler):
        """A request on the article in its path: *handler* gets the user's
        translator, the article's name and its source.  No such article is a
        404, a :class:`PublishError` a 400, each as one message; a handler
        that answers nothing has done what was asked (``{"ok": true}``)."""
        async def endpoint(request: Request):
            t = _t(request)
            try:
                name, source = seed(request)
                answer = await handler(request, t, name, source)
            except _NotFound as exc:
                return error(request, PublishError(t('serve.not_found', name=exc.name)), 404)
            except PublishError as exc:
                return error(request, exc)
            return answer if answer is not None else JSONResponse({'ok': True})
        return endpoint

    # ------------------------------------------------------------ pages
    async def library_page(request: Request):
        t = _t(request)
        items = await run_in_threadpool(library.entries, root, t, builds.current_failures())
        return page(request, 'library.html', entries=items, builds=builds)

    async def new_page(request: Request):
        return page(request, 'new.html')

    async def proof_page(request: Request):
        t = _t(request)
        try:
            name, source = seed(request)
        except _NotFound as exc:
            return page(request, 'missing.html', message=t('serve.not_found', name=exc.name), status=404)
        except PublishError as exc:
            return page(request, 'missing.html', message=t.error(exc), status=404)
        try:
            seen = await run_in_threadpool(decisions_.read, source, root)
        except PublishError as exc:
            return page(request, 'failed.html', name=name, message=t.error(exc))
        article, found = seen.article, seen.decisions
        pdf = root / build.DIST_DIR / name / f'{name}.pdf'
        version = Previews.version(pdf)
        pages = await run_in_threadpool(previews.count, pdf) if version else 0
        details = _details(sidecar.read(sidecar.sidecar_of(source)))
        recognised = {part.role.value: part.text for b in article.blocks if isinstance(b, Headline)
                      for part in b.parts}
        people = '; '.join(', '.join(x for x in (p.name, _role_name(p.role), p.title) if x)
                           for p in article.contributors)
        return page(request, 'proof.html', name=name, blocks=proof.view(seen),
                    review=proof.ordered_for_review(found), article=article,
                    uncertain=sum(1 for d in found if d.uncertain), details=details,
                    pages=pages, version=f'{version[1]}' if version else '',
                    editions=[f for f in FORMATS if (p := edition_file(root, name, f)) and p.is_file()],
                    failure=builds.current_failures().get(name, ''),
                    roles=sidecar.ROLES, parts=sidecar.HEADLINE_PARTS, recognised=recognised,
                    people=people)

    # ------------------------------------------------------------ changes
    async def form_text(form, t: Translator, name: str) -> str:
        """The article's text: the uploaded file (decoded as the CLI decodes a seed), else the pasted text."""
        upload = form.get('file')
        if upload is not None and getattr(upload, 'filename', ''):
            return uploads.article_text(await upload.read(), upload.filename, t.lang)
        return uploads.article_text(str(form.get('text', '')).encode('utf-8'), name, t.lang)

    async def new_article(request: Request):
        t = _t(request)
        form = await request.form(max_part_size=uploads.MAX_TEXT)
        try:
            given = str(form.get('name', '')).strip()
            text = await form_text(form, t, given or 'text')
            if not given:
                given = await run_in_threadpool(_free_name, root, text)
            name = names.article_name(given, t.lang)
            path = names.in_seeds(root, f'{name}.txt')
            if any(p.exists() for p in sidecar.article_files(path)):
                raise names.BadName(t('serve.exists', name=name))
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, 'x', encoding='utf-8', newline='') as fh:
                fh.write(text)
        except PublishError as exc:
            return error(request, exc)
        return JSONResponse({'url': f'/a/{name}'})

    async def suggest_name(request: Request):
        t = _t(request)
        form = await request.form(max_part_size=uploads.MAX_TEXT)
        try:
            text = await form_text(form, t, 'text')
        except PublishError as exc:
            return error(request, exc)
        return JSONResponse({'name': await run_in_threadpool(_free_name, root, text)})

    @edits_article
    async def set_decision(request: Request, t: Translator, name: str, source: Path):
        form = await request.form()
        line = _integer(form.get('line'), 'line', t)
        join = form.get('join') == '1'
        found = (await run_in_threadpool(decisions_.read, source, root)).decisions
        match = next((d for d in found if line in d.lines), None)
        if match is None:
            raise _BadField(t('serve.bad_line', line=line))
        await run_in_threadpool(sidecar.set_decision, sidecar.sidecar_of(source), match.lines, join)

    @edits_article
    async def set_block_kind(request: Request, t: Translator, name: str, source: Path):
        form = await request.form()
        line = _integer(form.get('line'), 'line', t)
        kind = str(form.get('kind', '')).strip()
        if kind and kind not in KINDS:
            raise _BadField(t('serve.bad_kind', kind=kind, known=', '.join(KINDS)))
        seen = await run_in_threadpool(decisions_.read, source, root)
        if line not in seen.block_lines:
            raise _BadField(t('serve.bad_block', line=line))
        await run_in_threadpool(sidecar.set_block_kind, sidecar.sidecar_of(source), line, kind)

    @edits_article
    async def set_details(request: Request, t: Translator, name: str, source: Path):
        form = await request.form()
        date = str(form.get('date', '')).strip()
        try:
            day = dt.date.fromisoformat(date) if date else None
        except ValueError:
            raise _BadField(t('serve.bad_field', field=t('serve.ui.date'),
                              reason=t('config.bad_date', value=date))) from None
        people = []
        for row in str(form.get('contributors', '')).splitlines():
            cells = [c.strip() for c in re.split(r'[,，]', row)]
            if not cells[0]:
                continue
            people.append({'name': cells[0], 'role': (cells[1] if len(cells) > 1 else '') or 'writer',
                           'title': cells[2] if len(cells) > 2 else ''})
        headline = {part: str(form.get(f'headline_{part}', '')).strip() for part in sidecar.HEADLINE_PARTS}
        await run_in_threadpool(sidecar.set_details, sidecar.sidecar_of(source),
                                str(form.get('publication', '')).strip(), day,
                                str(form.get('section', '')).strip(), headline, people)

    @edits_article
    async def add_figure(request: Request, t: Translator, name: str, source: Path):
        form = await request.form(max_part_size=uploads.MAX_IMAGE)
        upload = form.get('file')
        if upload is None or not getattr(upload, 'filename', ''):
            raise uploads.UploadError(t('serve.not_image'))
        filename = names.image_name(upload.filename, t.lang)
        data = await upload.read()
        uploads.image_kind(data, filename, t.lang)
        target = names.in_seeds(root, filename)
        after = str(form.get('after', '')).strip()
        after_number = _integer(after, t('serve.ui.after'), t) if after else None
        if target.exists():
            raise uploads.UploadError(t('serve.image_exists', name=filename))
        _write_new(target, data)
        try:
            await run_in_threadpool(sidecar.add_figure, sidecar.sidecar_of(source), filename,
                                    str(form.get('caption', '')).strip(),
                                    str(form.get('credit', '')).strip(),
                                    str(form.get('alt', '')).strip(), after_number)
        except BaseException:
            target.unlink()
            raise

    @edits_article
    async def build_one(request: Request, t: Translator, name: str, source: Path):
        """The PDF first, for the preview; the other editions after it, in the background."""
        report = await run_in_threadpool(builds.run, [name], ('pdf',))
        if report.failed:
            return JSONResponse({'error': report.failed[0].error}, status_code=422)
        builds.start([name], tuple(f for f in FORMATS if f != 'pdf'))

    async def build_every(request: Request):
        if not builds.running:
            builds.start(None, FORMATS)
        return JSONResponse({'ok': True}, status_code=202)

    # ------------------------------------------------------------ files
    async def page_image(request: Request):
        try:
            name, _ = seed(request)
        except (_NotFound, PublishError):
            return Response(status_code=404)
        pdf = root / build.DIST_DIR / name / f'{name}.pdf'
        png = await run_in_threadpool(previews.page, pdf, request.path_params['number'])
        if png is None:
            return Response(status_code=404)
        return Response(png, media_type='image/png')

    async def download(request: Request):
        t = _t(request)
        fmt = request.path_params['fmt']
        try:
            name, _ = seed(request)
        except (_NotFound, PublishError):
            return Response(status_code=404)
        path = edition_file(root, name, fmt)
        if path is None:
            return Response(status_code=404)
        if not path.is_file():
            return JSONResponse({'error': t('serve.no_edition', fmt=fmt.upper())}, status_code=404)
        return FileResponse(path, media_type=MEDIA_TYPES[path.suffix], filename=path.name)

    async def font(request: Request):
        """A page's font stylesheet, or one of the font subsets it names: the
        name says what they hold, so they are cached for good."""
        name = request.path_params['file']
        forever = {'cache-control': 'private, max-age=31536000, immutable'}
        css = ui_fonts.stylesheet(name)
        if css is not None:
            return Response(css, media_type='text/css', headers=forever)
        data = await run_in_threadpool(ui_fonts.file, name)
        if data is None:
            return Response(status_code=404)
        return Response(data, media_type='font/woff2', headers=forever)

    async def events(request: Request):
        async def stream():
            last = None
            started = time.monotonic()
            while time.monotonic() - started < event_lifetime and not stopping.is_set():
                now = await run_in_threadpool(_snapshot, root, builds)
                if now != last:
                    yield f'event: change\ndata: {json.dumps(now, ensure_ascii=False)}\n\n'
                    last = now
                if await request.is_disconnected():
                    return
                await asyncio.sleep(0.5)
        return StreamingResponse(stream(), media_type='text/event-stream')

    routes = [
        Route('/', library_page),
        Route('/new', new_page),
        Route('/new', new_article, methods=['POST']),
        Route('/suggest-name', suggest_name, methods=['POST']),
        Route('/a/{name}', proof_page),
        Route('/a/{name}/decision', set_decision, methods=['POST']),
        Route('/a/{name}/block', set_block_kind, methods=['POST']),
        Route('/a/{name}/details', set_details, methods=['POST']),
        Route('/a/{name}/figure', add_figure, methods=['POST']),
        Route('/a/{name}/build', build_one, methods=['POST']),
        Route('/a/{name}/page/{number:int}.png', page_image),
        Route('/a/{name}/download/{fmt}', download),
        Route('/build', build_every, methods=['POST']),
        Route('/events', events),
        Route('/fonts/{file}', font),
        Mount('/static', StaticFiles(directory=HERE / 'static'), name='static'),
    ]
    app = Starlette(routes=routes)
    hosts = allowed_hosts(host, port)
    return Guard(app, key, hosts, uploads.MAX_BODY)


class _NotFound(Exception):
    def __init__(self, name: str):
        super().__init__(name)
        self.name = name


class _BadField(PublishError):
    pass


def _t(request: Request) -> Translator:
    return Translator(request_language(request.headers.get('accept-language')))


def _integer(value, field: str, t: Translator) -> int:
    text = str(value or '').strip()
    if not text.isdigit() or int(text) < 1:
        raise _BadField(t('serve.not_number', field=field, value=text))
    return int(text)


def _free_name(root: Path, text: str) -> str:
    """A name for a new article from its date and headline, not yet taken in seeds/."""
    blocks = normalize_text(text[:20000]).blocks
    found = _DATE.search(text)
    try:
        date = dt.date(*map(int, found.groups())).isoformat() if found else None
    except ValueError:
        date = None
    base = names.suggest_name(library.headline_of(blocks), date)
    name, number = base, 1
    while any(p.exists() for p in sidecar.article_files(root / build.SOURCE_DIR / f'{name}.txt')):
        number += 1
        name = f'{base}-{number}'
    return name


def _write_new(path: Path, data: bytes) -> None:
    """Write a file that must not exist yet (an upload never replaces a file)."""
    with open(path, 'xb') as fh:
        fh.write(data)


def _role_name(role) -> str:
    """The sidecar's word for a contributor's role (writer, photographer …)."""
    from ..config import ROLE_NAMES
    return next(word for word, value in ROLE_NAMES.items() if value is role and word != 'author')


def _details(data) -> dict:
    headline = data.get('headline') if hasattr(data.get('headline'), 'get') else {}
    people = data.get('contributors') if isinstance(data.get('contributors'), list) else []
    rows = []
    for person in people:
        if hasattr(person, 'get'):
            rows.append(', '.join(str(person.get(k) or '') for k in ('name', 'role', 'title')).rstrip(', '))
    figures = data.get('figures') if isinstance(data.get('figures'), list) else []
    return {'publication': str(data.get('publication') or ''), 'date': str(data.get('date') or ''),
            'section': str(data.get('section') or ''),
            'headline': {part: str(headline.get(part) or '') for part in sidecar.HEADLINE_PARTS},
            'contributors': '\n'.join(rows),
            'figures': [{k: str(f.get(k) or '') for k in ('file', 'caption', 'credit', 'alt', 'after')}
                        for f in figures if hasattr(f, 'get')]}


def _snapshot(root: Path, builds: Builds) -> dict:
    """What the open pages watch: every seed's files and the build's progress."""
    files = {}
    for folder in (root / 'seeds', root / build.DIST_DIR):
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.is_file():
                files[entry.name] = entry.stat().st_mtime_ns
            elif entry.is_dir() and folder.name == build.DIST_DIR and not entry.name.startswith('.'):
                try:
                    files[f'{entry.name}/'] = max((e.stat().st_mtime_ns for e in os.scandir(entry.path)), default=0)
                except OSError:
                    pass
    return {'files': {k: str(v) for k, v in sorted(files.items())},
            'build': {'running': builds.running, 'done': builds.done, 'total': builds.total}}
