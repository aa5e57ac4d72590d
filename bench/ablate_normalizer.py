#!/usr/bin/env python3
"""What each part of the break model buys: the normalizer scored on corpus
folders with one part switched off at a time; prints a Markdown table.

    .venv/bin/python bench/ablate_normalizer.py [dev dev-real ...]

The folders are read from ../shared/corpus (default: dev and dev-real) and
scored by ../shared/tools/score_normalizer.py, run in this process
(`publish normalize FILE --format text` and `--format json`, without a new
interpreter per file).  Columns: repair_mid, repair_at_stop and kept as the
scorer defines them, and the share of all errors found among the 5 % least
confident decisions (review).  Nothing is written anywhere.
"""
from __future__ import annotations

import contextlib
import copy
import importlib.util
import io
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / 'shared'
sys.path.insert(0, str(REPO))

from publish.cli import main as cli  # noqa: E402
from publish.normalize import breaks, textstats  # noqa: E402

WORD_CUES = ('a word runs across the break', 'the text reads far better across the break than split')


def zero(*names):
    def change(model):
        for part in ('inside a sentence', 'after a sentence'):
            for name in names:
                model[part]['weights'].pop(name, None)
    return change


def no_sentence_end_model(model):
    # a break after a sentence end is always kept, as the rule before the model did
    model['after a sentence'] = {'bias': -50.0, 'weights': {}}


def only_prior(model):
    for part in ('inside a sentence', 'after a sentence'):
        model[part]['weights'] = {}


VARIANTS = [
    ('the whole model', None, True),
    ('without the character statistics (reads on, ends like, starts like)',
     zero(*textstats.FEATURES), True),
    ('without the character triples (the two characters above read on)',
     zero(textstats.READS_ON_LEFT), True),
    ('without the word-segmentation cues', zero(*WORD_CUES), True),
    ('without the lengths', zero(breaks.LEFT_LENGTH, breaks.RIGHT_LENGTH), True),
    ('without the repetition of the text above', zero(breaks.REPEATED), True),
    ('without the subhead cue (other blocks of the article read like subheads)',
     zero(breaks.OTHER_HEADINGS), True),
    ('without the page grid', None, False),
    ('without the model after a sentence end (always kept)', no_sentence_end_model, True),
    ('rules and the prior only', only_prior, False),
]


def load_scorer():
    spec = importlib.util.spec_from_file_location('score_normalizer', SHARED / 'tools' / 'score_normalizer.py')
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)

    def run(cmd: str, path: str) -> str | None:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = cli(['normalize', path, '--format', 'json' if 'json' in cmd else 'text'])
        return out.getvalue() if status == 0 else None
    scorer.normalize = run
    return scorer


def main() -> None:
    sets = sys.argv[1:] or ['dev', 'dev-real']
    scorer = load_scorer()
    original = copy.deepcopy(textstats.model())
    page = dict(breaks.PAGE_WEIGHTS)
    print('| variant | ' + ' | '.join(f'{s} repair_mid | {s} at_stop | {s} kept | {s} review'
                                      for s in sets) + ' |')
    print('|---|' + '---|' * (4 * len(sets)))
    for name, change, with_page in VARIANTS:
        model = copy.deepcopy(original)
        if change:
            change(model)
        textstats.model.cache_clear()
        textstats.model = _fixed(model)
        breaks.decide.cache_clear()           # decisions weighed with the last variant's model
        breaks.text_evidence.cache_clear()
        for key in breaks.PAGE_WEIGHTS:
            breaks.PAGE_WEIGHTS[key] = page[key] if with_page else 0.0
        cells = []
        for folder in sets:
            path = str(SHARED / 'corpus' / folder)
            with contextlib.redirect_stdout(io.StringIO()):
                result = scorer.corpus(path, 'text', None, 0)
            names = sorted(f.name[:-4] for f in Path(path).glob('*.txt'))
            result.update(scorer.review(path, names, 'json', 0.05))
            cells += [f"{result['repair_mid']:.4f}", f"{result['repair_at_stop']:.4f}",
                      f"{result['kept']:.4f}", f"{result['capture']:.3f}"]
        print(f'| {name} | ' + ' | '.join(cells) + ' |', flush=True)


def _fixed(model):
    def fixed():
        return model
    fixed.cache_clear = lambda: None
    return fixed


if __name__ == '__main__':
    main()
