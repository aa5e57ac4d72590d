"""The pages and changes of ``publish serve``: library, new article, proofing, sidecar, preview."""
from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from serve_helpers import NAME, SEED, client, csrf, make_project


JOINED = [22, 26, 32, 42, 46, 52, 56]       # the seed's column breaks (publish normalize --explain)


@pytest.fixture
def root(tmp_path):
    return make_project(tmp_path)


def _sidecar(root: Path) -> Path:
    return root / 'seeds' / f'{NAME}.yaml'


def _marks(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'class="mark[^"]*" id="d\d+" data-line="(\d+)"', html)]


def _flip(c, line: int, join: bool):
    return c.post(f'/a/{NAME}/decision', data={'line': str(line), 'join': '1' if join else '0'}, headers=csrf())


# ---------------------------------------------------------------- proofing view

def test_the_proofing_view_marks_the_seven_joined_column_breaks(root):
    html = client(root).get(f'/a/{NAME}').text
    assert _marks(html) == JOINED
    # the mark stands where the word was cut: 督¦导考评
    assert re.search(r'督<button type="button" class="mark[^>]*data-line="22"[^>]*>¦</button>导考评', html)
    # every kept break is a gap before its block
    gaps = [int(n) for n in re.findall(r'class="gap[^"]*" id="d\d+" data-line="(\d+)"', html)]
    assert gaps == [4, 6, 8, 12, 16, 18, 20, 24, 28, 30, 34, 36, 38, 40, 44, 48, 50, 54, 58]


def test_blocks_are_labelled_by_their_type(root):
    html = client(root).get(f'/a/{NAME}').text
    for kind in ('banner', 'kicker', 'title', 'lead', 'byline', 'question', 'answer', 'run_in', 'paragraph'):
        assert f'kind-{kind}' in html, kind
    assert '2 · kicker' in html and '4 · byline' in html
    # the details form shows what was recognised where the sidecar says nothing
    assert 'name="headline_banner" value="" placeholder="庆七一 颂党恩 砥砺前行"' in html
    assert 'placeholder="景静, writer, 记者; 王宁, writer, 通讯员' in html


def test_each_decision_is_listed_with_its_cues(root):
    html = client(root).get(f'/a/{NAME}', headers={'Accept-Language': 'en'}).text
    entry = html[html.index('data-line="52"', html.index('class="decisions"')):]
    entry = entry[:entry.index('</li>\n')]
    assert 'line 52 · joined' in entry
    assert 'a word runs across the break' in entry
    assert 'Split here' in entry


def test_uncertain_decisions_come_first_and_are_highlighted(root, monkeypatch):
    from publish.serve import decisions
    monkeypatch.setattr(decisions, 'UNCERTAIN_BELOW', 0.96)    # the seed's least sure: 0.931, 0.95
    c = client(root)
    html = c.get(f'/a/{NAME}').text
    listed = [int(n) for n in re.findall(r'<li class="decision[^"]*" data-line="(\d+)"', html)]
    found = decisions.read(root / 'seeds' / SEED.name, root).decisions
    unsure = sorted((d for d in found if d.confidence < 0.96), key=lambda d: (d.confidence, d.line))
    assert unsure and listed[:len(unsure)] == [d.line for d in unsure]
    for d in unsure:
        assert re.search(rf'<li class="decision uncertain[^"]*" data-line="{d.line}"', html)
        assert re.search(rf'class="(gap|mark) uncertain[^"]*" id="d{d.line}"', html)
    library = c.get('/').text
    assert f'{len(unsure)} uncertain' in library


def test_the_interface_speaks_the_browsers_language(root):
    c = client(root)
    zh = c.get(f'/a/{NAME}', headers={'Accept-Language': 'zh-CN,zh;q=0.9,en;q=0.8'}).text
    assert '需要核对的分段' in zh and '一个词被空行隔断' in zh and '在此分段' in zh
    assert 'Breaks to check' not in zh and 'a word runs across the break' not in zh
    en = c.get(f'/a/{NAME}', headers={'Accept-Language': 'en-GB,en;q=0.9,zh;q=0.5'}).text
    assert 'Breaks to check' in en and '需要核对的分段' not in en
    assert '文章库' in c.get('/', headers={'Accept-Language': 'zh'}).text


