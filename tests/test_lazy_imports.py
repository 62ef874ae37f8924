"""What each command loads: none typer (a plain command line is parsed from the spec, see
fast_parse.py), check and preview never python-docx (nor lxml), preview not the Markdown parser,
check and build not rich when their output is not a terminal (preview only rich's character
widths: a grid drawn without styles is written without rich's Console), none json or xml.sax (urllib);
build writes Word with lxml and zipfile, never python-docx.

Start-up time is most of a `check` (see benchmarks/): these keep the heavy libraries out of the
commands that do not need them. A real process each, since the test run has imported everything.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import SAMPLE, run_process

HEAVY = ("typer", "click", "typer._click", "docx", "lxml", "markdown_it", "openpyxl", "rich", "rich.console", "xml.sax", "json", "zbreport.read.published.interpret")
PROBE = (
    "import sys\n"
    "from zbreport.start import main\n"
    "sys.argv = ['zbreport', *sys.argv[1:]]\n"
    "try:\n"
    "    main()\n"
    "except SystemExit:\n"
    "    pass\n"
    f"print('LOADED', *[m for m in {HEAVY!r} if m in sys.modules], file=sys.stderr)\n"
)


def loaded_by(*args: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=60)
    line = next(line for line in done.stderr.splitlines() if line.startswith("LOADED"))
    return set(line.split()[1:])


@pytest.mark.parametrize(
    "args, expected",
    [
        (("check", str(SAMPLE)), {"markdown_it"}),
        (("preview", str(SAMPLE)), {"rich"}),
        (("preview", str(SAMPLE), "--table", "三"), {"rich"}),
    ],
    ids=["check", "preview", "preview-one-table"],
)
def test_commands_load_only_what_they_use(args, expected):
    assert loaded_by(*args) == expected


@pytest.mark.parametrize("kind", ["docx", "html"])
def test_build_loads_lxml_not_python_docx_nor_rich(tmp_path, kind):
    out = tmp_path / f"报告.{kind}"
    assert loaded_by("build", str(SAMPLE), "--format", kind, "-o", str(out)) == {"lxml", "markdown_it"}
    assert out.is_file()


def test_template_check_reads_the_template_without_python_docx():
    assert "docx" not in loaded_by("template", "check", str(SAMPLE.parent.parent / "templates" / "default.docx"))


def test_the_command_line_is_loaded_frozen_and_the_collector_runs_after():
    """`zbreport` (start.main) freezes what loading made, and collects what the command makes."""
    probe = (
        "import gc, sys\n"
        "from zbreport.start import main\n"
        "sys.argv = ['zbreport', *sys.argv[1:]]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('GC', gc.isenabled(), gc.get_freeze_count(), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe, "check", str(SAMPLE)], capture_output=True, text=True, timeout=60)
    _, enabled, frozen = next(line for line in done.stderr.splitlines() if line.startswith("GC")).split()
    assert enabled == "True" and int(frozen) > 10_000


def test_help_and_a_mistyped_option_still_go_through_typer():
    """What the fast parser declines, the typer app answers as it always has."""
    assert "typer" in loaded_by("check", str(SAMPLE), "--bogus")
    helped = run_process("--help")
    assert helped.code == 0 and "zbreport [OPTIONS] COMMAND" in helped.stdout and "检查报告数据" in helped.stdout
    helped = run_process("check", "--help")
    assert helped.code == 0 and "--strict" in helped.stdout
    mistyped = run_process("check", SAMPLE, "--strcit")
    assert mistyped.code == 2 and mistyped.stdout == ""
    assert mistyped.stderr.startswith("错误 没有 --strcit 这个选项，是否应为 --strict？\n运行“") and "check --help”查看用法" in mistyped.stderr
    wrong = run_process("check", SAMPLE, "--format", "xml")
    assert wrong.code == 2 and "--format 的值无效" in wrong.stderr
