"""`template export` and `template check`: the Word template written out or examined."""

from pathlib import Path

from ..assemble import fill_template
from ..check.rules import has_errors
from ..diagnostics import Location
from ..figures import names_only_scope, scope_of
from ..output import write_atomically
from ..read.project import load_project
from ..write.findings import relative
from .projects import FORMAT
from .running import EXIT_FINDINGS, EXIT_OK, EXIT_OUTPUT, Exit, _fail, out, say


def template_export(file: Path, force: bool) -> None:
    from ..read.template import default_template

    if file.suffix.lower() != ".docx":
        _fail(f"模板文件应以 .docx 结尾：{file}", EXIT_OUTPUT)
    if file.exists() and not force:
        _fail(f"{relative(Location(file))} 已存在；如需覆盖，请加 --force", EXIT_OUTPUT)
    source = default_template().read_bytes()
    write_atomically(file, source)
    say(out, f"已写出默认模板：{relative(Location(file))}")
    say(out, "在 Word 中修改后，在 report.yaml 中写上“模板: 文件名.docx”，或 build 时用 --template 指定。")


def template_check(file: Path, project: Path | None) -> None:
    from ..check.template_layout import layout_findings
    from ..write.template_report import template_report
    from ..read.template import font_findings, load_template, template_findings

    chosen = load_template(file)
    scope = scope_of(load_project(project, FORMAT).report) if project else names_only_scope(FORMAT)
    _, unfilled = fill_template(chosen.placeholder_texts(), scope)
    findings = template_findings(chosen) + unfilled + font_findings(chosen) + layout_findings(chosen)
    out.print(template_report(chosen, findings))
    raise Exit(EXIT_FINDINGS if has_errors(findings) else EXIT_OK)
