"""`init` and `import`: a new project, blank, from last year's, or from a published report."""

from pathlib import Path

from .. import controls
from ..check.rules import check_report
from ..diagnostics import Location
from ..read.project import issuer_problem, load_project
from ..read.published import is_published
from ..write.findings import relative, summary
from .projects import FORMAT, _published
from .running import EXIT_INPUT, _fail, err, out, say


def init(folder: Path, issuer: str | None, year: int | None, from_: Path | None) -> None:
    from ..write.project import new_project, next_year, next_year_from_published, refuse_existing, write_project

    if year is not None and not 1990 <= year <= 2200:
        _fail(f"--year 应为四位数的年份，而不是 {year}", EXIT_INPUT)
    if issuer is not None:
        issuer = controls.clean(issuer).strip()
        problem = issuer_problem(issuer)
        if problem:
            _fail(f"--issuer：{problem}", EXIT_INPUT)
    if from_ is not None and is_published(from_):
        refuse_existing(folder)
        published = _published(from_)
        _print_notes(published.notes)
        figures = f"{published.report.meta.year}年度数据.yaml"
        files = next_year_from_published(published, figures, issuer, year)
    elif from_ is not None:
        last = load_project(from_, FORMAT).report
        files = next_year(last, folder, issuer, year)
    elif issuer and year:
        files = new_project(issuer, year, FORMAT)
    else:
        _fail("请用 --issuer 和 --year 写明机关全称和年度，或用 --from 指定上年的项目文件夹", EXIT_INPUT)
    write_project(folder, files)
    say(out, f"已创建：{relative(Location(folder))}")
    say(out, f"下一步：在 tables/ 中填写数字，在 sections/ 中撰写正文，然后运行 zbreport check {folder}")


def import_report(source: Path, output: Path) -> None:
    from ..write.project import imported_project, refuse_existing, write_project

    if not is_published(source):
        _fail(f"只能导入 .docx、.html（.htm）或 .pdf 格式的年度报告：{relative(Location(source))}", EXIT_INPUT)
    refuse_existing(output)
    published = _published(source)
    write_project(output, imported_project(published))
    _print_notes(published.notes)
    findings = check_report(published.report, published.findings)
    meta = published.report.meta
    say(out, f"已导入：{meta.issuer} {meta.year}年度报告 → {relative(Location(output))}")
    if findings:
        say(out, f"原报告{summary(findings)}（数字照录，未作改动；运行 zbreport check {output} 查看）")
    say(out, f"下一步：zbreport check {output}，然后 zbreport build {output}")


def _print_notes(notes: list[str]) -> None:
    from rich.text import Text

    for note in notes:
        err.print(Text("提示 ", style="cyan") + Text(controls.visible(note)), soft_wrap=True)
