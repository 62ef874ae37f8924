"""Excel workbooks: the three tables as printed, to circulate and fill in; and a summary's members
row by row, for the office that adds them up.

The tables' sheets follow the format's Layout (merged headers, labels, values) at the addresses
read/workbook.py reads back; totals are formulas, so Excel and WPS show them live as a clerk types.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from rich.cells import cell_len

from ..aggregate import Figure, Member, column_sums
from ..format import CellKey, TableForm, Total
from ..model import Number, TableData
from ..read.workbook import TITLE_ROWS, address, sheet_name

if TYPE_CHECKING:
    from ..model import Report

FONT = "宋体"
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_LINE_HEIGHT_PT = 14.0
_MM_PER_WIDTH_UNIT = 2.0  # Excel measures columns in characters of its default font, about 2 mm each


def tables_workbook(report: Report) -> Workbook:
    """The project's three tables, one sheet each, as printed."""
    book = Workbook()
    book.remove(book.active)
    for data in report.tables.values():
        table_sheet(book, data)
    return book


def table_sheet(book: Workbook, data: TableData) -> None:
    form = data.form
    layout = form.layout
    sheet = book.create_sheet(sheet_name(form))
    sheet.cell(1, 1, form.title).font = Font(name=FONT, bold=True, size=12)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=layout.n_cols)
    widths = [max(w / _MM_PER_WIDTH_UNIT, 6.0) for w in layout.column_widths_mm] or [10.0] * layout.n_cols
    for col, width in enumerate(widths):
        sheet.column_dimensions[get_column_letter(col + 1)].width = width
    first_total: dict[CellKey, Total] = {}
    for total in form.totals:
        first_total.setdefault(total.cell, total)
    position = {spot.cell: (spot.row, spot.col) for spot in layout.cells if spot.role == "value"}
    lines = [1] * layout.n_rows
    for spot in layout.cells:
        top, left = spot.row + 1 + TITLE_ROWS, spot.col + 1
        if spot.rowspan > 1 or spot.colspan > 1:
            sheet.merge_cells(
                start_row=top, start_column=left, end_row=top + spot.rowspan - 1, end_column=left + spot.colspan - 1
            )
        for row in range(top, top + spot.rowspan):  # a merged range shows the borders of all its cells
            for col in range(left, left + spot.colspan):
                sheet.cell(row, col).border = _BORDER
        cell = sheet.cell(top, left)
        if spot.role == "value" and spot.cell is not None:
            total = first_total.get(spot.cell)
            cell.value = _sum_formula([position[p] for p in total.parts]) if total else _typed(data, spot.cell)
            cell.alignment = Alignment(horizontal="right", vertical="center")
            cell.font = Font(name=FONT)
        else:
            cell.value = spot.text
            cell.alignment = Alignment(
                horizontal="left" if spot.role in ("label", "corner") else "center", vertical="center", wrap_text=True
            )
            cell.font = Font(name=FONT, bold=spot.role in ("header", "caption"))
            if spot.rowspan == 1:
                width = sum(widths[spot.col : spot.col + spot.colspan])
                # A Chinese character is about two of Excel's width units wide, and takes two terminal cells.
                lines[spot.row] = max(lines[spot.row], -(-cell_len(spot.text) // max(int(width) - 1, 1)))
    for row, count in enumerate(lines):
        sheet.row_dimensions[row + 1 + TITLE_ROWS].height = _LINE_HEIGHT_PT * count + 4
    sheet.freeze_panes = address(layout.header_rows, min(s.col for s in layout.cells if s.role == "value"))
    # Printed on A4, one page wide, as the report prints it.
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if layout.n_cols > 5 else "portrait"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0


def _typed(data: TableData, key: CellKey):
    """An input cell as the project gives it: a number, "/", blank, or the text typed instead."""
    entry = data.entries.get(key)
    if entry is None or entry.state == "blank":
        return None
    if entry.state == "number":
        return _excel_number(entry.number)  # type: ignore[arg-type]
    return entry.text


def _excel_number(value: Number) -> int | float:
    """Excel stores numbers as doubles; a 万元 amount such as 1.25 round-trips through its shortest form."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _sum_formula(positions: list[tuple[int, int]]) -> str:
    """=SUM over the parts, contiguous runs of one row or one column written as ranges: =SUM(D5:I5)."""
    ranges: list[str] = []
    run: list[tuple[int, int]] = []
    for position in positions:
        previous = run[-1] if run else None
        if previous and (
            (position[0] == previous[0] and position[1] == previous[1] + 1)
            or (position[1] == previous[1] and position[0] == previous[0] + 1)
        ) and (len(run) < 2 or _same_direction(run[0], run[1], previous, position)):
            run.append(position)
            continue
        if run:
            ranges.append(_range(run))
        run = [position]
    if run:
        ranges.append(_range(run))
    return f"=SUM({','.join(ranges)})"


def _same_direction(a, b, c, d) -> bool:
    return (b[0] - a[0], b[1] - a[1]) == (d[0] - c[0], d[1] - c[1])


def _range(run: list[tuple[int, int]]) -> str:
    first, last = address(*run[0]), address(*run[-1])
    return first if first == last else f"{first}:{last}"


# ---------------------------------------------------------------- a summary's members


def members_workbook(members: list[Member], forms: list[TableForm]) -> Workbook:
    """One sheet per table: for each row of the table, one line per member, then their sum (合计);
    and a sheet listing the members. Numbers, not formulas: the record of what was added up."""
    book = Workbook()
    book.remove(book.active)
    for form in forms:
        member_sheet(book, form, members)
    listing = book.create_sheet("成员单位")
    listing.append(["序号", "机关", "年度", "项目"])
    for number, member in enumerate(members, start=1):
        listing.append([number, member.issuer, member.year, str(member.project)])
    _header_style(listing, 4)
    for letter, width in zip("ABCD", (6, 36, 8, 48)):
        listing.column_dimensions[letter].width = width
    return book


def member_sheet(book: Workbook, form: TableForm, members: list[Member]) -> None:
    sheet = book.create_sheet(sheet_name(form))
    columns: dict[str, str] = {}  # column key -> label, in the table's order (表二's blocks share some)
    rows: dict[str, str] = {}  # row key -> label
    for cell in form.cells:
        columns.setdefault(cell.col, cell.col_label)
        rows.setdefault(cell.row, cell.row_label or "件数")
    sheet.append(["行", "单位", *columns.values()])
    _header_style(sheet, 2 + len(columns))
    sums = column_sums(members, form)
    keys = {cell.key for cell in form.cells}
    for row, label in rows.items():
        for member in members:
            figures = member.figures.get(form.key, {})
            sheet.append([label, member.issuer, *(_figure(figures.get((row, col))) for col in columns)])
        sheet.append([label, "合计", *(_excel_number(sums[(row, col)]) if (row, col) in keys else None for col in columns)])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(name=FONT, bold=True)
    sheet.column_dimensions["A"].width = 48
    sheet.column_dimensions["B"].width = 28
    for index in range(len(columns)):
        sheet.column_dimensions[get_column_letter(3 + index)].width = 12
    sheet.freeze_panes = "C2"


def _figure(value: Figure):
    return value if value is None or isinstance(value, str) else _excel_number(value)


def _header_style(sheet, count: int) -> None:
    for cell in sheet[1][:count]:
        cell.font = Font(name=FONT, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
