"""`tables export`: the three tables written as an Excel workbook."""

from pathlib import Path

from ..diagnostics import Location
from ..output import report_stem, write_atomically
from ..read.project import load_project
from ..write.findings import relative
from .projects import FORMAT
from .running import EXIT_OUTPUT, _fail, out, say


def tables_export(project: Path, output: Path | None, force: bool) -> None:
    from ..write.workbook import tables_workbook

    report = load_project(project, FORMAT, narrative=False).report
    # named as a report is: whatever 机关全称 holds (../x, a slash), the workbook lands in the project
    target = output or project / (report_stem(report.meta.issuer, f"{report.meta.year}年度统计表", suffix=".xlsx") + ".xlsx")
    if target.suffix.lower() != ".xlsx":
        _fail(f"输出文件应以 .xlsx 结尾：{target}", EXIT_OUTPUT)
    if target.exists() and not force:
        _fail(f"{relative(Location(target))} 已存在；如需覆盖，请加 --force", EXIT_OUTPUT)
    book = tables_workbook(report)
    write_atomically(target, lambda temp: book.save(temp))
    say(out, f"已导出：{relative(Location(target))}")
