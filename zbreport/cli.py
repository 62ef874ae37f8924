"""The zbreport command line: arguments in, messages and exit codes out.

No `from __future__ import annotations` here: typer reads the commands' annotations on every
start, and strings would be evaluated anew each time (10 ms of a 100 ms `check`).
"""

import errno
import functools
import io
import os
import signal
import sys
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from typer.core import TyperGroup

from . import controls
from .batch import Outcome
from .check.rules import check_report, has_errors
from .diagnostics import Finding, InputError, Location, OutputError, Severity, shorten
from .output import replace_files, report_stem, why, write_atomically
from .write.outputs import OutputKind, check_folders, output_paths, render_files, write_files
from .assemble import assemble, fill_template
from .document import Document
from .figures import names_only_scope, scope_of
from .format import GB2021, Format
from .read.files import present
from .read.project import LoadedProject, load_project, issuer_problem
from .read.published import is_published
from .words import TEMPLATE
from .write.console import LazyConsole
from .write.findings import print_findings, relative, sort_key, summary

if TYPE_CHECKING:
    from .compare import Comparison
    from .pull import Plan
    from .read.template import Template

class _Commands(TyperGroup):
    """The command group; with `--format json`, a wrong option or value answers in JSON too."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        words = list(sys.argv[1:] if args is None else args)
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        from typer._click.exceptions import NoArgsIsHelpError, UsageError
        from typer.exceptions import Abort

        try:
            code = super().main(words, prog_name, complete_var, False, **extra)
        except NoArgsIsHelpError as exc:
            exc.show()  # the command's help
            sys.exit(exc.exit_code)
        except UsageError as exc:  # an unknown option, a missing argument, a bad value
            from .usage import usage_message

            message = usage_message(exc)
            if _asks_for_json(words):
                _JsonAnswer(None).write("usage", message, None)
            else:
                command = exc.ctx.command_path if exc.ctx is not None else "zbreport"
                sys.stderr.write(f"错误 {message}\n运行“{command} --help”查看用法。\n")
            sys.exit(EXIT_INPUT)
        except Abort:  # end of input at a prompt
            sys.stderr.write("已取消。\n")
            sys.exit(EXIT_FINDINGS)
        sys.exit(code or 0)


def _asks_for_json(words: list[str]) -> bool:
    pairs = zip(words, words[1:])
    return "--format=json" in words or any(a == "--format" and b == "json" for a, b in pairs)


app = typer.Typer(
    help="zbreport：把 Markdown 正文和 YAML 数据组装成政府信息公开工作年度报告（.docx、网页、PDF）。",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    cls=_Commands,
)

# The official format reports follow; passed down to every reader, check and writer.
FORMAT: Format = GB2021

EXIT_OK = 0
EXIT_FINDINGS = 1  # the report has errors (or warnings, with --strict)
EXIT_INPUT = 2  # the input could not be read
EXIT_OUTPUT = 3  # the report could not be written
EXIT_INTERNAL = 70

# Made anew for every command (see `_start`), so NO_COLOR and COLUMNS are read when it runs,
# in a test run in-process too. rich is imported only when something needs it (see LazyConsole).
out = LazyConsole()
err = LazyConsole(stderr=True)


@app.callback()
def _start() -> None:
    global out, err
    out = LazyConsole()
    err = LazyConsole(stderr=True)


def command(on: typer.Typer, name: str | None = None):
    """Register a command whose errors become one message and an exit code, never a traceback.

    The mapping sits inside the app, not around it, so a test invoking the app in-process
    sees the same exit codes and messages as a clerk. A command given `--format json` answers
    every failure as a JSON object on stdout too.
    """

    def register(function):
        @functools.wraps(function)
        def run(*args, **kwargs):
            sources = kwargs.get("paths") or ([kwargs["project"]] if kwargs.get("project") else None)
            answer = _JsonAnswer(sources) if kwargs.get("format") is OutputFormat.json else None
            try:
                try:
                    return function(*args, **kwargs)
                finally:
                    sys.stdout.flush()  # a full disk or a closed pipe shows here, as this command's error
            except (InputError, OutputError) as exc:
                _failure(answer, exc)
            except KeyboardInterrupt:
                _failure(answer, KeyboardInterrupt())
            except (typer.Exit, typer.Abort):
                raise
            except Exception as exc:  # noqa: BLE001 - the last guard before a traceback would reach a clerk
                if isinstance(exc, OSError) and exc.errno in _STREAM_ERRORS:
                    _lost_output(exc)
                if os.environ.get("ZBREPORT_DEBUG"):
                    raise
                _failure(answer, exc)

        on.command(name)(run)
        return function

    return register


EXIT_CANCELLED = 130
# The terminal or pipe the output goes to is full, closed or broken: not a bug of ours.
_STREAM_ERRORS = {getattr(errno, n) for n in ("EPIPE", "ENOSPC", "EIO", "EFBIG", "EDQUOT", "ECONNRESET") if hasattr(errno, n)}


class _JsonAnswer:
    """What a failure says on stdout when the command was asked for JSON."""

    def __init__(self, paths: list[Path] | None) -> None:
        self.project = str(paths[0]) if paths and len(paths) == 1 else None

    def write(self, rule: str, message: str, location: Location | None) -> None:
        problem = Finding(Severity.ERROR, rule, message, location)
        # readable: false, as the report could not be checked to the end
        write_json(_check_payload(Path(self.project) if self.project else None, [problem], True, None, None, readable=False))


def _failure(answer: _JsonAnswer | None, exc: BaseException) -> None:
    """Say what went wrong (in JSON when asked for it) and exit with its code."""
    code = {InputError: EXIT_INPUT, OutputError: EXIT_OUTPUT, KeyboardInterrupt: EXIT_CANCELLED}.get(type(exc), EXIT_INTERNAL)
    try:
        if answer is None:
            _print_error(exc)
        elif isinstance(exc, InputError):
            answer.write("unreadable", exc.message, exc.location)
        elif isinstance(exc, OutputError):
            answer.write("unwritable", str(exc), None)
        elif isinstance(exc, KeyboardInterrupt):
            answer.write("cancelled", "已取消。", None)
        else:
            answer.write("internal", _internal(exc), None)
        sys.stdout.flush()
    except OSError as problem:
        _lost_output(problem)
    raise typer.Exit(code)


def _print_error(exc: BaseException) -> None:
    """One line for a clerk: what is wrong and where, never a traceback."""
    if isinstance(exc, InputError):
        where = relative(exc.location) + "  " if exc.location else ""
        say(err, where + exc.message, "错误")
    elif isinstance(exc, OutputError):
        say(err, str(exc), "错误")
    elif isinstance(exc, KeyboardInterrupt):
        say(err, "已取消。")
    else:
        say(err, _internal(exc), "内部错误")


def _internal(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {shorten(str(exc), 200)}（设置 ZBREPORT_DEBUG=1 可查看详细信息）"


def _lost_output(exc: OSError) -> None:
    """stdout could not be written: say so on stderr, if that still works, and exit 3.

    stdout is pointed at the null device, so Python's own flush at exit finds nothing to write
    (it would print a traceback of its own)."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass  # not a real file (a test's capture)
    if exc.errno != errno.EPIPE:  # a reader that stopped early (| head) wants no message
        try:
            say(err, f"无法输出结果：{why(exc)}", "错误")
        except OSError:
            pass
    raise typer.Exit(EXIT_OUTPUT)


