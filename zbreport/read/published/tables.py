"""An official table read from a published grid: every number at its row and column labels.

The official layout (format/) says which labels head which rows and columns; a published grid
is matched to it by those labels, not by position, so a header split over two lines, a merged
cell repeated in every position or left empty, a row label written with its group, or an
extra column is read the same. Totals are read as published: `check` compares them.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable

from ...records import field, record
from ...diagnostics import Finding, Location, Severity
from ...format import CellForm, CellKey, Format, TableForm
from ...format.labels import LabelReading, damaged_warning, fold, label_key, read_label, superseded, unknown_error
from ...model import Entry, TableData, compute_totals
from ..values import read_value, value_state
from .blocks import Cell, TableBlock

Place = Callable[[str], Location]  # where in the source, from a description of the spot


def old_format_name(fmt: Format) -> str:
    return f"2019年试行格式（{fmt.superseded_name}）" if fmt.superseded_name else "旧版格式"


@record(frozen=False)
class TableReading:
    entries: dict[CellKey, Entry] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    format_2019: bool = False


def table_kind(table: TableBlock, forms: dict[str, TableForm]) -> str | None:
    """Which official table a grid is, by how many of each table's printed labels it holds."""
    written = {label_key(c.text).words for c in table.cells if c.text.strip()}
    best, best_count = None, 1
    for key, form in forms.items():
        labels = {label_key(spot.text) for spot in form.layout.cells if spot.text and spot.role != "corner"}
        count = sum(1 for label in labels if label.words in written or label.short in written)
        if count > best_count:
            best, best_count = key, count
    return best


def read_table(form: TableForm, table: TableBlock, place: Place, fmt: Format) -> TableReading:
    reading = TableReading()
    if form.layout.header_rows:
        _GridReader(form, table, place, reading, fmt).read()
    else:
        _BlockReader(form, table, place, reading, fmt).read()
    return reading


def data_for(form: TableForm, reading: TableReading | None, source) -> TableData:
    data = TableData(form, source)
    if reading is not None:
        data.entries = reading.entries
    data.values = compute_totals(form, data.entries)
    return data


def _cell_place(form: TableForm, cell: CellForm) -> str:
    where = f"“{cell.row_label}”行“{cell.col_label}”列" if cell.row_label else f"“{cell.col_label}”列"
    return f"表{form.key}{where}"


def _is_value(text: str) -> bool:
    """A data cell rather than a header: a number (with its note, if any), "/" or a dash."""
    return value_state(text) in ("number", "not_applicable")


def _flat(text: str) -> str:
    """A cell's text in one line, as it reads: "结果\n维持" → "结果维持"; a space stays between Latin words and numbers."""
    text = text.strip()
    return re.sub(r"\s+", lambda m: " " if _LATIN.match(text[m.start() - 1]) and _LATIN.match(text[m.end()]) else "", text)


_LATIN = re.compile(r"[A-Za-z0-9]")


class _Common:
    def __init__(self, form: TableForm, table: TableBlock, place: Place, reading: TableReading, fmt: Format) -> None:
        self.form = form
        self.fmt = fmt
        self.table = table
        self.place = place
        self.reading = reading
        self.grid = table.grid()
        self.superseded_rows: set[str] = set()
        self.unmatched: list[tuple[Cell, list[int]]] = []  # header cells of columns the format lacks

    def finding(self, severity: Severity, rule: str, message: str, where: str, cells: tuple[CellKey, ...] = ()) -> None:
        self.reading.findings.append(Finding(severity, rule, message, self.place(where), table=self.form.key, cells=cells))

    def read_label(self, text: str, labels: Iterable[str], parents: Iterable[str] = ()) -> LabelReading:
        return read_label(_flat(text), labels, self.fmt.aliases, parents)

    def accept(self, reading: LabelReading, where: str) -> str | None:
        """The official label read, said where it was damaged (as a project's table file says it); None if none."""
        if reading.kind == "damaged":
            self.finding(Severity.WARNING, "label", damaged_warning(reading), where)
        return reading.label if reading.accepted else None

    def old_format(self, text: str, where: str) -> bool:
        message = superseded(text, self.fmt.superseded)
        if message is None:
            return False
        if not self.reading.format_2019:
            self.finding(Severity.ERROR, "R12", f"表{self.form.key}是{old_format_name(self.fmt)}：“{' '.join(text.split())}”。{message}", where)
        self.reading.format_2019 = True
        return True

    def put(self, cell: CellForm, source: Cell | None) -> None:
        if cell.key in self.reading.entries:
            return
        text = _flat(source.text) if source is not None else ""
        self.reading.entries[cell.key] = read_value(text, self.place(_cell_place(self.form, cell)))

    def report_missing(self) -> None:
        by_row: dict[str, list[CellForm]] = {}
        for cell in self.form.input_cells:
            if cell.key not in self.reading.entries and cell.row not in self.superseded_rows:
                by_row.setdefault(cell.row, []).append(cell)
        if self.reading.format_2019 and by_row:
            return  # the R12 finding says why: the old layout has other rows and columns
        for row, cells in by_row.items():
            whole = len(cells) == len([c for c in self.form.input_cells if c.row == row])
            label = cells[0].row_label
            message = f"表{self.form.key}缺少“{label}”一行" if whole and label else "表{}缺少{}".format(
                self.form.key, "、".join(f"“{c.name}”" for c in cells)
            )
            self.finding(Severity.ERROR, "missing", message, f"表{self.form.key}", tuple(c.key for c in cells))

    def unknown(self, reading: LabelReading, where: str) -> None:
        self.finding(Severity.ERROR, "unknown-key", unknown_error(reading), where)


