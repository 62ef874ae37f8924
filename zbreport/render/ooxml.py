"""The raw WordprocessingML zbreport needs where python-docx has no API, in one place.

Names say what Word does with the markup, so the layout code above reads like a
description of the document.
"""

from __future__ import annotations

from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.table import Table, _Row

MM_TO_TWIPS = 1440 / 25.4


def twips(mm: float) -> int:
    return round(mm * MM_TO_TWIPS)


def repeat_as_header_row(row: _Row) -> None:
    """Word repeats this row at the top of every page the table continues on (w:tblHeader)."""
    _row_property(row, "w:tblHeader")


def keep_row_on_one_page(row: _Row) -> None:
    """Word moves the whole row to the next page rather than splitting it (w:cantSplit)."""
    _row_property(row, "w:cantSplit")


def _row_property(row: _Row, tag: str) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn(tag)) is None:
        tr_pr.append(OxmlElement(tag))


def fix_column_widths(table: Table, widths_mm: tuple[float, ...]) -> None:
    """A fixed layout with these column widths: the grid, every cell, and the table's own width.

    Word reads tcW, LibreOffice reads the grid; both are set so the two agree.
    """
    tbl_pr = table._tbl.tblPr
    layout = tbl_pr.find(qn("w:tblLayout"))
    if layout is None:
        layout = OxmlElement("w:tblLayout")
        tbl_pr.append(layout)
    layout.set(qn("w:type"), "fixed")
    table_width = tbl_pr.find(qn("w:tblW"))
    if table_width is None:
        table_width = OxmlElement("w:tblW")
        tbl_pr.append(table_width)
    table_width.set(qn("w:w"), str(sum(twips(w) for w in widths_mm)))
    table_width.set(qn("w:type"), "dxa")
    for grid_col, width in zip(table._tbl.tblGrid.gridCol_lst, widths_mm):
        grid_col.w = Mm(width)
    for row in table.rows:
        col = 0
        for tc in row._tr.tc_lst:
            span = tc.grid_span
            tc.width = Mm(sum(widths_mm[col : col + span]))
            col += span


def remove_body_content(document: Document) -> None:
    """Empty the body of a template, keeping its section properties (page size, margins, footers)."""
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)

