"""How every command runs, typer or not: its consoles, exit codes, and each failure turned into one
message (or a JSON answer) and an exit code, never a traceback."""

import errno
import io
import os
import signal
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path

from .. import controls
from ..diagnostics import Finding, InputError, Location, OutputError, Severity, shorten
from ..output import why
from ..write.console import LazyConsole
from ..write.findings import relative

EXIT_OK = 0
EXIT_FINDINGS = 1  # the report has errors (or warnings, with --strict)
EXIT_INPUT = 2  # the input could not be read
EXIT_OUTPUT = 3  # the report could not be written
EXIT_INTERNAL = 70

# Made anew for every command (see `fresh_consoles`), so NO_COLOR and COLUMNS are read when it runs,
# in a test run in-process too. rich is imported only when something needs it (see LazyConsole).
out = LazyConsole()
err = LazyConsole(stderr=True)


def run_command(function, kwargs: dict) -> None:
    """Run a command; its errors become one message and an exit code, never a traceback.

    The typer app's commands and start.py's fast path both call this, so a command answers
    the same whichever parsed its command line, and a test invoking the app in-process sees
    the same exit codes and messages as a clerk. A command given `--format json` answers
    every failure as a JSON object on stdout too.
    """
    sources = kwargs.get("paths") or ([kwargs["project"]] if kwargs.get("project") else None)
    answer = _JsonAnswer(sources) if kwargs.get("format") is OutputFormat.json else None
    try:
        try:
            return function(**kwargs)
        finally:
            sys.stdout.flush()  # a full disk or a closed pipe shows here, as this command's error
    except (InputError, OutputError) as exc:
        _failure(answer, exc)
    except KeyboardInterrupt:
        _failure(answer, KeyboardInterrupt())
    except Exception as exc:  # noqa: BLE001 - the last guard before a traceback would reach a clerk
        if isinstance(exc, OSError) and exc.errno in _STREAM_ERRORS:
            _lost_output(exc)
        if os.environ.get("ZBREPORT_DEBUG"):
            raise
        _failure(answer, exc)


def run_and_exit(function, kwargs: dict) -> None:
    """A command start.py's fast parser found, run as the typer app runs it: exit 0 when it returns."""
    run_command(function, kwargs)
    sys.exit(EXIT_OK)


class Exit(SystemExit):
    """A command ends with this exit code (typer's Exit, without typer: both ways in let it pass)."""


def fresh_consoles() -> None:
    """A new command's consoles read NO_COLOR and COLUMNS when it runs (a test runs many in-process)."""
    out.reset()
    err.reset()


def confirm(question: str) -> bool:
    """Yes or no, asked as typer.confirm asks it (default no); end of input cancels the command."""
    while True:
        try:
            sys.stdout.write(f"{question} [y/N]:")
            sys.stdout.flush()
            value = input(" ").lower().strip()
        except (KeyboardInterrupt, EOFError):
            sys.stderr.write("已取消。\n")
            raise Exit(EXIT_FINDINGS) from None
        if value in ("y", "yes"):
            return True
        if value in ("n", "no", ""):
            return False
        sys.stdout.write("Error: invalid input\n")


EXIT_CANCELLED = 130
# The terminal or pipe the output goes to is full, closed or broken: not a bug of ours.
_STREAM_ERRORS = {getattr(errno, n) for n in ("EPIPE", "ENOSPC", "EIO", "EFBIG", "EDQUOT", "ECONNRESET") if hasattr(errno, n)}


class _JsonAnswer:
    """What a failure says on stdout when the command was asked for JSON."""

    def __init__(self, paths: list[Path] | None) -> None:
        self.project = str(paths[0]) if paths and len(paths) == 1 else None

    def write(self, rule: str, message: str, location: Location | None) -> None:
        problem = Finding(Severity.ERROR, rule, message, location)
        # readable: false, as the report could not be checked to the end
        write_json(_check_payload(Path(self.project) if self.project else None, [problem], True, None, None, readable=False))


def _failure(answer: _JsonAnswer | None, exc: BaseException) -> None:
    """Say what went wrong (in JSON when asked for it) and exit with its code."""
    code = {InputError: EXIT_INPUT, OutputError: EXIT_OUTPUT, KeyboardInterrupt: EXIT_CANCELLED}.get(type(exc), EXIT_INTERNAL)
    try:
        if answer is None:
            _print_error(exc)
        elif isinstance(exc, InputError):
            answer.write("unreadable", exc.message, exc.location)
        elif isinstance(exc, OutputError):
            answer.write("unwritable", str(exc), None)
        elif isinstance(exc, KeyboardInterrupt):
            answer.write("cancelled", "已取消。", None)
        else:
            answer.write("internal", _internal(exc), None)
        sys.stdout.flush()
    except OSError as problem:
        _lost_output(problem)
    raise Exit(code)