def say(console: LazyConsole, text: str, label: str | None = None) -> None:
    """One message to the terminal. User text is never read as rich markup (a file named
    报告[/x].docx is a name, not a closing tag), and invisible characters are shown as "?"."""
    spans = [(label, "bold red"), (" ", "")] if label else []
    console.print_spans(spans + [(controls.visible(text), "")])


def write_json(payload: object) -> None:
    """A JSON answer on stdout; a file name that is not valid Unicode cannot stop it."""
    import json  # imported here: most answers are text

    text = json.dumps(payload, ensure_ascii=False, indent=2)
    sys.stdout.write(text.encode("utf-8", "replace").decode("utf-8") + "\n")


ProjectArg = Annotated[
    Path, typer.Argument(help="报告项目文件夹（含 report.yaml、sections/、tables/）", show_default=False)
]
ProjectsArg = Annotated[
    list[Path],
    typer.Argument(help="项目文件夹，可写多个；或装有多个项目的文件夹", show_default=False, metavar="PROJECT..."),
]
JobsOption = Annotated[
    Optional[int], typer.Option("--jobs", "-j", help="有多个项目时同时处理几个（默认为 CPU 核数）", show_default=False)
]


def _assembled(loaded: LoadedProject, template: "Template | None") -> tuple[Document, list[Finding]]:
    """The document every writer reads, and every finding: the reader's, the rules', assembly's."""
    assembled = assemble(loaded.report, template.placeholder_texts() if template is not None else None)
    findings = check_report(loaded.report, loaded.findings) + assembled.findings
    if template is not None:
        from .read.template import template_findings

        findings += template_findings(template)
    return assembled.document, sorted(findings, key=sort_key)


