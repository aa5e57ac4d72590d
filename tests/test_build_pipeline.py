"""The whole pipeline through the command line: the seed, reproducibility across
copies, parallel = serial, no-op runs, PDF attachments, verify, archive,
messages in Chinese, and random text (hypothesis)."""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from publish import build
from publish.render import pdf as pdf_render
from test_bad_input import GOOD, REPO, make_project, pdf_text, run_publish, squash

SEED = REPO / 'seeds' / '000_f1de1b68b16b5b86.txt'


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def dist_hashes(dist: Path) -> dict[str, str]:
    return {p.relative_to(dist).as_posix(): sha(p) for p in sorted(dist.rglob('*'))
            if p.is_file() and '.stamps' not in p.parts}


def copy_project(dest: Path) -> Path:
    """A copy of the project as a fresh clone would have it (no dist/, no venv)."""
    shutil.copytree(REPO, dest, ignore=shutil.ignore_patterns(
        '.venv', 'dist', '.git', '__pycache__', '*.egg-info', '.pytest_cache', '.hypothesis', 'build'))
    return dest


@pytest.fixture(scope='module')
def seed_build(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp('seed'))
    shutil.copy(SEED, root / 'seeds')
    r = run_publish(root, 'all')
    return root, r


def test_seed_builds_every_format(seed_build):
    from publish.render import WRITERS
    root, r = seed_build
    assert r.returncode == 0, r.stderr
    name = SEED.stem
    edition = root / 'dist' / name
    for writer in WRITERS.values():
        f = edition / writer.output_for(name)
        assert f.stat().st_size > 0
        assert f'dist/{name}/{writer.output_for(name)}' in r.stdout
    man = json.loads((edition / 'manifest.json').read_text())
    assert man['source']['sha256'] == sha(SEED)
    assert set(man['files']) == {p.relative_to(edition).as_posix() for p in edition.rglob('*')
                                 if p.is_file() and p.name != 'manifest.json'}
    assert {w.output_for(name) for w in WRITERS.values()} <= set(man['files'])
    index = json.loads((root / 'dist' / 'index.json').read_text())
    assert [e['name'] for e in index['editions']] == [name]


def test_pdf_embeds_source_and_article_json(seed_build):
    import pikepdf
    root, _ = seed_build
    name = SEED.stem
    with pikepdf.open(root / 'dist' / name / f'{name}.pdf') as pdf:
        files = {n: a.get_file().read_bytes() for n, a in pdf.attachments.items()}
        rels = {n: str(a.obj.get('/AFRelationship')) for n, a in pdf.attachments.items()}
    assert files.get(f'{name}.txt') == SEED.read_bytes(), sorted(files)
    data = json.loads(files[f'{name}.json'])
    assert json.dumps(data, ensure_ascii=False).count('二七区') > 3
    assert rels[f'{name}.txt'] == '/Source' and rels[f'{name}.json'] == '/Data'


def test_noop_is_quick_and_imports_nothing_heavy(seed_build):
    root, _ = seed_build
    r = run_publish(root, 'all', env={'PYTHONPROFILEIMPORTTIME': '1'})
    assert r.returncode == 0, r.stderr
    imported = r.stderr
    for mod in ('weasyprint', 'docx', 'ebooklib', 'fontTools'):
        assert f' {mod}\n' not in imported and f' {mod}.' not in imported.replace('publish.', ''), mod
    assert 'up to date' in r.stdout or 'Nothing to do' in r.stdout


def test_verify_and_archive(seed_build, tmp_path):
    import bagit
    src, _ = seed_build
    root = tmp_path / 'p'
    shutil.copytree(src, root)
    r = run_publish(root, 'verify')
    assert r.returncode == 0, r.stdout + r.stderr
    r = run_publish(root, 'archive')
    assert r.returncode == 0, r.stderr
    bag = root / 'dist' / 'archive' / 'all'
    bagit.Bag(str(bag)).validate()
    name = SEED.stem
    pdf = root / 'dist' / name / f'{name}.pdf'
    pdf.write_bytes(pdf.read_bytes() + b'%')
    (root / 'dist' / name / f'{name}.epub').unlink()
    (root / 'dist' / name / 'x.tmp').write_text('x')
    r = run_publish(root, 'verify')
    assert r.returncode == 1
    assert f'{name}/{name}.pdf' in r.stdout and f'{name}/{name}.epub' in r.stdout and f'{name}/x.tmp' in r.stdout
    assert len(r.stdout.strip().splitlines()) == 3
    r = run_publish(root, 'verify', env={'LANG': 'zh_CN.UTF-8'})
    assert '已被改动' in r.stdout and '缺失' in r.stdout and '多余' in r.stdout


