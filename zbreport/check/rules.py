"""The official arithmetic (勾稽关系) and value rules over the Report model, as findings.

Rule ids follow the format reference: R1 一+二 = 三+四 per column; R3/R4/R5 totals;
R6 values are non-negative whole numbers (万元 may be decimal), no blanks;
R10 no unpaid-fee closures when no fee notice was sent. With last year's figures: R7 carry-over
equals last year's carry-forward, R9 documents in force follow from last year's. Structure findings (unknown or
missing labels, R12 old-format labels) come from the loader.
"""

from __future__ import annotations

import re

from ..diagnostics import Finding, Severity
from ..format import Balance, CellForm, Total
from ..model import Entry, Number, Report, TableData, format_number

ERROR = Severity.ERROR
WARNING = Severity.WARNING


def check_report(report: Report) -> list[Finding]:
    findings: list[Finding] = []
    for table in report.tables.values():
        findings += check_values(table)
        findings += check_totals(table)
        findings += check_balances(table)
    findings += check_fee_closures(report)
    findings += check_carry_over(report)
    findings += check_stock_flows(report)
    return findings


# ---------------------------------------------------------------- R6


def check_values(table: TableData) -> list[Finding]:
    findings = []
    for cell in table.form.cells:
        entry = table.entries.get(cell.key)
        if entry is None:
            continue
        problem = _value_problem(cell, entry)
        if problem:
            findings.append(
                Finding(ERROR, "R6", f"“{cell.name}”{problem}", entry.location, table=table.form.key, cells=(cell.key,))
            )
    return findings


def _value_problem(cell: CellForm, entry: Entry) -> str | None:
    if entry.state == "blank":
        return "未填写；没有发生的请填 0"
    if entry.state == "invalid":
        return f"应为数字，填写的是 {entry.text}"
    if entry.state == "not_applicable":
        return None if cell.allows_not_applicable else "不能填“/”；没有发生的请填 0"
    number = entry.number
    assert number is not None
    if number < 0:
        return f"不能为负数（填写的是 {entry.text}）"
    if cell.kind == "count" and number != int(number):
        return f"应为整数件数（填写的是 {entry.text}）"
    return None


# ---------------------------------------------------------------- R3, R4, R5


def check_totals(table: TableData) -> list[Finding]:
    """A total typed in the file is compared with the sum of its parts as the file gives them.

    A part that is itself a total counts as typed where it was typed: a wrong number is then
    reported once, at its own row and column, not again at every total above it.
    """
    findings = []
    for total in table.form.totals:
        entry = table.entries.get(total.cell)
        parts = [_as_given(table, p) for p in total.parts]
        if entry is None or entry.state != "number" or any(p is None for p in parts):
            continue
        expected = sum(parts)  # type: ignore[arg-type]
        if entry.number != expected:
            findings.append(_total_finding(table, total, entry, expected, parts))
    return findings


def _as_given(table: TableData, key: tuple[str, str]) -> Number | None:
    entry = table.entries.get(key)
    if entry is not None and entry.state == "number" and table.form.cell(key).computed:
        return entry.number
    return table.values.get(key)


def _total_finding(table: TableData, total: Total, entry: Entry, computed: Number, parts: list) -> Finding:
    cell = table.form.cell(total.cell)
    shown = [format_number(v) for v in parts if v]  # type: ignore[arg-type]
    arithmetic = "+".join(shown) if 1 < len(shown) <= 8 else ""
    across = {"R3": "各申请人列相加", "R4": "各项办理结果相加", "R5": "结果维持、结果纠正、其他结果、尚未审结相加"}
    how = across.get(total.rule, "各项相加")
    expected = f"{arithmetic} = {format_number(computed)}" if arithmetic else format_number(computed)
    difference = format_number(abs(entry.number - computed))  # type: ignore[operator]
    message = f"“{cell.name}”填写为 {entry.text}，按{how}应为 {expected}，相差 {difference}"
    return Finding(ERROR, total.rule, message, entry.location, table=table.form.key, cells=(total.cell,) + total.parts)


# ---------------------------------------------------------------- R1


def check_balances(table: TableData) -> list[Finding]:
    findings: list[Finding] = []
    derived: list[Finding] = []
    for balance in table.form.balances:
        finding = _balance_finding(table, balance)
        if finding:
            (derived if balance.derived else findings).append(finding)
    # A computed column (总计) only fails when another column does: report it alone, or not at all.
    return findings or derived