@dataclass
class _Prepared:
    """A project read, checked and assembled for writing; `notes` are about this machine (fonts)."""

    loaded: LoadedProject
    template_path: Path | None  # the Word template read, when it is not zbreport's own
    template: "Template"
    document: Document
    findings: list[Finding]
    notes: list[Finding]


def _prepare(project: Path, kinds: list[OutputKind], template: Path | None) -> _Prepared:
    from .fonts import read_fonts_ahead
    from .read.template import font_findings, load_template

    if {OutputKind.docx, OutputKind.pdf} & set(kinds):
        read_fonts_ahead()  # while the project is read
    loaded = load_project(project, FORMAT)
    template_path = template or _project_template(loaded)
    chosen = load_template(template_path)
    document, findings = _assembled(loaded, chosen)
    fonts = font_findings(chosen) if {OutputKind.docx, OutputKind.pdf} & set(kinds) else []
    if fonts and OutputKind.pdf in kinds:  # a .docx shows the right fonts elsewhere; a PDF keeps this machine's
        fonts.append(Finding(Severity.WARNING, "font", PDF_FONTS))
    return _Prepared(loaded, template_path, chosen, document, findings, fonts)


def _report_base(folder: Path, loaded: LoadedProject) -> Path:
    """Where a project's report goes, without its suffix: named from its title (机关全称 and 年度),
    made safe to create in `folder` whatever the title says (output.report_stem)."""
    return folder / report_stem(*loaded.report.meta.title_lines)


def _default_output(project: Path, loaded: LoadedProject) -> Path:
    """Where `build` writes the report by default: in the project, named by its title."""
    base = _report_base(project, loaded)
    return base.with_name(base.name + ".docx")


def _fingerprinted(files: list[tuple[Path, bytes]], loaded: LoadedProject) -> list[tuple[Path, bytes]]:
    """The .docx carries its fingerprint, so the next build knows whether someone edited it."""
    from .fingerprint import source_hashes, stamp

    sources = source_hashes(loaded.report)
    return [(path, stamp(data, sources) if path.suffix.lower() == ".docx" else data) for path, data in files]


def _edited_report_at(target: Path, project: Path, force: bool) -> str:
    """Refuse to replace a report someone edited, or a file zbreport did not write (exit 3).

    With --force it is replaced; the answer says what was there, for the warning.
    """
    from .fingerprint import examine

    if not target.exists():
        return ""
    provenance = examine(target)
    if provenance.state == "unchanged":
        return ""
    what = "生成后被修改过的报告" if provenance.state == "edited" else "不是 zbreport 生成的文件（或由旧版 zbreport 生成）"
    if force:
        return what
    shown = relative(Location(target))
    raise OutputError(
        f"{shown} {'是' if provenance.state == 'edited' else ''}{what}；为免丢失其中的修改，没有覆盖它。\n"
        f"  查看改动：zbreport diff {project} \"{shown}\"\n"
        f"  写回项目：zbreport pull {project} \"{shown}\"\n"
        "  不要这些改动：加 --force 覆盖它，或用 -o 写到别处"
    )


def _project_template(loaded: LoadedProject) -> Path | None:
    """The template report.yaml names under 模板, relative to the project."""
    meta = loaded.report.meta
    if not meta.template_link:
        return None
    path = loaded.report.project_dir / meta.template_link
    if not present(path):
        raise InputError(f"找不到“{TEMPLATE}”所写的 Word 模板：{meta.template_link}", meta.locations.get(TEMPLATE))
    return path


def _fail(message: str, code: int) -> None:
    say(err, message, "错误")
    raise typer.Exit(code)


class OutputFormat(str, Enum):
    text = "text"
    json = "json"


FormatsOption = Annotated[
    Optional[list[OutputKind]],
    typer.Option("--format", help="输出格式：docx、html 或 pdf，可重复给出（默认 docx）", show_default=False),
]
OutputOption = Annotated[
    Optional[Path],
    typer.Option("--output", "-o", help="输出文件（默认写入项目文件夹）"),
]
TemplateOption = Annotated[
    Optional[Path], typer.Option("--template", help="Word 模板（默认为 report.yaml 的“模板”或自带模板）")
]
ForceOption = Annotated[bool, typer.Option("--force", help="即使有错误也生成；也覆盖编辑过的 .docx")]