def test_reproducible_across_copies(tmp_path):
    """Two copies of the project in different folders, built at different times,
    give byte-identical files."""
    a = copy_project(tmp_path / 'one')
    b = copy_project(tmp_path / 'two' / 'deeper')
    (a / 'seeds' / 'extra.txt').write_text(GOOD, encoding='utf-8')
    (b / 'seeds' / 'extra.txt').write_text(GOOD, encoding='utf-8')
    ra = run_publish(a, 'all', '-j', '1')
    rb = run_publish(b, 'all', '-j', '2', env={'TZ': 'Asia/Shanghai'})
    assert ra.returncode == 0 and rb.returncode == 0, ra.stderr + rb.stderr
    ha, hb = dist_hashes(a / 'dist'), dist_hashes(b / 'dist')
    assert len([f for f in ha if f.endswith(('.pdf', '.docx', '.epub'))]) == 6
    assert ha == hb
    # and a forced rebuild in the same place gives the same bytes again
    rc = run_publish(a, 'all', '--force')
    assert rc.returncode == 0 and dist_hashes(a / 'dist') == ha
    # one article over two processes: its PDF staged here, typeset in a worker
    rd = run_publish(a, 'all', '--force', '-j', '2', 'extra')
    assert rd.returncode == 0 and dist_hashes(a / 'dist') == ha


def test_split_edition_is_read_and_its_pdf_staged_in_the_parent(tmp_path):
    root = make_project(tmp_path)
    shutil.copy(SEED, root / 'seeds')
    (root / 'seeds' / 'bad.txt').write_text('标题\n\n西夏文\U00017000字。\n', encoding='utf-8')
    tasks = {s.name: build._Task(seed=s, project_root=root, dist=root / 'dist', formats=build.FORMATS,
                                 layout=None, run_key='', versions={}, fonts=None, previous=None)
             for s in build.discover(root)}
    read = build.pool._read_editions({name: (t, ['pdf']) for name, t in tasks.items()})
    good = read[SEED.stem].edition
    assert isinstance(good.staged['pdf'], pdf_render.Staged)
    assert good.timestamp is not None
    assert read['bad'].edition.staged == {}       # left to the worker, which reports it
    r = run_publish(root, 'all', '-j', '2', 'bad')
    assert r.returncode == 1 and 'U+17000' in r.stderr + r.stdout


def test_progress_lines_and_failure_summary(tmp_path):
    root = make_project(tmp_path)
    for i in range(3):
        (root / 'seeds' / f'n{i}.txt').write_text(GOOD.replace('25次', f'{i}次'), encoding='utf-8')
    (root / 'seeds' / 'n3.txt').write_bytes(b'')
    r = run_publish(root, 'docx', '-j', '2')
    assert r.returncode == 1
    assert 'Traceback' not in r.stderr
    assert sum('/4] ' in line for line in r.stderr.splitlines()) == 4, r.stderr
    assert '1 of 4 edition(s) failed' in r.stderr and 'n3.txt' in r.stderr
    for i in range(3):
        assert f'dist/n{i}/n{i}.docx' in r.stdout
    r = run_publish(root, 'docx', env={'LANG': 'zh_CN.UTF-8'})
    assert '4 个版本中有 1 个失败' in r.stderr and '无需重建' in r.stderr, r.stderr


ENGLISH = ('City Opens New Library in Old Textile Mill\n\n'
           'By Staff Reporter\n\n'
           'The city opened its new public library on Monday in the restored halls of the old '
           'textile mill by the river, after three years of work by local builders and volunteers '
           'who saved the brick walls, the iron columns and the tall windows of the weaving floor.\n\n'
           'The library holds more than 200,000 books, a children\'s wing with a reading garden, '
           'study rooms open until midnight during examinations, and a workshop where residents '
           'learn to mend furniture, bicycles and radios with the help of retired craftsmen.\n\n'
           '"We wanted a place where everyone feels at home," the head librarian said at the '
           'opening, thanking the donors and the residents who carried books from the old building '
           'in a human chain that reached almost a kilometre along the main street.\n')


