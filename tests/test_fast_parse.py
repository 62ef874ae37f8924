"""The fast parser (start.py's way in without typer) against click: whenever it takes a command line,
click's own parse of it, with typer's conversions, calls the same command with the same arguments.

And the spec it reads is the typer app's as it is now (like templates/default.docx against a fresh
build), and it takes the ordinary command lines, so the fast path cannot quietly go unused.
"""

from __future__ import annotations

import importlib
from enum import Enum
from pathlib import Path
from unittest import mock

import pytest
import typer
import typer.main
from hypothesis import given, settings
from hypothesis import strategies as st
from typer._click.exceptions import ClickException

import zbreport.cli as cli
from zbreport import command_spec, command_spec_build
from zbreport.command_spec import COMMANDS, GROUPS
from zbreport.fast_parse import parse

ROOT = typer.main.get_command(cli.app)


def click_call(words: list[str]):
    """(implementation, keyword arguments) as the typer app calls it for `words`; None when click refuses them."""
    called = []
    with mock.patch.object(cli, "run_command", lambda function, kwargs: called.append((function, kwargs))):
        try:
            ROOT.main(list(words), "zbreport", standalone_mode=False)
        except (ClickException, typer.Exit, typer.Abort):
            return None
    assert len(called) == 1, words
    return called[0]


def fast_call(words: list[str]):
    call = parse(list(words))
    if call is None:
        return None
    return getattr(importlib.import_module(call.module), call.function), call.kwargs


def typed(value):
    """A value with its type: OutputFormat.json equals "json", and must not pass for it."""
    if isinstance(value, (list, tuple)):
        return (type(value), [typed(v) for v in value])
    return (type(value), value)


def assert_same(words: list[str]) -> bool:
    """Whether the fast parser took `words`; when it did, click called the same with the same."""
    fast = fast_call(words)
    if fast is None:
        return False
    slow = click_call(words)
    assert slow is not None, f"click refuses what the fast parser took: {words}"
    assert fast[0] is slow[0], words
    assert {k: typed(v) for k, v in fast[1].items()} == {k: typed(v) for k, v in slow[1].items()}, words
    return True


def test_the_committed_spec_is_the_apps():
    assert (Path(command_spec.__file__).read_text(encoding="utf-8") == command_spec_build.source(cli.app)), (
        "the command line changed: run `uv run python -m zbreport.command_spec_build`"
    )


def test_every_command_is_parsed_fast():
    """A parameter the fast parser does not know would send its command through typer for good."""
    assert {path: c["unsupported"] for path, c in COMMANDS.items() if c["unsupported"]} == {}
    paths = set(COMMANDS)
    assert {"check", "preview", "build", "template export", "tables export"} <= paths


ORDINARY = [
    ["check", "项目"],
    ["check", "甲", "乙", "--format", "json", "-j", "2"],
    ["check", "--strict", "项目", "--format=text"],
    ["preview", "项目", "--table", "三"],
    ["build", "项目"],
    ["build", "项目", "-o", "报告.docx", "--format", "html"],
    ["build", "甲", "乙", "--output", "出", "--format", "docx", "--format", "pdf", "--force", "--jobs", "4"],
    ["watch", "项目", "--format", "html", "--template", "模板.docx"],
    ["diff", "项目", "编辑稿.docx", "--format", "json", "--accept-changes"],
    ["pull", "项目", "--yes"],
    ["pull", "项目", "编辑稿.docx", "-y", "--template", "t.docx"],
    ["init", "新项目", "--issuer", "某某区人民政府", "--year", "2025"],
    ["init", "新项目", "--from", "上年"],
    ["import", "报告.pdf", "-o", "项目"],
    ["template", "export", "模板.docx", "--force"],
    ["template", "check", "模板.docx", "--project", "项目"],
    ["summary", "各部门", "-o", "汇总", "--issuer", "某某区人民政府", "--force"],
    ["tables", "export", "项目", "-o", "表格.xlsx"],
]


@pytest.mark.parametrize("words", ORDINARY, ids=[" ".join(w) for w in ORDINARY])
def test_ordinary_command_lines_are_parsed_fast_as_click_parses_them(words):
    assert assert_same(words)