PDF_FONTS = "PDF 在本机生成，缺少的字体在 PDF 中以本机的其他字体代替；如需原字体，请在装有这些字体的电脑上生成，或在 Word、WPS 中另存为 PDF"


@command(app)
def build(
    projects: ProjectsArg,
    output: OutputOption = None,
    template: TemplateOption = None,
    force: ForceOption = False,
    formats: FormatsOption = None,
    jobs: JobsOption = None,
) -> None:
    """检查数据并生成年度报告：.docx（默认）、网页 .html 或 .pdf。

    发现错误时不生成，不覆盖生成后被修改过的 .docx（除非使用 --force）。
    生成多种格式时，-o 的扩展名按格式替换。
    可一次生成多个项目（-o 为输出文件夹），最后列出汇总表。
    """
    kinds = formats or [OutputKind.docx]
    project = _one_project(projects, jobs)
    if project is None:
        _build_many(projects, kinds, output, template, force, jobs)
    raise typer.Exit(_build_once(project, kinds, output, template, force).code)


@dataclass
class _Built:
    """A build of one project: its exit code, and what was read (watch needs it)."""

    code: int
    loaded: LoadedProject
    template: Path | None  # the Word template read, when it is not zbreport's own


def _build_once(project: Path, kinds: list[OutputKind], output: Path | None, template: Path | None, force: bool) -> _Built:
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
    write_files(_fingerprinted(files, prepared.loaded))
    if replaced:
        err.print_spans([("警告", "yellow"), (f" 已按 --force 覆盖{replaced}：{relative(Location(paths[OutputKind.docx]))}", "")])
    for path, _ in files:
        say(out, f"已生成：{relative(Location(path))}")
    return _Built(EXIT_OK, prepared.loaded, prepared.template_path)


@command(app)
def watch(
    project: ProjectArg,
    output: OutputOption = None,
    template: TemplateOption = None,
    force: ForceOption = False,
    formats: FormatsOption = None,
) -> None:
    """每次保存后自动检查并重新生成报告，按 Ctrl-C 结束。

    监视项目文件夹、Word 模板和上年数据；
    发现问题时列出并继续监视，不覆盖上次生成的报告。
    """
    from datetime import datetime

    from .watch import Inputs, watch_and_rebuild

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
            built = _build_once(project, kinds, output, template, force)
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
        raise typer.Exit(EXIT_OK) from None


SourcesArg = Annotated[
    list[Path],
    typer.Argument(help="项目文件夹或已发布的报告（.docx、.html、.pdf）", show_default=False),
]
SourceArg = Annotated[Path, typer.Argument(help="项目文件夹或已发布的报告（.docx、.html、.pdf）", show_default=False)]


@dataclass
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
                from .read.template import load_template

                template = load_template(template_path)
            _, findings = _assembled(loaded, template)
    except InputError as exc:
        return _Checked(path, [Finding(Severity.ERROR, "unreadable", exc.message, exc.location)], exc)
    return _Checked(path, findings, None, report.meta.issuer, report.meta.year)


def _audit_published(path: Path):
    """A published report (.docx, web page, PDF) checked by the same rules as a project."""
    published = _published(path)
    report = published.report
    findings = check_report(report, published.findings) + assemble(report).findings
    return report, sorted(findings, key=sort_key)


def _published(path: Path):
    from .read.published import read_published

    published = read_published(path, FORMAT)
    if published.missing:
        raise InputError("不像政府信息公开工作年度报告：" + "；".join(published.missing), Location(path))
    return published


@command(app)
def check(
    paths: SourcesArg,
    format: Annotated[
        OutputFormat, typer.Option("--format", help="输出格式：text（便于阅读）或 json（供程序处理）")
    ] = OutputFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="有警告也视为不通过（退出码 1）；提示不算")] = False,
    jobs: JobsOption = None,
) -> None:
    """检查报告数据：勾稽关系、数值、表格结构、占位符。

    可检查项目文件夹，也可直接检查已发布的 .docx、网页或 PDF；
    可一次检查多份，或一个装有多个项目的文件夹，最后列出汇总表。
    退出码：0 通过，1 有错误，2 无法读取（多份时取最严重的）。
    """
    path = _one_project(paths, jobs)
    if path is None:
        _check_many(paths, format, strict, jobs)
    result = _check_one(path)
    failed = result.problem is None and _fails(result.findings, strict)
    if format is OutputFormat.json:
        import json

        payload = _check_payload(result.path, result.findings, failed, result.issuer, result.year, result.problem is None)
        write_json(payload)
    else:
        if result.problem is not None:
            raise result.problem
        print_findings(out, result.findings)
        named = f"{result.issuer} {result.year}年度报告：" if is_published(result.path) else ""
        say(out, named + summary(result.findings))
    raise typer.Exit(EXIT_INPUT if result.problem is not None else EXIT_FINDINGS if failed else EXIT_OK)


