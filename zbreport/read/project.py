"""Reading a report project folder into one Report model, with findings about its structure.

A project folder holds:
    report.yaml            机关全称, 年度, 联系方式; optional 成文日期, 导语, 百分比, 上年
    sections/1-overview.md … 6-other.md   the narrative, one Markdown file a section
    tables/table2.yaml, table3.yaml, table4.yaml   the numbers, keyed by the official labels
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..records import field, record, replace
from . import cache, files
from .. import controls
from ..diagnostics import Finding, InputError, Location, Severity
from ..figures import table_names
from ..words import (
    CONTACT,
    CONTACT_KEYS,
    DATE,
    DIGITS,
    INTRO,
    ISSUER,
    METADATA_KEYS,
    MODE,
    PERCENT,
    PREVIOUS,
    ROUNDING_WORDS,
    SECTION_FILE,
    SECTION_TABLE,
    SECTION_TITLE,
    SECTIONS as SECTIONS_KEY,
    TEMPLATE,
    TITLE,
    YEAR,
)
from ..format import Format, SectionForm, normalize_label
from ..model import Block, Heading, Metadata, OfficialTablePlace, PreviousYear, Report, Rounding, Section
from .workbook import load_table, load_tables  # noqa: F401 - load_table: imported from here by callers

if TYPE_CHECKING:
    import yaml

# PyYAML, markdown-it and the modules that use them are imported where a file is read, not from
# the cache (read/cache.py): a project whose files have not changed is read without them.

REPORT_FILE = "report.yaml"
SECTIONS_DIR = "sections"
TABLES_DIR = "tables"



@record(frozen=False)
class LoadedProject:
    """A project as read, with the fixable problems found while reading it."""

    report: Report
    findings: list[Finding] = field(default_factory=list)


def load_project(project_dir: Path, fmt: Format, *, with_previous: bool = True, narrative: bool = True) -> LoadedProject:
    """Read a project folder. Unreadable input raises InputError; fixable problems become findings.

    Placeholders are read, not filled: `assemble` fills them once the whole report is known.
    Without `narrative`, the sections and 导语 are left unread (no Markdown parser is loaded): for
    what needs only the figures, such as the preview of the tables or last year's project.
    """
    files.require_folder(project_dir, "找不到项目文件夹")
    if not (project_dir / REPORT_FILE).exists() and not (project_dir / REPORT_FILE).is_symlink():
        raise InputError(f"这个文件夹不是报告项目：其中没有 {REPORT_FILE}（新项目请用 zbreport init 创建）", Location(project_dir))
    findings: list[Finding] = []
    meta = load_metadata(project_dir / REPORT_FILE, fmt, findings, narrative=narrative)
    tables = load_tables(project_dir / TABLES_DIR, fmt, findings)
    if not narrative:
        sections = tuple(Section(s, (), None) for s in meta.sections or fmt.sections)
        previous = load_previous(project_dir, meta, fmt, findings) if with_previous else None
        return LoadedProject(Report(fmt, project_dir, meta, sections, tables, previous, narrative_read=False), findings)
    sections = tuple(load_section(project_dir, s, findings) for s in meta.sections or fmt.sections)
    previous = load_previous(project_dir, meta, fmt, findings) if with_previous else None
    report = Report(fmt, project_dir, meta, sections, tables, previous)
    return LoadedProject(report, findings)


def load_previous(project_dir: Path, meta: Metadata, fmt: Format, findings: list[Finding]) -> PreviousYear | None:
    """Last year's figures, from the project or file report.yaml names under 上年."""
    if not meta.previous_link:
        return None
    where = meta.locations.get(PREVIOUS)
    path = project_dir / meta.previous_link
    if not files.present(path):
        raise InputError(f"找不到“{PREVIOUS}”所写的上年项目或数据文件：{meta.previous_link}", where)
    from .previous import from_report, load_figures_file

    if path.is_dir():
        if path.resolve() == project_dir.resolve():
            raise InputError(f"“{PREVIOUS}”应指向上年的项目，而不是本项目", where)
        previous = from_report(load_project(path.resolve(), fmt, with_previous=False, narrative=False).report)
    else:
        previous = cache.reading(
            path, files.YAML, "last year's figures", fmt, lambda found: load_figures_file(path, fmt, found), findings
        )
    if previous.year is not None and previous.year != meta.year - 1:
        findings.append(
            Finding(Severity.WARNING, "previous", f"上年数据是{previous.year}年度的，本报告是{meta.year}年度", where)
        )
    return previous