def test_request_language_weighs_the_preferences():
    from publish.serve.i18n import request_language
    assert request_language('zh-TW') == 'zh'
    assert request_language('en;q=0.5, zh;q=0.8') == 'zh'
    assert request_language('fr, en;q=0.3, zh;q=0.2') == 'en'
    assert request_language('') == 'en' and request_language(None) == 'en'


# ---------------------------------------------------------------- flipping a decision

def test_a_flip_is_written_to_a_yml_sidecar_the_cli_reads(root):
    yml = _sidecar(root).with_suffix('.yml')
    yml.write_text('publication: 郑州日报\n', encoding='utf-8')
    c = client(root)
    assert 'value="郑州日报"' in c.get(f'/a/{NAME}').text       # the details form reads it
    assert _flip(c, 22, join=False).status_code == 200
    assert 'break: [22]' in yml.read_text(encoding='utf-8')
    assert not _sidecar(root).exists()                       # no second sidecar beside it


def test_a_flip_is_written_to_the_sidecar_and_the_comments_survive(root):
    yaml = _sidecar(root)
    yaml.write_text('# checked by the desk\npublication: 郑州日报   # the paper\njoin: [99]\n', encoding='utf-8')
    c = client(root)
    assert _flip(c, 22, join=False).status_code == 200
    text = yaml.read_text(encoding='utf-8')
    assert text.startswith('# checked by the desk\npublication: 郑州日报   # the paper\n')
    assert 'break: [22]' in text and 'join: [99]' in text
    assert _marks(c.get(f'/a/{NAME}').text) == [n for n in JOINED if n != 22]
    # the CLI reads the same file and agrees
    from publish.source import load
    _, found = load(root / 'seeds' / SEED.name, root)
    assert [d.line for d in found if d.join] == [n for n in JOINED if n != 22]
    # flipped back: the break is gone, the join written
    assert _flip(c, 23, join=True).status_code == 200            # the line below names it too
    text = yaml.read_text(encoding='utf-8')
    assert 'break' not in text and 'join: [22, 99]' in text
    assert _marks(c.get(f'/a/{NAME}').text) == JOINED


def test_a_flip_of_a_line_that_is_no_break_is_one_clear_error(root):
    c = client(root)
    response = _flip(c, 3, join=True)
    assert response.status_code == 400
    assert response.json()['error'] == 'line 3 is not a blank line that the normalizer decided'
    assert not _sidecar(root).exists()
    response = c.post(f'/a/{NAME}/decision', data={'line': 'x', 'join': '1'}, headers=csrf())
    assert response.status_code == 400 and '\n' not in response.json()['error']


# ---------------------------------------------------------------- the type of a block

def _set_kind(c, line: int, kind: str):
    return c.post(f'/a/{NAME}/block', data={'line': str(line), 'kind': kind}, headers=csrf())


def _block(html: str, number: int) -> str:
    start = html.index(f'data-number="{number}"')
    return html[html.rindex('<div', 0, start):html.index('</div>', start)]


def test_every_block_of_the_source_offers_the_types_it_can_be_given(root):
    html = client(root).get(f'/a/{NAME}', headers={'Accept-Language': 'en'}).text
    byline = _block(html, 4)                      # source line 9: 记者 景静 …
    assert 'data-line="9"' in byline and 'class="label pick"' in byline
    assert '<option value="byline" selected>byline</option>' in byline
    assert '<option value="subhead">subhead</option>' in byline
    assert 'value="kicker"' not in byline          # below the lead: no headline part
    assert '<option value="kicker">kicker</option>' in _block(html, 1)     # the banner may be a kicker
    assert '<option value="paragraph" selected>' in _block(html, 3)        # the lead is a paragraph


def test_a_blocks_type_is_written_to_the_sidecar_and_the_page_and_cli_show_it(root):
    from publish.model import Byline, Subhead
    from publish.source import load
    yaml = _sidecar(root)
    yaml.write_text('# checked by the desk\npublication: 郑州日报   # the paper\n', encoding='utf-8')
    c = client(root)
    assert _set_kind(c, 15, 'subhead').status_code == 200          # 问：党建成绩怎么样？
    assert _set_kind(c, 9, 'paragraph').status_code == 200         # the byline
    text = yaml.read_text(encoding='utf-8')
    assert text == ('# checked by the desk\npublication: 郑州日报   # the paper\n'
                    'blocks:\n  9: paragraph\n  15: subhead\n')
    html = c.get(f'/a/{NAME}').text
    assert 'kind-byline' not in html
    assert re.search(r'class="label pick given" data-line="9"[^>]*>4 · paragraph<', html)
    assert '<option value="">as recognised</option>' in _block(html, 4)
    article, _ = load(root / 'seeds' / SEED.name, root)
    assert not any(isinstance(b, Byline) for b in article.blocks)
    assert Subhead('问：党建成绩怎么样？') in article.blocks
    assert article.contributors == ()
    # taken back: the block is what it is recognised as
    assert _set_kind(c, 9, '').status_code == 200
    assert yaml.read_text(encoding='utf-8').endswith('blocks:\n  15: subhead\n')
    assert 'class="label pick" data-line="9"' in c.get(f'/a/{NAME}').text
    assert isinstance(load(root / 'seeds' / SEED.name, root)[0].blocks[3], Byline)


