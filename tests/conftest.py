"""Shared fixtures: the sample project, copies of it to break, and running the real CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample_data" / "zibo-2024"


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_cli(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Run a `zbreport` command in-process, on real files: its exit code, stdout and stderr.

    The app maps every error to its message and exit code itself, so this sees what a clerk
    sees; `run_process` runs the installed command for what only a real process shows.
    """
    from typer.testing import CliRunner

    from zbreport.cli import app

    environment = {"NO_COLOR": "1", "COLUMNS": "200", "ZBREPORT_DEBUG": None, **(env or {})}
    previous = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        result = CliRunner().invoke(app, [str(a) for a in args], env=environment)
    finally:
        os.chdir(previous)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a bug in the test harness or an escaped exception: show it
    return Run(result.exit_code, result.stdout, result.stderr)


def run_process(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Run `zbreport` as a clerk would: a separate process, real files, its exit code."""
    environment = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200", **(env or {})}
    environment.pop("ZBREPORT_DEBUG", None)
    done = subprocess.run(
        [sys.executable, "-m", "zbreport", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=environment,
        timeout=120,
    )
    return Run(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh copy of the sample project, to edit."""
    target = tmp_path / "project"
    shutil.copytree(SAMPLE, target, ignore=shutil.ignore_patterns("*.docx", "*.pdf"))
    return target


@pytest.fixture(scope="session")
def sample_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "report.docx"
    result = run_cli("build", SAMPLE, "-o", out)
    assert result.code == 0, result.output
    return out


def replace_in(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    """1-based number of the first line of `path` holding `needle`."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")
