"""What several commands share: a project read, checked and assembled, where its report goes, a
published report read, and a job run over many projects."""

from pathlib import Path
from typing import TYPE_CHECKING

from ..records import record
from ..assemble import assemble
from ..batch import Outcome
from ..check.rules import check_report
from ..diagnostics import Finding, InputError, Location, OutputError, Severity
from ..document import Document
from ..format import GB2021, Format
from ..output import report_stem
from ..read.files import present
from ..read.project import LoadedProject, load_project
from ..words import TEMPLATE
from ..write.findings import relative, sort_key
from ..write.outputs import OutputKind
from .running import EXIT_INPUT, _fail, err

if TYPE_CHECKING:
    from ..read.template import Template


# The official format reports follow; passed down to every reader, check and writer.
FORMAT: Format = GB2021


def _assembled(loaded: LoadedProject, template: "Template | None") -> tuple[Document, list[Finding]]:
    """The document every writer reads, and every finding: the reader's, the rules', assembly's."""
    assembled = assemble(loaded.report, template.placeholder_texts() if template is not None else None)
    findings = check_report(loaded.report, loaded.findings) + assembled.findings
    if template is not None:
        from ..read.template import template_findings

        findings += template_findings(template)
    return assembled.document, sorted(findings, key=sort_key)


@record(frozen=False)
class _Prepared:
    """A project read, checked and assembled for writing; `notes` are about this machine (fonts)."""

    loaded: LoadedProject
    template_path: Path | None  # the Word template read, when it is not zbreport's own
    template: "Template"
    document: Document
    findings: list[Finding]
    notes: list[Finding]


def _prepare(project: Path, kinds: list[OutputKind], template: Path | None) -> _Prepared:
    from ..fonts import read_fonts_ahead
    from ..read.template import font_findings, load_template

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
    from ..fingerprint import source_hashes, stamp

    sources = source_hashes(loaded.report)
    return [(path, stamp(data, sources) if path.suffix.lower() == ".docx" else data) for path, data in files]


def _edited_report_at(target: Path, project: Path, force: bool) -> str:
    """Refuse to replace a report someone edited, or a file zbreport did not write (exit 3).

    With --force it is replaced; the answer says what was there, for the warning.
    """
    from ..fingerprint import examine

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


PDF_FONTS = "PDF 在本机生成，缺少的字体在 PDF 中以本机的其他字体代替；如需原字体，请在装有这些字体的电脑上生成，或在 Word、WPS 中另存为 PDF"


def _audit_published(path: Path):
    """A published report (.docx, web page, PDF) checked by the same rules as a project."""
    published = _published(path)
    report = published.report
    findings = check_report(report, published.findings) + assemble(report).findings
    return report, sorted(findings, key=sort_key)


def _published(path: Path):
    from ..read.published import read_published

    published = read_published(path, FORMAT)
    if published.missing:
        raise InputError("不像政府信息公开工作年度报告：" + "；".join(published.missing), Location(path))
    return published


def _one_project(projects: list[Path], jobs: int | None) -> Path | None:
    """The project when one is given (not a folder of projects): it keeps the one-project output."""
    from ..batch import is_folder_of_projects

    if jobs is not None and jobs < 1:
        _fail(f"--jobs 应为正整数，而不是 {jobs}", EXIT_INPUT)
    if len(projects) == 1 and not is_folder_of_projects(projects[0]):
        return projects[0]
    return None


def _unreadable(project: Path, exc: InputError) -> Outcome:
    problem = Finding(Severity.ERROR, "unreadable", exc.message, exc.location)
    return Outcome(project, EXIT_INPUT, findings=[problem], readable=False)


def _run(job, projects: list[Path], arguments: list[tuple], jobs: int | None, doing: str) -> list[Outcome]:
    """The job over every project; a progress bar on stderr while it runs, if stderr is a terminal."""
    from contextlib import contextmanager

    from ..batch import run_projects

    @contextmanager
    def progress(total: int):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        columns = (TextColumn(doing), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=err.rich, transient=True) as bar:
            task = bar.add_task(doing, total=total)
            yield lambda: bar.advance(task)

    return run_projects(job, projects, arguments, jobs or 0, progress if err.is_terminal else None)
