"""publish.build with a fake loader and fake renderers: discovery, timestamps,
incremental builds, parallel = serial, atomic writes, manifests, verify, archive,
messages.  (The real pipeline is exercised in test_build_pipeline.py and
test_bad_input.py.)"""
from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import hashlib
import json
import os
import time
import warnings
from pathlib import Path
from types import SimpleNamespace

import pytest

from publish import build, manifest, messages, timestamps
from publish.build import pool as build_pool, stamps as build_stamps
from publish.render import WRITERS, Writer
from publish.errors import EditionWarning, PublishError, SourceError
from publish.model import Article, Figure, Meta, Paragraph


# ---------------------------------------------------------------- fakes (module level: picklable)

def fake_loader(source: Path, project_root: Path) -> Article:
    text = source.read_text(encoding='utf-8')
    if not text.strip():
        raise SourceError('the file is empty', source)
    if 'CRASH' in text:
        raise ValueError('boom')
    meta = Meta()
    figures = ()
    sidecar = source.with_suffix('.yaml')
    if sidecar.exists():
        for i, line in enumerate(sidecar.read_text(encoding='utf-8').splitlines(), 1):
            key, _, value = line.partition(':')
            value = value.strip()
            if key == 'date':
                meta = Meta(date=dt.date.fromisoformat(value))
            elif key == 'figure':
                figures = (Figure(Path(value), caption='cap', number=1),)
            else:
                raise PublishError(f'unknown key "{key}" (known keys: date, figure)', sidecar, i)
    blocks = tuple(Paragraph(p) for p in text.split('\n\n') if p.strip()) + figures
    return Article(name=source.stem, blocks=blocks, meta=meta, source_path=source)


CALLS_FILE = 'render-calls.log'


def fake_render(article, layout, out_path, options):
    out_path = Path(out_path)
    attachments = options.attachments
    body = f'{out_path.suffix}|{layout}|{options.timestamp.isoformat()}|{article.text()}'
    if attachments:
        body += '|' + '|'.join(f"{a['filename']}:{a['relationship']}:{hashlib.sha256(a['data']).hexdigest()}"
                               for a in attachments)
    if 'WORKERDIES' in article.text() and out_path.suffix == '.epub':
        os._exit(3)
    if 'INTERRUPT' in article.text() and out_path.suffix == '.docx':
        # Ctrl-C while the main process renders the DOCX, once the PDF's
        # worker has written its temporary file
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not any(
                p.stat().st_size for p in out_path.parent.parent.glob('.*.part/*.pdf')):
            time.sleep(0.02)
        raise KeyboardInterrupt
    if 'WARNME' in article.text() and out_path.suffix == '.epub':
        warnings.warn(EditionWarning('the e-reader may not like it', '电子书阅读器可能不喜欢', out_path))
        warnings.warn(UserWarning('a library talking'))          # not for users
    if 'DISKFULL' in article.text() and out_path.suffix == '.docx':
        with open(out_path, 'wb') as f:
            f.write(b'half a file')
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(out_path))
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_bytes(body.encode('utf-8'))
    log = Path(os.environ['FAKE_RENDER_LOG'])
    with open(log, 'a') as f:
        f.write(f'{article.name}.{out_path.suffix.split(".")[-1]}\n')
    return out_path


@dataclasses.dataclass(frozen=True)
class FakeWriter(Writer):
    """A format of the table, written by fake_render; nothing to stage."""

    stages = False

    def write(self, article, layout, options, out_dir):
        return [fake_render(article, layout, out_dir / self.output_for(article.name), options)]


def fake_writer(writer: Writer) -> FakeWriter:
    return FakeWriter(**{f.name: getattr(writer, f.name) for f in dataclasses.fields(Writer)})


#: The formats these tests build: the first three of the table, written by fake_render.
FAKE_WRITERS = {name: fake_writer(WRITERS[name]) for name in ('pdf', 'docx', 'epub')}


def fake_layout_loader(name, project_root):
    if name == 'missing':
        raise PublishError(f"unknown layout '{name}' (looked in layouts/)")
    return name


FAKES = dict(loader=fake_loader, writers=FAKE_WRITERS, layout_loader=fake_layout_loader)


