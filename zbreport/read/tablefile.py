"""Reading one official table's YAML file: values keyed by the printed labels, with locations.

The file follows the printed table, nesting labels the way the table merges them; the loader
walks the label tree derived from the table's form, so every label is written once, in format/.
A label is read however a real report writes it (see `format.labels`): a variant silently, a
damaged label with a warning naming both, an unknown one as an error that also names the rows
it leaves missing, so one problem gives one finding.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from ..records import field, record
from . import files, sourceyaml
from ..diagnostics import Finding, Location, Severity
from ..format import CellForm, CellKey, Format, TableForm
from ..format.labels import LabelReading, closest, damaged_warning, likeness, read_label, superseded, unknown_error
from ..model import Entry, TableData, compute_totals
from .values import read_value


@record(frozen=False)
class _LabelNode:
    """One level of a table file's expected nesting, children by their official label."""

    label: str
    cell: CellForm | None = None
    children: dict[str, "_LabelNode"] = field(default_factory=dict)

    def input_cells(self) -> list[CellForm]:
        own = [self.cell] if self.cell is not None and not self.cell.computed else []
        return own + [c for child in self.children.values() for c in child.input_cells()]


def _label_tree(form: TableForm) -> _LabelNode:
    root = _LabelNode(form.title)
    for cell in form.cells:
        node = root
        for label in cell.yaml_path:
            node = node.children.setdefault(label, _LabelNode(label))
        node.cell = cell
    return root


def load_table(form: TableForm, path: Path, fmt: Format, findings: list[Finding]) -> TableData:
    """A table file of a project: every input cell is expected."""
    data = TableData(form, path)
    if not files.present(path):
        findings.append(
            Finding(
                Severity.ERROR,
                "missing-file",
                f"缺少表{form.key}的数据文件（{form.title}）",
                Location(path),
                table=form.key,
                cells=tuple(c.key for c in form.input_cells),
            )
        )
        data.values = compute_totals(form, data.entries)
        return data
    root = sourceyaml.compose(path, findings)
    reader = _TableReader(form, path, fmt, findings)
    if root is None or sourceyaml.is_null(root):
        reader.seen[()] = Location(path, 1, 1)
    else:
        reader.walk(root, _label_tree(form), (), Location(path, 1, 1))
    reader.report_missing()
    data.entries = reader.entries
    data.combined = reader.combined
    data.values = compute_totals(form, data.entries, data.combined)
    return data


def read_entries(form: TableForm, path: Path, node: yaml.Node, fmt: Format, findings: list[Finding]) -> dict[CellKey, Entry]:
    """The cells a mapping gives, in the table file's layout, without asking for the rest.

    For figures of last year, which may be partial and may give a total without its parts.
    """
    reader = _TableReader(form, path, fmt, findings, partial=True)
    reader.walk(node, _label_tree(form), (), sourceyaml.location(path, node))
    return reader.entries