# ---------------------------------------------------------------- report.yaml


def load_metadata(path: Path, fmt: Format, findings: list[Finding], *, narrative: bool = True) -> Metadata:
    """What report.yaml says, from the cache when the file has not changed."""
    return cache.reading(
        path, files.YAML, f"report.yaml narrative={narrative}", fmt,
        lambda found: _read_metadata(path, fmt, found, narrative=narrative), findings,
    )


def _read_metadata(path: Path, fmt: Format, findings: list[Finding], *, narrative: bool = True) -> Metadata:
    import yaml

    from . import sourceyaml
    from .tablefile import unknown_key

    root = sourceyaml.compose(path, findings)
    if not isinstance(root, yaml.MappingNode):
        raise InputError(f"应填写{ISSUER}、{YEAR}等报告信息", Location(path, 1, 1))
    values: dict[str, yaml.Node] = {}
    locations: dict[str, Location] = {}
    for key, key_node, value_node in sourceyaml.mapping_items(path, root, findings):
        if key not in METADATA_KEYS:
            findings.append(unknown_key(path, key, key_node, METADATA_KEYS, Severity.WARNING))
            continue
        values[key] = value_node
        locations[key] = sourceyaml.location(path, value_node)

    issuer = _text(path, values, ISSUER, required=True) or ""
    problem = issuer_problem(issuer)
    if problem:
        raise InputError(problem, sourceyaml.location(path, values[ISSUER]))
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
            contact.append((key, controls.clean(str(value_node.value)).strip()))
        order = {k: i for i, k in enumerate(CONTACT_KEYS)}
        contact.sort(key=lambda kv: order.get(kv[0], len(order)))
    elif contact_node is not None and not sourceyaml.is_null(contact_node):
        raise InputError(f"“{CONTACT}”下应逐项填写：{'、'.join(CONTACT_KEYS)}", sourceyaml.location(path, contact_node))

    date = _date(path, values.get(DATE))
    written_title = _text(path, values, TITLE, required=False)
    sections = _sections(path, values.get(SECTIONS_KEY), fmt, findings)
    rounding = _rounding(path, values.get(PERCENT), findings)
    previous_link = _text(path, values, PREVIOUS, required=False)
    template_link = _text(path, values, TEMPLATE, required=False)
    intro_text = _text(path, values, INTRO, required=False, as_markdown=True)
    intro: tuple[Block, ...] | None = None  # None: assemble writes the usual one
    if intro_text and narrative:
        from .markdown import parse_markdown  # markdown-it is loaded only where the narrative is read

        intro_node = values[INTRO]
        # A block scalar's text starts on the line after its key, indented; a flow scalar where it stands.
        block = intro_node.style in ("|", ">")
        first_line = intro_node.start_mark.line + 1 + (1 if block else 0)
        indent = _indent_of(path, first_line) if block else intro_node.start_mark.column + (1 if intro_node.style else 0)
        intro = tuple(parse_markdown(intro_text, path, first_line, indent, findings))
    return Metadata(
        issuer, year, tuple(contact), intro, date and _printed(date), rounding, previous_link, template_link,
        locations, date, written_title, sections,
    )


