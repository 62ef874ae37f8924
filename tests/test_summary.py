"""`zbreport summary`: the district's tables as the sum of its agencies', and when it refuses to add up."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest
import yaml

from conftest import replace_in, run_cli
from test_batch import make_projects
from zbreport.format import GB2021
from zbreport.read.project import load_project


@pytest.fixture
def agencies(tmp_path):
    """各部门/ with three agencies whose figures differ: a 万元 fee each, one without rule-making power."""
    projects = make_projects(tmp_path / "各部门", 3)
    fees = ("0.5", "1.25", "0")
    for project, fee in zip(projects, fees):
        replace_in(project / "tables" / "table2.yaml", "本年收费金额（单位：万元）: 0}", f"本年收费金额（单位：万元）: {fee}}}")
    replace_in(
        projects[2] / "tables" / "table2.yaml",
        "规章:           {本年制发件数: 2, 本年废止件数: 4, 现行有效件数: 32}",
        "规章:           {本年制发件数: /, 本年废止件数: /, 现行有效件数: /}",
    )
    replace_in(projects[1] / "tables" / "table3.yaml", "二、上年结转政府信息公开申请数量: {自然人: 16", "二、上年结转政府信息公开申请数量: {自然人: 20")
    replace_in(projects[1] / "tables" / "table3.yaml", "四、结转下年度继续办理: {自然人: 0", "四、结转下年度继续办理: {自然人: 4")
    return tmp_path / "各部门"


def test_summary_adds_every_cell(agencies, tmp_path):
    out = tmp_path / "汇总"
    result = run_cli("summary", agencies, "-o", out, "--issuer", "某某区人民政府")
    assert result.code == 0, result.output
    assert "已生成汇总项目" in result.stdout and "3 个单位，2024年度" in result.stdout
    loaded = load_project(out, GB2021)
    tables = loaded.report.tables
    assert loaded.report.meta.issuer == "某某区人民政府" and loaded.report.meta.year == 2024
    assert tables["三"].value("new_received", "natural_person") == 3 * 243
    assert tables["三"].value("carried_over", "natural_person") == 16 + 20 + 16  # 上年结转 summed
    assert tables["三"].value("carried_forward", "total") == 4
    assert tables["三"].value("results_total", "total") == 3 * 261  # totals computed from the sums
    assert tables["二"].value("fees", "fee_amount") == Decimal("1.75")  # 万元 as a decimal
    assert tables["二"].value("regulations", "in_force") == 2 * 32  # 现行有效 summed; "/" adds nothing
    assert tables["二"].value("normative_documents", "in_force") == 3 * 49
    # the rules hold on the sum, and every placeholder of the draft narrative can be filled
    assert not [f for f in loaded.findings if f.is_error]
    check = run_cli("check", out)
    assert check.code == 0 and "[placeholder]" not in check.stdout
    members = yaml.safe_load((out / "report.yaml").read_text(encoding="utf-8"))["汇总"]
    assert members == [{"机关全称": f"第{n}单位", "项目": f"../各部门/单位{n}"} for n in (1, 2, 3)]
    assert "{{ 表三·本年新收·总计 }}" in (out / "sections" / "1-overview.md").read_text(encoding="utf-8")
    assert run_cli("build", out, "-o", tmp_path / "r.docx").code == 0


def test_summary_workbook_lists_each_agency_and_the_total(agencies, tmp_path):
    out = tmp_path / "汇总"
    assert run_cli("summary", agencies, "-o", out).code == 0
    book = openpyxl.load_workbook(out / "各单位明细.xlsx")
    assert book.sheetnames == ["表二", "表三", "表四", "成员单位"]
    rows = list(book["表三"].iter_rows(values_only=True))
    assert rows[0] == ("行", "单位", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
    assert rows[1:5] == [
        ("一、本年新收政府信息公开申请数量", "第1单位", 243, 2, 0, 0, 0, 0, 245),
        ("一、本年新收政府信息公开申请数量", "第2单位", 243, 2, 0, 0, 0, 0, 245),
        ("一、本年新收政府信息公开申请数量", "第3单位", 243, 2, 0, 0, 0, 0, 245),
        ("一、本年新收政府信息公开申请数量", "合计", 729, 6, 0, 0, 0, 0, 735),
    ]
    two = {(r[0], r[1]): r[2:] for r in book["表二"].iter_rows(min_row=2, values_only=True)}
    assert two[("第二十条第（一）项·规章", "第3单位")][:3] == ("/", "/", "/")
    assert two[("第二十条第（一）项·规章", "合计")][:3] == (4, 8, 64)
    assert two[("第二十条第（八）项·行政事业性收费", "合计")][4] == 1.75
    members = list(book["成员单位"].iter_rows(min_row=2, values_only=True))
    assert [m[1] for m in members] == ["第1单位", "第2单位", "第3单位"]


def test_a_row_every_agency_marks_not_applicable_stays_so(tmp_path):
    projects = make_projects(tmp_path / "乡镇", 2)
    for project in projects:
        replace_in(
            project / "tables" / "table2.yaml",
            "规章:           {本年制发件数: 2, 本年废止件数: 4, 现行有效件数: 32}",
            "规章:           {本年制发件数: /, 本年废止件数: /, 现行有效件数: /}",
        )
    out = tmp_path / "汇总"
    assert run_cli("summary", tmp_path / "乡镇", "-o", out).code == 0
    assert "规章: {本年制发件数: /, 本年废止件数: /, 现行有效件数: /}" in (out / "tables" / "table2.yaml").read_text(encoding="utf-8")


def test_summary_refuses_to_mix_years(agencies, tmp_path):
    replace_in(agencies / "单位2" / "report.yaml", "年度: 2024", "年度: 2023")
    result = run_cli("summary", agencies, "-o", tmp_path / "汇总")
    assert result.code == 2
    assert "年度不一致" in result.stderr and "2023年度 1 个（第2单位）" in result.stderr
    assert not (tmp_path / "汇总").exists()


def test_summary_names_a_project_included_twice(agencies, tmp_path):
    result = run_cli("summary", agencies, agencies / "单位2", "-o", tmp_path / "汇总")
    assert result.code == 2 and "单位2 列入了两次" in result.stderr
    copy = tmp_path / "副本"
    copy.mkdir()
    import shutil

    shutil.copytree(agencies / "单位1", copy / "单位1")
    result = run_cli("summary", agencies, copy, "-o", tmp_path / "汇总")
    assert result.code == 2 and "“第1单位”有 2 个项目" in result.stderr
    assert not (tmp_path / "汇总").exists()


def test_summary_refuses_members_with_errors_unless_forced(agencies, tmp_path):
    replace_in(agencies / "单位3" / "tables" / "table3.yaml", "（一）予以公开: {自然人: 43", "（一）予以公开: {自然人: 42")
    out = tmp_path / "汇总"
    result = run_cli("summary", agencies, "-o", out)
    assert result.code == 1
    assert "第3单位（1 个错误）" in result.stderr and "--force" in result.stderr
    assert "[R1]" in result.stdout, "the member's findings are listed"
    assert not out.exists()
    forced = run_cli("summary", agencies, "-o", out, "--force")
    assert forced.code == 1, "written, but the sum breaks R1 too"
    assert (out / "tables" / "table3.yaml").is_file() and "汇总结果的检查" in forced.stdout


def test_summary_refuses_an_unreadable_member_even_forced(agencies, tmp_path):
    (agencies / "单位2" / "report.yaml").write_text("机关全称: [\n", encoding="utf-8")
    result = run_cli("summary", agencies, "-o", tmp_path / "汇总", "--force")
    assert result.code == 2 and "无法读取" in result.stderr


def test_summary_never_overwrites(agencies, tmp_path):
    out = tmp_path / "汇总"
    out.mkdir()
    (out / "keep.txt").write_text("x", encoding="utf-8")
    result = run_cli("summary", agencies, "-o", out)
    assert result.code == 3
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]
    assert run_cli("summary", agencies).code == 2