def test_a_join_takes_the_type_given_to_the_block_below_with_it(root):
    c = client(root)
    assert _flip(c, 20, join=False).status_code == 200
    assert _set_kind(c, 21, 'subhead').status_code == 200
    assert 'blocks:' in _sidecar(root).read_text(encoding='utf-8')
    assert _flip(c, 20, join=True).status_code == 200              # 21 starts no block now
    assert 'blocks' not in _sidecar(root).read_text(encoding='utf-8')
    assert c.get(f'/a/{NAME}').status_code == 200


@pytest.mark.parametrize('line, kind, error', [
    (9, 'author', '"author" is not a block type (known: banner, kicker, title, subtitle, byline, '
                  'paragraph, question, answer, subhead, caption)'),
    (10, 'subhead', 'line 10 is not where a block of the article starts'),
    (8, 'subhead', 'line 8 is not where a block of the article starts'),
])
def test_a_type_that_cannot_be_given_is_one_clear_error(root, line, kind, error):
    c = client(root)
    response = _set_kind(c, line, kind)
    assert response.status_code == 400
    assert response.json()['error'] == error
    assert not _sidecar(root).exists()


# ---------------------------------------------------------------- details

def test_details_are_written_to_the_sidecar_in_the_clis_terms(root):
    yaml = _sidecar(root)
    yaml.write_text('# kept\nlanguage: zh-CN\nkeywords: [党建]\n', encoding='utf-8')
    c = client(root)
    response = c.post(f'/a/{NAME}/details', headers=csrf(), data={
        'publication': '二七区融媒体中心', 'date': '2018-07-02', 'section': '党建',
        'headline_banner': '庆七一 颂党恩 砥砺前行', 'headline_title': '“三个一”构建党建大格局',
        'contributors': '景静, writer, 记者\n胡源浩，photographer\n'})
    assert response.status_code == 200, response.text
    text = yaml.read_text(encoding='utf-8')
    assert text.startswith('# kept\nlanguage: zh-CN\nkeywords: [党建]\n')
    from publish.config import load_sidecar
    from publish.model import Contributor, HeadlineRole, Role
    import datetime as dt
    s = load_sidecar(yaml)
    assert (s.publication, s.date, s.section) == ('二七区融媒体中心', dt.date(2018, 7, 2), '党建')
    assert dict(s.headline) == {HeadlineRole.BANNER: '庆七一 颂党恩 砥砺前行',
                                HeadlineRole.TITLE: '“三个一”构建党建大格局'}
    assert s.contributors == (Contributor('景静', Role.WRITER, '记者'), Contributor('胡源浩', Role.PHOTOGRAPHER))
    html = c.get(f'/a/{NAME}').text
    assert 'value="二七区融媒体中心"' in html and 'value="2018-07-02"' in html
    assert '2018-07-02' in c.get('/').text


def test_bad_details_are_refused_and_the_sidecar_is_left_as_it_was(root):
    yaml = _sidecar(root)
    yaml.write_text('# kept\nsection: 要闻\n', encoding='utf-8')
    c = client(root)
    response = c.post(f'/a/{NAME}/details', headers=csrf(), data={'date': '2018-13-40'})
    assert response.status_code == 400 and '2018-13-40' in response.json()['error']
    response = c.post(f'/a/{NAME}/details', headers=csrf(), data={'contributors': '景静, boss'})
    assert response.status_code == 400
    assert 'unknown role "boss"' in response.json()['error']
    assert yaml.read_text(encoding='utf-8') == '# kept\nsection: 要闻\n'
    assert sorted(p.name for p in yaml.parent.iterdir()) == [SEED.name, yaml.name]   # no temporary file left


