"""publish serve: how long the proofing view of the seed takes to render on
the server, and how long a flip takes to an updated preview.

    .venv/bin/python bench/bench_serve.py [--runs N]

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


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument('--runs', type=int, default=10)
    args = parser.parse_args()
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
