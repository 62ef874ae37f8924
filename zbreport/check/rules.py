"""The rules over the Report model, as findings.

Rule ids follow the format reference: R1 一+二 = 三+四 per column, R3/R4/R5 totals (both in
`arithmetic.py`); R6 values are non-negative whole numbers (万元 may be decimal), no blanks;
R10 no unpaid-fee closures when no fee notice was sent. With last year's figures: R7 carry-over
equals last year's carry-forward, R9 documents in force follow from last year's. Structure
findings (unknown or missing labels, R12 old-format labels) come from the loader; they come back
from `check_report` saying which checks the values they lack held up.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Sequence

from ..diagnostics import Finding, Severity
from ..format import StockFlow
from ..model import Report, TableData, format_number
from .arithmetic import Coverage, Valuation, check_arithmetic
from .narrative import block_texts, lint_narrative
from ..admissible import LARGEST_VALUE, value_problem  # noqa: F401 - LARGEST_VALUE: where it was

ERROR = Severity.ERROR
WARNING = Severity.WARNING
NOTICE = Severity.NOTICE


def check_report(report: Report, found: Sequence[Finding] = ()) -> list[Finding]:
    """Every rule over the report. `found`, the loader's findings, come back first, each saying
    which checks the values it is about kept from running; a check held up by a value no finding
    is about gets a finding of its own."""
    findings: list[Finding] = []
    coverage = Coverage()
    valuations = {key: Valuation(table) for key, table in report.tables.items()}
    for key, table in report.tables.items():
        findings += check_values(table)
        findings += check_arithmetic(table, valuations[key], coverage)
    findings += check_fee_closures(report)
    findings += check_carry_over(report, valuations, coverage)
    findings += check_stock_flows(report, valuations, coverage)
    findings += lint_narrative(report)
    sources = {key: table.source for key, table in report.tables.items()}
    return coverage.annotate(list(found) + findings, sources)


# ---------------------------------------------------------------- R6


def check_values(table: TableData) -> list[Finding]:
    findings = []
    for cell in table.form.cells:
        entry = table.entries.get(cell.key)
        if entry is None:
            continue
        problem = value_problem(cell, entry)
        if problem:
            findings.append(
                Finding(ERROR, "R6", f"“{cell.name}”{problem}", entry.location, table=table.form.key, cells=(cell.key,))
            )
    return findings


# ---------------------------------------------------------------- R10

# Said of a clause: no fee notice was sent. "逾期未按收费通知要求缴纳费用" (the form's own wording)
# and "没有收取信息处理费，发出收费通知1件" say nothing of the kind.
_CLAUSE = re.compile(r"[^，,。；;！!？?\n]+")
_NO_FEE_NOTICE = re.compile(
    r"(?:未|没有|无|未曾|不曾|从未)(?:发出|发送|出具|送达|下发|开具|寄送|发放)[^，,。；;]{0,12}收费通知"
    r"|(?:没有|无)(?:信息处理费)?收费通知"
    r"|收费通知[^，,。；;\d]{0,8}?(?<!\d)[0零](?!\d)\s*(?:件|份|次|个)?"
    r"|(?<!\d)[0零]\s*(?:件|份)(?:信息处理费)?收费通知"
)


def says_no_fee_notice(text: str) -> bool:
    """True where some clause of `text` says that no fee notice (收费通知) was sent."""
    return any(_NO_FEE_NOTICE.search(clause) for clause in _CLAUSE.findall(text))


def check_fee_closures(report: Report) -> list[Finding]:
    """If the narrative says no fee notice was sent, no application can have closed for an unpaid fee."""
    applications = report.tables.get("三")
    if applications is None:
        return []
    saying = next(
        (
            (section, location)
            for section in report.sections
            for text, location in block_texts(section.blocks)
            if says_no_fee_notice(text)
        ),
        None,
    )
    if saying is None:
        return []
    closed = applications.value("oh_fee_unpaid", "total")
    if not closed:
        return []
    section, location = saying
    where = _shown(location.path, report.project_dir) + f":{location.line}" if location else section.form.title
    key = next(c.key for c in applications.form.input_cells if c.row == "oh_fee_unpaid")
    cell = applications.form.cell(("oh_fee_unpaid", "total"))
    return [
        Finding(
            WARNING,
            "R10",
            f"“{section.form.title}”写明未发出收费通知（{where}），但“{cell.name}”为 {format_number(closed)}，应为 0",
            applications.location_of(key),
            table="三",
            cells=(("oh_fee_unpaid", "total"),),
        )
    ]


# ---------------------------------------------------------------- R7, R9: against last year


def check_carry_over(report: Report, valuations: dict[str, Valuation], coverage: Coverage) -> list[Finding]:
    """R7, per column: this year's 上年结转 is last year's 结转下年度继续办理.

    A warning, not an error: an organisational change can make them differ, and the report
    then explains it in a note under the table.
    """
    rule, last = report.format.carry_over, report.previous
    table = report.tables.get(rule.table)
    if last is None or table is None:
        return []
    findings = []
    for cell in table.form.cells:
        if cell.row != rule.this_row:
            continue
        before = last.value(rule.table, (rule.last_row, cell.col))
        if before is None:
            continue  # last year's figures may be partial by design
        now = valuations[rule.table].of(cell.key)
        if now.value is None:
            coverage.block(rule.table, now.roots, rule.rule, (cell.col_label, "列"))
            continue
        if now.value == before or (cell.computed and findings):
            continue  # the total differs because a column does
        last_cell = table.form.cell((rule.last_row, cell.col))
        there = last.locations.get((rule.table, last_cell.key))
        source = f"{_shown(there.path, last.source.parent)}:{there.line}" if there and there.line else last.source.name
        findings.append(
            Finding(
                WARNING,
                rule.rule,
                f"“{cell.name}”为 {format_number(now.value)}，上年报告（{source}）“{last_cell.name}”为 "
                f"{format_number(before)}，两者应相同；如确有原因，请在表下加注说明",
                table.location_of(cell.key) or _row_location(table, cell.row),
                table=rule.table,
                cells=(cell.key,),
            )
        )
    return findings


def _shown(path: Path, base: Path) -> str:
    """A file as the clerk finds it: zibo-2023/tables/table3.yaml, or 2023年度数据.yaml."""
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return path.name


def _row_location(table: TableData, row: str):
    """Where a row's first typed value is: for a computed total, which has no place of its own."""
    return next((table.location_of(c.key) for c in table.form.input_cells if c.row == row and table.location_of(c.key)), None)