class _GridReader(_Common):
    """表三 and 表四: header rows over value columns, label columns beside value rows."""

    def read(self) -> None:
        layout = self.form.layout
        spots = sorted(layout.cells, key=lambda s: (s.row, s.col))
        # The official paths: labels above each value column, beside each value row.
        col_paths: dict[str, tuple[str, ...]] = {}
        row_paths: dict[str, tuple[str, ...]] = {}
        for spot in spots:
            if spot.role != "value" or spot.cell is None:
                continue
            row_key, col_key = spot.cell
            col_paths.setdefault(col_key, tuple(
                s.text for s in spots
                if s.role == "header" and s.row < layout.header_rows and s.col <= spot.col < s.col + s.colspan
            ))
            row_paths.setdefault(row_key, tuple(
                s.text for s in sorted(spots, key=lambda s: s.col) if s.role == "label" and s.row <= spot.row < s.row + s.rowspan
            ))
        header_rows = self.header_rows(row_paths)
        columns = self.match_columns(col_paths, header_rows)
        if not columns:
            self.finding(Severity.ERROR, "structure", f"表{self.form.key}的表头无法识别，未能读取其中的数字", f"表{self.form.key}")
            return
        first_value_col = min(c for cols in columns.values() for c in cols)
        self.extra_columns(header_rows, first_value_col)
        rows = self.match_rows(row_paths, header_rows, first_value_col)
        for row_key, r in rows.items():
            for col_key, grid_cols in columns.items():
                cell = self.form.cell_by_key.get((row_key, col_key))
                if cell is None:
                    continue
                self.put(cell, self.value_at(r, grid_cols))
        self.report_missing()

    def header_rows(self, row_paths: dict[str, tuple[str, ...]]) -> int:
        """Rows above the first that holds a number or an official row label."""
        labels = [p[-1] for p in row_paths.values() if p]
        for r, row in enumerate(self.grid):
            starting = [c for c in row if c is not None and c.row == r]
            if any(_is_value(c.text) for c in starting):
                return r
            if labels and any(c.col == 0 and self.read_label(c.text, labels).accepted for c in starting):
                return r
        return len(self.grid)

    def match_columns(self, col_paths: dict[str, tuple[str, ...]], header_rows: int) -> dict[str, list[int]]:
        """Official column key → the grid columns under its header (a header may span several)."""
        logical: list[tuple[Cell, list[int], list[str]]] = []  # leaf header cell, its grid columns, path
        for c in range(self.table.n_cols):
            path: list[str] = []
            leaf: Cell | None = None
            for r in range(header_rows):
                cell = self.grid[r][c]
                if cell is None or not cell.text.strip():
                    continue
                if not path or fold(path[-1]) != fold(cell.text):
                    path.append(cell.text)
                leaf = cell
            if leaf is None:
                continue
            if logical and logical[-1][0] is leaf:
                logical[-1][1].append(c)
            else:
                logical.append((leaf, [c], path))
        leaf_labels = [p[-1] for p in col_paths.values()]
        group_labels = [label for p in col_paths.values() for label in p[:-1]]
        by_leaf: dict[str, list[tuple[Cell, list[int], list[str]]]] = {}
        for leaf, cols, path in logical:
            where = f"表{self.form.key}“{_flat(leaf.text)}”列"
            if self.old_format(leaf.text, where):
                continue
            label = self.accept(self.read_label(leaf.text, leaf_labels), where)
            if label is None:
                self.unmatched.append((leaf, cols))
                continue
            groups = [self.read_label(written, group_labels).label for written in path[:-1]]
            by_leaf.setdefault(label, []).append((leaf, cols, [g for g in groups if g]))
        columns: dict[str, list[int]] = {}
        for label, found in by_leaf.items():
            official = [key for key, p in col_paths.items() if p[-1] == label]
            free = list(official)
            chosen: dict[int, str] = {}
            for i, (_, _, groups) in enumerate(found):  # a parent label says which group: 行政复议 or 复议后起诉
                scores = [(sum(g in groups for g in col_paths[key][:-1]), key) for key in free]
                scores.sort(reverse=True)
                if scores and scores[0][0] > 0 and (len(scores) == 1 or scores[1][0] < scores[0][0]):
                    chosen[i] = scores[0][1]
                    free.remove(scores[0][1])
            for i, (_, cols, _) in enumerate(found):  # the rest in the official order, left to right
                key = chosen.get(i) or (free.pop(0) if free else None)
                if key is not None:
                    columns[key] = cols
        return columns

    def extra_columns(self, header_rows: int, first_value_col: int) -> None:
        """Columns among the values that the format does not have (a 小计 added by the agency): said, not read."""
        for header, cols in self.unmatched:
            if min(cols) < first_value_col:
                continue  # the corner, over the row labels
            below = [self.grid[r][c] for r in range(header_rows, len(self.grid)) for c in cols]
            if any(cell is not None and value_state(cell.text) == "number" for cell in below):
                name = " ".join(header.text.split())
                self.finding(Severity.WARNING, "structure", f"表{self.form.key}中的“{name}”一列不是官方格式的列，未读取", f"表{self.form.key}“{name}”列")

    def match_rows(self, row_paths: dict[str, tuple[str, ...]], header_rows: int, first_value_col: int) -> dict[str, int]:
        """Official row key → grid row. A table without row labels (表四) has its one row of numbers."""
        if not any(row_paths.values()):
            key = next(iter(row_paths))
            for r in range(header_rows, len(self.grid)):
                if any(c is not None and _is_value(c.text) for c in self.grid[r][first_value_col:]):
                    return {key: r}
            return {}
        leaves = {p[-1]: key for key, p in row_paths.items()}
        groups = {label for p in row_paths.values() for label in p[:-1]}
        found: dict[str, int] = {}
        for r in range(header_rows, len(self.grid)):
            path: list[str] = []
            for cell in self.grid[r][:first_value_col]:
                if cell is not None and cell.text.strip() and (not path or path[-1] != cell.text):
                    path.append(cell.text)
            values = [c for c in self.grid[r][first_value_col:] if c is not None and c.text.strip()]
            where = f"表{self.form.key}“{_flat(path[-1]) if path else ''}”行"
            if not path:
                if values:
                    self.finding(Severity.ERROR, "structure", f"表{self.form.key}第{r + 1}行有数字却没有行名，未读取", f"表{self.form.key}第{r + 1}行")
                continue
            if not values and self.read_label(path[-1], groups).kind == "same":
                continue  # a group label on a row of its own, as some copies print it
            reading = self.read_label(path[-1], leaves, groups)
            if not reading.accepted and len(path) > 1:  # a label cut over two cells
                joined = self.read_label("".join(path), leaves, groups)
                reading = joined if joined.accepted else reading
            if not reading.accepted:
                superseded_rows = self.fmt.superseded_single_row
                single = self.read_label(path[-1], superseded_rows)
                if single.kind == "same" and single.label and values:
                    self.finding(Severity.ERROR, "R12", f"表{self.form.key}是{old_format_name(self.fmt)}：{superseded_rows[single.label]}", where)
                    self.reading.format_2019 = True
                    self.superseded_rows |= {key for key, p in row_paths.items() if single.label in p}
                elif self.read_label(path[-1], groups).accepted and not values:
                    pass  # a group label, written loosely, on a row of its own
                elif not self.old_format(path[-1], where):
                    self.unknown(reading, where)
                continue
            key = leaves[reading.label]
            if key in found:
                self.finding(Severity.ERROR, "duplicate", f"表{self.form.key}中“{reading.label}”出现了两次，只读取第一次", where)
                continue
            self.accept(reading, where)
            found[key] = r
        return found

    def value_at(self, r: int, grid_cols: list[int]) -> Cell | None:
        cells = [self.grid[r][c] for c in grid_cols if self.grid[r][c] is not None]
        cell = next((c for c in cells if c.text.strip()), cells[0] if cells else None)
        if cell is not None and cell.row != r:
            return None  # a value merged down from the row above counts once, where it is written
        return cell


