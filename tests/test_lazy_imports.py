"""What each command loads: none typer (a plain command line is parsed from the spec, see
fast_parse.py), check and preview never python-docx (nor lxml), preview not the Markdown parser,
check and build not rich when their output is not a terminal (preview only rich's character
widths: a grid drawn without styles is written without rich's Console), none json or xml.sax (urllib);
build writes Word with lxml and zipfile, never python-docx; neither PyYAML nor the Markdown parser is
loaded where every file read is in the read cache (read/cache.py).

Start-up time is most of a `check` (see benchmarks/): these keep the heavy libraries out of the
commands that do not need them. A real process each, since the test run has imported everything.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SAMPLE, run_process

HEAVY = ("typer", "click", "typer._click", "docx", "lxml", "markdown_it", "yaml", "openpyxl", "rich", "rich.console", "xml.sax", "json", "zbreport.read.published.interpret")
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


def loaded_by(*args: str | Path, env: dict[str, str] | None = None) -> set[str]:
    environment = {**os.environ, **(env or {})}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *map(str, args)], capture_output=True, text=True, timeout=60, env=environment
    )
    line = next(line for line in done.stderr.splitlines() if line.startswith("LOADED"))
    return set(line.split()[1:])


@pytest.mark.parametrize(
    "args, expected",
    [
        (("check", str(SAMPLE)), {"markdown_it", "yaml"}),
        (("preview", str(SAMPLE)), {"rich", "yaml"}),
        (("preview", str(SAMPLE), "--table", "三"), {"rich", "yaml"}),
    ],
    ids=["check", "preview", "preview-one-table"],
)
def test_commands_load_only_what_they_use(args, expected):
    assert loaded_by(*args) == expected


@pytest.mark.parametrize("kind", ["docx", "html"])
def test_build_loads_lxml_not_python_docx_nor_rich(tmp_path, kind):
    out = tmp_path / f"报告.{kind}"
    assert loaded_by("build", str(SAMPLE), "--format", kind, "-o", str(out)) == {"lxml", "markdown_it", "yaml"}
    assert out.is_file()
    out.unlink()
    assert loaded_by("build", str(SAMPLE), "--format", kind, "-o", str(out)) == {"lxml"}  # from the read cache
    assert out.is_file()


def test_template_check_reads_the_template_without_python_docx():
    assert "docx" not in loaded_by("template", "check", str(SAMPLE.parent.parent / "templates" / "default.docx"))


def test_from_the_cache_neither_parser_is_loaded_and_an_edit_loads_only_its_own(project):
    # every kind of node the narrative has comes back from the cache, the marks' subclasses included
    with (project / "sections" / "6-other.md").open("a", encoding="utf-8") as section:
        section.write(
            "\n**加粗**、*倾斜*、~~删除~~、<u>下划线</u>、H<sub>2</sub>O、m<sup>2</sup>、`代码`、"
            "[链接](https://www.gov.cn)、脚注[^1]。\n\n> 引文\n\n1. 一项\n\n```\n代码块\n```\n\n"
            "| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\n\n[^1]: 脚注的内容。\n"
        )
    assert loaded_by("check", project) == {"yaml", "markdown_it"}
    assert loaded_by("check", project) == set()
    assert loaded_by("preview", project) == {"rich", "yaml"}  # report.yaml without its 导语: an entry of its own
    assert loaded_by("preview", project) == {"rich"}
    table = project / "tables" / "table2.yaml"
    table.write_text(table.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert loaded_by("check", project) == {"yaml"}
    section = project / "sections" / "2-proactive.md"
    section.write_text(section.read_text(encoding="utf-8") + "\n补充一句。\n", encoding="utf-8")
    assert loaded_by("check", project) == {"markdown_it"}
    assert loaded_by("check", project, env={"ZBREPORT_CACHE_DIR": ""}) == {"markdown_it", "yaml"}  # the cache off


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