def _fails(findings: list[Finding], strict: bool) -> bool:
    """Errors fail a check; with --strict, warnings too; notices never."""
    return has_errors(findings) or (strict and any(f.is_warning for f in findings))


def _check_payload(
    path: Path | None, findings: list[Finding], failed: bool, issuer: str | None, year: int | None, readable: bool = True
) -> dict[str, object]:
    """One report's answer. An unreadable one (or a failed command) has the same keys, so a
    script checking many reports can add up `errors` without asking which kind it got."""
    return {
        "project": None if path is None else str(path),
        "issuer": issuer if readable else None,
        "year": year if readable else None,
        "ok": not failed and readable,
        "readable": readable,
        "errors": sum(f.is_error for f in findings),
        "warnings": sum(f.is_warning for f in findings),
        "notices": sum(f.severity is Severity.NOTICE for f in findings),
        "findings": [f.as_dict() for f in findings],
    }


# ---------------------------------------------------------------- many projects


def _one_project(projects: list[Path], jobs: int | None) -> Path | None:
    """The project when one is given (not a folder of projects): it keeps the one-project output."""
    from .batch import is_folder_of_projects

    if jobs is not None and jobs < 1:
        _fail(f"--jobs 应为正整数，而不是 {jobs}", EXIT_INPUT)
    if len(projects) == 1 and not is_folder_of_projects(projects[0]):
        return projects[0]
    return None


def _unreadable(project: Path, exc: InputError) -> Outcome:
    problem = Finding(Severity.ERROR, "unreadable", exc.message, exc.location)
    return Outcome(project, EXIT_INPUT, findings=[problem], readable=False)


def _check_job(path: Path, strict: bool) -> Outcome:
    result = _check_one(path)
    if result.problem is not None:
        return Outcome(path, EXIT_INPUT, findings=result.findings, readable=False)
    failed = _fails(result.findings, strict)
    return Outcome(path, EXIT_FINDINGS if failed else EXIT_OK, result.issuer, result.year, result.findings)


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


def _run(job, projects: list[Path], arguments: list[tuple], jobs: int | None, doing: str) -> list[Outcome]:
    """The job over every project; a progress bar on stderr while it runs, if stderr is a terminal."""
    from contextlib import contextmanager

    from .batch import run_projects

    @contextmanager
    def progress(total: int):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        columns = (TextColumn(doing), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=err.rich, transient=True) as bar:
            task = bar.add_task(doing, total=total)
            yield lambda: bar.advance(task)

    return run_projects(job, projects, arguments, jobs or 0, progress if err.is_terminal else None)


def _check_many(paths: list[Path], format: OutputFormat, strict: bool, jobs: int | None) -> None:
    from .batch import find_projects
    from .read import markdown  # noqa: F401 - imported once here, before the workers start
    from .write.batch import print_outcomes

    projects = find_projects(paths)
    outcomes = _run(_check_job, projects, [(strict,)] * len(projects), jobs, "检查")
    if format is OutputFormat.json:
        import json

        payloads = [_check_payload(o.project, o.findings, o.code != EXIT_OK, o.issuer, o.year, o.readable) for o in outcomes]
        write_json(payloads)
    else:
        print_outcomes(out, outcomes)
    raise typer.Exit(max(o.code for o in outcomes))


def _build_many(
    paths: list[Path], kinds: list[OutputKind], folder: Path | None, template: Path | None, force: bool, jobs: int | None
) -> None:
    from .batch import find_projects
    from .fonts import installed_fonts
    from .read.template import load_template
    from .write.batch import print_outcomes
    from .read import markdown  # noqa: F401 - imported once here, before the workers start
    from .write.docx import render_docx  # noqa: F401

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
    raise typer.Exit(max(o.code for o in outcomes))


def _same_names(projects: list[Path]) -> dict[Path, str]:
    """Projects whose report would land on another's name in a shared output folder (the same
    机关全称 and 年度: the same agency given twice), with why each is refused; the first of each name is kept."""
    from .read.project import REPORT_FILE, load_metadata

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


EditedArg = Annotated[
    Optional[Path],
    typer.Argument(help="编辑后的 .docx（默认为 build 写在项目文件夹中的报告）", show_default=False),
]
AcceptOption = Annotated[
    bool, typer.Option("--accept-changes", help="先接受 Word 中的修订（同“全部接受”）再比较")
]


