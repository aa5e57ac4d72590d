"""The normalizer's decision at every blank line of a source, as the pages show them.

This module is the one place that knows where the decisions come from: the
``decisions`` of ``publish normalize --format json``
(:func:`publish.normalize.breaks.decisions_json`).  Everything else in the
server reads the :class:`BreakDecision` records it returns.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .. import source as source_
from ..model import Article
from ..normalize.breaks import decisions_json

#: a decision less sure than this is listed first for a person to check
UNCERTAIN_BELOW = 0.9
_WEIGHT = re.compile(r'^(?P<cue>.*?) \((?P<weight>[+-]\d+(?:\.\d+)?)\)$')


@dataclass(frozen=True)
class Cue:
    text: str               # the cue in English, as the normalizer names it
    weight: str = ''        # its weight in the model ('+2.2'), when it has one


@dataclass(frozen=True)
class BreakDecision:
    line: int                       # the source line of the blank line
    lines: tuple[int, ...]          # every line number the sidecar may use for it
    join: bool                      # joined (a column break) or kept (a paragraph break)
    confidence: float               # 0.5 … 1.0
    cues: tuple[Cue, ...]
    forced: bool                    # set by the sidecar
    left: str                       # the text just above the break
    right: str                      # the text just below it

    @property
    def uncertain(self) -> bool:
        return not self.forced and self.confidence < UNCERTAIN_BELOW


@dataclass(frozen=True)
class Proof:
    """What the proofing view shows of a seed."""
    article: Article
    decisions: tuple[BreakDecision, ...]     # in source order
    block_lines: tuple[int | None, ...]      # the source line each block starts at (None: from the sidecar)
    given: dict[int, str]                    # the sidecar's ``blocks:``: source line → type given by hand


def read(source: Path, project_root: Path) -> Proof:
    """The article of a seed, the decision at every blank line, and where each block starts;
    the source is read once."""
    seed = source_.read(source, project_root)
    lines = seed.text.replace('\r\n', '\n').replace('\r', '\n').split('\n')
    return Proof(seed.article, tuple(_adapt(d, lines) for d in decisions_json(seed.decisions)),
                 seed.block_lines, seed.sidecar.kinds)


def _adapt(decision: dict, lines: list[str]) -> BreakDecision:
    last = decision['line']                  # the last blank line of the run
    while last < len(lines) and not lines[last].strip():
        last += 1
    numbers = range(decision['line'], last + 2)  # the blank lines and the first line below
    cues = []
    for cue in decision['cues']:
        m = _WEIGHT.match(cue)
        cues.append(Cue(m['cue'], m['weight']) if m else Cue(cue))
    return BreakDecision(line=decision['line'], lines=tuple(numbers), join=decision['join'],
                         confidence=decision['confidence'], cues=tuple(cues), forced=decision['forced'],
                         left=decision['left'], right=decision['right'])
