"""Where the command line's messages go: rich's Console, made only when something needs it.

Most runs of `check` and `build` print a few plain lines. When the stream is not a terminal (a
pipe, a file, a CI log, an editor's task runner) rich writes such a line exactly as given, so
the line is written here directly, without importing rich (about 20 ms of a 150 ms start).
Whatever rich would change or draw goes to a real Console, made on first use: markup, emoji
codes, control characters, wrapping, tables, any styled output to a terminal.
"""

from __future__ import annotations

import builtins
import os
import sys
from typing import TYPE_CHECKING, Any, Iterable

if TYPE_CHECKING:
    from rich.console import Console

Span = tuple[str, str]  # a piece of a line and its rich style ("" for none)


class LazyConsole:
    """A rich Console for stdout or stderr, made on first use; see the module's docstring."""

    def __init__(self, *, stderr: bool = False) -> None:
        self.stderr = stderr
        self._console: Console | None = None

    @property
    def rich(self) -> Console:
        if self._console is None:
            from rich.console import Console

            self._console = Console(stderr=self.stderr, highlight=False)
        return self._console

    def __getattr__(self, name: str) -> Any:  # width, is_terminal, …: the Console's own
        return getattr(self.rich, name)

    def print(self, *objects: Any, soft_wrap: bool = False, end: str = "\n", **options: Any) -> None:
        """As `Console.print`; strings rich would print unchanged are written directly."""
        plain = (soft_wrap or not objects) and not options and _plain(end)
        if plain and all(isinstance(o, str) and _unmarked(o) for o in objects):
            stream = self._plain_stream()
            if stream is not None:
                stream.write(" ".join(objects) + end if objects else "\n")  # rich: an empty line, whatever `end`
                stream.flush()
                return
        self.rich.print(*objects, soft_wrap=soft_wrap, end=end, **options)

    def print_spans(self, spans: Iterable[Span]) -> None:
        """One line of styled pieces: `Text.assemble(*spans)`, printed with soft wrap."""
        spans = tuple(spans)
        text = "".join(piece for piece, _ in spans)
        stream = self._plain_stream() if _plain(text) else None
        if stream is not None:
            stream.write(text + "\n")
            stream.flush()
            return
        from rich.text import Text

        self.rich.print(Text.assemble(*spans), soft_wrap=True)

    def _plain_stream(self):
        """The stream, when rich would write plain text to it (no colours, no terminal codes); else None.

        Rich's own test (`Console.is_terminal`): TTY_COMPATIBLE and FORCE_COLOR decide before the
        stream does, and Jupyter is drawn differently; on Windows rich may write through the
        legacy console API, so there it always writes.
        """
        if self._console is not None or sys.platform == "win32" or hasattr(builtins, "get_ipython"):
            return None
        if "TTY_COMPATIBLE" in os.environ or "FORCE_COLOR" in os.environ:
            return None
        stream = sys.stderr if self.stderr else sys.stdout
        if stream is None:
            return None
        try:
            return None if stream.isatty() else stream
        except (AttributeError, ValueError):
            return None


def _plain(text: str) -> bool:
    """Text rich prints as it is: printable characters only (rich strips or expands control
    characters and tabs), and no line ending in a space (older rich versions trim such a line at
    the console's width)."""
    return all(line.isprintable() and not line[-1:].isspace() for line in text.split("\n"))


def _unmarked(text: str) -> bool:
    """A string rich prints as it is: no markup ([bold]) and no emoji code (:smile:), see `_plain`."""
    return "[" not in text and ":" not in text and _plain(text)
