"""Articles built by hand for the PDF/EPUB/layout/font tests (no normalizer involved)."""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from publish.render import RenderOptions, get_writer
from publish.model import (
    Article, Byline, Caption, Contributor, EditorNote, Figure, Headline, HeadlinePart,
    HeadlineRole, Meta, Paragraph, QAHead, QAKind, Role, RunIn, Subhead, block_text)

TIMESTAMP = dt.datetime(2018, 7, 2, 8, 30, tzinfo=dt.timezone.utc)
TRICKY = '注意 <script>alert("x")</script> 与 {{ 7*7 }} 及 {% if x %} 和 AT&T 的写法&amp;'
SEED_EXPECTED = Path(__file__).parent / 'fixtures' / 'seed.expected.txt'


def make_png(path: Path, size=(480, 300), colour=(180, 40, 40)) -> Path:
    from PIL import Image, ImageDraw
    img = Image.new('RGB', size, (240, 236, 228))
    draw = ImageDraw.Draw(img)
    draw.rectangle([20, 20, size[0] - 20, size[1] - 20], outline=colour, width=8)
    draw.ellipse([size[0] // 3, size[1] // 4, 2 * size[0] // 3, 3 * size[1] // 4], fill=colour)
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, format='PNG', optimize=False)
    return path


def contributors() -> tuple[Contributor, ...]:
    return (Contributor('景静', Role.WRITER, '记者'),
            Contributor('王宁', Role.WRITER, '通讯员'),
            Contributor('胡源浩', Role.PHOTOGRAPHER),
            Contributor('李明', Role.EDITOR, '责任编辑'))


def sample_article(project: Path, *,
                   publication: str = '郑州日报', extra_text: str = '') -> Article:
    """Every block type, two figures (PNG files under *project*/images), four contributors."""
    fig1 = make_png(project / 'images' / 'meeting.png')
    fig2 = make_png(project / 'images' / 'award.png', colour=(30, 80, 160))
    people = contributors()
    blocks = (
        Headline((HeadlinePart(HeadlineRole.BANNER, '庆七一 颂党恩 砥砺前行'),)),
        Headline((HeadlinePart(HeadlineRole.KICKER, '庆祝建党97周年，二七区总结成绩'),
                  HeadlinePart(HeadlineRole.TITLE, '“三个一”构建党建大格局，“五个突出”持续深化提升年行动'))),
        Headline((HeadlinePart(HeadlineRole.SUBTITLE, '——全区庆祝大会侧记'),)),
        EditorNote('编者按：七月一日前夕，本报记者走进二七区，记录基层党建的新变化。——编者'),
        Paragraph('为向建党97周年献礼，6月29日下午3时，二七区庆祝大会在政通路小学礼堂拉开序幕。',
                  dateline='本报郑州6月29日电', dateline_separator=' ', lead=True),
        Byline(('记者 景静', '通讯员 王宁/文', '胡源浩/图'), people[:3]),
        QAHead(QAKind.QUESTION, '问：党建成绩怎么样？'),
        QAHead(QAKind.ANSWER, '答：做了“三个一”'),
        Paragraph('二七区牢固树立抓好党建是最大政绩的理念，先后召开会议25次，实施“1+N”激励。',
                  run_in=RunIn('一是形成了一个责任明、推进快的“工作体系”')),
        Paragraph('以构建党建标准化指标体系为方向，以制度建设为重点。',
                  run_in=RunIn('二是突出标准化改造，建强基层战斗堡垒', separator=' ', guessed=True)),
        Figure(fig1, caption='6月29日，二七区庆祝大会现场。', credit='胡源浩 摄', alt='大会现场', number=1),
        Subhead('五个突出'),
        Paragraph('下一步，区委书记陈红民提出“五个突出”，WeasyPrint 70 与 3.5% 的数字照常排印。'
                  + TRICKY + extra_text),
        Caption('图为先进基层党组织代表领奖。', credit='本报记者 胡源浩 摄'),
        Figure(fig2, caption='颁奖仪式。', credit='胡源浩 摄', alt='颁奖仪式', number=2),
        Paragraph('大会最后强调，全区党员干部要不忘初心，牢记使命，砥砺前行。'),
    )
    meta = Meta(publication=publication, date=dt.date(2018, 7, 2) if publication else None,
                section='要闻', page='3', keywords=('党建', '二七区'))
    return Article(name='sample', blocks=blocks, meta=meta, contributors=people,
                   source_path=project / 'seeds' / 'sample.txt')


def seed_article(project: Path | None = None) -> Article:
    """The seed article, built by hand from the normalizer's expected output."""
    paras = SEED_EXPECTED.read_text(encoding='utf-8').strip().split('\n\n')
    people = (Contributor('景静', Role.WRITER, '记者'), Contributor('王宁', Role.WRITER, '通讯员'),
              Contributor('张明博', Role.WRITER, '通讯员'), Contributor('胡源浩', Role.PHOTOGRAPHER))
    kicker = '庆祝建党97周年，二七区总结成绩、部署工作'
    blocks = [Headline((HeadlinePart(HeadlineRole.BANNER, paras[0]),)),
              Headline((HeadlinePart(HeadlineRole.KICKER, kicker),
                        HeadlinePart(HeadlineRole.TITLE, paras[1][len(kicker) + 1:])))]
    for i, text in enumerate(paras[2:], 2):
        if text.startswith('记者'):
            blocks.append(Byline(tuple(text.split('\n')), people))
        elif text.startswith('问：'):
            blocks.append(QAHead(QAKind.QUESTION, text))
        elif text.startswith('答：'):
            blocks.append(QAHead(QAKind.ANSWER, text))
        elif m := re.match(r'^([一二三四五]是[^ ]*?“[^”]+”)(?=[^ ])', text):
            blocks.append(Paragraph(text[m.end():], run_in=RunIn(m.group(1))))
        elif m := re.match(r'^([一二三四五]是\S+) ', text):
            blocks.append(Paragraph(text[m.end():], run_in=RunIn(m.group(1), ' ')))
        else:
            blocks.append(Paragraph(text, lead=(i == 2)))
    meta = Meta(publication='郑州日报', date=dt.date(2018, 7, 2), keywords=('党建', '二七区'))
    return Article(name='000_f1de1b68b16b5b86', blocks=tuple(blocks), meta=meta,
                   contributors=people,
                   source_path=(project / 'seeds' / '000_f1de1b68b16b5b86.txt') if project else None)


def squeeze(text: str) -> str:
    return re.sub(r'\s+', '', text)


def expected_texts(article: Article) -> list[str]:
    """What each block must show, whitespace removed."""
    out = []
    for block in article.blocks:
        if isinstance(block, Headline):
            out.extend(squeeze(p.text) for p in block.parts)
        else:
            out.append(squeeze(block_text(block)))
    return [t for t in out if t]


def assert_in_order(haystack: str, needles: list[str]) -> None:
    pos = 0
    for needle in needles:
        found = haystack.find(needle, pos)
        assert found >= 0, f'{needle[:40]!r} not found after position {pos}: …{haystack[pos:pos + 80]}…'
        pos = found + len(needle)


def tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f'{name} is not installed'
    return path


def run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def write_file(fmt: str, article: Article, layout, out_path: Path, *, timestamp: dt.datetime = TIMESTAMP,
               attachments=(), variant: str | None = None, staged=None) -> Path:
    """The writer of *fmt* run as the build runs it, into a folder of its own;
    its main file is then moved to *out_path* (nothing is there when it fails)."""
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    writer = get_writer(fmt)
    work = Path(tempfile.mkdtemp(prefix='.work.', dir=out_path.parent))
    try:
        files = writer.write(article, layout, RenderOptions(timestamp, tuple(attachments), variant, staged),
                             work)
        main = work / writer.output_for(article.name)
        assert main in files, (main, files)
        os.replace(main, out_path)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out_path
