"""Figures in the narrative come from the tables and from last year, through the real CLI."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import SAMPLE, line_of, replace_in, run_cli
from docx_reading import open_docx

STAND_IN = "2023年度数据.yaml"


def body_text(path: Path) -> str:
    return "\n".join(p.text for p in open_docx(path).paragraphs)


def build(project: Path, tmp_path: Path) -> str:
    out = tmp_path / "out.docx"
    result = run_cli("build", project, "-o", out)
    assert result.code == 0, result.output
    return body_text(out)


def test_no_table_figure_is_typed_by_hand_in_the_sample():
    """Every figure the sample's narrative shares with its tables is a placeholder."""
    narrative = "".join(p.read_text(encoding="utf-8") for p in (SAMPLE / "sections").glob("*.md"))
    typed = re.sub(r"\{\{.*?\}\}", "", narrative)
    for figure in ("261", "245", "97.72", "申请0件", "规章2件", "文件6件"):
        assert figure not in typed


def test_sample_reads_as_the_seed(sample_docx):
    text = body_text(sample_docx)
    assert "全年办理政府信息公开申请261件，较上年增长97.72%" in text
    assert "市政府规章2件" in text and "共制发行政规范性文件6件" in text
    assert "行政复议0件、行政诉讼0件" in text
    assert "2024年，市政府办公室围绕" in text and "收集整理2023年度全市" in text
    assert "{{" not in text


def test_narrative_follows_the_tables(project, tmp_path):
    """Ten more applications, all disclosed: the rules still hold and the narrative moves with them."""
    table = project / "tables" / "table3.yaml"
    replace_in(table, "本年新收政府信息公开申请数量: {自然人: 243", "本年新收政府信息公开申请数量: {自然人: 253")
    replace_in(table, "（一）予以公开: {自然人: 43", "（一）予以公开: {自然人: 53")
    replace_in(project / "tables" / "table2.yaml", "规章:           {本年制发件数: 2", "规章: {本年制发件数: 3")
    replace_in(project / "tables" / "table2.yaml", "现行有效件数: 32", "现行有效件数: 33")
    assert run_cli("check", project).code == 0
    text = build(project, tmp_path)
    # (271 − 132) / 132 = 105.303…%, truncated as report.yaml asks
    assert "全年办理政府信息公开申请271件，较上年增长105.30%" in text
    assert "市政府规章3件" in text and "261" not in text


def test_rounding_is_configured_in_report_yaml(project, tmp_path):
    replace_in(project / "report.yaml", "取舍: 截断", "取舍: 四舍五入")
    assert "较上年增长97.73%" in build(project, tmp_path)


def test_year_placeholders_move_with_the_year(project, tmp_path):
    replace_in(project / "report.yaml", "年度: 2024", "年度: 2025")
    replace_in(project / STAND_IN, "年度: 2023", "年度: 2024")
    text = build(project, tmp_path)
    assert "2025年，市政府办公室围绕" in text and "收集整理2024年度全市" in text


@pytest.mark.parametrize(
    ("file", "old", "new", "wrong", "suggestion"),
    [
        ("1-overview.md", "{{表四·行政复议·总计}}", "{{表四·行政复意·总计}}", "行政复意", "行政复议"),
        ("5-problems.md", "{{年度}}年，市政府办公室", "{{年份}}年，市政府办公室", "年份", "年度"),
    ],
)
def test_typo_is_reported_at_its_column_with_a_suggestion(project, file, old, new, wrong, suggestion):
    section = project / "sections" / file
    replace_in(section, old, new)
    result = run_cli("check", project)
    assert result.code == 1
    line = line_of(section, wrong)
    column = section.read_text(encoding="utf-8").splitlines()[line - 1].index(wrong) + 1  # the wrong label itself
    assert f"{file}:{line}:{column}" in result.stdout
    assert f"是否应为“{suggestion}”" in result.stdout


