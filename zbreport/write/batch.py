"""Many projects' results as a clerk reads them: findings grouped by project, then one table."""

from __future__ import annotations

from rich import box
from rich.table import Table
from rich.text import Text

from ..batch import Outcome
from ..controls import visible
from ..diagnostics import Finding, Location
from .console import LazyConsole
from .findings import print_findings, relative

UNREADABLE = "（无法读取）"


def print_outcomes(console: LazyConsole, outcomes: list[Outcome], *, built: bool = False) -> None:
    """The machine's notes once, each project's findings under its name, then the summary table."""
    notes: dict[str, Finding] = {}
    for outcome in outcomes:
        notes.update({note.message: note for note in outcome.notes})
    print_findings(console, list(notes.values()))
    for outcome in outcomes:
        if not outcome.findings:
            continue
        console.print()
        heading = Text(f"{visible(outcome.issuer or UNREADABLE)}  ", style="bold")
        heading.append(visible(relative(Location(outcome.project))), style="cyan")
        console.print(heading, soft_wrap=True)
        print_findings(console, outcome.findings)
    console.print()
    console.print(summary_table(outcomes, built=built))
    console.print(totals(outcomes, built=built), soft_wrap=True)


def summary_table(outcomes: list[Outcome], *, built: bool = False) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("项目", overflow="fold")
    table.add_column("机关", overflow="fold")
    table.add_column("年度", justify="right")
    table.add_column("错误", justify="right")
    table.add_column("警告", justify="right")
    if built:
        table.add_column("输出文件", overflow="fold")
    for outcome in outcomes:
        errors = Text(str(outcome.errors), style="bold red" if outcome.errors else "")
        warnings = Text(str(outcome.warnings), style="yellow" if outcome.warnings else "")
        row = [  # Text, not str: a project or agency name is not rich markup
            Text(visible(relative(Location(outcome.project)))),
            Text(visible(outcome.issuer or UNREADABLE)),
            str(outcome.year or ""),
            errors,
            warnings,
        ]
        if built:
            written = "\n".join(relative(Location(path)) for path in outcome.outputs)
            row.append(Text(visible(written)) if written else Text("未生成", style="bold red"))
        table.add_row(*row)
    return table


def totals(outcomes: list[Outcome], *, built: bool = False) -> str:
    unreadable = sum(not o.readable for o in outcomes)
    text = f"共 {len(outcomes)} 个项目"
    if built:
        written = sum(bool(o.outputs) for o in outcomes)
        text += f"：已生成 {written} 份报告"
        if written < len(outcomes):
            text += f"，{len(outcomes) - written} 个项目未生成"
    else:
        with_errors = sum(o.readable and o.errors > 0 for o in outcomes)
        text += f"：{len(outcomes) - with_errors - unreadable} 个没有错误，{with_errors} 个有错误"
        if unreadable:
            text += f"，{unreadable} 个无法读取"
    warnings = sum(o.warnings for o in outcomes)
    notices = sum(o.notices for o in outcomes)
    counts = "、".join(f"{n} 个{what}" for n, what in ((warnings, "警告"), (notices, "提示")) if n)
    return text + (f"；共 {counts}。" if counts else "。")
