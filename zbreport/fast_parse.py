"""The command line's plain forms parsed without typer, from the spec typer's app generates.

Importing typer (and the click it carries) is ~40 ms of every start, the largest single cost of a
`check`. A clerk's command line is almost always plain: `check 项目`, `build 项目 -o 报告.docx`.
This parses such a line exactly as click would, from command_spec.py, and gives the command to call
with its keyword arguments. Anything else it declines (None), and start.py hands the line to the
typer app unchanged, which gives its usual help or Chinese usage message: no arguments, --help or
-h, `--`, an unknown command or option, a missing or repeated value, a value not converted exactly
as click converts it, combined or attached short options, a value beginning with "-", a shell
completing a word, and any command whose parameters the spec marks unsupported.
tests/test_fast_parse.py holds it to click's answers.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .command_spec import COMMANDS, GROUPS


class Call:
    """A command to run: its implementation (module, function name) and keyword arguments."""

    __slots__ = ("module", "function", "kwargs")

    def __init__(self, module: str, function: str, kwargs: dict[str, Any]) -> None:
        self.module = module
        self.function = function
        self.kwargs = kwargs


class _Declined(Exception):
    """The command line is not a plain one: typer parses it."""


def parse(words: list[str]) -> Call | None:
    """The command `words` (sys.argv[1:]) asks for, or None when typer should parse them."""
    try:
        return _parse(words)
    except _Declined:
        return None


def _parse(words: list[str]) -> Call:
    if not words or any(word in ("--help", "-h", "--", "") for word in words):
        raise _Declined
    if any(name.startswith("_") and name.endswith("_COMPLETE") for name in os.environ):
        raise _Declined  # a shell asking click to complete a word
    path, rest = words[0], words[1:]
    if path in GROUPS:
        if not rest:
            raise _Declined
        path, rest = f"{path} {rest[0]}", rest[1:]
    command = COMMANDS.get(path)
    if command is None or command["unsupported"]:
        raise _Declined
    params = command["params"]
    given, positional = _split(rest, {opt: p for p in params if p["kind"] == "option" for opt in p["opts"]})
    kwargs = _arguments([p for p in params if p["kind"] == "argument"], positional)
    for param in params:
        if param["kind"] == "option":
            kwargs[param["name"]] = _option(param, given.get(param["name"]))
    module, function = command["calls"]
    return Call(module, function, kwargs)


def _split(words: list[str], options: dict[str, dict]) -> tuple[dict[str, list], list[str]]:
    """The options' values by parameter name, and the positional words, in order (click lets
    them mix)."""
    given: dict[str, list] = {}
    positional: list[str] = []
    at = 0
    while at < len(words):
        word = words[at]
        at += 1
        if not word.startswith("-"):
            positional.append(word)
            continue
        if word == "-":  # click reads it as a positional word (stdin); a path here would not be
            raise _Declined
        name, equals, value = word.partition("=") if word.startswith("--") else (word, "", "")
        param = options.get(name)
        if param is None:
            raise _Declined
        if param["type"] == "flag":
            if equals:
                raise _Declined
            value = True
        elif not equals:
            if at == len(words):
                raise _Declined
            value = words[at]
            at += 1
        if param["type"] != "flag" and (value == "" or value.startswith("-")):
            raise _Declined
        if param["name"] in given and not param["multiple"]:
            raise _Declined
        given.setdefault(param["name"], []).append(value)
    return given, positional


def _arguments(arguments: list[dict], words: list[str]) -> dict[str, Any]:
    """Positional words given to the arguments as click gives them: all to a variadic argument
    (the only one, per the spec), or one each, in order."""
    if len(arguments) == 1 and arguments[0]["nargs"] == -1:
        if not words:
            raise _Declined
        return {arguments[0]["name"]: [_value(arguments[0], word) for word in words]}
    if len(words) > len(arguments):
        raise _Declined
    kwargs = {}
    for at, param in enumerate(arguments):
        if at < len(words):
            kwargs[param["name"]] = _value(param, words[at])
        elif param["required"]:
            raise _Declined
        else:
            kwargs[param["name"]] = _default(param)
    return kwargs


def _option(param: dict, values: list | None) -> Any:
    if values is None:
        if param["required"] or (param["envvar"] and param["envvar"] in os.environ):
            raise _Declined
        return _default(param)
    if param["type"] == "flag":
        return True
    if param["multiple"]:
        return [_value(param, value) for value in values]
    return _value(param, values[0])


def _default(param: dict) -> Any:
    default = param["default"]
    if default is not None and param["enum"]:
        return _enum(param["enum"])(default)
    return default


def _value(param: dict, word: str) -> Any:
    """The word as click converts it for this parameter, and typer after it; declined where
    click would refuse it (or might: only plain forms are taken)."""
    kind = param["type"]
    if kind == "text":
        return word
    if kind == "int":
        digits = word[1:] if word[0] in "+-" else word
        if not (digits.isascii() and digits.isdigit()):  # int() takes " 1", "1_0" and "٣" too
            raise _Declined
        try:
            return int(word)
        except ValueError:  # more digits than Python converts
            raise _Declined from None
    if kind == "path":
        _readable_if_present(word)
        return Path(word)
    if kind == "choice":
        if word not in param["choices"]:
            raise _Declined
        return _enum(param["enum"])(word) if param["enum"] else word
    raise _Declined


def _readable_if_present(word: str) -> None:
    """click's Path refuses a path that exists but cannot be read."""
    try:
        os.stat(word)
    except OSError:
        return
    except ValueError:  # a NUL in the name: click would fail on it
        raise _Declined from None
    if not os.access(word, os.R_OK):
        raise _Declined


def _enum(where: str) -> type:
    import importlib

    module, name = where.split(":")
    return getattr(importlib.import_module(module), name)
