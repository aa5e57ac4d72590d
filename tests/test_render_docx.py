"""The DOCX renderer: styles, metadata, fields, determinism, and a LibreOffice round trip."""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings, strategies as st
from docx.oxml.ns import qn

from publish.errors import LayoutError, RenderError
from publish.model import (
    BLOCK_TYPES, Article, Byline, Caption, Contributor, EditorNote, Figure, Headline,
    HeadlinePart, HeadlineRole, Meta, Paragraph, QAHead, QAKind, Role, RunIn, Subhead,
    block_text,
)
from edition_samples import write_file
from publish import fonts, timestamps
from publish.layout import PACKAGE_LAYOUTS, Layout, load_layout
from publish.render import docx as docx_render

W = '{http://schemas.openxmlformats.org/wordprocessingml/2006/main}'


# ---------------------------------------------------------------- helpers

def make_png(path: Path, width: int = 320, height: int = 200, tint: int = 0) -> Path:
    """A small RGB gradient PNG written without any imaging library."""
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            row += bytes(((x * 255 // width + tint) % 256, y * 255 // height, 160))
        rows.append(bytes(row))
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack('>I', len(data)) + kind + data
                + struct.pack('>I', zlib.crc32(kind + data) & 0xFFFFFFFF))
    png = (b'\x89PNG\r\n\x1a\n'
           + chunk(b'IHDR', struct.pack('>IIBBBBB', width, height, 8, 2, 0, 0, 0))
           + chunk(b'IDAT', zlib.compress(b''.join(rows), 9))
           + chunk(b'IEND', b''))
    path.write_bytes(png)
    return path


def sample_article(tmp_path: Path | None = None, *, figures: bool = True) -> Article:
    """A realistic article after seeds/000_f1de1b68b16b5b86 (abridged), built by hand."""
    writers = (Contributor('景静', Role.WRITER, '记者'),
               Contributor('王宁', Role.WRITER, '通讯员'),
               Contributor('张明博', Role.WRITER, '通讯员'),
               Contributor('胡源浩', Role.PHOTOGRAPHER))
    blocks: list = [
        Headline((HeadlinePart(HeadlineRole.BANNER, '庆七一 颂党恩 砥砺前行'),)),
        Headline((HeadlinePart(HeadlineRole.KICKER, '庆祝建党97周年，二七区总结成绩、部署工作'),
                  HeadlinePart(HeadlineRole.TITLE, '“三个一”构建党建大格局，“五个突出”持续深化'
                                                   '“基层党建全面提升年”行动'))),
        Paragraph('为向建党97周年献礼，6月29日下午3时，随着嘹亮的国歌声，二七区“庆祝中国共产党成立'
                  '97周年大会”在政通路小学礼堂拉开序幕。全区副县级以上领导干部，18个镇（街道）全体科级'
                  '干部，3个管委会、区直各单位负责人和分管组织工作副科级干部等750余人参加了会议，会议对'
                  '先进基层党组织、优秀共产党员、优秀党务工作者代表颁奖。', lead=True),
        Byline(('记者 景静', '通讯员 王宁 张明博/文', '胡源浩/图'), writers),
    ]
    if figures and tmp_path is not None:
        blocks.append(Figure(make_png(tmp_path / 'meeting.png', 640, 400), '庆祝大会现场',
                             '胡源浩 摄', alt='礼堂里的庆祝大会', number=1))
    blocks += [
        QAHead(QAKind.QUESTION, '问：党建成绩怎么样？'),
        QAHead(QAKind.ANSWER, '答：做了“三个一”'),
        Paragraph('在6月27日全市庆祝建党97周年大会上，二七区荣获“全市党建工作先进单位”称号。'
                  '具体做法是什么？二七区用“三个一”给出答案。'),
        Paragraph('二七区牢固树立抓好党建是最大政绩的理念，坚持“书记抓、立台账、建机制、严考评”，'
                  '先后召开常委会、党建小组会及党建观摩会等会议25次，专题研究和部署党建工作，制定了'
                  '区委常委、委员党建主体责任清单和基层党组织书记目标任务，逐级压实党建责任。',
                  run_in=RunIn('一是形成了一个责任明、推进快的“工作体系”', '', guessed=True)),
        Paragraph('围绕提升组织力，以规范党内政治生活为重点推动从严治党，以打造社区服务场所为重点推动'
                  '阵地提质，开展党员干部教育培训活动80多场、党建特色主题活动1000多次，受惠党员群众达'
                  '2万多人。',
                  run_in=RunIn('二是抓实了一批打基础、利长远的“工作载体”', '', guessed=True)),
        QAHead(QAKind.QUESTION, '问：如何持续深化“基层党建全面提升年”行动？'),
        QAHead(QAKind.ANSWER, '答：做好“五个突出”'),
        Paragraph('下一步，就如何聚焦主业、把握关键，以久久为功的执着干劲，持续深化“基层党建全面'
                  '提升年”行动，区委书记陈红民提出“五个突出”。'),
        Paragraph('以构建党建标准化指标体系和党建政绩评价考核体系为方向，以党建工作制度、流程、载体、'
                  '方法建设为重点，不断提高党建标准化理论研究、实证研究的系统性、指导性、针对性和'
                  '实践性，为各个领域、各个层级党建工作开展提供科学支撑。',
                  run_in=RunIn('一是突出标准化改造，建强基层战斗堡垒', ' ')),
        Paragraph('一方面，着力建设担当、负责、敬业的干部队伍。坚持“两德三注重”的正确用人导向，'
                  '把公道正派作为干部工作的核心理念，贯穿选人用人的全过程。',
                  run_in=RunIn('二是突出精准化管理，打造高素质干部队伍', ' ')),
        Subhead('会议强调'),
    ]
    if figures and tmp_path is not None:
        blocks.append(Figure(make_png(tmp_path / 'award.png', 400, 300, tint=90),
                             '先进基层党组织代表上台领奖', '胡源浩 摄', alt='颁奖', number=2))
    blocks += [
        Caption('图为会议现场', '胡源浩 摄'),
        EditorNote('编者按：本文据二七区委组织部提供的材料整理。——编者'),
        Paragraph('大会最后强调，全区党员干部要追思铭记昨天的苦难辉煌，主动扛起今天的责任担当，'
                  '奋力实现明天的梦想追求，不忘初心，牢记使命，万众一心，砥砺前行。',
                  dateline='本报郑州6月30日讯', dateline_separator=' '),
    ]
    return Article(
        name='000_f1de1b68b16b5b86', blocks=tuple(blocks),
        meta=Meta(publication='郑州日报', date=dt.date(2018, 6, 30), section='要闻',
                  keywords=('党建', '二七区')),
        contributors=writers)


def one_of_each(tmp_path: Path) -> dict[type, object]:
    """One block of every type in BLOCK_TYPES."""
    return {
        Headline: Headline((HeadlinePart(HeadlineRole.TITLE, '标题'),)),
        Byline: Byline(('记者 景静',), (Contributor('景静', title='记者'),)),
        Paragraph: Paragraph('正文段落。'),
        QAHead: QAHead(QAKind.QUESTION, '问：怎么样？'),
        Subhead: Subhead('小标题'),
        Caption: Caption('图片说明', '某某 摄'),
        EditorNote: EditorNote('编者按：说明。'),
        Figure: Figure(make_png(tmp_path / 'one.png', 40, 30), '说明', '摄影', number=1),
    }


STAMP = dt.datetime(2018, 6, 30, 8, 0, tzinfo=dt.timezone.utc)


def render(article: Article, tmp_path: Path, name: str = 'out.docx', layout=None,
           timestamp: dt.datetime = STAMP) -> Path:
    return write_file('docx', article, layout or load_layout('default'), tmp_path / name,
                      timestamp=timestamp)


def layout_of(*folders: Path) -> Layout:
    """A layout made of *folders* (most specific first) and the shipped default."""
    return Layout(name=folders[0].name, dirs=(*folders, (PACKAGE_LAYOUTS / 'default').resolve()))


def style_xml(doc, name: str):
    return doc.styles[name].element


# ---------------------------------------------------------------- styles

@pytest.fixture
def sample(tmp_path):
    path = render(sample_article(tmp_path), tmp_path)
    return path, Document(str(path))


STYLE_NAMES = ['Normal', 'Title', 'Subtitle', 'Kicker', 'Banner', 'Byline', 'Heading 1',
               'Heading 2', 'Heading 3', 'Caption', 'Editor Note']


@pytest.mark.parametrize('name', STYLE_NAMES)
def test_style_has_latin_and_east_asian_font_and_zh_cn(sample, name):
    _, doc = sample
    el = style_xml(doc, name)
    fonts = el.find(f'{W}rPr/{W}rFonts')
    assert fonts is not None, name
    for attr in ('ascii', 'hAnsi', 'eastAsia'):
        assert fonts.get(W + attr), (name, attr)
    assert not [k for k in fonts.attrib if k.endswith('Theme')]
    lang = el.find(f'{W}rPr/{W}lang')
    assert lang.get(W + 'eastAsia') == 'zh-CN'


def test_fonts_per_role(sample):
    _, doc = sample
    fam = fonts.families()
    def east_asian(name):
        return style_xml(doc, name).find(f'{W}rPr/{W}rFonts').get(W + 'eastAsia')
    assert east_asian('Normal') == fam['serif']
    assert east_asian('Title') == fam['sans-bold']
    assert doc.styles['Title'].font.bold
    assert east_asian('Byline') == fam['kai']
    assert east_asian('Caption') == fam['kai']


def test_body_style(sample):
    _, doc = sample
    normal = style_xml(doc, 'Normal')
    ind = normal.find(f'{W}pPr/{W}ind')
    assert ind.get(W + 'firstLineChars') == '200'
    assert normal.find(f'{W}pPr/{W}jc').get(W + 'val') == 'both'
    assert doc.styles['Normal'].font.size.pt == 10.5
    spacing = normal.find(f'{W}pPr/{W}spacing')
    pitch = int(spacing.get(W + 'line')) / 20
    assert 1.5 <= pitch / 10.5 <= 1.8
    # Styles derived from Normal do not inherit the body indent.
    assert style_xml(doc, 'Title').find(f'{W}pPr/{W}ind').get(W + 'firstLineChars') == '0'


def test_doc_defaults_zh_cn(sample):
    _, doc = sample
    lang = doc.styles.element.find(f'{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang')
    assert lang.get(W + 'val') == 'zh-CN' and lang.get(W + 'eastAsia') == 'zh-CN'


def test_paragraph_styles_used_per_block(sample):
    _, doc = sample
    used = [(p.style.name, p.text) for p in doc.paragraphs]
    assert ('Banner', '庆七一 颂党恩 砥砺前行') in used
    assert ('Kicker', '庆祝建党97周年，二七区总结成绩、部署工作') in used
    assert any(s == 'Title' and t.startswith('“三个一”') for s, t in used)
    assert ('Byline', '记者 景静\n通讯员 王宁 张明博/文\n胡源浩/图') in used
    assert ('Heading 1', '问：党建成绩怎么样？') in used
    assert ('Heading 2', '答：做了“三个一”') in used
    assert ('Heading 3', '会议强调') in used
    assert ('Editor Note', '编者按：本文据二七区委组织部提供的材料整理。——编者') in used
    assert ('Caption', '图为会议现场 胡源浩 摄') in used


def test_headline_parts_each_get_their_style(tmp_path):
    article = Article('x', (Headline((HeadlinePart(HeadlineRole.KICKER, '引题'),
                                      HeadlinePart(HeadlineRole.TITLE, '主题'),
                                      HeadlinePart(HeadlineRole.SUBTITLE, '——副题'))),
                            Paragraph('正文。')))
    doc = Document(str(render(article, tmp_path)))
    assert [(p.style.name, p.text) for p in doc.paragraphs] == [
        ('Kicker', '引题'), ('Title', '主题'), ('Subtitle', '——副题'), ('Normal', '正文。')]
    assert doc.core_properties.subject == '引题；——副题'
    for name in ('Kicker', 'Title', 'Subtitle', 'Heading 1', 'Heading 2', 'Heading 3'):
        assert doc.styles[name].paragraph_format.keep_with_next, name


def test_run_in_head_is_bold_then_separator_and_body(sample):
    _, doc = sample
    par = next(p for p in doc.paragraphs if p.text.startswith('一是突出标准化改造'))
    runs = par.runs
    assert runs[0].text == '一是突出标准化改造，建强基层战斗堡垒'
    assert runs[0].bold is True and runs[0].style.name == 'Run-in Head'
    assert runs[1].text == ' '
    assert runs[2].text.startswith('以构建党建标准化') and not runs[2].bold
    guessed = next(p for p in doc.paragraphs if p.text.startswith('一是形成了'))
    assert guessed.runs[0].bold and guessed.runs[1].text.startswith('二七区牢固树立')


def test_dateline_is_its_own_bold_run(sample):
    _, doc = sample
    par = next(p for p in doc.paragraphs if p.text.startswith('本报郑州'))
    assert par.runs[0].text == '本报郑州6月30日讯'
    assert par.runs[0].bold and par.runs[0].style.name == 'Dateline'
    assert par.runs[1].text == ' '


# ---------------------------------------------------------------- figures

def test_figures_have_seq_fields_alt_text_captions_and_credits(sample):
    path, doc = sample
    captions = [p for p in doc.paragraphs if p.style.name == 'Caption' and p.text.startswith('图 ')]
    assert [p.text for p in captions] == ['图 1 庆祝大会现场 胡源浩 摄',
                                          '图 2 先进基层党组织代表上台领奖 胡源浩 摄']
    for number, par in enumerate(captions, 1):
        instr = ''.join(t.text for t in par._p.iter(W + 'instrText'))
        assert instr.split() == ['SEQ', '图', '\\*', 'ARABIC']
        kinds = [c.get(W + 'fldCharType') for c in par._p.iter(W + 'fldChar')]
        assert kinds == ['begin', 'separate', 'end']
    descr = [d.get('descr') for d in doc.element.body.iter(
        '{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr')]
    assert descr == ['礼堂里的庆祝大会', '颁奖']
    # The picture sits right before its caption and fits the text column.
    section = doc.sections[0]
    column = section.page_width - section.left_margin - section.right_margin
    assert len(doc.inline_shapes) == 2
    for shape in doc.inline_shapes:
        assert 0 < shape.width <= column
    assert doc.inline_shapes[0].width == column
    with zipfile.ZipFile(path) as z:
        media = [n for n in z.namelist() if n.startswith('word/media/')]
    assert len(media) == 2


def test_figure_numbers_out_of_sequence_restart_the_seq_field(tmp_path):
    png = make_png(tmp_path / 'p.png', 40, 30)
    article = Article('x', (Figure(png, '甲', number=3), Figure(png, '乙', number=4),
                            Figure(png, '丙')))
    doc = Document(str(render(article, tmp_path)))
    caps = [p for p in doc.paragraphs if p.style.name == 'Caption']
    assert [p.text for p in caps] == ['图 3 甲', '图 4 乙', '图 5 丙']
    instr = [''.join(t.text for t in p._p.iter(W + 'instrText')).split() for p in caps]
    assert instr == [['SEQ', '图', '\\*', 'ARABIC', '\\r', '3'],
                     ['SEQ', '图', '\\*', 'ARABIC'], ['SEQ', '图', '\\*', 'ARABIC']]


def test_missing_picture_is_a_render_error(tmp_path):
    article = Article('x', (Figure(tmp_path / 'nope.png', '说明', number=1),))
    with pytest.raises(RenderError, match='not found'):
        render(article, tmp_path)


def test_not_a_picture_is_a_render_error(tmp_path):
    bad = tmp_path / 'bad.png'
    bad.write_text('not a picture')
    with pytest.raises(RenderError):
        render(Article('x', (Figure(bad, '说明', number=1),)), tmp_path)


# ---------------------------------------------------------------- page

def test_page_header_and_footer(sample):
    _, doc = sample
    s = doc.sections[0]
    assert round(s.page_width.cm, 1) == 21.0 and round(s.page_height.cm, 1) == 29.7
    assert round(s.top_margin.cm, 1) == 2.5 and round(s.left_margin.cm, 1) == 2.2
    assert s.header.paragraphs[0].text == '郑州日报 · 2018年6月30日'
    instr = ''.join(t.text for t in s.footer._element.iter(W + 'instrText'))
    assert 'PAGE' in instr


def test_no_header_text_without_publication_and_date(tmp_path):
    doc = Document(str(render(Article('x', (Paragraph('正文。'),)), tmp_path)))
    assert ''.join(p.text for p in doc.sections[0].header.paragraphs) == ''


# ---------------------------------------------------------------- metadata

def test_core_properties_from_the_article(sample):
    path, doc = sample
    cp = doc.core_properties
    assert cp.title == '“三个一”构建党建大格局，“五个突出”持续深化“基层党建全面提升年”行动'
    assert cp.author == '景静；王宁；张明博；胡源浩'
    assert cp.language == 'zh-CN'
    assert cp.subject == '庆祝建党97周年，二七区总结成绩、部署工作'
    assert cp.keywords == '党建; 二七区'
    assert cp.created == dt.datetime(2018, 6, 30, 8, 0, tzinfo=dt.timezone.utc)
    assert cp.modified == dt.datetime(2018, 6, 30, 8, 0, tzinfo=dt.timezone.utc)
    assert cp.revision == 1
    assert cp.last_modified_by == '郑州日报'
    assert cp.comments == ''
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        everything = b''.join(z.read(n) for n in names)
        app = z.read('docProps/app.xml').decode()
        core = z.read('docProps/core.xml').decode()
        settings = z.read('word/settings.xml').decode()
    assert b'python-docx' not in everything
    assert b'2013-' not in everything
    assert 'Microsoft Macintosh Word' not in app and '<Application>publish</Application>' in app
    assert '<Pages>' not in app and '<Words>' not in app
    assert 'description' not in core
    assert 'docProps/thumbnail.jpeg' not in names
    assert not [n for n in names if n.startswith('customXml/')]
    assert 'word/stylesWithEffects.xml' not in names
    assert 'w:rsids' not in settings and 'ja-JP' not in settings
    assert names[0] == '[Content_Types].xml'
    for info in zipfile.ZipFile(path).infolist():
        assert info.date_time == (2018, 6, 30, 8, 0, 0)


ENGLISH_PARAGRAPHS = (
    'The city opened its new public library on Monday in the restored halls of the old textile '
    'mill on the river bank, after three years of work by local builders and volunteers. ' * 3)


def test_core_properties_longer_than_word_allows_are_cut_with_an_ellipsis(tmp_path):
    # an English article whose text the normalizer took for a subtitle
    long = 'By Staff Reporter ' + ENGLISH_PARAGRAPHS
    article = Article('english', (
        Headline((HeadlinePart(HeadlineRole.TITLE, 'Library ' * 40),
                  HeadlinePart(HeadlineRole.SUBTITLE, long))),
        Paragraph('The library holds more than 200,000 books.')),
        meta=Meta(publication='The Riverside Weekly ' * 15, section='Culture ' * 40,
                  keywords=tuple(f'keyword{i}' for i in range(40)), language='en'),
        contributors=tuple(Contributor(f'Reporter Number {i}', Role.WRITER) for i in range(20)))
    cp = Document(str(render(article, tmp_path))).core_properties
    for value, whole in [(cp.title, article.title), (cp.subject, long), (cp.category, article.meta.section),
                         (cp.last_modified_by, article.meta.publication),
                         (cp.keywords, '; '.join(article.meta.keywords)),
                         (cp.author, '；'.join(c.name for c in article.contributors))]:
        assert docx_render.CORE_PROPERTY_LIMIT - 1 <= len(value) <= docx_render.CORE_PROPERTY_LIMIT, value
        assert value.endswith('…') and whole.startswith(value[:-1]), value
    assert cp.language == 'en'


def test_dates_are_the_edition_timestamp(tmp_path):
    doc = Document(str(render(Article('x', (Paragraph('正文。'),)), tmp_path,
                              timestamp=timestamps.FIXED_EPOCH)))
    assert doc.core_properties.created == dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)
    assert doc.core_properties.title == 'x'
    dated = Article('x', (Paragraph('正文。'),), meta=Meta(date=dt.date(2020, 2, 3)))
    doc = Document(str(render(dated, tmp_path, 'dated.docx',
                              timestamp=dt.datetime(2020, 2, 3, 8, tzinfo=dt.timezone(dt.timedelta(hours=8))))))
    assert doc.core_properties.modified == dt.datetime(2020, 2, 3, tzinfo=dt.timezone.utc)


# ---------------------------------------------------------------- determinism

def test_byte_identical_on_two_renders(tmp_path):
    article = sample_article(tmp_path)
    first = render(article, tmp_path, 'a.docx').read_bytes()
    second = render(article, tmp_path, 'b.docx').read_bytes()
    assert first == second


def test_same_bytes_wherever_the_pictures_live(tmp_path):
    (tmp_path / 'one').mkdir()
    (tmp_path / 'two').mkdir()
    first = render(sample_article(tmp_path / 'one'), tmp_path, 'a.docx').read_bytes()
    second = render(sample_article(tmp_path / 'two'), tmp_path, 'b.docx').read_bytes()
    assert first == second


# ---------------------------------------------------------------- text

@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=40))
def test_any_text_gives_a_valid_document(tmp_path, text):
    path = render(Article('x', (Headline((HeadlinePart(HeadlineRole.TITLE, text),)),
                                Paragraph(text))), tmp_path)
    doc = Document(str(path))
    assert doc.paragraphs[0].text == docx_render.clean_text(text)
    assert doc.paragraphs[1].text == docx_render.clean_text(text).strip('\n')

