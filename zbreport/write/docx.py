"""The Word writer: the assembled Document into the template's Word package.

Everything is written with the template's named styles, so editors can restyle the report in
Word; raw XML lives in `ooxml.py`. The writer reads the Document alone: it evaluates nothing.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator

from ..document import Document, DocumentBlock, DocumentSection, OfficialTable
from ..model import (
    BlockQuote,
    Code,
    CodeBlock,
    Container,
    Emph,
    GridTable,
    Heading,
    Image,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    Note,
    PageBreak,
    Paragraph,
    Placeholder,
    Strikeout,
    Strong,
    Subscript,
    Superscript,
    Text,
    Underline,
    inline_text,
)
from ..read.placeholders import find_placeholders
from . import ooxml
from .ooxml import qn
from .package import WordDocument

if TYPE_CHECKING:
    from ..read.template import Template

MARKER = re.compile(r"^\s*\{\{\s*(?:body|正文)\s*\}\}\s*$")  # where the report goes in a template

# The style names the writer applies; a template lacking one borrows it from ours.
TITLE = "Title"
BODY = "Body Text"
HEADINGS = {level: f"Heading {level}" for level in (1, 2, 3, 4)}
RUN_IN_HEADINGS = {level: f"Heading {level} Char" for level in (1, 2, 3, 4)}
LIST_ITEM = "List Paragraph"
STRONG = "Strong"
EMPHASIS = "Emphasis"
TABLE = "Report Table"
TABLE_TEXT = "Table Text"
TABLE_HEADING = "Table Heading"
TABLE_LABEL = "Table Label"
REQUIRED_STYLES = (
    (TITLE, BODY, LIST_ITEM, STRONG, EMPHASIS, TABLE, TABLE_TEXT, TABLE_HEADING, TABLE_LABEL)
    + tuple(HEADINGS.values())
    + tuple(RUN_IN_HEADINGS.values())
)
# Styles for what fewer reports hold. A template lacking one borrows ours without a warning, as
# Word itself adds its built-in Hyperlink or footnote styles to a document only when first used.
HYPERLINK = "Hyperlink"
FOOTNOTE_TEXT = "footnote text"  # Word's own names: a note an editor adds in Word takes these
FOOTNOTE_REFERENCE = "footnote reference"
QUOTE = "Quote"
SOURCE_CODE = "Source Code"
VERBATIM = "Verbatim Char"
FIGURE = "Figure"
SUPPORT_STYLES = (HYPERLINK, FOOTNOTE_TEXT, FOOTNOTE_REFERENCE, QUOTE, SOURCE_CODE, VERBATIM, FIGURE)


def styles_to_borrow(present: set[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The styles a template with these style names lacks: (required ones, warned about; support
    ones, borrowed quietly). A run-in heading style is not lacking while its heading is there:
    the writer derives it from the template's own heading (see `_run_in_styles`)."""
    headings_of = {run_in: HEADINGS[level] for level, run_in in RUN_IN_HEADINGS.items()}
    required = tuple(
        name for name in REQUIRED_STYLES if name not in present and not (name in headings_of and headings_of[name] in present)
    )
    return required, tuple(name for name in SUPPORT_STYLES if name not in present)


_ROLE_STYLES = {"corner": TABLE_LABEL, "header": TABLE_HEADING, "caption": TABLE_HEADING, "label": TABLE_LABEL}

# Lists are numbered by Word (numbering.xml), in the 公文 sequence of levels: 1. then （1） then ①,
# every level at the body's two-character first-line indent, the text right after the number.
_ORDERED_FORMS = (("decimal", "%{n}."), ("decimal", "（%{n}）"), ("decimalEnclosedCircle", "%{n}"))
ORDERED_LEVELS = tuple(
    ooxml.ListLevel(_ORDERED_FORMS[i % 3][0], _ORDERED_FORMS[i % 3][1].format(n=i + 1)) for i in range(9)
)
BULLET_LEVELS = tuple(ooxml.ListLevel("bullet", "●○■"[i % 3], "space", east_asian=True) for i in range(9))
_INDENT_CHARS, _INDENT_TWIPS = 200, 640  # two characters of 3号 (16 pt) text