def test_a_figure_upload_places_the_picture_in_the_article(root):
    import io
    from PIL import Image
    buffer = io.BytesIO()
    Image.new('RGB', (60, 40), 'red').save(buffer, 'JPEG')
    c = client(root)
    response = c.post(f'/a/{NAME}/figure', headers=csrf(),
                      data={'caption': '大会现场', 'credit': '胡源浩 摄', 'alt': '礼堂里的大会', 'after': '3'},
                      files={'file': ('meeting.jpg', buffer.getvalue(), 'image/jpeg')})
    assert response.status_code == 200, response.text
    assert '{file: meeting.jpg, caption: 大会现场, credit: 胡源浩 摄, alt: 礼堂里的大会, after: 3}' in \
        _sidecar(root).read_text(encoding='utf-8')
    html = c.get(f'/a/{NAME}').text
    assert re.search(r'data-number="4">\s*<span class="label">4 · figure', html)
    # a second upload of the same name never replaces the first
    response = c.post(f'/a/{NAME}/figure', headers=csrf(), data={},
                      files={'file': ('meeting.jpg', buffer.getvalue(), 'image/jpeg')})
    assert response.status_code == 400


# ---------------------------------------------------------------- new article

def test_a_pasted_article_is_saved_under_the_name_given_and_opens_for_proofing(root):
    c = client(root)
    text = SEED.read_text(encoding='utf-8')
    suggested = c.post('/suggest-name', data={'text': text}, headers=csrf()).json()['name']
    assert suggested.startswith('三个一') and len(suggested) <= 80
    dated = c.post('/suggest-name', data={'text': '标题在此\n\n2019年2月1日，正文。'}, headers=csrf()).json()['name']
    assert dated == '2019-02-01-标题在此'
    response = c.post('/new', data={'name': 'pasted', 'text': text}, headers=csrf())
    assert response.json() == {'url': '/a/pasted'}
    assert (root / 'seeds' / 'pasted.txt').read_text(encoding='utf-8') == text
    assert _marks(c.get('/a/pasted').text) == JOINED


def test_without_a_name_the_suggested_one_is_taken_and_never_one_in_use(root):
    c = client(root)
    text = '大会召开\n\n2019年2月1日，正文没有完，\n\n接着写完。\n'
    upload = {'file': ('x.txt', text.encode('gb18030'), 'text/plain')}
    assert c.post('/suggest-name', files=upload, headers=csrf()).json() == {'name': '2019-02-01-大会召开'}
    assert c.post('/new', data={'name': ''}, files=upload, headers=csrf()).json() == {'url': '/a/2019-02-01-大会召开'}
    assert c.post('/suggest-name', files=upload, headers=csrf()).json() == {'name': '2019-02-01-大会召开-2'}
    assert c.post('/new', data={'text': text}, headers=csrf()).json() == {'url': '/a/2019-02-01-大会召开-2'}
    assert (root / 'seeds' / '2019-02-01-大会召开.txt').read_text(encoding='utf-8') == text


def test_an_empty_paste_is_one_clear_error(root):
    c = client(root)
    response = c.post('/new', data={'name': 'empty', 'text': '  \n'}, headers=csrf())
    assert response.status_code == 400
    assert response.json()['error'].endswith('paste the article or choose a .txt file')
    assert not (root / 'seeds' / 'empty.txt').exists()


# ---------------------------------------------------------------- library, builds, preview

def test_a_seed_that_cannot_be_read_shows_its_one_line_error(root):
    (root / 'seeds' / 'broken.txt').write_text('标题\n\n正文。\n', encoding='utf-8')
    (root / 'seeds' / 'broken.yaml').write_text('date: someday\n', encoding='utf-8')
    c = client(root)
    html = c.get('/', headers={'Accept-Language': 'en'}).text
    row = html[html.index('data-name="broken"'):]
    row = row[:row.index('</tr>')]
    assert 'state-failed' in html.split('data-name="broken"')[0][-40:]
    assert 'broken.yaml:1: &#34;date&#34; must be a date like 2019-02-01, not &#34;someday&#34;' in row
    page = c.get('/a/broken').text
    assert 'must be a date like 2019-02-01' in page


def _wait_for_builds(c, seconds=180):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with c.stream('GET', '/events') as events:
            for line in events.iter_lines():
                if line.startswith('data: '):
                    state = json.loads(line[6:])['build']
                    break
        if not state['running']:
            return state
        time.sleep(0.5)
    raise AssertionError('the build did not finish')