def check_stock_flows(report: Report, valuations: dict[str, Valuation], coverage: Coverage) -> list[Finding]:
    """R9: 现行有效件数 = last year's + 本年制发 − 本年废止 (a soft check: a warning, or a notice)."""
    last = report.previous
    if last is None:
        return []
    findings = []
    for flow in report.format.stock_flows:
        table = report.tables.get(flow.table)
        before = last.value(flow.table, (flow.row, flow.stock))
        if table is None or before is None:
            continue  # last year's figure unknown
        keys = [(flow.row, c) for c in (flow.stock, flow.inflow, flow.outflow)]
        if any(table.entries.get(k) is not None and table.entries[k].state == "not_applicable" for k in keys):
            continue  # "/": an organ without rule-making power
        givens = [valuations[flow.table].of(k) for k in keys]
        cell = table.form.cell((flow.row, flow.stock))
        if any(g.value is None for g in givens):
            roots = frozenset().union(*(g.roots for g in givens))
            coverage.block(flow.table, roots, flow.rule, (cell.row_label.rsplit("·", 1)[-1], "行"))
            continue
        now, issued, repealed = (g.value for g in givens)
        expected = before + issued - repealed  # type: ignore[operator]
        if now == expected:
            continue
        arithmetic = (
            f"“{cell.name}”为 {format_number(now)}，按上年 {format_number(before)} + 本年制发 {format_number(issued)}"  # type: ignore[arg-type]
            f" − 本年废止 {format_number(repealed)} 应为 {format_number(expected)}"  # type: ignore[arg-type]
        )
        where = table.location_of(cell.key)
        if not flow.may_shrink or now > expected:  # type: ignore[operator]
            more = "；到期失效的文件不计入废止，但现行有效件数不应多于此数" if flow.may_shrink else "，请核对"
            findings.append(Finding(WARNING, flow.rule, arithmetic + more, where, table=flow.table, cells=(cell.key,)))
            continue
        shortfall = expected - now  # type: ignore[operator]
        if expected and shortfall > flow.notice_share * expected and not _notes_explain(report, flow):
            share = format_number(round(shortfall * 100 / expected))  # type: ignore[operator]
            findings.append(
                Finding(
                    NOTICE,
                    flow.rule,
                    f"{arithmetic}，少 {format_number(shortfall)}（约 {share}%）；到期失效的文件不计入废止，"
                    "如属此情况，建议在表下加注说明",
                    where,
                    table=flow.table,
                    cells=(cell.key,),
                )
            )
    return findings


def _notes_explain(report: Report, flow: StockFlow) -> bool:
    """The notes under the table (its section's text) speak of documents lapsing or of the stock.

    Where the text was not read (preview, a summary's members) they may: the notice is left to
    `check`, which reads them, rather than given where the report already explains itself."""
    if not report.narrative_read:
        return True
    words = re.compile(flow.explained_by) if flow.explained_by else None
    for section in report.sections:
        if section.form.table is not None and section.form.table.key == flow.table and words is not None:
            if any(words.search(text) for text, _ in block_texts(section.blocks)):
                return True
    return False


def has_errors(findings: list[Finding]) -> bool:
    return any(f.is_error for f in findings)