def test_markup_looking_text_stays_literal(tmp_path):
    text = '<script>alert(1)</script> {{ 7*7 }} {% if %} A&B &amp; ]]> "引号"'
    doc = Document(str(render(Article('x', (Paragraph(text),)), tmp_path)))
    assert doc.paragraphs[0].text == text


def test_control_characters_are_removed_tab_and_newline_kept(tmp_path):
    text = 'a\x00b\x01c\x0bd\x1fe\tf\ng\r\nh\ri\ufffej'
    doc = Document(str(render(Article('x', (Paragraph(text),)), tmp_path)))
    assert doc.paragraphs[0].text == 'abcde\tf\ng\nh\nij'
    assert docx_render.clean_text('\x07铃') == '铃'


def test_line_breaks_do_not_stretch_justified_lines(tmp_path):
    path = render(Article('x', (Paragraph('第一行\n第二行\n'),)), tmp_path)
    doc = Document(str(path))
    assert doc.paragraphs[0].text == '第一行\n第二行'
    compat = doc.settings.element.find(qn('w:compat'))
    assert compat[0].tag == qn('w:doNotExpandShiftReturn')


# ---------------------------------------------------------------- block types

@pytest.mark.parametrize('block_type', BLOCK_TYPES, ids=lambda t: t.__name__)
def test_every_block_type_renders(tmp_path, block_type):
    block = one_of_each(tmp_path)[block_type]
    doc = Document(str(render(Article('x', (block,)), tmp_path)))
    text = re.sub(r'\s', '', '\n'.join(p.text for p in doc.paragraphs))
    assert re.sub(r'\s', '', block_text(block)) in text


