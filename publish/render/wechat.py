"""The WeChat edition: ``NAME.wechat.html`` to paste into the WeChat
official-account editor, its pictures in ``NAME.wechat/``.

``write(article, layout, options, out_dir) -> [out_dir/NAME.wechat.html, …]``

The editor keeps inline styles only: a pasted page loses its ``<style>``,
classes, ids, scripts and in-page links.  So the article is made from the
shared ``article.html`` with the layout's ``wechat.css`` inlined into every
element (by ``css-inline``), and then only what the editor keeps is left:

* the tags of :data:`TAGS` (the body's ``article``, ``div``, ``figure`` …
  become ``section``, ``figcaption`` becomes ``p``, the editor's note a
  ``blockquote``); another tag is an error;
* the ``style`` attribute, and ``src``/``alt`` on pictures; no class, id,
  script, style element or link;
* the style properties of :data:`PROPERTIES`, without CSS variables: a
  layout that needs another one is an error naming it.

The page around the article (``<html>``, ``<head>`` with the character set
and title, ``<body>``) is not pasted; everything inside ``<body>`` is.
``NAME.wechat/`` holds the pictures (figure-01.png …), which the editor
cannot take from a paste and which are uploaded by hand, and
``upload-list.txt`` listing them.  The API's limits (content under 20,000
characters and 1 MB; the editor's title of 64 characters, author of 8 and
digest of 120) are checked, each exceeded limit a warning of the build.
"""
from __future__ import annotations

import re
import warnings
from html import escape
from html.parser import HTMLParser
from pathlib import Path

from publish import fonts as _fonts
from publish.errors import EditionWarning, LayoutError, RenderError
from publish.model import Figure, Role
from publish.render._resources import copy_figures
from publish.render.html_body import body_html

STYLESHEET = 'wechat.css'
IMAGE_TYPES = {'.png', '.jpg', '.jpeg', '.gif'}
#: The tags the editor keeps.
TAGS = frozenset({'section', 'p', 'span', 'strong', 'em', 'br', 'img', 'h1', 'h2', 'h3', 'blockquote'})
#: Tags of the shared body template and what they become.
RENAMED = {'article': 'section', 'div': 'section', 'main': 'section', 'header': 'section',
           'address': 'section', 'figure': 'section', 'aside': 'blockquote', 'figcaption': 'p',
           'small': 'span', 'time': 'span', 'b': 'strong', 'i': 'em'}
#: Attributes kept, by tag ('*': every tag).
ATTRIBUTES = {'*': frozenset({'style'}), 'img': frozenset({'style', 'src', 'alt'})}
#: The style properties the editor keeps and that need nothing around them.
PROPERTIES = frozenset({
    'color', 'background-color', 'font-size', 'font-weight', 'font-style', 'font-family',
    'line-height', 'letter-spacing', 'text-align', 'text-indent', 'text-decoration',
    'margin', 'margin-top', 'margin-right', 'margin-bottom', 'margin-left',
    'padding', 'padding-top', 'padding-right', 'padding-bottom', 'padding-left',
    'border', 'border-top', 'border-right', 'border-bottom', 'border-left', 'border-radius',
    'display', 'width', 'max-width', 'height', 'word-break', 'overflow-wrap', 'white-space',
})
#: Limits of the official-account API (content) and editor (title, author, digest).
MAX_CONTENT_CHARS = 20_000
MAX_CONTENT_BYTES = 1_000_000
MAX_TITLE = 64
MAX_AUTHOR = 8
MAX_DIGEST = 120


