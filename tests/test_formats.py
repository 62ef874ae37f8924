"""build --format: several formats at once, where each goes, and the PDF through LibreOffice
(present, missing, failing, hanging); a failure in any format writes nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SAMPLE, run_cli
from docx_reading import open_docx

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
needs_libreoffice = pytest.mark.skipif(
    not (SOFFICE and PDFTOTEXT) and not os.environ.get("CI"),
    reason="LibreOffice or pdftotext not installed (CI installs them)",
)
DEFAULT_NAME = "淄博市人民政府办公室2024年政府信息公开工作年度报告"


def test_several_formats_replace_the_suffix_of_output(tmp_path: Path):
    result = run_cli("build", SAMPLE, "--format", "docx", "--format", "html", "-o", tmp_path / "报告.docx")
    assert result.code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["报告.docx", "报告.html"]
    assert result.stdout.count("已生成") == 2
    assert "淄博市人民政府办公室" in "".join(p.text for p in open_docx(tmp_path / "报告.docx").paragraphs)
    assert "<table" in (tmp_path / "报告.html").read_text(encoding="utf-8")


def test_default_names_in_the_project_folder(project: Path):
    result = run_cli("build", project, "--format", "html", "--format", "docx", "--format", "html")
    assert result.code == 0, result.output
    assert {p.name for p in project.iterdir() if p.is_file() and p.suffix != ".yaml"} == {
        f"{DEFAULT_NAME}.html",
        f"{DEFAULT_NAME}.docx",
    }


def test_default_format_is_still_docx(project: Path):
    assert run_cli("build", project).code == 0
    assert (project / f"{DEFAULT_NAME}.docx").is_file() and not (project / f"{DEFAULT_NAME}.html").exists()


def test_one_format_needs_its_own_suffix(tmp_path: Path):
    result = run_cli("build", SAMPLE, "--format", "html", "-o", tmp_path / "report.docx")
    assert result.code == 3 and "输出文件应以 .html 结尾" in result.stderr
    assert run_cli("build", SAMPLE, "--format", "html", "-o", tmp_path / "report.htm").code == 0
    assert list(tmp_path.iterdir()) == [tmp_path / "report.htm"]


def test_unknown_format_is_refused(tmp_path: Path):
    result = run_cli("build", SAMPLE, "--format", "odt", "-o", tmp_path / "x.odt")
    assert result.code == 2 and "odt" in result.output
    assert not list(tmp_path.iterdir())


def test_missing_output_folder_is_found_before_anything_is_made(tmp_path: Path):
    result = run_cli("build", SAMPLE, "--format", "html", "--format", "pdf", "-o", tmp_path / "无此文件夹" / "r")
    assert result.code == 3 and "输出文件夹不存在" in result.stderr


@needs_libreoffice
def test_pdf_holds_the_figures(tmp_path: Path):
    result = run_cli("build", SAMPLE, "--format", "pdf", "-o", tmp_path / "报告.pdf")
    assert result.code == 0, result.output
    assert [p.name for p in tmp_path.iterdir()] == ["报告.pdf"]  # no .docx or temporary file left beside it
    # without the official fonts here, the PDF is made with others: said, since a PDF keeps them
    assert ("本机未安装字体" in result.stderr) == ("PDF 在本机生成" in result.stderr)
    text = subprocess.run([PDFTOTEXT, "-layout", str(tmp_path / "报告.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    compact = "".join(text.split())
    assert "淄博市人民政府办公室" in compact and "六、其他需要报告的事项" in compact
    assert "全年办理政府信息公开申请261件，较上年增长97.72%" in compact
    flat = " ".join(text.split())
    assert "243 2 0 0 0 0 245" in flat and "259 2 0 0 0 0 261" in flat and "6 1 49" in flat


def _fake_soffice(folder: Path, script: str) -> dict[str, str]:
    """A PATH whose only soffice is this shell script."""
    folder.mkdir()
    fake = folder / "soffice"
    fake.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    fake.chmod(0o755)
    return {"PATH": f"{folder}{os.pathsep}{Path(sys.executable).parent}"}


@pytest.mark.skipif(os.name != "posix", reason="a shell script stands in for LibreOffice")
def test_without_libreoffice_nothing_is_written_and_the_package_is_named(tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "r.docx").write_bytes(b"last good report")
    empty = tmp_path / "bin"
    empty.mkdir()
    result = run_cli("build", SAMPLE, "--format", "docx", "--format", "pdf", "-o", out / "r", env={"PATH": str(empty)})
    assert result.code == 3
    assert "libreoffice-writer-nogui" in result.stderr and "libreoffice.org" in result.stderr
    assert "Traceback" not in result.output
    assert sorted(p.name for p in out.iterdir()) == ["r.docx"]
    assert (out / "r.docx").read_bytes() == b"last good report"


@pytest.mark.skipif(os.name != "posix", reason="a shell script stands in for LibreOffice")
def test_a_conversion_that_makes_no_pdf_is_an_error(tmp_path: Path):
    env = _fake_soffice(tmp_path / "bin", 'echo "Error: source file could not be loaded" >&2\nexit 0\n')
    result = run_cli("build", SAMPLE, "--format", "pdf", "-o", tmp_path / "r.pdf", env=env)
    assert result.code == 3 and "source file could not be loaded" in result.stderr
    assert not (tmp_path / "r.pdf").exists()


@pytest.mark.skipif(sys.platform != "linux", reason="a shell script stands in for LibreOffice; /proc shows its child")
def test_a_hanging_libreoffice_is_stopped(tmp_path: Path, monkeypatch):
    import zbreport.write.pdf as pdf

    monkeypatch.setattr(pdf, "TIMEOUT_SECONDS", 2)  # long enough for the fake to start on a busy machine
    pid_file = tmp_path / "pid"
    # the script starts a child that would outlive it, as soffice starts soffice.bin
    sleep = shutil.which("sleep")
    env = _fake_soffice(tmp_path / "bin", f"{sleep} 60 &\necho $! > {pid_file}\nwait\n")
    result = run_cli("build", SAMPLE, "--format", "pdf", "-o", tmp_path / "r.pdf", env=env)
    assert result.code == 3 and "2 秒内没有完成" in result.stderr
    assert not (tmp_path / "r.pdf").exists()
    assert not _running(int(pid_file.read_text()))  # the whole process group was ended


def _running(pid: int) -> bool:
    """Alive and not a zombie waiting for a parent that does not reap (as in some containers)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"
