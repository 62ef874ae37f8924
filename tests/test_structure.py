"""Where things go in the built report: the table markers, and what the file says about itself."""

from __future__ import annotations

from datetime import datetime, timezone

from conftest import line_of, run_cli
from docx_reading import open_docx


def test_a_second_table_marker_is_an_error_at_its_line(project, tmp_path):
    section = project / "sections" / "3-applications.md"
    section.write_text("<!-- 表格 -->\n\n注：说明。\n\n<!-- 表格 -->\n", encoding="utf-8")
    out = tmp_path / "o.docx"
    result = run_cli("build", project, "-o", out)
    assert result.code == 1 and not out.exists()
    assert f"3-applications.md:{line_of(section, '注：说明。') + 2}" in result.stderr
    assert "有两处 <!-- 表格 -->" in result.stderr
    assert run_cli("check", project).code == 1


def test_the_table_goes_where_its_marker_stands(project, tmp_path):
    section = project / "sections" / "3-applications.md"
    section.write_text("前言段落。\n\n<!-- 表格 -->\n\n注：说明。\n", encoding="utf-8")
    out = tmp_path / "o.docx"
    assert run_cli("build", project, "-o", out).code == 0
    body = open_docx(out).element.body
    texts = [("table" if c.tag.endswith("}tbl") else "".join(t.text or "" for t in c.iter("{*}t"))) for c in body]
    heading = texts.index("三、收到和处理政府信息公开申请情况")
    assert texts[heading + 1 : heading + 4] == ["前言段落。", "table", "注：说明。"]


def test_the_file_carries_the_build_time_not_the_templates_date(project, tmp_path):
    out = tmp_path / "o.docx"
    assert run_cli("build", project, "-o", out, env={"SOURCE_DATE_EPOCH": "1767225600"}).code == 0
    properties = open_docx(out).core_properties
    built = datetime(2026, 1, 1, tzinfo=timezone.utc)  # SOURCE_DATE_EPOCH 1767225600
    assert properties.created == properties.modified == built
    assert properties.title == "淄博市人民政府办公室2024年政府信息公开工作年度报告"
    assert properties.author == properties.last_modified_by == "淄博市人民政府办公室"
    assert properties.language == "zh-CN"


def test_the_file_carries_the_date_of_issue_when_given(project, tmp_path):
    with (project / "report.yaml").open("a", encoding="utf-8") as report:
        report.write("成文日期: 2025-01-20\n")
    out = tmp_path / "o.docx"
    assert run_cli("build", project, "-o", out, env={"SOURCE_DATE_EPOCH": "1767225600"}).code == 0
    assert open_docx(out).core_properties.created == datetime(2025, 1, 20, tzinfo=timezone.utc)
