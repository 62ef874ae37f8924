"""New projects: the files of an empty report, or of next year's report started from this year's.

Everything is produced as text first (`{relative path: text}`) and written in one step by
`write_project`, which refuses an existing project and leaves nothing behind if it fails.
"""

from __future__ import annotations

import json
import os
import shutil
import unicodedata
import tempfile
import datetime
from pathlib import Path

import yaml

from ..read import sourceyaml
from ..diagnostics import OutputError
from ..format import CellKey, Format, SectionForm, TableForm
from ..model import Entry, Metadata, Number, Report, Rounding, format_number
from ..output import why
from ..read.published import PublishedReport
from .markdown import markdown_of
from ..read.project import REPORT_FILE, SECTIONS_DIR, TABLES_DIR
from ..words import (
    CONTACT,
    CONTACT_KEYS,
    DATE,
    DIGITS,
    DRAFT,
    INTRO,
    ISSUER,
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

Files = dict[str, str | bytes]  # text files, and binary ones such as a workbook

# ---------------------------------------------------------------- report.yaml


def report_yaml(
    issuer: str,
    year: int,
    contact: tuple[tuple[str, str], ...] = (),
    rounding: Rounding = Rounding(),
    previous: str | None = None,
    intro: str | None = None,
    template: str | None = None,
    date: str | None = None,
    title: str | None = None,
    sections: tuple[SectionForm, ...] = (),
) -> str:
    given = dict(contact)
    lines = [
        "# 报告信息：标题、导语和落款都由这里生成；正文中可用 {{ 机关全称 }}、{{ 年度 }} 等引用。",
        f"{ISSUER}: {_scalar(issuer)}",
        f"{YEAR}: {year}",
    ]
    if title and "\n" in title.strip():
        lines.append(f"{TITLE}: |")
        lines.extend(f"  {line.strip()}" for line in title.splitlines() if line.strip())
    elif title:
        lines.append(f"{TITLE}: {_scalar(title.strip())}")
    else:
        lines.append(f"# {TITLE}: 不填则为“机关全称”和“{year}年政府信息公开工作年度报告”两行")
    lines.append(f"{CONTACT}:")
    for label in CONTACT_KEYS + tuple(k for k in given if k not in CONTACT_KEYS):
        value = given.get(label)
        lines.append(f"  {label}: {_scalar(value)}" if value else f"  # {label}:")
    if date:
        lines.append(f"{DATE}: {date}     # 落款日期，模板中可用 {{{{ {DATE} }}}} 引用")
    else:
        lines.append(f"# {DATE}: {year + 1}-01-20     # 落款日期，模板中可用 {{{{ {DATE} }}}} 引用")
    modes = {v: k for k, v in ROUNDING_WORDS.items()}
    lines.append(f"# {PERCENT}：同比(…)、占比(…) 保留几位小数，截断还是四舍五入。")
    lines.append(f"{PERCENT}: {{{DIGITS}: {rounding.digits}, {MODE}: {modes[rounding.mode]}}}")
    lines.append(f"# {PREVIOUS}：上一年度的项目文件夹；首次使用 zbreport 时，可写一个上年数据文件（见 README）。")
    lines.append(f"{PREVIOUS}: {_scalar(previous)}" if previous else f"# {PREVIOUS}: ../上年项目")
    lines.append(f"# {TEMPLATE}：本机关的 Word 模板（页眉、封面、样式、落款）；不填则使用 zbreport 自带模板。")
    lines.append(f"{TEMPLATE}: {_scalar(template)}" if template else f"# {TEMPLATE}: 本机关模板.docx")
    if sections:
        lines.append(f"# {SECTIONS_KEY}：本报告自己的章节和顺序；不填则为官方格式的六个部分。")
        lines.append(f"{SECTIONS_KEY}:")
        for form in sections:
            fields = [f"{SECTION_TITLE}: {_scalar(form.title)}"]
            if form.file_name:
                fields.append(f"{SECTION_FILE}: {_scalar(form.file_name)}")
            if form.table is not None:
                fields.append(f"{SECTION_TABLE}: 表{form.table.key}")
            lines.append(f"  - {{{', '.join(fields)}}}")
    if intro:
        lines.append(f"{INTRO}: |")
        lines.extend(f"  {line}" if line else "" for line in intro.rstrip("\n").split("\n"))
    else:
        lines.append(f"# {INTRO}: 不填则按机关全称、年度和联系方式自动生成；填写后原样使用（可写 Markdown）。")
    return "\n".join(lines) + "\n"


def _scalar(value: str | None) -> str:
    """A value written plain where YAML reads it back unchanged, quoted otherwise (e.g. 邮编 "255000")."""
    text = value or ""
    try:
        if yaml.safe_load(f"k: {text}") == {"k": text}:
            return text
    except yaml.YAMLError:
        pass
    return json.dumps(text, ensure_ascii=False)


# ---------------------------------------------------------------- sections and tables


def section_text(title: str, guidance: str) -> str:
    return (
        f"<!-- {title}\n"
        f"填写说明：{guidance}\n"
        "正文用 Markdown 书写；表格中的数字请用占位符引用，例如 {{ 表三·本年新收·总计 }}，不要手工抄写。 -->\n"
    )


def table_yaml(form: TableForm, values: dict[CellKey, Number | str] | None = None) -> str:
    """Every input cell of a table under its printed labels, one row of numbers per line, 0 where unknown.

    A value may be text: "/" for a row that does not apply, carried over from last year."""
    values = values or {}
    lines = [
        f"# {form.title}",
        "# 每个数字前都写着它在表格中的位置。没有发生的填 0；“总计”由 zbreport 计算，不必填写。",
    ]
    rows: dict[tuple[str, ...], list[str]] = {}
    for cell in form.input_cells:
        given = values.get(cell.key, 0)
        value = given if isinstance(given, str) else format_number(given)
        rows.setdefault(cell.yaml_path[:-1], []).append(f"{cell.yaml_path[-1]}: {value}")
    return "\n".join(lines + _nested_rows(rows)) + "\n"


def _nested_rows(rows: dict[tuple[str, ...], list[str]]) -> list[str]:
    """Rows of `label: value` items under their group labels, as the table files nest them:
    each group label once, each row on one line."""
    lines: list[str] = []
    written: set[tuple[str, ...]] = set()
    for path, items in rows.items():
        for depth in range(len(path) - 1):
            if path[: depth + 1] not in written:
                written.add(path[: depth + 1])
                lines.append(f"{'  ' * depth}{path[depth]}:")
        lines.append(f"{'  ' * (len(path) - 1)}{path[-1]}: {{{', '.join(items)}}}")
    return lines


def new_project(issuer: str, year: int, fmt: Format) -> Files:
    files = {REPORT_FILE: report_yaml(issuer, year)}
    for form in fmt.sections:
        files[f"{SECTIONS_DIR}/{form.file_name}"] = section_text(form.title, form.guidance)
        if form.table:
            files[f"{TABLES_DIR}/{form.table.file_name}"] = table_yaml(form.table)
    return files


def next_year(last: Report, target: Path, issuer: str | None = None, year: int | None = None) -> Files:
    """Next year's project: metadata and template carried over, 上年 linked, 上年结转 from last
    year's 结转下年度 and 现行有效件数 from last year's (the stock goes on), the narrative copied as
    a draft, every other number 0. A title of report.yaml's own is carried with its year moved on."""
    meta: Metadata = last.meta
    new_year = year or meta.year + 1
    here = os.path.realpath(target)  # not Path.resolve(), which raises on a symbolic-link loop

    def link(path: Path) -> str:
        return Path(os.path.relpath(os.path.realpath(path), here)).as_posix()

    template = link(last.project_dir / meta.template_link) if meta.template_link else None
    title = _next_title(meta, new_year)
    files = {
        REPORT_FILE: report_yaml(
            issuer or meta.issuer,
            new_year,
            meta.contact,
            meta.rounding,
            link(last.project_dir),
            _written_intro(last.project_dir),
            template,
            title=title,
            sections=meta.sections,
        )
    }
    draft = f"<!-- {DRAFT}：以下是{meta.year}年度报告的正文，请逐段改写为{new_year}年度的情况，改写完成后删去这一行。 -->\n\n"
    for section in last.sections:
        form = section.form
        if not form.file_name:
            continue
        if section.source is not None:
            files[f"{SECTIONS_DIR}/{form.file_name}"] = draft + sourceyaml.read_text(section.source)
        else:
            files[f"{SECTIONS_DIR}/{form.file_name}"] = section_text(form.title, form.guidance)
    for table in last.format.tables.values():
        files[f"{TABLES_DIR}/{table.file_name}"] = table_yaml(table, carried_values(table, last))
    return files


def _next_title(meta: Metadata, new_year: int) -> str | None:
    """A title of the report's own, its year moved on."""
    return meta.written_title.replace(str(meta.year), str(new_year)) if meta.written_title else None


def _written_intro(project_dir: Path) -> str | None:
    """Last year's own 导语, as written (placeholders and Markdown kept)."""
    root = sourceyaml.compose(project_dir / REPORT_FILE)
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if key.value == INTRO and isinstance(value, yaml.ScalarNode) and str(value.value).strip():
                return str(value.value)
    return None


# ---------------------------------------------------------------- a published report, imported


def imported_project(published: PublishedReport) -> Files:
    """The project of a published report: its metadata, its narrative as Markdown, and every
    table value as published, totals included, so that `check` compares them."""
    report = published.report
    meta = report.meta
    source = report_source_name(report)
    files = {
        REPORT_FILE: f"# 由 zbreport import 导入自 {source}\n"
        + report_yaml(
            meta.issuer,
            meta.year,
            meta.contact,
            intro=_intro(published),
            date=_iso_date(meta.date_value),
            title=meta.written_title,
            sections=meta.sections,
        )
    }
    for section in report.sections:
        form = section.form
        text = markdown_of(section.blocks)
        files[f"{SECTIONS_DIR}/{form.file_name}"] = text if text.strip() else section_text(form.title, form.guidance)
        if form.table is not None and report.tables[form.table.key].entries:
            data = report.tables[form.table.key]
            files[f"{TABLES_DIR}/{form.table.file_name}"] = published_table_yaml(form.table, data.entries, source)
    return files


def next_year_from_published(
    published: PublishedReport, figures_name: str, issuer: str | None = None, year: int | None = None
) -> Files:
    """Next year's project from last year's published report: like `next_year`, with last year's
    figures written beside it (`figures_name`) and linked as 上年, the narrative as a draft."""
    last = published.report
    meta = last.meta
    new_year = year or meta.year + 1
    files = {
        REPORT_FILE: report_yaml(
            issuer or meta.issuer,
            new_year,
            meta.contact,
            previous=figures_name,
            intro=_intro(published),
            title=_next_title(meta, new_year),
            sections=meta.sections,
        ),
        figures_name: figures_yaml(last),
    }
    for section in last.sections:
        form = section.form
        text = markdown_of(section.blocks)
        draft = (
            f"<!-- {DRAFT}：以下是{meta.year}年度报告的正文（导入自 {report_source_name(last)}），"
            f"请逐段改写为{new_year}年度的情况，改写完成后删去这一行。 -->\n\n"
        )
        files[f"{SECTIONS_DIR}/{form.file_name}"] = draft + text if text.strip() else section_text(form.title, form.guidance)
        if form.table:
            files[f"{TABLES_DIR}/{form.table.file_name}"] = table_yaml(form.table, carried_values(form.table, last))
    return files


def carried_values(form: TableForm, last: Report) -> dict[CellKey, Number | str]:
    """Last year's figures that go on into next year's table: 上年结转 and the documents in force."""
    values: dict[CellKey, Number | str] = {}
    if form.key not in last.tables:
        return values
    data = last.tables[form.key]
    carry_over = last.format.carry_over
    if form.key == carry_over.table:
        for cell in form.input_cells:
            if cell.row == carry_over.this_row:
                values[cell.key] = data.values.get((carry_over.last_row, cell.col)) or 0
    for flow in last.format.stock_flows:
        if flow.table != form.key:
            continue
        row = [c for c in form.input_cells if c.row == flow.row]
        if all(data.entries.get(c.key) is not None and data.entries[c.key].state == "not_applicable" for c in row):
            values.update({c.key: data.entries[c.key].text for c in row})  # "/": still no rule-making power
        elif data.values.get((flow.row, flow.stock)) is not None:
            values[(flow.row, flow.stock)] = data.values[(flow.row, flow.stock)]  # type: ignore[assignment]
    return values


def report_source_name(report: Report) -> str:
    return next((s.source.name for s in report.sections if s.source is not None), "原报告")


def _intro(published: PublishedReport) -> str | None:
    """The report's own 导语, its year as a placeholder (so next year's says next year); None
    when it is the one zbreport generates."""
    meta = published.report.meta
    if not published.written_intro or not meta.intro:
        return None
    return markdown_of(meta.intro).replace(f"{meta.year}年", f"{{{{ {YEAR} }}}}年")


def _iso_date(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def published_table_yaml(form: TableForm, entries: dict[CellKey, Entry], source: str) -> str:
    """A table file with every value as published: totals too, blanks, "/" and "—" as written, and a
    number with its note in the cell as written ("22（其中修订16件）"), where it counts and prints as typed."""
    lines = [
        f"# {form.title}",
        f"# 照录自 {source}：每个数字都在它的行名和列名下；原表中的“总计”也照录，zbreport 会与各项之和核对。",
    ]
    rows: dict[tuple[str, ...], list[str]] = {}
    for cell in form.cells:
        entry = entries.get(cell.key)
        if entry is not None:
            rows.setdefault(cell.yaml_path[:-1], []).append(f"{cell.yaml_path[-1]}: {_written_value(entry)}")
    return "\n".join(lines + _nested_rows(rows)) + "\n"


def _written_value(entry: Entry) -> str:
    if entry.state == "number" and not entry.note:
        return _plain_number(entry.text)
    if entry.state == "blank":
        return '""'
    return json.dumps(entry.text, ensure_ascii=False) if _needs_quotes(entry.text) else entry.text


def _plain_number(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(",", "").replace(" ", "")


def _needs_quotes(text: str) -> bool:
    try:
        return yaml.safe_load(f"{{k: {text}}}") != {"k": text}
    except yaml.YAMLError:
        return True


def figures_yaml(report: Report) -> str:
    """Last year's figures as published, in the layout of a 上年 figures file; only numbers
    (a blank or "—" is no figure to compare with)."""
    lines = [
        f"# {report.meta.year}年度报告中的数字，导入自 {report_source_name(report)}（供 R7、R9 核对和正文中的“上年”使用）。",
        f"{YEAR}: {report.meta.year}",
    ]
    for key, data in report.tables.items():
        numbers = {k: e for k, e in data.entries.items() if e.state == "number" and e.number is not None}
        if not numbers:
            continue
        body = published_table_yaml(data.form, numbers, "").split("\n")[2:]
        lines.append(f"表{key}:")
        lines.extend(f"  {line}" for line in body if line)
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- writing


def refuse_existing(target: Path) -> None:
    """An existing folder with anything in it is never touched, nor is a symbolic link, even one
    pointing nowhere: following it would create folders where it points, not where asked."""
    if os.path.islink(target):
        raise OutputError(f"{target} 是一个符号链接；zbreport 只在真实的位置创建项目，请直接写出文件夹的路径")
    try:
        occupied = target.exists() and (not target.is_dir() or any(target.iterdir()))
    except OSError as exc:
        raise OutputError(f"无法查看 {target}：{why(exc)}") from None
    if occupied:
        raise OutputError(f"{target} 已存在且不是空文件夹；zbreport 不会覆盖已有的内容")


def write_project(target: Path, files: Files) -> None:
    """Create `target` with `files`, all or nothing; an existing non-empty folder is never touched."""
    refuse_existing(target)
    parent = Path(os.path.abspath(target)).parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name[:40]}.", dir=parent))
        umask = os.umask(0)
        os.umask(umask)
        staging.chmod(0o777 & ~umask)  # mkdtemp makes it private; a project folder is not
    except OSError as exc:
        raise OutputError(f"无法在 {parent} 中创建项目：{why(exc)}") from None
    try:
        for relative, text in files.items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(text, encoding="utf-8")
        if target.exists():
            target.rmdir()  # empty: checked above
        os.replace(staging, target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"无法创建项目 {target}：{why(exc)}") from None
    except BaseException:  # Ctrl-C: nothing half-made stays behind
        shutil.rmtree(staging, ignore_errors=True)
        raise
