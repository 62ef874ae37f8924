"""Where the command line's messages go: rich's Console, made only when something needs it.

Most runs of `check` and `build` print a few plain lines. rich writes a line of plain text as
it is, to a terminal or not; and a styled line too, where the stream is not a terminal (a pipe,
a file, a CI log, an editor's task runner): it then writes the text without its styles. On a
terminal it writes each styled piece between the SGR codes of its style, and the few styles
zbreport uses (SGR below) are standard colours, the same codes in every colour system rich knows.
Such lines, and the preview's grid when it fits, are written here directly, without importing
rich (about 25 ms of a 100 ms start); tests hold the bytes to rich's. Whatever rich would change
or decide goes to a real Console, made on first use: markup, emoji codes, control characters,
wrapping, tables, other styles, Windows, Jupyter, and a terminal that TTY_COMPATIBLE,
FORCE_COLOR or a dumb TERM set apart.
"""

from __future__ import annotations

import builtins
import os
import sys
from typing import TYPE_CHECKING, Any, Iterable

from ..records import record

if TYPE_CHECKING:
    from rich.console import Console, Group

Span = tuple[str, str]  # a piece of a line and its rich style ("" for none)


@record
class Line:
    """A line drawn for a given width (the preview's grid, a wrapped finding, a title)."""

    spans: tuple[Span, ...]
    wraps: bool  # rich may wrap it at the console's width (a title), else it is cut there
    crops: bool = False  # cut with overflow "crop" (the grid) rather than rich's default

    @property
    def text(self) -> str:
        return "".join(piece for piece, _ in self.spans)


@record
class Lines:
    """Lines printed one under the other: a rich renderable (a Group of Texts), which
    `LazyConsole.print` writes without rich where rich would write the same characters."""

    lines: tuple[Line, ...]

    def __rich__(self) -> "Group":
        from rich.console import Group
        from rich.text import Text

        return Group(*(
            Text.assemble(*line.spans, no_wrap=None if line.wraps else True, overflow="crop" if line.crops else None)
            for line in self.lines
        ))