@dataclass
class _Compared:
    loaded: LoadedProject
    document: Document
    comparison: "Comparison"
    plan: "Plan"
    edited: Path
    stale: list[str]  # project files changed since the edited report was built
    findings: list[Finding]


def _compared(project: Path, edited: Path | None, template: Path | None, accept: bool) -> _Compared:
    """The editors' changes: the edited .docx against the report the project builds now."""
    import io

    from .compare import compare
    from .fingerprint import changed_sources, recorded_sources
    from .pull import plan_pull
    from .read.report_docx import read_docx, read_docx_bytes
    from .read.template import load_template
    from .write.docx import render_docx

    loaded = load_project(project, FORMAT)
    edited = edited or _default_output(project, loaded)
    edited_body = read_docx(edited)
    chosen = load_template(template or _project_template(loaded))
    document, findings = _assembled(loaded, chosen)
    built = io.BytesIO()
    render_docx(document, chosen).save(built)
    comparison = compare(loaded.report, document, read_docx_bytes(built.getvalue()), edited_body, accept)
    plan = plan_pull(loaded.report, document, comparison, scope_of(loaded.report))
    stale = changed_sources(project, recorded_sources(edited))
    return _Compared(loaded, document, comparison, plan, edited, stale, findings)


def _print_comparison(compared: _Compared) -> None:
    from rich.text import Text

    from .write.changes import comparison_text, not_written_lines

    if compared.stale:
        err.print(
            Text.assemble(
                ("注意", "yellow"),
                f" 这份报告生成之后，项目中的 {'、'.join(compared.stale)} 又改动过：下面的差异也包括这些改动，"
                "写回时以编辑稿为准。",
            ),
            soft_wrap=True,
        )
    errors = sum(f.is_error for f in compared.findings)
    if errors:
        err.print(Text.assemble(("注意", "yellow"), f" 项目本身有 {errors} 个错误（运行 zbreport check 查看），比较的是它现在生成的报告。"))
    if compared.comparison.unrelated:
        err.print(Text.assemble(("注意", "yellow"), f" {_unrelated(compared)}"), soft_wrap=True)
    out.print(Text(f"比较：{relative(Location(compared.edited))}（编辑稿）与项目现在生成的报告", style="bold"), soft_wrap=True)
    out.print(comparison_text(compared.comparison, not_written_lines(compared.plan)), soft_wrap=True)


def _unrelated(compared: _Compared) -> str:
    share = round(compared.comparison.shared * 100)
    return f"编辑稿中只找到本项目报告 {share}% 的段落：是不是选错了文件或项目？"


@command(app)
def diff(
    project: ProjectArg,
    edited: EditedArg = None,
    format: Annotated[
        OutputFormat, typer.Option("--format", help="输出格式：text（便于阅读）或 json（供程序处理）")
    ] = OutputFormat.text,
    accept_changes: AcceptOption = False,
    template: TemplateOption = None,
) -> None:
    """列出编辑在 Word 中对报告的改动。

    与项目现在生成的报告逐段、逐格比较；列出修订和批注。退出码：0，2 无法读取。
    """
    from .write.changes import comparison_json, plan_json

    compared = _compared(project, edited, template, accept_changes)
    if format is OutputFormat.json:
        payload = {
            "project": str(project),
            "edited": str(compared.edited),
            **comparison_json(compared.comparison),
            **plan_json(compared.plan),
            "changed_since_build": compared.stale,
        }
        write_json(payload)
        return
    _print_comparison(compared)


