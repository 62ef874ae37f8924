"""zbreport against pandoc on the same content, as ratios measured in one run.

    uv run python benchmarks/against_pandoc.py [--repeat 11] [--batch 100] [--terminal]

pandoc converts the sample as one Markdown file with pipe tables (`sample_markdown.py`) to .docx;
zbreport builds, checks and previews the sample project. Each command runs cold, in a new
process, with bytecode cached, `--repeat` times, the commands taking turns so a busy machine
slows them alike; the median counts. Then `zbreport build` and `zbreport check` run once over
`--batch` copies of the sample (one process, a worker per core), and the time per report is
compared with one pandoc run. Peak memory is each process's maximum resident set size (in the
batch, the main process's; each worker holds about as much). CPU time (user + system) is given
beside the wall-clock time: on a machine other work shares, it varies less. Output goes nowhere
(not a terminal, as in a script or an editor's task); with `--terminal`, build, check and preview
also run with their output on a pseudo-terminal, as a clerk sees them (in colour: without the
NO_COLOR=1 the other rows run with).

zbreport runs with its read cache off (`ZBREPORT_CACHE_DIR=`: every file read and parsed), and
again, marked "warm cache", with a cache the first run filled (nothing changed since: no file parsed);
and `check` as in a clerk's edit loop: a warm cache, with one table's YAML or one section's Markdown
saved anew before each run (that file parsed, the others from the cache). The batch runs with the
cache off.

Prints a Markdown table for benchmarks/README.md. Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sample_markdown import SAMPLE, sample_markdown


def zbreport_command() -> list[str]:
    """The installed entry point next to this Python, as a clerk runs it."""
    script = Path(sys.executable).parent / ("zbreport.exe" if os.name == "nt" else "zbreport")
    return [str(script)] if script.exists() else [sys.executable, "-m", "zbreport"]


TERMINAL = " (in a terminal)"  # a command run with its output on a pseudo-terminal, as a clerk sees it
WARM = " (warm cache)"  # a command run with the read cache filled by an earlier run
EDITS = {"a table edited": "tables/table3.yaml", "a section edited": "sections/3-applications.md"}


def run(command: list[str], env: dict[str, str], terminal: bool = False) -> tuple[float, float, int, int]:
    """Wall-clock seconds, CPU seconds, peak resident memory in MB and exit code of one run in a new process.

    Output goes nowhere, or with `terminal` to a pseudo-terminal (read and dropped), where the
    command draws for a person: rich is loaded, colours are written.
    """
    if terminal:
        return _run_in_terminal(command, env)
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024, process.returncode


def _run_in_terminal(command: list[str], env: dict[str, str]) -> tuple[float, float, int, int]:
    import pty
    import threading

    reader, writer = pty.openpty()
    drain = threading.Thread(target=_drain, args=(reader,), daemon=True)
    drain.start()
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=writer, stderr=writer, stdin=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    os.close(writer)
    drain.join()
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024, os.waitstatus_to_exitcode(status)


def _drain(reader: int) -> None:
    try:
        while os.read(reader, 65536):
            pass
    except OSError:  # the terminal closed
        pass
    finally:
        os.close(reader)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    pandoc = subprocess.run(["pandoc", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    return (
        f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; {pandoc}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=11, help="cold runs of each command")
    parser.add_argument("--batch", type=int, default=100, help="projects in the batch run (0: none)")
    parser.add_argument(
        "--terminal", action="store_true", help="also run build, check and preview with their output on a pseudo-terminal"
    )
    args = parser.parse_args()
    if shutil.which("pandoc") is None:
        sys.exit("pandoc is not installed (apt-get install pandoc)")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(NO_COLOR="1", COLUMNS="100", ZBREPORT_CACHE_DIR="")
    zbreport = zbreport_command()

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        markdown = work / "sample.md"
        markdown.write_text(sample_markdown(), encoding="utf-8")
        project = work / "zibo-2024"
        shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("*.docx"))
        commands = {
            "pandoc sample.md -o out.docx": ["pandoc", str(markdown), "-o", str(work / "pandoc.docx")],
            "zbreport build": [*zbreport, "build", str(project), "-o", str(work / "zbreport.docx")],
            "zbreport check": [*zbreport, "check", str(project)],
            "zbreport preview": [*zbreport, "preview", str(project)],
        }
        verbs = ("build", "check", "preview")
        for verb in verbs:
            commands[f"zbreport {verb}{WARM}"] = commands[f"zbreport {verb}"]
        if args.terminal:
            for verb in verbs:
                commands[f"zbreport {verb}{TERMINAL}"] = commands[f"zbreport {verb}"]
                commands[f"zbreport {verb}{WARM}{TERMINAL}"] = commands[f"zbreport {verb}"]
        # A clerk's edit loop: one file saved since the last run, the others as the cache has them.
        edited: dict[str, Path] = {}
        for what, file in EDITS.items():
            copy = work / f"edited-{len(edited)}"
            shutil.copytree(SAMPLE, copy, ignore=shutil.ignore_patterns("*.docx"))
            name = f"zbreport check{WARM[:-1]}, {what})"
            commands[name] = [*zbreport, "check", str(copy)]
            edited[name] = copy / file
        warm = {**env, "ZBREPORT_CACHE_DIR": str(work / "cache")}
        envs = {name: warm if WARM[:-1] in name else env for name in commands}
        for name in commands:  # a clerk's terminal: colours (no NO_COLOR), as TERM says or a common one
            if name.endswith(TERMINAL):
                envs[name] = {k: v for k, v in envs[name].items() if k != "NO_COLOR"}
                envs[name].setdefault("TERM", "xterm-256color")
        for name, command in commands.items():  # compile bytecode, fill the disk cache (and the read cache)
            *_, code = run(command, envs[name], name.endswith(TERMINAL))
            if code != 0:
                sys.exit(f"{' '.join(command)} failed with exit code {code}")
        times: dict[str, list[float]] = {name: [] for name in commands}
        cpu: dict[str, list[float]] = {name: [] for name in commands}
        memory: dict[str, int] = {name: 0 for name in commands}
        for turn in range(args.repeat):
            for name, command in commands.items():
                if name in edited:  # saved anew, unlike any time before: one more line break at its end
                    data = edited[name].read_bytes().rstrip(b"\n") + b"\n" * (2 + turn)
                    edited[name].write_bytes(data)
                seconds, cpu_seconds, megabytes, _ = run(command, envs[name], name.endswith(TERMINAL))
                times[name].append(seconds)
                cpu[name].append(cpu_seconds)
                memory[name] = max(memory[name], megabytes)

        pandoc = statistics.median(times["pandoc sample.md -o out.docx"])
        pandoc_cpu = statistics.median(cpu["pandoc sample.md -o out.docx"])
        rows = [
            (name, statistics.median(t), statistics.median(t) / pandoc, statistics.median(cpu[name]) / pandoc_cpu, memory[name])
            for name, t in times.items()
        ]
        if args.batch:
            rows += batch_rows(args.batch, work, zbreport, env, pandoc, pandoc_cpu)

    print(f"Machine: {machine()}\n")
    print(f"Cold runs: median of {args.repeat}; batch: one run over {args.batch} projects.\n")
    print("| command | time | × pandoc | CPU time × pandoc | peak memory |")
    print("|---|---|---|---|---|")
    for name, seconds, ratio, cpu_ratio, megabytes in rows:
        print(f"| {name} | {seconds * 1000:.0f} ms | {ratio:.2f} | {cpu_ratio:.2f} | {megabytes} MB |")


def batch_rows(count: int, work: Path, zbreport: list[str], env: dict[str, str], pandoc: float, pandoc_cpu: float) -> list:
    """`build` and `check` over `count` copies of the sample in one run: time per report against pandoc."""
    folder = work / "各单位"
    folder.mkdir()
    for number in range(count):
        copy = folder / f"单位{number:03d}"
        shutil.copytree(SAMPLE, copy, ignore=shutil.ignore_patterns("*.docx"))
        report = copy / "report.yaml"
        text = report.read_text(encoding="utf-8")
        report.write_text(text.replace("淄博市人民政府办公室", f"淄博市第{number + 1}单位", 1), encoding="utf-8")
    rows = []
    for verb in ("build", "check"):
        seconds, cpu_seconds, megabytes, code = run([*zbreport, verb, str(folder)], env)
        if code != 0:
            sys.exit(f"zbreport {verb} over {count} projects failed with exit code {code}")
        per_report = seconds / count
        # CPU time counts the workers too once they are waited for; per report, against one pandoc run.
        rows.append(
            (f"zbreport {verb}, {count} projects: per report", per_report, per_report / pandoc, cpu_seconds / count / pandoc_cpu, megabytes)
        )
    return rows


if __name__ == "__main__":
    main()
