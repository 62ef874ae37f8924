"""zbreport watch, run as a clerk runs it: a real process, files edited and saved the way editors
save them, each rebuild seen in the output file and the messages, Ctrl-C at the end."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import replace_in
from zbreport.watch import Inputs

pytestmark = pytest.mark.skipif(os.name != "posix", reason="Ctrl-C is sent as SIGINT")
NAME = "淄博市人民政府办公室2024年政府信息公开工作年度报告.html"


class Watching:
    """A running `zbreport watch` and the lines it has printed."""

    def __init__(self, *args: str | Path, env: dict[str, str] | None = None) -> None:
        environment = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200", "PYTHONUNBUFFERED": "1", **(env or {})}
        environment.pop("ZBREPORT_DEBUG", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "zbreport", "watch", *map(str, args)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=environment,
        )
        self.lines: list[str] = []
        self.pending: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.pending.put(line.rstrip("\n"))
        self.pending.put(None)

    def until(self, pattern: str, timeout: float = 30) -> list[str]:
        """The lines printed up to and including the first that matches `pattern`."""
        seen: list[str] = []
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.pending.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no line matching {pattern!r} in {timeout} s; printed:\n" + "\n".join(self.lines)) from None
            if line is None:
                raise AssertionError("watch ended; printed:\n" + "\n".join(self.lines))
            self.lines.append(line)
            seen.append(line)
            if re.search(pattern, line):
                return seen

    def next_round(self) -> list[str]:
        """The lines of one round: from what changed to the report written, or not."""
        return self.until(r"^(已生成|错误)|报告未生成")

    def interrupt(self) -> int:
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=20)
        while (line := self.pending.get(timeout=5)) is not None:
            self.lines.append(line)
        return code

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def save(path: Path, text: str) -> None:
    """Save as editors do: a new file renamed over the old one."""
    temp = path.with_name(f".{path.name}.swp-new")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)


def test_watch_rebuilds_on_every_save_reports_bad_input_and_stops_on_ctrl_c(project: Path, tmp_path: Path):
    # last year's figures outside the project, as 上年: ../去年.yaml
    last_year = tmp_path / "去年.yaml"
    (project / "2023年度数据.yaml").rename(last_year)
    replace_in(project / "report.yaml", "上年: 2023年度数据.yaml", "上年: ../去年.yaml")
    page = project / NAME  # the default: the page is written into the watched folder itself
    table3 = project / "tables" / "table3.yaml"

    watching = Watching(project, "--format", "html")
    try:
        assert any("已生成" in line for line in watching.next_round())
        watching.until("正在监视")  # from here on, a save is seen
        assert "较上年增长97.72%" in page.read_text(encoding="utf-8")

        # a number changed (and the carry-over, so 一+二 still balances)
        text = table3.read_text(encoding="utf-8")
        save(table3, text.replace("自然人: 243", "自然人: 242", 1).replace("自然人: 16,", "自然人: 17,", 1))
        lines = watching.next_round()
        assert any("table3.yaml 已修改" in line for line in lines) and any("已生成" in line for line in lines), lines
        assert ">242<" in page.read_text(encoding="utf-8")

        # a broken file: the error with its line, the page left as it was, still watching
        before = page.read_bytes()
        save(table3, "一、本年新收政府信息公开申请数量: {自然人: 242\n")
        lines = watching.next_round()
        assert any("错误" in line and "table3.yaml:" in line for line in lines), lines
        assert watching.process.poll() is None
        assert page.read_bytes() == before

        # fixed again
        save(table3, text)
        assert any("已生成" in line for line in watching.next_round())
        assert ">243<" in page.read_text(encoding="utf-8")

        # last year's figures, outside the project, saved: the 同比 follows
        replace_in(last_year, "（七）总计: {总计: 116}", "（七）总计: {总计: 244}")
        lines = watching.next_round()
        assert any("去年.yaml 已修改" in line for line in lines) and any("已生成" in line for line in lines), lines
        assert "较上年增长0.38%" in page.read_text(encoding="utf-8")

        code = watching.interrupt()
    finally:
        watching.stop()
    assert code == 0
    print("\n".join(watching.lines))
    assert watching.lines[-1] == "已停止监视。"
    assert sum("正在监视" in line for line in watching.lines) == 1
    output = "\n".join(watching.lines)
    assert "Traceback" not in output
    # writing the page into the watched folder never started a round of its own
    assert not any(".html 已修改" in line for line in watching.lines)
    assert sum("已修改，重新生成" in line for line in watching.lines) == 4  # one round a save
    assert not [p for p in project.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_inputs_what_changes_count():
    project = Path("/p").resolve()
    inputs = Inputs.of(project, project / "本机关模板.docx", [project / "去年.yaml"])
    assert inputs.folders == frozenset({project}) and not inputs.files  # both inside the project
    assert inputs.wanted(project / "tables" / "table3.yaml")
    assert inputs.wanted(project / "本机关模板.docx")
    for name in ("报告.docx", "报告.html", "报告.pdf", "~$机关模板.docx", ".~lock.报告.docx#", "~WRL0001.tmp", "a.md~", ".报告.x1.tmp"):
        assert not inputs.wanted(project / name), name


def test_inputs_outside_the_project(tmp_path: Path):
    project = tmp_path / "zibo-2024"
    last_project = tmp_path / "zibo-2023"
    project.mkdir()
    last_project.mkdir()
    template = tmp_path / "模板" / "本机关模板.docx"
    template.parent.mkdir()
    template.write_bytes(b"")
    inputs = Inputs.of(project, template, [last_project])
    assert inputs.folders == frozenset({project.resolve(), last_project.resolve()})
    assert inputs.files == frozenset({template.resolve()})  # watched through its folder, not recursively


@pytest.mark.skipif(sys.platform != "linux", reason="a shell script stands in for LibreOffice; /proc shows its child")
def test_ctrl_c_during_a_build_leaves_nothing_half_written(project: Path, tmp_path: Path):
    import shutil

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    pid_file = tmp_path / "pid"
    fake = bin_dir / "soffice"  # a LibreOffice that takes its time, with a child of its own
    fake.write_text(f"#!/bin/sh\n{shutil.which('sleep')} 60 &\necho $! > {pid_file}\nwait\n", encoding="utf-8")
    fake.chmod(0o755)
    out = tmp_path / "out"
    out.mkdir()
    path = f"{bin_dir}{os.pathsep}{Path(sys.executable).parent}"
    watching = Watching(project, "--format", "docx", "--format", "pdf", "-o", out / "报告", env={"PATH": path})
    try:
        deadline = time.monotonic() + 30
        while not pid_file.exists() or not pid_file.read_text().strip():
            assert time.monotonic() < deadline and watching.process.poll() is None, watching.lines
            time.sleep(0.05)
        code = watching.interrupt()
    finally:
        watching.stop()
    assert code == 0 and watching.lines[-1] == "已停止监视。", watching.lines
    assert "Traceback" not in "\n".join(watching.lines)
    assert list(out.iterdir()) == []  # neither the .docx nor the .pdf, nor a temporary file
    from test_formats import _running

    assert not _running(int(pid_file.read_text()))


def test_watch_without_a_project_says_so_at_once(tmp_path: Path):
    from conftest import run_cli

    result = run_cli("watch", tmp_path / "无此项目")
    assert result.code == 2 and "找不到项目文件夹" in result.stderr
    assert "正在监视" not in result.output