def test_one_of_each_covers_the_model(tmp_path):
    assert set(one_of_each(tmp_path)) == set(BLOCK_TYPES)


def test_empty_article_still_has_a_paragraph(tmp_path):
    doc = Document(str(render(Article('empty', ()), tmp_path)))
    assert len(doc.paragraphs) == 1 and doc.core_properties.title == 'empty'


def test_unknown_block_type_fails_loudly(tmp_path):
    class Table:
        text = 'cell'
    with pytest.raises(TypeError, match='unknown block type Table'):
        render(Article('x', (Paragraph('前文。'), Table())), tmp_path)


# ---------------------------------------------------------------- layout

def test_layout_docx_yaml_drives_styles(tmp_path):
    folder = tmp_path / 'mylayout'
    folder.mkdir()
    (folder / 'docx.yaml').write_text(
        'styles:\n  Normal:\n    size: 12\n  Title:\n    font: kai\n'
        'page:\n  left_cm: 3.0\n', encoding='utf-8')

    doc = Document(str(render(Article('x', (Paragraph('正文。'),)), tmp_path, layout=layout_of(folder))))
    assert doc.styles['Normal'].font.size.pt == 12
    rfonts = style_xml(doc, 'Title').find(f'{W}rPr/{W}rFonts')
    assert rfonts.get(W + 'eastAsia') == fonts.families()['kai']
    assert round(doc.sections[0].left_margin.cm, 1) == 3.0


