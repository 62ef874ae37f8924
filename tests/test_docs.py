"""The README is the manual: every command and every option the CLI has is written in it."""

from __future__ import annotations

import typer.main

from conftest import REPO
from zbreport.cli import app


def _commands(group, prefix: str = "zbreport"):
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            yield from _commands(command, f"{prefix} {name}")
        else:
            yield f"{prefix} {name}", command


def test_every_command_and_option_is_in_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = []
    commands = list(_commands(typer.main.get_command(app)))
    assert len(commands) >= 7
    for name, command in commands:
        if name not in readme:
            missing.append(name)
        # an option is documented on a line that names its command (`build --force`, the table row)
        lines = [line for line in readme.splitlines() if name.split()[-1] in line]
        for parameter in command.params:
            options = [o for o in getattr(parameter, "opts", []) if o.startswith("-")]
            if options and not any(option in line for option in options for line in lines):
                missing.append(f"{name} {options[0]}")
    assert not missing, f"not in README.md: {missing}"
