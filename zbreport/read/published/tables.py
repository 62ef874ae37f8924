"""An official table read from a published grid: every number at its row and column labels.

The official layout (format/) says which labels head which rows and columns; a published grid
is matched to it by those labels, not by position, so a header split over two lines, a merged
cell repeated in every position or left empty, a row label written with its group, or an
extra column is read the same. Totals are read as published: `check` compares them.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ...diagnostics import Finding, Location, Severity
from ...format import CellForm, CellKey, Format, TableForm
from ...model import Entry, TableData, compute_totals
from .blocks import Cell, TableBlock
from .labelmatch import label_core, label_key, match_label
from .values import looks_numeric, published_entry

Place = Callable[[str], Location]  # where in the source, from a description of the spot

# 2019 labels that cannot be a 2021 label written loosely: their presence names the old format.
# (规范性文件 and 处理决定数量 can be damaged 2021 labels, so they alone do not.)
_LOOSE_2021 = {"规范性文件", "处理决定数量"}


def old_format_name(fmt: Format) -> str:
    return f"2019年试行格式（{fmt.superseded_name}）" if fmt.superseded_name else "旧版格式"


@dataclass
class TableReading:
    entries: dict[CellKey, Entry] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    format_2019: bool = False


def table_kind(table: TableBlock, forms: dict[str, TableForm]) -> str | None:
    """Which official table a grid is, by how many of each table's printed labels it holds."""
    keys = {label_key(c.text) for c in table.cells if c.text.strip()}
    cores = {label_core(c.text) for c in table.cells if c.text.strip()}
    best, best_count = None, 1
    for key, form in forms.items():
        labels = {spot.text for spot in form.layout.cells if spot.text and spot.role != "corner"}
        count = sum(1 for label in labels if label_key(label) in keys or label_core(label) in cores)
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


def _superseded(text: str, fmt: Format) -> str | None:
    key = label_key(text)
    for label, message in fmt.superseded.items():
        if label not in _LOOSE_2021 and label_key(label) == key:
            return message
    return None


