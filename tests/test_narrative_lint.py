"""Figures typed by hand in the narrative (R8), drafts copied by init --from, and R10 read clause by clause."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import replace_in, run_cli
from zbreport.check.narrative import Vocabulary, mentions
from zbreport.check.rules import says_no_fee_notice
from zbreport.format import GB2021

APPLICATIONS = "sections/3-applications.md"


def findings(project: Path, rule: str | None = None) -> list[dict]:
    result = run_cli("check", project, "--format", "json")
    payload = json.loads(result.stdout)
    return [f for f in payload["findings"] if rule is None or f["rule"] == rule]


def write(project: Path, text: str, name: str = APPLICATIONS) -> Path:
    path = project / name
    path.write_text(text, encoding="utf-8")
    return path


def where(path: Path, needle: str) -> tuple[int, int]:
    """Line and column (from 1) of `needle` in `path`."""
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(needle)


def test_a_figure_that_disagrees_is_pointed_out_at_its_column(project):
    path = write(project, "一是认真办理。全年共收到政府信息公开申请240件，均按时答复。\n")
    (finding,) = findings(project)
    assert finding["severity"] == "warning" and finding["rule"] == "R8"
    assert (finding["line"], finding["column"]) == where(path, "240件")
    assert finding["file"].endswith(APPLICATIONS)
    assert finding["message"] == (
        "正文“全年共收到政府信息公开申请240件”与表格不一致：本年新收申请按表格为 245（{{表三·本年新收·总计}}），"
        "正文写的是 240；写成占位符 {{表三·本年新收·总计}} 即与表格一致"
    )


def test_figures_that_agree_are_silent(project):
    write(
        project,
        "全年共收到政府信息公开申请245件，其中自然人申请243件、法人或其他组织申请2件。"
        "全年办理政府信息公开申请261件，予以公开44件，部分公开0件。上年结转申请16件，结转下年度0件。\n\n"
        "- 行政复议0件\n- 行政诉讼0件\n\n制发规范性文件6件，现行有效规章32件。\n",
    )
    assert findings(project) == []


@pytest.mark.parametrize(
    "text",
    [
        "2024年1月1日至2024年12月31日，共收到申请。",
        "按照《通知》（鲁政办发〔2024〕2号）的部署，印发工作提醒2期。",
        "全年审核稿件1500余篇，编发400余篇，培训1000余人。",
        "新收政府信息公开申请较上年增加12件，同比增长97.72%。",
        "全年新收政府信息公开申请近300件。",
        "另协助办理省政府信息公开申请28件；全市共收到政府信息公开申请5000件。",
        "新收政府信息公开申请{{表三·本年新收·总计}}件，行政复议{{表四·行政复议·总计}}件。",
        "对全市47部地方性法规和35部市政府规章中涉及信息公开的条款逐条梳理。",
        "没有收取信息处理费，发出收费通知1件。",
    ],
)
def test_numbers_that_are_not_table_figures_are_never_flagged(project, text):
    write(project, text + "\n")
    assert findings(project) == []


def test_a_number_equal_to_something_else_the_words_may_count_is_a_notice(project):
    path = write(project, "新收申请261件。\n")
    (finding,) = findings(project)
    assert finding["severity"] == "notice" and (finding["line"], finding["column"]) == where(path, "261")
    assert "等于新收与上年结转之和（{{表三·本年新收·总计 + 表三·上年结转·总计}}）" in finding["message"]
    assert "不是本年新收申请（{{表三·本年新收·总计}} 为 245）" in finding["message"]
    assert run_cli("check", project, "--strict").code == 0  # a notice never fails


def test_applicant_columns_and_their_sub_totals(project):
    write(project, "收到政府信息公开申请245件，其中自然人申请240件、法人或其他组织申请5件。\n")
    found = findings(project)
    assert [f["message"].split("：", 1)[1].split("按表格为")[0] for f in found] == [
        "本年新收申请（自然人）", "本年新收申请（法人或其他组织）"
    ]
    assert "{{表三·本年新收·总计 - 表三·本年新收·自然人}}" in found[1]["message"]


def test_numbers_in_lists_tables_and_headings_are_read(project):
    path = write(project, "## （一）行政复议3件\n\n- 行政诉讼2件\n\n| 事项 | 数量 |\n|---|---|\n| 予以公开 | 40件 |\n")
    found = findings(project)
    assert [(f["line"], f["column"]) for f in found] == [where(path, "3件"), where(path, "2件"), where(path, "40件")]
    assert all(f["severity"] == "warning" for f in found)


def test_a_figure_in_a_run_in_heading_s_paragraph_is_at_its_own_line(project):
    # The heading and the paragraph print as one paragraph, read as one text: the figure is
    # still found on the line it is typed on, whichever of the two holds it.
    path = write(project, "## （一）受理情况：\n\n一是认真办理。全年共收到政府信息公开申请240件。\n\n## （二）复议3件：\n\n均已办结。\n")
    found = findings(project, "R8")
    assert [(f["line"], f["column"]) for f in found] == [where(path, "240件"), where(path, "3件")]
    assert where(path, "240件")[0] == 3


def test_repeated_numbers_are_each_located(project):
    path = write(project, "行政复议1件。\n\n行政诉讼1件。\n")
    lines = [f["line"] for f in findings(project)]
    assert lines == [where(path, "复议")[0], where(path, "诉讼")[0]]


def test_a_written_intro_is_linted_in_report_yaml(project):
    report = project / "report.yaml"
    report.write_text(report.read_text(encoding="utf-8") + "导语: |\n  本年度共收到政府信息公开申请200件。\n", encoding="utf-8")
    (finding,) = findings(project)
    assert finding["file"].endswith("report.yaml") and (finding["line"], finding["column"]) == where(report, "200")


def test_mentions_skip_what_is_not_a_count():
    words = Vocabulary.of(GB2021)
    assert [m.number for m in mentions("收到申请245件，2024年收到申请3期，收到申请5余件", words)] == [245]
    assert [str(m.number) for m in mentions("行政事业性收费1.5万元，行政事业性收费2件", words)] == ["1.5"]


# ---------------------------------------------------------------- drafts from init --from


def test_draft_is_flagged_until_its_marker_goes(tmp_path, project):
    write(project, "全年共收到政府信息公开申请245件。\n")
    folder = tmp_path / "next"
    assert run_cli("init", folder, "--from", project).code == 0
    drafts = findings(folder, "draft")
    assert len(drafts) == 6 and all(f["line"] == 1 and f["column"] == 1 for f in drafts)
    (stale,) = findings(folder, "R8")
    assert "正文写的是 245，与上年报告的这一数字相同，可能是未改写的上年数字" in stale["message"]
    section = folder / APPLICATIONS
    section.write_text(section.read_text(encoding="utf-8").split("\n", 2)[2], encoding="utf-8")  # the marker goes
    assert len(findings(folder, "draft")) == 5
    assert "上年报告的这一数字" in findings(folder, "R8")[0]["message"]  # still last year's figure


# ---------------------------------------------------------------- R10, clause by clause


@pytest.mark.parametrize(
    "text",
    ["本年度未发出收费通知。", "没有发出信息处理费收费通知，也未收取费用。", "发出收费通知0件，收取0元。", "无收费通知。", "收费通知：0"],
)
def test_no_fee_notice_is_read(text):
    assert says_no_fee_notice(text)


@pytest.mark.parametrize(
    "text",
    [
        "没有收取信息处理费，发出收费通知1件",
        "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "未收取信息处理费。",
        "发出收费通知10件。",
    ],
)
def test_what_is_not_a_no_fee_notice(text):
    assert not says_no_fee_notice(text)


def _fee_closures(project: Path, count: int) -> None:
    table = project / "tables" / "table3.yaml"
    replace_in(table, "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请: {自然人: 0",
               f"2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请: {{自然人: {count}")
    replace_in(table, "3.其他: {自然人: 10", f"3.其他: {{自然人: {10 - count}")


def test_r10_reads_list_items(project):
    write(project, "## （一）信息处理费收取情况\n\n- 发出收费通知：0件\n- 收取信息处理费：0元\n", "sections/6-other.md")
    _fee_closures(project, 1)
    (finding,) = findings(project)
    assert finding["rule"] == "R10" and finding["severity"] == "warning"
    assert "sections/6-other.md:3" in finding["message"] and "表三·（六）其他处理·2." in finding["message"]


@pytest.mark.parametrize("text", ["没有收取信息处理费，发出收费通知1件。", "对申请人逾期未按收费通知要求缴纳费用的，不再处理其申请。"])
def test_r10_does_not_fire_on_a_notice_sent(project, text):
    write(project, text + "\n", "sections/6-other.md")
    _fee_closures(project, 1)
    assert findings(project) == []
