"""Every rule, broken exactly once, yields exactly that finding at the right file and line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import SAMPLE, line_of, replace_in, run_cli
from zbreport.assemble import assemble
from zbreport.check.rules import check_report
from zbreport.format import GB2021
from zbreport.read.project import load_project


def findings_of(project: Path):
    """What `check` reports: the reader's findings, the rules', and the placeholders' (filled when assembled)."""
    loaded = load_project(project, GB2021)
    return check_report(loaded.report, loaded.findings) + assemble(loaded.report).findings


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
    assert finding.message == "“表三·（一）予以公开·总计”填写为 45，各申请人列相加为 43+1 = 44，相差 1"
    assert finding.location.line == line_of(table, "（一）予以公开")
    assert finding.location.column == line_of_column(table, "总计: 45")


def line_of_column(path: Path, needle: str) -> int:
    line = path.read_text(encoding="utf-8").splitlines()[line_of(path, needle) - 1]
    return line.index(needle) + len("总计: ") + 1


def test_r4_typed_results_total_disagrees(project):
    """A typed （七）总计 off by one breaks R4 and R1 alike: one finding names the cell both run through."""
    table = project / "tables" / "table3.yaml"
    replace_in(table, "  （六）其他处理:", "  （七）总计: {自然人: 260}\n  （六）其他处理:")
    finding = only(findings_of(project))
    assert finding.rule == "R1/R4"
    assert finding.message.startswith("“表三·（七）总计·自然人”填写为 260，3项核对都相差 1")
    assert "R4：“表三·（七）总计·自然人”为 260，各项办理结果相加为 43+2+1+188+15+10 = 259" in finding.message
    assert "R1：自然人列 一+二 为 259，三（七）总计+四 为 260" in finding.message
    assert "R1：总计列 一+二 为 261，三（七）总计+四 为 262" in finding.message  # the computed 总计 carries it
    assert finding.message.endswith("若其余数字无误，此格应为 259")
    assert finding.location.line == line_of(table, "  （七）总计:")
    assert finding.cells == (("results_total", "natural_person"),)


def test_r5_review_total(project):
    table = project / "tables" / "table4.yaml"
    replace_in(table, "尚未审结: 0}\n行政诉讼", "尚未审结: 0, 总计: 2}\n行政诉讼")
    finding = only(findings_of(project))
    assert finding.rule == "R5"
    assert finding.location.line == line_of(table, "行政复议:")


