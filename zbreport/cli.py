"""The zbreport command line as typer declares it: each command's arguments, options and help.

The commands' work is in zbreport/commands/ (no typer there): each declaration here calls its
implementation with the same keyword arguments, through `run_command`, which turns errors into
messages and exit codes. This app is the single definition of the command line: start.py parses
the plain forms of it without importing typer, from a spec generated from this app
(command_spec.py; regenerate it with `uv run python -m zbreport.command_spec_build`).

No `from __future__ import annotations` here: typer reads the commands' annotations on every
start, and strings would be evaluated anew each time (10 ms of a 100 ms `check`).
"""

import functools
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from typer.core import TyperGroup

from .commands import build as building
from .commands import check as checking
from .commands import edits, new_project, summary, tables, template
from .commands.running import EXIT_FINDINGS, EXIT_INPUT, OutputFormat, _JsonAnswer, fresh_consoles, run_command
from .commands.running import main as run_main
from .write.outputs import OutputKind


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


@app.callback()
def _start() -> None:
    fresh_consoles()


def command(on: typer.Typer, implementation, name: str | None = None):
    """Register a command: the declaration's parameters and docstring are what typer reads; the
    work is `implementation`'s, called with the same keyword arguments (`run_command`)."""

    def register(declaration):
        @functools.wraps(declaration)
        def run(**kwargs):
            return run_command(implementation, kwargs)

        run.implementation = implementation  # read by command_spec_build.py
        on.command(name)(run)
        return declaration

    return register


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


@command(app, building.build)
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


@command(app, building.watch)
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


SourcesArg = Annotated[
    list[Path],
    typer.Argument(help="项目文件夹或已发布的报告（.docx、.html、.pdf）", show_default=False),
]
SourceArg = Annotated[Path, typer.Argument(help="项目文件夹或已发布的报告（.docx、.html、.pdf）", show_default=False)]


@command(app, checking.check)
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


EditedArg = Annotated[
    Optional[Path],
    typer.Argument(help="编辑后的 .docx（默认为 build 写在项目文件夹中的报告）", show_default=False),
]
AcceptOption = Annotated[
    bool, typer.Option("--accept-changes", help="先接受 Word 中的修订（同“全部接受”）再比较")
]


@command(app, edits.diff)
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


@command(app, edits.pull)
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


@command(app, checking.preview)
def preview(
    project: SourceArg,
    table: Annotated[
        Optional[str], typer.Option("--table", help="只显示一张表：二、三 或 四（默认显示全部）", show_default=False)
    ] = None,
) -> None:
    """在终端中显示三张统计表，标出有问题的单元格。

    表头按官方格式合并；每张表下列出该表的问题。
    """


@command(app, new_project.init)
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


@command(app, new_project.import_report, "import")
def import_report(
    source: Annotated[Path, typer.Argument(help="已发布的年度报告：.docx、.html（.htm）或 .pdf", show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", help="要创建的项目文件夹（不能已存在内容）", show_default=False)],
) -> None:
    """把已发布的年度报告（Word、网页、PDF）导入为报告项目。

    数字照录（包括总计），正文转为 Markdown；不是年度报告时不写入任何内容。
    """


template_app = typer.Typer(help="Word 模板：导出默认模板以便修改，检查模板中的样式和占位符。", no_args_is_help=True)
app.add_typer(template_app, name="template")


@command(template_app, template.template_export, "export")
def template_export(
    file: Annotated[Path, typer.Argument(help="要写出的 .docx 文件", show_default=False)],
    force: Annotated[bool, typer.Option("--force", help="覆盖已有的文件")] = False,
) -> None:
    """写出默认模板，供在 Word 中修改。

    可加入本机关的页眉、封面、样式和落款，报告放在 {{ body }} 所在的段落。
    """


@command(template_app, template.template_check, "check")
def template_check(
    file: Annotated[Path, typer.Argument(help="要检查的 .docx 模板", show_default=False)],
    project: Annotated[
        Optional[Path], typer.Option("--project", help="用这个项目的数据检查占位符能否填入", show_default=False)
    ] = None,
) -> None:
    """检查模板：页面、样式、正文位置、占位符、字体。

    列出找到的和缺少的。退出码：0 可用，1 有错误，2 无法读取。
    """


@command(app, summary.summarize, "summary")
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


tables_app = typer.Typer(help="统计表与 Excel：导出三张表，供各单位在 Excel 或 WPS 中填写。", no_args_is_help=True)
app.add_typer(tables_app, name="tables")


@command(tables_app, tables.tables_export, "export")
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


def main() -> None:
    """Entry point when the command line goes through typer; see commands/running.py's `main`."""
    run_main(app)
