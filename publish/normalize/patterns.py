"""Patterns that recognise the structural lines of a Chinese news article."""
from __future__ import annotations

import re

NUM = '一二三四五六七八九十'
HAN = '\u4e00-\u9fff'
NAME = f'(?:[{HAN}·]{{2,5}}|[{HAN}] {{1,2}}[{HAN}])'   # 李 刚: a two-character name padded

QA_HEAD = re.compile(r'^(问|答)\s*[：:]')
# Enumerated paragraphs: 一是… / （一）… / (一)… / 第一，… / 一、… / 1. … / ①… / 其一，…
RUN_IN_START = re.compile(
    rf'^(?:[{NUM}]+是|[（(][{NUM}]+[）)]|第[{NUM}]+[，,、：:是]|[{NUM}]+、|其[{NUM}][，,：:]'
    rf'|[①-⑳]|\d{{1,2}}[.、．](?!\d))')
DATELINE = re.compile(
    rf'^(?:(?:本报|新华社|人民网|中新社|央视网|人民日报)[{HAN}\d]{{0,16}}?(?:电|讯)'
    rf'|本报讯)(?=[\s（(]|$|[{HAN}“])')
# The dateline or source closing an article, in brackets on a line of its own:
# （本报约翰内斯堡2月18日电） （新华社北京2月16日电） （本报记者某某采访整理）.
# Nothing follows the closing bracket; a line that ends before it is the
# first part of one that the page split over two lines.
CLOSING_DATELINE = re.compile(
    r'^[（(]据?(?:本报|新华社|人民网|中新社|央视网|人民日报)[^（）()。！？!?]*(?:[）)]\s*)?$')
BYLINE_TITLE = '(?:本报)?(?:特约记者|记者|通讯员|实习生|特约通讯员|摄影记者|见习记者)'
NAMES = rf'{NAME}(?:\s*[、，,\s]\s*{NAME})*'
# A byline line: a title and names, perhaps "/文" (or 图, 摄) or "摄" after
# them; names with "/文", "/图" or "摄" after them; or "文/" (图/, 文/图/)
# before names.  (Each Han class costs a millisecond to compile: the name
# lists are written out twice, not once for each form.)
BYLINE_LINE = re.compile(
    rf'^(?:(?:({BYLINE_TITLE})\s*)?{NAMES}(?(1)(?:\s*/\s*[文图摄]|\s*摄)?|(?:\s*/\s*[文图]|\s*摄))'
    rf'|[文图]\s*/\s*(?:[文图]\s*)?{NAME}(?:\s+{NAME})*)$')
BYLINE_PAREN = re.compile(rf'^[（(](?:{BYLINE_TITLE}|作者)[^）)]*[）)]$')
EDITOR_NOTE = re.compile(r'(?:——\s*编\s*者\s*$|^编者按)')
CAPTION_START = re.compile(r'^(?:图为|图[①-⑳\d]|[上下左右中]图[：:为]|图片说明)')
CREDIT_END = re.compile(rf'(?:{NAME}\s*摄|[（(][^（）()]*(?:供图|摄|发)[）)]|(?:制图|供图|图片来源)[：:]\s*\S+)$')
# The line naming who said the quotation above it: ——习近平, ——王某代表.
SIGNATURE = re.compile(rf'^——\s*[{HAN}·]{{2,8}}$')
MARKER_START = re.compile(r'^(?:■|●|◆|▲|★)')
# A block opening with a dash: a list item (——坚持…), a signature (——编者,
# ——习近平), or the dash of a sentence cut before it (住房——住房保障…).
DASH_START = re.compile(r'^——')
KNOWN_HEADS = re.compile(r'^(?:核心阅读|编者按|编后|短评|链接|背景|相关阅读|记者手记)$')
# A block that only numbers a section (三) or names a column between middle
# dots (·广告·): it stands alone.
SECTION_MARK = re.compile(r'^(?:[一二三四五六七八九十]{1,3}|[·•]\s*[\u4e00-\u9fff]{1,8}\s*[·•])$')
# A note under a table or an article: 注：…, 注2：…, （注：…）.
NOTE_START = re.compile(r'^[（(]?注\d*[：:]')


def is_byline(text: str) -> bool:
    """Whether every line of a block is a byline line."""
    return all(BYLINE_LINE.match(line) or BYLINE_PAREN.match(line) for line in text.split('\n'))
