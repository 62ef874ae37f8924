"""`diff` and `pull`: what editors changed in Word, listed or written back to the project."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..records import record
from ..check.rules import has_errors
from ..diagnostics import Finding, Location
from ..document import Document
from ..figures import scope_of
from ..output import replace_files
from ..read.project import LoadedProject, load_project
from ..write.findings import print_findings, relative, summary
from .projects import FORMAT, _assembled, _default_output, _project_template
from .running import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, Exit, OutputFormat, _fail, confirm, err, out, say, write_json

if TYPE_CHECKING:
    from ..compare import Comparison
    from ..pull import Plan


@record(frozen=False)
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

    from ..compare import compare
    from ..fingerprint import changed_sources, recorded_sources
    from ..pull import plan_pull
    from ..read.report_docx import read_docx, read_docx_bytes
    from ..read.template import load_template
    from ..write.docx import render_docx

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

    from ..write.changes import comparison_text, not_written_lines

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


def diff(project: Path, edited: Path | None, format: OutputFormat, accept_changes: bool, template: Path | None) -> None:
    from ..write.changes import comparison_json, plan_json

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


def pull(project: Path, edited: Path | None, accept_changes: bool, yes: bool, template: Path | None) -> None:
    from ..write.changes import plan_lines

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
        if not confirm("写入这些文件吗？"):
            err.print("没有写入任何文件。")
            raise Exit(EXIT_FINDINGS)
    replace_files({change.source.path: (change.source.data, change.data) for change in plan.files})
    for change in plan.files:
        say(out, f"已写入：{relative(Location(change.source.path))}")
    loaded = load_project(project, FORMAT)
    chosen = None
    template_path = template or _project_template(loaded)
    if template_path is not None:
        from ..read.template import load_template

        chosen = load_template(template_path)
    _, findings = _assembled(loaded, chosen)
    print_findings(out, findings)
    say(out, "检查项目：" + summary(findings))
    say(out, f"下一步：zbreport build {project} 从项目重新生成报告。")
    if compared.edited.resolve() == _default_output(project, loaded).resolve():
        say(out, "编辑稿就在 build 的默认输出位置，build 不会覆盖它：请用 -o 写到别处，或在不再需要编辑稿时加 --force。")
    raise Exit(EXIT_FINDINGS if has_errors(findings) else EXIT_OK)


def _interactive() -> bool:
    """Whether someone can answer a question: stdin is a terminal."""
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False
