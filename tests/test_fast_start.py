"""A plain command line run as a clerk runs it (a real process: start.py's fast path, no typer) answers
exactly as the typer app does in-process: the same exit code, stdout and stderr."""

from __future__ import annotations

import json

import pytest

from conftest import SAMPLE, replace_in, run_cli, run_process


def with_errors(project):
    """The sample with one figure wrong: table three no longer adds up."""
    replace_in(project / "tables" / "table3.yaml", "{自然人: 243", "{自然人: 244")
    return project


def same_both_ways(*args, cwd=None):
    fast = run_process(*args, cwd=cwd)
    typed = run_cli(*args, cwd=cwd)
    assert (fast.code, fast.stdout, fast.stderr) == (typed.code, typed.stdout, typed.stderr), args
    assert "Traceback" not in fast.output
    return fast


def test_a_good_project(tmp_path):
    assert same_both_ways("check", SAMPLE).code == 0
    answer = json.loads(same_both_ways("check", SAMPLE, "--format", "json", "--strict").stdout)
    assert answer["ok"] is True and answer["year"] == 2024
    assert same_both_ways("preview", SAMPLE, "--table", "三").code == 0


def test_a_project_with_errors(project, tmp_path):
    with_errors(project)
    checked = same_both_ways("check", project)
    assert checked.code == 1 and "错误" in checked.stdout
    answer = json.loads(same_both_ways("check", project, "--format=json").stdout)
    assert answer["ok"] is False and answer["errors"] >= 1
    built = same_both_ways("build", project, "-o", tmp_path / "r.docx")
    assert built.code == 1 and not (tmp_path / "r.docx").exists()


def test_unreadable_input(tmp_path):
    missing = tmp_path / "没有这个项目"
    assert same_both_ways("check", missing).code == 2
    answer = json.loads(same_both_ways("check", missing, "--format", "json").stdout)
    assert answer["readable"] is False and answer["findings"][0]["rule"] == "unreadable"
    assert same_both_ways("check", SAMPLE, "-j", "0").code == 2


@pytest.mark.parametrize("target", ["a-file/r.docx", "no-folder/r.docx"])
def test_unwritable_output(tmp_path, target):
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    result = same_both_ways("build", SAMPLE, "-o", tmp_path / target, "--format", "docx")
    assert result.code == 3 and result.stdout == ""