def write(article, layout, options, out_dir: Path) -> list[Path]:
    """Write ``NAME.wechat.html`` and ``NAME.wechat/`` into *out_dir*; return every file written."""
    _fonts.check_coverage(article)
    out_dir = Path(out_dir)
    page = out_dir / f'{article.name}.wechat.html'
    folder = out_dir / f'{article.name}.wechat'
    written: list[Path] = []
    pictures = _copy_pictures(article, layout, folder, written)

    names = iter(pictures)
    html = body_html(article, layout, target='wechat', timestamp=options.timestamp,
                     image_url=lambda fig: f'{folder.name}/{next(names)}')
    content = wechat_content(html, layout.read_text(STYLESHEET), layout.find(STYLESHEET))
    page.write_text(_page(article, content), encoding='utf-8')
    written.append(page)

    problems = limit_problems(article, content)
    for en, zh in problems:
        warnings.warn(EditionWarning(en, zh, page))
    folder.mkdir(exist_ok=True)
    (folder / 'upload-list.txt').write_text(_upload_list(article, pictures, problems), encoding='utf-8')
    written.append(folder / 'upload-list.txt')
    return written


# ---------------------------------------------------------------- pictures

def _copy_pictures(article, layout, folder: Path, written: list[Path]) -> list[str]:
    """Copy the figures into *folder* as figure-01.png …; their names, in order."""
    copies = copy_figures(article, layout, folder, IMAGE_TYPES, 'WeChat takes PNG, JPEG or GIF')
    written.extend(copies)
    return [c.name for c in copies]


# ---------------------------------------------------------------- the content

def wechat_content(html: str, css: str, css_path: Path) -> str:
    """The body of the shared template's page with *css* inlined and only
    what the editor keeps left of it."""
    import css_inline

    _check_stylesheet(css, css_path)
    body = re.search(r'(?s)<body[^>]*>(.*)</body>', html)
    inliner = css_inline.CSSInliner(load_remote_stylesheets=False, keep_style_tags=False,
                                    keep_link_tags=False, keep_at_rules=False)
    inlined = inliner.inline_fragment(body.group(1) if body else html, css)
    return _Keeper(css_path).run(inlined)


def _check_stylesheet(css: str, css_path: Path) -> None:
    text = re.sub(r'(?s)/\*.*?\*/', '', css)
    if 'var(' in text or re.search(r'(?:^|[{;\s])--[\w-]+\s*:', text):
        raise LayoutError('the WeChat editor drops CSS variables: write the values out', css_path)
    if '@' in text:
        raise LayoutError('the WeChat editor keeps inline styles only: no @media, @font-face '
                          'or other at-rule can reach it', css_path)
    declarations = ';'.join(re.findall(r'\{([^{}]*)\}', text))
    for prop in (d.partition(':')[0].strip() for d in declarations.split(';') if d.strip()):
        if prop.lower() not in PROPERTIES:
            raise LayoutError(f'the style property {prop} is not one the WeChat editor keeps '
                              f'(use {", ".join(sorted(PROPERTIES))})', css_path)


def _style(value: str, css_path: Path) -> str:
    """An inlined style, checked and written compactly."""
    out = []
    for decl in value.split(';'):
        if not decl.strip():
            continue
        prop, _, val = decl.partition(':')
        prop, val = prop.strip().lower(), ' '.join(val.split())
        if prop not in PROPERTIES or 'var(' in val:
            raise LayoutError(f'the style {prop}: {val} cannot reach the WeChat editor', css_path)
        out.append(f'{prop}:{val}')
    return ';'.join(out)


class _Keeper(HTMLParser):
    """Writes the inlined HTML again with only the tags, attributes and
    styles the editor keeps."""

    VOID = {'br', 'img'}

    def __init__(self, css_path: Path):
        super().__init__(convert_charrefs=True)
        self.css_path = css_path
        self.out: list[str] = []
        self.stack: list[str] = []

    def run(self, html: str) -> str:
        self.feed(html)
        self.close()
        return ''.join(self.out).strip() + '\n'

    def _tag(self, tag: str) -> str:
        tag = RENAMED.get(tag, tag)
        if tag not in TAGS:
            raise LayoutError(f'the WeChat edition got a <{tag}> element, which the editor drops',
                              self.css_path.parent / 'article.html')
        return tag

    def handle_starttag(self, tag, attrs):
        name = self._tag(tag)
        kept = ATTRIBUTES.get(name, ATTRIBUTES['*'])
        parts = [name]
        for key, value in attrs:
            if key not in kept or value is None:
                continue
            if key == 'style':
                value = _style(value, self.css_path)
                if not value:
                    continue
            if key == 'src' and (value.startswith('#') or ':' in value.split('/')[0]):
                raise RenderError(f'a picture of the WeChat edition points at {value}')
            parts.append(f'{key}="{escape(value, quote=True)}"')
        self.out.append('<' + ' '.join(parts) + '>')
        if name not in self.VOID:
            self.stack.append(name)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if RENAMED.get(tag, tag) not in self.VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        name = RENAMED.get(tag, tag)
        if name in self.VOID:
            return
        if self.stack and self.stack[-1] == name:
            self.stack.pop()
            self.out.append(f'</{name}>')

    def handle_data(self, data):
        self.out.append(escape(data, quote=False))