@pytest.fixture
def project(tmp_path, monkeypatch):
    root = tmp_path / 'proj'
    (root / 'seeds').mkdir(parents=True)
    for i in range(5):
        (root / 'seeds' / f'a{i}.txt').write_text(f'标题{i}\n\n正文第{i}段。', encoding='utf-8')
    monkeypatch.setenv('FAKE_RENDER_LOG', str(tmp_path / CALLS_FILE))
    monkeypatch.delenv('SOURCE_DATE_EPOCH', raising=False)
    monkeypatch.setenv('LANG', 'C.UTF-8')
    monkeypatch.delenv('LC_ALL', raising=False)
    monkeypatch.delenv('LC_MESSAGES', raising=False)
    return root


def calls(root: Path) -> list[str]:
    log = root.parent / CALLS_FILE
    lines = log.read_text().split() if log.exists() else []
    log.unlink(missing_ok=True)
    return sorted(lines)


def hashes(dist: Path) -> dict[str, str]:
    return {p.relative_to(dist).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(dist.rglob('*')) if p.is_file() and '.stamps' not in p.parts}


def run(root, **kw):
    kw.setdefault('jobs', 1)
    return build.build_all(root, **{**FAKES, **kw})


# ---------------------------------------------------------------- discovery

def test_builds_every_seed_in_all_formats(project):
    report = run(project)
    assert report.ok and report.exit_status == 0
    assert [r.status for r in report.results] == ['built'] * 5
    for i in range(5):
        for fmt in ('pdf', 'docx', 'epub'):
            assert (project / 'dist' / f'a{i}' / f'a{i}.{fmt}').is_file()
    assert len(report.files) == 15
    assert calls(project) == sorted(f'a{i}.{f}' for i in range(5) for f in ('pdf', 'docx', 'epub'))


def test_one_format_and_names(project):
    report = run(project, formats=('pdf',), names=['a1', 'seeds/a2.txt'])
    assert [r.name for r in report.results] == ['a1', 'a2']
    assert sorted(os.listdir(project / 'dist' / 'a1')) == ['a1.pdf', 'manifest.json']


def test_unknown_name_is_one_line_error(project):
    with pytest.raises(PublishError) as e:
        run(project, names=['nope'])
    assert 'nope' in str(e.value) and 'seeds/nope.txt' in str(e.value)


def test_no_seeds_folder(tmp_path):
    with pytest.raises(PublishError, match='seeds'):
        run(tmp_path)


# ---------------------------------------------------------------- timestamps

def test_timestamp_rules(tmp_path, monkeypatch):
    src = tmp_path / 'x.txt'
    src.write_text('x')
    monkeypatch.delenv('SOURCE_DATE_EPOCH', raising=False)
    assert timestamps.edition_timestamp(dt.date(2018, 6, 30), src, tmp_path) == (
        dt.datetime(2018, 6, 30, tzinfo=dt.timezone.utc), 'date')
    monkeypatch.setenv('SOURCE_DATE_EPOCH', '1530316800')
    assert timestamps.edition_timestamp(None, src, tmp_path) == (
        dt.datetime(2018, 6, 30, tzinfo=dt.timezone.utc), 'env')
    monkeypatch.delenv('SOURCE_DATE_EPOCH')
    assert timestamps.edition_timestamp(None, src, tmp_path) == (timestamps.FIXED_EPOCH, 'fixed')


def test_timestamp_from_git(tmp_path, monkeypatch):
    import subprocess
    monkeypatch.delenv('SOURCE_DATE_EPOCH', raising=False)
    src = tmp_path / 'x.txt'
    src.write_text('x')
    env = {**os.environ, 'GIT_COMMITTER_DATE': '2019-02-01T08:00:00Z', 'GIT_AUTHOR_DATE': '2019-02-01T08:00:00Z',
           'GIT_AUTHOR_NAME': 't', 'GIT_AUTHOR_EMAIL': 't@t', 'GIT_COMMITTER_NAME': 't',
           'GIT_COMMITTER_EMAIL': 't@t'}
    subprocess.run(['git', 'init', '-q'], cwd=tmp_path, check=True)
    subprocess.run(['git', 'add', 'x.txt'], cwd=tmp_path, check=True)
    subprocess.run(['git', 'commit', '-qm', 'x'], cwd=tmp_path, check=True, env=env)
    ts, rule = timestamps.edition_timestamp(None, src, tmp_path)
    assert rule == 'git' and ts == dt.datetime(2019, 2, 1, 8, tzinfo=dt.timezone.utc)


