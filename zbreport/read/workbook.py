"""Reading the official tables from an Excel workbook, as offices circulate them.

A project's table may be a sheet of a workbook in tables/ instead of its YAML file: sheet 表二,
表三 or 表四, laid out as printed, the way `zbreport tables export` writes it (the table's title in
row 1, the grid below, from the format's Layout). Every value keeps its sheet and cell
(表格.xlsx!表三!D7), so findings point where the clerk types. Totals may stay formulas: zbreport
computes them; a total typed as a number is compared, as in a YAML file.

openpyxl is imported only here and in write/workbook.py, when a workbook is at hand.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from . import cache, files
from ..diagnostics import Finding, InputError, Location, Severity
from ..format import Format, TableForm, normalize_label
from ..model import Entry, TableData, compute_totals
from .values import read_value

TITLE_ROWS = 1  # the table's title above the grid
MAX_LABEL_FINDINGS = 5  # a shifted layout breaks every label below it; the first few say enough


def sheet_name(form: TableForm) -> str:
    return f"表{form.key}"


def address(row: int, col: int) -> str:
    """The Excel address of a grid position of the table's Layout (both from 0): (3, 3) -> D5."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"{letters}{row + 1 + TITLE_ROWS}"


WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
OLD_SUFFIXES = (".xls", ".et")  # Excel 97–2003 and WPS's own format: saved as .xlsx first


def workbooks_in(folder: Path, suffixes: tuple[str, ...] = WORKBOOK_SUFFIXES) -> list[Path]:
    """The workbooks of a folder, without the lock files Excel and WPS leave beside an open one."""
    if not folder.is_dir():
        return []
    return sorted(
        p for p in folder.iterdir() if p.suffix.lower() in suffixes and not p.name.startswith(("~$", ".")) and p.is_file()
    )


def load_tables(folder: Path, fmt: Format, findings: list[Finding]) -> dict[str, TableData]:
    """Each table from its YAML file in `folder`, or from a sheet named after it in a workbook there.

    A table given twice (its YAML file and a sheet, or two sheets) is an error: which one the
    clerk keeps up to date cannot be guessed. The first of them is read.
    """
    forms = list(fmt.tables.values())
    for old in workbooks_in(folder, OLD_SUFFIXES):
        findings.append(
            Finding(Severity.WARNING, "workbook", f"{old.name} 是旧版表格格式，未读取；如要用它代替 YAML，请在 Excel 或 WPS 中另存为 .xlsx", Location(old))
        )
    # Each workbook is opened once a run, and only when something must be read from it: its
    # sheets' names and each table read from it come from the read cache while it is unchanged
    # (openpyxl takes some 150 ms to load and open one).
    opened: dict[Path, _Book] = {}

    def book(path: Path) -> _Book:
        if path not in opened:
            opened[path] = open_workbook(path)
        return opened[path]

    books = [
        (path, cache.reading(path, files.WORKBOOK, "workbook sheets", None, lambda found, path=path: list(book(path).sheetnames), findings))
        for path in workbooks_in(folder)
    ]
    tables: dict[str, TableData] = {}
    for form in forms:
        yaml_file = folder / form.file_name
        sheets = [path for path, names in books if sheet_name(form) in names]
        sources = ([yaml_file.name] if yaml_file.exists() else []) + [f"{p.name} 的“{sheet_name(form)}”工作表" for p in sheets]
        if len(sources) > 1:
            findings.append(
                Finding(
                    Severity.ERROR,
                    "duplicate-table",
                    f"表{form.key}的数据有 {len(sources)} 处：{'、'.join(sources)}；请只保留一处，否则不知道以哪一处为准",
                    Location(yaml_file if yaml_file.exists() else sheets[0]),
                    table=form.key,
                )
            )
        if yaml_file.exists() or not sheets:
            tables[form.key] = load_table(form, yaml_file, fmt, findings)
        else:
            path = sheets[0]
            tables[form.key] = cache.reading(
                path, files.WORKBOOK, f"sheet {form.key}", fmt, lambda found, form=form, path=path: read_sheet(form, path, book(path), found), findings
            )
    for path, names in books:
        if not any(sheet_name(form) in names for form in forms):
            names_wanted = "、".join(sheet_name(form) for form in forms)
            findings.append(
                Finding(Severity.WARNING, "workbook", f"{path.name} 中没有名为 {names_wanted} 的工作表，未读取", Location(path))
            )
    return tables


def load_table(form: TableForm, path: Path, fmt: Format, findings: list[Finding]) -> TableData:
    """A table's YAML file (tablefile.py), from the cache when the file has not changed."""

    def read(found: list[Finding]) -> TableData:
        from . import tablefile  # PyYAML: loaded when a file is read, not from the cache

        return tablefile.load_table(form, path, fmt, found)

    return cache.reading(path, files.YAML, f"table {form.key}", fmt, read, findings)


