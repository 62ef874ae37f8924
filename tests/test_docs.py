"""The README is the manual: every command and every option the CLI has is written in it (as
sqlite-utils checks its docs), on a line that names the command: a new option that is not
described fails here."""

from __future__ import annotations

import re
import unicodedata

import pytest
import typer.main

from conftest import REPO, run_cli
from zbreport.cli import app

README = (REPO / "README.md").read_text(encoding="utf-8")


def commands(group, path: tuple[str, ...] = ()):
    """(path, command) for every command of the app, sub-commands included ("template export").
    Typer builds click objects (its own copy of click): a group is what has sub-commands."""
    for name, command in sorted(group.commands.items()):
        if hasattr(command, "commands"):
            yield from commands(command, path + (name,))
        else:
            yield path + (name,), command


COMMANDS = list(commands(typer.main.get_command(app)))


def test_the_app_has_the_commands_we_expect():
    assert {" ".join(path) for path, _ in COMMANDS} >= {"build", "check", "preview", "init", "watch", "template export", "template check"}


def lines_about(path: tuple[str, ...]) -> list[str]:
    """README lines describing the command: its row in the commands table (`zbreport template check …`)
    and the notes that name it (`build --template FILE.docx`)."""
    name = " ".join(path)
    return [line for line in README.splitlines() if f"zbreport {name} " in line or f"`{name} -" in line]


@pytest.mark.parametrize("path, command", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_and_option_is_in_the_readme(path, command):
    lines = lines_about(path)
    assert lines, f"README.md does not describe `zbreport {' '.join(path)}`"
    text = "\n".join(lines)
    for parameter in command.params:
        if parameter.param_type_name != "option" or parameter.hidden or parameter.name == "help":
            continue
        # by its long or its short name (`-o OUT.docx` in the table row names --output)
        assert any(re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", text) for option in parameter.opts), (
            f"README.md does not mention `{parameter.opts[0]}` of `zbreport {' '.join(path)}`"
        )


def display_width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS] + [()], ids=[" ".join(p) for p, _ in COMMANDS] + ["zbreport"])
def test_help_reads_whole_at_80_columns(path):
    """`--help` in an 80-column terminal: no line wider, no help text cut off with "…" (rich
    crops a run of Chinese with no space in it that does not fit its column), and no line
    starting with a closing mark (a sentence folded mid-way)."""
    result = run_cli(*path, "--help", env={"COLUMNS": "80"})
    assert result.code == 0
    for line in result.stdout.splitlines():
        assert display_width(line) <= 80, line
        assert "…" not in line, line
        assert not re.match(r"[\s│]*[，。、；：）》”]", line), line
