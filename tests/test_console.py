"""The command line's messages without rich: the same bytes rich writes, whenever rich is skipped.

`LazyConsole` writes a line itself when the stream is not a terminal and rich would print the
line unchanged; these compare it with a real rich Console for any text, markup, emoji codes,
control characters and trailing spaces included.
"""

from __future__ import annotations

import io
import os
import sys
from contextlib import contextmanager
from unittest import mock

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from rich.console import Console
from rich.errors import MarkupError
from rich.text import Text

from zbreport.write.console import LazyConsole, Line, Lines

# Characters rich treats specially (markup, emoji codes, escapes, control codes, tabs, spaces
# it trims), among any others.
TRICKY = list("[]:\\/\t\r\n\x07\x08\x0b\x0c\x1b \u3000\xa0") + ["[bold]", ":smile:", "[/]", "\\["]
TEXT = st.lists(st.one_of(st.sampled_from(TRICKY), st.characters(codec="utf-8")), max_size=12).map("".join)



COLUMNS = st.one_of(st.none(), st.sampled_from(["0", "1", "12", "80", "200", "", "abc", "８０", "²", " 80"]))


@contextmanager
def columns(value: str | None):
    with mock.patch.dict(os.environ):
        os.environ.pop("COLUMNS", None)
        if value is not None:
            os.environ["COLUMNS"] = value
        yield


@contextmanager
def terminal_kind(term: str | None, colorterm: str | None = None, no_color: str | None = None):
    """TERM, COLORTERM and NO_COLOR as given (None: unset)."""
    with mock.patch.dict(os.environ):
        for name, value in (("TERM", term), ("COLORTERM", colorterm), ("NO_COLOR", no_color)):
            os.environ.pop(name, None)
            if value is not None:
                os.environ[name] = value
        yield


TERMINALS = st.tuples(
    st.sampled_from([None, "xterm", "xterm-256color", "xterm-16color", "xterm-kitty", "screen", "linux", "dumb", "unknown"]),
    st.sampled_from([None, "", "truecolor", "24bit"]),
    st.sampled_from([None, None, "", "1"]),
)
STYLES = st.sampled_from(["", "bold", "bold white on red", "bold black on yellow", "dim", "cyan", "yellow", "bold red", "italic"])


@pytest.fixture(autouse=True, scope="module")
def no_colour_variables():
    """The tests set NO_COLOR (and TERM, COLORTERM) themselves where they mean to."""
    with mock.patch.dict(os.environ):
        for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "NO_COLOR"):
            os.environ.pop(name, None)
        yield


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@contextmanager
def captured_stdout(terminal: bool = False):
    """stdout as a pipe would be (or a terminal), with no variable telling rich otherwise."""
    buffer = Terminal() if terminal else io.StringIO()
    with mock.patch.dict(os.environ), mock.patch.object(sys, "stdout", buffer):
        for name in ("FORCE_COLOR", "TTY_COMPATIBLE"):  # NO_COLOR: see no_colour_variables
            os.environ.pop(name, None)
        yield buffer


def by_rich(*objects, terminal: bool = False, **options) -> str:
    """What rich wrote; or, for markup rich refuses ("[/]" closing nothing), the error's name."""
    with captured_stdout(terminal) as buffer:
        try:
            Console(highlight=False).print(*objects, **options)
        except MarkupError:
            return "MarkupError"
    return buffer.getvalue()


def by_lazy(*objects, terminal: bool = False, **options) -> tuple[str, bool]:
    """What LazyConsole wrote (or rich's error), and whether it made a rich Console to write it."""
    console = LazyConsole()
    with captured_stdout(terminal) as buffer:
        try:
            console.print(*objects, **options)
        except MarkupError:
            return "MarkupError", console._console is not None
    return buffer.getvalue(), console._console is not None


def spans_by_lazy(spans, terminal: bool = False) -> tuple[str, bool]:
    console = LazyConsole()
    with captured_stdout(terminal) as buffer:
        console.print_spans(spans)
    return buffer.getvalue(), console._console is not None


@given(TEXT, st.booleans())
@example("说明" * 50 + "   ", False)  # past the console's width
@example("a" * 90 + " \nb", True)
def test_a_line_is_written_as_rich_writes_it(text, terminal):
    assert by_lazy(text, terminal=terminal, soft_wrap=True)[0] == by_rich(text, terminal=terminal, soft_wrap=True)
    for end in ("", "x", "\n"):  # nothing to print: rich writes `end` alone
        assert by_lazy(terminal=terminal, end=end)[0] == by_rich(terminal=terminal, end=end)
    assert by_lazy(text, terminal=terminal, soft_wrap=True, end="")[0] == by_rich(
        text, terminal=terminal, soft_wrap=True, end=""
    )


@given(TEXT, TEXT, st.booleans(), STYLES, TERMINALS, COLUMNS)
@example("a\nb", "", True, "", ("xterm", None, None), None)  # rich styles each line of a piece
@example("错误", "x", True, "", ("xterm", None, None), "0")  # rich writes nothing at a width of 0
def test_styled_pieces_are_written_as_rich_writes_them(first, second, terminal, style, kind, width):
    spans = [(first, "bold red"), ("[R1] ", "dim"), (second, style)]
    with terminal_kind(*kind), columns(width):
        try:
            expected = by_rich(Text.assemble(*spans), terminal=terminal, soft_wrap=True)
        except ValueError:  # COLUMNS="²": rich cannot read it (a plain line is written all the same)
            return
        assert spans_by_lazy(spans, terminal)[0] == expected


