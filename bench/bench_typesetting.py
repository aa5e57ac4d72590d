#!/usr/bin/env python3
"""How well the print edition sets Chinese text, read back from the PDFs.

    .venv/bin/python bench/bench_typesetting.py [--articles 30] [--json OUT] [--against BEFORE.json]
                                                [--pythonpath TREE] [--keep DIR] [-v]
    .venv/bin/python bench/bench_typesetting.py --time 7

``--time N`` measures instead what the Chinese typesetting costs: the seed's
``publish pdf --force`` (a whole process) N times with it and N times
without it, taking turns, and the medians.  Without it means WeasyPrint's
own justification, no break opportunities added at quotation marks, no
CJK–Latin spaces and no half-width copies of closing marks in the fonts
(nor consecutive punctuation compressed): the steps are switched off
inside the process that runs publish (its build workers are forked from
it), nothing else differs.

Builds the seed and the first N articles of ../shared/corpus/dev (read in
place, copied only into a temporary project) with ``publish pdf``, then
measures every PDF:

* ragged lines: lines of justified text that are not a paragraph's last and
  end more than 0.5 pt short of the column's right edge.  Lines come from
  ``pdftotext -bbox-layout``; on each page, lines of one height set one
  under the other form a run, its left edge the leftmost line start; a line
  whose successor starts at that edge is not a paragraph's last (the next
  paragraph starts indented, after a heading, or further down).  A line
  more than 4 em short is counted apart: a forced break (a run-in head on a
  line of its own) rather than a justification failure.  A run whose
  lines are all centred (bylines, headlines) is not justified text.  The
  right edge is the run's rightmost line end, or the text column's (the
  rightmost end of lines starting at the page's most common left edge) for
  runs that start there.
* kinsoku violations: lines (any) that start with a closing mark or end with
  an opening one.
* lines with added spaces: lines where ``pdftotext`` puts a space between
  two CJK characters that the source does not have.
* consecutive-punctuation gaps: two adjacent marks (closing then closing or
  opening, or opening then opening) whose first (of two opening marks: the
  second) takes more than three quarters of an em (the font size), i.e. the
  pair takes two full widths (character positions, widths and sizes from
  pdfminer.six).

``--pythonpath TREE`` runs the publish of another source tree (say
``git archive main | tar -x -C /tmp/before``) with this environment's
Python, for a before/after table: ``--json before.json`` there, then
``--against before.json`` here.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / 'seeds'
SEED = '000_f1de1b68b16b5b86'
CORPUS = REPO.parent / 'shared' / 'corpus' / 'dev'

CLOSING = set('，。、；：？！）」』”’》〉】〕…,.;:?!)]')
OPENING = set('（「『“‘《〈【〔([')
# marks whose blank half clreq removes when another mark follows or precedes
PUNCT_CLOSING = set('，。、；：？！）」』”’》〉】〕')
PUNCT_OPENING = set('（「『“‘《〈【〔')
TOLERANCE = 0.5          # pt


def is_cjk(ch: str) -> bool:
    c = ord(ch)
    return (0x3000 <= c <= 0x303f or 0x3400 <= c <= 0x9fff or 0xff00 <= c <= 0xffef
            or ch in '“”‘’')


# ---------------------------------------------------------------- building

def build(out: Path, n_articles: int, pythonpath: str | None) -> list[Path]:
    seeds = out / 'seeds'
    seeds.mkdir(parents=True)
    for suffix in ('.txt', '.yaml'):
        if (SEEDS / (SEED + suffix)).exists():
            shutil.copy(SEEDS / (SEED + suffix), seeds)
    if CORPUS.is_dir():
        for src in sorted(CORPUS.glob('*.txt'))[:n_articles]:
            shutil.copy(src, seeds / src.name)
    env = dict(os.environ)
    if pythonpath:
        env['PYTHONPATH'] = pythonpath
    t = time.perf_counter()
    r = subprocess.run([sys.executable, '-m', 'publish', 'pdf', '--force'], cwd=out, env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - t
    if r.returncode:
        sys.exit(f'publish pdf failed:\n{r.stderr[-3000:]}')
    print(f'built {len(list(seeds.glob("*.txt")))} PDFs in {elapsed:.1f} s', file=sys.stderr)
    return sorted((out / 'dist').glob('*/*.pdf'))


# ---------------------------------------------------------------- build time

_WITHOUT = """
import sys
from publish.render import cjk_justify, cjk_latin_space, cjk_punct
cjk_justify.install = lambda: None
cjk_punct.set_html = lambda html: html
cjk_latin_space.set_html = lambda html, css_text: html
try:
    from publish.render import cjk_compress
    cjk_compress.half_width_font = lambda data: data
