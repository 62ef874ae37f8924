"""The `zbreport` command's entry point: the command line loaded with the garbage collector paused,
and without typer when the command line is a plain one.

Loading the command line creates some hundred thousand objects (PyYAML, the format, the model)
that live until the process ends. Python's cyclic garbage collector would walk them again and
again while they load, and once more as the process exits, for nothing: 20 ms of a 150 ms
`check` (benchmarks/README.md). So the collector is paused while they load, and what they made is
frozen (`gc.freeze`: kept out of every later collection) before it resumes; what a command makes
afterwards is collected as usual (`watch` and many projects run long).

typer (with the click it carries) is another 40 ms of every start. fast_parse.py parses a plain
command line (`check 项目`, `build 项目 -o 报告.docx`) from the spec generated from the typer app
and the command's module alone is imported; anything else goes to the typer app (cli.py), which
answers with its help or usage message. Both run the command through the same `run_command`.
"""

import gc
import sys


def main() -> None:
    gc.disable()
    try:
        run = _plain_command(sys.argv[1:]) or _typer_app()
    except KeyboardInterrupt:  # Ctrl-C while Python loads: said as a command says it
        sys.stderr.write("已取消。\n")
        sys.exit(130)
    finally:
        gc.freeze()
        gc.enable()
    run()


def _plain_command(words: list[str]):
    """The command a plain command line asks for, ready to run; None for typer to parse."""
    from .fast_parse import parse

    call = parse(words)
    if call is None:
        return None
    import importlib

    from .commands import running

    function = getattr(importlib.import_module(call.module), call.function)
    return lambda: running.main(lambda: running.run_and_exit(function, call.kwargs))


def _typer_app():
    from .cli import main as run

    return run
