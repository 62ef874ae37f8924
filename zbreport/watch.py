"""Rebuilding on every save: the project's files, its Word template and last year's figures,
watched with watchfiles (inotify, FSEvents or ReadDirectoryChangesW underneath).

Folders are watched with all they hold. A single file outside the project (a template, a file of
last year's figures) is watched through its folder, not by itself: editors save by writing a new
file and renaming it over the old one, which ends a watch on the old file.
"""

from __future__ import annotations

import queue
import threading
from pathlib import Path
from typing import Callable, Iterable

from .records import record
from .diagnostics import InputError

# What a build writes, and what editors and office suites leave beside a file while it is open
# (~$报告.docx, .~lock.报告.docx#, ~WRL0001.tmp): never a reason to build again.
OUTPUT_SUFFIXES = frozenset({".docx", ".html", ".htm", ".pdf"})
STEP_MS = 200  # changes closer together than this are one save
READY_MS = 300


@record
class Inputs:
    """What a build reads: folders (with everything in them) and single files."""

    folders: frozenset[Path]
    files: frozenset[Path]
    template: Path | None = None  # a .docx that is read, not written

    @classmethod
    def of(cls, project: Path, template: Path | None = None, others: Iterable[Path] = ()) -> "Inputs":
        root = project.resolve()
        folders, files = {root}, set()
        chosen = template.resolve() if template is not None else None
        for path in [p.resolve() for p in others] + ([chosen] if chosen else []):
            if path == root or root in path.parents:
                continue
            if path.is_dir():
                folders.add(path)
            elif path.parent.is_dir():
                files.add(path)
        return cls(frozenset(folders), frozenset(files), chosen)

    def wanted(self, path: Path) -> bool:
        """Whether a change to `path`, inside a watched folder, can change the report."""
        if path == self.template or path in self.files:
            return True
        name = path.name
        if name.startswith((".", "~")) or name.endswith(("~", ".tmp")):
            return False
        return path.suffix.lower() not in OUTPUT_SUFFIXES


class Watcher:
    """Watches `inputs` in background threads; `wait` returns the next batch of changed paths."""

    def __init__(self, inputs: Inputs) -> None:
        from watchfiles import DefaultFilter, watch

        self.inputs = inputs
        self.stop = threading.Event()
        self.changes: queue.Queue[set[Path] | BaseException] = queue.Queue()
        default = DefaultFilter()

        def in_folder(change, name: str) -> bool:
            return default(change, name) and inputs.wanted(Path(name))

        def single(change, name: str) -> bool:
            return Path(name) in inputs.files

        jobs = [(sorted(inputs.folders), True, in_folder)]
        if inputs.files:
            jobs.append((sorted({f.parent for f in inputs.files}), False, single))

        def run(paths: list[Path], recursive: bool, keep: Callable, ready: threading.Event) -> None:
            try:
                # The first (empty) yield on timeout tells that the folders are being watched.
                for batch in watch(
                    *paths,
                    watch_filter=keep,
                    recursive=recursive,
                    stop_event=self.stop,
                    step=STEP_MS,
                    rust_timeout=READY_MS,
                    yield_on_timeout=True,
                    raise_interrupt=False,
                ):
                    ready.set()
                    if batch:
                        self.changes.put({Path(name) for _, name in batch})
            except BaseException as exc:  # noqa: BLE001 - handed to the main thread, which reports it
                self.changes.put(exc)
            finally:
                ready.set()

        readiness = [threading.Event() for _ in jobs]
        self.threads = [threading.Thread(target=run, args=(*job, ready), daemon=True) for job, ready in zip(jobs, readiness)]
        for thread in self.threads:
            thread.start()
        for ready in readiness:  # a save from now on is seen
            ready.wait(timeout=10)

    def wait(self) -> set[Path]:
        """Block until something changes (Ctrl-C interrupts it); every change queued so far."""
        while True:
            try:
                first = self.changes.get(timeout=0.25)
                break
            except queue.Empty:
                continue
        batches = [first]
        while not self.changes.empty():
            batches.append(self.changes.get_nowait())
        changed: set[Path] = set()
        for batch in batches:
            if isinstance(batch, BaseException):
                raise InputError(f"无法继续监视文件的变化：{batch}")
            changed |= batch
        return changed

    def close(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=2)


def watch_and_rebuild(first: Inputs, build: Callable[[set[Path]], Inputs], watching: Callable[[], None]) -> None:
    """Build, then build again after each batch of changes, until Ctrl-C (KeyboardInterrupt).

    `build` is given what changed (nothing, the first time) and returns what it read, so a
    new 上年 or 模板 in report.yaml is watched from the next save on. `watching` is called
    each time the watch is in place, before waiting.
    """
    watcher = Watcher(first)  # before the first build: a save during it is not missed
    inputs = first
    changed: set[Path] = set()
    try:
        while True:
            latest = build(changed)
            if latest != inputs:
                fresh = Watcher(latest)
                watcher.close()
                while not watcher.changes.empty():  # saved while building: not lost
                    fresh.changes.put(watcher.changes.get_nowait())
                watcher, inputs = fresh, latest
            watching()
            changed = watcher.wait()
    finally:
        watcher.close()
