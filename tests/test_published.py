"""Projects typed from real published reports: their labels, titles, sections, annotated cells and typed
totals. A correct one passes clean and builds; a wrong figure is found whatever else is wrong."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import line_of, replace_in, run_cli
from docx_reading import open_docx, table_after_heading, text_grid
from zbreport.format import GB2021
from zbreport.read.project import load_project

T3 = GB2021.tables["三"]

# How one published report wrote table 三's labels: （1）-style and 1、-style numbering, half-width
# brackets, straight quotes, a comma for 、, a line-wrap space, （二） without its parenthetical.
AS_PUBLISHED = {
    "三、本年度办理结果": "三、本年度办理结果",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）": "(二)部分公开",
    "3.危及“三安全一稳定”": '3.危及"三安全一稳定"',
    "1.本机关不掌握相关政府信息": "（1）本机关不掌握相关 政府信息",
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请": "1、申请人无正当理由逾期不补正，行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请": "2、申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他": "3、其他",
    "（七）总计": "(七)总计",
}


def write_as_published(project: Path, change: dict | None = None, rename: dict | None = None, drop: str = "") -> Path:
    """Table 三 of the sample as a published report prints it: every total typed, labels as they wrote them."""
    values = dict(load_project(project, GB2021).report.tables["三"].values) | (change or {})
    names = AS_PUBLISHED | (rename or {})
    lines, written = [], set()
    for cell in T3.cells:
        if cell.row == drop:
            continue
        path = tuple(names.get(label, label) for label in cell.yaml_path)
        for depth in range(len(path) - 2):
            if path[: depth + 1] not in written:
                written.add(path[: depth + 1])
                lines.append(f"{'  ' * depth}'{path[depth]}':")
        row = path[:-1]
        if row not in written:
            written.add(row)
            lines.append(f"{'  ' * (len(row) - 1)}'{row[-1]}': {{}}")
        lines[-1] = lines[-1][:-1] + ("" if lines[-1].endswith("{}") else ", ") + f"{path[-1]}: {values[cell.key]}}}"
    table = project / "tables" / "table3.yaml"
    table.write_text("\n".join(lines).replace("{, ", "{") + "\n", encoding="utf-8")
    return table


def check_json(project: Path) -> tuple[int, list[dict]]:
    result = run_cli("check", project, "--format", "json")
    return result.code, json.loads(result.stdout)["findings"]


def test_a_correct_report_as_published_passes_clean_and_builds(project, tmp_path):
    write_as_published(project)
    assert check_json(project) == (0, [])
    out = tmp_path / "r.docx"
    assert run_cli("build", project, "-o", out).code == 0
    grid = text_grid(table_after_heading(open_docx(out), "三、收到和处理政府信息公开申请情况"))
    rows = {row[2]: row[3:] for row in grid[3:]}
    assert rows["3.其他"] == ["10", "0", "0", "0", "0", "0", "10"]  # （六） read in full, not dropped
    assert rows["（七）总计"] == ["259", "2", "0", "0", "0", "0", "261"]


def test_one_wrong_row_total_is_one_finding_that_blames_no_right_total(project):
    table = write_as_published(project, change={("disclosed", "total"): 45})
    code, found = check_json(project)
    assert code == 1 and len(found) == 1, found
    (finding,) = found
    assert finding["rule"] == "R3/R4" and finding["line"] == line_of(table, "（一）予以公开")
    assert finding["message"] == (
        "“表三·（一）予以公开·总计”填写为 45，2项核对都相差 1，且都经过这一格"
        "（R3：“表三·（一）予以公开·总计”为 45，各申请人列相加为 43+1 = 44；"
        "R4：“表三·（七）总计·总计”为 261，各项办理结果相加为 45+2+1+189+15+10 = 262）；若其余数字无误，此格应为 44"
    )


def test_a_wrong_total_is_found_in_a_report_that_also_has_a_label_error(project):
    table = write_as_published(
        project, change={("disclosed", "total"): 45}, rename={"8.属于行政查询事项": "8.其他情形"}
    )
    code, found = check_json(project)
    assert code == 1
    assert [(f["rule"], f["line"]) for f in found] == [("R3", line_of(table, "（一）予以公开")), ("unknown-key", line_of(table, "8.其他情形"))]
    r3, label = found
    assert r3["message"] == "“表三·（一）予以公开·总计”填写为 45，各申请人列相加为 43+1 = 44，相差 1"
    assert label["message"] == (
        "无法识别“8.其他情形”；此处缺少“8.属于行政查询事项”；"
        "因此未能核对：R4（自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他、总计列）"
    )


def test_a_missing_sub_row_says_which_checks_it_holds_up(project):
    table = write_as_published(project, drop="np_repeated")
    code, found = check_json(project)
    assert code == 1 and len(found) == 1
    assert found[0]["rule"] == "missing" and found[0]["line"] == line_of(table, "（五）不予处理")
    assert found[0]["message"].startswith("缺少“（五）不予处理·2.重复申请”一行；因此未能核对：R4（")


def test_a_damaged_label_is_read_with_a_warning(project):
    table = write_as_published(project, rename={"2.其他法律行政法规禁止公开": "2.其他法律行政止公开"})
    code, found = check_json(project)
    assert code == 0 and [(f["rule"], f["severity"], f["line"]) for f in found] == [
        ("label", "warning", line_of(table, "2.其他法律行政止公开"))
    ]
    assert "“2.其他法律行政止公开”按“2.其他法律行政法规禁止公开”读取" in found[0]["message"]


# ---------------------------------------------------------------- what published reports carry


def test_a_title_of_its_own(project, tmp_path):
    report = project / "report.yaml"
    report.write_text(
        report.read_text(encoding="utf-8") + "标题: |\n  淄博市人民政府办公室\n  关于2024年度政府信息公开工作的报告\n",
        encoding="utf-8",
    )
    replace_in(project / "sections" / "5-problems.md", "{{年度}}年，市政府办公室", "《{{标题}}》所述{{年度}}年，市政府办公室")
    assert run_cli("build", project).code == 0
    built = project / "淄博市人民政府办公室关于2024年度政府信息公开工作的报告.docx"
    document = open_docx(built)
    assert [p.text for p in document.paragraphs if p.style.name == "Title"] == ["淄博市人民政府办公室", "关于2024年度政府信息公开工作的报告"]
    assert document.core_properties.title == "淄博市人民政府办公室关于2024年度政府信息公开工作的报告"
    assert any(p.text.startswith("《淄博市人民政府办公室关于2024年度政府信息公开工作的报告》所述2024年") for p in document.paragraphs)


def test_sections_of_its_own_with_the_tables_placed_by_name(project, tmp_path):
    report = project / "report.yaml"
    report.write_text(
        report.read_text(encoding="utf-8")
        + "章节:\n"
        "  - {标题: 一、概述, 文件: 1-overview.md}\n"
        "  - {标题: 二、主动公开和依申请公开, 文件: 2-proactive.md, 表格: 表二}\n"
        "  - {标题: 三、依申请公开数据, 表格: 表三}\n"
        "  - {标题: 四、复议诉讼和其他, 文件: 6-other.md, 表格: 表四}\n",
        encoding="utf-8",
    )
    assert check_json(project) == (0, [])
    out = tmp_path / "r.docx"
    assert run_cli("build", project, "-o", out).code == 0
    document = open_docx(out)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["一、概述", "二、主动公开和依申请公开", "三、依申请公开数据", "四、复议诉讼和其他"]
    intro = next(p.text for p in document.paragraphs if p.text.startswith("本报告依据"))
    assert "包括概述、主动公开和依申请公开、依申请公开数据、复议诉讼和其他四个部分" in intro
    assert text_grid(table_after_heading(document, "三、依申请公开数据"))[3][-1] == "245"
    assert text_grid(table_after_heading(document, "四、复议诉讼和其他"))[3] == ["0"] * 15


@pytest.mark.parametrize(
    ("sections", "message"),
    [
        ("  - {标题: 一、概述, 文件: 1-overview.md, 表格: 表二}\n  - {标题: 二、表格, 表格: 表三}\n", "没有放置表四"),
        ("  - {标题: 一、概述, 表格: 表二}\n  - {标题: 二、表, 表格: 表三}\n  - {标题: 三、表, 表格: 表三}\n"
         "  - {标题: 四、表, 表格: 表四}\n", "一张表只能放一次"),
        ("  - {标题: 一、概述, 文件: 9-none.md, 表格: 表二}\n  - {标题: 二、表, 表格: 表三}\n  - {标题: 三、表, 表格: 表四}\n",
         "缺少“一、概述”的正文文件"),
    ],
)
def test_sections_of_its_own_that_are_wrong(project, sections, message):
    report = project / "report.yaml"
    report.write_text(report.read_text(encoding="utf-8") + "章节:\n" + sections, encoding="utf-8")
    code, found = check_json(project)
    assert code == 1 and any(message in f["message"] for f in found), found


def test_a_section_table_that_is_no_table_is_unreadable_input(project):
    report = project / "report.yaml"
    report.write_text(report.read_text(encoding="utf-8") + "章节:\n  - {标题: 一、概述, 表格: 表五}\n", encoding="utf-8")
    result = run_cli("check", project)
    assert result.code == 2 and "表二、表三 或 表四" in result.stderr
    assert f"report.yaml:{line_of(report, '表五')}" in result.stderr


def test_a_cell_with_a_note_is_printed_as_written(project, tmp_path):
    replace_in(project / "tables" / "table2.yaml", "行政规范性文件: {本年制发件数: 6,", "行政规范性文件: {本年制发件数: 6（其中修订2件）,")
    out = tmp_path / "r.docx"
    assert run_cli("build", project, "-o", out).code == 0
    grid = text_grid(table_after_heading(open_docx(out), "二、主动公开政府信息情况"))
    assert grid[3] == ["行政规范性文件", "6（其中修订2件）", "1", "49"]
    preview = run_cli("preview", project, "--table", "二", env={"COLUMNS": "100"}).stdout
    assert "6（其中修订2件）" in preview
    assert "共制发行政规范性文件6件" in "".join(p.text for p in open_docx(out).paragraphs)  # the number counts


def test_a_date_that_does_not_exist(project):
    report = project / "report.yaml"
    report.write_text(report.read_text(encoding="utf-8") + "成文日期: 2025-02-30\n", encoding="utf-8")
    result = run_cli("check", project)
    assert result.code == 2 and "不是真实的日期" in result.stderr
    assert f"report.yaml:{line_of(report, '成文日期')}" in result.stderr


def test_a_huge_number_is_a_finding_not_an_internal_error(project):
    table = project / "tables" / "table3.yaml"
    replace_in(table, "{自然人: 243,", "{自然人: 99999999999999999999999999999999999,")
    replace_in(table, "（一）予以公开: {自然人: 43,", "（一）予以公开: {自然人: 99999999999999999999999999999999799,")
    result = run_cli("check", project)
    assert result.code == 1, result.output
    assert "数字过大" in result.stdout and "内部错误" not in result.output
    assert run_cli("preview", project).code == 0


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("章节: 一、概述\n", "应逐项列出报告的章节"),
        ("章节:\n  - 一、概述\n", "每一项应写明标题和文件"),
        ("章节:\n  - {文件: 1-overview.md, 表格: 表二}\n", "第 1 项缺少“标题”"),
        ("标题: {一: 甲}\n", "应为一段文字"),
    ],
)
def test_own_title_or_sections_that_cannot_be_read(project, written, message):
    report = project / "report.yaml"
    report.write_text(report.read_text(encoding="utf-8") + written, encoding="utf-8")
    result = run_cli("check", project)
    assert result.code == 2 and message in result.stderr, result.output
    assert "report.yaml:" in result.stderr and "Traceback" not in result.output
