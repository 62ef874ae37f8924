"""The `zbreport` command's entry point: the command line loaded with the garbage collector paused.

Loading the command line creates some hundred thousand objects (typer, PyYAML, the format, the
model) that live until the process ends. Python's cyclic garbage collector would walk them
again and again while they load, and once more as the process exits, for nothing: 20 ms of a
150 ms `check` (benchmarks/README.md). So the collector is paused while they load, and what
they made is frozen (`gc.freeze`: kept out of every later collection) before it resumes; what
a command makes afterwards is collected as usual (`watch` and many projects run long).
"""

import gc
import sys


def main() -> None:
    gc.disable()
    try:
        from .cli import main as run
    except KeyboardInterrupt:  # Ctrl-C while Python loads: said as a command says it
        sys.stderr.write("已取消。\n")
        sys.exit(130)
    finally:
        gc.freeze()
        gc.enable()
    run()
