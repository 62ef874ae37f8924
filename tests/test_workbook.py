"""The tables as an Excel workbook: exported as printed, edited in a spreadsheet, read back and checked."""

from __future__ import annotations

import json

import openpyxl
import pytest

from conftest import SAMPLE, replace_in, run_cli
from docx_reading import open_docx
from zbreport.format import GB2021
from zbreport.read.workbook import address


@pytest.fixture
def exported(project):
    """The sample's tables exported into tables/表格.xlsx, which replaces the YAML files."""
    book = project / "tables" / "表格.xlsx"
    result = run_cli("tables", "export", project, "-o", book)
    assert result.code == 0, result.output
    for yaml_file in (project / "tables").glob("*.yaml"):
        yaml_file.unlink()
    return project, book


def test_export_writes_the_tables_as_printed(tmp_path):
    out = tmp_path / "表格.xlsx"
    assert run_cli("tables", "export", SAMPLE, "-o", out).code == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["表二", "表三", "表四"]
    three = book["表三"]
    assert three["A1"].value == "三、收到和处理政府信息公开申请情况"
    # every merge of the official layout is a merged range of the sheet
    merged = {str(r) for r in three.merged_cells.ranges}
    for spot in GB2021.tables["三"].layout.cells:
        if spot.rowspan > 1 or spot.colspan > 1:
            corner = address(spot.row + spot.rowspan - 1, spot.col + spot.colspan - 1)
            assert f"{address(spot.row, spot.col)}:{corner}" in merged
    assert three["D2"].value == "申请人情况" and "D2:J2" in merged
    assert three["A5"].value == "一、本年新收政府信息公开申请数量" and "A5:C5" in merged
    assert [three.cell(5, c).value for c in range(4, 10)] == [243, 2, 0, 0, 0, 0]
    # totals are formulas, so Excel shows them live
    assert three["J5"].value == "=SUM(D5:I5)"
    assert three["D28"].value == "=SUM(D7:D27)"  # （七）总计 = the 21 result rows
    assert three["B28"].value == "（七）总计"
    assert book["表四"]["E5"].value == "=SUM(A5:D5)"
    two = book["表二"]
    assert [two["A4"].value, two["B4"].value, two["C4"].value, two["D4"].value] == ["规章", 2, 4, 32]


def test_export_refuses_an_existing_file_without_force(tmp_path):
    out = tmp_path / "表格.xlsx"
    out.write_bytes(b"keep")
    result = run_cli("tables", "export", SAMPLE, "-o", out)
    assert result.code == 3 and "--force" in result.stderr
    assert out.read_bytes() == b"keep"
    assert run_cli("tables", "export", SAMPLE, "-o", out, "--force").code == 0
    assert openpyxl.load_workbook(out).sheetnames == ["表二", "表三", "表四"]


def test_export_by_default_lands_in_the_project_whatever_the_issuer(project):
    """The default name comes from 机关全称 and 年度, made safe as a report's is: an issuer of
    ../… cannot send the workbook out of the project folder."""
    assert run_cli("tables", "export", project).code == 0
    assert (project / "淄博市人民政府办公室2024年度统计表.xlsx").is_file()
    replace_in(project / "report.yaml", "机关全称: 淄博市人民政府办公室", "机关全称: ../../某局")
    result = run_cli("tables", "export", project)
    assert result.code == 0, result.output
    assert (project / "某局2024年度统计表.xlsx").is_file()
    assert sorted(p.name for p in project.parent.iterdir()) == ["project"]


def test_a_workbook_replaces_the_yaml_files(exported, sample_docx, tmp_path):
    project, _ = exported
    assert run_cli("check", project).stdout.strip() == "未发现问题。"
    out = tmp_path / "r.docx"
    assert run_cli("build", project, "-o", out).code == 0

    def table_texts(path):
        return [[cell.text for cell in row.cells] for table in open_docx(path).tables for row in table.rows]

    assert table_texts(out) == table_texts(sample_docx)


def test_a_typed_wrong_total_is_found_at_its_cell(exported):
    project, book_path = exported
    book = openpyxl.load_workbook(book_path)
    book["表三"]["J5"] = 250  # a clerk overwrites the formula with a wrong sum
    book["表三"]["D7"] = "４３"  # full-width digits, as some input methods type them
    book.save(book_path)
    result = run_cli("check", project)
    assert result.code == 1
    assert "表格.xlsx!表三!J5" in result.stdout and "此格应为 245" in result.stdout
    payload = json.loads(run_cli("check", project, "--format", "json").stdout)
    (finding,) = payload["findings"]
    assert "R3" in finding["rule"] and finding["cell"] == "表三!J5" and finding["file"].endswith("表格.xlsx")


