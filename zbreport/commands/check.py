"""`check` and `preview`: findings about a project or a published report, and its tables drawn."""

from pathlib import Path

from ..records import record
from ..assemble import assemble
from ..batch import Outcome
from ..check.rules import has_errors
from ..diagnostics import Finding, InputError, Severity
from ..read.project import load_project
from ..read.published import is_published
from ..write.findings import print_findings, summary
from .projects import FORMAT, _assembled, _audit_published, _one_project, _project_template, _run
from .running import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, Exit, OutputFormat, _check_payload, _fail, out, say, write_json


@record(frozen=False)
class _Checked:
    """One report checked: its findings, or why it could not be read."""

    path: Path
    findings: list[Finding]
    problem: InputError | None = None
    issuer: str = ""
    year: int | None = None


def _check_one(path: Path) -> _Checked:
    try:
        if is_published(path):
            report, findings = _audit_published(path)
        else:
            loaded = load_project(path, FORMAT)
            report = loaded.report
            template_path = _project_template(loaded)
            template = None
            if template_path is not None:  # a project's own template is part of what check reads
                from ..read.template import load_template

                template = load_template(template_path)
            _, findings = _assembled(loaded, template)
    except InputError as exc:
        return _Checked(path, [Finding(Severity.ERROR, "unreadable", exc.message, exc.location)], exc)
    return _Checked(path, findings, None, report.meta.issuer, report.meta.year)


def check(paths: list[Path], format: OutputFormat, strict: bool, jobs: int | None) -> None:
    path = _one_project(paths, jobs)
    if path is None:
        _check_many(paths, format, strict, jobs)
    result = _check_one(path)
    failed = result.problem is None and _fails(result.findings, strict)
    if format is OutputFormat.json:

        payload = _check_payload(result.path, result.findings, failed, result.issuer, result.year, result.problem is None)
        write_json(payload)
    else:
        if result.problem is not None:
            raise result.problem
        print_findings(out, result.findings)
        named = f"{result.issuer} {result.year}年度报告：" if is_published(result.path) else ""
        say(out, named + summary(result.findings))
    raise Exit(EXIT_INPUT if result.problem is not None else EXIT_FINDINGS if failed else EXIT_OK)


def _fails(findings: list[Finding], strict: bool) -> bool:
    """Errors fail a check; with --strict, warnings too; notices never."""
    return has_errors(findings) or (strict and any(f.is_warning for f in findings))


def _check_job(path: Path, strict: bool) -> Outcome:
    result = _check_one(path)
    if result.problem is not None:
        return Outcome(path, EXIT_INPUT, findings=result.findings, readable=False)
    failed = _fails(result.findings, strict)
    return Outcome(path, EXIT_FINDINGS if failed else EXIT_OK, result.issuer, result.year, result.findings)


def _check_many(paths: list[Path], format: OutputFormat, strict: bool, jobs: int | None) -> None:
    from ..batch import find_projects
    from ..read import markdown  # noqa: F401 - imported once here, before the workers start
    from ..write.batch import print_outcomes

    projects = find_projects(paths)
    outcomes = _run(_check_job, projects, [(strict,)] * len(projects), jobs, "检查")
    if format is OutputFormat.json:

        payloads = [_check_payload(o.project, o.findings, o.code != EXIT_OK, o.issuer, o.year, o.readable) for o in outcomes]
        write_json(payloads)
    else:
        print_outcomes(out, outcomes)
    raise Exit(max(o.code for o in outcomes))


TABLE_KEYS = ("二", "三", "四")


def preview(project: Path, table: str | None) -> None:
    from ..write.terminal import preview as draw_preview

    if table is not None and table.strip("表") not in TABLE_KEYS:
        _fail(f"--table 只能是 二、三 或 四，而不是“{table}”", EXIT_INPUT)
    if is_published(project):
        report, findings = _audit_published(project)
        document = assemble(report).document
    else:  # the tables' problems; the narrative is check's
        document, findings = _assembled(load_project(project, FORMAT, narrative=False), None)
    chosen = [table.strip("表")] if table else None
    out.print(draw_preview(document, findings, out.width, chosen))