class _Book:
    """A workbook as written (formulas), with the values Excel last computed loaded when first needed."""

    def __init__(self, path: Path, formulas) -> None:
        self.path = path
        self.formulas = formulas
        self._values = None

    @property
    def sheetnames(self) -> list[str]:
        return self.formulas.sheetnames

    def computed(self, sheet: str, cell: str):
        if self._values is None:
            self._values = _load(self.path, data_only=True)
        return self._values[sheet][cell].value


def open_workbook(path: Path) -> _Book:
    return _Book(path, _load(path, data_only=False))


def _load(path: Path, data_only: bool):
    import io
    import zipfile

    from .published import limits  # lxml, zipfile: loaded when a project has a workbook, not on every start

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    # Read as every input file is (a regular file, of bounded size), and checked as any package
    # we did not write before openpyxl inflates anything: no zip bomb, no DTD.
    data = files.read_bytes(path, files.WORKBOOK)
    limits.open_package(data, Location(path), "Excel 文件")
    try:
        return openpyxl.load_workbook(io.BytesIO(data), data_only=data_only)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise InputError(f"Excel 文件已损坏或不是 .xlsx 文件（{type(exc).__name__}），请在 Excel 或 WPS 中另存为 .xlsx", Location(path)) from None
    except Exception as exc:  # noqa: BLE001 - a damaged package raises many kinds
        raise InputError(f"无法读取 Excel 文件：{exc}", Location(path)) from None


def read_sheet(form: TableForm, path: Path, book: _Book, findings: list[Finding]) -> TableData:
    """One table from its sheet: labels compared with the official ones, every value with its cell."""
    name = sheet_name(form)
    sheet = book.formulas[name]
    data = TableData(form, path)
    if not hasattr(sheet, "cell"):  # a chart sheet holds no cells
        findings.append(
            Finding(Severity.ERROR, "structure", f"“{name}”是图表，不是工作表", Location(path, cell=name), table=form.key)
        )
        data.values = compute_totals(form, data.entries)
        return data
    wrong_labels = 0
    for spot in form.layout.cells:
        where = address(spot.row, spot.col)
        location = Location(path, cell=f"{name}!{where}")
        value = sheet[where].value
        if spot.role in ("header", "label", "caption"):
            written = "" if value is None else str(value)
            if normalize_label(written) != normalize_label(spot.text):
                wrong_labels += 1
                if wrong_labels <= MAX_LABEL_FINDINGS:
                    findings.append(_label_finding(form, spot.text, written, location))
            continue
        if spot.role != "value" or spot.cell is None:
            continue
        cell = form.cell(spot.cell)
        if isinstance(value, str) and value.startswith("="):
            if cell.computed:
                continue  # a total left as a formula: zbreport computes it
            value = _computed_value(book, name, where, value)
        entry = _entry(value, location)
        if not (cell.computed and entry.state == "blank"):  # a total left empty is computed too
            data.entries[cell.key] = entry
    if wrong_labels > MAX_LABEL_FINDINGS:
        findings.append(
            Finding(Severity.ERROR, "structure", f"“{name}”工作表还有 {wrong_labels - MAX_LABEL_FINDINGS} 处表头与官方格式不符", Location(path, cell=name), table=form.key)
        )
    data.values = compute_totals(form, data.entries)
    return data


def _label_finding(form: TableForm, official: str, written: str, location: Location) -> Finding:
    shown = f"“{written}”" if written.strip() else "空白"
    return Finding(
        Severity.ERROR,
        "structure",
        f"此处应为“{official}”，却是{shown}：表格的行列须与官方格式一致（可用 zbreport tables export 重新导出）",
        location,
        table=form.key,
    )


class _Uncomputed(str):
    """A formula Excel has never computed (a workbook written by a program, never saved in Excel)."""


def _computed_value(book: _Book, sheet: str, where: str, formula: str):
    value = book.computed(sheet, where)
    return _Uncomputed(formula) if value is None else value


def _entry(value, location: Location) -> Entry:
    """A cell as the model's Entry: a number, "/" or a dash, blank, or what was typed instead."""
    if isinstance(value, _Uncomputed):
        return Entry("invalid", f"公式 {value}（没有计算结果，请在 Excel 或 WPS 中打开并保存）", location)
    if value is None or (isinstance(value, str) and not value.strip()):
        return Entry("blank", "", location)
    if isinstance(value, bool):
        return Entry("invalid", "TRUE" if value else "FALSE", location)
    if isinstance(value, int):
        return Entry("number", str(value), location, value)
    if isinstance(value, float):
        number = int(value) if value.is_integer() else Decimal(repr(value))
        return Entry("number", str(number), location, number)
    if isinstance(value, Decimal):
        return Entry("number", str(value), location, value)
    return read_value(str(value), location)  # text typed in a cell reads as in a table file