def test_layout_folders_most_specific_wins(tmp_path):
    project, shipped = tmp_path / 'project', tmp_path / 'shipped'
    project.mkdir()
    shipped.mkdir()
    (shipped / 'docx.yaml').write_text('styles:\n  Normal:\n    size: 11\n  Title:\n    size: 30\n',
                                       encoding='utf-8')
    (project / 'docx.yaml').write_text('styles:\n  Normal:\n    size: 12\n', encoding='utf-8')

    style_map = docx_render.load_style_map(layout_of(project, shipped))
    assert style_map['styles']['Normal']['size'] == 12
    assert style_map['styles']['Title']['size'] == 30


@pytest.mark.parametrize('yaml_text, complaint', [
    ('styles:\n  Normal:\n    sise: 12\n', 'sise'),
    ('styles:\n  Normal:\n    size: big\n', 'styles.Normal.size must be a number'),
    ('styles:\n  Title:\n    align: middle\n', 'styles.Title.align'),
    ('page:\n  left_cm: -1\n', 'page.left_cm'),
    ('stiles: {}\n', 'stiles'),
    ('styles: [\n', 'cannot read'),
])
def test_broken_layout_names_the_file(tmp_path, yaml_text, complaint):
    folder = tmp_path / 'broken'
    folder.mkdir()
    (folder / 'docx.yaml').write_text(yaml_text, encoding='utf-8')
    with pytest.raises(LayoutError) as info:
        render(Article('x', (Paragraph('正文。'),)), tmp_path, layout=layout_of(folder))
    assert complaint in str(info.value) and 'docx.yaml' in str(info.value)