def test_plain_lines_do_not_need_rich():
    for terminal in (False, True):
        assert by_lazy("共 1 个错误，0 个警告。", terminal=terminal, soft_wrap=True) == ("共 1 个错误，0 个警告。\n", False)
        assert by_lazy(terminal=terminal) == ("\n", False)
    assert spans_by_lazy([("错误 ", "bold red"), ("[R1] ", "dim"), ("表三", "")]) == ("错误 [R1] 表三\n", False)
    # Markup, an emoji code, a tab: rich's business.
    for text in ("[bold red]错误[/] 找不到文件", "路径 a:smile:b", "甲\t乙"):
        written, made = by_lazy(text, soft_wrap=True)
        assert made and written == by_rich(text, soft_wrap=True)


def test_styles_on_a_terminal_are_rich_s():
    spans = [("错误 ", "bold red"), ("表三", "")]
    with terminal_kind("xterm-256color"):
        assert spans_by_lazy(spans, terminal=True) == ("\x1b[1;31m错误 \x1b[0m表三\n", False)
        assert by_rich(Text.assemble(*spans), terminal=True, soft_wrap=True) == "\x1b[1;31m错误 \x1b[0m表三\n"
        assert spans_by_lazy([("已生成：", ""), ("报告.docx", "")], terminal=True) == ("已生成：报告.docx\n", False)
        written, made = spans_by_lazy([("注", "italic magenta")], terminal=True)  # a style not in SGR: rich's
        assert made and written == by_rich(Text.assemble(("注", "italic magenta")), terminal=True, soft_wrap=True)
    with terminal_kind("dumb"):  # rich writes no colours there: left to rich
        written, made = spans_by_lazy(spans, terminal=True)
        assert made and written == "错误 表三\n"


def test_force_color_gets_rich():
    console = LazyConsole()
    with captured_stdout():
        os.environ["FORCE_COLOR"] = "1"
        console.print_spans([("警告", "yellow")])
    assert console._console is not None


LINE = st.builds(
    Line,
    st.lists(st.tuples(TEXT, STYLES), max_size=4).map(tuple),
    st.booleans(),
    st.booleans(),
)


@given(st.lists(LINE, max_size=5), st.booleans(), COLUMNS, TERMINALS)
@example([Line((("说明" * 45, ""),), wraps=False, crops=True)], False, None, (None, None, None))  # wider than 80: rich cuts it
@example([Line((("三、收到和处理", "bold"),), wraps=True), Line((), wraps=True)], False, "12", (None, None, None))
@example([Line((), wraps=False)], False, "0", (None, None, None))  # rich writes nothing at all at a width of 0
@example([Line((("  9", "bold white on red"), ("│", "")), wraps=False, crops=True)], True, "80", ("xterm", "truecolor", None))
def test_drawn_lines_are_written_as_rich_writes_them(lines, terminal, width, kind):
    """The preview's lines: written without rich only where rich would write the same bytes."""
    with columns(width), terminal_kind(*kind):
        try:
            expected = by_rich(Lines(tuple(lines)), terminal=terminal)
        except ValueError:  # COLUMNS="²": rich cannot read it either
            return
        console = LazyConsole()
        with captured_stdout(terminal) as buffer:
            console.print(Lines(tuple(lines)))
    assert buffer.getvalue() == expected


@given(COLUMNS, st.booleans())
def test_the_width_is_rich_s(value, terminal):
    with columns(value), captured_stdout(terminal):
        try:
            expected = Console().width
        except ValueError:
            return
        assert LazyConsole().width == expected


def test_a_plain_preview_needs_no_rich_console():
    lines = Lines((Line((("二、主动公开", "bold"),), wraps=True), Line((("┌──┐", ""),), wraps=False, crops=True)))
    console = LazyConsole()
    with columns("80"), captured_stdout() as buffer:
        console.print(lines)
    assert buffer.getvalue() == "二、主动公开\n┌──┐\n" and console._console is None
    with columns("80"), terminal_kind("xterm"), captured_stdout(terminal=True) as buffer:
        console.print(lines)
    assert buffer.getvalue() == "\x1b[1m二、主动公开\x1b[0m\n┌──┐\n" and console._console is None, "a terminal gets the styles"
    with columns("80"), terminal_kind("xterm", no_color="1"), captured_stdout(terminal=True) as buffer:
        LazyConsole().print_spans([("错误", "bold red"), (" 表三", "cyan")])
    assert buffer.getvalue() == "\x1b[1m错误\x1b[0m 表三\n", "NO_COLOR: bold kept, colours dropped, as rich does"
    with columns("80"), terminal_kind("xterm"), captured_stdout(terminal=True) as buffer:
        os.environ["FORCE_COLOR"] = "1"
        console = LazyConsole()
        console.print(lines)
    assert buffer.getvalue() == "\x1b[1m二、主动公开\x1b[0m\n┌──┐\n" and console._console is not None, "FORCE_COLOR: rich decides"