class _BlockReader(_Common):
    """表二: stacked blocks, each a caption row, a 信息内容 header row, then its data rows."""

    def read(self) -> None:
        blocks: dict[str, list[CellForm]] = {}
        for cell in self.form.cells:
            blocks.setdefault(cell.yaml_path[0], []).append(cell)
        row_header = next(s.text for s in self.form.layout.cells if s.role == "header" and s.col == 0)
        table = f"表{self.form.key}"
        current: str | None = None
        header: dict[str, int] | None = {}  # column label → grid column; None under a 2019 header
        seen_rows: set[str] = set()
        for r, row in enumerate(self.grid):
            starting = [c for c in dict.fromkeys(row) if c is not None and c.text.strip()]
            if not starting:
                continue
            first = starting[0]
            # A caption spans the row; a page that lost the merge repeats it in every cell.
            alone = len({fold(c.text) for c in starting}) == 1
            texts = " ".join(_flat(c.text) for c in (starting[:1] if alone else starting))
            caption = self.read_label(first.text, blocks) if alone else None
            if caption is not None and caption.accepted:
                current, header = self.accept(caption, f"{table}“{texts}”"), {}
                continue
            if alone and self.old_format(first.text, f"{table}“{texts}”"):
                current, header = None, {}
                continue
            if self.read_label(first.text, [row_header]).accepted:
                header = self.header(starting[1:], current, blocks)
                continue
            if current is None and not self.reading.format_2019:
                # Rows before any caption, or under a caption written too loosely to read.
                groups = {c.yaml_path[1]: c.yaml_path[0] for c in self.form.cells}
                row = self.read_label(first.text, groups)
                current = groups[row.label] if row.accepted and row.label else None
            if current is None or header is None:
                continue
            cells = blocks[current]
            labels = list(dict.fromkeys(c.yaml_path[1] for c in cells))
            where = f"{table}“{current}”“{_flat(first.text)}”行"
            reading = self.read_label(first.text, labels)
            if not reading.accepted or reading.label is None:
                if not self.old_format(first.text, where):
                    self.unknown(reading, where)
                continue
            if reading.label in seen_rows:
                self.finding(Severity.ERROR, "duplicate", f"{table}中“{current} {reading.label}”出现了两次，只读取第一次", where)
                continue
            seen_rows.add(reading.label)
            label = self.accept(reading, where)
            row_cells = [c for c in cells if c.yaml_path[1] == label]
            values = [c for c in dict.fromkeys(row[first.col + first.colspan:]) if c is not None]
            for i, cell in enumerate(row_cells):
                col = header.get(cell.col_label)
                if col is not None and self.grid[r][col] is not None and self.grid[r][col] is not first:
                    self.put(cell, self.grid[r][col])
                elif not header and i < len(values):
                    self.put(cell, values[i])
        self.report_missing()

    def header(self, cells: list[Cell], current: str | None, blocks: dict[str, list[CellForm]]) -> dict[str, int] | None:
        """The header row's columns; None when it is a 2019 header, whose columns mean other things."""
        table = f"表{self.form.key}"
        old = [cell for cell in cells if self.old_format(cell.text, f"{table}表头“{_flat(cell.text)}”")]
        if old or current is None:
            return None if old else {}
        labels = list(dict.fromkeys(c.col_label for c in blocks[current]))
        found: dict[str, int] = {}
        for cell in cells:
            where = f"{table}“{current}”“{_flat(cell.text)}”列"
            reading = self.read_label(cell.text, labels)
            label = self.accept(reading, where)
            if label is None:
                self.unknown(reading, where)
                continue
            found.setdefault(label, cell.col)
        return found
