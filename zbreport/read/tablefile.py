"""Reading one official table's YAML file: values keyed by the printed labels, with locations.

The file follows the printed table, nesting labels the way the table merges them; the loader
walks the label tree derived from the table's form, so every label is written once, in format/.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import sourceyaml
from ..diagnostics import Finding, Location, Severity
from ..format import CellForm, CellKey, Format, TableForm, normalize_label
from ..model import Entry, TableData, compute_totals

@dataclass
class _LabelNode:
    """One level of a table file's expected nesting."""

    label: str
    cell: CellForm | None = None
    children: dict[str, "_LabelNode"] = field(default_factory=dict)


def _label_tree(form: TableForm) -> _LabelNode:
    root = _LabelNode(form.title)
    for cell in form.cells:
        node = root
        for label in cell.yaml_path:
            node = node.children.setdefault(normalize_label(label), _LabelNode(label))
        node.cell = cell
    return root


def load_table(form: TableForm, path: Path, fmt: Format, findings: list[Finding]) -> TableData:
    """A table file of a project: every input cell is expected."""
    data = TableData(form, path)
    if not path.exists():
        findings.append(
            Finding(Severity.ERROR, "missing-file", f"缺少表{form.key}的数据文件（{form.title}）", Location(path), table=form.key)
        )
        data.values = compute_totals(form, data.entries)
        return data
    root = sourceyaml.compose(path)
    reader = _TableReader(form, path, fmt, findings)
    if root is None or sourceyaml.is_null(root):
        reader.seen[()] = Location(path, 1, 1)
    else:
        reader.walk(root, _label_tree(form), (), Location(path, 1, 1))
    reader.report_missing()
    data.entries = reader.entries
    data.values = compute_totals(form, data.entries)
    return data


def read_entries(form: TableForm, path: Path, node: yaml.Node, fmt: Format, findings: list[Finding]) -> dict[CellKey, Entry]:
    """The cells a mapping gives, in the table file's layout, without asking for the rest.

    For figures of last year, which may be partial and may give a total without its parts.
    """
    reader = _TableReader(form, path, fmt, findings)
    reader.walk(node, _label_tree(form), (), sourceyaml.location(path, node))
    return reader.entries


class _TableReader:
    def __init__(self, form: TableForm, path: Path, fmt: Format, findings: list[Finding]) -> None:
        self.form = form
        self.fmt = fmt
        self.path = path
        self.findings = findings
        self.entries: dict[tuple[str, str], Entry] = {}
        self.seen: dict[tuple[str, ...], Location] = {}  # label paths read, at their keys
        self.superseded: set[tuple[str, ...]] = set()  # paths written in the 2019 layout, reported once

    def finding(self, severity: Severity, rule: str, message: str, node: yaml.Node, cells=()) -> None:
        self.findings.append(
            Finding(severity, rule, message, sourceyaml.location(self.path, node), table=self.form.key, cells=tuple(cells))
        )

    def walk(self, node: yaml.Node, expected: _LabelNode, labels: tuple[str, ...], where: Location) -> None:
        row_cells = [c.cell for c in expected.children.values() if c.cell and not c.cell.computed]
        if isinstance(node, yaml.ScalarNode) and len(row_cells) == 1 and expected.children:
            # Shorthand for a one-value row, e.g. "行政许可: 0".
            self.entry(row_cells[0], node)
            return
        if not isinstance(node, yaml.MappingNode):
            where = "".join(f"“{l}”" for l in labels[-1:]) or f"表{self.form.key}"
            wanted = "、".join(c.label for c in expected.children.values())
            self.finding(Severity.ERROR, "structure", f"{where}下应逐项填写：{wanted}", node)
            return
        self.seen[labels] = where
        for key, key_node, value_node in sourceyaml.mapping_items(self.path, node, self.findings):
            child = expected.children.get(normalize_label(key))
            if child is None:
                self.unknown(key, key_node, expected)
            elif child.cell is not None:
                self.entry(child.cell, value_node)
            elif key in self.fmt.superseded_single_row and _holds_no_label_of(value_node, child):
                self.finding(Severity.ERROR, "R12", self.fmt.superseded_single_row[key], key_node)
                self.superseded.add(labels + (child.label,))
            else:
                self.walk(value_node, child, labels + (child.label,), sourceyaml.location(self.path, key_node))

    def unknown(self, key: str, key_node: yaml.Node, expected: _LabelNode) -> None:
        superseded = self.fmt.superseded.get(key) or self.fmt.superseded.get(normalize_label(key))
        if superseded:
            self.finding(Severity.ERROR, "R12", f"“{key}”是2019年试行格式的写法：{superseded}", key_node)
            return
        self.findings.append(
            unknown_key(self.path, key, key_node, [c.label for c in expected.children.values()], Severity.ERROR, self.form.key)
        )

    def entry(self, cell: CellForm, node: yaml.Node) -> None:
        loc = sourceyaml.location(self.path, node)
        if sourceyaml.is_null(node):
            self.entries[cell.key] = Entry("blank", "", loc)
        elif not isinstance(node, yaml.ScalarNode):
            self.entries[cell.key] = Entry("invalid", sourceyaml.node_kind(node), loc)
        else:
            text = str(node.value).strip()
            number = sourceyaml.scalar_number(node)
            if number is not None:
                self.entries[cell.key] = Entry("number", text, loc, number)
            elif text in ("/", "／"):
                self.entries[cell.key] = Entry("not_applicable", text, loc)
            elif text == "":
                self.entries[cell.key] = Entry("blank", text, loc)
            else:
                self.entries[cell.key] = Entry("invalid", text, loc)

    def report_missing(self) -> None:
        missing = [
            c
            for c in self.form.input_cells
            if c.key not in self.entries and not any(c.yaml_path[: len(p)] == p for p in self.superseded)
        ]
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


def _holds_no_label_of(node: yaml.Node, expected: _LabelNode) -> bool:
    """True where a value written for a group names none of its rows: one row of numbers, as in 2019."""
    if isinstance(node, yaml.ScalarNode):
        return True
    if isinstance(node, yaml.MappingNode):
        return all(normalize_label(str(k.value)) not in expected.children for k, _ in node.value)
    return False


def unknown_key(
    path: Path, key: str, key_node: yaml.Node, valid: list[str] | tuple[str, ...], severity: Severity, table: str | None = None
) -> Finding:
    normalized = {normalize_label(v): v for v in valid}
    close = difflib.get_close_matches(normalize_label(key), list(normalized), n=1, cutoff=0.5)
    hint = f"，是否应为“{normalized[close[0]]}”？" if close else f"，此处可填写：{'、'.join(valid)}"
    return Finding(severity, "unknown-key", f"无法识别“{key}”{hint}", sourceyaml.location(path, key_node), table=table)
