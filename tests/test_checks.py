"""Every rule, broken exactly once, yields exactly that finding at the right file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SAMPLE, line_of, replace_in
from zbreport.assemble import assemble
from zbreport.check.rules import check_report
from zbreport.format import GB2021
from zbreport.read.project import load_project


def findings_of(project: Path):
    """What `check` reports: the reader's findings, the rules', and the placeholders' (filled when assembled)."""
    loaded = load_project(project, GB2021)
    return loaded.findings + check_report(loaded.report) + assemble(loaded.report).findings


def only(findings):
    assert len(findings) == 1, [f.message for f in findings]
    return findings[0]


def test_sample_is_clean():
    assert findings_of(SAMPLE) == []


def test_r1_column_out_of_balance(project):
    table = project / "tables" / "table3.yaml"
    replace_in(table, "（一）予以公开: {自然人: 43", "（一）予以公开: {自然人: 42")
    finding = only(findings_of(project))
    assert finding.rule == "R1" and finding.is_error
    assert finding.message == "自然人列：一+二 = 243+16 = 259，三（七）总计+四 = 258+0 = 258，相差 1"
    assert finding.location.path == table
    assert finding.location.line == line_of(table, "一、本年新收")


def test_r3_typed_row_total_disagrees(project):
    table = project / "tables" / "table3.yaml"
    replace_in(table, "  （一）予以公开: {自然人: 43, 商业企业: 1, 科研机构: 0, 社会公益组织: 0, 法律服务机构: 0, 其他: 0}",
               "  （一）予以公开: {自然人: 43, 商业企业: 1, 科研机构: 0, 社会公益组织: 0, 法律服务机构: 0, 其他: 0, 总计: 45}")
    finding = only(findings_of(project))
    assert finding.rule == "R3"
    assert "“（一）予以公开·总计”填写为 45" in finding.message and "43+1 = 44" in finding.message and "相差 1" in finding.message
    assert finding.location.line == line_of(table, "（一）予以公开")
    assert finding.location.column == line_of_column(table, "总计: 45")


def line_of_column(path: Path, needle: str) -> int:
    line = path.read_text(encoding="utf-8").splitlines()[line_of(path, needle) - 1]
    return line.index(needle) + len("总计: ") + 1


def test_r4_typed_results_total_disagrees(project):
    table = project / "tables" / "table3.yaml"
    replace_in(table, "  （六）其他处理:", "  （七）总计: {自然人: 260}\n  （六）其他处理:")
    finding = only(findings_of(project))
    assert finding.rule == "R4"
    assert "“（七）总计·自然人”填写为 260" in finding.message and "应为" in finding.message and "259" in finding.message
    assert finding.location.line == line_of(table, "  （七）总计:")


def test_r5_review_total(project):
    table = project / "tables" / "table4.yaml"
    replace_in(table, "尚未审结: 0}\n行政诉讼", "尚未审结: 0, 总计: 2}\n行政诉讼")
    finding = only(findings_of(project))
    assert finding.rule == "R5"
    assert finding.location.line == line_of(table, "行政复议:")


@pytest.mark.parametrize(
    "typed, problem",
    [("-2", "不能为负数"), ("2.5", "应为整数"), ("", "未填写"), ("两件", "应为数字"), ("/", "不能填“/”")],
)
def test_r6_bad_counts(project, typed, problem):
    table = project / "tables" / "table2.yaml"
    replace_in(table, "行政许可: {本年处理决定数量: 0}", f"行政许可: {{本年处理决定数量: {typed}}}")
    finding = only(findings_of(project))
    assert finding.rule == "R6"
    assert problem in finding.message and "行政许可" in finding.message
    assert finding.location.line == line_of(table, "行政许可")


def test_r6_slash_allowed_for_rules_without_rule_making_power(project):
    table = project / "tables" / "table2.yaml"
    replace_in(table, "规章:           {本年制发件数: 2, 本年废止件数: 4, 现行有效件数: 32}",
               "规章: {本年制发件数: /, 本年废止件数: /, 现行有效件数: /}")
    # The narrative cites the number of rules issued; with "/" there is none to cite.
    (cited,) = [f for f in findings_of(project) if f.rule == "placeholder"]
    assert "规章·本年制发件数" in cited.message and "没有数字" in cited.message
    replace_in(project / "sections" / "1-overview.md", "市政府规章{{表二·规章·本年制发件数}}件、", "")
    assert findings_of(project) == []
    assert load_project(project, GB2021).report.tables["二"].display(("regulations", "issued")) == "/"