@command(app)
def pull(
    project: ProjectArg,
    edited: EditedArg = None,
    accept_changes: AcceptOption = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="不询问，直接写入")] = False,
    template: TemplateOption = None,
) -> None:
    """把编辑在 Word 中的改动写回项目（Markdown 正文和 YAML 表格）。

    先列出改动和将要修改的文件，确认后才写入（或加 --yes）；写入后检查项目。
    退出码：0 已写入（或无需写入），1 未确认或检查发现错误，2 无法读取，3 无法写入。
    """
    from .write.changes import plan_lines

    compared = _compared(project, edited, template, accept_changes)
    _print_comparison(compared)
    plan = compared.plan
    if compared.comparison.unrelated:
        _fail(f"{_unrelated(compared)}没有写入任何文件。", EXIT_INPUT)
    if not plan.files:
        out.print("没有需要写回项目的改动。")
        return
    out.print(plan_lines(plan), soft_wrap=True)
    if not yes:
        if not _interactive():
            _fail("写入前需要确认：请在终端中运行并回答，或加 --yes。没有写入任何文件。", EXIT_FINDINGS)
        if not typer.confirm("写入这些文件吗？", default=False):
            err.print("没有写入任何文件。")
            raise typer.Exit(EXIT_FINDINGS)
    replace_files({change.source.path: (change.source.data, change.data) for change in plan.files})
    for change in plan.files:
        say(out, f"已写入：{relative(Location(change.source.path))}")
    loaded = load_project(project, FORMAT)
    chosen = None
    template_path = template or _project_template(loaded)
    if template_path is not None:
        from .read.template import load_template

        chosen = load_template(template_path)
    _, findings = _assembled(loaded, chosen)
    print_findings(out, findings)
    say(out, "检查项目：" + summary(findings))
    say(out, f"下一步：zbreport build {project} 从项目重新生成报告。")
    if compared.edited.resolve() == _default_output(project, loaded).resolve():
        say(out, "编辑稿就在 build 的默认输出位置，build 不会覆盖它：请用 -o 写到别处，或在不再需要编辑稿时加 --force。")
    raise typer.Exit(EXIT_FINDINGS if has_errors(findings) else EXIT_OK)


def _interactive() -> bool:
    """Whether someone can answer a question: stdin is a terminal."""
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


TABLE_KEYS = ("二", "三", "四")


@command(app)
def preview(
    project: SourceArg,
    table: Annotated[
        Optional[str], typer.Option("--table", help="只显示一张表：二、三 或 四（默认显示全部）", show_default=False)
    ] = None,
) -> None:
    """在终端中显示三张统计表，标出有问题的单元格。

    表头按官方格式合并；每张表下列出该表的问题。
    """
    from .write.terminal import preview as draw_preview

    if table is not None and table.strip("表") not in TABLE_KEYS:
        _fail(f"--table 只能是 二、三 或 四，而不是“{table}”", EXIT_INPUT)
    if is_published(project):
        report, findings = _audit_published(project)
        document = assemble(report).document
    else:  # the tables' problems; the narrative is check's
        document, findings = _assembled(load_project(project, FORMAT, narrative=False), None)
    chosen = [table.strip("表")] if table else None
    out.print(draw_preview(document, findings, out.width, chosen))


@command(app)
def init(
    folder: Annotated[Path, typer.Argument(help="要创建的项目文件夹（不能已存在内容）", show_default=False)],
    issuer: Annotated[Optional[str], typer.Option("--issuer", help="机关全称", show_default=False)] = None,
    year: Annotated[Optional[int], typer.Option("--year", help="报告年度，例如 2025", show_default=False)] = None,
    from_: Annotated[
        Optional[Path],
        typer.Option("--from", help="上年的项目，或上年的报告（.docx、.html、.pdf）", show_default=False),
    ] = None,
) -> None:
    """创建新的报告项目（不会覆盖已有内容）。

    写入报告信息、六部分正文（附填写说明）和三张表（全部为 0）；
    用 --from 则从上年的项目或已发布的报告开始。
    """
    from .write.project import new_project, next_year, next_year_from_published, refuse_existing, write_project

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


