"""The Word writer: a Report model into a python-docx Document, inside a template.

Everything is written with the template's named styles, so editors can restyle the
report in Word; raw XML lives in `ooxml.py`.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.text import WD_BREAK
from docx.opc.exceptions import PackageNotFoundError
from docx.shared import Twips
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from ..diagnostics import InputError, Location
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
from . import ooxml

# The style names the writer applies; a template must define them (ours does).
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


def default_template() -> Path:
    """The template shipped with zbreport: inside the installed package, or in the source checkout."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "templates" / "default.docx", here.parent / "templates" / "default.docx"):
        if candidate.is_file():
            return candidate
    raise InputError("找不到 zbreport 自带的 Word 模板（templates/default.docx），请重新安装 zbreport")


def open_template(path: Path) -> Document:
    try:
        return docx.Document(str(path))
    except FileNotFoundError:
        raise InputError("找不到 Word 模板文件", Location(path)) from None
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(f"Word 模板文件已损坏或不是 .docx 文件（{type(exc).__name__}）", Location(path)) from None
    except Exception as exc:  # lxml and zipfile raise many kinds for a damaged package
        raise InputError(f"无法打开 Word 模板文件：{exc}", Location(path)) from None


def render_docx(report: Report, template: Path | None = None) -> Document:
    template_path = template or default_template()
    document = open_template(template_path)
    _check_styles(document, template_path)
    ooxml.remove_body_content(document)
    writer = _Writer(document)
    writer.front_matter(report)
    for section in report.sections:
        writer.section(section, report.tables.get(section.form.table.key) if section.form.table else None)
    props = document.core_properties
    props.title = f"{report.meta.issuer}{report.meta.title}"
    props.author = report.meta.issuer
    props.language = "zh-CN"
    return document


def _check_styles(document: Document, path: Path) -> None:
    names = {s.name for s in document.styles}
    missing = [name for name in REQUIRED_STYLES if name not in names]
    if missing:
        raise InputError(f"Word 模板缺少样式：{'、'.join(missing)}", Location(path))


class _Writer:
    def __init__(self, document: Document) -> None:
        self.doc = document

    # ------------------------------------------------------------ front matter and sections

    def front_matter(self, report: Report) -> None:
        self.doc.add_paragraph(report.meta.issuer, style=TITLE)
        self.doc.add_paragraph(report.meta.title, style=TITLE)
        self.doc.add_paragraph("", style=BODY)  # a blank line under the title, as in official documents
        for block in report.meta.intro or ():
            self.block(block)

    def section(self, section: Section, table: TableData | None) -> None:
        self.doc.add_paragraph(section.form.title, style=HEADINGS[1])
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
            self.spans(self.doc.add_paragraph(style=HEADINGS[block.level]), block.spans)
        elif isinstance(block, Paragraph):
            paragraph = self.doc.add_paragraph(style=BODY)
            if block.lead is not None:
                self.spans(paragraph, block.lead.spans, RUN_IN_HEADINGS[block.lead.level])
            self.spans(paragraph, block.spans)
        elif isinstance(block, ListBlock):
            self.list_block(block, list_level)
        elif isinstance(block, GridTable):
            self.grid_table(block)
        elif isinstance(block, PageBreak):
            self.doc.add_paragraph(style=BODY).add_run().add_break(WD_BREAK.PAGE)

    def list_block(self, block: ListBlock, level: int) -> None:
        for number, item in enumerate(block.items, start=block.start):
            marker = f"{number}." if block.ordered else _BULLET
            first, *rest = item or (Paragraph(()),)
            paragraph = self.doc.add_paragraph(style=LIST_ITEM)
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
            run = paragraph.add_run(span.text, style=style or (STRONG if span.bold else EMPHASIS if span.italic else None))
            if span.bold and span.italic:
                run.italic = True

    def grid_table(self, block: GridTable) -> None:
        n_cols = max([len(block.header)] + [len(r) for r in block.rows])
        table = self.doc.add_table(rows=1 + len(block.rows), cols=n_cols)
        table.style = self.doc.styles[TABLE]
        for c, spans in enumerate(block.header):
            self.spans(_only_paragraph(table.cell(0, c), TABLE_HEADING), spans)
        ooxml.repeat_as_header_row(table.rows[0])
        for r, row in enumerate(block.rows, start=1):
            for c, spans in enumerate(row):
                align = block.aligns[c] if c < len(block.aligns) else ""
                style = TABLE_LABEL if align in ("", "left") else TABLE_TEXT
                self.spans(_only_paragraph(table.cell(r, c), style), spans)
            ooxml.keep_row_on_one_page(table.rows[r])
        ooxml.fix_column_widths(table, (156.0 / n_cols,) * n_cols)

    # ------------------------------------------------------------ the official tables

    def official_table(self, data: TableData) -> None:
        layout = data.form.layout
        table = self.doc.add_table(rows=layout.n_rows, cols=layout.n_cols)
        table.style = self.doc.styles[TABLE]
        # The grid is regular until merged; python-docx's table.cell() rescans the table each call.
        grid = [[_Cell(tc, table) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]
        for spot in layout.cells:
            cell = grid[spot.row][spot.col]
            if spot.rowspan > 1 or spot.colspan > 1:
                cell = cell.merge(grid[spot.row + spot.rowspan - 1][spot.col + spot.colspan - 1])
            if spot.role == "value" and spot.cell is not None:
                _only_paragraph(cell, TABLE_TEXT).add_run(data.display(spot.cell))
            else:
                _only_paragraph(cell, _ROLE_STYLES[spot.role]).add_run(spot.text)
        for index, row in enumerate(table.rows):
            if index < layout.header_rows:
                ooxml.repeat_as_header_row(row)
            ooxml.keep_row_on_one_page(row)
        if layout.column_widths_mm:
            ooxml.fix_column_widths(table, layout.column_widths_mm)


def _only_paragraph(cell, style: str) -> DocxParagraph:
    """The cell's single paragraph, styled; a merge leaves extra empty ones behind, which go."""
    paragraphs = cell.paragraphs
    for extra in paragraphs[1:]:
        extra._element.getparent().remove(extra._element)
    paragraph = paragraphs[0]
    paragraph.style = style
    return paragraph
