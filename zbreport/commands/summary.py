"""`summary`: many projects' tables added up into a new project for the district's report."""

from pathlib import Path

from ..batch import Outcome
from ..check.rules import has_errors
from ..diagnostics import InputError, Location
from ..read.project import load_project
from ..write.findings import print_findings, relative
from .check import _check_one
from .projects import FORMAT, _assembled, _run, _unreadable
from .running import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, EXIT_OUTPUT, Exit, _fail, out, say


def summarize(projects: list[Path], output: Path | None, issuer: str | None, force: bool, jobs: int | None) -> None:
    from io import BytesIO

    from ..aggregate import Member, add_up, mixed_years, repeated
    from ..batch import find_projects
    from ..write.batch import print_outcomes
    from ..write.project import write_project
    from ..write.summary import summary_project
    from ..write.workbook import members_workbook

    if output is None:
        _fail("请用 -o 写明要创建的汇总项目文件夹，例如 zbreport summary 各部门 -o 汇总", EXIT_INPUT)
    if jobs is not None and jobs < 1:
        _fail(f"--jobs 应为正整数，而不是 {jobs}", EXIT_INPUT)
    if output.exists() and (not output.is_dir() or any(output.iterdir())):
        _fail(f"{relative(Location(output))} 已存在且不是空文件夹；汇总不会覆盖已有的内容", EXIT_OUTPUT)
    listed = find_projects(projects, unique=False)
    unique = find_projects(projects)
    outcomes = _run(_summary_job, unique, [()] * len(unique), jobs, "读取")
    print_outcomes(out, outcomes)
    unreadable = [o for o in outcomes if not o.readable]
    if unreadable:
        _fail(f"{len(unreadable)} 个项目无法读取，不能汇总：{'、'.join(str(o.project) for o in unreadable)}", EXIT_INPUT)
    members = [Member(o.project, o.issuer or "", o.year or 0, o.figures or {}) for o in outcomes]
    problem = mixed_years(members)
    if problem:
        _fail(problem, EXIT_INPUT)
    twice = repeated(listed, members)
    if twice:
        _fail("同一单位不能汇总两次：" + "；".join(twice), EXIT_INPUT)
    wrong = [o for o in outcomes if o.errors]
    if wrong and not force:
        names = "、".join(f"{o.issuer}（{o.errors} 个错误）" for o in wrong)
        _fail(
            f"{len(wrong)} 个项目的数据有错误，错误的数字相加仍是错的：{names}。请先改正；如需强行汇总，请加 --force",
            EXIT_FINDINGS,
        )
    forms = list(FORMAT.tables.values())
    detail = BytesIO()
    members_workbook(members, forms).save(detail)
    year = members[0].year
    name = issuer.strip() if issuer and issuer.strip() else "（请填写机关全称）"
    write_project(output, summary_project(output, FORMAT, name, year, members, add_up(members, forms), detail.getvalue()))
    findings = _check_one(output).findings  # the rules, checked on the sum; the draft's placeholders filled
    if findings:
        out.print()
        out.print("汇总结果的检查：")
        print_findings(out, findings)
    say(out, f"已生成汇总项目：{relative(Location(output))}（{len(members)} 个单位，{year}年度）")
    if not issuer:
        out.print("下一步：在 report.yaml 中填写机关全称和联系方式，", soft_wrap=True, end="")
    else:
        out.print("下一步：在 report.yaml 中填写联系方式，", soft_wrap=True, end="")
    say(out, f"在 sections/ 中撰写正文，然后运行 zbreport build {output}")
    raise Exit(EXIT_FINDINGS if has_errors(findings) else EXIT_OK)


def _summary_job(project: Path) -> Outcome:
    """A member of a summary: its figures, and the problems with them (the narrative is not summed)."""
    from ..aggregate import figures_of

    try:
        loaded = load_project(project, FORMAT, narrative=False)
    except InputError as exc:
        return _unreadable(project, exc)
    _, findings = _assembled(loaded, None)
    meta = loaded.report.meta
    code = EXIT_FINDINGS if has_errors(findings) else EXIT_OK
    return Outcome(project, code, meta.issuer, meta.year, findings, figures=figures_of(loaded.report))