@command(app, "import")
def import_report(
    source: Annotated[Path, typer.Argument(help="已发布的年度报告：.docx、.html（.htm）或 .pdf", show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", help="要创建的项目文件夹（不能已存在内容）", show_default=False)],
) -> None:
    """把已发布的年度报告（Word、网页、PDF）导入为报告项目。

    数字照录（包括总计），正文转为 Markdown；不是年度报告时不写入任何内容。
    """
    from .write.project import imported_project, refuse_existing, write_project

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


template_app = typer.Typer(help="Word 模板：导出默认模板以便修改，检查模板中的样式和占位符。", no_args_is_help=True)
app.add_typer(template_app, name="template")


@command(template_app, "export")
def template_export(
    file: Annotated[Path, typer.Argument(help="要写出的 .docx 文件", show_default=False)],
    force: Annotated[bool, typer.Option("--force", help="覆盖已有的文件")] = False,
) -> None:
    """写出默认模板，供在 Word 中修改。

    可加入本机关的页眉、封面、样式和落款，报告放在 {{ body }} 所在的段落。
    """
    from .read.template import default_template

    if file.suffix.lower() != ".docx":
        _fail(f"模板文件应以 .docx 结尾：{file}", EXIT_OUTPUT)
    if file.exists() and not force:
        _fail(f"{relative(Location(file))} 已存在；如需覆盖，请加 --force", EXIT_OUTPUT)
    source = default_template().read_bytes()
    write_atomically(file, source)
    say(out, f"已写出默认模板：{relative(Location(file))}")
    say(out, "在 Word 中修改后，在 report.yaml 中写上“模板: 文件名.docx”，或 build 时用 --template 指定。")


@command(template_app, "check")
def template_check(
    file: Annotated[Path, typer.Argument(help="要检查的 .docx 模板", show_default=False)],
    project: Annotated[
        Optional[Path], typer.Option("--project", help="用这个项目的数据检查占位符能否填入", show_default=False)
    ] = None,
) -> None:
    """检查模板：页面、样式、正文位置、占位符、字体。

    列出找到的和缺少的。退出码：0 可用，1 有错误，2 无法读取。
    """
    from .check.template_layout import layout_findings
    from .write.template_report import template_report
    from .read.template import font_findings, load_template, template_findings

    chosen = load_template(file)
    scope = scope_of(load_project(project, FORMAT).report) if project else names_only_scope(FORMAT)
    _, unfilled = fill_template(chosen.placeholder_texts(), scope)
    findings = template_findings(chosen) + unfilled + font_findings(chosen) + layout_findings(chosen)
    out.print(template_report(chosen, findings))
    raise typer.Exit(EXIT_FINDINGS if has_errors(findings) else EXIT_OK)


@command(app, "summary")
def summarize(
    projects: ProjectsArg,
    output: Annotated[
        Optional[Path], typer.Option("--output", "-o", help="要创建的汇总项目文件夹（不能已存在内容）", show_default=False)
    ] = None,
    issuer: Annotated[
        Optional[str], typer.Option("--issuer", help="汇总报告的机关全称，例如 某某区人民政府", show_default=False)
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="即使有项目的数据有错误也汇总")] = False,
    jobs: JobsOption = None,
) -> None:
    """把多个项目的统计表逐项相加，生成汇总项目。

    用于全区、全市的年度报告。
    年度不一致、同一项目列入两次或有项目无法读取时不汇总；
    有项目的数据有错误时也不汇总（除非使用 --force）。
    """
    from io import BytesIO

    from .aggregate import Member, add_up, mixed_years, repeated
    from .batch import find_projects
    from .write.batch import print_outcomes
    from .write.project import write_project
    from .write.summary import summary_project
    from .write.workbook import members_workbook

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
    raise typer.Exit(EXIT_FINDINGS if has_errors(findings) else EXIT_OK)


def _summary_job(project: Path) -> Outcome:
    """A member of a summary: its figures, and the problems with them (the narrative is not summed)."""
    from .aggregate import figures_of

    try:
        loaded = load_project(project, FORMAT, narrative=False)
    except InputError as exc:
        return _unreadable(project, exc)
    _, findings = _assembled(loaded, None)
    meta = loaded.report.meta
    code = EXIT_FINDINGS if has_errors(findings) else EXIT_OK
    return Outcome(project, code, meta.issuer, meta.year, findings, figures=figures_of(loaded.report))


tables_app = typer.Typer(help="统计表与 Excel：导出三张表，供各单位在 Excel 或 WPS 中填写。", no_args_is_help=True)
app.add_typer(tables_app, name="tables")


@command(tables_app, "export")
def tables_export(
    project: ProjectArg,
    output: Annotated[
        Optional[Path], typer.Option("--output", "-o", help="要写出的 .xlsx 文件（默认写入项目文件夹）", show_default=False)
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已有的文件")] = False,
) -> None:
    """把三张统计表导出为 Excel 工作簿。

    表二、表三、表四各一张工作表；表头按官方格式合并，总计为公式。
    填好后放入项目的 tables/ 文件夹（并删去对应的 .yaml），即可代替 YAML。
    """
    from .write.workbook import tables_workbook

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


def main() -> None:
    """Entry point; errors are mapped to messages and exit codes inside each command.

    A polite kill (SIGTERM) is a Ctrl-C: the command stops the same way, its temporary
    files removed.
    """
    try:
        signal.signal(signal.SIGTERM, _interrupt)
    except (ValueError, OSError, AttributeError):  # not the main thread, or no such signal here
        pass
    try:
        app()
    except KeyboardInterrupt:  # before a command started, e.g. while Python imports
        sys.stderr.write("已取消。\n")
        sys.exit(EXIT_CANCELLED)


def _interrupt(signum, frame) -> None:  # noqa: ARG001 - a signal handler's signature
    raise KeyboardInterrupt
