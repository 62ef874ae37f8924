"""`build` and `watch`: the report written as .docx, .html or .pdf, once, for many projects, or on every save."""

import os
from pathlib import Path

from ..records import record
from .. import controls
from ..batch import Outcome
from ..check.rules import has_errors
from ..diagnostics import Finding, InputError, Location, OutputError, Severity
from ..read.project import LoadedProject, load_project
from ..write.findings import print_findings, relative, summary
from ..write.outputs import OutputKind, check_folders, output_paths, render_files, write_files
from .projects import FORMAT, _edited_report_at, _fingerprinted, _one_project, _prepare, _report_base, _run, _unreadable
from .running import EXIT_FINDINGS, EXIT_OK, EXIT_OUTPUT, Exit, _fail, _print_error, err, finishing, out, say


def build(projects: list[Path], output: Path | None, template: Path | None, force: bool, formats: list[OutputKind] | None, jobs: int | None) -> None:
    kinds = formats or [OutputKind.docx]
    project = _one_project(projects, jobs)
    if project is None:
        _build_many(projects, kinds, output, template, force, jobs)
    raise Exit(_build_once(project, kinds, output, template, force).code)


@record(frozen=False)
class _Built:
    """A build of one project: its exit code, and what was read (watch needs it)."""

    code: int
    loaded: LoadedProject
    template: Path | None  # the Word template read, when it is not zbreport's own


def _build_once(
    project: Path, kinds: list[OutputKind], output: Path | None, template: Path | None, force: bool, watching: bool = False
) -> _Built:
    """Load, check, assemble and write every format asked; findings printed, an exit code returned."""
    prepared = _prepare(project, kinds, template)
    findings = prepared.findings
    print_findings(err, findings + prepared.notes)
    if has_errors(findings) and not force:
        say(err, f"{summary(findings)}请先改正错误；报告未生成。（如需强行生成，请加 --force）")
        return _Built(EXIT_FINDINGS, prepared.loaded, prepared.template_path)
    paths = output_paths(kinds, output, _report_base(project, prepared.loaded))
    check_folders(paths)
    files, unshown = render_files(prepared.document, prepared.template, paths)
    print_findings(err, unshown)
    replaced = _edited_report_at(paths[OutputKind.docx], project, force) if OutputKind.docx in paths else ""
    files = _fingerprinted(files, prepared.loaded)
    with finishing(stop_after=watching):  # every format written whole: a Ctrl-C waits for it
        write_files(files)
        if replaced:
            err.print_spans([("警告", "yellow"), (f" 已按 --force 覆盖{replaced}：{relative(Location(paths[OutputKind.docx]))}", "")])
        for path, _ in files:
            say(out, f"已生成：{relative(Location(path))}")
    return _Built(EXIT_OK, prepared.loaded, prepared.template_path)


def watch(project: Path, output: Path | None, template: Path | None, force: bool, formats: list[OutputKind] | None) -> None:
    from datetime import datetime

    from ..watch import Inputs, watch_and_rebuild

    if not project.is_dir():  # nothing to watch: said at once, as build says it
        load_project(project, FORMAT)
    kinds = formats or [OutputKind.docx]
    last = Inputs.of(project, template)

    def rebuild(changed: set[Path]) -> Inputs:
        from rich.text import Text

        nonlocal last
        # An editor's temporary file, come and gone, is not worth naming.
        named = sorted(relative(Location(p)) for p in changed if p.exists()) or sorted(relative(Location(p)) for p in changed)
        names = "、".join(named[:3]) + (" 等" if len(named) > 3 else "")
        what = f"{names} 已修改，重新生成" if changed else "检查并生成"
        out.print(Text(f"[{datetime.now():%H:%M:%S}] ", style="dim") + Text(controls.visible(what)), soft_wrap=True)
        try:
            built = _build_once(project, kinds, output, template, force, watching=True)
            previous = built.loaded.report.meta.previous_link
            others = [project / previous] if previous else []
            last = Inputs.of(project, built.template, others)
        except (InputError, OutputError) as exc:
            _print_error(exc)
        except Exception as exc:  # noqa: BLE001 - a bug in one round must not end the watch
            if os.environ.get("ZBREPORT_DEBUG"):
                raise
            _print_error(exc)
        return last

    announced = False

    def watching() -> None:
        nonlocal announced
        if not announced:
            announced = True
            say(out, f"正在监视 {relative(Location(project))} 及其模板、上年数据：保存文件后自动重新生成；按 Ctrl-C 结束。")

    try:
        watch_and_rebuild(last, rebuild, watching)
    except KeyboardInterrupt:
        out.print("已停止监视。")
        raise Exit(EXIT_OK) from None


def _build_job(
    project: Path, kinds: list[OutputKind], folder: Path | None, template: Path | None, force: bool, refused: str | None
) -> Outcome:
    try:
        prepared = _prepare(project, kinds, template)
    except InputError as exc:
        return _unreadable(project, exc)
    meta = prepared.loaded.report.meta
    outcome = Outcome(project, EXIT_OK, meta.issuer, meta.year, prepared.findings, prepared.notes)
    if has_errors(prepared.findings) and not force:
        outcome.code = EXIT_FINDINGS
        return outcome
    try:
        if refused:
            raise OutputError(refused)
        paths = output_paths(kinds, None, _report_base(folder or project, prepared.loaded))
        files, unshown = render_files(prepared.document, prepared.template, paths)
        if OutputKind.docx in paths:
            _edited_report_at(paths[OutputKind.docx], project, force)
        write_files(_fingerprinted(files, prepared.loaded))
    except OutputError as exc:
        outcome.code = EXIT_OUTPUT
        outcome.findings.append(Finding(Severity.ERROR, "unwritable", str(exc)))
        return outcome
    outcome.findings += unshown
    outcome.outputs = [path for path, _ in files]
    return outcome


def _build_many(
    paths: list[Path], kinds: list[OutputKind], folder: Path | None, template: Path | None, force: bool, jobs: int | None
) -> None:
    from ..batch import find_projects
    from ..fonts import installed_fonts
    from ..read.template import load_template
    from ..write.batch import print_outcomes
    from ..read import markdown  # noqa: F401 - imported once here, before the workers start
    from ..write.docx import render_docx  # noqa: F401

    if folder is not None and not folder.is_dir():
        _fail(f"有多个项目时，--output 应为一个已有的文件夹：{folder}", EXIT_OUTPUT)
    if template is not None:
        load_template(template)  # a template that cannot be read fails the run once, not every project
    installed_fonts()  # read once, before the workers start
    projects = find_projects(paths)
    refusals = _same_names(projects) if folder is not None else {}
    arguments = [(kinds, folder, template, force, refusals.get(p)) for p in projects]
    outcomes = _run(_build_job, projects, arguments, jobs, "生成")
    print_outcomes(out, outcomes, built=True)
    raise Exit(max(o.code for o in outcomes))


def _same_names(projects: list[Path]) -> dict[Path, str]:
    """Projects whose report would land on another's name in a shared output folder (the same
    机关全称 and 年度: the same agency given twice), with why each is refused; the first of each name is kept."""
    from ..read.project import REPORT_FILE, load_metadata

    first: dict[str, Path] = {}
    refusals: dict[Path, str] = {}
    for project in projects:
        try:
            meta = load_metadata(project / REPORT_FILE, FORMAT, [], narrative=False)
        except InputError:
            continue  # its job says why it cannot be read
        name = meta.full_title
        if name in first:
            refusals[project] = f"与 {relative(Location(first[name]))} 的报告同名（{name}），未生成"
        else:
            first[name] = project
    return refusals