@pytest.mark.parametrize(
    "typed, problem",
    [("-2", "不能为负数"), ("2.5", "应为整数"), ("", "未填写"), ("两件", "应为数字"), ("1000000000", "数字过大")],
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


@pytest.mark.parametrize("typed", ["/", "—", "－"])
def test_r6_dash_or_slash_is_no_count_of_applications(project, typed):
    table = project / "tables" / "table3.yaml"
    replace_in(table, "8.属于行政查询事项:         {自然人: 0", f"8.属于行政查询事项:         {{自然人: {typed}")
    finding = only(findings_of(project))
    assert finding.rule == "R6"
    assert finding.message.startswith(f"“表三·（三）不予公开·8.属于行政查询事项·自然人”不能填“{typed}”；没有发生的请填 0")
    assert "因此未能核对：R1（自然人、总计列）" in finding.message  # one finding says what it held up


def test_blank_slash_dash_and_zero_stay_distinct_in_table_two(project):
    """An organ without a power writes / or — in 表二; each is printed as typed, and 0 stays 0."""
    table = project / "tables" / "table2.yaml"
    replace_in(table, "行政许可: {本年处理决定数量: 0}", "行政许可: {本年处理决定数量: /}")
    replace_in(table, "行政强制: {本年处理决定数量: 0}", "行政强制: {本年处理决定数量: —}")
    assert findings_of(project) == []
    data = load_project(project, GB2021).report.tables["二"]
    assert [data.display(k) for k in (("licensing", "decisions"), ("coercion", "decisions"), ("penalty", "decisions"))] == ["/", "—", "0"]
    replace_in(table, "行政处罚: {本年处理决定数量: 0}", "行政处罚: {本年处理决定数量: }")
    (blank,) = findings_of(project)
    assert blank.rule == "R6" and "未填写" in blank.message
    assert load_project(project, GB2021).report.tables["二"].display(("penalty", "decisions")) == ""


def test_a_number_with_a_note_counts_and_keeps_its_note(project):
    table = project / "tables" / "table2.yaml"
    replace_in(table, "行政规范性文件: {本年制发件数: 6,", "行政规范性文件: {本年制发件数: 6（其中修订2件）,")
    replace_in(table, "第二十条第（五）项:\n  行政许可: {本年处理决定数量: 0}", "第二十条第（五）项:\n  行政许可: {本年处理决定数量: '1,234'}")
    assert findings_of(project) == []
    data = load_project(project, GB2021).report.tables["二"]
    assert data.value("normative_documents", "issued") == 6
    assert data.display(("normative_documents", "issued")) == "6（其中修订2件）"
    assert data.value("licensing", "decisions") == 1234


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


def test_damaged_label_is_read_with_a_warning(project):
    table = project / "tables" / "table3.yaml"
    replace_in(table, "2.其他法律行政法规禁止公开:", "2.其他法律行政止公开:")
    finding = only(findings_of(project))
    assert finding.rule == "label" and finding.severity.value == "warning"
    assert finding.message == "“2.其他法律行政止公开”按“2.其他法律行政法规禁止公开”读取，请核对并改正标签"
    assert finding.location.line == line_of(table, "2.其他法律行政止公开")


def test_unknown_label_is_one_finding_naming_the_missing_row(project):
    table = project / "tables" / "table3.yaml"
    replace_in(table, "8.属于行政查询事项:", "9.其他情形:")
    finding = only(findings_of(project))
    assert finding.rule == "unknown-key" and finding.is_error
    assert finding.message.startswith("无法识别“9.其他情形”；此处缺少“8.属于行政查询事项”；因此未能核对：R1（")
    assert finding.location.line == line_of(table, "9.其他情形")


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
    assert finding.rule == "missing"
    assert finding.message == (
        "缺少“（五）不予处理·2.重复申请”一行；"
        "因此未能核对：R1（自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他、总计列）"
    )
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


def test_r9_a_large_unexplained_lapse_is_a_notice(project):
    """行政规范性文件 may lapse: 60 + 6 − 1 = 65 expected, 49 in force. With a note about lapsing, nothing;
    without one, a notice with expected, actual and difference, which never fails a check."""
    previous = project / "2023年度数据.yaml"
    replace_in(previous, "行政规范性文件: {现行有效件数: 49}", "行政规范性文件: {现行有效件数: 60}")
    assert findings_of(project) == []  # the notes under 表二 speak of documents lapsing
    (project / "sections" / "2-proactive.md").write_text("注：本表按发文统计。\n", encoding="utf-8")
    finding = only(findings_of(project))
    assert finding.rule == "R9" and finding.severity.value == "notice"
    assert finding.message.startswith(
        "“表二·第二十条第（一）项·行政规范性文件·现行有效件数”为 49，按上年 60 + 本年制发 6 − 本年废止 1 应为 65，少 16（约 25%）"
    )
    assert run_cli("check", project, "--strict").code == 0
    payload = json.loads(run_cli("check", project, "--format", "json").stdout)
    assert (payload["ok"], payload["errors"], payload["warnings"], payload["notices"]) == (True, 0, 0, 1)
    assert "提示 [R9]" in run_cli("check", project).stdout


def test_r9_notice_is_left_to_check_where_the_notes_are_not_read(project):
    """preview and summary read the figures, not the notes under 表二. The sample's 5 documents fewer
    in force than 49 + 6 − 1 are explained there (到期失效), so neither may point them out; check,
    which reads the notes, does once they are gone."""
    assert "R9" not in run_cli("preview", project, "--table", "二").output
    summed = run_cli("summary", project, "-o", project.parent / "汇总", "--issuer", "某某区人民政府")
    assert summed.code == 0 and "R9" not in summed.output
    assert "R9" not in run_cli("check", project).output
    (project / "sections" / "2-proactive.md").write_text("注：本表按发文统计。\n", encoding="utf-8")
    assert "提示 [R9]" in run_cli("check", project).stdout


def test_r9_a_small_lapse_is_not_pointed_out(project):
    replace_in(project / "2023年度数据.yaml", "行政规范性文件: {现行有效件数: 49}", "行政规范性文件: {现行有效件数: 46}")
    (project / "sections" / "2-proactive.md").write_text("注：本表按发文统计。\n", encoding="utf-8")
    assert findings_of(project) == []  # 46 + 6 − 1 = 51, 49 in force: 2 fewer, under 5%


def test_r12_2019_columns_are_one_finding_naming_the_2021_ones(project):
    table = project / "tables" / "table2.yaml"
    replace_in(table, "行政许可: {本年处理决定数量: 0}", "行政许可: {上一年项目数量: 3, 本年增/减: 1, 处理决定数量: 0}")
    replace_in(table, "规章:           {本年制发件数: 2, 本年废止件数: 4, 现行有效件数: 32}",
               "规章: {本年新制作数量: 2, 本年新公开数量: 2, 对外公开总数量: 32}")
    found = findings_of(project)
    assert [f.rule for f in found] == ["R12", "R12"], [f.message for f in found]
    rules, licensing = found
    assert rules.message.startswith("“本年新制作数量”“本年新公开数量”“对外公开总数量”是2019年试行格式的写法：2021年格式第二十条第（一）项的列为：本年制发件数、本年废止件数、现行有效件数")
    assert licensing.message.startswith("“上一年项目数量”“本年增/减”是2019年试行格式的写法")
    assert "2019" not in " ".join(f.message for f in findings_of(SAMPLE))
    # 处理决定数量 is read as 本年处理决定数量: nothing is missing
    assert load_project(project, GB2021).report.tables["二"].value("licensing", "decisions") == 0


def test_a_2021_report_with_numbered_variants_is_never_called_2019(project):
    table = project / "tables" / "table3.yaml"
    for n in "123":
        replace_in(table, f"    {n}.申请人" if n != "3" else "    3.其他", f"    {n}、申请人" if n != "3" else "    3、其他")
    assert findings_of(project) == []
    data = load_project(project, GB2021).report.tables["三"]
    assert data.value("oh_other", "natural_person") == 10 and data.value("results_total", "total") == 261


def test_a_2019_single_other_handling_row_still_has_its_totals_checked(project):
    table = project / "tables" / "table3.yaml"
    text = table.read_text(encoding="utf-8")
    start, end = text.index("  （六）其他处理:"), text.index("四、结转下年度继续办理")
    row = "  （六）其他处理: {自然人: 11, 商业企业: 0, 科研机构: 0, 社会公益组织: 0, 法律服务机构: 0, 其他: 0}\n"
    table.write_text(text[:start] + row + text[end:], encoding="utf-8")
    r12, r1 = sorted(findings_of(project), key=lambda f: f.rule != "R12")
    assert r12.rule == "R12" and "1.申请人无正当理由逾期不补正" in r12.message and "分为三项" in r12.message
    assert r1.rule == "R1" and r1.message == "自然人列：一+二 = 243+16 = 259，三（七）总计+四 = 260+0 = 260，相差 1"


def test_checks_held_up_by_a_value_no_finding_is_about_get_a_finding_of_their_own(project):
    """check_report alone (without the reader's findings) still says which checks could not run."""
    table = project / "tables" / "table3.yaml"
    replace_in(table, "    2.重复申请:             {自然人: 0, 商业企业: 0, 科研机构: 0, 社会公益组织: 0, 法律服务机构: 0, 其他: 0}\n", "")
    loaded = load_project(project, GB2021)
    (unchecked,) = [f for f in check_report(loaded.report) if f.rule == "unchecked"]
    assert unchecked.severity.value == "warning" and unchecked.location.path == table
    assert unchecked.message == "表三缺少数字，未能核对：R1（自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他、总计列）"
    assert ("np_repeated", "natural_person") in unchecked.cells