def _balance_finding(table: TableData, balance: Balance) -> Finding | None:
    left = [table.values.get(k) for k in balance.left]
    right = [table.values.get(k) for k in balance.right]
    if any(v is None for v in left + right):
        return None  # a blank or invalid value is reported by R6 or as missing
    left_sum, right_sum = sum(left), sum(right)  # type: ignore[arg-type]
    if left_sum == right_sum:
        return None
    message = (
        f"{balance.label}列：{balance.left_name} = {_sum_text(left)} = {format_number(left_sum)}，"
        f"{balance.right_name} = {_sum_text(right)} = {format_number(right_sum)}，"
        f"相差 {format_number(abs(left_sum - right_sum))}"
    )
    location = next((table.location_of(k) for k in balance.left + balance.right if table.location_of(k)), None)
    return Finding(ERROR, balance.rule, message, location, table=table.form.key, cells=balance.left + balance.right)


def _sum_text(values: list[Number | None]) -> str:
    return "+".join(format_number(v) for v in values if v is not None)


# ---------------------------------------------------------------- R10

_NO_FEE_NOTICE = re.compile(r"(未|没有|无)[^。；;]{0,12}收费通知")


def check_fee_closures(report: Report) -> list[Finding]:
    """If 六 says no fee notice was sent, no application can have closed for an unpaid fee."""
    other = next((s for s in report.sections if s.form.number == "六"), None)
    applications = report.tables.get("三")
    if other is None or applications is None:
        return []
    text = "".join(getattr(b, "text", "") for b in other.blocks)
    if not _NO_FEE_NOTICE.search(text):
        return []
    closed = applications.value("oh_fee_unpaid", "total")
    if not closed:
        return []
    key = next(c.key for c in applications.form.input_cells if c.row == "oh_fee_unpaid")
    cell = applications.form.cell(("oh_fee_unpaid", "total"))
    return [
        Finding(
            WARNING,
            "R10",
            f"“六、其他需要报告的事项”写明未发出收费通知，但“{cell.row_label}”共 {closed} 件，应为 0",
            applications.location_of(key),
            table="三",
            cells=(("oh_fee_unpaid", "total"),),
        )
    ]


# ---------------------------------------------------------------- R7, R9: against last year


def check_carry_over(report: Report) -> list[Finding]:
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
        now, before = table.values.get(cell.key), last.value(rule.table, (rule.last_row, cell.col))
        if now is None or before is None or now == before:
            continue
        if cell.computed and findings:
            continue  # the total differs because a column does
        last_cell = table.form.cell((rule.last_row, cell.col))
        there = last.locations.get((rule.table, last_cell.key))
        source = f"{_shown(there.path, last.source.parent)}:{there.line}" if there and there.line else last.source.name
        findings.append(
            Finding(
                WARNING,
                rule.rule,
                f"“{cell.name}”为 {format_number(now)}，上年报告（{source}）“{last_cell.name}”为 "
                f"{format_number(before)}，两者应相同；如确有原因，请在表下加注说明",
                table.location_of(cell.key) or _row_location(table, cell.row),
                table=rule.table,
                cells=(cell.key,),
            )
        )
    return findings


def _shown(path, base) -> str:
    """Last year's file as the clerk finds it: zibo-2023/tables/table3.yaml, or 2023年度数据.yaml."""
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return path.name


def _row_location(table: TableData, row: str):
    """Where a row's first typed value is: for a computed total, which has no place of its own."""
    return next((table.location_of(c.key) for c in table.form.input_cells if c.row == row and table.location_of(c.key)), None)


def check_stock_flows(report: Report) -> list[Finding]:
    """R9: 现行有效件数 = last year's + 本年制发 − 本年废止 (a soft check: a warning)."""
    last = report.previous
    if last is None:
        return []
    findings = []
    for flow in report.format.stock_flows:
        table = report.tables.get(flow.table)
        if table is None:
            continue
        before = last.value(flow.table, (flow.row, flow.stock))
        now, issued, repealed = (table.values.get((flow.row, c)) for c in (flow.stock, flow.inflow, flow.outflow))
        if None in (before, now, issued, repealed):
            continue  # "/" for an organ without rule-making power, or last year's figure unknown
        expected = before + issued - repealed  # type: ignore[operator]
        if now == expected or (flow.may_shrink and now < expected):  # type: ignore[operator]
            continue
        cell = table.form.cell((flow.row, flow.stock))
        message = (
            f"“{cell.name}”为 {format_number(now)}，按上年 {format_number(before)} + 本年制发 {format_number(issued)}"  # type: ignore[arg-type]
            f" − 本年废止 {format_number(repealed)} 应为 {format_number(expected)}"  # type: ignore[arg-type]
        )
        message += "；到期失效的文件不计入废止，但现行有效件数不应多于此数" if flow.may_shrink else "，请核对"
        findings.append(
            Finding(WARNING, flow.rule, message, table.location_of(cell.key), table=flow.table, cells=(cell.key,))
        )
    return findings


def has_errors(findings: list[Finding]) -> bool:
    return any(f.is_error for f in findings)