def test_build_refuses_a_narrative_with_a_broken_placeholder(project, tmp_path):
    replace_in(project / "sections" / "6-other.md", "{{年度}}年度，市政府办公室办理", "{{年度年度，市政府办公室办理")
    out = tmp_path / "out.docx"
    result = run_cli("build", project, "-o", out)
    assert result.code == 1 and not out.exists()
    assert "缺少结尾的“}}”" in result.stderr


def test_a_figure_last_year_lacks(project):
    section = project / "sections" / "1-overview.md"
    replace_in(section, "较上年{{同比(", "较上年新收{{同比(表三·本年新收·总计)}}，办理{{同比(")
    result = run_cli("check", project)
    assert result.code == 1
    assert f"上年数据（{STAND_IN}）中“表三·一、本年新收政府信息公开申请数量·总计”没有数字" in result.stdout


def test_change_without_last_year(project):
    replace_in(project / "report.yaml", f"上年: {STAND_IN}", "")
    result = run_cli("check", project)
    assert result.code == 1
    assert "未设置上年数据" in result.stdout and "1-overview.md" in result.stdout


def test_missing_last_year_is_unreadable_input(project):
    replace_in(project / "report.yaml", f"上年: {STAND_IN}", "上年: ../zibo-2023")
    result = run_cli("check", project)
    assert result.code == 2
    assert f"report.yaml:{line_of(project / 'report.yaml', '上年: ../zibo-2023')}" in result.stderr
    assert "找不到" in result.stderr and "Traceback" not in result.output


def test_broken_last_year_file_names_its_line(project):
    (project / STAND_IN).write_text("年度: 2023\n表三: {四、结转下年度继续办理: {自然人: 16\n", encoding="utf-8")
    result = run_cli("check", project)
    assert result.code == 2
    assert STAND_IN in result.stderr and "Traceback" not in result.output


def test_negative_figure_last_year(project):
    replace_in(project / STAND_IN, "（七）总计: {总计: 116}", "（七）总计: {总计: -116}")
    result = run_cli("check", project)
    assert result.code == 1
    assert f"{STAND_IN}:{line_of(project / STAND_IN, '（七）总计')}" in result.stdout
    assert "不能为负数" in result.stdout


def test_r7_carry_over_differs_from_last_year(project):
    replace_in(project / STAND_IN, "{自然人: 16,", "{自然人: 15,")
    result = run_cli("check", project, "--format", "json")
    import json

    payload = json.loads(result.stdout)
    r7 = [f for f in payload["findings"] if f["rule"] == "R7"]
    assert len(r7) == 1, r7  # the 总计 column follows from 自然人 and is not reported again
    assert r7[0]["severity"] == "warning"
    assert "为 16" in r7[0]["message"] and "为 15" in r7[0]["message"]
    assert f"{STAND_IN}:{line_of(project / STAND_IN, '四、结转下年度继续办理')}" in r7[0]["message"]
    assert r7[0]["line"] == line_of(project / "tables" / "table3.yaml", "二、上年结转")
    assert run_cli("check", project, "--strict").code == 1


def test_r9_documents_in_force(project):
    """规章 cannot lapse by themselves: 30 + 2 − 4 = 28, not 32. 行政规范性文件 may lapse, but not grow."""
    replace_in(project / STAND_IN, "行政规范性文件: {现行有效件数: 49}", "规章: {现行有效件数: 30}\n    行政规范性文件: {现行有效件数: 40}")
    result = run_cli("check", project)
    assert result.code == 0  # warnings
    r9 = [line for line in result.stdout.splitlines() if "[R9]" in line]
    assert len(r9) == 2, result.stdout
    assert "30 + 本年制发 2 − 本年废止 4 应为 28" in r9[0]
    assert "40 + 本年制发 6 − 本年废止 1 应为 45" in r9[1] and "不应多于" in r9[1]