def test_build_sets_timestamp_never_now(project, monkeypatch):
    (project / 'seeds' / 'a0.yaml').write_text('date: 2018-06-30\n')
    run(project)
    assert '|2018-06-30T00:00:00+00:00|' in (project / 'dist/a0/a0.pdf').read_text()
    assert '|1980-01-01T00:00:00+00:00|' in (project / 'dist/a1/a1.pdf').read_text()
    monkeypatch.setenv('SOURCE_DATE_EPOCH', '1000000000')
    run(project)   # the timestamp rule changed: rebuilt
    assert '|2001-09-09T01:46:40+00:00|' in (project / 'dist/a1/a1.pdf').read_text()
    assert '|2018-06-30T00:00:00+00:00|' in (project / 'dist/a0/a0.pdf').read_text()


# ---------------------------------------------------------------- incremental

def test_noop_then_changes(project):
    run(project)
    calls(project)
    report = run(project)
    assert [r.status for r in report.results] == ['skipped'] * 5 and calls(project) == []
    assert report.summary_lines(lang='en') == ['Nothing to do: all 5 edition(s) are up to date.']
    # source changed
    (project / 'seeds' / 'a1.txt').write_text('新的文字。', encoding='utf-8')
    # sidecar added
    (project / 'seeds' / 'a2.yaml').write_text('date: 2019-01-01\n')
    # an output deleted
    (project / 'dist' / 'a3' / 'a3.epub').unlink()
    run(project)
    assert calls(project) == ['a1.docx', 'a1.epub', 'a1.pdf', 'a2.docx', 'a2.epub', 'a2.pdf', 'a3.epub']
    # layouts and fonts are inputs of every edition
    (project / 'layouts' / 'default').mkdir(parents=True)
    (project / 'layouts' / 'default' / 'body.html').write_text('<p>')
    run(project, formats=('pdf',))
    assert calls(project) == [f'a{i}.pdf' for i in range(5)]
    (project / 'fonts').mkdir()
    (project / 'fonts' / 'x.otf').write_bytes(b'font')
    run(project, formats=('pdf',))
    assert len(calls(project)) == 5
    run(project, formats=('pdf',), force=True)
    assert len(calls(project)) == 5
    run(project, formats=('pdf',), layout='other')
    assert len(calls(project)) == 5
    run(project, formats=('pdf',))  # back to the sidecar's layout: the PDFs are stale again
    assert len(calls(project)) == 5
    run(project)  # docx/epub are stale since the layout and fonts changed
    assert calls(project) == sorted(f'a{i}.{f}' for i in range(5) for f in ('docx', 'epub'))


def test_pending_names_what_a_build_would_write_and_builds_nothing(project):
    fmts = tuple(FAKE_WRITERS)
    assert build.pending(project) == {f'a{i}': tuple(build.WRITERS) for i in range(5)}
    assert not (project / 'dist').exists() and calls(project) == []
    run(project)
    calls(project)
    assert build.pending(project, formats=fmts) == {f'a{i}': () for i in range(5)}
    (project / 'seeds' / 'a1.yaml').write_text('date: 2019-01-01\n')
    (project / 'dist' / 'a3' / 'a3.epub').unlink()
    assert build.pending(project, names=['a1', 'a3'], formats=fmts) == {'a1': fmts, 'a3': ('epub',)}
    assert calls(project) == []


