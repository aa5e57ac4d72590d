#!/usr/bin/env python3
"""Benchmark the normalizer (issue 2's speed targets); prints a table, exits 0.

    .venv/bin/python bench/bench_normalize.py [--runs 50] [--process-runs 15]

(a) in-process: `normalize_text` on a ~3,000-character article made from the
    seed (repeated and cut at a paragraph end), and on the articles of
    ../shared/corpus/dev that have 2,500–3,500 characters when that folder
    exists; median of many runs, in ms.  Target < 50 ms.  The first call
    (which loads the word list) is reported on its own.
(b) whole process: `publish normalize seeds/000_f1de1b68b16b5b86.txt`, median
    of runs.  Target < 0.5 s.
(c) importing publish.normalize and publish.cli must not import WeasyPrint
    (checked in a fresh interpreter, from sys.modules), with the import time.

Nothing is written anywhere.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / 'seeds' / '000_f1de1b68b16b5b86.txt'
CORPUS = REPO.parent / 'shared' / 'corpus' / 'dev'
VENV_BIN = Path(sys.executable).parent
PUBLISH = [str(VENV_BIN / 'publish')] if (VENV_BIN / 'publish').exists() else [sys.executable, '-m', 'publish']

IN_PROCESS_TARGET_MS = 50.0
PROCESS_TARGET_S = 0.5


def article_of(text: str, size: int = 3000) -> str:
    """``text`` repeated to at least ``size`` characters, cut after the first
    paragraph end past ``size`` (so the break decisions stay realistic)."""
    body = text.strip('\n')
    out = body
    while len(out) < size:
        out += '\n\n' + body
    cut = out.find('\n\n', size)
    return (out[:cut] if cut > 0 else out) + '\n'


def time_calls(fn, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def in_process(runs: int) -> list[tuple[str, int, float, float, float]]:
    sys.path.insert(0, str(REPO))
    start = time.perf_counter()
    from publish.normalize import normalize_text
    # the decisions of a text already seen are remembered: forget them, so
    # that every run weighs every break as a new article would
    from publish.normalize.breaks import decide
    import_ms = (time.perf_counter() - start) * 1000
    seed_text = SEED.read_text(encoding='utf-8')
    sample = article_of(seed_text)
    start = time.perf_counter()
    normalize_text(sample)
    first_ms = (time.perf_counter() - start) * 1000
    rows = [('import publish.normalize', 0, import_ms, import_ms, import_ms),
            ('first call (loads the word list)', len(sample), first_ms, first_ms, first_ms)]
    cases = [('seed, repeated to ~3,000 chars', sample), ('seed as it is', seed_text)]
    if CORPUS.is_dir():
        for path in sorted(CORPUS.glob('*.txt')):
            text = path.read_text(encoding='utf-8', errors='replace')
            if 2500 <= len(text) <= 3500:
                cases.append((f'corpus/dev/{path.name}', text))
    corpus_medians = []
    for name, text in cases:
        times = time_calls(lambda t=text: (decide.cache_clear(), normalize_text(t)), runs)
        med = statistics.median(times)
        if name.startswith('corpus/'):
            corpus_medians.append((med, max(times), len(text), name))
        else:
            rows.append((name, len(text), med, min(times), max(times)))
    if corpus_medians:
        meds = sorted(m for m, _, _, _ in corpus_medians)
        worst = max(corpus_medians)
        rows.append((f'corpus/dev, {len(meds)} articles of 2,500–3,500 chars: median of medians',
                     int(statistics.median(n for _, _, n, _ in corpus_medians)),
                     statistics.median(meds), meds[0], meds[-1]))
        rows.append((f'  slowest: {worst[3]}', worst[2], worst[0], worst[0], worst[1]))
    return rows


def whole_process(runs: int) -> tuple[float, float, float, bool]:
    env = dict(os.environ, LANG='C.UTF-8')
    env.pop('LC_ALL', None)
    cmd = PUBLISH + ['normalize', str(SEED.relative_to(REPO))]
    expected = None
    times = []
    ok = True
    subprocess.run(cmd, cwd=REPO, env=env, capture_output=True)      # warm the file cache
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        ok = ok and result.returncode == 0
        expected = expected or result.stdout
        ok = ok and result.stdout == expected
    return statistics.median(times), min(times), max(times), ok


def imports_weasyprint() -> tuple[dict, float]:
    code = ('import sys, time, json\n'
            'start = time.perf_counter()\n'
            'import publish.normalize, publish.cli\n'
            'ms = (time.perf_counter() - start) * 1000\n'
            'heavy = sorted(m for m in sys.modules if m.split(".")[0] in '
            '("weasyprint", "docx", "ebooklib", "fontTools", "pydyf", "cffi", "lxml"))\n'
            'print(json.dumps({"weasyprint": "weasyprint" in sys.modules, "heavy": heavy, "ms": ms}))\n')
    result = subprocess.run([sys.executable, '-c', code], cwd=REPO, capture_output=True, text=True,
                            env=dict(os.environ, PYTHONPATH=str(REPO)))
    if result.returncode != 0:
        return {'weasyprint': None, 'heavy': [], 'error': result.stderr.strip().splitlines()[-1:]}, 0.0
    data = json.loads(result.stdout)
    return data, data['ms']


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--runs', type=int, default=50, help='in-process runs per article (default 50)')
    parser.add_argument('--process-runs', type=int, default=15, help='whole-process runs (default 15)')
    args = parser.parse_args()

    print(f'publish normalizer benchmark  (python {sys.version.split()[0]}, {os.cpu_count()} CPUs)')
    print()
    print(f'(a) in-process normalize_text, {args.runs} runs each; target < {IN_PROCESS_TARGET_MS:.0f} ms')
    print(f'    {"case":<62} {"chars":>6} {"median":>9} {"min":>8} {"max":>8}')
    rows = in_process(args.runs)
    for name, chars, med, lo, hi in rows:
        print(f'    {name:<62} {chars or "":>6} {med:>7.1f}ms {lo:>6.1f}ms {hi:>6.1f}ms')
    three_k = [r for r in rows if r[0].startswith('seed, repeated')][0][2]
    corpus = [r for r in rows if r[0].startswith('corpus/dev,')]
    verdict_a = three_k < IN_PROCESS_TARGET_MS and all(r[2] < IN_PROCESS_TARGET_MS for r in corpus)
    print(f'    → {"meets" if verdict_a else "MISSES"} the target')
    print()

    med, lo, hi, ok = whole_process(args.process_runs)
    print(f'(b) whole process `publish normalize seeds/{SEED.name}`, {args.process_runs} runs; '
          f'target < {PROCESS_TARGET_S} s')
    print(f'    median {med:.3f} s   min {lo:.3f} s   max {hi:.3f} s   output {"stable" if ok else "FAILED/UNSTABLE"}')
    print(f'    → {"meets" if med < PROCESS_TARGET_S and ok else "MISSES"} the target')
    print()

    data, ms = imports_weasyprint()
    print('(c) `import publish.normalize, publish.cli` in a fresh interpreter')
    if data.get('weasyprint') is None:
        print(f'    import failed: {data.get("error")}')
    else:
        print(f'    {ms:.0f} ms; weasyprint imported: {"YES" if data["weasyprint"] else "no"}; '
              f'other heavy modules: {", ".join(data["heavy"]) or "none"}')
        print(f'    → {"MISSES" if data["weasyprint"] else "meets"} the requirement')
    return 0


if __name__ == '__main__':
    sys.exit(main())