@pytest.fixture(scope='module')
def built(tmp_path_factory):
    """A project whose seed was built by the library's build-all button."""
    root = make_project(tmp_path_factory.mktemp('built'))
    c = client(root, event_lifetime=0.1)
    assert 'needs building' in c.get('/', headers={'Accept-Language': 'en'}).text
    response = c.post('/build', headers=csrf())
    assert response.status_code == 202
    time.sleep(0.2)
    state = _wait_for_builds(c)
    assert state['done'] == state['total'] == 1
    return root, c


def test_build_all_builds_and_the_library_says_up_to_date(built):
    root, c = built
    assert (root / 'dist' / NAME / f'{NAME}.pdf').is_file()
    assert 'up to date' in c.get('/', headers={'Accept-Language': 'en'}).text


def test_the_preview_shows_the_pdfs_pages_and_every_edition_downloads(built):
    root, c = built
    html = c.get(f'/a/{NAME}').text
    pages = re.findall(rf'src="/a/{NAME}/page/(\d+)\.png\?v=\d+"', html)
    import pypdfium2
    assert len(pages) == len(pypdfium2.PdfDocument(str(root / 'dist' / NAME / f'{NAME}.pdf'))) >= 1
    image = c.get(f'/a/{NAME}/page/1.png')
    assert image.headers['content-type'] == 'image/png' and image.content.startswith(b'\x89PNG')
    assert c.get(f'/a/{NAME}/page/{len(pages) + 1}.png').status_code == 404
    for fmt, magic in (('pdf', b'%PDF'), ('docx', b'PK'), ('epub', b'PK')):
        assert f'/a/{NAME}/download/{fmt}' in html
        response = c.get(f'/a/{NAME}/download/{fmt}')
        assert response.status_code == 200 and response.content.startswith(magic), fmt
        assert f'{NAME}.{fmt}' in response.headers['content-disposition']
    assert c.get(f'/a/{NAME}/download/exe').status_code == 404


def test_a_rebuild_after_a_flip_splits_the_paragraph_in_the_pdf(built):
    root, c = built
    assert _flip(c, 22, join=False).status_code == 200
    assert 'needs building' in c.get('/', headers={'Accept-Language': 'en'}).text
    response = c.post(f'/a/{NAME}/build', headers=csrf())
    assert response.json() == {'ok': True}
    import pypdfium2
    pdf = pypdfium2.PdfDocument(str(root / 'dist' / NAME / f'{NAME}.pdf'))
    text = ''.join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert re.search(r'督\s*\r?\n\s*导考评', text)             # 督 ends a paragraph, 导考评 starts one
    assert _flip(c, 22, join=True).status_code == 200


def test_a_build_that_fails_shows_its_error(built):
    root, c = built
    yaml = root / 'seeds' / f'{NAME}.yaml'
    before = yaml.read_text(encoding='utf-8')
    yaml.write_text(before + 'figures:\n  - {file: nowhere.jpg}\n', encoding='utf-8')
    try:
        response = c.post(f'/a/{NAME}/build', headers=csrf())
        assert response.status_code == 422
        assert 'image not found' in response.json()['error']
    finally:
        yaml.write_text(before, encoding='utf-8')


def test_the_event_stream_reports_changed_files(root):
    c = client(root, event_lifetime=0.1)
    with c.stream('GET', '/events') as events:
        assert events.headers['content-type'].startswith('text/event-stream')
        first = next(line for line in events.iter_lines() if line.startswith('data: '))
    (root / 'seeds' / 'other.txt').write_text('标题\n', encoding='utf-8')
    with c.stream('GET', '/events') as events:
        second = next(line for line in events.iter_lines() if line.startswith('data: '))
    assert 'other.txt' not in json.loads(first[6:])['files']
    assert 'other.txt' in json.loads(second[6:])['files']


def test_the_page_reads_the_source_once(root, monkeypatch):
    from publish import source
    from publish.serve import decisions
    reads = []
    real = source.read_source
    monkeypatch.setattr(source, 'read_source', lambda path: reads.append(path) or real(path))
    proof = decisions.read(root / 'seeds' / SEED.name, root)
    assert reads == [root / 'seeds' / SEED.name]
    assert [d.line for d in proof.decisions if d.join] == JOINED
    assert proof.block_lines[:4] == (3, 5, 7, 9)