def test_file_hashes_outlive_dist_but_not_a_change_of_content(project, monkeypatch):
    import shutil
    monkeypatch.setenv('XDG_CACHE_HOME', str(project.parent / 'cache'))
    monkeypatch.setattr(build_stamps, 'time', SimpleNamespace(time=lambda: time.time() + 1e6))  # nothing is recent
    hashed = []
    real_sha256_file = manifest.sha256_file
    monkeypatch.setattr(manifest, 'sha256_file', lambda p: hashed.append(p) or real_sha256_file(p))
    run(project)
    assert [p for p in hashed if Path(p).name == 'manifest.json' and 'fonts' in Path(p).parts]
    assert (project.parent / 'cache' / 'publish' / 'file-hashes.json').is_file()
    shutil.rmtree(project / 'dist')
    hashed.clear()
    calls(project)
    run(project)                                        # a new dist/: rebuilt, nothing read again
    assert len(calls(project)) == 15
    # the shipped fonts, layouts and code were not read again
    assert hashed and not [p for p in hashed if Path(p).is_relative_to(manifest.PACKAGE_ROOT)]
    # same size, mtime put back: the ctime still tells
    src = project / 'seeds' / 'a0.txt'
    st = src.stat()
    src.write_text(src.read_text(encoding='utf-8').replace('正文', '本文'), encoding='utf-8')
    os.utime(src, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert src.stat().st_size == st.st_size
    run(project)
    assert calls(project) == ['a0.docx', 'a0.epub', 'a0.pdf']
    # files that are gone leave the cache
    src.unlink()
    (project / 'seeds' / 'a1.txt').write_text('新的。', encoding='utf-8')
    run(project)
    kept = json.loads((project.parent / 'cache' / 'publish' / 'file-hashes.json').read_text())
    assert str(src.resolve()) not in kept and str((project / 'seeds' / 'a1.txt').resolve()) in kept


def test_image_is_an_input(project):
    (project / 'seeds' / 'p.png').write_bytes(b'\x89PNG one')
    (project / 'seeds' / 'a0.yaml').write_text('figure: p.png\n')
    run(project)
    man = json.loads((project / 'dist/a0/manifest.json').read_text())
    assert man['images'][0]['path'] == 'seeds/p.png'
    calls(project)
    run(project)
    assert calls(project) == []
    (project / 'seeds' / 'p.png').write_bytes(b'\x89PNG two')
    run(project)
    assert calls(project) == ['a0.docx', 'a0.epub', 'a0.pdf']


def test_noop_does_not_import_renderers(project):
    import subprocess
    import sys
    run(project)
    # a fresh interpreter: the no-op check must not import the heavy libraries
    script = (
        'import sys, publish.build as b\n'
        'sys.path.insert(0, %r)\n'
        'import test_build as t\n'
        'r = b.build_all(%r, jobs=1, **t.FAKES)\n'
        'assert all(x.status == "skipped" for x in r.results), r\n'
        'from publish.render import WRITERS\n'
        'heavy = ["weasyprint", "docx", "ebooklib", "publish.source"] + [w.module for w in WRITERS.values()]\n'
        'bad = [m for m in heavy if m in sys.modules]\n'
        'print(bad)\n' % (str(Path(__file__).parent), str(project)))
    out = subprocess.run([sys.executable, '-c', script], capture_output=True, text=True,
                         env={**os.environ}, cwd=project)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == '[]'


# ---------------------------------------------------------------- parallel, reproducible

def test_parallel_equals_serial(project, tmp_path):
    import shutil
    other = tmp_path / 'other'
    shutil.copytree(project, other)
    run(project, jobs=1)
    report = run(other, jobs=3)
    assert report.ok
    assert hashes(project / 'dist') == hashes(other / 'dist')


def test_one_edition_split_over_workers(project, tmp_path):
    import shutil
    other = tmp_path / 'other'
    shutil.copytree(project, other)
    run(project, names=['a0'], jobs=1)
    report = run(other, names=['a0'], jobs=3)
    assert report.ok and report.results[0].formats == ('pdf', 'docx', 'epub')
    assert hashes(project / 'dist') == hashes(other / 'dist')
    # a failing unit: the edition's earlier files stay, no temporary file is left
    before = hashes(other / 'dist')
    (other / 'seeds' / 'a0.txt').write_text('DISKFULL 正文。', encoding='utf-8')
    report = run(other, names=['a0'], jobs=2)
    assert report.failed and 'the disk is full' in report.failed[0].error
    assert hashes(other / 'dist') == before
    assert not [p for p in (other / 'dist').rglob('.*') if '.stamps' not in p.parts and p.name != '.stamps']


def test_interrupt_while_an_edition_is_split_leaves_no_temporary_file(project):
    run(project, names=['a0'])
    before = hashes(project / 'dist')
    (project / 'seeds' / 'a0.txt').write_text('INTERRUPT 正文。', encoding='utf-8')
    with pytest.raises(KeyboardInterrupt):
        run(project, names=['a0'], jobs=2)
    assert hashes(project / 'dist') == before
    assert not [p for p in (project / 'dist').rglob('.*') if '.stamps' not in p.parts and p.name != '.stamps']


def test_plan_splits_formats_only_when_workers_are_idle():
    t1, t2 = (build._Task(seed=None, project_root=None, dist=None, formats=tuple(FAKE_WRITERS), layout=None,
                          run_key='', versions={}, fonts=None, previous=None, writers=FAKE_WRITERS)
              for _ in range(2))
    assert build.plan([t1], 2) == [(t1, ('pdf',)), (t1, ('docx', 'epub'))]
    assert sorted(g for _, g in build.plan([t1], 4)) == [('docx',), ('epub',), ('pdf',)]
    assert build.plan([t1, t2], 2) == [(t1, None), (t2, None)]


def test_workers_start_before_hashing_only_when_a_pdf_is_certainly_built(project, monkeypatch):
    order = []
    real_pool = build_pool.ProcessPoolExecutor
    monkeypatch.setattr(build_pool, 'ProcessPoolExecutor', lambda **kw: order.append(('workers', kw['max_workers']))
                        or real_pool(**kw))
    real_run_key = build.run_key
    monkeypatch.setattr(build, 'run_key', lambda *a: order.append('hash') or real_run_key(*a))
    run(project, names=['a0'], jobs=2)                # never built: its PDF certainly is
    assert order == [('workers', 1), 'hash']
    order.clear()
    assert {r.status for r in run(project, jobs=2).results} == {'built', 'skipped'}
    assert order == [('workers', 2), 'hash']
    order.clear()
    run(project, jobs=2)                               # nothing to do: no worker at all
    assert order == ['hash']
    order.clear()
    # a0's PDF is gone (certain), a1's text changed (known only from its hash):
    # one worker starts early, the plan needs two
    (project / 'dist' / 'a0' / 'a0.pdf').unlink()
    (project / 'seeds' / 'a1.txt').write_text('改了。', encoding='utf-8')
    calls(project)
    report = run(project, jobs=2)
    assert order == [('workers', 1), 'hash', ('workers', 2)]
    assert {r.name for r in report.built} == {'a0', 'a1'}
    assert calls(project) == ['a0.pdf', 'a1.docx', 'a1.epub', 'a1.pdf']


@pytest.mark.parametrize('names', [['a0'], None])        # one split edition; whole editions
def test_a_worker_that_dies_while_starting_fails_the_editions_not_the_run(project, monkeypatch, names):
    from publish import render
    monkeypatch.setattr(render, 'prepare', lambda formats: os._exit(139))   # a crash while importing
    report = run(project, names=names, jobs=2)
    assert report.results and {r.status for r in report.results} == {'failed'}
    assert all('stopped unexpectedly' in r.error for r in report.results)
    assert not (project / 'dist' / 'a0' / 'a0.pdf').exists()


def test_ctrl_c_while_hashing_stops_the_run_without_tracebacks(project):
    import signal
    import subprocess
    import sys
    # Ctrl-C comes once the workers have started (and imported WeasyPrint):
    # each says so on stdout, as the parent does when it starts hashing.
    # SIGINT is handled as in a terminal whatever the test runner inherited
    # (a background job of a script starts with SIGINT ignored).
    script = (
        'import os, signal, sys, time\n'
        'signal.signal(signal.SIGINT, signal.default_int_handler)\n'
        'sys.path.insert(0, %r)\n'
        'import test_build as t\n'
        'from publish import build\n'
        'from publish.build import pool\n'
        'real_run_key, real_prepare = build.run_key, pool._prepare_worker\n'
        'def slow(*a):\n'
        '    print("hashing", flush=True)\n'
        '    time.sleep(30)\n'
        '    return real_run_key(*a)\n'
        'def prepare(*a):\n'
        '    real_prepare(*a)\n'
        '    os.write(1, b"worker ready\\n")\n'            # one write: the workers share the pipe
        'build.run_key, pool._prepare_worker = slow, prepare\n'
        'try:\n'
        '    build.build_all(%r, jobs=2, **t.FAKES)\n'
        'except KeyboardInterrupt:\n'
        '    print("interrupted", file=sys.stderr)\n' % (str(Path(__file__).parent), str(project)))
    proc = subprocess.Popen([sys.executable, '-c', script], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=project, start_new_session=True)
    seen: list[str] = []
    while not ('hashing' in seen and seen.count('worker ready') == 2):
        line = proc.stdout.readline()
        assert line, f'the build ended before it was ready: {seen} {proc.communicate()}'
        seen.append(line.strip())
    os.killpg(proc.pid, signal.SIGINT)              # what a terminal sends to the whole group
    out, err = proc.communicate(timeout=60)
    assert err.strip() == 'interrupted', err


def test_worker_that_dies_fails_its_edition_only(project):
    run(project)
    before = hashes(project / 'dist')
    (project / 'seeds' / 'a2.txt').write_text('WORKERDIES 正文。', encoding='utf-8')
    report = run(project, jobs=2, force=True)
    assert report.failed and 'a2' in {r.name for r in report.failed}
    after = hashes(project / 'dist')
    assert {k: v for k, v in after.items() if k.startswith('a2/')} == {
        k: v for k, v in before.items() if k.startswith('a2/')}
    assert not [p for p in (project / 'dist').rglob('*.part*')]


def test_manifest_and_index_are_deterministic(project, tmp_path):
    import shutil
    other = tmp_path / 'elsewhere' / 'copy'
    shutil.copytree(project, other)
    run(project)
    run(other, jobs=2)
    a, b = hashes(project / 'dist'), hashes(other / 'dist')
    assert a == b
    man = json.loads((project / 'dist/a0/manifest.json').read_text())
    assert set(man['files']) == {'a0.pdf', 'a0.docx', 'a0.epub'}
    assert man['source']['path'] == 'seeds/a0.txt'
    assert man['source']['sha256'] == hashlib.sha256((project / 'seeds/a0.txt').read_bytes()).hexdigest()
    assert {'publish', 'weasyprint', 'python-docx', 'ebooklib', 'jinja2', 'fonttools'} <= set(man['generator'])
    assert man['timestamp'] == '1980-01-01T00:00:00+00:00'
    index = json.loads((project / 'dist/index.json').read_text())
    assert [e['name'] for e in index['editions']] == [f'a{i}' for i in range(5)]


def test_pdf_gets_source_and_json_attachments(project):
    run(project, formats=('pdf',), names=['a0'])
    text = (project / 'dist/a0/a0.pdf').read_text()
    src_sha = hashlib.sha256((project / 'seeds/a0.txt').read_bytes()).hexdigest()
    assert f'a0.txt:Source:{src_sha}' in text
    assert 'a0.json:Data:' in text


def test_article_json_has_types_and_relative_paths(project):
    art = fake_loader(project / 'seeds' / 'a0.txt', project)
    art = dataclasses.replace(art, blocks=art.blocks + (Figure(project / 'seeds' / 'p.png', 'c'),))
    raw = build.article_json_bytes(art, project)
    assert str(project) not in raw.decode()
    data = json.loads(raw)
    assert data['blocks'][0]['type'].lower() == 'paragraph'
    assert data['blocks'][-1]['path'] == 'seeds/p.png'


# ---------------------------------------------------------------- failures

def test_failing_edition_keeps_previous_outputs_and_others_build(project):
    run(project)
    before = hashes(project / 'dist')
    (project / 'seeds' / 'a1.txt').write_text('   \n', encoding='utf-8')    # PublishError
    (project / 'seeds' / 'a2.txt').write_text('CRASH', encoding='utf-8')  # a bug
    (project / 'seeds' / 'a3.txt').write_text('改了。', encoding='utf-8')
    report = run(project, jobs=2)
    assert report.exit_status == 1
    status = {r.name: r.status for r in report.results}
    assert status == {'a0': 'skipped', 'a1': 'failed', 'a2': 'failed', 'a3': 'built', 'a4': 'skipped'}
    failed = {r.name: r for r in report.failed}
    assert failed['a1'].error.endswith('a1.txt: the file is empty') and not failed['a1'].traceback
    assert 'a2' in failed['a2'].error and 'ValueError: boom' in failed['a2'].error
    assert 'Traceback' in failed['a2'].traceback
    after = hashes(project / 'dist')
    for name in ('a1', 'a2'):
        for f in before:
            if f.startswith(name + '/'):
                assert after[f] == before[f]
    assert after['a3/a3.pdf'] != before['a3/a3.pdf']
    lines = report.summary_lines(lang='en')
    assert lines[0].startswith('2 of 5 edition(s) failed')
    assert not any(p.name.startswith('.') for p in (project / 'dist').rglob('*') if '.stamps' not in p.parts)


@pytest.mark.parametrize('jobs', [1, 2])        # in this process; the EPUB in another one
def test_a_writers_warning_reaches_the_result_and_the_terminal(project, jobs):
    import io
    from publish.cli_build import Progress
    (project / 'seeds' / 'a3.txt').write_text('WARNME 正文。', encoding='utf-8')
    report = run(project, names=['a3'], jobs=jobs)
    r = report.results[0]
    assert r.status == 'built' and len(r.warnings) == 1
    path, english, chinese = r.warnings[0]
    assert path.endswith('dist/a3/a3.epub') and '.part' not in path, path
    assert r.warning_lines('en') == [f'{path}: warning: the e-reader may not like it']
    assert r.warning_lines('zh') == [f'{path}：注意：电子书阅读器可能不喜欢']
    shown = io.StringIO()
    Progress(shown, tty=False)(r, 1, 1)
    assert 'warning: the e-reader may not like it' in shown.getvalue()
    assert 'a library talking' not in shown.getvalue()
    again = run(project, names=['a3'], jobs=jobs)
    assert again.results[0].status == 'skipped' and again.results[0].warnings == ()


def test_disk_full_mid_way_keeps_previous_outputs(project):
    run(project)
    before = hashes(project / 'dist')
    (project / 'seeds' / 'a4.txt').write_text('DISKFULL 正文。', encoding='utf-8')
    report = run(project)
    r = {x.name: x for x in report.results}['a4']
    assert r.status == 'failed' and 'the disk is full' in r.error and not r.traceback
    assert hashes(project / 'dist') == before
    assert sorted(os.listdir(project / 'dist' / 'a4')) == ['a4.docx', 'a4.epub', 'a4.pdf', 'manifest.json']


def test_disk_full_when_replacing(project, monkeypatch):
    run(project, names=['a0'])
    before = hashes(project / 'dist')
    (project / 'seeds' / 'a0.txt').write_text('新。', encoding='utf-8')
    real_replace = os.replace

    def full(src, dst):
        if str(dst).endswith('manifest.json'):
            raise OSError(errno.ENOSPC, 'No space left on device', str(dst))
        return real_replace(src, dst)
    monkeypatch.setattr(manifest.os, 'replace', full)
    report = run(project, names=['a0'])
    assert report.failed and 'the disk is full' in report.failed[0].error
    assert not [p for p in (project / 'dist' / 'a0').iterdir() if p.name.startswith('.')]
    assert json.loads((project / 'dist/a0/manifest.json').read_text()) == json.loads(
        (project / 'dist/a0/manifest.json').read_text())
    del before


def test_dist_not_writable(project):
    (project / 'dist').write_text('not a folder')
    with pytest.raises(PublishError) as e:
        run(project)
    assert 'cannot write to the output folder' in str(e.value) and 'dist' in str(e.value)


# ---------------------------------------------------------------- verify and archive

def test_verify_names_changed_missing_extra(project):
    run(project)
    dist = project / 'dist'
    assert manifest.verify(dist) == []
    assert manifest.verify(dist).files == 15
    (dist / 'a0' / 'a0.pdf').write_bytes(b'tampered')
    (dist / 'a1' / 'a1.docx').unlink()
    (dist / 'a2' / 'notes.txt').write_text('x')
    (dist / 'stray.txt').write_text('x')
    probs = [(p.kind, p.path) for p in manifest.verify(dist)]
    assert probs == [('changed', 'a0/a0.pdf'), ('missing', 'a1/a1.docx'), ('extra', 'a2/notes.txt'),
                     ('extra', 'stray.txt')]


def test_verify_notices_changed_manifest(project):
    run(project)
    m = project / 'dist' / 'a0' / 'manifest.json'
    m.write_text(m.read_text().replace('"title"', '"title" ', 1))
    assert [(p.kind, p.path) for p in manifest.verify(project / 'dist')] == [('changed', 'a0/manifest.json')]


def test_archive_bag_validates_with_fixed_date(project):
    import bagit
    from publish.archive import archive
    (project / 'seeds' / 'a0.yaml').write_text('date: 2018-06-30\n')
    run(project)
    res = archive(project, ['a0'])
    assert res.path == project / 'dist' / 'archive' / 'a0'
    bag = bagit.Bag(str(res.path))
    bag.validate()
    assert bag.info['Bagging-Date'] == '2018-06-30'
    assert 'sha256' in bag.algorithms
    assert (res.path / 'data' / 'a0' / 'a0.pdf').is_file()
    first = (res.path / 'manifest-sha256.txt').read_bytes()
    res_all = archive(project)
    assert res_all.path.name == 'all'
    bagit.Bag(str(res_all.path)).validate()
    assert archive(project, ['a0']).path == res.path
    assert (res.path / 'manifest-sha256.txt').read_bytes() == first
    # archives are not "extra" files for verify
    assert manifest.verify(project / 'dist') == []


def test_archive_refuses_tampered_edition(project):
    from publish.archive import archive
    run(project)
    (project / 'dist' / 'a1' / 'a1.pdf').write_bytes(b'changed')
    with pytest.raises(PublishError, match="edition 'a1' does not match its manifest"):
        archive(project, ['a0', 'a1'])
    assert archive(project, ['a0']).editions == ['a0']


def test_archive_unbuilt_edition(project):
    from publish.archive import archive
    with pytest.raises(PublishError, match='has not been built'):
        archive(project, ['a0'])


# ---------------------------------------------------------------- messages

def test_language_selection():
    assert messages.language({'LANG': 'zh_CN.UTF-8'}) == 'zh'
    assert messages.language({'LANG': 'en_US.UTF-8'}) == 'en'
    assert messages.language({'LC_ALL': 'zh_CN.UTF-8', 'LANG': 'en_US'}) == 'zh'
    assert messages.language({'LC_ALL': 'C', 'LANG': 'zh_CN.UTF-8'}) == 'en'
    assert messages.language({'LC_MESSAGES': 'zh_TW.UTF-8', 'LANG': 'C'}) == 'zh'
    assert messages.language({}) == 'en'


def test_every_message_has_both_languages_with_same_placeholders():
    import string
    for key, (en, zh) in messages.CATALOGUE.items():
        names = lambda t: sorted(f[1] for f in string.Formatter().parse(t) if f[1])
        assert names(en) == names(zh), key
        assert en and zh and en != zh or key == 'os.other', key
        assert any(c >= '\u3000' for c in zh) or key == 'os.other', key


def test_error_translation_by_key_and_template():
    err = PublishError('unknown key "foo" (known keys: date, title)', Path('seeds/x.yaml'), 3)
    assert messages.format_error(err, 'en') == 'seeds/x.yaml:3: unknown key "foo" (known keys: date, title)'
    assert messages.format_error(err, 'zh') == 'seeds/x.yaml:3: 未知的键“foo”（可用的键：date, title）'
    err = PublishError('"date" must be a date like 2019-02-01, not "tomorrow"', Path('seeds/x.yaml'), 1)
    assert messages.format_error(err, 'zh') == 'seeds/x.yaml:1: “date”必须是 2019-02-01 这样的日期，而不是“tomorrow”'
    err = PublishError('whatever text', 'a.txt')
    err.key, err.params = 'source.empty', {}
    assert messages.format_error(err, 'zh') == 'a.txt: 文件是空的'
    assert messages.translate('something unknown', 'zh') == 'something unknown'


def test_summary_in_chinese(project):
    report = run(project)
    assert report.summary_lines(lang='zh') == ['完成：生成 5 个版本，0 个无需重建，共写出 15 个文件。']
    assert os_reason_zh() == '磁盘已满'


def os_reason_zh():
    return messages.os_reason(OSError(errno.ENOSPC, 'x'), 'zh')
