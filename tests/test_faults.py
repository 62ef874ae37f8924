"""Faults outside the input: a full disk, a full or closed stdout, a killed build, Ctrl-C.
Each ends in one message and its exit code, with no traceback and nothing half-written;
with --format json, every failure is still a JSON object on stdout."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import SAMPLE, run_cli
from docx_reading import open_docx
from zbreport import output
from zbreport.output import temporary_prefix

DEFAULT_NAME = "淄博市人民政府办公室2024年政府信息公开工作年度报告.docx"


@pytest.fixture
def built(project):
    """A project with a good report built, to be kept whatever happens next."""
    assert run_cli("build", project).code == 0
    return project, (project / DEFAULT_NAME).read_bytes()


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp") or p.name.startswith("."))


def process(*args, stdout=subprocess.PIPE, **kwargs) -> subprocess.CompletedProcess:
    environment = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    environment.pop("ZBREPORT_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "zbreport", *map(str, args)], stdout=stdout, stderr=subprocess.PIPE, text=True, env=environment, timeout=120, **kwargs
    )


# ---------------------------------------------------------------- a full disk


def test_disk_full_keeps_the_previous_report(built, monkeypatch):
    project, good = built

    def full(handle, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(output.os, "write", full)
    result = run_cli("build", project)
    assert result.code == 3
    assert "磁盘空间不足" in result.stderr and DEFAULT_NAME in result.stderr
    assert "Traceback" not in result.output
    assert (project / DEFAULT_NAME).read_bytes() == good
    assert leftovers(project) == []


@pytest.fixture
def tiny_disk(tmp_path):
    """A 64 KB file system, filled: needs root and tmpfs (Linux); skipped elsewhere."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root on Linux)")
    try:
        filler = os.open(mount / "filler", os.O_WRONLY | os.O_CREAT)
        try:
            while os.write(filler, bytes(4096)):
                pass
        except OSError:
            pass
        finally:
            os.close(filler)
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True)


def test_disk_full_in_a_real_process(tiny_disk):
    result = process("build", SAMPLE, "-o", tiny_disk / "r.docx")
    assert result.returncode == 3
    assert "磁盘空间不足" in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["filler"]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.parametrize(
    "command",
    [("check", SAMPLE), ("check", SAMPLE, "--format", "json"), ("preview", SAMPLE), ("template", "check", "templates/default.docx")],
    ids=["check", "json", "preview", "template"],
)
def test_stdout_on_a_full_device(command):
    with open("/dev/full", "w") as full:
        result = process(*command, stdout=full, cwd=SAMPLE.parent.parent)
    assert result.returncode == 3, result.stderr
    assert "无法输出结果：磁盘空间不足" in result.stderr
    assert "Traceback" not in result.stderr and "内部错误" not in result.stderr


def test_stdout_closed_by_its_reader():
    """`zbreport preview … | head -1`: the reader leaves; no message, no traceback."""
    pipe = subprocess.Popen(
        [sys.executable, "-m", "zbreport", "preview", str(SAMPLE)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "COLUMNS": "200"}
    )
    pipe.stdout.read(10)
    pipe.stdout.close()
    error = pipe.stderr.read().decode()
    assert pipe.wait(timeout=60) in (0, 3)
    assert "Traceback" not in error and "内部错误" not in error


# ---------------------------------------------------------------- temporary files


def test_a_killed_builds_leftover_is_removed_by_the_next(built):
    project, _ = built
    target = project / DEFAULT_NAME
    stale = project / f"{temporary_prefix(target)}abandoned.tmp"
    stale.write_bytes(b"half a report")
    other = project / ".zbreport-00000000-someone-else.tmp"
    other.write_bytes(b"another target's")
    assert run_cli("build", project).code == 0
    assert not stale.exists()
    assert other.exists()


def test_a_temporary_file_being_written_is_left_alone(built):
    project, _ = built
    busy = project / f"{temporary_prefix(project / DEFAULT_NAME)}busy.tmp"
    with busy.open("wb") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        assert run_cli("build", project).code == 0
        assert busy.exists()


def test_temporary_names_are_short(tmp_path):
    long_name = tmp_path / f"{'报' * 81}.docx"
    assert len(temporary_prefix(long_name)) < 30
    output.write_atomically(long_name, b"data")
    assert long_name.read_bytes() == b"data" and leftovers(tmp_path) == []


# ---------------------------------------------------------------- init


def test_init_onto_a_dangling_symlink(tmp_path):
    link = tmp_path / "新项目"
    link.symlink_to(tmp_path / "elsewhere" / "deep" / "target")
    result = run_cli("init", link, "--issuer", "某局", "--year", "2025")
    assert result.code == 3 and "符号链接" in result.stderr
    assert not (tmp_path / "elsewhere").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["新项目"]


# ---------------------------------------------------------------- Ctrl-C


def test_ctrl_c_while_rendering(built, monkeypatch):
    project, good = built
    import zbreport.write.docx as writer

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(writer, "render_docx", interrupted)
    result = run_cli("build", project)
    assert result.code == 130
    assert result.stderr.endswith("\n已取消。\n") and "Traceback" not in result.stderr
    assert (project / DEFAULT_NAME).read_bytes() == good and leftovers(project) == []


