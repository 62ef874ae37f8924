"""PDF through LibreOffice: the report's .docx converted by `soffice --headless`.

LibreOffice lays the page out from the very file editors open in Word, so the PDF and the .docx
agree. It runs with a profile of its own in a temporary folder: a LibreOffice the user has open
keeps its profile locked and would otherwise take the job over, or refuse it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from ..diagnostics import OutputError

TIMEOUT_SECONDS = 180  # a first start with a fresh profile takes a few seconds; a hang ends here

MISSING = (
    "找不到 LibreOffice（soffice），无法生成 PDF；本次没有写入任何文件。"
    "请先安装 LibreOffice：Debian、Ubuntu、统信 UOS、麒麟等系统运行 sudo apt install libreoffice-writer-nogui，"
    "Windows 和 macOS 从 https://www.libreoffice.org/download/ 下载安装；"
    "也可以只生成 .docx，在 Word 或 WPS 中另存为 PDF。"
)


def find_soffice() -> str | None:
    """LibreOffice's command: on the PATH, else where its installers put it."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    candidates = [Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")]
    for variable in ("ProgramFiles", "ProgramFiles(x86)"):
        base = os.environ.get(variable)
        if base:
            candidates.append(Path(base) / "LibreOffice" / "program" / "soffice.exe")
    return next((str(c) for c in candidates if c.is_file()), None)


def docx_to_pdf(docx: bytes, timeout: float | None = None) -> bytes:
    """The PDF of a .docx; OutputError when LibreOffice is missing, fails or takes too long."""
    soffice = find_soffice()
    if soffice is None:
        raise OutputError(MISSING)
    with tempfile.TemporaryDirectory(prefix="zbreport-pdf-") as temp:
        folder = Path(temp)
        source = folder / "report.docx"
        source.write_bytes(docx)
        command = [
            soffice,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder / "out"),
            str(source),
        ]
        scratch = folder / "tmp"  # LibreOffice's own temporary files, removed with ours even if it is killed
        scratch.mkdir()
        environment = {**os.environ, "TMPDIR": str(scratch), "TMP": str(scratch), "TEMP": str(scratch)}
        output = _run(command, timeout or TIMEOUT_SECONDS, environment)
        pdf = folder / "out" / "report.pdf"
        if not pdf.is_file():
            detail = output.strip().splitlines()[-1] if output.strip() else "没有输出"
            raise OutputError(f"LibreOffice 未能把报告转换为 PDF（{detail}）；本次没有写入任何文件。")
        return pdf.read_bytes()


def _run(command: list[str], timeout: float, environment: dict[str, str]) -> str:
    """Run LibreOffice in a process group of its own, so a timeout or Ctrl-C ends all of it."""
    options: dict = {"start_new_session": True} if os.name == "posix" else {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    try:
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=environment, **options
        )
    except OSError as exc:
        raise OutputError(f"无法启动 LibreOffice（{command[0]}）：{exc.strerror or exc}；本次没有写入任何文件。") from None
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(process)
        raise OutputError(f"LibreOffice 在 {timeout:.0f} 秒内没有完成 PDF 转换，已中止；本次没有写入任何文件。") from None
    except BaseException:
        _kill(process)
        raise
    return output.decode(sys.getdefaultencoding(), errors="replace")


def _kill(process: subprocess.Popen) -> None:
    try:
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    except OSError:
        pass
    process.wait()