# Text that wants the East-Asian font for the characters Chinese shares with Latin text: any CJK
# character, or one of those shared marks (a run may hold only the “ of “**重点**”). Code point
# ranges, first to last, in order: as a regular expression's class, Python 3.11 took 2-3 ms of
# every build to compile them (it visits each of the 43,000 code points).
_EAST_ASIAN = (
    (0x00A7, 0x00A7), (0x00B0, 0x00B0), (0x00B7, 0x00B7), (0x00D7, 0x00D7), (0x00F7, 0x00F7),  # § ° · × ÷
    (0x2010, 0x2015), (0x2018, 0x2019), (0x201C, 0x201D), (0x2025, 0x2026),  # ‐–— ‘’ “” ‥…
    (0x2030, 0x2030), (0x203B, 0x203B), (0x2103, 0x2103), (0x2116, 0x2116),  # ‰ ※ ℃ №
    (0x2160, 0x217F), (0x2460, 0x24FF), (0x2500, 0x27BF),  # Ⅰ… ①… box drawing … dingbats
    (0x2E80, 0xA4CF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF),  # CJK radicals … Yi, Hangul, compatibility ideographs
    (0xFE30, 0xFE4F), (0xFF00, 0xFFEF), (0x20000, 0x3FFFF),  # vertical forms, full-width forms, ideographs beyond
)
_EAST_ASIAN_FIRSTS = tuple(first for first, _ in _EAST_ASIAN)


def wants_east_asian_font(text: str) -> bool:
    if text.isascii():
        return False
    for char in text:
        code = ord(char)
        index = bisect_right(_EAST_ASIAN_FIRSTS, code) - 1
        if index >= 0 and code <= _EAST_ASIAN[index][1]:
            return True
    return False


# The width the official tables were designed for: the GB/T 9704 text block.
DESIGN_WIDTH_MM = 156.0


def render_docx(document: Document, template: Template) -> WordDocument:
    """The report inside the template: at its `{{ body }}` marker, or after its content.

    The template's own placeholders are filled first, so nothing the report says is read as one.
    The template's package is written into: a template is loaded for one report.
    """
    docx = template.document
    borrowed = template.missing_styles + template.support_styles
    if borrowed and template.fallback is not None:
        ooxml.copy_styles(template.fallback, docx, list(borrowed))
    _fill_template_text(docx, document.template_values)
    body = docx.body
    before = set(body)
    writer = _Writer(docx, _run_in_styles(docx))
    writer.front_matter(document)
    for section in document.sections:
        writer.section(section)
    if template.marker is not None:
        marker = template.marker
        for element in [c for c in body if c not in before and c.tag != qn("w:sectPr")]:
            marker.addprevious(element)
        if ooxml.carries_section_break(marker):
            ooxml.remove_runs(marker)  # the marker's paragraph ends the template's cover section
        else:
            body.remove(marker)
    props = ooxml.core_properties(docx)
    ooxml.set_core_text(props, "dc:title", ooxml.core_property(document.properties.title))
    ooxml.set_core_text(props, "dc:creator", ooxml.core_property(document.properties.author))
    ooxml.set_core_text(props, "cp:lastModifiedBy", ooxml.core_property(document.properties.author))
    ooxml.set_core_text(props, "dc:language", document.properties.language)
    created = document.properties.created.replace(tzinfo=None)
    ooxml.set_core_date(props, "dcterms:created", created)
    ooxml.set_core_date(props, "dcterms:modified", created)
    ooxml.set_core_text(props, "cp:revision", "1")
    return docx


def _fill_template_text(docx: WordDocument, values: dict[str, str]) -> None:
    for _, root in ooxml.template_parts(docx):
        for paragraph in root.iter(qn("w:p")):
            text = ooxml.paragraph_text(paragraph)
            if "{{" not in text or MARKER.match(text):
                continue
            for start, end in reversed(find_placeholders(text)):
                value = values.get(text[start:end])
                if value is None:  # one that cannot be filled was reported before the build
                    continue
                node = ooxml.replace_text(paragraph, start, end, value)
                if node is not None and node.getparent().tag == qn("w:r") and wants_east_asian_font(value):
                    ooxml.prefer_east_asian_font(node.getparent())


def _run_in_styles(docx: WordDocument) -> dict[int, str]:
    """The character style of each heading level's run-in headings: the one the template links
    to its heading (Word's "Heading 2 Char", a Chinese Word's "标题 2 字符"), else one named
    "Heading 2 Char", else one made now from the template's own heading, so a run-in heading
    looks like the template's headings, not like ours."""
    styles = {style.name: style for style in ooxml.styles(docx)}
    chosen: dict[int, str] = {}
    for level, heading in HEADINGS.items():
        name = ooxml.linked_character_style(docx, styles[heading])
        if name is None:
            name = RUN_IN_HEADINGS[level]
            if name not in styles:
                ooxml.add_linked_character_style(docx, styles[heading], name)
        chosen[level] = name
    return chosen


