"""Column-break repair: is a blank line a paragraph break or a column break?

Every blank line between two blocks gets a :class:`Decision`.  Cues are
weighed as evidence (positive: the paragraph runs on into the next column;
negative: a real paragraph boundary); the sum decides and its size gives the
confidence that ``--explain`` reports.  A few cues are decisive on their own
(a block that opens with closing punctuation cannot start a paragraph; a
Q&A head cannot continue one).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from . import textstats, words
from .latin import join_hyphenated
from .blocks import join_lines
from .chars import NON_STARTER_PUNCT, OPENERS, bracket_balance, ends_sentence, han_count, quote_balance
from .patterns import (CAPTION_START, CLOSING_DATELINE, CREDIT_END, DASH_START, DATELINE, EDITOR_NOTE,
                       KNOWN_HEADS, MARKER_START, NOTE_START, QA_HEAD, RUN_IN_START, SECTION_MARK, SIGNATURE,
                       is_byline)


@dataclass(frozen=True)
class Decision:
    line: int                   # the source line of the (first) blank line
    join: bool
    cues: tuple[str, ...]
    confidence: float           # 0.5 … 1.0
    forced: bool = False        # set by the sidecar, not by the cues
    left: str = ''              # the end of the block above, for explaining
    right: str = ''             # the start of the block below
    offset: int = 0             # non-space characters of the source before the break
    ruled: bool = False         # a rule decided it alone (see :func:`rule`)



def decisions_json(decisions) -> list[dict]:
    """The decisions as ``publish normalize --format json`` gives them: where
    (``offset``: non-space source characters before the break; ``line``),
    what (``join``), how sure (``confidence``), why (``cues``), whether the
    sidecar set it (``forced``), and the text on either side (``left``,
    ``right``) as ``--explain`` shows it."""
    return [{'offset': d.offset, 'line': d.line, 'join': d.join, 'confidence': d.confidence,
             'cues': list(d.cues), 'forced': d.forced, 'left': d.left, 'right': d.right}
            for d in decisions]

# Words that begin with a grammatical particle: a right block starting with
# such a particle but not such a word continues the sentence above.
_PARTICLES = '的了吗呢吧啊们等'
_PARTICLE_WORDS = ('的确', '的士', '了解', '了不起', '了结', '了却', '了如指掌', '吗啡',
                   '等待', '等到', '等候', '等级', '等同', '等于')
_FINAL_PARTICLES = ('了', '着', '过', '们', '啊', '呢', '吧', '吗')
_AUXILIARIES = ('能够', '可以', '应该', '应当', '需要', '必须', '得以', '便于', '难以')
_SPEECH_VERBS = ('说', '道', '表示', '介绍', '指出', '强调', '称', '坦言', '感慨', '回忆', '告诉记者', '问')
_MID_PUNCT = '，,、；;'
SENTENCE_INSIDE = re.compile(r'[。！？!?]')
_ATTRIBUTION = re.compile(r'^[\u4e00-\u9fff·]{1,12}(?:说|表示|介绍|告诉记者|指出|强调|坦言|感慨)[。！]')


def _structural(text: str) -> str | None:
    """Name of the structure a block is, when it is one that never runs on."""
    if QA_HEAD.match(text):
        return 'a Q&A head'
    if is_byline(text):
        return 'a byline'
    if EDITOR_NOTE.search(text):
        return "an editor's note"
    if KNOWN_HEADS.match(text):
        return 'a section label'
    if SECTION_MARK.match(text.strip()):
        return 'a section number or a column label'
    if CREDIT_END.search(text):
        return 'a caption or credit'
    if _signature(text):
        return 'the signature under a quotation'
    return None


def _signature(text: str) -> bool:
    """A dash and a person's name (with a title, perhaps): who said the
    quotation above (——习近平, ——王某代表); not a list item cut short (——坚持推进)."""
    match = SIGNATURE.match(text)
    if not match:
        return False
    name = text.lstrip('— ').strip()
    return words.part_of_speech(words.segment(name)[0]).startswith('nr')


def _opens_structure(text: str) -> str | None:
    """Name of the structure a block opens, when it begins one."""
    if is_byline(text):
        return 'a byline'
    flat = _flat(text)
    for name, pattern in (('a Q&A head', QA_HEAD), ('a dateline', DATELINE),
                          ('a closing dateline', CLOSING_DATELINE),
                          ('an enumerated head', RUN_IN_START), ('a caption', CAPTION_START),
                          ('a marker', MARKER_START), ('a dash', DASH_START),
                          ('a section label', KNOWN_HEADS), ('a note', NOTE_START)):
        if pattern.match(flat):
            return name
    if SECTION_MARK.match(flat.strip()):
        return 'a section number or a column label'
    return None


def _logistic(score: float) -> float:
    return 1 / (1 + math.exp(-abs(score)))


# Evidence for "the paragraph runs on" (positive) or "a real boundary"
# (negative).  The text's cues (the names :func:`_cues` gives and the
# statistics of :mod:`.textstats`) are weighed by a logistic model fitted on
# real news text cut into columns (publish/data/break_model.json, made by
# scripts/make_text_model.py); the page's cues by the weights below, which a
# page model of the training text cannot teach.
SHORT_OF_LINE = 'the text above ends part-way through a line, where no column ends'
PAGE_WEIGHTS = {
    'the text above fills its last line': 1.5,
    'the break falls at the foot of a column': 4.0,
    SHORT_OF_LINE: -4.0,
}
# A join this sure (odds of four to one) is evidence that the source has
# column breaks, and a join the text makes this surely is taken on the
# text's evidence alone: see :func:`decide`.
SURE_JOIN_CONFIDENCE = 0.8
SURE_JOIN_SCORE = math.log(SURE_JOIN_CONFIDENCE / (1 - SURE_JOIN_CONFIDENCE))
NO_COLUMN_SEEN = 'no break of the source is surely a column break (it reads as paragraphs already)'
HEADLINE_AREA = 'no running text above yet (headline area)'
_FUNCTION_END = set('的个是和与及或并而把被将从对给让使于也都就又还才很更最再我到地其之这那每各该')
# How paragraphs of news open: a time or place adverbial, a source, a
# speaker introduced (某某强调，), a quotation.
_PARAGRAPH_OPENING = re.compile(
    r'(?:\d{2,4}年|\d{1,2}月\d{1,2}日|近日|日前|近年来|近年|今年|去年|如今|目前|当前|当地时间'
    r'|上世纪|本世纪|早在|当时|此前|此后|近期|最近|眼下|前不久|不久前'
    r'|据|随着|为了|春节|新年|“|【|■'
    r'|[^，。,]{1,16}(?:以来|期间|之际)[，,]'
    r'|[^，。,]{1,12}(?:强调|指出|表示|认为|介绍)[，,：:])')
_CLAUSE = re.compile('[，,；;]')
_PUNCTUATION = re.compile('[，,、；;：:。！？!?“”（）()《》…—]')
_COUNT = re.compile(r'^\d+(?:\.\d+)?[个名头位家人次元万亿件项条只台辆所座户千百多余]')
_FIRST_SENTENCE = re.compile(r'^[^。！？!?]*[。！？!?]')


def _cues(left: str, right: str, headline_area: bool, repeated: bool = False,
          other_headings: bool = False) -> list[str]:
    """The names of the cues (keys of WEIGHTS) that hold at a break whose
    block above does not end a sentence; ``repeated``: see :func:`repeated_above`;
    ``other_headings``: other blocks of the article read like subheads
    (:func:`subheads`)."""
    l_end, r_start = left[-1:], right[:1]
    n, m = han_count(left), han_count(right)
    cohesion = words.cohesion(left, right)
    right_has_sentence = ends_sentence(right) or bool(SENTENCE_INSIDE.search(right))
    held = {
        HEADLINE_AREA: headline_area,
        'stops inside a sentence': l_end in _MID_PUNCT,
        'ends with a colon': l_end in '：:',
        'ends with a semicolon (the items of a list end so)': l_end in '；;',
        'ends with a dash': left.endswith('——'),
        'quotation or bracket still open': quote_balance(left) > 0 or bracket_balance(left) > 0,
        'text above has finished sentences': bool(SENTENCE_INSIDE.search(left[:-1])),
        'text above is long for a heading': n >= 30,
        'block above is very short': n <= 12,
        'block below opens with a particle': r_start in _PARTICLES and not right.startswith(_PARTICLE_WORDS),
        'a word runs across the break': cohesion > 1,
        'block below is short and has no sentence': not right_has_sentence and m <= 30,
        'block below is one short sentence': ends_sentence(right) and m <= 12,
        'text above has commas': bool(re.search('[，,、]', left)),
        'block above has a space (a heading)': ' ' in left.strip(),
        'block above ends with a bracket': l_end in '）)',
        'block above ends with a closing quote': l_end in '”’',
        'block below opens with a quotation': r_start == '“',
        'block above ends with a function word': l_end in _FUNCTION_END,
        'a number at the break': l_end.isdigit() or r_start.isdigit(),
        'text above reads like running text': (bool(re.search('[，,]', left))
                                               and ' ' not in left.strip() and n >= 14),
        'block below opens like a new paragraph': bool(_PARAGRAPH_OPENING.match(right)),
        'both blocks are short': n <= 20 and m <= 20 and not ends_sentence(right),
        'the last clause above is unfinished': (bool(_CLAUSE.search(left))
                                                and len(_CLAUSE.split(left)[-1]) <= 4),
    }
    last, first = words.last_word(left), words.first_word(right)
    last_pos, first_pos = words.part_of_speech(last)[:1], words.part_of_speech(first)[:1]
    sentence = _FIRST_SENTENCE.match(right)
    held.update({
        'block above ends with a word that needs what follows': (last_pos in ('p', 'c', 'u', 'b')
                                                                  and last not in _FINAL_PARTICLES),
        'lines of verse': (l_end in '，,、' and n <= 20 and m <= 20 and right[-1:] in '，,。！？!?'
                           and not SENTENCE_INSIDE.search(right[:-1])),
        'block above ends with a verb': last_pos == 'v',
        'block below opens with an adverb, preposition or particle': first_pos in ('d', 'p', 'u', 'c'),
        'block below opens with a verb': first_pos == 'v',
        'block below opens with a count (200头)': bool(_COUNT.match(right)),
        'the first sentence below is a fragment': bool(sentence) and han_count(sentence.group(0)) <= 5,
        'block above ends with “的”': left.endswith('的'),
        'the last clause above has 把/将/被/据 but not its verb': _awaits_its_verb(left),
        'block below opens with an auxiliary verb': right.startswith(_AUXILIARIES),
        'the block above introduces a quotation (…说：)': (left[-1:] in '：:' and r_start == '“'
                                                     and left[:-1].endswith(_SPEECH_VERBS)),
        'the text reads far better across the break than split': cohesion > 3,
        'block below opens an enumerated head': bool(RUN_IN_START.match(right)),
        'text above has no punctuation (a heading)': not _PUNCTUATION.search(left),
        REPEATED: repeated,
        OTHER_HEADINGS: other_headings and heading_like(left),
    })
    return [name for name, holds in held.items() if holds]


# The repair weighs every break again in each pass until none changes; a
# break whose two sides did not change is decided once.
@lru_cache(maxsize=4096)
def decide(left: str, right: str, line: int, *, headline_area: bool = False,
           fills_line: bool = False, column_foot: bool = False, short_of_line: bool = False,
           no_column_seen: bool = False, repeated: bool = False,
           other_headings: bool = False) -> Decision:
    """Decide one blank line.

    ``left`` is the paragraph above the break (every block joined to it so
    far), ``right`` the block below;
    ``headline_area`` is true while no running text has been seen above;
    ``fills_line`` tells whether the text above ends exactly at the end of a
    line of the page's grid, ``column_foot`` whether that line is also the
    last of a column (both False when the grid is not known);
    ``short_of_line`` that the grid is known and the text above ends part-way
    through a line, where no column ends;
    ``no_column_seen`` that no break of the source is surely a column break
    (:func:`surely_joins`): the source reads as paragraphs already;
    ``repeated`` whether the text above stands elsewhere in the article,
    going on differently there (:func:`repeated_above`);
    ``other_headings`` whether other blocks of the article read like
    subheads (:func:`subheads`, :func:`others`).

    Evidence against a join that the text alone does not give (the page's,
    the source's as a whole) is weighed only where the text does not surely
    join (:func:`surely_joins`).  So a break kept against the text is one
    that the text alone does not surely join, and normalized text, in which
    no break is then a sure join, reads as paragraphs already: normalizing it
    again keeps every break.
    """
    # Lines inside a block are read as the output prints them: run together.
    flat_left, flat_right = _flat(left), _flat(right)
    ruled = rule(left, right, flat_left, flat_right)
    if ruled:
        join, why, kind = ruled
        return replace(_decision(line, join, [why], rule_confidence(kind), left, right), ruled=True)
    evidence = list(text_evidence(flat_left, flat_right, headline_area, repeated, other_headings))
    text_score = sum(weight for _, weight in evidence)
    if not _sure(text_score):
        if short_of_line:
            evidence.append((SHORT_OF_LINE, PAGE_WEIGHTS[SHORT_OF_LINE]))
        if no_column_seen:
            evidence.append((NO_COLUMN_SEEN, -SURE_JOIN_SCORE))   # outweighs any score short of sure
    if fills_line:
        evidence.append(('the text above fills its last line', PAGE_WEIGHTS['the text above fills its last line']))
    if column_foot:
        evidence.append(('the break falls at the foot of a column',
                         PAGE_WEIGHTS['the break falls at the foot of a column']))
    score = sum(weight for _, weight in evidence)
    return _decision(line, score > 0, [f'{name} ({weight:+.1f})' for name, weight in evidence],
                     _logistic(score), left, right)


def surely_joins(decision: Decision) -> bool:
    """Whether a decision joins as surely as :data:`SURE_JOIN_CONFIDENCE`."""
    return decision.join and decision.confidence >= SURE_JOIN_CONFIDENCE


def _sure(score: float) -> bool:
    """Whether a weighed score joins as surely as :func:`surely_joins` asks
    (its confidence rounded as a :class:`Decision` holds it)."""
    return score > 0 and round(_logistic(score), 3) >= SURE_JOIN_CONFIDENCE


@lru_cache(maxsize=4096)
def rule(left: str, right: str, flat_left: str, flat_right: str) -> tuple[bool, str, str] | None:
    """The cues that decide a break alone: (join, why, which rule), or None
    when the break is to be weighed."""
    certain = _certain_join(flat_left, flat_right)
    opened = _opens_structure(right)
    # a quotation or bracket left open at a sentence end, the weakest of
    # them, yields to a structure that the block below opens ((注1：…。|注2：…）)
    if certain and not (_certain_kind(flat_left, certain) == QUOTE_AFTER_STOP and opened):
        return True, certain, _certain_kind(flat_left, certain)
    structure = _structural(left)
    if structure:
        return False, f'the block above is {structure}', 'structure above'
    if opened == 'a dash' and _ends_with_a_label(flat_left):
        # a label and its dash: …。住房——住房保障实现全覆盖
        return True, 'the block above ends with a label that the dash below runs on from', 'label and dash'
    if opened == 'a note' and not ends_sentence(flat_left):
        opened = None           # 关|注：… is a word cut by the column
    if opened and not (left[-1:] in _MID_PUNCT and opened == 'an enumerated head'):
        return False, f'the block below opens {opened}', 'structure below'
    if ends_sentence(left) and left[-1:] in '”’' and _ATTRIBUTION.match(flat_right):
        return True, 'the block below only names the speaker of the quotation above', 'speaker'
    return None


def rule_confidence(kind: str) -> float:
    """How often a rule was right on the training text cut into columns
    (Laplace-smoothed), as written by scripts/make_text_model.py."""
    right, cases = textstats.model()['rules'].get(kind, (0, 0))
    return (right + 1) / (cases + 2)


# the same break is weighed on each of the page's readings (no grid, a width,
# a width and a height): its text evidence once
@lru_cache(maxsize=4096)
def text_evidence(flat_left: str, flat_right: str, headline_area: bool,
                  repeated: bool = False, other_headings: bool = False) -> tuple[tuple[str, float], ...]:
    """The text's evidence at a break that no rule decides, weighed by the
    fitted model: its part for a break inside a sentence, or its part for a
    break right after a sentence end (a column ends there far less often
    than a paragraph does)."""
    part = textstats.model()['after a sentence' if ends_sentence(flat_left) else 'inside a sentence']
    weights = part['weights']
    evidence = [('prior', part['bias'])]
    evidence += [(name, weights[name]) for name in _cues(flat_left, flat_right, headline_area, repeated, other_headings)
                 if weights.get(name)]
    evidence += [(name, weights[name] * value)
                 for name, value in measures(flat_left, flat_right).items() if weights.get(name)]
    return tuple(evidence)


REPEATED = 'the text above stands elsewhere in the article, going on differently (a summary or pull quote)'
OTHER_HEADINGS = 'the text above reads like a subhead, as other blocks of the article do'
HEADING_MAX = 20     # Chinese characters in a subhead, at most


def heading_like(text: str) -> bool:
    """A few words with no sentence in them that do not stop at a comma:
    what a subhead is, and what a paragraph's first words cut off by a
    column are now and then."""
    if len(text) > 4 * HEADING_MAX:       # a long block is no heading, whatever it holds
        return False
    flat = _flat(text).strip()
    return (2 <= han_count(flat) <= HEADING_MAX and not SENTENCE_INSIDE.search(flat)
            and not ends_sentence(flat) and flat[-1:] not in _MID_PUNCT + '：:')


def subheads(blocks: list[str]) -> list[bool]:
    """For each block of an article, whether it reads like a subhead: it is
    :func:`heading_like` and stands below running text, after a sentence end.
    An article that has one such block has more, where a column cutting a
    paragraph's first words off is a chance."""
    flags, running = [], False
    for index, text in enumerate(blocks):
        flags.append(running and ends_sentence(_flat(blocks[index - 1])) and heading_like(text))
        running = running or bool(SENTENCE_INSIDE.search(text))
    return flags


def others(flags: list[bool], start: int, end: int) -> bool:
    """Whether a block outside ``start:end`` (the paragraph above a break)
    reads like a subhead."""
    return any(flag for index, flag in enumerate(flags) if flag and not start <= index < end)
_MARKS = '■□●○◆◇★☆▲△'
_WIDE_TO_ASCII = {c: chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
REPEAT_MIN = 8     # characters of the text above that must stand elsewhere


def canonical(text: str) -> str:
    """``text`` compared for repetition: no spaces, full-width forms as ASCII
    (the same before and after normalizing)."""
    return ''.join(text.translate(_WIDE_TO_ASCII).split())


@lru_cache(maxsize=4096)
def repeated_above(left: str, right: str, article: str) -> bool:
    """Whether the paragraph above the break (``left``, from its start; a
    leading marker ■ aside) stands elsewhere in the article (``article``, as
    :func:`canonical` gives it) and goes on there otherwise than into
    ``right``: a summary above the text, a pull quote, a heading quoted in
    the text, each a paragraph of its own.  The halves of a paragraph cut by
    a column stand together wherever they stand."""
    above = canonical(left).lstrip(_MARKS)
    if len(above) < REPEAT_MIN:
        return False
    times = article.count(above)
    return times > 1 and article.count(above + canonical(right)[:2]) < times


LEFT_LENGTH = 'length of the text above (log)'
RIGHT_LENGTH = 'length of the block below (log)'


def measures(flat_left: str, flat_right: str) -> dict[str, float]:
    """The cues that are numbers: the statistics of the text at the break
    (:mod:`.textstats`) and the lengths on either side (a heading is short)."""
    return {**textstats.features(flat_left, flat_right),
            LEFT_LENGTH: math.log1p(han_count(flat_left)), RIGHT_LENGTH: math.log1p(han_count(flat_right))}


def decide_line_end(left: str, right: str, line: int, page_cues: list[tuple[str, float]],
                    line_is_full: bool, below_is_full: bool, headline_area: bool,
                    below_not_indented: bool = False) -> Decision:
    """Decide the end of a printed line inside a block of text copied from a
    PDF (see :mod:`.wrapped`): the page's cues weighed with the text's.

    ``left`` is the paragraph so far, ``right`` the line below;
    ``line_is_full``, ``below_is_full``: the line above, the line below
    fills the column, so it is running text and not a structural line of its
    own (a byline, a credit); ``headline_area``: no running text yet;
    ``below_not_indented``: the page indents its paragraphs and the line below
    is not indented."""
    flat_left, flat_right = _flat(left), _flat(right)
    certain = _certain_join(flat_left, flat_right)
    if certain:
        return _decision(line, True, [certain], rule_confidence(_certain_kind(flat_left, certain)), left, right)
    cues = list(page_cues)
    last = left.rsplit('\n', 1)[-1]
    if DATELINE.fullmatch(last) or (DATELINE.match(last) and last == flat_left):
        cues.append(('the line above is a dateline, which its paragraph follows', DATELINE_WEIGHT))
    opened = _opens_structure(flat_right)
    if opened == 'an enumerated head' and below_not_indented:
        # 一是…, 二是… run on inside a paragraph as often as they open one;
        # on a page that indents its paragraphs, an unindented one runs on
        opened = None
    structure = ((not line_is_full and _structural(last)) or opened
                 or (not below_is_full and _structural(flat_right)))
    if headline_area and not line_is_full and not SENTENCE_INSIDE.search(flat_left):
        cues.append((HEADLINE_AREA, HEADLINE_AREA_WEIGHT))
    if structure:
        cues.append((f'the text is {structure} here', STRUCTURE_WEIGHT))
    score = sum(weight for _, weight in cues)
    return _decision(line, score > 0, [f'{name} ({weight:+g})' for name, weight in cues],
                     _logistic(score), left, right)


# A structural line (byline, Q&A head, dateline …) on either side of a line end.
STRUCTURE_WEIGHT = -6.0
# No running text above yet: headline lines, each a line of its own.
HEADLINE_AREA_WEIGHT = -2.5
# A dateline on a line of its own: its paragraph follows.
DATELINE_WEIGHT = 9.0


_RUN_IN_LABEL = re.compile(r'[。！？!?][”’」』]?\s*([\u4e00-\u9fff]{2,4})$')


def _ends_with_a_label(text: str) -> bool:
    """Running text whose last sentence so far is a noun of a few characters:
    the label of a run-in head that a dash sets off
    (…1.4万余人。住房 | ——住房保障实现全覆盖)."""
    label = _RUN_IN_LABEL.search(text)
    if not label:
        return False
    tag = words.part_of_speech(words.segment(label.group(1))[-1])
    return tag.startswith('n') or tag == 'vn'


_DISPOSAL = ('把', '将', '被', '据')    # 据 + its source awaits 统计, 报道, 介绍 …
_HAN_RUN = re.compile('[\u4e00-\u9fff]+')
_LAST_CLAUSE = re.compile('[^，,；;：:。！？!?]*$')


def _awaits_its_verb(text: str) -> bool:
    """The last clause of *text* has 把/将/被 and the start of its object,
    but not yet the verb they need (…将新疆职业技能教育培训中心 | 歪曲为…).
    将 before an adverb or a verb is "will" (将更加严峻), not the marker."""
    clause = _LAST_CLAUSE.search(text).group(0)
    seq = [w for run in _HAN_RUN.findall(clause) for w in words.segment(run)]
    marks = [i for i, w in enumerate(seq) if w in _DISPOSAL]
    if not marks:
        return False
    after = seq[marks[-1] + 1:]
    return (bool(after) and words.part_of_speech(after[0])[:1] in ('n', 'r', 'm')
            and not any(_is_verb(words.part_of_speech(w)) for w in after))


def _is_verb(tag: str) -> bool:
    return tag.startswith('v') and tag != 'vn'      # vn: a verb used as a noun


def _flat(text: str) -> str:
    return join_lines(text.split('\n'))


def cannot_start(text: str) -> bool:
    """Whether ``text`` opens with a mark that cannot start a paragraph (an
    ellipsis can: …… opens a quotation cut short)."""
    return text[:1] in NON_STARTER_PUNCT and text[:1] != '…'


def _certain_join(left: str, right: str) -> str | None:
    """A reason that makes the break certainly a column break, or None."""
    l_end, r_start = left[-1:], right[:1]
    if cannot_start(right) or (r_start == '…' and l_end == '…'):
        return f'the block below opens with “{r_start}”, which cannot start a paragraph'
    if l_end in OPENERS or (l_end == '·' and not SECTION_MARK.match(left.strip())):   # ·广告· is a label
        return f'the block above ends with “{l_end}”, which cannot end a paragraph'
    if r_start == '的' and not right.startswith(('的确', '的士')):
        return 'the block below opens with the particle “的”'
    if l_end.isdigit() and r_start.isdigit():
        return 'a number runs across the break'
    if _LATIN_RUNS_ON.search(left) and _LOWER_START.match(right):
        return 'a Latin sentence runs on to a lower-case word below'
    above, below = left.translate(_FOLD_BRACKETS), right.translate(_FOLD_BRACKETS)
    for opener, closer in (('“', '”'), ('(', ')'), ('《', '》')):
        if above.count(opener) > above.count(closer):
            close, reopen = below.find(closer), below.find(opener)
            if close >= 0 and (reopen < 0 or close < reopen):
                return f'“{opener}” opened above is closed below'
    return None


QUOTE_AFTER_STOP = 'quotation or bracket closed below after a sentence end'


def _certain_kind(flat_left: str, why: str) -> str:
    """The rule a certain join is counted under (its confidence).  A quotation
    or bracket left open at a sentence end and closed below is the weakest:
    a quotation running over several paragraphs opens each with “ and
    closes only the last."""
    if why.endswith('opened above is closed below') and ends_sentence(flat_left):
        return QUOTE_AFTER_STOP
    return 'certain join'


_LATIN_RUNS_ON = re.compile(r'[A-Za-z][A-Za-z,;:-]?$')
_LOWER_START = re.compile(r'^[a-z]')
# Brackets are compared whatever their width: punctuation is widened only
# after the breaks are decided.
_FOLD_BRACKETS = str.maketrans('（）', '()')


def _decision(line: int, join: bool, cues: list[str], confidence: float,
              left: str, right: str) -> Decision:
    return Decision(line=line, join=join, cues=tuple(cues), confidence=round(confidence, 3),
                    left=left[-12:], right=right[:12])


def forced(line: int, join: bool, left: str, right: str) -> Decision:
    why = 'the sidecar forces a join here' if join else 'the sidecar forces a break here'
    return Decision(line=line, join=join, cues=(why,), confidence=1.0, forced=True,
                    left=left[-12:], right=right[:12])


def join_across(left: str, right: str, whole_text: str) -> str:
    """Join the two halves of a paragraph split by a break.

    CJK on either side: no space.  Latin words: one space.  A Latin word cut
    by a hyphen is joined as :func:`.latin.join_hyphenated` reads it
    (``organi-`` | ``zations``: ``organizations``; ``long-`` | ``term``:
    ``long-term``)."""
    from .blocks import join_pair
    return join_hyphenated(left, right, whole_text) or join_pair(left, right)
