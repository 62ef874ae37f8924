"""Reading a produced .docx the way a reader sees it: text, table grids, merges, styles."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.table import Table


def open_docx(path: Path):
    return docx.Document(str(path))


def text_grid(table: Table) -> list[list[str]]:
    """Every grid position's text; a merged cell's text shows at each position it covers."""
    return [[cell.text.strip() for cell in row.cells] for row in table.rows]


def table_after_heading(document, heading: str) -> Table:
    """The first table that follows the paragraph reading `heading`."""
    body = document.element.body
    seen = False
    for child in body.iterchildren():
        if child.tag == qn("w:p") and "".join(t.text or "" for t in child.iter(qn("w:t"))) == heading:
            seen = True
        elif child.tag == qn("w:tbl") and seen:
            return Table(child, document._body)
    raise AssertionError(f"no table after {heading!r}")


def span_of(table: Table, text: str) -> tuple[int, int]:
    """(rows, columns) the cell holding exactly `text` covers."""
    for r, tr in enumerate(table._tbl.tr_lst):
        for tc in tr.tc_lst:
            if "".join(t.text or "" for t in tc.iter(qn("w:t"))).strip() == text:
                rows = 1
                if tc.vMerge == "restart":
                    rows = _vmerge_rows(table, r, tc)
                return rows, tc.grid_span
    raise AssertionError(f"no cell {text!r}")


def _vmerge_rows(table: Table, start: int, tc) -> int:
    col = _grid_col(tc)
    rows = 1
    for tr in table._tbl.tr_lst[start + 1 :]:
        below = next((c for c in tr.tc_lst if _grid_col(c) == col), None)
        if below is None or below.vMerge != "continue":
            break
        rows += 1
    return rows


def _grid_col(tc) -> int:
    col = 0
    for sibling in tc.getparent().tc_lst:
        if sibling is tc:
            return col
        col += sibling.grid_span
    raise AssertionError("cell not in its row")


def style_east_asian_font(document, style_name: str) -> str | None:
    rpr = document.styles[style_name].element.find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None
