"""A district's or city's tables as the sum of its agencies' (全区/全市汇总): the arithmetic and the
reasons to refuse a sum.

Every input cell is added up, 上年结转 and 现行有效件数 too, the 万元 fee as a decimal; totals are
then computed from the summed cells like any project's. A cell every member marks "/" (规章 where
no member has rule-making power) stays "/"; otherwise "/" adds nothing.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from .records import record
from .format import CellKey, TableForm
from .model import Number, Report

NOT_APPLICABLE = "/"
Figure = Number | str | None  # a number, "/", or None where the project has no valid value
Figures = dict[str, dict[CellKey, Figure]]  # table key -> every cell of the table, totals included


@record(frozen=False)
class Member:
    """One agency's project as the summary reads it."""

    project: Path
    issuer: str
    year: int
    figures: Figures


def figures_of(report: Report) -> Figures:
    figures: Figures = {}
    for key, table in report.tables.items():
        cells: dict[CellKey, Figure] = {}
        for cell in table.form.cells:
            entry = table.entries.get(cell.key)
            if entry is not None and entry.state == "not_applicable":
                cells[cell.key] = NOT_APPLICABLE
            else:
                cells[cell.key] = table.values.get(cell.key)
        figures[key] = cells
    return figures


def add_up(members: list[Member], forms: list[TableForm]) -> dict[str, dict[CellKey, Number | str]]:
    """Each input cell of each table summed over the members: the summary project's numbers."""
    sums: dict[str, dict[CellKey, Number | str]] = {}
    for form in forms:
        table: dict[CellKey, Number | str] = {}
        for cell in form.input_cells:
            given = [m.figures.get(form.key, {}).get(cell.key) for m in members]
            numbers = [v for v in given if isinstance(v, (int, Decimal))]
            if not numbers and given and all(v == NOT_APPLICABLE for v in given):
                table[cell.key] = NOT_APPLICABLE
            else:
                table[cell.key] = sum(numbers, start=0)
        sums[form.key] = table
    return sums


def column_sums(members: list[Member], form: TableForm) -> dict[CellKey, Number]:
    """Every cell of a table, totals included, summed over the members that have a number there."""
    return {
        cell.key: sum((v for m in members if isinstance(v := m.figures.get(form.key, {}).get(cell.key), (int, Decimal))), start=0)
        for cell in form.cells
    }


def mixed_years(members: list[Member]) -> str | None:
    """Why members of different years cannot be added up, naming who is in which year; None if one year."""
    by_year: dict[int, list[Member]] = {}
    for member in members:
        by_year.setdefault(member.year, []).append(member)
    if len(by_year) <= 1:
        return None
    parts = []
    for year, group in sorted(by_year.items()):
        names = "、".join(m.issuer for m in group[:3]) + ("等" if len(group) > 3 else "")
        parts.append(f"{year}年度 {len(group)} 个（{names}）")
    return "各项目的年度不一致，不能相加：" + "；".join(parts)


def repeated(projects: list[Path], members: list[Member]) -> list[str]:
    """A project given twice, or two projects of one agency: each would be counted twice."""
    problems: list[str] = []
    seen: dict[Path, Path] = {}
    for project in projects:
        key = project.resolve()
        if key in seen:
            also = f"（另一次写作 {seen[key]}）" if str(seen[key]) != str(project) else ""
            problems.append(f"项目 {project} 列入了两次{also}")
        else:
            seen[key] = project
    by_issuer: dict[str, list[Member]] = {}
    for member in members:
        by_issuer.setdefault(member.issuer.strip(), []).append(member)
    for issuer, group in by_issuer.items():
        if len(group) > 1 and len({m.project.resolve() for m in group}) > 1:
            folders = "、".join(str(m.project) for m in group)
            problems.append(f"“{issuer}”有 {len(group)} 个项目：{folders}")
    return problems
