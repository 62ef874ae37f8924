"""Depth, size and value bounds: what the readers accept is bounded, large legal input stays linear,
and a value no report can hold is an error at its place."""

from __future__ import annotations

import json
import time
import tracemalloc

import pytest

from conftest import line_of, replace_in, run_cli
from docx_reading import open_docx
from zbreport.figures import FigureError, fill, names_only_scope
from zbreport.format import GB2021
from zbreport.model import Placeholder
from zbreport.read import placeholders
from zbreport.read.markdown import parse_markdown

STAND_IN = "2023年度数据.yaml"


def findings_of(project) -> tuple[int, list[dict]]:
    result = run_cli("check", project, "--format", "json")
    return result.code, json.loads(result.stdout)["findings"]


# ---------------------------------------------------------------- YAML


@pytest.mark.parametrize(
    "text",
    ["a:\n" + "".join("  " * i + " k:\n" for i in range(1, 1000)), "a: " + "[" * 1000 + "]" * 1000, "a: " + "{b: " * 1000 + "1" + "}" * 1000],
    ids=["block", "flow-list", "flow-map"],
)
def test_yaml_nested_a_thousand_deep(project, text):
    (project / "tables" / "table4.yaml").write_text(text, encoding="utf-8")
    result = run_cli("check", project)
    assert result.code == 2
    assert "table4.yaml:" in result.stderr and "嵌套过深" in result.stderr


@pytest.mark.parametrize("where", ["report.yaml", "tables/table3.yaml", STAND_IN])
def test_a_python_tag_is_refused_by_name(project, where):
    path = project / where
    path.write_text(path.read_text(encoding="utf-8") + "x: !!python/object/apply:os.system ['touch pwned']\n", encoding="utf-8")
    result = run_cli("check", project)
    assert result.code == 2
    assert f"{path.name}:{line_of(path, 'python/object')}:4" in result.stderr
    assert "!!python/object/apply:os.system" in result.stderr
    assert not (project / "pwned").exists()


def test_a_self_referring_anchor_is_read_once(project):
    table = project / "tables" / "table4.yaml"
    table.write_text(table.read_text(encoding="utf-8") + "x: &a [*a, *a]\n", encoding="utf-8")
    code, findings = findings_of(project)
    assert code == 1 and any("无法识别“x”" in f["message"] for f in findings)


# ---------------------------------------------------------------- placeholders


@pytest.mark.parametrize(
    ("inside", "message"),
    [
        ("(" * 400 + "年度" + ")" * 400, "过长"),
        ("(" * 30 + "年度" + ")" * 30, "括号嵌套过深"),
        ("上年(" * 30 + "年度" + ")" * 30, "括号嵌套过深"),
        ("+".join(["1"] * 3000), "过长"),
        ("+".join(["1"] * 150), "名称和数字过多"),
        ("9" * 4400, "过长"),
        ("9" * 16, "数字过长"),
    ],
    ids=["400-brackets", "30-brackets", "30-calls", "3000-terms", "150-terms", "4400-digits", "16-digits"],
)
def test_placeholder_bounds(inside, message):
    with pytest.raises(FigureError) as caught:
        fill("{{" + inside + "}}", names_only_scope(GB2021))
    assert message in caught.value.message


def test_placeholders_within_bounds_still_work():
    scope = names_only_scope(GB2021)
    assert fill("{{" + "(" * 19 + "年度" + ")" * 19 + "}}", scope) == "2000"
    assert fill("{{" + "+".join(["1"] * 99) + "}}", scope) == "99"
    assert fill("{{ 999999999999999 - 999999999999998 }}", scope) == "1"


def test_a_percentage_beyond_decimal_precision_is_a_message(project):
    """A table value of 10^29 (reported by R6) must not break the placeholder reading it."""
    replace_in(project / "tables" / "table3.yaml", "{自然人: 243", "{自然人: 1" + "0" * 29)
    replace_in(project / "sections" / "1-overview.md", "{{年度}}年", "{{占比(表三·本年新收·总计, 1)}}{{年度}}年")
    code, findings = findings_of(project)
    assert code == 1
    assert any(f["rule"] == "R6" and "数字过大" in f["message"] for f in findings)
    assert any(f["rule"] == "placeholder" and "数字过大" in f["message"] for f in findings)


def test_150000_braces_on_one_line(project):
    replace_in(project / "sections" / "1-overview.md", "{{年度}}年", "{" * 150_000 + "{{年度}}年")
    tracemalloc.start()
    started = time.monotonic()
    try:
        code, findings = findings_of(project)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 20
    assert peak < 200 * 1024 * 1024, f"{peak / 2**20:.0f} MB"
    assert code == 1
    (problem,) = [f for f in findings if f["rule"] == "placeholder"]
    assert problem["line"] == 1 and problem["column"] <= 3 and len(problem["message"]) < 200


def test_many_placeholders_are_located_in_linear_time():
    text = "{{ 年度 }}" * 20_000
    started = time.monotonic()
    (paragraph,) = parse_markdown(text, path=None)
    assert time.monotonic() - started < 5
    assert sum(1 for node in paragraph.content if isinstance(node, Placeholder)) == 20_000


