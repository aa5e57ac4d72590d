#!/usr/bin/env python3
"""Build the normalizer's text statistics and its fitted break model from
real news text (People's Daily, ``../shared/corpus/train``: JSON lines with
"headlines" and "paragraphs").

usage: make_text_model.py [TRAIN_DIR] [--rate N] [--seed N]
       (needs numpy: pip install -e '.[model]')

Writes, reproducibly (same input, same bytes):

- ``publish/data/textstats.txt.gz``: "key count ends starts" for every
  character and character pair of the text (pairs seen at least twice)
  and character triple seen at least ten times:
  how often it occurs, ends a paragraph or headline line, starts one.
  Counts only, no text.
- ``publish/data/break_model.json``: the weights of two logistic models
  fitted on the text cut into columns: a paragraph is cut at random places
  (on average every RATE characters, as column ends fall on a page), and
  every cut and every true boundary between blocks that no rule of the
  normalizer decides becomes a case, its features the cues of
  ``publish.normalize.breaks`` and the statistics of
  ``publish.normalize.textstats``, read for each file's cases from the
  table of the other files (so no case is counted in the statistics that
  judge it).  One model weighs breaks inside a sentence, one breaks right
  after a sentence end.  How often each deciding rule was right on the same
  cases is kept with them: it is the confidence of the rule's decisions.

Prints the fitted weights and, for each model, its accuracy on a fifth of
the articles held out from fitting.
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import zlib
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

DATA = REPO / 'publish' / 'data'
L2 = 1.0


def articles(path: Path):
    with gzip.open(path, 'rt', encoding='utf-8') as f:
        for line in f:
            data = json.loads(line)
            blocks = [b.strip() for b in data.get('headlines', []) + data.get('paragraphs', [])]
            yield data['id'], [b for b in blocks if b]


def count(train: Path, files) -> tuple[bytes, int]:
    """The table of :mod:`publish.normalize.textstats` for ``files``, and the
    number of characters counted."""
    count, ends, starts = Counter(), Counter(), Counter()
    for name in files:
        for _, blocks in articles(train / name):
            for text in blocks:
                text = ''.join(text.split())
                count.update(text)
                count.update(text[i:i + 2] for i in range(len(text) - 1))
                count.update(text[i:i + 3] for i in range(len(text) - 2))
                ends[text[-1]] += 1
                ends[text[-2:]] += 1
                starts[text[0]] += 1
                starts[text[:2]] += 1
    from publish.normalize.textstats import TRIGRAM_MIN   # a triple is kept when seen this often
    keys = sorted(k for k in count if len(k) == 1 or (len(k) == 2 and (count[k] >= 2 or ends[k] or starts[k]))
                  or count[k] >= TRIGRAM_MIN)
    data = '\n'.join(f'{k} {count[k]} {ends[k]} {starts[k]}' for k in keys).encode('utf-8')
    return data, sum(v for k, v in count.items() if len(k) == 1)


def use_stats(data: bytes, total: int) -> None:
    """Make :mod:`publish.normalize.textstats` read ``data``."""
    from publish.normalize import table, textstats
    lines = table.SortedLines(data)
    textstats._table = lambda: lines
    textstats.model = lambda: {'characters': total, 'rules': {}}
    textstats.counts.cache_clear()


def cases(train: Path, name: str, rate: int, seed: int, rules: dict[str, list[int]]):
    """(article id, after a sentence end, cue names, features, joined) for
    every break that no rule decides; ``rules`` counts how often each rule
    that decides the others is right."""
    from publish.normalize import breaks
    from publish.normalize.chars import ends_sentence
    rng = random.Random(seed)
    for ident, blocks in articles(train / name):
        article = breaks.canonical(''.join(blocks))
        pieces: list[tuple[int, str]] = []            # (block index, text)
        for index, text in enumerate(blocks):
            cuts, at = [], 0
            while True:
                at += max(1, int(rng.expovariate(1 / rate)))
                if at >= len(text):
                    break
                cuts.append(at)
            bounds = [0, *cuts, len(text)]
            pieces += [(index, text[a:b]) for a, b in zip(bounds, bounds[1:])]
        running = False
        left, left_block, left_start = '', -1, 0
        headings = breaks.subheads([text for _, text in pieces])
        for at, (index, piece) in enumerate(pieces):
            if left:
                joined = index == left_block
                ruled = breaks.rule(left, piece, left, piece)
                if ruled is None:
                    names = breaks._cues(left, piece, not running,
                                         breaks.repeated_above(left, piece, article),
                                         breaks.others(headings, left_start, at))
                    yield (ident, ends_sentence(left), names, breaks.measures(left, piece), joined)
                else:
                    rules[ruled[2]][0] += ruled[0] == joined
                    rules[ruled[2]][1] += 1
            if index == left_block:
                left += piece
            else:
                running = running or (left_block >= 0 and bool(breaks.SENTENCE_INSIDE.search(left)))
                left, left_block, left_start = piece, index, at


def matrix(rows: list, names: list[str]):
    """One line a case: 1 (the bias), then each cue (1 if it holds) or measure."""
    import numpy as np
    return np.array([[1.0] + [row[3][n] if n in row[3] else float(n in row[2]) for n in names]
                     for row in rows])


def fit(rows: list, names: list[str]):
    import numpy as np
    x = matrix(rows, names)
    y = np.array([float(row[4]) for row in rows])
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], L2)
    penalty[0] = 0.0
    for _ in range(50):                               # Newton's method
        p = 1 / (1 + np.exp(-(x @ w)))
        grad = x.T @ (p - y) + penalty * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return w


def fit_on_top(rows: list, names: list[str], w, cue: str) -> float:
    """The weight of ``cue`` added to the model ``w`` fitted without it,
    the model's score held fixed: a cue that holds at few breaks and that
    the other weights are not to shift."""
    import numpy as np
    score = matrix(rows, names) @ w
    z = np.array([float(cue in row[2]) for row in rows])
    y = np.array([float(row[4]) for row in rows])
    v = 0.0
    for _ in range(50):                               # Newton's method
        p = 1 / (1 + np.exp(-(score + z * v)))
        step = (z @ (p - y) + L2 * v) / (z @ (z * p * (1 - p)) + L2)
        v -= float(step)
        if abs(step) < 1e-6:
            break
    return v


def accuracy(w, rows, names, on_top: dict[str, float] | None = None) -> tuple[float, int]:
    import numpy as np
    x = matrix(rows, names)
    y = np.array([row[4] for row in rows])
    score = x @ w + sum(v * np.array([float(cue in row[2]) for row in rows]) for cue, v in (on_top or {}).items())
    return float(((score > 0) == y).mean()), len(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('train', nargs='?', default=str(REPO.parent / 'shared' / 'corpus' / 'train'))
    ap.add_argument('--rate', type=int, default=450, help='mean characters between column ends')
    ap.add_argument('--seed', type=int, default=0)
    a = ap.parse_args()
    train = Path(a.train)
    files = sorted(p.name for p in train.glob('*.jsonl.gz'))
    # every file's cases are read with the statistics of the other files
    rows = []
    rules: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for name in files:
        use_stats(*count(train, [f for f in files if f != name]))
        rows += cases(train, name, a.rate, a.seed, rules)
    data, total = count(train, files)
    out = DATA / 'textstats.txt.gz'
    with open(out, 'wb') as raw, gzip.GzipFile(fileobj=raw, mode='wb', mtime=0, filename='') as gz:
        gz.write(data)
    keys = data.count(b'\n') + 1
    print(f'{keys} keys, {total} characters → {out} ({out.stat().st_size} bytes)')
    model = {'characters': total, 'rules': {k: v for k, v in sorted(rules.items())}}
    for kind, (right, n) in sorted(rules.items()):
        print(f'rule "{kind}": right {right} of {n}')
    # the repetition of the text above elsewhere in the article is weighed
    # on top of the model fitted without it
    from publish.normalize.breaks import REPEATED
    cue_names = sorted({n for row in rows for n in row[2]} - {REPEATED})
    names = cue_names + sorted(rows[0][3])
    for part, after in (('inside a sentence', False), ('after a sentence', True)):
        part_rows = [r for r in rows if r[1] == after]
        held = {r[0] for r in part_rows if zlib.crc32(r[0].encode()) % 5 == 0}
        fitting = [r for r in part_rows if r[0] not in held]
        fitted = fit(fitting, names)
        on_top = {REPEATED: fit_on_top(fitting, names, fitted, REPEATED)}
        acc, n = accuracy(fitted, [r for r in part_rows if r[0] in held], names)
        acc_on_top, _ = accuracy(fitted, [r for r in part_rows if r[0] in held], names, on_top)
        w = fit(part_rows, names)
        weights = dict(zip(names, w[1:]), **{REPEATED: fit_on_top(part_rows, names, w, REPEATED)})
        joins = sum(r[4] for r in part_rows)
        print(f'{part}: {len(part_rows)} cases ({joins} column breaks); held-out accuracy {acc:.4f} on {n}, '
              f'{acc_on_top:.4f} with the repetition')
        model[part] = {'bias': round(float(w[0]), 3),
                       'weights': {n: round(float(v), 3) for n, v in weights.items() if abs(v) >= 0.005}}
        for n, v in sorted(model[part]['weights'].items(), key=lambda t: -abs(t[1])):
            print(f'    {v:+7.3f}  {n}')
    model_path = DATA / 'break_model.json'
    model_path.write_text(json.dumps(model, ensure_ascii=False, indent=1, sort_keys=True) + '\n',
                          encoding='utf-8')
    print(f'→ {model_path}')


if __name__ == '__main__':
    main()