# The styles zbreport's lines use, as rich writes them on a terminal: standard colours, which rich
# writes with the same codes in its 16-colour, 256-colour and true-colour systems.
SGR = {
    "bold": "1", "dim": "2", "cyan": "36", "yellow": "33", "bold red": "1;31",
    "bold white on red": "1;37;41", "bold black on yellow": "1;30;43",
}
# The same with NO_COLOR: rich keeps bold and dim and drops the colours ("": the text alone).
SGR_NO_COLOR = {
    "bold": "1", "dim": "2", "cyan": "", "yellow": "", "bold red": "1",
    "bold white on red": "1", "bold black on yellow": "1",
}


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

    def reset(self) -> None:
        """Forget the Console made for an earlier command: the next is made when needed, with
        the environment (NO_COLOR, COLUMNS) as it is then."""
        self._console = None

    def __getattr__(self, name: str) -> Any:  # width, is_terminal, …: the Console's own
        return getattr(self.rich, name)

    @property
    def width(self) -> int:
        """The console's width as rich counts it, without rich where this module writes the lines
        itself (see `_styled`, `_drawable`): rich reads COLUMNS, else the first of stdin, stdout and
        stderr that has a size, else 80."""
        if self._console is None and self._stream() is not None and (not self._styled() or self._drawable() is not None):
            columns = os.environ.get("COLUMNS")
            if columns is None or not columns.isdigit():
                for descriptor in (0, 1, 2):
                    try:
                        return os.get_terminal_size(descriptor).columns or 80
                    except (AttributeError, ValueError, OSError):
                        continue
                return 80
            if columns.isascii():  # other digits: as rich makes of them, whatever that is
                return int(columns)
        return self.rich.width

    def print(self, *objects: Any, soft_wrap: bool = False, end: str = "\n", **options: Any) -> None:
        """As `Console.print`; strings rich would print unchanged are written directly."""
        if len(objects) == 1 and isinstance(objects[0], Lines) and not soft_wrap and not options and end == "\n":
            if self._print_plain(objects[0]):
                return
        plain = (soft_wrap or not objects) and not options and _plain(end) and not _no_width()
        if plain and all(isinstance(o, str) and _unmarked(o) for o in objects):
            stream = self._stream()
            if stream is not None:
                stream.write(" ".join(objects) + end if objects else end)
                stream.flush()
                return
        self.rich.print(*objects, soft_wrap=soft_wrap, end=end, **options)

    def print_spans(self, spans: Iterable[Span]) -> None:
        """One line of styled pieces: `Text.assemble(*spans)`, printed with soft wrap."""
        spans = tuple(spans)
        text = "".join(piece for piece, _ in spans)
        if _plain(text) and not _no_width():
            stream = self._stream()
            drawn = self._drawn(spans) if stream is not None else None
            if drawn is not None:
                stream.write(drawn + "\n")
                stream.flush()
                return
        from rich.text import Text

        self.rich.print(Text.assemble(*spans), soft_wrap=True)

    def _print_plain(self, lines: Lines) -> bool:
        """Write `lines` as rich would if rich would write them unstyled and unchanged: each fits
        the width and is plain (see `_plain`). False, writing nothing, where rich must (a width of 0:
rich writes nothing at all)."""
        stream = self._stream()
        if stream is None:
            return False
        drawn = [self._drawn(line.spans) for line in lines.lines]
        if any(line is None for line in drawn):
            return False
        from rich.cells import cell_len  # widths as rich counts them (cheap: no Console)

        width = self.width
        texts = [line.text for line in lines.lines]
        if width < 1 or not all(_plain(text) and cell_len(text) <= width for text in texts):
            return False
        stream.write("".join(f"{line}\n" for line in drawn))
        stream.flush()
        return True

    def _drawn(self, spans: tuple[Span, ...]) -> str | None:
        """A line of styled pieces as rich writes it here: the text alone where rich drops the
        styles (not a terminal), each styled piece in its SGR codes on a terminal this module
        can draw on; None where rich must (a style not in SGR, a terminal rich treats apart)."""
        if not any(style for piece, style in spans if piece) or not self._styled():
            return "".join(piece for piece, _ in spans)
        codes = self._drawable()
        if codes is None or any("\n" in piece for piece, _ in spans):  # one line only: rich styles each
            return None
        if not all(style in codes for piece, style in spans if piece and style):
            return None
        return "".join(f"\x1b[{codes[style]}m{piece}\x1b[0m" if codes.get(style) else piece for piece, style in spans if piece)

    def _drawable(self) -> dict[str, str] | None:
        """The SGR codes rich would write for zbreport's styles on this terminal (with NO_COLOR
        or without), or None to leave it to rich: a terminal by the stream alone (see
        `_rich_decides`), not a dumb one."""
        if self._rich_decides() or os.environ.get("TERM", "").strip().lower() in ("dumb", "unknown"):
            return None
        if not self._isatty():
            return None
        return SGR_NO_COLOR if os.environ.get("NO_COLOR", "") != "" else SGR

    def _stream(self):
        """The stream to write plain text to as rich would, or None to leave it to rich: once rich
        has written (the order of lines), on Windows (rich may write through the legacy console
        API), in Jupyter (rich displays there), or when there is no stream."""
        if self._console is not None or sys.platform == "win32" or hasattr(builtins, "get_ipython"):
            return None
        return sys.stderr if self.stderr else sys.stdout

    def _styled(self) -> bool:
        """Whether rich would write styles: rich's own test (`Console.is_terminal`); a stream
        that cannot say whether it is a terminal is left to rich."""
        return self._rich_decides() or self._isatty() is not False

    def _rich_decides(self) -> bool:
        """TTY_COMPATIBLE or FORCE_COLOR set, whatever their value, or IDLE's shell (it says it
        is a terminal, and rich writes no styles there): rich's own test must decide."""
        environ = os.environ
        return "TTY_COMPATIBLE" in environ or "FORCE_COLOR" in environ or getattr(sys.stdin, "__module__", "").startswith("idlelib")

    def _isatty(self) -> bool | None:
        """Whether the stream is a terminal; None when it cannot say."""
        stream = sys.stderr if self.stderr else sys.stdout
        try:
            return bool(stream.isatty())
        except (AttributeError, ValueError):
            return None


def _no_width() -> bool:
    """COLUMNS=0: rich writes nothing at all at a width under 1; left to rich."""
    columns = os.environ.get("COLUMNS")
    return columns is not None and columns.isascii() and columns.isdigit() and int(columns) < 1


def _plain(text: str) -> bool:
    """Text rich prints as it is: printable characters only (rich strips or expands control
    characters and tabs), and no line ending in a space (older rich versions trim such a line at
    the console's width)."""
    return all(line.isprintable() and not line[-1:].isspace() for line in text.split("\n"))


def _unmarked(text: str) -> bool:
    """A string rich prints as it is: no markup ([bold]) and no emoji code (:smile:), see `_plain`."""
    return "[" not in text and ":" not in text and _plain(text)
