"""A report edited in LibreOffice: saved as .odt, edited, saved back as .docx, then diffed and pulled.

LibreOffice writes its own .docx: other run structure, styles and table markup, and it carries
the tracked change and the comment the file already had. Converting takes seconds, so it is
done once for the module.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from conftest import run_cli
from editing import comment_on, open_report, track_changes

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

pytestmark = pytest.mark.skipif(
    not SOFFICE and not os.environ.get("CI"), reason="LibreOffice not installed (CI installs it)"
)


def _convert(source: Path, to: str, out: Path, profile: Path) -> Path:
    assert SOFFICE, "CI must have soffice"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", to, "--outdir", str(out), str(source)],
        check=True,
        capture_output=True,
        timeout=240,
    )
    return out / (source.stem + "." + to.split(":")[0])


def _edit_content(odt: Path) -> None:
    """Edit the text as LibreOffice stores it: a word, a figure in table 三, a paragraph split in two."""
    with zipfile.ZipFile(odt) as package:
        parts = [(info, package.read(info.filename)) for info in package.infolist()]
    rewritten = []
    for info, data in parts:
        if info.filename == "content.xml":
            xml = data.decode("utf-8")
            assert xml.count("认真办理每一件申请") == 1 and xml.count(">243</text:p>") == 1
            xml = xml.replace("认真办理每一件申请", "认真办好每一件申请")
            xml = xml.replace(">243</text:p>", ">244</text:p>")
            at = xml.index("同步推进。二是落实")
            style = re.findall(r'<text:p text:style-name="([^"]+)"', xml[:at])[-1]
            xml = xml.replace("同步推进。二是落实", f'同步推进。</text:p><text:p text:style-name="{style}">二是落实', 1)
            data = xml.encode("utf-8")
        rewritten.append((info, data))
    with zipfile.ZipFile(odt, "w") as package:
        for info, data in rewritten:  # mimetype first and stored, as ODF requires
            package.writestr(info, data, compress_type=zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED)


@pytest.fixture(scope="module")
def libreoffice_edited(sample_docx, tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("libreoffice")
    profile = work / "profile"
    start = work / "审阅稿.docx"
    document = open_report(sample_docx)
    track_changes(document, "一是会同有关部门", "逐条梳理", "逐条认真梳理", "张三", "2025-01-10T09:30:00Z")
    comment_on(document, "全年审核稿件1500余篇", "请核实篇数", "李四")
    document.save(str(start))
    odt = _convert(start, "odt", work / "odt", profile)
    _edit_content(odt)
    return _convert(odt, "docx:MS Word 2007 XML", work / "docx", profile)


def test_diff_reads_what_libreoffice_wrote(project, libreoffice_edited):
    result = run_cli("diff", project, libreoffice_edited, "--format", "json")
    assert result.code == 0, result.output
    payload = json.loads(result.stdout)
    kinds = {(c["kind"], Path(c["source"]["file"]).name) for c in payload["paragraphs"]}
    assert kinds == {("changed", "1-overview.md"), ("split", "5-problems.md")}
    assert [(c["table"], c["row"], c["column"], c["old"], c["new"]) for c in payload["cells"]] == [
        ("三", "一、本年新收政府信息公开申请数量", "自然人", "243", "244")
    ]
    assert payload["other"] == []
    assert {(r["kind"], r["author"], r["text"]) for r in payload["revisions"]} == {
        ("delete", "张三", "逐条梳理"),
        ("insert", "张三", "逐条认真梳理"),
    }
    (comment,) = payload["comments"]
    assert (comment["author"], comment["text"], comment["anchor"]) == ("李四", "请核实篇数", "全年审核稿件1500余篇")


def test_pull_then_the_project_builds_the_edited_text(project, libreoffice_edited):
    result = run_cli("pull", project, libreoffice_edited, "--yes", "--accept-changes")
    assert result.code == 1, result.output  # written; check then reports R1 for the retyped figure
    assert "[R1]" in result.stdout
    overview = (project / "sections" / "1-overview.md").read_text(encoding="utf-8")
    assert "认真办好每一件申请。全年办理政府信息公开申请{{表三·（七）总计·总计 + 表三·结转下年度·总计}}件" in overview
    assert "逐条认真梳理" in overview
    assert "同步推进。\n\n二是落实" in (project / "sections" / "5-problems.md").read_text(encoding="utf-8")
    assert "{自然人: 244," in (project / "tables" / "table3.yaml").read_text(encoding="utf-8")

    again = json.loads(run_cli("diff", project, libreoffice_edited, "--format", "json", "--accept-changes").stdout)
    assert again["paragraphs"] == [] and again["other"] == []
    # The editor left the row's total at 245; the project computes it from the new figure.
    assert [(c["column"], c["old"], c["new"], c["computed"]) for c in again["cells"]] == [("总计", "246", "245", True)]
