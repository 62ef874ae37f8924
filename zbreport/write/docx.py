"""The Word writer: the assembled Document into a python-docx document, inside a template.

Everything is written with the template's named styles, so editors can restyle the report in
Word; raw XML lives in `ooxml.py`. The writer reads the Document alone: it evaluates nothing.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

from docx.document import Document as DocxDocument
from docx.enum.text import WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Mm, Twips
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

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
from ..read.placeholders import PLACEHOLDER
from . import ooxml

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

_ROLE_STYLES = {"corner": TABLE_LABEL, "header": TABLE_HEADING, "caption": TABLE_HEADING, "label": TABLE_LABEL}
_BULLET = "●"
_LIST_INDENT_TWIPS = 640  # two characters of 3号 text a nesting level


# The width the official tables were designed for: the GB/T 9704 text block.
DESIGN_WIDTH_MM = 156.0


def render_docx(document: Document, template: Template) -> DocxDocument:
    """The report inside the template: at its `{{ body }}` marker, or after its content.

    The template's own placeholders are filled first, so nothing the report says is read as one.
    """
    docx = template.document
    if template.missing_styles and template.fallback is not None:
        ooxml.copy_styles(template.fallback, docx, list(template.missing_styles))
    _fill_template_text(docx, document.template_values)
    body = docx.element.body
    before = set(body)
    writer = _Writer(docx)
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
    props = docx.core_properties
    props.title = document.properties.title
    props.author = document.properties.author
    props.language = document.properties.language
    created = document.properties.created.replace(tzinfo=None)
    props.created = props.modified = created
    props.last_modified_by = document.properties.author
    props.revision = 1
    return docx


def _fill_template_text(docx: DocxDocument, values: dict[str, str]) -> None:
    for _, root in ooxml.template_parts(docx):
        for paragraph in root.iter(qn("w:p")):
            text = ooxml.paragraph_text(paragraph)
            if "{{" not in text or MARKER.match(text):
                continue
            for match in reversed(list(PLACEHOLDER.finditer(text))):
                value = values.get(match.group(0))
                if value is not None:  # one that cannot be filled was reported before the build
                    ooxml.replace_text(paragraph, match.start(), match.end(), value)


class _Writer:
    def __init__(self, document: DocxDocument) -> None:
        self.doc = document
        # Tables fill the template's text width: 156 mm on A4 with official margins.
        self.scale = (ooxml.text_width_mm(document) or DESIGN_WIDTH_MM) / DESIGN_WIDTH_MM
        # Styles by the name Word shows. python-docx's own lookup expects Word's spelling of
        # built-in names ("heading 1") and misses LibreOffice's ("Heading 1").
        self.styles = {style.name: style for style in document.styles}

    def paragraph(self, style: str, text: str = "") -> DocxParagraph:
        return self.doc.add_paragraph(text, style=self.styles[style])

    def only_paragraph(self, cell: _Cell, style: str) -> DocxParagraph:
        """The cell's single paragraph, styled; a merge leaves extra empty ones behind, which go."""
        paragraphs = cell.paragraphs
        for extra in paragraphs[1:]:
            extra._element.getparent().remove(extra._element)
        paragraph = paragraphs[0]
        paragraph.style = self.styles[style]
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
            heading.paragraph_format.page_break_before = True
        previous: DocumentBlock | None = None
        for block in section.blocks:
            if _is_table(block) and _is_table(previous):
                self.paragraph(BODY)  # Word fuses adjacent tables into one
            self.block(block)
            previous = block

    # ------------------------------------------------------------ narrative blocks

    def block(self, block: DocumentBlock, list_level: int = 0) -> None:
        if isinstance(block, Heading):
            self.inlines(self.paragraph(HEADINGS[block.level]), block.content)
        elif isinstance(block, Paragraph):
            paragraph = self.paragraph(BODY)
            if block.lead is not None:
                self.inlines(paragraph, block.lead.content, RUN_IN_HEADINGS[block.lead.level])
            self.inlines(paragraph, block.content)
        elif isinstance(block, ListBlock):
            self.list_block(block, list_level)
        elif isinstance(block, BlockQuote):
            for inner in block.blocks:
                self.block(inner, list_level + 1)
        elif isinstance(block, CodeBlock):
            paragraph = self.paragraph(BODY)
            for i, line in enumerate(block.text.split("\n")):
                if i:
                    paragraph.add_run().add_break()
                paragraph.add_run(line)
        elif isinstance(block, GridTable):
            self.grid_table(block)
        elif isinstance(block, OfficialTable):
            self.official_table(block)
        elif isinstance(block, PageBreak):
            self.paragraph(BODY).add_run().add_break(WD_BREAK.PAGE)

    def list_block(self, block: ListBlock, level: int) -> None:
        for number, item in enumerate(block.items, start=block.start):
            marker = f"{number}." if block.ordered else _BULLET
            first, *rest = item or (Paragraph(()),)
            paragraph = self.paragraph(LIST_ITEM)
            if level:
                paragraph.paragraph_format.left_indent = Twips(_LIST_INDENT_TWIPS * level)
            content = first.content if isinstance(first, (Paragraph, Heading)) else ()
            self.inlines(paragraph, (Text(marker + ("" if block.ordered else " ")),) + tuple(content))
            for inner in rest if isinstance(first, (Paragraph, Heading)) else item:
                self.block(inner, level + 1)

    # ------------------------------------------------------------ inline

    def inlines(self, paragraph: DocxParagraph, nodes: tuple[Inline, ...], style: str | None = None) -> None:
        for node in nodes:
            self.inline(paragraph, node, style, frozenset())

    def inline(self, paragraph: DocxParagraph, node: Inline, style: str | None, marks: frozenset[str]) -> None:
        if isinstance(node, (Text, Code, Placeholder)):
            self.run(paragraph, node.text, style, marks | ({"code"} if isinstance(node, Code) else set()))
        elif isinstance(node, LineBreak):
            paragraph.add_run().add_break()
        elif isinstance(node, Link):
            for child in node.children:
                self.inline(paragraph, child, style, marks)
            if node.target and inline_text(node.children).strip() != node.target:
                self.run(paragraph, f"（{node.target}）", style, marks)
        elif isinstance(node, Container):
            mark = _MARKS.get(type(node), "")
            for child in node.children:
                self.inline(paragraph, child, style, marks | {mark})
        elif isinstance(node, Image):
            self.image(paragraph, node)
        elif isinstance(node, Note):
            text = "".join(getattr(b, "text", "") for b in node.blocks)
            self.run(paragraph, f"（注：{text}）", style, marks)

    def run(self, paragraph: DocxParagraph, text: str, style: str | None, marks: frozenset[str]) -> Run:
        name = style or (STRONG if "strong" in marks else EMPHASIS if "emph" in marks else None)
        run = paragraph.add_run(text, style=self.styles[name] if name else None)
        font = run.font
        if "strong" in marks and "emph" in marks:
            font.italic = True
        if "strike" in marks:
            font.strike = True
        if "underline" in marks:
            font.underline = True
        if "sub" in marks:
            font.subscript = True
        if "sup" in marks:
            font.superscript = True
        return run

    def image(self, paragraph: DocxParagraph, image: Image) -> None:
        if image.data is None:  # reported when read: a missing or remote picture
            self.run(paragraph, inline_text(image.alt), None, frozenset())
            return
        run = paragraph.add_run()
        shape = run.add_picture(io.BytesIO(image.data))
        width_limit = Mm(DESIGN_WIDTH_MM * self.scale)
        if shape.width > width_limit:  # fitted to the text block, proportions kept
            shape.height = int(shape.height * width_limit / shape.width)
            shape.width = width_limit

    def grid_table(self, block: GridTable) -> None:
        n_cols = max([len(block.header)] + [len(r) for r in block.rows])
        table = self.doc.add_table(rows=1 + len(block.rows), cols=n_cols)
        table.style = self.styles[TABLE]
        for c, content in enumerate(block.header):
            self.inlines(self.only_paragraph(table.cell(0, c), TABLE_HEADING), content)
        ooxml.repeat_as_header_row(table.rows[0])
        for r, row in enumerate(block.rows, start=1):
            for c, content in enumerate(row):
                align = block.aligns[c] if c < len(block.aligns) else ""
                style = TABLE_LABEL if align in ("", "left") else TABLE_TEXT
                self.inlines(self.only_paragraph(table.cell(r, c), style), content)
            ooxml.keep_row_on_one_page(table.rows[r])
        ooxml.fix_column_widths(table, (DESIGN_WIDTH_MM * self.scale / n_cols,) * n_cols)

    # ------------------------------------------------------------ the official tables

    def official_table(self, data: OfficialTable) -> None:
        layout = data.layout
        table = self.doc.add_table(rows=layout.n_rows, cols=layout.n_cols)
        table.style = self.styles[TABLE]
        # The grid is regular until merged; python-docx's table.cell() rescans the table each call.
        grid = [[_Cell(tc, table) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]
        for spot in layout.cells:
            cell = grid[spot.row][spot.col]
            if spot.rowspan > 1 or spot.colspan > 1:
                cell = cell.merge(grid[spot.row + spot.rowspan - 1][spot.col + spot.colspan - 1])
            if spot.role == "value" and spot.cell is not None:
                self.only_paragraph(cell, TABLE_TEXT).add_run(data.text(spot.cell))
            else:
                self.only_paragraph(cell, _ROLE_STYLES[spot.role]).add_run(spot.text)
        for index, row in enumerate(table.rows):
            if index < layout.header_rows:
                ooxml.repeat_as_header_row(row)
            ooxml.keep_row_on_one_page(row)
        if layout.column_widths_mm:
            ooxml.fix_column_widths(table, tuple(w * self.scale for w in layout.column_widths_mm))


_MARKS = {Strong: "strong", Emph: "emph", Strikeout: "strike", Underline: "underline", Subscript: "sub", Superscript: "sup"}


def _is_table(block: DocumentBlock | None) -> bool:
    return isinstance(block, (GridTable, OfficialTable))