DECLINED = [
    [],
    ["--help"],
    ["check", "项目", "--help"],
    ["check", "-h"],
    ["check"],
    ["template"],
    ["chek", "项目"],
    ["check", "项目", "--bogus"],
    ["check", "项目", "--format", "xml"],
    ["check", "项目", "--format"],
    ["check", "--", "项目"],
    ["pull", "项目", "-yf"],
    ["build", "项目", "-o报告.docx"],
    ["build", "项目", "--force=yes"],
    ["check", "项目", "-j", "x"],
    ["check", "项目", "-j", "1_000"],
    ["import", "报告.pdf"],
    ["diff", "项目", "甲.docx", "乙.docx"],
]


@pytest.mark.parametrize("words", DECLINED, ids=[" ".join(w) or "nothing" for w in DECLINED])
def test_other_command_lines_are_left_to_typer(words):
    assert parse(words) is None


# ---------------------------------------------------------------- any command line drawn from the spec

VALID = st.sampled_from(["项目", "a b", "x.docx", "sample", "报告 2024.docx", "=x", "a=b", "三"])
WORDS = st.sampled_from(["项目", "a b", "x.docx", "sample", "-", "-x", "", " 1", "--", "=", "a=b", "三", "json"])
INTEGERS = st.one_of(st.integers(-5, 5000).map(str), st.sampled_from(["+3", "007", "1_0", "٣", " 4", "4 ", "0x10", "1.0", "9" * 5000]))


def values_for(param: dict):
    if param["type"] == "int":
        return st.one_of(st.integers(0, 64).map(str), INTEGERS, WORDS)
    if param["type"] == "choice":
        choices = param["choices"]
        others = [c.upper() for c in choices] + [f" {c}" for c in choices]
        return st.one_of(st.sampled_from(choices), st.sampled_from(choices), st.sampled_from(others), WORDS)
    return st.one_of(VALID, VALID, VALID, WORDS, st.text(min_size=0, max_size=6))


@st.composite
def option_words(draw, param: dict) -> list[str]:
    if param["type"] == "flag":
        return [draw(st.sampled_from([param["opts"][0], f"{param['opts'][0]}=1"] + list(param["opts"])))]
    value = draw(values_for(param))
    name = draw(st.sampled_from(param["opts"]))
    form = draw(st.sampled_from(["separate"] * 8 + ["equals"] * 4 + ["attached", "missing"]))
    if form == "equals":
        return [f"{name}={value}"]
    if form == "attached":
        return [name + value]
    if form == "missing":
        return [name]
    return [name, value]


@st.composite
def command_lines(draw) -> list[str]:
    path = draw(st.sampled_from(sorted(COMMANDS)))
    params = COMMANDS[path]["params"]
    pieces: list[list[str]] = []
    for param in params:
        if param["kind"] == "argument":
            count = draw(st.just(1) | st.integers(0, 3 if param["nargs"] == -1 else 2))
            pieces += [[draw(st.one_of(VALID, VALID, WORDS, st.text(max_size=4)))] for _ in range(count)]
        else:
            pieces += [draw(option_words(param)) for _ in range(draw(st.sampled_from([0, 0, 1, 1, 2])))]
    pieces += [[draw(st.sampled_from(["--bogus", "-q", "--help", "-h", "stray", "--", "-yf"]))] for _ in range(draw(st.sampled_from([0, 0, 0, 1])))]
    pieces = draw(st.permutations(pieces))
    return path.split() + [word for piece in pieces for word in piece]


@settings(max_examples=400)
@given(command_lines())
def test_whatever_the_fast_parser_takes_click_takes_the_same(words):
    assert_same(words)


@given(st.lists(st.one_of(st.sampled_from(sorted({w for p in COMMANDS for w in p.split()} | set(GROUPS))), WORDS), max_size=5))
def test_any_words(words):
    assert_same(words)


def test_enum_values_are_members_not_strings():
    call = parse(["check", "项目", "--format", "json"])
    assert isinstance(call.kwargs["format"], Enum) and call.kwargs["format"].value == "json"


def test_a_shell_completing_a_word_is_left_to_typer(monkeypatch):
    monkeypatch.setenv("_ZBREPORT_COMPLETE", "bash_complete")
    assert parse(["check", "项目"]) is None