except ImportError:                       # a tree without punctuation compression
    pass
sys.argv = ['publish'] + sys.argv[1:]
from publish.cli import run
run()
"""


def time_builds(runs: int, pythonpath: str | None) -> None:
    """The seed's PDF built with and without the Chinese typesetting, taking
    turns; prints the medians."""
    import statistics
    env = dict(os.environ)
    if pythonpath:
        env['PYTHONPATH'] = pythonpath
    commands = {'with': [sys.executable, '-m', 'publish', 'pdf', '--force'],
                'without': [sys.executable, '-c', _WITHOUT, 'pdf', '--force']}
    import resource
    times: dict[str, list[float]] = {k: [] for k in commands}
    cpu: dict[str, list[float]] = {k: [] for k in commands}
    with tempfile.TemporaryDirectory(prefix='bench-typesetting-time-') as tmp:
        seeds = Path(tmp) / 'seeds'
        seeds.mkdir()
        for suffix in ('.txt', '.yaml'):
            if (SEEDS / (SEED + suffix)).exists():
                shutil.copy(SEEDS / (SEED + suffix), seeds)
        for i in range(runs + 1):                 # the first round warms the caches, not counted
            for name, cmd in commands.items():
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                t = time.perf_counter()
                subprocess.run(cmd, cwd=tmp, env=env, check=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                if i:
                    times[name].append(time.perf_counter() - t)
                    cpu[name].append(after.ru_utime + after.ru_stime
                                     - before.ru_utime - before.ru_stime)
    # CPU time (user + system of the process and its workers) is what the
    # typesetting adds; wall time also holds what other processes take.
    for label, table in (('wall', times), ('CPU', cpu)):
        med = {k: statistics.median(v) for k, v in table.items()}
        for name, values in table.items():
            print(f'{label:4} {name:8} median {med[name]:.3f} s   '
                  f'runs: {" ".join(f"{v:.3f}" for v in values)}')
        print(f'{label:4} cost of the Chinese typesetting: '
              f'{100 * (med["with"] / med["without"] - 1):+.1f} %')


# ---------------------------------------------------------------- lines

def pdf_lines(pdf: Path) -> list[list[dict]]:
    """Per page, the lines pdftotext finds: x/y extents and text."""
    xml = subprocess.run(['pdftotext', '-bbox-layout', '-enc', 'UTF-8', str(pdf), '-'],
                         check=True, stdout=subprocess.PIPE).stdout.decode('utf-8')
    xml = re.sub(r'<!DOCTYPE[^>]*>', '', xml)
    root = ET.fromstring(xml)
    pages = []
    for page in root.iter('{http://www.w3.org/1999/xhtml}page'):
        lines = []
        for line in page.iter('{http://www.w3.org/1999/xhtml}line'):
            words = [w.text or '' for w in line.iter('{http://www.w3.org/1999/xhtml}word')]
            box = {k: float(line.get(k)) for k in ('xMin', 'yMin', 'xMax', 'yMax')}
            box['words'] = words
            box['text'] = ''.join(words)
            lines.append(box)
        pages.append(_visual_lines(lines))
    return pages


def _visual_lines(lines: list[dict]) -> list[dict]:
    """pdftotext's lines merged where they share a baseline (it cuts a line
    where the font changes, as after a bold run-in head, and where a glyph
    set half-width overlaps the one before), top to bottom."""
    merged: list[dict] = []
    for line in sorted(lines, key=lambda b: (round(b['yMax'], 1), b['xMin'])):
        prev = merged[-1] if merged else None
        if prev and abs(prev['yMax'] - line['yMax']) < 0.5:
            prev['xMax'] = max(prev['xMax'], line['xMax'])
            prev['yMin'] = min(prev['yMin'], line['yMin'])
            prev['words'] = prev['words'] + line['words']
            prev['text'] += line['text']
        else:
            merged.append(dict(line))
    return merged


def _runs(lines: list[dict]) -> list[list[dict]]:
    runs: list[list[dict]] = []
    for line in lines:
        h = line['yMax'] - line['yMin']
        if runs:
            prev = runs[-1][-1]
            ph = prev['yMax'] - prev['yMin']
            gap = line['yMin'] - prev['yMax']
            if abs(h - ph) < 0.3 and -0.5 < gap < 0.5 * h:
                runs[-1].append(line)
                continue
        runs.append([line])
    return runs


def _centred(run: list[dict], left: float, right: float) -> bool:
    return all(abs((ln['xMin'] - left) - (right - ln['xMax'])) < 1.0 for ln in run)


def measure_lines(pages: list[list[dict]], source: str = '') -> dict:
    starts = Counter(round(ln['xMin'], 1) for page in pages for ln in page)
    col_left = starts.most_common(1)[0][0] if starts else 0.0
    col_right = max((ln['xMax'] for page in pages for ln in page
                     if abs(ln['xMin'] - col_left) < 0.5), default=0.0)
    heights = Counter(round(ln['yMax'] - ln['yMin'], 1) for page in pages for ln in page)
    body_height = heights.most_common(1)[0][0] if heights else 0.0
    ragged, broken, kinsoku, spaces, checked = [], [], [], [], 0
    for page_no, lines in enumerate(pages, 1):
        for ln in lines:
            text = ln['text']
            if text and (text[0] in CLOSING or text[-1] in OPENING):
                kinsoku.append((page_no, text))
            if any(a and b and is_cjk(a[-1]) and is_cjk(b[0]) and not (
                    source and re.search(re.escape(a[-2:]) + r'\s+' + re.escape(b[:2]), source))
                   for a, b in zip(ln['words'], ln['words'][1:])):
                spaces.append((page_no, ' '.join(ln['words'])))
        for run in _runs(lines):
            if len(run) < 2:
                continue
            left = min(ln['xMin'] for ln in run)
            right = max(ln['xMax'] for ln in run)
            if abs(left - col_left) < 0.5:
                right = max(right, col_right)
            if _centred(run, left, right):
                continue
            if (abs(run[0]['yMax'] - run[0]['yMin'] - body_height) > 0.2
                    and all(right - ln['xMax'] > TOLERANCE for ln in run)):
                continue               # headings set ragged right (Q&A heads one under the other)
            for ln, nxt in zip(run, run[1:]):
                if abs(nxt['xMin'] - left) > 0.5:
                    continue           # the next line starts a paragraph
                checked += 1
                short = right - ln['xMax']
                em = (ln['yMax'] - ln['yMin']) / 1.44       # Noto CJK's line box is 1.44 em
                if short > 4 * em:
                    broken.append((page_no, round(short, 2), ln['text']))
                elif short > TOLERANCE:
                    ragged.append((page_no, round(short, 2), ln['text']))
    return {'lines_checked': checked, 'ragged': ragged, 'short': broken, 'kinsoku': kinsoku,
            'added_spaces': spaces}


# ---------------------------------------------------------------- punctuation pairs

def punctuation_pairs(pdf: Path) -> tuple[int, list]:
    """(pairs seen, pairs taking two full widths) of adjacent punctuation."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar

    def chars(obj):
        if isinstance(obj, LTChar):
            yield obj
        elif hasattr(obj, '__iter__'):
            for child in obj:
                yield from chars(child)

    seen, wide = 0, []
    for page_no, page in enumerate(extract_pages(str(pdf)), 1):
        cs = list(chars(page))
        for a, b in zip(cs, cs[1:]):
            ta, tb = a.get_text(), b.get_text()
            if abs(a.y0 - b.y0) > 0.5 or b.x0 <= a.x0:
                continue
            if not ((ta in PUNCT_CLOSING and (tb in PUNCT_CLOSING or tb in PUNCT_OPENING))
                    or (ta in PUNCT_OPENING and tb in PUNCT_OPENING)):
                continue
            seen += 1
            em = max(a.size, b.size)       # the font size (a mark set half-width is narrower)
            # the blank half taken out is the first's right one, or, of two
            # opening marks, the second's left one
            gap = b.x1 - b.x0 if ta in PUNCT_OPENING else b.x0 - a.x0
            if gap > 0.75 * em:
                wide.append((page_no, ta + tb, round(gap / em, 2)))
    return seen, wide


