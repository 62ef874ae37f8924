"""LibreOffice is a real consumer of our files: it must open the report and print its figures."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")

# CI installs LibreOffice and poppler; there the test must run, not skip.
pytestmark = pytest.mark.skipif(
    not (SOFFICE and PDFTOTEXT) and not os.environ.get("CI"),
    reason="LibreOffice or pdftotext not installed (CI installs them)",
)


def test_sample_converts_to_pdf_with_issuer_and_figures(sample_docx, tmp_path):
    assert SOFFICE and PDFTOTEXT, "CI must have soffice and pdftotext"
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(sample_docx)],
        check=True,
        capture_output=True,
        timeout=240,
    )
    pdf = tmp_path / (sample_docx.stem + ".pdf")
    assert pdf.is_file()
    text = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    compact = "".join(text.split())  # pdftotext spaces Latin from CJK text and breaks lines
    assert "淄博市人民政府办公室" in compact
    assert "2024年政府信息公开工作年度报告" in compact
    for title in ("一、总体情况", "三、收到和处理政府信息公开申请情况", "六、其他需要报告的事项"):
        assert title in compact
    flat = " ".join(text.split())
    # table 三: 一 row, （七）总计 row, and the biggest result row, in print order
    assert "243 2 0 0 0 0 245" in flat
    assert "259 2 0 0 0 0 261" in flat
    assert "188 1 0 0 0 0 189" in flat
    # table 二: 现行有效件数 of 行政规范性文件
    assert "6 1 49" in flat
    # page numbers in the footer
    assert "—1—" in compact and "—2—" in compact