def _sections(path: Path, node: yaml.Node | None, fmt: Format, findings: list[Finding]) -> tuple[SectionForm, ...]:
    """章节: the report's own sections, in order, each with 标题, 文件 (in sections/) and maybe 表格.

    Each official table is placed in exactly one section; nothing else about the list is official.
    """
    import yaml

    from . import sourceyaml
    from .tablefile import unknown_key

    if node is None or sourceyaml.is_null(node):
        return ()
    example = f"例如\n  - {{{SECTION_TITLE}: 一、总体情况, {SECTION_FILE}: 1-overview.md}}"
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        raise InputError(f"“{SECTIONS_KEY}”应逐项列出报告的章节，{example}", sourceyaml.location(path, node))
    forms: list[SectionForm] = []
    placed: dict[str, Location] = {}
    for index, item in enumerate(node.value, start=1):
        if not isinstance(item, yaml.MappingNode):
            raise InputError(f"“{SECTIONS_KEY}”的每一项应写明{SECTION_TITLE}和{SECTION_FILE}，{example}", sourceyaml.location(path, item))
        fields: dict[str, yaml.Node] = {}
        for key, key_node, value_node in sourceyaml.mapping_items(path, item, findings):
            if key in (SECTION_TITLE, SECTION_FILE, SECTION_TABLE):
                fields[key] = value_node
            else:
                findings.append(unknown_key(path, key, key_node, (SECTION_TITLE, SECTION_FILE, SECTION_TABLE), Severity.WARNING))
        title = _text(path, fields, SECTION_TITLE, required=False)
        if not title:
            raise InputError(f"“{SECTIONS_KEY}”第 {index} 项缺少“{SECTION_TITLE}”", sourceyaml.location(path, item))
        table = None
        table_name = _text(path, fields, SECTION_TABLE, required=False)
        if table_name:
            key = table_names(fmt).get(normalize_label(table_name if table_name.startswith("表") else f"表{table_name}"))
            where = sourceyaml.location(path, fields[SECTION_TABLE])
            if key is None:
                raise InputError(f"“{SECTION_TABLE}”应为 表二、表三 或 表四，而不是“{table_name}”", where)
            if key in placed:
                findings.append(
                    Finding(Severity.ERROR, "sections", f"表{key}已放在第 {placed[key].line} 行的章节中，一张表只能放一次", where)
                )
            else:
                placed[key] = where
                table = fmt.tables[key]
        file_name = _text(path, fields, SECTION_FILE, required=False) or ""
        forms.append(SectionForm("", title, f"own-{index}", file_name, table))
    for key, form in fmt.tables.items():
        if key not in placed:
            findings.append(
                Finding(
                    Severity.ERROR,
                    "sections",
                    f"“{SECTIONS_KEY}”中没有放置表{key}（{form.title}）：请在放表的章节下写“{SECTION_TABLE}: 表{key}”",
                    sourceyaml.location(path, node),
                )
            )
    return tuple(forms)


def _indent_of(path: Path, line: int) -> int:
    from . import sourceyaml

    lines = sourceyaml.source_text(path, files.YAML).split("\n")
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return len(text) - len(text.lstrip(" "))


_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


def _printed(day: datetime.date) -> str:
    """A date as official documents print it: 2025年1月20日, no leading zeros."""
    return f"{day.year}年{day.month}月{day.day}日"


