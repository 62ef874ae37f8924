"""The Word writer: a Report model into a python-docx Document, inside a template.

Everything is written with the template's named styles, so editors can restyle the
report in Word; raw XML lives in `ooxml.py`.
"""

from __future__ import annotations

import re

from typing import TYPE_CHECKING

from docx.document import Document
from docx.enum.text import WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Twips
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from ..figures import FigureError, Scope, fill, scope_of
from ..model import (
    Block,
    GridTable,
    Heading,
    ListBlock,
    OfficialTablePlace,
    PageBreak,
    Paragraph,
    Report,
    Section,
    Span,
    TableData,
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


def render_docx(report: Report, template: Template) -> Document:
    """The report inside the template: at its `{{ body }}` marker, or after its content.

    The template's own placeholders are filled first, so nothing the report says is read as one.
    """
    document = template.document
    if template.missing_styles and template.fallback is not None:
        ooxml.copy_styles(template.fallback, document, list(template.missing_styles))
    _fill_template_text(document, scope_of(report))
    body = document.element.body
    before = set(body)
    writer = _Writer(document)
    writer.front_matter(report)
    for section in report.sections:
        writer.section(section, report.tables.get(section.form.table.key) if section.form.table else None)
    if template.marker is not None:
        marker = template.marker
        for element in [c for c in body if c not in before and c.tag != qn("w:sectPr")]:
            marker.addprevious(element)
        if ooxml.carries_section_break(marker):
            ooxml.remove_runs(marker)  # the marker's paragraph ends the template's cover section
        else:
            body.remove(marker)
    props = document.core_properties
    props.title = f"{report.meta.issuer}{report.meta.title}"
    props.author = report.meta.issuer
    props.language = "zh-CN"
    return document


def _fill_template_text(document: Document, scope: Scope) -> None:
    for _, root in ooxml.template_parts(document):
        for paragraph in root.iter(qn("w:p")):
            text = ooxml.paragraph_text(paragraph)
            if "{{" not in text or MARKER.match(text):
                continue
            for match in reversed(list(PLACEHOLDER.finditer(text))):
                try:
                    value = fill(match.group(0), scope)
                except FigureError:
                    continue  # reported by template_findings before the build
                ooxml.replace_text(paragraph, match.start(), match.end(), value)


class _Writer:
    def __init__(self, document: Document) -> None:
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

    def front_matter(self, report: Report) -> None:
        self.paragraph(TITLE, report.meta.issuer)
        self.paragraph(TITLE, report.meta.title)
        self.paragraph(BODY)  # a blank line under the title, as in official documents
        for block in report.meta.intro or ():
            self.block(block)

    def section(self, section: Section, table: TableData | None) -> None:
        self.paragraph(HEADINGS[1], section.form.title)
        blocks = list(section.blocks)
        if table is not None and not any(isinstance(b, OfficialTablePlace) for b in blocks):
            blocks.insert(0, OfficialTablePlace())
        for block in blocks:
            if isinstance(block, OfficialTablePlace):
                if table is not None:
                    self.official_table(table)
            else:
                self.block(block)

    # ------------------------------------------------------------ narrative blocks

    def block(self, block: Block, list_level: int = 0) -> None:
        if isinstance(block, Heading):
            self.spans(self.paragraph(HEADINGS[block.level]), block.spans)
        elif isinstance(block, Paragraph):
            paragraph = self.paragraph(BODY)
            if block.lead is not None:
                self.spans(paragraph, block.lead.spans, RUN_IN_HEADINGS[block.lead.level])
            self.spans(paragraph, block.spans)
        elif isinstance(block, ListBlock):
            self.list_block(block, list_level)
        elif isinstance(block, GridTable):
            self.grid_table(block)
        elif isinstance(block, PageBreak):
            self.paragraph(BODY).add_run().add_break(WD_BREAK.PAGE)

    def list_block(self, block: ListBlock, level: int) -> None:
        for number, item in enumerate(block.items, start=block.start):
            marker = f"{number}." if block.ordered else _BULLET
            first, *rest = item or (Paragraph(()),)
            paragraph = self.paragraph(LIST_ITEM)
            if level:
                paragraph.paragraph_format.left_indent = Twips(_LIST_INDENT_TWIPS * level)
            spans = first.spans if isinstance(first, (Paragraph, Heading)) else ()
            self.spans(paragraph, (Span(marker + ("" if block.ordered else " ")),) + tuple(spans))
            for inner in rest if isinstance(first, (Paragraph, Heading)) else item:
                self.block(inner, level + 1)

    def spans(self, paragraph: DocxParagraph, spans: tuple[Span, ...], style: str | None = None) -> None:
        for span in spans:
            if span.text == "\n":
                paragraph.add_run().add_break()
                continue
            name = style or (STRONG if span.bold else EMPHASIS if span.italic else None)
            run = paragraph.add_run(span.text, style=self.styles[name] if name else None)
            if span.bold and span.italic:
                run.italic = True

    def grid_table(self, block: GridTable) -> None:
        n_cols = max([len(block.header)] + [len(r) for r in block.rows])
        table = self.doc.add_table(rows=1 + len(block.rows), cols=n_cols)
        table.style = self.styles[TABLE]
        for c, spans in enumerate(block.header):
            self.spans(self.only_paragraph(table.cell(0, c), TABLE_HEADING), spans)
        ooxml.repeat_as_header_row(table.rows[0])
        for r, row in enumerate(block.rows, start=1):
            for c, spans in enumerate(row):
                align = block.aligns[c] if c < len(block.aligns) else ""
                style = TABLE_LABEL if align in ("", "left") else TABLE_TEXT
                self.spans(self.only_paragraph(table.cell(r, c), style), spans)
            ooxml.keep_row_on_one_page(table.rows[r])
        ooxml.fix_column_widths(table, (DESIGN_WIDTH_MM * self.scale / n_cols,) * n_cols)

    # ------------------------------------------------------------ the official tables

    def official_table(self, data: TableData) -> None:
        layout = data.form.layout
        table = self.doc.add_table(rows=layout.n_rows, cols=layout.n_cols)
        table.style = self.styles[TABLE]
        # The grid is regular until merged; python-docx's table.cell() rescans the table each call.
        grid = [[_Cell(tc, table) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]
        for spot in layout.cells:
            cell = grid[spot.row][spot.col]
            if spot.rowspan > 1 or spot.colspan > 1:
                cell = cell.merge(grid[spot.row + spot.rowspan - 1][spot.col + spot.colspan - 1])
            if spot.role == "value" and spot.cell is not None:
                self.only_paragraph(cell, TABLE_TEXT).add_run(data.display(spot.cell))
            else:
                self.only_paragraph(cell, _ROLE_STYLES[spot.role]).add_run(spot.text)
        for index, row in enumerate(table.rows):
            if index < layout.header_rows:
                ooxml.repeat_as_header_row(row)
            ooxml.keep_row_on_one_page(row)
        if layout.column_widths_mm:
            ooxml.fix_column_widths(table, tuple(w * self.scale for w in layout.column_widths_mm))