def test_lapsed_documents_are_not_a_finding():
    """The sample: 49 + 6 − 1 = 54 expected, 49 in force, because documents lapsed (note 3)."""
    result = run_cli("check", SAMPLE)
    assert result.code == 0 and "R9" not in result.stdout


def test_last_year_as_a_project(project, tmp_path):
    """A project folder as 上年: its 结转下年度 (all 0 in the sample) is compared with this 上年结转 (16)."""
    last = tmp_path / "zibo-2023"
    assert run_cli("init", last, "--issuer", "淄博市人民政府办公室", "--year", "2023").code == 0
    replace_in(project / "report.yaml", f"上年: {STAND_IN}", "上年: ../zibo-2023")
    result = run_cli("check", project)
    assert "[R7]" in result.stdout and "上年报告（zibo-2023/tables/table3.yaml:" in result.stdout
    assert "上年为 0，无法计算" in result.stdout  # 同比 of a year with no applications


@pytest.mark.parametrize(("date", "printed"), [("2025-01-20", "2025年1月20日"), ("2025年1月8日", "2025年1月8日")])
def test_date_placeholder(project, tmp_path, date, printed):
    (project / "report.yaml").write_text(
        (project / "report.yaml").read_text(encoding="utf-8") + f"成文日期: {date}\n", encoding="utf-8"
    )
    replace_in(project / "sections" / "6-other.md", "## （四）工作创新情况", "本节写于{{成文日期}}。\n\n## （四）工作创新情况")
    assert f"本节写于{printed}。" in build(project, tmp_path)


def test_bad_date_is_unreadable_input(project):
    (project / "report.yaml").write_text(
        (project / "report.yaml").read_text(encoding="utf-8") + "成文日期: 下周一\n", encoding="utf-8"
    )
    result = run_cli("check", project)
    assert result.code == 2 and "成文日期" in result.stderr


@pytest.mark.parametrize(
    ("written", "column"),
    [("导语: |\n  本报告由{{机关名称}}编制。\n", 9), ("导语: 本报告由{{机关名称}}编制。\n", 11)],
)
def test_placeholder_in_the_intro_is_located_in_report_yaml(project, written, column):
    report_yaml = project / "report.yaml"
    report_yaml.write_text(report_yaml.read_text(encoding="utf-8") + written, encoding="utf-8")
    result = run_cli("check", project)
    assert result.code == 1
    assert f"report.yaml:{line_of(report_yaml, '{{机关名称}}')}:{column}" in result.stdout


@pytest.mark.parametrize(
    ("setting", "message"),
    [("{小数位数: 9, 取舍: 截断}", "0 到 6"), ("{小数位数: 2, 取舍: 进一}", "截断 或 四舍五入"), ("两位", "小数位数")],
)
def test_bad_rounding_setting(project, setting, message):
    report_yaml = project / "report.yaml"
    replace_in(report_yaml, "百分比: {小数位数: 2, 取舍: 截断}", f"百分比: {setting}")
    result = run_cli("check", project)
    assert result.code == 2 and message in result.stderr
    assert f"report.yaml:{line_of(report_yaml, '百分比: ')}" in result.stderr


def test_last_year_cannot_be_this_project(project):
    replace_in(project / "report.yaml", f"上年: {STAND_IN}", "上年: .")
    result = run_cli("check", project)
    assert result.code == 2 and "不是本项目" in result.stderr


def test_last_year_of_the_wrong_year(project):
    replace_in(project / STAND_IN, "年度: 2023", "年度: 2022")
    result = run_cli("check", project)
    assert result.code == 0
    assert "上年数据是2022年度的，本报告是2024年度" in result.stdout


def test_unknown_table_in_last_years_figures(project):
    replace_in(project / STAND_IN, "表三:", "表叁:")
    result = run_cli("check", project)
    assert result.code == 1
    assert f"{STAND_IN}:{line_of(project / STAND_IN, '表叁')}" in result.stdout and "表三" in result.stdout