def test_shipped_default_style_map_loads():
    style_map = docx_render.load_style_map(load_layout('default'))
    assert set(style_map['styles']) >= {'Normal', 'Title', 'Caption', 'Editor Note'}


# ---------------------------------------------------------------- LibreOffice round trip

SOFFICE = shutil.which('soffice') or shutil.which('libreoffice')
PDFTOTEXT = shutil.which('pdftotext')


REPO = Path(__file__).resolve().parents[1]

FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>{fonts}</dir>
  <cachedir>{cache}</cachedir>
  <alias binding="same"><family>Noto Serif SC</family>
    <accept><family>Noto Serif CJK SC</family></accept></alias>
  <alias binding="same"><family>Noto Sans SC</family>
    <accept><family>Noto Sans CJK SC</family></accept></alias>
</fontconfig>
"""


def docx_to_pdf(docx: Path, workdir: Path) -> Path:
    """Convert with LibreOffice headless using a private profile (works as root, in parallel).

    Fontconfig also sees the project's fonts/ folder, and falls back from the
    Noto SC families to the Noto CJK SC families many systems install.
    """
    profile = workdir / 'lo-profile'
    outdir = workdir / 'pdf'
    fc = workdir / 'fonts.conf'
    fc.write_text(FONTCONFIG.format(fonts=REPO / 'fonts', cache=workdir / 'fc-cache'),
                  encoding='utf-8')
    env = dict(os.environ, HOME=str(workdir), FONTCONFIG_FILE=str(fc))
    subprocess.run(
        [SOFFICE, f'-env:UserInstallation={profile.as_uri()}', '--headless', '--norestore',
         '--convert-to', 'pdf', '--outdir', str(outdir), str(docx)],
        check=True, capture_output=True, timeout=180, env=env)
    pdf = outdir / (docx.stem + '.pdf')
    assert pdf.is_file(), f'LibreOffice produced no PDF for {docx}'
    return pdf


def test_libreoffice_round_trip_keeps_every_block_in_order(tmp_path):
    assert SOFFICE and PDFTOTEXT and shutil.which('pdffonts'), \
        'LibreOffice and poppler come with scripts/setup.sh --test'
    article = sample_article(tmp_path)
    pdf = docx_to_pdf(render(article, tmp_path), tmp_path)
    text = subprocess.run([PDFTOTEXT, '-enc', 'UTF-8', str(pdf), '-'], check=True,
                          capture_output=True).stdout.decode('utf-8')
    # Drop the running header and the page numbers between pages.
    lines = [ln for ln in text.splitlines()
             if re.sub(r'\s', '', ln) != '郑州日报·2018年6月30日'
             and not re.fullmatch(r'\s*—\s*\d+\s*—\s*', ln)]
    flat = re.sub(r'\s', '', '\n'.join(lines))
    position = 0
    for block in article.blocks:
        wanted = re.sub(r'\s', '', block_text(block))
        found = flat.find(wanted, position)
        assert found >= 0, f'{type(block).__name__} missing or out of order: {wanted[:30]}…'
        position = found + len(wanted)
    assert '图1庆祝大会现场' in flat and '图2先进基层党组织代表上台领奖' in flat
    # Every font LibreOffice used is one of the edition's fonts (no fallback).
    fonts = subprocess.run(['pdffonts', str(pdf)], check=True, capture_output=True,
                           text=True).stdout.splitlines()[2:]
    names = [line.split()[0].split('+')[-1] for line in fonts if line.strip()]
    assert names and all(re.match(r'(NotoSerifCJK|NotoSansCJK|LXGWWenKai)', n) for n in names), names
    # Numbers are not split across lines (LibreOffice does that to Latin text tagged zh-CN).
    assert not re.search(r'\d\n\d', text)