class _TableReader:
    def __init__(self, form: TableForm, path: Path, fmt: Format, findings: list[Finding], partial: bool = False) -> None:
        self.form = form
        self.fmt = fmt
        self.partial = partial  # last year's figures: only what is needed, nothing is missing
        self.path = path
        self.findings = findings
        self.entries: dict[CellKey, Entry] = {}
        self.combined: dict[tuple[tuple[str, ...], str], Entry] = {}
        self.seen: dict[tuple[str, ...], Location] = {}  # label paths read, at their keys
        self.reported: set[CellKey] = set()  # cells another finding already says are missing

    def finding(self, severity: Severity, rule: str, message: str, node: yaml.Node, cells=()) -> None:
        self.findings.append(
            Finding(severity, rule, message, sourceyaml.location(self.path, node), table=self.form.key, cells=tuple(cells))
        )

    def account_for(self, cells: list[CellForm]) -> tuple[CellKey, ...]:
        """Cells a finding covers: not reported again as missing."""
        keys = tuple(c.key for c in cells if c.key not in self.entries)
        self.reported.update(keys)
        return keys

    def walk(self, node: yaml.Node, expected: _LabelNode, labels: tuple[str, ...], where: Location) -> None:
        row_cells = [c.cell for c in expected.children.values() if c.cell and not c.cell.computed]
        if isinstance(node, yaml.ScalarNode) and len(row_cells) == 1 and expected.children:
            # Shorthand for a one-value row, e.g. "行政许可: 0".
            self.entry(row_cells[0], node)
            return
        if not isinstance(node, yaml.MappingNode):
            place = "".join(f"“{l}”" for l in labels[-1:]) or f"表{self.form.key}"
            wanted = "、".join(expected.children)
            cells = self.account_for(expected.input_cells())
            self.finding(Severity.ERROR, "structure", f"{place}下应逐项填写：{wanted}", node, cells)
            return
        self.seen[labels] = where
        taken: dict[str, yaml.Node] = {}
        unknown: list[tuple[LabelReading, yaml.Node]] = []
        old: list[tuple[str, str, yaml.Node]] = []  # 2019 labels: (as written, what 2021 has, key)
        for key, key_node, value_node in sourceyaml.mapping_items(self.path, node, self.findings):
            instead = superseded(key, self.fmt.superseded)
            if instead:
                old.append((key, instead, key_node))
                continue
            reading = read_label(key, expected.children, self.fmt.aliases)
            if not reading.accepted:
                unknown.append((reading, key_node))
                continue
            label = reading.label or ""
            if label in taken:
                first = sourceyaml.location(self.path, taken[label])
                self.finding(
                    Severity.ERROR,
                    "duplicate-key",
                    f"“{key}”与第 {first.line} 行的“{taken[label].value}”是同一项“{label}”，只保留第一次填写的值",
                    key_node,
                )
                continue
            taken[label] = key_node
            if reading.kind == "damaged":
                self.finding(Severity.WARNING, "label", damaged_warning(reading), key_node)
            child = expected.children[label]
            if child.cell is not None:
                self.entry(child.cell, value_node)
            elif label in self.fmt.superseded_single_row and self.is_row_of_numbers(value_node, child):
                self.combined_row(child, value_node)
                cells = self.account_for(child.input_cells())
                self.finding(Severity.ERROR, "R12", self.fmt.superseded_single_row[label], key_node, cells)
            else:
                self.walk(value_node, child, labels + (label,), sourceyaml.location(self.path, key_node))
        missing = [] if self.partial else [
            child for label, child in expected.children.items() if label not in taken and child.input_cells()
        ]
        if old:
            self.report_2019_labels(old, missing)
        else:
            self.report_unknown(unknown, missing, list(expected.children))

    def report_2019_labels(self, old: list[tuple[str, str, yaml.Node]], missing: list[_LabelNode]) -> None:
        """One R12 finding for the 2019 labels of one place, naming what 2021 has instead."""
        written = "".join(f"“{key}”" for key, _, _ in old)
        instead = "；".join(dict.fromkeys(message for _, message, _ in old))
        cells = self.account_for([c for child in missing for c in child.input_cells()])
        self.finding(Severity.ERROR, "R12", f"{written}是2019年试行格式的写法：{instead}", old[0][2], cells)

    def report_unknown(
        self, unknown: list[tuple[LabelReading, yaml.Node]], missing: list[_LabelNode], here: list[str]
    ) -> None:
        """Each unknown label once, with the rows of this place left missing that it may have meant."""
        if not unknown:
            return
        meant: dict[int, list[_LabelNode]] = {i: [] for i in range(len(unknown))}
        for child in missing:  # each missing row goes to the unknown label most like it
            scores = [likeness(reading.written, child.label) for reading, _ in unknown]
            meant[scores.index(max(scores))].append(child)
        for i, (reading, key_node) in enumerate(unknown):
            message = unknown_error(reading)
            if meant[i]:
                message += "；此处缺少" + "、".join(f"“{child.label}”" for child in meant[i])
            elif not reading.candidates:
                message += f"；此处可填写：{'、'.join(here)}"
            cells = self.account_for([c for child in meant[i] for c in child.input_cells()])
            self.finding(Severity.ERROR, "unknown-key", message, key_node, cells)

    def is_row_of_numbers(self, node: yaml.Node, group: _LabelNode) -> bool:
        """A value written for a group of rows that is one row of numbers, as in 2019: its keys
        name columns rather than the group's rows, and each holds a number."""
        if isinstance(node, yaml.ScalarNode):
            return not sourceyaml.is_null(node)
        if not isinstance(node, yaml.MappingNode) or not node.value:
            return False
        if not all(isinstance(value, yaml.ScalarNode) for _, value in node.value):
            return False
        columns = next(iter(group.children.values())).children
        keys = [str(k.value) for k, _ in node.value]
        as_columns = sum(read_label(k, columns, self.fmt.aliases).accepted for k in keys)
        as_rows = sum(read_label(k, group.children, self.fmt.aliases).accepted for k in keys)
        return as_columns > as_rows

    def combined_row(self, group: _LabelNode, node: yaml.Node) -> None:
        """Keep a 2019 single row's numbers as the sum of the rows the 2021 format splits it into."""
        if not isinstance(node, yaml.MappingNode):
            return
        rows = tuple(dict.fromkeys(c.row for c in group.input_cells()))
        first_row = next(iter(group.children.values()))
        columns = {label: child.cell for label, child in first_row.children.items() if child.cell is not None}
        for key, _, value_node in sourceyaml.mapping_items(self.path, node, self.findings):
            reading = read_label(key, columns, self.fmt.aliases)
            if reading.accepted and reading.label is not None:
                column = columns[reading.label]
                if not column.computed:
                    self.combined[(rows, column.col)] = parse_entry(self.path, value_node)

    def entry(self, cell: CellForm, node: yaml.Node) -> None:
        self.entries[cell.key] = parse_entry(self.path, node)

    def report_missing(self) -> None:
        missing = [c for c in self.form.input_cells if c.key not in self.entries and c.key not in self.reported]
        by_row: dict[str, list[CellForm]] = {}
        for cell in missing:
            by_row.setdefault(cell.row, []).append(cell)
        for row, cells in by_row.items():
            row_inputs = [c for c in self.form.input_cells if c.row == row]
            where = self.nearest_seen(cells[0].yaml_path)
            if len(cells) == len(row_inputs) and cells[0].row_label:
                message = f"缺少“{cells[0].row_label}”一行"
            else:
                message = "缺少" + "、".join(f"“{c.name}”" for c in cells)
            self.findings.append(
                Finding(Severity.ERROR, "missing", message, where, table=self.form.key, cells=tuple(c.key for c in cells))
            )

    def nearest_seen(self, yaml_path: tuple[str, ...]) -> Location:
        for n in range(len(yaml_path), -1, -1):
            if yaml_path[:n] in self.seen:
                return self.seen[yaml_path[:n]]
        return Location(self.path, 1, 1)


# ---------------------------------------------------------------- one value


def parse_entry(path: Path, node: yaml.Node) -> Entry:
    """A value as typed: a number (with a note after it), "/" or a dash, blank, or something else."""
    loc = sourceyaml.location(path, node)
    if sourceyaml.is_null(node):
        return Entry("blank", "", loc)
    if not isinstance(node, yaml.ScalarNode):
        return Entry("invalid", sourceyaml.node_kind(node), loc)
    return read_value(str(node.value), loc)


def unknown_key(
    path: Path, key: str, key_node: yaml.Node, valid: list[str] | tuple[str, ...], severity: Severity, table: str | None = None
) -> Finding:
    """A key that is none of `valid`, with the closest one suggested (report.yaml, last year's file)."""
    near = closest(key, valid)
    hint = f"，是否应为“{near}”？" if near else f"，此处可填写：{'、'.join(valid)}"
    return Finding(severity, "unknown-key", f"无法识别“{key}”{hint}", sourceyaml.location(path, key_node), table=table)
