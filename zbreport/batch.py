"""Many projects in one run: which folders are projects, and one job run over them on every core.

A folder holding report.yaml is a project; a folder without one stands for the projects among its
subfolders (an office's 各部门/). Each project's job runs in a worker process and returns an
`Outcome`, a value: a project that cannot be read, or written, or that meets a bug, is one outcome
among the others and never stops them. Outcomes come back in the order the projects were given.
"""

from __future__ import annotations

import os
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Callable, ContextManager

from .records import field, record
from .diagnostics import Finding, Severity
from .read.project import REPORT_FILE


@record(frozen=False)
class Outcome:
    """What one project's job came to, with the exit code the project alone would have given."""

    project: Path
    code: int
    issuer: str | None = None
    year: int | None = None
    findings: list[Finding] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)  # about this machine, not the project (fonts)
    outputs: list[Path] = field(default_factory=list)  # the files written (build: one per format)
    readable: bool = True
    figures: dict | None = None  # for a summary: the project's figures (aggregate.Figures)

    @property
    def errors(self) -> int:
        return sum(f.is_error for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.is_warning for f in self.findings)

    @property
    def notices(self) -> int:
        return len(self.findings) - self.errors - self.warnings


def is_folder_of_projects(path: Path) -> bool:
    """A folder that is not a project itself but holds projects."""
    return path.is_dir() and not (path / REPORT_FILE).exists() and bool(_projects_under(path))


def find_projects(paths: list[Path], *, unique: bool = True) -> list[Path]:
    """The projects the arguments name, in their order (subfolders by name), each once if `unique`.

    A path that is neither a project nor a folder of projects stays in the list, so that its
    job says what is wrong with it (no such folder, no report.yaml) like any other project.
    """
    found: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        for project in _projects_under(path) if is_folder_of_projects(path) else [path]:
            key = project.resolve()
            if key not in seen or not unique:
                seen.add(key)
                found.append(project)
    return found


def _projects_under(folder: Path) -> list[Path]:
    try:
        children = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError:
        return []
    return [child for child in children if child.is_dir() and (child / REPORT_FILE).is_file()]


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run_projects(
    job: Callable[..., Outcome],
    projects: list[Path],
    arguments: list[tuple],
    workers: int = 0,
    progress: Callable[[int], ContextManager[Callable[[], None]]] | None = None,
) -> list[Outcome]:
    """`job(project, *arguments[i])` for every project, on `workers` processes (0: one per core).

    `progress(count)` gives a function called here as each project finishes; it is entered once
    the worker processes have started, so they are never forked while its thread draws a bar.
    """
    workers = min(workers or default_workers(), len(projects))
    started = progress or (lambda count: nullcontext(lambda: None))
    if workers <= 1:
        outcomes = []
        with started(len(projects)) as advance:
            for project, args in zip(projects, arguments):
                outcomes.append(guarded(job, project, args))
                advance()
        return outcomes
    from concurrent.futures import ProcessPoolExecutor, as_completed

    results: dict[int, Outcome] = {}
    executor = ProcessPoolExecutor(max_workers=workers, mp_context=_context(), initializer=_leave_interrupts_to_parent)
    try:
        futures = {executor.submit(guarded, job, p, args): i for i, (p, args) in enumerate(zip(projects, arguments))}
        with started(len(projects)) as advance:
            for future in as_completed(futures):
                results[futures[future]] = future.result()
                advance()
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
    return [results[i] for i in range(len(projects))]


def _context():
    """fork starts a worker with all this process has imported (the Word writer, the list of fonts):
    many times faster than a new interpreter. macOS and Windows spawn one."""
    import multiprocessing

    return multiprocessing.get_context("fork") if sys.platform.startswith("linux") else None


def _leave_interrupts_to_parent() -> None:
    """Ctrl-C stops the run in this process, which lets the projects at work finish their file
    and then ends the workers; a worker interrupted itself would print a traceback."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent's handler (cli.main) is for the parent


def guarded(job: Callable[..., Outcome], project: Path, arguments: tuple) -> Outcome:
    """The job's outcome; a bug in it becomes the project's internal error (exit code 70), not the run's."""
    try:
        return job(project, *arguments)
    except Exception as exc:  # noqa: BLE001 - one project's bug must not stop the others
        if os.environ.get("ZBREPORT_DEBUG"):
            raise
        message = f"内部错误 {type(exc).__name__}: {exc}（设置 ZBREPORT_DEBUG=1 可查看详细信息）"
        return Outcome(project, 70, findings=[Finding(Severity.ERROR, "internal", message)])