def _date(path: Path, node: yaml.Node | None) -> datetime.date | None:
    """成文日期 (YAML may read 2025-01-20 as a date; 2025年1月20日 is accepted too)."""
    import yaml

    from . import sourceyaml

    if node is None or sourceyaml.is_null(node):
        return None
    match = _DATE.match(str(node.value)) if isinstance(node, yaml.ScalarNode) else None
    if not match:
        raise InputError(f"“{DATE}”应为日期，例如 2025-01-20 或 2025年1月20日", sourceyaml.location(path, node))
    year, month, day = (int(g) for g in match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise InputError(f"“{DATE}”不是真实的日期：{year}年{month}月{day}日", sourceyaml.location(path, node)) from None


def _rounding(path: Path, node: yaml.Node | None, findings: list[Finding]) -> Rounding:
    import yaml

    from . import sourceyaml
    from .tablefile import unknown_key

    if node is None or sourceyaml.is_null(node):
        return Rounding()
    if not isinstance(node, yaml.MappingNode):
        raise InputError(f"“{PERCENT}”下应填写 {DIGITS}（如 2）和 {MODE}（截断 或 四舍五入）", sourceyaml.location(path, node))
    rounding = Rounding()
    for key, key_node, value_node in sourceyaml.mapping_items(path, node, findings):
        text = str(value_node.value).strip() if isinstance(value_node, yaml.ScalarNode) else ""
        if key == DIGITS:
            digits = sourceyaml.scalar_number(value_node) if isinstance(value_node, yaml.ScalarNode) else None
            if not isinstance(digits, int) or not 0 <= digits <= 6:
                raise InputError(f"“{DIGITS}”应为 0 到 6 的整数", sourceyaml.location(path, value_node))
            rounding = replace(rounding, digits=digits)
        elif key == MODE:
            if text not in ROUNDING_WORDS:
                raise InputError(f"“{MODE}”应为 截断 或 四舍五入", sourceyaml.location(path, value_node))
            rounding = replace(rounding, mode=ROUNDING_WORDS[text])  # type: ignore[arg-type]
        else:
            findings.append(unknown_key(path, key, key_node, (DIGITS, MODE), Severity.WARNING))
    return rounding


def _text(path: Path, values: dict[str, yaml.Node], key: str, *, required: bool, as_markdown: bool = False) -> str | None:
    """A text field; a Markdown one keeps Word's line breaks (vertical tabs) for the Markdown reader."""
    import yaml

    from . import sourceyaml

    node = values.get(key)
    if node is None or sourceyaml.is_null(node):
        if required and node is not None:
            raise InputError(f"“{key}”未填写", sourceyaml.location(path, node))
        if required:
            raise InputError(f"缺少“{key}”", Location(path, 1, 1))
        return None
    if not isinstance(node, yaml.ScalarNode):
        raise InputError(f"“{key}”应为一段文字，不是{sourceyaml.node_kind(node)}", sourceyaml.location(path, node))
    text = str(node.value) if as_markdown else controls.clean(str(node.value))
    return text.strip()


MAX_ISSUER_LENGTH = 200  # characters; the longest joint issuers have about 70


def issuer_problem(issuer: str) -> str | None:
    """Why a 机关全称 cannot be used (it titles the report and names its file), or None."""
    if not issuer.strip():
        return f"“{ISSUER}”未填写：请写明机关的全称，例如 淄博市人民政府办公室"
    if len(issuer) > MAX_ISSUER_LENGTH:
        return f"“{ISSUER}”过长（{len(issuer)} 个字符）：机关全称不应超过 {MAX_ISSUER_LENGTH} 个字符"
    return None


# ---------------------------------------------------------------- sections


def load_section(project_dir: Path, form: SectionForm, findings: list[Finding]) -> Section:
    if not form.file_name:
        return Section(form, (), None)  # a section of report.yaml's own with a title (and a table) only
    path = project_dir / SECTIONS_DIR / form.file_name
    if not files.present(path):
        if form.table is None or not form.number:
            findings.append(
                Finding(Severity.ERROR, "missing-section", f"缺少“{form.title}”的正文文件", Location(path))
            )
        return Section(form, (), None)
    blocks = cache.reading(path, files.MARKDOWN, "narrative", None, lambda found: _read_narrative(path, found), findings)
    blocks = _drop_own_title(form, blocks, findings)
    if form.table is None:
        for block in blocks:
            if isinstance(block, OfficialTablePlace):
                findings.append(
                    Finding(Severity.WARNING, "table-place", f"“{form.title}”没有统计表，<!-- 表格 --> 被忽略", block.location)
                )
        blocks = [b for b in blocks if not isinstance(b, OfficialTablePlace)]
        if not blocks:
            findings.append(Finding(Severity.WARNING, "empty-section", f"“{form.title}”还没有正文", Location(path)))
    return Section(form, tuple(blocks), path)


def _read_narrative(path: Path, findings: list[Finding]) -> list[Block]:
    from .markdown import parse_markdown

    text = controls.prepare(files.read_text(path, files.MARKDOWN), path, findings)  # as sourceyaml.source_text, without PyYAML
    return parse_markdown(text, path, findings=findings)


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


