"""Reading a report project folder into one Report model, with findings about its structure.

A project folder holds:
    report.yaml            机关全称, 年度, 联系方式, optional 导语
    sections/1-overview.md … 6-other.md   the narrative, one Markdown file a section
    tables/table2.yaml, table3.yaml, table4.yaml   the numbers, keyed by the official labels
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import sourceyaml
from .diagnostics import Finding, InputError, Location, Severity
from .forms import (
    FORMAT_NAME,
    SECTIONS,
    SUPERSEDED_2019,
    SUPERSEDED_2019_SINGLE_ROW,
    CellForm,
    SectionForm,
    TableForm,
    normalize_label,
)
from .model import (
    Block,
    Entry,
    Heading,
    Metadata,
    OfficialTablePlace,
    Paragraph,
    Report,
    Section,
    Span,
    TableData,
    compute_totals,
)
from .narrative import parse_markdown

REPORT_FILE = "report.yaml"
SECTIONS_DIR = "sections"
TABLES_DIR = "tables"

# report.yaml keys, as the clerk types them
ISSUER = "机关全称"
YEAR = "年度"
CONTACT = "联系方式"
INTRO = "导语"
METADATA_KEYS = (ISSUER, YEAR, CONTACT, INTRO)
CONTACT_KEYS = ("地址", "邮编", "电话", "电子邮箱", "网址")


@dataclass
class LoadedProject:
    report: Report
    findings: list[Finding] = field(default_factory=list)


def load_project(project_dir: Path) -> LoadedProject:
    """Read a project folder. Unreadable input raises InputError; fixable problems become findings."""
    if not project_dir.exists():
        raise InputError("找不到项目文件夹", Location(project_dir))
    if not project_dir.is_dir():
        raise InputError("应为项目文件夹，却是一个文件", Location(project_dir))
    findings: list[Finding] = []
    meta = load_metadata(project_dir / REPORT_FILE, findings)
    tables = {
        s.table.key: load_table(s.table, project_dir / TABLES_DIR / s.table.file_name, findings)
        for s in SECTIONS
        if s.table
    }
    sections = tuple(load_section(project_dir, s, findings) for s in SECTIONS)
    return LoadedProject(Report(project_dir, meta, sections, tables), findings)


# ---------------------------------------------------------------- report.yaml


def load_metadata(path: Path, findings: list[Finding]) -> Metadata:
    root = sourceyaml.compose(path)
    if not isinstance(root, yaml.MappingNode):
        raise InputError(f"应填写{ISSUER}、{YEAR}等报告信息", Location(path, 1, 1))
    values: dict[str, yaml.Node] = {}
    locations: dict[str, Location] = {}
    for key, key_node, value_node in sourceyaml.mapping_items(path, root, findings):
        if key not in METADATA_KEYS:
            findings.append(_unknown_key(path, key, key_node, METADATA_KEYS, Severity.WARNING))
            continue
        values[key] = value_node
        locations[key] = sourceyaml.location(path, value_node)

    issuer = _text(path, values, ISSUER, required=True)
    year_node = values.get(YEAR)
    if year_node is None:
        raise InputError(f"缺少“{YEAR}”（例如 {YEAR}: 2024）", Location(path, 1, 1))
    year = sourceyaml.scalar_number(year_node) if isinstance(year_node, yaml.ScalarNode) else None
    if not isinstance(year, int) or not 1990 <= year <= 2200:
        raise InputError(f"“{YEAR}”应为四位数的年份，例如 2024", sourceyaml.location(path, year_node))

    contact: list[tuple[str, str]] = []
    contact_node = values.get(CONTACT)
    if isinstance(contact_node, yaml.MappingNode):
        for key, key_node, value_node in sourceyaml.mapping_items(path, contact_node, findings):
            if not isinstance(value_node, yaml.ScalarNode) or sourceyaml.is_null(value_node):
                findings.append(
                    Finding(Severity.WARNING, "blank", f"联系方式“{key}”未填写", sourceyaml.location(path, key_node))
                )
                continue
            contact.append((key, str(value_node.value).strip()))
        order = {k: i for i, k in enumerate(CONTACT_KEYS)}
        contact.sort(key=lambda kv: order.get(kv[0], len(order)))
    elif contact_node is not None and not sourceyaml.is_null(contact_node):
        raise InputError(f"“{CONTACT}”下应逐项填写：{'、'.join(CONTACT_KEYS)}", sourceyaml.location(path, contact_node))

    intro_text = _text(path, values, INTRO, required=False)
    if intro_text:
        intro_node = values[INTRO]
        # A block scalar's text starts on the line after its key.
        first_line = intro_node.start_mark.line + 1 + (1 if intro_node.style in ("|", ">") else 0)
        intro = tuple(parse_markdown(intro_text, path, first_line))
    else:
        intro = generated_intro(issuer or "", year, contact)
    return Metadata(issuer or "", year, tuple(contact), intro, locations)


def generated_intro(issuer: str, year: int, contact: list[tuple[str, str]]) -> tuple[Block, ...]:
    """The opening paragraph every report carries: legal basis, the six parts, the period, a contact."""
    parts = "、".join(s.title.split("、", 1)[1] for s in SECTIONS)
    text = (
        f"本报告依据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《中华人民共和国政府信息公开"
        f"工作年度报告格式》（{FORMAT_NAME}）编制，包括{parts}六个部分。报告中的数据统计期限为"
        f"{year}年1月1日至{year}年12月31日。"
    )
    if contact:
        details = "；".join(f"{label}：{value}" for label, value in contact)
        text += f"对本报告如有疑问，请与{issuer}联系（{details}）。"
    return (Paragraph((Span(text),)),)


def _text(path: Path, values: dict[str, yaml.Node], key: str, *, required: bool) -> str | None:
    node = values.get(key)
    if node is None or sourceyaml.is_null(node):
        if required:
            raise InputError(f"缺少“{key}”", Location(path, 1, 1))
        return None
    if not isinstance(node, yaml.ScalarNode):
        raise InputError(f"“{key}”应为一段文字，不是{sourceyaml.node_kind(node)}", sourceyaml.location(path, node))
    return str(node.value).strip()


# ---------------------------------------------------------------- sections


def load_section(project_dir: Path, form: SectionForm, findings: list[Finding]) -> Section:
    path = project_dir / SECTIONS_DIR / form.file_name
    if not path.exists():
        if form.table is None:
            findings.append(
                Finding(Severity.ERROR, "missing-section", f"缺少“{form.title}”的正文文件", Location(path))
            )
        return Section(form, (), None)
    blocks = parse_markdown(sourceyaml.read_text(path), path)
    blocks = _drop_own_title(form, blocks, findings)
    if form.table is None:
        for block in blocks:
            if isinstance(block, OfficialTablePlace):
                findings.append(
                    Finding(Severity.WARNING, "table-place", f"“{form.title}”没有统计表，<!-- 表格 --> 被忽略", block.location)
                )
        blocks = [b for b in blocks if not isinstance(b, OfficialTablePlace)]
    return Section(form, tuple(blocks), path)


def _drop_own_title(form: SectionForm, blocks: list[Block], findings: list[Finding]) -> list[Block]:
    """A file may open with its section title; the official wording is what gets printed."""
    first = blocks[0] if blocks else None
    if isinstance(first, Heading) and first.level == 1:
        if normalize_label(first.text) != normalize_label(form.title):
            findings.append(
                Finding(
                    Severity.WARNING,
                    "section-title",
                    f"章节标题“{first.text}”与官方格式不一致，报告中使用“{form.title}”",
                    first.location,
                )
            )
        return blocks[1:]
    return blocks


# ---------------------------------------------------------------- tables


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


def load_table(form: TableForm, path: Path, findings: list[Finding]) -> TableData:
    data = TableData(form, path)
    if not path.exists():
        findings.append(
            Finding(Severity.ERROR, "missing-file", f"缺少表{form.key}的数据文件（{form.title}）", Location(path), table=form.key)
        )
        data.values = compute_totals(form, data.entries)
        return data
    root = sourceyaml.compose(path)
    reader = _TableReader(form, path, findings)
    if root is None or sourceyaml.is_null(root):
        reader.seen[()] = Location(path, 1, 1)
    else:
        reader.walk(root, _label_tree(form), (), Location(path, 1, 1))
    reader.report_missing()
    data.entries = reader.entries
    data.values = compute_totals(form, data.entries)
    return data


class _TableReader:
    def __init__(self, form: TableForm, path: Path, findings: list[Finding]) -> None:
        self.form = form
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
            elif key in SUPERSEDED_2019_SINGLE_ROW and _holds_no_label_of(value_node, child):
                self.finding(Severity.ERROR, "R12", SUPERSEDED_2019_SINGLE_ROW[key], key_node)
                self.superseded.add(labels + (child.label,))
            else:
                self.walk(value_node, child, labels + (child.label,), sourceyaml.location(self.path, key_node))

    def unknown(self, key: str, key_node: yaml.Node, expected: _LabelNode) -> None:
        superseded = SUPERSEDED_2019.get(key) or SUPERSEDED_2019.get(normalize_label(key))
        if superseded:
            self.finding(Severity.ERROR, "R12", f"“{key}”是2019年试行格式的写法：{superseded}", key_node)
            return
        self.findings.append(
            _unknown_key(self.path, key, key_node, [c.label for c in expected.children.values()], Severity.ERROR, self.form.key)
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


def _unknown_key(
    path: Path, key: str, key_node: yaml.Node, valid: list[str] | tuple[str, ...], severity: Severity, table: str | None = None
) -> Finding:
    normalized = {normalize_label(v): v for v in valid}
    close = difflib.get_close_matches(normalize_label(key), list(normalized), n=1, cutoff=0.5)
    hint = f"，是否应为“{normalized[close[0]]}”？" if close else f"，此处可填写：{'、'.join(valid)}"
    return Finding(severity, "unknown-key", f"无法识别“{key}”{hint}", sourceyaml.location(path, key_node), table=table)
