#!/usr/bin/env python3
"""Benchmark `publish` against pandoc, whole processes, medians of N runs, one session.

    .venv/bin/python bench/bench_build.py [--runs 5] [--batch 30] [--skip-batch] [--skip-5mb] [--skip-pandoc]

(a) the seed: `publish all` (fresh dist/; and also with an empty file-hash
    cache) vs pandoc making the same three formats from the same text (docx,
    epub, and pdf via --pdf-engine=weasyprint);
(b) a batch of articles (the first N of ../shared/corpus/dev when it exists,
    read in place and copied only into a temporary folder; else made from the
    tests' fixture text): `publish all -j 2` vs pandoc on the same articles one
    after another, `-j 2` vs `-j 1`, a no-op rebuild;
(c) one 5 MB article through `publish all`.

Commands that are compared take turns, run by run (publish, pandoc,
publish, …), so that a machine that slows down during the session weighs on
both alike.  The free cores are measured before and after the -j runs (two CPU-bound
processes against one): on a shared machine -j 2 cannot beat what is free.

Peak memory: the largest single process (ru_maxrss of the waited-for
descendants, measured in a fresh helper process per run) and the peak of the
summed PSS of the whole process tree (sampled every 50 ms from /proc, in one
extra run of each command: sampling slows the timed runs), which is what
matters for -j 2.  PSS, not RSS: a child caught between fork and exec (a
`git log` for an edition's date) would otherwise count its parent's pages twice.  Everything runs in a temporary folder; the repository
is not written to.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PUBLISH = [str(VENV_BIN / 'publish')] if (VENV_BIN / 'publish').exists() else [sys.executable, '-m', 'publish']
SEED = REPO / 'seeds' / '000_f1de1b68b16b5b86.txt'
CORPUS = REPO.parent / 'shared' / 'corpus' / 'dev'
FIXTURE = ('庆祝建党97周年大会召开\n\n记者 景静\n\n'
           '6月29日下午，二七区召开庆祝中国共产党成立97周年大会。会议对先进基层党组织、优秀共产党员颁奖。\n\n'
           '二七区牢固树立抓好党建是最大政绩的理念，坚持“书记抓、立台账、建机制、严考评”，先后召开会议25次。\n\n'
           '问：党建成绩怎么样？\n\n答：做了“三个一”\n\n'
           '一是形成了一个责任明、推进快的“工作体系”，逐级压实党建责任。\n')

# ---------------------------------------------------------------- measuring

_HELPER = r'''
import resource, subprocess, sys, json, time
cmds = json.loads(sys.argv[1]); cwd = sys.argv[2]
t = time.perf_counter()
for c in cmds:
    r = subprocess.run(c, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if r.returncode:
        sys.stderr.write(r.stderr.decode(errors="replace")[-2000:]); sys.exit(r.returncode)
print(json.dumps([time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))
'''


def _pss(pid: int) -> int | None:
    """Proportional set size (bytes): pages shared with other processes (a
    forked worker's, or those of a child between fork and exec) count by
    their share, so the sum over a tree is the memory it really holds."""
    try:
        with open(f'/proc/{pid}/smaps_rollup') as f:
            for line in f:
                if line.startswith('Pss:'):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _tree_rss(root_pid: int) -> int:
    """Summed PSS (bytes; RSS where PSS cannot be read) of root_pid and all its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf('SC_PAGE_SIZE')
    for d in os.listdir('/proc'):
        if not d.isdigit():
            continue
        try:
            with open(f'/proc/{d}/stat') as f:
                stat = f.read()
        except OSError:
            continue
        rest = stat[stat.rfind(')') + 2:].split()
        pid, ppid = int(d), int(rest[1])
        children.setdefault(ppid, []).append(pid)
        rss[pid] = int(rest[21]) * page
    total, todo = 0, [root_pid]
    while todo:
        p = todo.pop()
        if p in rss:
            pss = _pss(p)
            total += rss[p] if pss is None else pss
        todo += children.get(p, [])
    return total


def measure(cmds: list[list[str]], cwd: Path, env=None,
            sample: bool = False) -> tuple[float, float, float]:
    """Run *cmds* one after another in a fresh helper: (seconds, max single-process MB,
    peak tree MB, or 0 unless *sample*).  Sampling reads every process's page
    tables 20 times a second, which slows a run that keeps both cores busy by
    several per cent: timed runs are not sampled."""
    proc = subprocess.Popen([sys.executable, '-c', _HELPER, json.dumps(cmds), str(cwd)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    peak = 0
    stop = threading.Event()

    def sampler():
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            time.sleep(0.05)
    th = threading.Thread(target=sampler, daemon=True)
    if sample:
        th.start()
    out, err = proc.communicate()
    stop.set()
    if sample:
        th.join()
    if proc.returncode:
        raise SystemExit(f'failed: {cmds[0]} …\n{err.decode(errors="replace")}')
    seconds, maxrss_kb = json.loads(out)
    return seconds, maxrss_kb / 1024, peak / 2**20


def repeat(n: int, cmds, cwd, before=None, env=None) -> dict:
    return side_by_side(n, [(cmds, cwd, before)], env)[0]


def side_by_side(n: int, runs: list[tuple], env=None) -> list[dict]:
    """Each of *runs* ``(cmds, cwd, before)`` *n* times, taking turns, so
    that a machine that speeds up or slows down during the session weighs
    on all of them alike; their figures, in the same order."""
    samples: list[list[tuple[float, float, float]]] = [[] for _ in runs]
    for _ in range(n):
        for (cmds, cwd, before), out in zip(runs, samples):
            if before:
                before()
            out.append(measure(cmds, cwd, env))
    trees = []
    for cmds, cwd, before in runs:          # one more run each, for the tree's memory
        if before:
            before()
        trees.append(measure(cmds, cwd, env, sample=True)[2])
    figures = []
    for out, tree in zip(samples, trees):
        times = [s for s, _, _ in out]
        figures.append({'median': statistics.median(times), 'min': min(times), 'max': max(times),
                        'runs': n, 'rss': max(m for _, m, _ in out), 'tree': tree})
    return figures


_BURN = 'x = 0\nfor i in range(20_000_000):\n    x += i\n'


def parallelism(env) -> float:
    """How many cores are really free now: 2 × (one CPU-bound process alone) /
    (two at once).  Other users of the machine show up here, and they limit
    what -j 2 can gain."""
    def run(k: int) -> float:
        t = time.perf_counter()
        procs = [subprocess.Popen([sys.executable, '-c', _BURN], env=env) for _ in range(k)]
        for p in procs:
            p.wait()
        return time.perf_counter() - t
    one = statistics.median(run(1) for _ in range(3))
    two = statistics.median(run(2) for _ in range(3))
    return 2 * one / two


# ---------------------------------------------------------------- set-up

def make_project(base: Path, texts: dict[str, bytes]) -> Path:
    root = base
    (root / 'seeds').mkdir(parents=True)
    for name, data in texts.items():
        (root / 'seeds' / f'{name}.txt').write_bytes(data)
    return root


def pandoc_cmds(src: Path, out: Path) -> list[list[str]]:
    title = ['--metadata', f'title={src.stem}']
    base = ['pandoc', '-f', 'markdown', str(src)] + title
    return [base + ['-o', str(out / f'{src.stem}.docx')],
            base + ['-o', str(out / f'{src.stem}.epub')],
            base + ['--pdf-engine=weasyprint', '-o', str(out / f'{src.stem}.pdf')]]


def rm_dist(root: Path, *more: Path):
    def remove():
        for d in (root / 'dist', *more):
            shutil.rmtree(d, ignore_errors=True)
    return remove


def batch_texts(n: int) -> tuple[dict[str, bytes], str]:
    if CORPUS.is_dir():
        files = sorted(CORPUS.glob('*.txt'))[:n]
        if len(files) == n:
            return {p.stem: p.read_bytes() for p in files}, f'first {n} of {CORPUS}'
    texts = {}
    for i in range(n):
        body = FIXTURE.replace('25次', f'{i + 3}次') * (1 + i % 4)
        texts[f'fixture_{i:02d}'] = body.encode('utf-8')
    return texts, f'{n} articles made from the test fixture text'


def row(label, r, extra=''):
    return (f'{label:<46} {r["median"]:8.2f} s  (min {r["min"]:.2f}, max {r["max"]:.2f}, n={r["runs"]})'
            f'  rss {r["rss"]:6.0f} MB  tree {r["tree"]:6.0f} MB {extra}')


def batch_figures(args, n: int, env: dict, tmp: Path, results: dict, lines: list) -> None:
    """(b): publish -j 2, -j 1 and pandoc on a batch of articles, and a no-op rebuild."""
    texts, origin = batch_texts(args.batch)
    lines.append(f'(b) batch: {origin}')
    batch = make_project(tmp / 'batch', texts)
    free = parallelism(env)
    results['free_cores_before'] = {'value': free}
    lines.append(f'    free cores now (two CPU-bound processes vs one): {free:.2f} of {os.cpu_count()}')
    runs = [([PUBLISH + ['all', '-j', '2']], batch, rm_dist(batch)),
            ([PUBLISH + ['all', '-j', '1']], batch, rm_dist(batch))]
    if not args.skip_pandoc:
        out = tmp / 'pandoc-batch'
        out.mkdir()
        cmds = [c for p in sorted((batch / 'seeds').glob('*.txt')) for c in pandoc_cmds(p, out)]
        runs.append((cmds, batch, None))
    figures = side_by_side(n, runs, env)
    results['batch_j2'], results['batch_j1'] = figures[:2]
    lines.append(row(f'(b) {len(texts)} articles: publish all -j 2', results['batch_j2']))
    lines.append(row(f'(b) {len(texts)} articles: publish all -j 1', results['batch_j1']))
    speedup = results['batch_j1']['median'] / results['batch_j2']['median']
    results['batch_speedup'] = {'value': speedup}
    free = parallelism(env)
    results['free_cores_after'] = {'value': free}
    lines.append(f'    -j 1 / -j 2 = {speedup:.2f}  (goal ≥ 1.6; {os.cpu_count()} cores, '
                 f'{free:.2f} free after the runs)')
    if not args.skip_pandoc:
        results['batch_pandoc'] = figures[2]
        lines.append(row(f'(b) {len(texts)} articles: pandoc, one after another', results['batch_pandoc']))
        ratio = results['batch_j2']['median'] / results['batch_pandoc']['median']
        results['batch_ratio'] = {'value': ratio}
        lines.append(f'    publish -j 2 / pandoc = {ratio:.2f}  (goal ≤ 0.3)')
    subprocess.run(PUBLISH + ['all'], cwd=batch, check=True, capture_output=True, env=env)
    results['batch_noop'] = repeat(n, [PUBLISH + ['all']], batch, env=env)
    lines.append(row(f'(b) {len(texts)} articles: no-op rebuild', results['batch_noop'], '(goal < 1 s)'))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--runs', type=int, default=5)
    ap.add_argument('--batch', type=int, default=30)
    ap.add_argument('--skip-batch', action='store_true')
    ap.add_argument('--skip-5mb', action='store_true')
    ap.add_argument('--skip-pandoc', action='store_true')
    ap.add_argument('--json', type=Path, help='also write the figures here')
    ap.add_argument('--ref', help='measure this git commit (e.g. HEAD), extracted to a temporary '
                                  'folder, instead of the working tree (which others may be editing)')
    args = ap.parse_args()
    n = args.runs
    env = {k: v for k, v in os.environ.items() if k not in ('SOURCE_DATE_EPOCH',)}
    env['LANG'] = 'C.UTF-8'
    # pandoc finds weasyprint (the venv's) on PATH
    env['PATH'] = f'{VENV_BIN}{os.pathsep}{env.get("PATH", "")}'
    results: dict[str, dict] = {}
    lines = []
    with tempfile.TemporaryDirectory(prefix='publish-bench-') as tmp:
        tmp = Path(tmp)
        measured = 'working tree'
        if args.ref:
            snap = tmp / 'snapshot'
            snap.mkdir()
            rev = subprocess.run(['git', 'rev-parse', '--short', args.ref], cwd=REPO, check=True,
                                 capture_output=True, text=True).stdout.strip()
            archive = subprocess.run(['git', 'archive', args.ref], cwd=REPO, check=True, capture_output=True)
            subprocess.run(['tar', '-x', '-C', str(snap)], input=archive.stdout, check=True)
            # byte-compiled as the set-up does for the working tree (PYTHONDONTWRITEBYTECODE
            # would otherwise make every process compile the package again)
            subprocess.run([sys.executable, '-m', 'compileall', '-q', str(snap / 'publish')], check=True)
            env['PYTHONPATH'] = str(snap)     # found before the editable install
            # the venv's console script names today's entry point, which an
            # older commit may not have: run the snapshot's own __main__
            PUBLISH[:] = [sys.executable, '-m', 'publish']
            measured = f'commit {rev}, run as python -m publish'
        lines.append(f'measuring: {measured}')
        # publish keeps file hashes in the user's cache folder: here, one of
        # this session's, emptied where a figure says so
        cache = tmp / 'cache'
        env['XDG_CACHE_HOME'] = str(cache)
        # ------------------------------------------------------------ (a) the seed
        seed = make_project(tmp / 'seed', {SEED.stem: SEED.read_bytes()})
        subprocess.run(PUBLISH + ['all'], cwd=seed, check=True, capture_output=True, env=env)  # warm caches
        publish_seed = ([PUBLISH + ['all']], seed, rm_dist(seed))
        publish_cold = ([PUBLISH + ['all']], seed, rm_dist(seed, cache))
        if args.skip_pandoc:
            results['seed_publish'], results['seed_publish_cold'] = side_by_side(
                n, [publish_seed, publish_cold], env)
        else:
            out = tmp / 'pandoc-seed'
            out.mkdir()
            pandoc_seed = (pandoc_cmds(seed / 'seeds' / f'{SEED.stem}.txt', out), seed, None)
            measure(*pandoc_seed[:2], env)                                   # warm caches
            results['seed_publish'], results['seed_pandoc'], results['seed_publish_cold'] = side_by_side(
                n, [publish_seed, pandoc_seed, publish_cold], env)
        lines.append(row('(a) seed: publish all (fresh dist/)', results['seed_publish']))
        lines.append(row('(a) seed: … and an empty cache folder', results['seed_publish_cold']))
        if not args.skip_pandoc:
            ratio = results['seed_publish']['median'] / results['seed_pandoc']['median']
            results['seed_ratio'] = {'value': ratio}
            lines.append(row('(a) seed: pandoc docx+epub+pdf(weasyprint)', results['seed_pandoc']))
            cold = results['seed_publish_cold']['median'] / results['seed_pandoc']['median']
            results['seed_ratio_cold'] = {'value': cold}
            lines.append(f'    publish / pandoc = {ratio:.2f}  (goal ≤ 0.8; the commands taking turns); '
                         f'with an empty cache folder (a first run) {cold:.2f}')
        results['seed_noop'] = repeat(n, [PUBLISH + ['all']], seed, env=env)
        lines.append(row('(a) seed: no-op publish all', results['seed_noop']))

        # ------------------------------------------------------------ (b) a batch
        if not args.skip_batch:
            batch_figures(args, n, env, tmp, results, lines)

        # ------------------------------------------------------------ (c) 5 MB
        if not args.skip_5mb:
            para = FIXTURE.split('\n\n')[3]
            parts, size, i = ['五兆字节的文章'], 0, 0
            while size < 5_000_000:
                p = f'第{i}段。{para}'
                parts.append(p)
                size += len(p.encode()) + 2
                i += 1
            big = make_project(tmp / 'big', {'big': ('\n\n'.join(parts) + '\n').encode()})
            runs = max(1, min(n, 1))
            results['big'] = repeat(runs, [PUBLISH + ['all']], big, rm_dist(big), env)
            sizes = {p.suffix: p.stat().st_size for p in (big / 'dist' / 'big').iterdir()}
            lines.append(row(f'(c) 5 MB article ({size / 1e6:.1f} MB): publish all', results['big'],
                             ' '.join(f'{k}={v / 1e6:.1f}MB' for k, v in sorted(sizes.items()))))

    print(f'publish bench — {time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())} UTC, '
          f'{os.cpu_count()} cores, python {sys.version.split()[0]}')
    print('\n'.join(lines))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, sort_keys=True) + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
