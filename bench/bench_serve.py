"""publish serve: how long the proofing view of the seed takes to render on
the server, and how long a flip takes to an updated preview.

    .venv/bin/python bench/bench_serve.py [--runs N]
    .venv/bin/python bench/bench_serve.py --transfer

With ``--transfer`` it measures instead what a first visit costs: the bytes
headless Chromium (Debian's chromium and chromium-driver, as the browser
tests use) transfers for the library page and for the proofing view of the
seed, with an empty cache, in English and in Chinese, fonts included (the
page is measured once its fonts have loaded).

The server runs in this process (Starlette's test client, no network); the
timings are the server's work: normalizing and laying out the page, writing
the sidecar, rebuilding the editions, rasterizing the PDF's first page.
Targets: the page < 300 ms, a flip to an updated preview < 2 s.  A flip
builds the PDF first and shows it; DOCX and EPUB follow in the background,
and each flip here waits for them as a person reading the preview would.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / 'seeds' / '000_f1de1b68b16b5b86.txt'
NAME = SEED.stem


def _client(root: Path):
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        from starlette.testclient import TestClient
    from publish.serve.app import create_app
    from publish.serve.security import csrf_token
    app = create_app(root, 'bench-key', host='127.0.0.1', port=8000, event_lifetime=0.05)
    c = TestClient(app, base_url='http://127.0.0.1:8000')
    c.get('/?key=bench-key')
    return c, {'X-CSRF-Token': csrf_token('bench-key')}


def _wait_idle(c) -> None:
    """Until the editions built after a preview (DOCX, EPUB) are done, as a person
    looking at the preview would give them time to be."""
    while True:
        with c.stream('GET', '/events') as events:
            data = next(line for line in events.iter_lines() if line.startswith('data: '))
        if '"running": false' in data:
            return
        time.sleep(0.1)


def _ms(seconds: float) -> str:
    return f'{seconds * 1000:.0f} ms'


#: every resource the page loaded, with its size on the wire, once its fonts are in
_TRANSFERRED = """
const done = arguments[arguments.length - 1];
document.fonts.ready.then(() => setTimeout(() => {
  const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
  done(entries.filter(e => !e.name.includes('/events'))
              .map(e => [new URL(e.name).pathname, e.transferSize]));
}, 500));
"""


def _browser(lang: str):
    import shutil as which
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = which.which('chromium')
    for argument in ('--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
                     '--window-size=1400,1000', f'--lang={lang}'):
        options.add_argument(argument)
    options.add_experimental_option('prefs', {'intl.accept_languages': lang})
    return webdriver.Chrome(service=Service(which.which('chromedriver')), options=options)


def transfer() -> int:
    """Bytes a first visit transfers: the library page and the proofing view, per language."""
    import re
    import subprocess
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / 'project'
        (root / 'seeds').mkdir(parents=True)
        shutil.copy(SEED, root / 'seeds')
        env = {**os.environ, 'XDG_CACHE_HOME': str(Path(tmp) / 'cache'),
               'PYTHONPATH': os.pathsep.join(filter(None, [str(REPO), os.environ.get('PYTHONPATH')]))}
        server = subprocess.Popen([sys.executable, '-m', 'publish', 'serve', '--port', '0'], cwd=root, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            url = re.search(r'http://\S+', server.stdout.readline()).group(0)
            base = url.split('/?')[0]
            for lang in ('en-US', 'zh-CN'):
                for page in ('/', f'/a/{NAME}'):
                    driver = _browser(lang)            # a new profile: nothing cached
                    try:
                        driver.set_script_timeout(120)
                        driver.get(url)                # the key becomes a cookie
                        driver.execute_cdp_cmd('Network.clearBrowserCache', {})
                        driver.get(base + page)
                        entries = driver.execute_async_script(_TRANSFERRED)
                    finally:
                        driver.quit()
                    total = sum(size for _, size in entries)
                    fonts = sum(size for path, size in entries if path.startswith('/fonts/'))
                    print(f'{lang} {page if page == "/" else "/a/<seed>"}: {total / 1e6:.2f} MB transferred '
                          f'({fonts / 1e6:.2f} MB of fonts, {len(entries)} requests)')
                    for path, size in entries:
                        print(f'    {size / 1e3:9.1f} kB  {path}')
        finally:
            server.terminate()
            server.wait(timeout=10)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument('--runs', type=int, default=10)
    parser.add_argument('--transfer', action='store_true', help='measure the bytes of a first visit instead')
    args = parser.parse_args()
    if args.transfer:
        return transfer()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ['XDG_CACHE_HOME'] = str(Path(tmp) / 'cache')
        root = Path(tmp) / 'project'
        (root / 'seeds').mkdir(parents=True)
        shutil.copy(SEED, root / 'seeds')
        c, csrf = _client(root)

        assert c.get(f'/a/{NAME}').status_code == 200          # first view: word list loaded
        page = []
        for _ in range(args.runs):
            start = time.perf_counter()
            response = c.get(f'/a/{NAME}')
            page.append(time.perf_counter() - start)
            assert response.status_code == 200
        library = []
        for _ in range(args.runs):
            start = time.perf_counter()
            c.get('/')
            library.append(time.perf_counter() - start)

        start = time.perf_counter()
        assert c.post(f'/a/{NAME}/build', headers=csrf).json() == {'ok': True}
        first_build = time.perf_counter() - start
        flips, steps = [], {'flip': [], 'PDF build': [], 'page': [], 'PNG': []}
        for run in range(args.runs):
            _wait_idle(c)
            marks = [time.perf_counter()]
            assert c.post(f'/a/{NAME}/decision', headers=csrf,
                          data={'line': '22', 'join': '1' if run % 2 else '0'}).status_code == 200
            marks.append(time.perf_counter())
            assert c.post(f'/a/{NAME}/build', headers=csrf).json() == {'ok': True}
            marks.append(time.perf_counter())
            html = c.get(f'/a/{NAME}').text
            marks.append(time.perf_counter())
            version = html.split('data-version="')[1].split('"')[0]
            assert c.get(f'/a/{NAME}/page/1.png?v={version}').content.startswith(b'\x89PNG')
            marks.append(time.perf_counter())
            flips.append(marks[-1] - marks[0])
            for step, begin, end in zip(steps, marks, marks[1:]):
                steps[step].append(end - begin)

    print(f'proofing view of the seed, server side ({args.runs} runs): '
          f'median {_ms(statistics.median(page))}, max {_ms(max(page))}  (target < 300 ms)')
    print(f'library page ({args.runs} runs): median {_ms(statistics.median(library))}, max {_ms(max(library))}')
    print(f'first build of the seed in the server: {_ms(first_build)}')
    print(f'flip → sidecar → rebuild → page → first page PNG ({args.runs} runs): '
          f'median {_ms(statistics.median(flips))}, max {_ms(max(flips))}  (target < 2 s)')
    print('  of which, median: ' + ', '.join(f'{step} {_ms(statistics.median(times))}'
                                              for step, times in steps.items()))
    return 0


if __name__ == '__main__':
    sys.exit(main())