def test_a_paragraph_of_many_lines_is_read_in_linear_time():
    started = time.monotonic()
    (paragraph,) = parse_markdown("甲 *乙*\n" * 40_000, path=None)
    assert time.monotonic() - started < 10
    assert paragraph.text.startswith("甲 乙甲 乙")


def test_unclosed_placeholder_scanning_is_linear():
    started = time.monotonic()
    assert placeholders.find_placeholders("{{" * 200_000) == []
    assert placeholders.find_placeholders("{{a}}{{b" + "{" * 200_000) == [(0, 5)]
    assert time.monotonic() - started < 2


# ---------------------------------------------------------------- Markdown tables


def _markdown_table(rows: int, columns: int) -> str:
    lines = ["| " + " | ".join(f"列{c}" for c in range(columns)) + " |", "|" + "---|" * columns]
    lines += ["| " + " | ".join(str(r * c) for c in range(columns)) + " |" for r in range(rows)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(("rows", "columns"), [(200, 200), (2, 2000)], ids=["200x200", "2x2000"])
def test_a_large_markdown_table_builds_in_seconds(project, rows, columns):
    section = project / "sections" / "6-other.md"
    section.write_text(section.read_text(encoding="utf-8") + "\n" + _markdown_table(rows, columns), encoding="utf-8")
    out = project / "out.docx"
    started = time.monotonic()
    result = run_cli("build", project, "-o", out)
    elapsed = time.monotonic() - started
    assert result.code == 0, result.output
    assert elapsed < 60, f"{elapsed:.0f} s: table writing is no longer linear"
    table = open_docx(out).tables[-1]
    assert len(table.rows) == rows + 1 and len(table.columns) == columns
    assert table.rows[-1].cells[-1].text == str((rows - 1) * (columns - 1))


# ---------------------------------------------------------------- values


@pytest.mark.parametrize(
    ("value", "message"),
    [("1e30", "应为数字"), ("03", "不应以 0 开头"), ("-0", "不能为负数"), ("1.5", "应为整数件数"), ("1" + "0" * 9 + "1", "数字过大"), ("9" * 4400, "数字过大")],
)
def test_values_no_report_holds_in_last_years_figures(project, value, message):
    replace_in(project / STAND_IN, "（七）总计: {总计: 116}", f"（七）总计: {{总计: {value}}}")
    code, findings = findings_of(project)
    assert code == 1
    (problem,) = [f for f in findings if f["rule"] == "previous"]
    assert message in problem["message"] and len(problem["message"]) < 200
    assert problem["file"].endswith(STAND_IN) and problem["line"] == line_of(project / STAND_IN, "（七）总计")


@pytest.mark.parametrize(("value", "message"), [("03", "请写作 3"), ("-0", "不能为负数"), ("０３", "不应以 0 开头")])
def test_values_no_report_holds_in_this_years_tables(project, value, message):
    table = project / "tables" / "table3.yaml"
    replace_in(table, "{自然人: 243", "{自然人: " + value)
    code, findings = findings_of(project)
    assert code == 1
    (problem,) = [f for f in findings if f["rule"] == "R6"]
    assert message in problem["message"] and problem["line"] == line_of(table, "一、本年新收")


@pytest.mark.parametrize(("written", "message"), [("'   '", "未填写：请写明"), ("", "未填写"), ('"\\t"', "未填写")])
def test_a_blank_issuer(project, written, message):
    report = project / "report.yaml"
    replace_in(report, "机关全称: 淄博市人民政府办公室", f"机关全称: {written}")
    result = run_cli("build", project)
    assert result.code == 2
    assert f"report.yaml:{line_of(report, '机关全称')}:" in result.stderr and message in result.stderr


def test_init_with_a_blank_issuer(tmp_path):
    result = run_cli("init", tmp_path / "new", "--issuer", "   ", "--year", "2025")
    assert result.code == 2 and "机关全称" in result.stderr and "未填写" in result.stderr
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize("date", ["2025-02-30", "2025年13月1日", "2023-02-29"])
def test_a_date_that_does_not_exist(project, date):
    report = project / "report.yaml"
    replace_in(report, "年度: 2024", f"年度: 2024\n成文日期: {date}")
    result = run_cli("check", project)
    assert result.code == 2
    assert f"report.yaml:{line_of(report, '成文日期')}:" in result.stderr and "不是真实的日期" in result.stderr


def test_a_leap_day_exists(project):
    replace_in(project / "report.yaml", "年度: 2024", "年度: 2024\n成文日期: 2024-02-29")
    assert run_cli("check", project).code == 0


def test_preview_of_a_cell_holding_a_pasted_page(project):
    table = project / "tables" / "table3.yaml"
    replace_in(table, "{自然人: 243", "{自然人: " + "甲" * 1_000_000)
    started = time.monotonic()
    result = run_cli("preview", project, "--table", "三")
    assert time.monotonic() - started < 20
    assert result.code == 0 and "甲" * 39 + "…" in result.stdout
    assert result.stdout.count("\n") < 200