def test_r6_fee_may_be_decimal(project):
    replace_in(project / "tables" / "table2.yaml", "本年收费金额（单位：万元）: 0", "本年收费金额（单位：万元）: 1.25")
    assert findings_of(project) == []
    assert load_project(project, GB2021).report.tables["二"].display(("fees", "fee_amount")) == "1.25"


def test_r10_unpaid_fee_closures_without_fee_notices(project):
    replace_in(project / "sections" / "6-other.md", "没有收取信息处理费。", "没有收取信息处理费，也未发出收费通知。")
    table = project / "tables" / "table3.yaml"
    replace_in(table, "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请: {自然人: 0",
               "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请: {自然人: 1")
    replace_in(table, "3.其他: {自然人: 10", "3.其他: {自然人: 9")
    finding = only(findings_of(project))
    assert finding.rule == "R10" and not finding.is_error
    assert finding.location.line == line_of(table, "2.申请人逾期未按收费通知")


def test_r12_2019_procurement_block(project):
    table = project / "tables" / "table2.yaml"
    with table.open("a", encoding="utf-8") as f:
        f.write("第二十条第（九）项:\n  政府集中采购: {采购项目数量: 0, 采购总金额: 0}\n")
    finding = only(findings_of(project))
    assert finding.rule == "R12" and "2019" in finding.message
    assert finding.location.line == line_of(table, "第二十条第（九）项")


def test_r12_single_other_handling_row(project):
    table = project / "tables" / "table3.yaml"
    text = table.read_text(encoding="utf-8")
    start = text.index("  （六）其他处理:")
    end = text.index("四、结转下年度继续办理")
    table.write_text(text[:start] + "  （六）其他处理: {自然人: 10, 商业企业: 0, 科研机构: 0, 社会公益组织: 0, 法律服务机构: 0, 其他: 0}\n" + text[end:], encoding="utf-8")
    finding = only(findings_of(project))
    assert finding.rule == "R12" and "分为三项" in finding.message
    assert finding.location.line == line_of(table, "  （六）其他处理:")


def test_unknown_label_suggests_the_official_one(project):
    table = project / "tables" / "table3.yaml"
    replace_in(table, "1.本机关不掌握相关政府信息:", "1.本机关不掌握政府信息:")
    findings = findings_of(project)
    unknown = [f for f in findings if f.rule == "unknown-key"]
    assert len(unknown) == 1
    assert "是否应为“1.本机关不掌握相关政府信息”" in unknown[0].message
    assert unknown[0].location.line == line_of(table, "1.本机关不掌握政府信息")
    missing = [f for f in findings if f.rule == "missing"]
    assert len(missing) == 1 and "一行" in missing[0].message
    assert {f.rule for f in findings} == {"unknown-key", "missing"}


def test_label_variants_are_accepted(project):
    table = project / "tables" / "table3.yaml"
    replace_in(table, "1.申请人无正当理由逾期不补正、行政机关", "1.申请人无正当理由逾期不补正，行政机关")
    replace_in(table, "3.危及“三安全一稳定”", '3.危及"三安全一稳定"')
    assert findings_of(project) == []


def test_duplicate_key_is_reported(project):
    table = project / "tables" / "table4.yaml"
    replace_in(table, "行政复议: {结果维持: 0,", "行政复议: {结果维持: 0, 结果维持: 5,")
    finding = only(findings_of(project))
    assert finding.rule == "duplicate-key" and "结果维持" in finding.message
    assert finding.location.line == line_of(table, "行政复议: {")


def test_missing_row(project):
    table = project / "tables" / "table3.yaml"
    replace_in(table, "    2.重复申请:             {自然人: 0, 商业企业: 0, 科研机构: 0, 社会公益组织: 0, 法律服务机构: 0, 其他: 0}\n", "")
    finding = only(findings_of(project))
    assert finding.rule == "missing" and "（五）不予处理 2.重复申请" in finding.message
    assert finding.location.line == line_of(table, "  （五）不予处理:")


def test_missing_section_file(project):
    (project / "sections" / "5-problems.md").unlink()
    finding = only(findings_of(project))
    assert finding.rule == "missing-section" and "五、存在的主要问题及改进情况" in finding.message


def test_missing_table_file(project):
    (project / "tables" / "table4.yaml").unlink()
    finding = only(findings_of(project))
    assert finding.rule == "missing-file" and "表四" in finding.message


def test_drifted_section_title_warns(project):
    overview = project / "sections" / "1-overview.md"
    overview.write_text("# 一、政府信息公开总体情况\n\n" + overview.read_text(encoding="utf-8"), encoding="utf-8")
    finding = only(findings_of(project))
    assert finding.rule == "section-title" and not finding.is_error
    assert finding.location.line == 1