# ---------------------------------------------------------------- report

def measure(pdfs: list[Path]) -> dict:
    per_pdf = {}
    for pdf in pdfs:
        source = pdf.parent.parent.parent / 'seeds' / (pdf.stem + '.txt')
        m = measure_lines(pdf_lines(pdf), source.read_text(encoding='utf-8') if source.exists() else '')
        m['pairs'], m['wide_pairs'] = punctuation_pairs(pdf)
        per_pdf[pdf.stem] = m
    total = {k: sum(len(m[k]) if isinstance(m[k], list) else m[k] for m in per_pdf.values())
             for k in ('lines_checked', 'ragged', 'short', 'kinsoku', 'added_spaces', 'pairs', 'wide_pairs')}
    return {'pdfs': len(pdfs), 'total': total, 'per_pdf': per_pdf}


ROWS = [('lines_checked', 'lines that are not a paragraph\'s last'),
        ('ragged', 'ragged lines (0.5 pt to 4 em short)'),
        ('short', 'lines more than 4 em short'),
        ('kinsoku', 'kinsoku violations'),
        ('added_spaces', 'lines with spaces added between CJK'),
        ('pairs', 'adjacent punctuation pairs'),
        ('wide_pairs', 'pairs taking two full widths')]


def report(result: dict, against: dict | None, verbose: bool) -> None:
    if verbose:
        for name, m in result['per_pdf'].items():
            for key in ('ragged', 'short', 'kinsoku', 'added_spaces', 'wide_pairs'):
                for item in m[key]:
                    print(f'{name}: {key}: {item}')
    print(f'\n{result["pdfs"]} PDFs')
    if against:
        print(f'| {"":40} | before | after |\n|{"-" * 42}|--------|-------|')
        for key, label in ROWS:
            print(f'| {label:40} | {against["total"][key]:6} | {result["total"][key]:5} |')
    else:
        for key, label in ROWS:
            print(f'{label:42} {result["total"][key]:6}')


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--articles', type=int, default=30, help='dev articles besides the seed')
    ap.add_argument('--pythonpath', help='source tree whose publish is run')
    ap.add_argument('--json', type=Path, help='write the measurements here')
    ap.add_argument('--against', type=Path, help='measurements of a before run, for a table')
    ap.add_argument('--keep', type=Path, help='build in this (new) folder and keep it')
    ap.add_argument('-v', '--verbose', action='store_true', help='list every offending line')
    ap.add_argument('--time', type=int, metavar='N',
                    help='time the seed\'s PDF N times with and without the Chinese typesetting')
    args = ap.parse_args()
    if args.time:
        time_builds(args.time, args.pythonpath)
        return
    with tempfile.TemporaryDirectory(prefix='bench-typesetting-') as tmp:
        out = args.keep or Path(tmp)
        result = measure(build(out, args.articles, args.pythonpath))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding='utf-8')
    report(result, json.loads(args.against.read_text(encoding='utf-8')) if args.against else None,
           args.verbose)


if __name__ == '__main__':
    main()
