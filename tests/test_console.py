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

from hypothesis import example, given
from hypothesis import strategies as st
from rich.console import Console
from rich.errors import MarkupError
from rich.text import Text

from zbreport.write.console import LazyConsole

# Characters rich treats specially (markup, emoji codes, escapes, control codes, tabs, spaces
# it trims), among any others.
TRICKY = list("[]:\\/\t\r\n\x07\x08\x0b\x0c\x1b \u3000\xa0") + ["[bold]", ":smile:", "[/]", "\\["]
TEXT = st.lists(st.one_of(st.sampled_from(TRICKY), st.characters(codec="utf-8")), max_size=12).map("".join)


@contextmanager
def captured_stdout():
    """stdout as a pipe would be (not a terminal), with no variable telling rich otherwise."""
    buffer = io.StringIO()
    with mock.patch.dict(os.environ), mock.patch.object(sys, "stdout", buffer):
        for name in ("FORCE_COLOR", "TTY_COMPATIBLE"):
            os.environ.pop(name, None)
        yield buffer


def by_rich(*objects, **options) -> str:
    """What rich wrote; or, for markup rich refuses ("[/]" closing nothing), the error's name."""
    with captured_stdout() as buffer:
        try:
            Console(highlight=False).print(*objects, **options)
        except MarkupError:
            return "MarkupError"
    return buffer.getvalue()


def by_lazy(*objects, **options) -> tuple[str, bool]:
    """What LazyConsole wrote (or rich's error), and whether it made a rich Console to write it."""
    console = LazyConsole()
    with captured_stdout() as buffer:
        try:
            console.print(*objects, **options)
        except MarkupError:
            return "MarkupError", console._console is not None
    return buffer.getvalue(), console._console is not None


@given(TEXT)
@example("说明" * 50 + "   ")  # past the console's width
@example("a" * 90 + " \nb")
def test_a_line_is_written_as_rich_writes_it(text):
    assert by_lazy(text, soft_wrap=True)[0] == by_rich(text, soft_wrap=True)
    assert by_lazy(text, soft_wrap=True, end="")[0] == by_rich(text, soft_wrap=True, end="")


@given(TEXT, TEXT)
def test_styled_pieces_are_written_as_rich_writes_them(first, second):
    spans = [(first, "bold red"), ("[R1] ", "dim"), (second, "")]
    console = LazyConsole()
    with captured_stdout() as buffer:
        console.print_spans(spans)
    assert buffer.getvalue() == by_rich(Text.assemble(*spans), soft_wrap=True)


def test_plain_lines_do_not_need_rich():
    assert by_lazy("共 1 个错误，0 个警告。", soft_wrap=True) == ("共 1 个错误，0 个警告。\n", False)
    assert by_lazy() == ("\n", False)
    # Markup, an emoji code, a tab: rich's business.
    for text in ("[bold red]错误[/] 找不到文件", "路径 a:smile:b", "甲\t乙"):
        written, made = by_lazy(text, soft_wrap=True)
        assert made and written == by_rich(text, soft_wrap=True)


def test_a_terminal_gets_rich():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    console = LazyConsole()
    with mock.patch.object(sys, "stdout", Terminal()):
        console.print("未发现问题。", soft_wrap=True)
    assert console._console is not None


def test_force_color_gets_rich():
    console = LazyConsole()
    with captured_stdout():
        os.environ["FORCE_COLOR"] = "1"
        console.print("未发现问题。", soft_wrap=True)
    assert console._console is not None