def test_english_article_builds_in_every_format(tmp_path):
    from docx import Document
    root = make_project(tmp_path)
    (root / 'seeds' / 'english.txt').write_text(ENGLISH, encoding='utf-8')
    r = run_publish(root, 'all')
    assert r.returncode == 0 and 'Traceback' not in r.stderr, r.stderr
    dist = root / 'dist' / 'english'
    assert 'thatreachedalmostakilometre' in squash(pdf_text(dist / 'english.pdf'))
    props = Document(str(dist / 'english.docx')).core_properties
    assert props.title == 'City Opens New Library in Old Textile Mill'
    assert all(len(v) <= 255 for v in (props.title, props.subject, props.author, props.keywords))
    assert (dist / 'english.epub').stat().st_size > 0
    assert run_publish(root, 'verify').returncode == 0


EMOJI = ('群众点赞新图书馆👍\n\n记者 景静\n\n'
         '新图书馆开放当天，读者在留言板上写下“太棒了👍🏽”。\n\n馆长说，欢迎大家常来。\n')


def test_emoji_article_builds_in_every_format_with_the_emoji_font_embedded(tmp_path):
    import io
    import subprocess
    import zipfile
    from fontTools.ttLib import TTFont
    root = make_project(tmp_path)
    (root / 'seeds' / 'emoji.txt').write_text(EMOJI, encoding='utf-8')
    r = run_publish(root, 'all')
    assert r.returncode == 0 and 'Traceback' not in r.stderr, r.stderr
    dist = root / 'dist' / 'emoji'
    # PDF: the emoji font embedded (as a subset), the emoji in the text
    listed = subprocess.run(['pdffonts', str(dist / 'emoji.pdf')], capture_output=True, text=True,
                            check=True).stdout.splitlines()[2:]
    embedded = {line.split()[0].split('+', 1)[-1] for line in listed}
    assert {'Publish-Emoji', 'Publish-Emoji-Bold'} <= embedded     # body text and the bold headline
    assert '点赞新图书馆👍' in squash(pdf_text(dist / 'emoji.pdf'))
    # EPUB: a subset of the emoji font, declared and drawing the emoji
    with zipfile.ZipFile(dist / 'emoji.epub') as z:
        font = TTFont(io.BytesIO(z.read('EPUB/fonts/NotoEmoji-Regular.ttf')))
        css = z.read('EPUB/styles/epub.css').decode()
    assert 0x1F44D in font.getBestCmap() and len(font.getBestCmap()) < 20
    assert 'Publish Emoji' in css and 'NotoEmoji-Regular.ttf' in css
    # DOCX: the emoji in runs of their own set in Noto Emoji, listed in the font table
    with zipfile.ZipFile(dist / 'emoji.docx') as z:
        document = z.read('word/document.xml').decode()
        table = z.read('word/fontTable.xml').decode()
    assert ('<w:rFonts w:ascii="Noto Emoji" w:hAnsi="Noto Emoji" w:eastAsia="Noto Emoji" w:cs="Noto Emoji"/>'
            '</w:rPr><w:t>👍</w:t>') in document
    assert '<w:t>👍🏽</w:t>' in document and 'w:name="Noto Emoji"' in table
    assert run_publish(root, 'verify').returncode == 0


# ---------------------------------------------------------------- random text

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
ASCII = st.sampled_from('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')
WORD = st.text(st.one_of(CJK, CJK, CJK, ASCII), min_size=1, max_size=30)
PARA = st.lists(WORD, min_size=1, max_size=8).map(' '.join).map(lambda s: s + '。')
ARTICLE = st.lists(PARA, min_size=1, max_size=8).map('\n\n'.join)


def is_subsequence(needle: str, hay: str) -> bool:
    it = iter(hay)
    return all(c in it for c in needle)


@settings(max_examples=8, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=ARTICLE)
def test_random_text_reaches_the_pdf(tmp_path_factory, text):
    root = make_project(tmp_path_factory.mktemp('random'))
    (root / 'seeds' / 'r.txt').write_text(text + '\n', encoding='utf-8')
    r = run_publish(root, 'pdf', 'r')
    assert 'Traceback' not in r.stderr, r.stderr
    if r.returncode != 0:
        # the only acceptable refusal: a character no shipped font has
        assert len(r.stderr.strip().splitlines()) == 1 and 'r.txt' in r.stderr, r.stderr
        return
    out = squash(pdf_text(root / 'dist' / 'r' / 'r.pdf'))
    src = squash(text)
    missing = sorted(set(src) - set(out))
    assert not missing, missing
    assert is_subsequence(src, out)