def test_ctrl_c_in_the_middle_of_writing(built, monkeypatch):
    project, good = built
    real_write = os.write
    calls = []

    def half_then_interrupt(handle, data):
        calls.append(1)
        if len(calls) > 1:
            raise KeyboardInterrupt
        return real_write(handle, bytes(data[: len(data) // 2]))

    monkeypatch.setattr(output.os, "write", half_then_interrupt)
    result = run_cli("build", project)
    assert result.code == 130 and result.stderr.endswith("\n已取消。\n")
    assert len(calls) == 2, "the interrupt came after half the report was written"
    assert (project / DEFAULT_NAME).read_bytes() == good and leftovers(project) == []


def test_ctrl_c_during_init_leaves_nothing(tmp_path, monkeypatch):
    real_write_text = Path.write_text
    calls = []

    def interrupt_third(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real_write_text(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", interrupt_third)
    result = run_cli("init", tmp_path / "new", "--issuer", "某局", "--year", "2025")
    assert result.code == 130
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_stops_a_real_build_cleanly(built, signum):
    project, good = built
    section = project / "sections" / "6-other.md"  # a large table keeps the build busy for a while
    rows = ["|" + "|".join(str(c) for c in range(150)) + "|", "|" + "---|" * 150]
    rows += ["|" + "|".join(str(r * c) for c in range(150)) + "|" for r in range(600)]  # ~5 s to build
    section.write_text(section.read_text(encoding="utf-8") + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    environment = {**os.environ, "NO_COLOR": "1"}
    child = subprocess.Popen(
        [sys.executable, "-m", "zbreport", "build", str(project)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment
    )
    time.sleep(1.5)
    child.send_signal(signum)
    stdout, stderr = child.communicate(timeout=60)
    if child.returncode == 0:
        pytest.skip("the build finished before the signal arrived")
    assert child.returncode == 130, stderr
    assert stderr.strip().splitlines()[-1] == "已取消。" and "Traceback" not in stderr
    assert (project / DEFAULT_NAME).read_bytes() == good and leftovers(project) == []


def test_a_signal_while_the_outputs_are_written_comes_too_late(project, tmp_path, monkeypatch):
    """Once the files are being written, Ctrl-C and SIGTERM wait, then are dropped: the report is
    written whole and the command says so (exit 0), rather than 已取消 over a report it wrote."""
    import zbreport.commands.build as build

    written = build.write_files

    def interrupted(files):
        os.kill(os.getpid(), signal.SIGINT)
        os.kill(os.getpid(), signal.SIGTERM)
        written(files)

    monkeypatch.setattr(build, "write_files", interrupted)
    handlers = (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM))
    out = tmp_path / "报告.docx"
    result = run_cli("build", project, "-o", out)
    assert result.code == 0 and "已生成" in result.stdout and "已取消" not in result.output
    assert open_docx(out).paragraphs, "the report is whole"
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == handlers, "handlers restored"
    with pytest.raises(KeyboardInterrupt):  # and a Ctrl-C afterwards is one again
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(1)


def test_watch_stops_after_the_files_a_late_ctrl_c_waited_for():
    """In `watch`, a Ctrl-C while a round writes its files stops the watch once they are written."""
    from zbreport.commands.running import finishing

    done = []
    with pytest.raises(KeyboardInterrupt):
        with finishing(stop_after=True):
            os.kill(os.getpid(), signal.SIGINT)
            done.append("written")
    assert done == ["written"]
    with finishing(stop_after=True):
        done.append("no signal, no stop")
    assert len(done) == 2
    with pytest.raises(KeyboardInterrupt):  # and when the write failed after the Ctrl-C
        with finishing(stop_after=True):
            os.kill(os.getpid(), signal.SIGINT)
            raise OSError("disk full")


# ---------------------------------------------------------------- JSON answers


def _answer(result) -> dict:
    payload = json.loads(result.stdout)
    assert payload["ok"] is False and len(payload["findings"]) == 1
    return payload["findings"][0]


def test_json_for_a_missing_project(tmp_path):
    result = run_cli("check", tmp_path / "nothing", "--format", "json")
    assert result.code == 2
    assert _answer(result)["rule"] == "unreadable"


def test_json_for_an_internal_error(project, monkeypatch):
    import zbreport.commands.projects as cli

    def broken(*args):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(cli, "check_report", broken)
    result = run_cli("check", project, "--format", "json")
    assert result.code == 70
    problem = _answer(result)
    assert problem["rule"] == "internal" and "ZeroDivisionError" in problem["message"]
    assert result.stderr == ""


def test_json_for_ctrl_c(project, monkeypatch):
    import zbreport.commands.projects as cli

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "check_report", interrupted)
    result = run_cli("check", project, "--format", "json")
    assert result.code == 130
    assert _answer(result)["rule"] == "cancelled"


def test_json_for_an_unreadable_template(project, tmp_path):
    (tmp_path / "t.docx").write_text("not a zip", encoding="utf-8")
    shutil.copy(tmp_path / "t.docx", project / "本机关模板.docx")
    report = project / "report.yaml"
    report.write_text(report.read_text(encoding="utf-8") + "模板: 本机关模板.docx\n", encoding="utf-8")
    result = run_cli("check", project, "--format", "json")
    assert result.code == 2
    assert _answer(result)["file"].endswith("本机关模板.docx")


def test_text_internal_error_is_one_line(project, monkeypatch):
    import zbreport.commands.projects as cli

    monkeypatch.setattr(cli, "check_report", lambda *args: 1 / 0)
    result = run_cli("check", project)
    assert result.code == 70
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("内部错误 ZeroDivisionError")


def test_json_for_a_wrong_option(project):
    result = run_cli("check", project, "--format", "json", "--bogus")
    assert result.code == 2
    problem = _answer(result)
    assert problem["rule"] == "usage" and "--bogus" in problem["message"]


def test_a_wrong_option_without_json_is_typers_usage_message(project):
    result = run_cli("check", project, "--bogus")
    assert result.code == 2 and result.stdout == "" and "--bogus" in result.stderr