def test_values_a_clerk_types_wrongly(exported):
    project, book_path = exported
    book = openpyxl.load_workbook(book_path)
    book["表三"]["D7"] = "/"  # "/" only where a row of 表二 does not apply
    book["表二"]["B4"] = "/"
    book["表三"]["E5"] = None
    book["表四"]["A5"] = "无"
    book["表二"]["B15"] = 1.25  # 万元 may be a decimal
    book.save(book_path)
    result = run_cli("check", project)
    lines = [line for line in result.stdout.splitlines() if "[R6]" in line]
    assert any("表三!D7" in line and "不能填“/”" in line for line in lines)
    assert any("表三!E5" in line and "未填写" in line for line in lines)
    assert any("表四!A5" in line and "应为数字" in line for line in lines)
    assert not any("表二!B4" in line or "表二!B15" in line for line in lines)
    preview = run_cli("preview", project, "--table", "二").stdout
    assert "1.25" in preview


def test_text_in_a_cell_reads_as_in_a_table_file(exported):
    """A note with a number, a dash and full-width digits: the same reading as a YAML table file."""
    project, book_path = exported
    book = openpyxl.load_workbook(book_path)
    book["表二"]["B5"] = "6（其中修订2件）"  # 行政规范性文件·本年制发件数
    book["表二"]["B8"] = "—"  # 行政许可: the organ has no licensing power
    book["表三"]["E5"] = "２"  # 一、本年新收·商业企业
    book.save(book_path)
    result = run_cli("check", project, "--format", "json")
    assert result.code == 0 and json.loads(result.stdout)["findings"] == [], result.stdout
    preview = run_cli("preview", project, "--table", "二", env={"COLUMNS": "100"}).stdout
    assert "6（其中修订2件）" in preview and "—" in preview


def test_a_shifted_layout_is_reported_not_misread(exported):
    project, book_path = exported
    book = openpyxl.load_workbook(book_path)
    book["表三"].insert_rows(6)  # a row inserted under 一、: every label below moves
    book.save(book_path)
    result = run_cli("check", project)
    assert result.code == 1
    assert "表格.xlsx!表三!A6" in result.stdout and "二、上年结转政府信息公开申请数量" in result.stdout
    assert "还有" in result.stdout and "处表头与官方格式不符" in result.stdout


def test_a_table_given_twice(project):
    assert run_cli("tables", "export", project, "-o", project / "tables" / "表格.xlsx").code == 0
    result = run_cli("check", project)
    assert result.code == 1
    assert "[duplicate-table]" in result.stdout and "table3.yaml、表格.xlsx 的“表三”工作表" in result.stdout


def test_a_damaged_workbook_is_unreadable_input(project):
    (project / "tables" / "表格.xlsx").write_bytes(b"not a zip")
    result = run_cli("check", project)
    assert result.code == 2
    assert "表格.xlsx" in result.stderr and "Excel" in result.stderr
    assert "Traceback" not in result.output


def test_a_decimal_fee_round_trips(project, tmp_path):
    replace_in(project / "tables" / "table2.yaml", "行政事业性收费: {本年收费金额（单位：万元）: 0}", "行政事业性收费: {本年收费金额（单位：万元）: 0.35}")
    book_path = project / "tables" / "表格.xlsx"
    assert run_cli("tables", "export", project, "-o", book_path).code == 0
    assert openpyxl.load_workbook(book_path)["表二"]["B15"].value == 0.35
    (project / "tables" / "table2.yaml").unlink()
    preview = run_cli("preview", project, "--table", "二").stdout
    assert "0.35" in preview


def test_an_old_excel_file_is_named_not_ignored_in_silence(project):
    (project / "tables" / "表格.xls").write_bytes(b"\xd0\xcf\x11\xe0 old excel")
    result = run_cli("check", project)
    assert result.code == 0
    assert "表格.xls 是旧版表格格式" in result.stdout and ".xlsx" in result.stdout


def test_a_workbook_s_tables_come_from_the_read_cache_until_it_changes(exported, tmp_path):
    """A project whose tables are a workbook is checked from the cache like one with YAML files:
    no openpyxl while the workbook is unchanged, the same findings at the same cells; an edit in
    the spreadsheet is read."""
    from test_lazy_imports import loaded_by

    project, book_path = exported
    book = openpyxl.load_workbook(book_path)
    book["表三"]["J5"] = 250
    book.save(book_path)
    first = run_cli("check", project)  # reads the workbook, and keeps what it read
    assert "openpyxl" not in loaded_by("check", project), "the workbook unchanged: its tables from the cache"
    again = run_cli("check", project)
    assert (again.code, again.stdout) == (first.code, first.stdout) and "表格.xlsx!表三!J5" in again.stdout
    assert run_cli("check", project, env={"ZBREPORT_CACHE_DIR": ""}).stdout == first.stdout

    book = openpyxl.load_workbook(book_path)
    book["表三"]["J5"] = "=SUM(D5:I5)"  # put right in the spreadsheet
    book.save(book_path)
    assert "openpyxl" in loaded_by("check", project)
    fixed = run_cli("check", project)
    assert "表三!J5" not in fixed.stdout