def _is_number(text: str) -> bool:
    return published_entry(text, Location(Path("."))).state == "number"


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

    def label_warning(self, written: str, official: str, where: str) -> None:
        self.finding(Severity.WARNING, "label", f"“{written}”与官方格式的“{official}”不一致，按“{official}”读取", where)

    def old_format(self, text: str, where: str) -> bool:
        message = _superseded(text, self.fmt)
        if message is None:
            return False
        if not self.reading.format_2019:
            self.finding(Severity.ERROR, "R12", f"表{self.form.key}是{old_format_name(self.fmt)}：“{' '.join(text.split())}”。{message}", where)
        self.reading.format_2019 = True
        return True

    def put(self, cell: CellForm, source: Cell | None) -> None:
        if cell.key in self.reading.entries:
            return
        text = source.text if source is not None else ""
        self.reading.entries[cell.key] = published_entry(text, self.place(_cell_place(self.form, cell)))

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

    def unknown(self, text: str, choices: list[str], where: str) -> None:
        written = " ".join(text.split())
        close = difflib.get_close_matches(label_core(text), [label_core(c) for c in choices], n=1, cutoff=0.5)
        hint = next((f"，是否应为“{c}”？" for c in choices if close and label_core(c) == close[0]), "")
        self.finding(Severity.ERROR, "unknown-key", f"表{self.form.key}中无法识别“{written}”{hint}", where)


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
            if any(looks_numeric(c.text) for c in starting):
                return r
            if labels and any(c.col == 0 and match_label(c.text, labels) for c in starting):
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
                if not path or label_key(path[-1]) != label_key(cell.text):
                    path.append(cell.text)
                leaf = cell
            if leaf is None:
                continue
            if logical and logical[-1][0] is leaf:
                logical[-1][1].append(c)
            else:
                logical.append((leaf, [c], path))
        leaf_labels = [p[-1] for p in col_paths.values()]
        by_leaf: dict[str, list[tuple[Cell, list[int], list[str]]]] = {}
        for leaf, cols, path in logical:
            if self.old_format(leaf.text, f"表{self.form.key}表头“{' '.join(leaf.text.split())}”"):
                continue
            match = match_label(leaf.text, leaf_labels)
            if match is None:
                self.unmatched.append((leaf, cols))
                continue
            if not match.exact:
                self.label_warning(leaf.text, match.label, f"表{self.form.key}表头")
            by_leaf.setdefault(match.label, []).append((leaf, cols, path))
        columns: dict[str, list[int]] = {}
        for label, found in by_leaf.items():
            official = [key for key, p in col_paths.items() if p[-1] == label]
            free = list(official)
            chosen: dict[int, str] = {}
            for i, (_, _, path) in enumerate(found):  # a parent label says which group: 行政复议 or 复议后起诉
                scores = [(self.ancestors_found(col_paths[key][:-1], path[:-1]), key) for key in free]
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
            if any(cell is not None and _is_number(cell.text) for cell in below):
                name = " ".join(header.text.split())
                self.finding(Severity.WARNING, "structure", f"表{self.form.key}中的“{name}”一列不是官方格式的列，未读取", f"表{self.form.key}“{name}”列")

    @staticmethod
    def ancestors_found(official: tuple[str, ...], written: list[str]) -> int:
        return sum(1 for label in official if any(label_key(label) == label_key(w) for w in written))

    def match_rows(self, row_paths: dict[str, tuple[str, ...]], header_rows: int, first_value_col: int) -> dict[str, int]:
        """Official row key → grid row. A table without row labels (表四) has its one row of numbers."""
        if not any(row_paths.values()):
            key = next(iter(row_paths))
            for r in range(header_rows, len(self.grid)):
                if any(c is not None and looks_numeric(c.text) for c in self.grid[r][first_value_col:]):
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
            where = f"表{self.form.key}“{' '.join(path[-1].split()) if path else ''}”行"
            if not path:
                if values:
                    self.finding(Severity.ERROR, "structure", f"表{self.form.key}第{r + 1}行有数字却没有行名，未读取", f"表{self.form.key}第{r + 1}行")
                continue
            match = match_label(path[-1], leaves) or match_label("".join(path), leaves)
            if match is None:
                superseded_rows = self.fmt.superseded_single_row
                single = next((label for label in superseded_rows if label_key(label) == label_key(path[-1])), None)
                if single and values:
                    self.finding(Severity.ERROR, "R12", f"表{self.form.key}是{old_format_name(self.fmt)}：{superseded_rows[single]}", where)
                    self.reading.format_2019 = True
                    self.superseded_rows |= {key for key, p in row_paths.items() if single in p}
                elif match_label(path[-1], groups) is not None and not values:
                    pass  # a group label on a row of its own, as some copies print it
                elif not self.old_format(path[-1], where):
                    self.unknown(path[-1], list(leaves), where)
                continue
            key = leaves[match.label]
            if key in found:
                self.finding(Severity.ERROR, "duplicate", f"表{self.form.key}中“{match.label}”出现了两次，只读取第一次", where)
                continue
            if not match.exact:
                self.label_warning(path[-1], match.label, where)
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
        current: str | None = None
        header: dict[str, int] | None = {}  # column label → grid column; None under a 2019 header
        seen_rows: set[str] = set()
        for r, row in enumerate(self.grid):
            starting = [c for c in dict.fromkeys(row) if c is not None and c.text.strip()]
            if not starting:
                continue
            first = starting[0]
            # A caption spans the row; a page that lost the merge repeats it in every cell.
            alone = len({label_key(c.text) for c in starting}) == 1
            texts = " ".join(" ".join(c.text.split()) for c in (starting[:1] if alone else starting))
            caption = match_label(first.text, blocks) if alone else None
            if caption is not None:
                if not caption.exact:
                    self.label_warning(first.text, caption.label, f"表二“{texts}”")
                current, header = caption.label, {}
                continue
            if alone and self.old_format(first.text, f"表二“{texts}”"):
                current, header = None, {}
                continue
            if match_label(first.text, [row_header]) is not None:
                header = self.header(starting[1:], current, blocks)
                continue
            if current is None and not self.reading.format_2019:
                # Rows before any caption, or under a caption written too loosely to read.
                labels = {c.yaml_path[1]: c.yaml_path[0] for c in self.form.cells}
                match = match_label(first.text, labels)
                current = labels[match.label] if match else None
            if current is None or header is None:
                continue
            cells = blocks[current]
            labels = list(dict.fromkeys(c.yaml_path[1] for c in cells))
            where = f"表二“{current}”“{' '.join(first.text.split())}”行"
            match = match_label(first.text, labels)
            if match is None:
                if not self.old_format(first.text, where):
                    self.unknown(first.text, labels, where)
                continue
            if match.label in seen_rows:
                self.finding(Severity.ERROR, "duplicate", f"表二中“{current} {match.label}”出现了两次，只读取第一次", where)
                continue
            seen_rows.add(match.label)
            if not match.exact:
                self.label_warning(first.text, match.label, where)
            row_cells = [c for c in cells if c.yaml_path[1] == match.label]
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
        old = [cell for cell in cells if self.old_format(cell.text, f"表二表头“{' '.join(cell.text.split())}”")]
        if old or current is None:
            return None if old else {}
        labels = list(dict.fromkeys(c.col_label for c in blocks[current]))
        found: dict[str, int] = {}
        for cell in cells:
            where = f"表二“{current}”表头“{' '.join(cell.text.split())}”"
            match = match_label(cell.text, labels)
            if match is None:
                self.unknown(cell.text, labels, where)
                continue
            if not match.exact:
                self.label_warning(cell.text, match.label, where)
            found.setdefault(match.label, cell.col)
        return found
