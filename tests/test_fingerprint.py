"""`build` never overwrites a report someone edited, or a file it did not write."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from conftest import REPO, replace_in, run_cli
from editing import open_report, replace_words
from zbreport.fingerprint import CUSTOM_PART, FINGERPRINT, SOURCE, custom_properties, examine, stamp, stamped_docx

DEFAULT_NAME = "淄博市人民政府办公室2024年政府信息公开工作年度报告.docx"
VALIDATOR = REPO.parent / "shared" / "ooxml" / "validate.py"


def properties(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as package:
        return custom_properties(package.read(CUSTOM_PART))


@pytest.fixture
def built(project: Path) -> Path:
    result = run_cli("build", project)
    assert result.code == 0, result.output
    return project / DEFAULT_NAME


def test_build_records_its_fingerprint_and_the_project_files(built):
    recorded = properties(built)
    assert recorded[FINGERPRINT].startswith("sha256:")
    assert {name[len(SOURCE) :] for name in recorded if name.startswith(SOURCE)} >= {
        "report.yaml",
        "sections/1-overview.md",
        "tables/table3.yaml",
    }
    assert examine(built).state == "unchanged"


@pytest.mark.skipif(not VALIDATOR.is_file(), reason="../shared/ooxml/validate.py is not here")
def test_custom_properties_are_valid_for_word(built, tmp_path):
    # A plain python-docx document, stamped, passes the validator whole …
    minimal = tmp_path / "minimal.docx"
    document = docx.Document()
    document.add_paragraph("正文")
    minimal.write_bytes(stamped_docx(document, {"report.yaml": "0123456789abcdef"}))
    check = subprocess.run([sys.executable, str(VALIDATOR), str(minimal)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    assert "docProps/custom.xml" not in check.stdout.split("not validated")[-1]
    # … and in the report, nothing the fingerprint adds is what the validator objects to.
    report = subprocess.run([sys.executable, str(VALIDATOR), str(built)], capture_output=True, text=True)
    errors = [line for line in report.stdout.splitlines() if line.strip().startswith("ERROR")]
    assert not [e for e in errors if "custom" in e or "Content_Types" in e or ".rels" in e], errors


def test_an_unchanged_report_is_replaced(built, project):
    replace_in(project / "sections" / "1-overview.md", "认真办理每一件申请", "认真办好每一件申请")
    result = run_cli("build", project)
    assert result.code == 0, result.output
    assert "已生成" in result.stdout
    text = "\n".join(p.text for p in open_report(built).paragraphs)
    assert "认真办好每一件申请" in text and "认真办理每一件申请" not in text
    assert examine(built).state == "unchanged"


def test_zipping_the_same_parts_again_is_not_an_edit(built, project, tmp_path):
    with zipfile.ZipFile(built) as package:
        parts = [(name, package.read(name)) for name in package.namelist()]
    with zipfile.ZipFile(built, "w", zipfile.ZIP_STORED) as package:  # another order, no compression
        for name, data in reversed(parts):
            package.writestr(name, data)
    assert examine(built).state == "unchanged"
    assert run_cli("build", project).code == 0


def test_an_edited_report_is_not_overwritten(built, project):
    document = open_report(built)
    replace_words(document, "认真办理每一件申请", "认真办好每一件申请")
    document.save(str(built))
    edited = built.read_bytes()
    mtime = built.stat().st_mtime_ns

    result = run_cli("build", project)

    assert result.code == 3
    assert built.read_bytes() == edited and built.stat().st_mtime_ns == mtime
    message = result.stderr
    assert DEFAULT_NAME in message and "生成后被修改过" in message
    assert "--force" in message and "zbreport diff" in message and "zbreport pull" in message
    assert not list(project.glob(".*.tmp"))


def test_force_replaces_an_edited_report_and_says_so(built, project):
    document = open_report(built)
    replace_words(document, "认真办理每一件申请", "认真办好每一件申请")
    document.save(str(built))

    result = run_cli("build", project, "--force")

    assert result.code == 0, result.output
    assert "已按 --force 覆盖" in result.stderr
    assert examine(built).state == "unchanged"
    assert "认真办理每一件申请" in "\n".join(p.text for p in open_report(built).paragraphs)


@pytest.mark.parametrize("kind", ["text", "word"])
def test_a_file_zbreport_did_not_write_is_not_overwritten(project, tmp_path, kind):
    target = tmp_path / "年报.docx"
    if kind == "text":
        target.write_text("不是 Word 文件", encoding="utf-8")
    else:
        other = docx.Document()
        other.add_paragraph("另一份文件")
        other.save(str(target))
    before = target.read_bytes()

    result = run_cli("build", project, "-o", target)

    assert result.code == 3
    assert "年报.docx 不是 zbreport 生成的文件" in result.stderr and "是不是" not in result.stderr
    assert target.read_bytes() == before


def test_a_template_s_own_properties_are_kept(project, tmp_path):
    template = tmp_path / "模板.docx"
    shutil.copy(REPO / "templates" / "default.docx", template)
    with zipfile.ZipFile(template) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    stamped = stamp(_zipped(parts), {})
    with zipfile.ZipFile(io.BytesIO(stamped)) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    parts[CUSTOM_PART] = parts[CUSTOM_PART].replace(
        FINGERPRINT.encode(), b"DocumentNumber"  # a property an agency's template carries
    )
    template.write_bytes(_zipped(parts))
    out = tmp_path / "report.docx"

    assert run_cli("build", project, "--template", template, "-o", out).code == 0

    recorded = properties(out)
    assert "DocumentNumber" in recorded and FINGERPRINT in recorded
    assert examine(out).state == "unchanged"


def _zipped(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return buffer.getvalue()


def test_with_other_formats_nothing_is_written_when_the_docx_was_edited(built, project):
    document = open_report(built)
    replace_words(document, "认真办理每一件申请", "认真办好每一件申请")
    document.save(str(built))
    result = run_cli("build", project, "--format", "docx", "--format", "html")
    assert result.code == 3 and "生成后被修改过" in result.stderr
    assert not built.with_suffix(".html").exists(), "all formats or none"


def test_building_many_projects_leaves_an_edited_report_alone(tmp_path):
    from test_batch import make_projects

    first, second = make_projects(tmp_path / "各部门", 2)
    assert run_cli("build", tmp_path / "各部门", "--jobs", "1").code == 0
    edited = first / "第1单位2024年政府信息公开工作年度报告.docx"
    document = open_report(edited)
    replace_words(document, "认真办理每一件申请", "认真办好每一件申请")
    document.save(str(edited))
    before = edited.read_bytes()

    result = run_cli("build", tmp_path / "各部门", "--jobs", "1")

    assert result.code == 3, result.output
    assert edited.read_bytes() == before
    assert "生成后被修改过" in result.stdout
    assert examine(second / "第2单位2024年政府信息公开工作年度报告.docx").state == "unchanged"


@given(st.text())
@example("a \"b\" & 'c' <d>\n\t\r")
def test_property_names_and_values_are_escaped_as_the_standard_library_does(text):
    """custom.xml's names and values, escaped without xml.sax.saxutils (15 ms of imports a build)."""
    from xml.sax.saxutils import escape, quoteattr

    from zbreport.fingerprint import _escaped, _quoted

    assert _escaped(text) == escape(text)
    assert _quoted(text) == quoteattr(text)
