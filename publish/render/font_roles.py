"""Which text of an article each shipped font sets, as the layout says
(``fonts.yaml``): the HTML-based editions that embed fonts (EPUB, web page)
embed each one cut down to that text (:func:`role_subsets`)."""
from __future__ import annotations

from publish import fonts as _fonts
from publish.errors import LayoutError
from publish.model import BlockVisitor, block_text
from publish.render.html_body import running_header
from publish.yamlio import safe_load

FONT_ROLES_FILE = 'fonts.yaml'
#: The parts of an article a layout assigns a font role to.
PARTS = ('running_header', 'banner', 'kicker', 'title', 'subtitle', 'byline', 'body',
         'dateline', 'run_in', 'qa', 'subhead', 'caption', 'editor_note', 'figure_caption')


def part_roles(layout) -> dict[str, str]:
    """Part → font role, from the layout's ``fonts.yaml``; every part must
    be named, with a role of :data:`publish.fonts.ROLES`."""
    import yaml

    path = layout.find(FONT_ROLES_FILE)
    try:
        data = safe_load(layout.read_text(FONT_ROLES_FILE))
    except yaml.YAMLError as exc:
        mark = getattr(exc, 'problem_mark', None)
        raise LayoutError(f'{FONT_ROLES_FILE} is not valid YAML: {getattr(exc, "problem", exc)}',
                          path, mark.line + 1 if mark else None) from None
    if not isinstance(data, dict):
        raise LayoutError(f'{FONT_ROLES_FILE} must map parts of the article to font roles', path)
    unknown = sorted(set(data) - set(PARTS))
    if unknown:
        raise LayoutError(f'{FONT_ROLES_FILE}: unknown part {unknown[0]!r} (known: {", ".join(PARTS)})', path)
    missing = [p for p in PARTS if p not in data]
    if missing:
        raise LayoutError(f'{FONT_ROLES_FILE} gives no font role for {", ".join(missing)}', path)
    for part, role in data.items():
        if role not in _fonts.ROLES:
            raise LayoutError(f'{FONT_ROLES_FILE}: {part}: unknown font role {role!r} '
                              f'(known: {", ".join(_fonts.ROLES)})', path)
    return dict(data)


class _PartTexts(BlockVisitor):
    """Appends (part, text) pairs for each block to a list."""

    where = 'font roles'

    def headline(self, block, out):
        for p in block.parts:
            out.append((p.role.value, p.text))

    def byline(self, block, out):
        out.extend(('byline', line) for line in block.lines)

    def paragraph(self, block, out):
        out.append(('body', block.text + block.dateline_separator
                    + (block.run_in.separator if block.run_in else '')))
        out.append(('dateline', block.dateline))
        out.append(('run_in', block.run_in.text if block.run_in else ''))

    def qa_head(self, block, out):
        out.append(('qa', block.text))

    def subhead(self, block, out):
        out.append(('subhead', block.text))

    def caption(self, block, out):
        out.append(('caption', block_text(block)))

    def editor_note(self, block, out):
        out.append(('editor_note', block.text))

    def figure(self, block, out):
        out.append(('figure_caption', block.caption + ' ' + block.credit))


def role_texts(article, layout) -> dict[str, str]:
    """Font role → the text set in it, for every role the layout uses."""
    roles = part_roles(layout)
    parts: list[tuple[str, str]] = [('running_header', running_header(article.meta))]
    walker = _PartTexts()
    for block in article.blocks:
        walker.visit(block, parts)
    out: dict[str, list[str]] = {role: [] for role in dict.fromkeys(roles.values())}
    for part, text in parts:
        out[roles[part]].append(text)
    return {role: ''.join(texts) for role, texts in out.items()}


def role_subsets(article, layout) -> dict[str, tuple[_fonts.FontFace, bytes]]:
    """Font role → (face, the face cut down to what it sets), for every role
    the layout sets text in, and for the fallback face (emoji) when some
    character only it has.  Characters the serif lacks fall back to the next
    family of every stack, so each text font also gets those it has."""
    texts = role_texts(article, layout)
    everything = _fonts.used_chars(article)
    serif_cmap = _fonts.cmap('serif')
    fallback = ''.join(c for c in everything if ord(c) not in serif_cmap)
    out = {}
    for role, text in texts.items():
        if not text.strip() and role != 'serif':
            continue
        face = _fonts.face(role)
        out[role] = (face, _fonts.subset(face, text + fallback + '0123456789'))
    only_fallback = _fonts.fallback_chars(everything)
    if only_fallback:
        face = _fonts.face(_fonts.FALLBACK_ROLE)
        out[face.role] = (face, _fonts.subset(face, only_fallback))
    return out
