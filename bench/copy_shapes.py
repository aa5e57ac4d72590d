#!/usr/bin/env python3
"""The normalizer on the same articles copied in other shapes: prints a
Markdown table of the scorer's figures for each shape.

    .venv/bin/python bench/copy_shapes.py

Each shape is made from the articles of ../shared/corpus (dev, dev-real,
dev-wrapped) in a temporary folder, with the articles' truth beside them,
and scored by ../shared/tools/score_normalizer.py run in this process (see
bench/ablate_normalizer.py).  A shape only changes how the text was copied,
not its paragraphs, so a robust reading scores on it as on the articles as
given.  Nothing is kept once the table is printed.
"""
from __future__ import annotations

import contextlib
import io
import json
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ablate_normalizer import SHARED, load_scorer  # noqa: E402


def no_blank_lines(text: str, _ends) -> str:
    """A paragraph a line, as a web page or a document copies it."""
    return re.sub(r'\n\s*\n+', '\n', text)


def headline_lines_together(text: str, _ends) -> str:
    """The short lines above the text (kicker, headline, subtitle) with no
    blank line between them."""
    blocks = text.split('\n\n')
    heads = 0
    while heads < len(blocks) and not re.search('[。！？!?]', blocks[heads]) and len(blocks[heads]) < 40:
        heads += 1
    return '\n'.join(blocks[:heads]) + ('\n\n' if heads else '') + '\n\n'.join(blocks[heads:])


def margin(text: str, _ends) -> str:
    """Two spaces before every line, as a viewer that keeps the layout copies."""
    return re.sub(r'(?m)^(?=.)', '  ', text)


def blank_after_paragraphs(text: str, ends) -> str:
    """A blank line after each paragraph of printed lines."""
    lines, out, count = text.split('\n'), [], 0
    for i, line in enumerate(lines):
        out.append(line)
        count += sum(1 for ch in line if not ch.isspace())
        if count in ends and i + 1 < len(lines) and lines[i + 1].strip():
            out.append('')
    return '\n'.join(out)


def windows(text: str, _ends) -> str:
    """CRLF line ends and trailing spaces."""
    return re.sub(r'(?m)$', '  ', text).replace('\n', '\r\n')


SHAPES = [
    ('as given', None, ['dev', 'dev-real', 'dev-wrapped']),
    ('no blank line between paragraphs', no_blank_lines, ['dev', 'dev-real']),
    ('headline lines in one block', headline_lines_together, ['dev', 'dev-real']),
    ('CRLF line ends and trailing spaces', windows, ['dev', 'dev-real', 'dev-wrapped']),
    ('a margin on every printed line', margin, ['dev-wrapped']),
    ('a blank line after each paragraph of printed lines', blank_after_paragraphs, ['dev-wrapped']),
]
FIGURES = ['repair', 'repair_mid', 'kept', 'spurious', 'fidelity', 'punct_wrong']


def main() -> None:
    scorer = load_scorer()
    print('| shape | corpus | ' + ' | '.join(FIGURES) + ' |')
    print('|---|---|' + '---|' * len(FIGURES))
    for name, shape, folders in SHAPES:
        for folder in folders:
            source = SHARED / 'corpus' / folder
            with tempfile.TemporaryDirectory() as tmp:
                for path in sorted(source.glob('*.txt')):
                    truth = (source / f'{path.stem}.truth.json').read_text(encoding='utf-8')
                    text = path.read_text(encoding='utf-8')
                    if shape:
                        text = shape(text, scorer.boundaries(json.loads(truth)['truth']))
                    Path(tmp, path.name).write_bytes(text.encode('utf-8'))
                    Path(tmp, f'{path.stem}.truth.json').write_text(truth, encoding='utf-8')
                with contextlib.redirect_stdout(io.StringIO()):
                    result = scorer.corpus(tmp, 'text', None, 0)
            print(f'| {name} | {folder} | ' + ' | '.join(str(result[f]) for f in FIGURES) + ' |', flush=True)


if __name__ == '__main__':
    main()