def _print_error(exc: BaseException) -> None:
    """One line for a clerk: what is wrong and where, never a traceback."""
    if isinstance(exc, InputError):
        where = relative(exc.location) + "  " if exc.location else ""
        say(err, where + exc.message, "错误")
    elif isinstance(exc, OutputError):
        say(err, str(exc), "错误")
    elif isinstance(exc, KeyboardInterrupt):
        say(err, "已取消。")
    else:
        say(err, _internal(exc), "内部错误")


def _internal(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {shorten(str(exc), 200)}（设置 ZBREPORT_DEBUG=1 可查看详细信息）"


def _lost_output(exc: OSError) -> None:
    """stdout could not be written: say so on stderr, if that still works, and exit 3.

    stdout is pointed at the null device, so Python's own flush at exit finds nothing to write
    (it would print a traceback of its own)."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass  # not a real file (a test's capture)
    if exc.errno != errno.EPIPE:  # a reader that stopped early (| head) wants no message
        try:
            say(err, f"无法输出结果：{why(exc)}", "错误")
        except OSError:
            pass
    raise Exit(EXIT_OUTPUT)


def say(console: LazyConsole, text: str, label: str | None = None) -> None:
    """One message to the terminal. User text is never read as rich markup (a file named
    报告[/x].docx is a name, not a closing tag), and invisible characters are shown as "?"."""
    spans = [(label, "bold red"), (" ", "")] if label else []
    console.print_spans(spans + [(controls.visible(text), "")])


def write_json(payload: object) -> None:
    """A JSON answer on stdout; a file name that is not valid Unicode cannot stop it."""
    import json  # imported here: most answers are text

    text = json.dumps(payload, ensure_ascii=False, indent=2)
    sys.stdout.write(text.encode("utf-8", "replace").decode("utf-8") + "\n")


def _fail(message: str, code: int) -> None:
    say(err, message, "错误")
    raise Exit(code)


class OutputFormat(str, Enum):
    text = "text"
    json = "json"


def _check_payload(
    path: Path | None, findings: list[Finding], failed: bool, issuer: str | None, year: int | None, readable: bool = True
) -> dict[str, object]:
    """One report's answer. An unreadable one (or a failed command) has the same keys, so a
    script checking many reports can add up `errors` without asking which kind it got."""
    return {
        "project": None if path is None else str(path),
        "issuer": issuer if readable else None,
        "year": year if readable else None,
        "ok": not failed and readable,
        "readable": readable,
        "errors": sum(f.is_error for f in findings),
        "warnings": sum(f.is_warning for f in findings),
        "notices": sum(f.severity is Severity.NOTICE for f in findings),
        "findings": [f.as_dict() for f in findings],
    }


def main(start) -> None:
    """Run the command line: `start` is the typer app, or the command start.py's fast parser found.
    Errors are mapped to messages and exit codes inside each command (`run_command`).

    A polite kill (SIGTERM) is a Ctrl-C: the command stops the same way, its temporary
    files removed.
    """
    try:
        signal.signal(signal.SIGTERM, _interrupt)
    except (ValueError, OSError, AttributeError):  # not the main thread, or no such signal here
        pass
    try:
        start()
    except KeyboardInterrupt:  # before a command started, e.g. while Python imports
        sys.stderr.write("已取消。\n")
        sys.exit(EXIT_CANCELLED)


def _interrupt(signum, frame) -> None:  # noqa: ARG001 - a signal handler's signature
    raise KeyboardInterrupt


@contextmanager
def finishing(stop_after: bool = False):
    """The last step of a command, writing what it made: a Ctrl-C or SIGTERM that arrives now
    waits until the block ends, so every file is written whole. Then it is dropped and the
    command ends as done (the files are written: saying 已取消 would be untrue), or, with
    `stop_after` (`watch`, which would otherwise go on), it stops the command then."""
    import threading

    if threading.current_thread() is not threading.main_thread():  # signals go to the main thread
        yield
        return
    held = (signal.SIGINT, signal.SIGTERM)
    arrived: list[int] = []
    previous = {signum: signal.getsignal(signum) for signum in held}
    for signum in held:
        signal.signal(signum, lambda signum, frame: arrived.append(signum))
    try:
        yield
    finally:
        try:  # nested: a Ctrl-C right after SIGINT's own handler is back still gets SIGTERM's back
            signal.signal(signal.SIGINT, previous[signal.SIGINT])
        finally:
            signal.signal(signal.SIGTERM, previous[signal.SIGTERM])
        if arrived and stop_after:  # a failed write too: the watch stops, as it was asked to
            raise KeyboardInterrupt