def _page(article, content: str) -> str:
    lang = escape(article.meta.language or 'zh-CN')
    return ('<!DOCTYPE html>\n'
            f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<title>{escape(article.title)}</title>\n</head>\n<body>\n'
            f'{content}</body>\n</html>\n')


# ---------------------------------------------------------------- limits

def wechat_author(article) -> str:
    return '、'.join(c.name for c in article.contributors if c.role is Role.WRITER)


def limit_problems(article, content: str) -> list[tuple[str, str]]:
    """Each limit of the API or the editor that the article exceeds: (English, Chinese)."""
    out = []
    chars, size = len(content), len(content.encode('utf-8'))
    if chars >= MAX_CONTENT_CHARS:
        out.append((f'the WeChat content is {chars} characters; the API takes fewer than '
                    f'{MAX_CONTENT_CHARS}: publish the article in two parts',
                    f'微信正文有 {chars} 个字符，接口要求少于 {MAX_CONTENT_CHARS} 个：请分两篇发布'))
    if size >= MAX_CONTENT_BYTES:
        out.append((f'the WeChat content is {size} bytes; the API takes less than 1 MB',
                    f'微信正文有 {size} 字节，接口要求小于 1 MB'))
    if len(article.title) > MAX_TITLE:
        out.append((f'the title has {len(article.title)} characters; the WeChat editor takes {MAX_TITLE}',
                    f'标题有 {len(article.title)} 个字，微信编辑器最多 {MAX_TITLE} 个'))
    author = wechat_author(article)
    if len(author) > MAX_AUTHOR:
        out.append((f'the author "{author}" has {len(author)} characters; the WeChat editor takes '
                    f'{MAX_AUTHOR}: shorten it when pasting',
                    f'作者“{author}”有 {len(author)} 个字，微信编辑器最多 {MAX_AUTHOR} 个：粘贴时请删减'))
    digest = article.kicker or article.subtitle
    if len(digest) > MAX_DIGEST:
        out.append((f'the digest (kicker) has {len(digest)} characters; the WeChat editor takes {MAX_DIGEST}',
                    f'摘要（引题）有 {len(digest)} 个字，微信编辑器最多 {MAX_DIGEST} 个'))
    return out


def _upload_list(article, pictures: list[str], problems: list[tuple[str, str]]) -> str:
    lines = [f'{article.name}.wechat.html — 微信公众号版 (WeChat edition)', '',
             f'标题 (title): {article.title}',
             f'作者 (author): {wechat_author(article)}',
             f'摘要 (digest): {article.kicker or article.subtitle}', '']
    figures = [b for b in article.blocks if isinstance(b, Figure)]
    if pictures:
        lines.append('上传这些图片，替换正文中对应的图片 (upload these pictures, in this order):')
        for name, fig in zip(pictures, figures):
            lines.append(f'  {name}  {fig.caption} {fig.credit}'.rstrip())
    else:
        lines.append('没有图片 (no pictures)')
    lines.append('')
    if problems:
        lines.append('超出限制 (over the limits):')
        lines += [f'  {zh} ({en})' for en, zh in problems]
    else:
        lines.append('正文、标题、作者和摘要都在微信的限制之内 (within the limits of WeChat)')
    return '\n'.join(lines) + '\n'