def _mm(mm: float) -> int:
    """Millimetres in EMU, truncated as Word's lengths were when the writer used python-docx."""
    return int(mm * 36000)


class _Writer:
    def __init__(self, document: WordDocument, run_in: dict[int, str]) -> None:
        self.doc = document
        # Where paragraphs and tables go (the body, or the footnote being written), and its part.
        self.story = document.body
        self.part = document.part
        self.in_note = False
        self.quote_depth = 0
        # Tables fill the template's text width: 156 mm on A4 with official margins.
        self.width_mm = ooxml.text_width_mm(document) or DESIGN_WIDTH_MM
        self.height_mm = ooxml.text_height_mm(document)
        self.scale = self.width_mm / DESIGN_WIDTH_MM
        # Style ids by the name Word shows, read once.
        self.styles = ooxml.style_ids(document)
        self.run_in = run_in

    def paragraph(self, style: str, text: str = ""):
        paragraph = ooxml.add_paragraph(self.story)
        ooxml.apply_paragraph_style(paragraph, self.styles[style])
        if text:
            self.run(paragraph, text, None, frozenset())
        return paragraph

    def text_style(self) -> str:
        """The style of a narrative paragraph here: body text, a quotation, or a footnote's text."""
        return FOOTNOTE_TEXT if self.in_note else QUOTE if self.quote_depth else BODY

    def only_paragraph(self, tc, style: str):
        """The cell's single paragraph, styled; a merge leaves extra empty ones behind, which go."""
        paragraphs = tc.findall(qn("w:p"))
        for extra in paragraphs[1:]:
            tc.remove(extra)
        paragraph = paragraphs[0]
        ooxml.apply_paragraph_style(paragraph, self.styles[style])
        return paragraph

    # ------------------------------------------------------------ front matter and sections

    def front_matter(self, document: Document) -> None:
        for line in document.title_lines:
            self.paragraph(TITLE, line)
        self.paragraph(BODY)  # a blank line under the title, as in official documents
        for block in document.intro:
            self.block(block)

    def section(self, section: DocumentSection) -> None:
        heading = self.paragraph(HEADINGS[1], section.title)
        if section.page_break_before:
            ooxml.page_break_before(heading)
        previous: DocumentBlock | None = None
        for block in section.blocks:
            if _is_table(block) and _is_table(previous):
                self.paragraph(BODY)  # Word fuses adjacent tables into one
            self.block(block)
            previous = block

    # ------------------------------------------------------------ narrative blocks

    def block(self, block: DocumentBlock) -> None:
        if isinstance(block, Heading):
            self.inlines(self.paragraph(HEADINGS[block.level]), block.content)
        elif isinstance(block, Paragraph):
            self.narrative_paragraph(block, self.text_style())
        elif isinstance(block, ListBlock):
            self.list_block(block, 0)
        elif isinstance(block, BlockQuote):
            self.quote_depth += 1
            for inner in block.blocks:
                self.block(inner)
            self.quote_depth -= 1
        elif isinstance(block, CodeBlock):
            self.run(self.paragraph(SOURCE_CODE), block.text, None, frozenset())  # each \n a w:br
        elif isinstance(block, GridTable):
            self.grid_table(block)
        elif isinstance(block, OfficialTable):
            self.official_table(block)
        elif isinstance(block, PageBreak) and not self.in_note:
            ooxml.add_break(ooxml.add_run(self.paragraph(BODY)), "page")

    def narrative_paragraph(self, block: Paragraph, style: str):
        """One paragraph of the narrative, one Word paragraph: a picture alone in it is a figure."""
        pictures = [n for n in block.content if isinstance(n, Image) and n.data is not None]
        alone = pictures and block.lead is None and all(
            isinstance(n, (Image, LineBreak)) or (isinstance(n, Text) and not n.text.strip()) for n in block.content
        )
        paragraph = self.paragraph(FIGURE if alone else style)
        if pictures and not alone and style != FOOTNOTE_TEXT:
            # An exact line height (the body's 28.95 pt) would crop the picture to one line;
            # footnote text is single-spaced, which grows with the picture.
            ooxml.line_height_at_least(paragraph, 579)  # 28.95 pt in twips
        if block.lead is not None:
            self.inlines(paragraph, block.lead.content, self.run_in[block.lead.level])
        self.inlines(paragraph, block.content)
        return paragraph

    def list_block(self, block: ListBlock, depth: int) -> None:
        """Each item a paragraph numbered by Word; a list inside an item is the next level."""
        level = min(depth, len(ORDERED_LEVELS) - 1)
        levels = ORDERED_LEVELS if block.ordered else BULLET_LEVELS
        start = block.start if block.ordered else 1
        list_id = ooxml.add_list(self.doc, levels, level, start, _INDENT_CHARS, _INDENT_TWIPS)
        item_style = FOOTNOTE_TEXT if self.in_note else LIST_ITEM
        for item in block.items:
            blocks = list(item) or [Paragraph(())]
            first = blocks[0]
            if isinstance(first, Paragraph):
                paragraph = self.narrative_paragraph(first, item_style)
                blocks = blocks[1:]
            elif isinstance(first, Heading):
                paragraph = self.paragraph(item_style)
                self.inlines(paragraph, first.content, self.run_in[first.level])
                blocks = blocks[1:]
            else:
                paragraph = self.paragraph(item_style)
            ooxml.number_paragraph(paragraph, list_id, level)
            for inner in blocks:  # what else the item holds, under its number
                if isinstance(inner, ListBlock):
                    self.list_block(inner, depth + 1)
                elif isinstance(inner, Paragraph):
                    self.narrative_paragraph(inner, item_style)
                else:
                    self.block(inner)

    # ------------------------------------------------------------ inline

    def inlines(self, paragraph, nodes: tuple[Inline, ...], style: str | None = None) -> None:
        for node in nodes:
            self.inline(paragraph, node, style, frozenset(), None)

    def inline(self, paragraph, node: Inline, style: str | None, marks: frozenset[str], link) -> None:
        """One node into the paragraph (a w:p); `link` is the w:hyperlink its runs go into, if any."""
        if isinstance(node, (Text, Placeholder)):
            self.run(paragraph, node.text, style, marks, link)
        elif isinstance(node, Code):
            self.run(paragraph, node.text, style, marks | {"code"}, link)
        elif isinstance(node, LineBreak):
            ooxml.add_break(self.new_run(paragraph, link))
        elif isinstance(node, Link):
            if node.target and link is None:
                link = ooxml.add_hyperlink(paragraph, self.part, node.target, node.title)
                marks = marks | {"link"}
            for child in node.children:
                self.inline(paragraph, child, style, marks, link)
        elif isinstance(node, Container):
            mark = _MARKS.get(type(node), "")
            for child in node.children:
                self.inline(paragraph, child, style, marks | {mark}, link)
        elif isinstance(node, Image):
            self.image(paragraph, node, link)
        elif isinstance(node, Note):
            self.footnote(paragraph, node, link)

    def new_run(self, paragraph, link, text: str = "", style: str | None = None):
        run = ooxml.add_run(paragraph, ooxml.xml_text(text))
        if style:
            ooxml.apply_run_style(run, self.styles[style])
        if link is not None:
            link.append(run)  # the run was the paragraph's last; it moves into the link there
        return run

    def run(self, paragraph, text: str, style: str | None, marks: frozenset[str], link=None):
        """A run of text in one character style, the marks the style does not give set directly."""
        if style is None:
            style = next((name for mark, name in _MARK_STYLES if mark in marks), None)
        run = self.new_run(paragraph, link, text, style)
        if "strong" in marks and style != STRONG:
            ooxml.set_run_mark(run, "bold")
        if "emph" in marks and style != EMPHASIS:
            ooxml.set_run_mark(run, "italic")
        if "strike" in marks:
            ooxml.set_run_mark(run, "strike")
        if "underline" in marks:
            ooxml.set_run_mark(run, "underline")
        if "sub" in marks:
            ooxml.set_run_mark(run, "subscript")
        if "sup" in marks:
            ooxml.set_run_mark(run, "superscript")
        if wants_east_asian_font(text):
            ooxml.prefer_east_asian_font(run)
        return run

    def image(self, paragraph, image: Image, link) -> None:
        if image.data is None:  # reported when read: a missing or remote picture
            self.run(paragraph, inline_text(image.alt), None, frozenset(), link)
            return
        run = self.new_run(paragraph, link)
        # Fitted to the text block, proportions kept: never wider, nor taller than a page's text.
        fit = (_mm(self.width_mm), _mm(self.height_mm) if self.height_mm else None)
        ooxml.add_picture(self.doc, self.part, run, image.data, fit)
        ooxml.describe_picture(run, inline_text(image.alt), image.title)

    def footnote(self, paragraph, note: Note, link) -> None:
        """A Word footnote: its number here, its text at the foot of the page."""
        if self.in_note:  # Word has no note inside a note: it is printed in brackets
            text = "".join(getattr(b, "text", "") for b in note.blocks)
            self.run(paragraph, f"（{text}）", None, frozenset(), link)
            return
        notes = ooxml.footnotes(self.doc)
        note_id, story = ooxml.add_footnote(notes)
        ooxml.add_footnote_reference(self.new_run(paragraph, link, style=FOOTNOTE_REFERENCE), note_id)
        with self.writing_into(story, notes):
            for block in note.blocks:
                self.block(block)
            paragraphs = story.findall(qn("w:p"))
            first = paragraphs[0] if paragraphs else self.paragraph(FOOTNOTE_TEXT)
        mark = ooxml.add_run(first)
        ooxml.apply_run_style(mark, self.styles[FOOTNOTE_REFERENCE])
        ooxml.add_footnote_mark(mark)
        space = ooxml.add_run(first, " ")
        ooxml.move_to_start(first, mark, space)

    @contextmanager
    def writing_into(self, story, part) -> Iterator[None]:
        """Paragraphs and tables go into `story` (a footnote) for a while, then back to the body."""
        saved = self.story, self.part, self.in_note, self.quote_depth
        self.story, self.part, self.in_note, self.quote_depth = story, part, True, 0
        try:
            yield
        finally:
            self.story, self.part, self.in_note, self.quote_depth = saved

    def add_table(self, rows: int, cols: int):
        table = ooxml.add_table(self.story, rows, cols, _mm(self.width_mm))
        ooxml.apply_table_style(table, self.styles[TABLE])
        return table

    def grid_table(self, block: GridTable) -> None:
        n_cols = max([len(block.header)] + [len(r) for r in block.rows])
        table = self.add_table(1 + len(block.rows), n_cols)
        rows = ooxml.rows(table)
        grid = [ooxml.cells(tr) for tr in rows]
        for c, content in enumerate(block.header):
            self.inlines(self.only_paragraph(grid[0][c], TABLE_HEADING), content)
        ooxml.repeat_as_header_row(rows[0])
        for r, row in enumerate(block.rows, start=1):
            for c, content in enumerate(row):
                align = block.aligns[c] if c < len(block.aligns) else ""
                style = TABLE_LABEL if align in ("", "left") else TABLE_TEXT
                self.inlines(self.only_paragraph(grid[r][c], style), content)
            ooxml.keep_row_on_one_page(rows[r])
        ooxml.fix_column_widths(table, (DESIGN_WIDTH_MM * self.scale / n_cols,) * n_cols)

    # ------------------------------------------------------------ the official tables

    def official_table(self, data: OfficialTable) -> None:
        layout = data.layout
        table = self.add_table(layout.n_rows, layout.n_cols)
        grid = [ooxml.cells(tr) for tr in ooxml.rows(table)]  # the regular grid, before any merge
        for spot in layout.cells:
            tc = ooxml.merge_cells(grid, spot.row, spot.col, spot.rowspan, spot.colspan)
            value = spot.role == "value" and spot.cell is not None
            text = data.text(spot.cell) if value else spot.text  # type: ignore[arg-type]
            style = TABLE_TEXT if value else _ROLE_STYLES[spot.role]
            ooxml.set_cell_text(tc, self.styles[style], text, wants_east_asian_font(text))
        for index, row in enumerate(ooxml.rows(table)):
            if index < layout.header_rows:
                ooxml.repeat_as_header_row(row)
            ooxml.keep_row_on_one_page(row)
        if layout.column_widths_mm:
            ooxml.fix_column_widths(table, tuple(w * self.scale for w in layout.column_widths_mm))


_MARKS = {Strong: "strong", Emph: "emph", Strikeout: "strike", Underline: "underline", Subscript: "sub", Superscript: "sup"}
# The character style a run takes for its marks, the first that applies; others are set directly.
_MARK_STYLES = (("link", HYPERLINK), ("strong", STRONG), ("emph", EMPHASIS), ("code", VERBATIM))


def _is_table(block: DocumentBlock | None) -> bool:
    return isinstance(block, (GridTable, OfficialTable))
