"""`zbreport preview` in an 80-column terminal: the numbers, the merged headers, the problems."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

import agency_documents as agency
from conftest import SAMPLE, replace_in, run_cli
from docx_reading import open_docx, table_after_heading, text_grid
from zbreport.assemble import assemble
from zbreport.check.rules import check_report
from zbreport.format import GB2021
from zbreport.read.project import load_project
from zbreport.write.terminal import ERROR_STYLE, NOT_AT_LINE_END, NOT_AT_LINE_START, _wrap, draw_table, narrowest_line


def lines_of(output: str) -> list[str]:
    return output.splitlines()


def test_preview_fits_80_columns_and_shows_every_table():
    result = run_cli("preview", SAMPLE, env={"COLUMNS": "80"})
    assert result.code == 0, result.output
    lines = lines_of(result.stdout)
    assert max(cell_len(line) for line in lines) <= 80
    for title in ("二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"):
        assert title in lines
    assert "\x1b[" not in result.stdout, "plain text when not a terminal"


def test_preview_table_three_rows_read_across():
    result = run_cli("preview", SAMPLE, "--table", "三", env={"COLUMNS": "80"})
    rows = {}
    for line in lines_of(result.stdout):
        cells = [c.strip() for c in line.strip("│").split("│")]
        if len(cells) >= 8 and cells[-1].isdigit():
            rows[cells[-8]] = cells[-7:]
    assert rows["一、本年新收政府信息公开申请数量"] == ["243", "2", "0", "0", "0", "0", "245"]
    assert rows["（七）总计"] == ["259", "2", "0", "0", "0", "0", "261"]
    assert rows["1.本机关不掌握相关政府信息"] == ["188", "1", "0", "0", "0", "0", "189"]
    assert "二、主动公开政府信息情况" not in result.stdout


def test_preview_draws_merged_headers():
    lines = lines_of(run_cli("preview", SAMPLE, "--table", "四", env={"COLUMNS": "80"}).stdout)
    header = next(line for line in lines if "行政复议" in line and line.startswith("│"))
    # one cell spans the five review columns, one the ten litigation columns: no inner borders
    assert [c.strip() for c in header.strip("│").split("│")] == ["行政复议", "行政诉讼"]
    assert sum("┬" in line for line in lines[:4]) >= 1


def test_preview_splits_table_four_when_narrow():
    result = run_cli("preview", SAMPLE, "--table", "四", env={"COLUMNS": "60"})
    lines = lines_of(result.stdout)
    assert max(cell_len(line) for line in lines) <= 60
    assert sum(line.startswith("┌") for line in lines) == 2


def test_table_four_is_one_grid_from_76_columns_as_the_readme_says():
    for width, grids in (("75", 2), ("76", 1), ("80", 1)):
        lines = lines_of(run_cli("preview", SAMPLE, "--table", "四", env={"COLUMNS": width}).stdout)
        assert sum(line.startswith("┌") for line in lines) == grids, width


def test_preview_lists_findings_under_their_table(project):
    replace_in(project / "tables" / "table3.yaml", "（一）予以公开: {自然人: 43", "（一）予以公开: {自然人: 42")
    result = run_cli("preview", project, "--table", "三", env={"COLUMNS": "80"})
    assert result.code == 0
    lines = lines_of(result.stdout)
    assert max(cell_len(line) for line in lines) <= 80
    below = "".join(lines[next(i for i, line in enumerate(lines) if line.startswith("└")) + 1 :])
    below = "".join(below.split())  # the message wraps at 80 columns, at any space
    assert "[R1]" in below and "相差1" in below and "table3.yaml:3:25" in below


def test_preview_rejects_unknown_table():
    result = run_cli("preview", SAMPLE, "--table", "五")
    assert result.code == 2
    assert "二、三 或 四" in result.stderr


def test_big_counts_fit_without_wrapping_at_80_columns(project):
    """A big city's six-digit counts stay on one line in their cells; table 四 keeps one grid where it fits."""
    table = project / "tables" / "table3.yaml"
    replace_in(table, "{自然人: 243,", "{自然人: 123243,")
    replace_in(table, "（一）予以公开: {自然人: 43,", "（一）予以公开: {自然人: 123043,")
    replace_in(project / "tables" / "table4.yaml", "行政复议: {结果维持: 0", "行政复议: {结果维持: 12345")
    result = run_cli("preview", project, env={"COLUMNS": "80"})
    lines = lines_of(result.stdout)
    assert max(cell_len(line) for line in lines) <= 80
    row = next(line for line in lines if "一、本年新收" in line)
    assert [c.strip() for c in row.strip("│").split("│")][-7:] == ["123243", "2", "0", "0", "0", "0", "123245"]
    four = lines[lines.index("四、政府信息公开行政复议、行政诉讼情况") :]
    assert sum(line.startswith("┌") for line in four) == 1
    assert any("│12345│" in line for line in four)


def test_no_line_begins_with_a_closing_mark_or_ends_with_an_opening_one(project):
    """避头尾, in the cells and in the findings listed under a table."""
    replace_in(project / "tables" / "table2.yaml", "行政许可: {本年处理决定数量: 0}", "行政许可: {本年处理决定数量: 两件}")
    for width in ("60", "80", "100"):
        lines = lines_of(run_cli("preview", project, env={"COLUMNS": width}).stdout)
        assert "应为数字" in "".join(line.strip() for line in lines)  # the finding, wrapped where the width falls
        for line in lines:
            for cell in [c for c in re.split(r"[│┌┐└┘├┤┬┴┼─]", line) if c.strip()]:
                text = cell.strip()
                assert text[0] not in NOT_AT_LINE_START, (width, line)
                assert text[-1] not in NOT_AT_LINE_END, (width, line)


_WORDS = st.lists(
    st.tuples(st.sampled_from("政府信息公开申请办理结果予以部分"), st.sampled_from(["", "，", "。", "、", "）", "”", "（", "“"])),
    min_size=1,
    max_size=40,
)


@given(_WORDS, st.integers(min_value=4, max_value=30))
def test_wrapping_keeps_the_punctuation_rules(words, width):
    text = "".join(c + p for c, p in words)
    width = max(width, narrowest_line(text))  # a column is never narrower than this
    lines = _wrap(text, width)
    assert "".join(lines) == text
    assert all(cell_len(line) <= width for line in lines)
    for line in lines[1:]:
        assert line[0] not in NOT_AT_LINE_START
    for line in lines[:-1]:
        assert line[-1] not in NOT_AT_LINE_END


def _row(lines: list[str], label: str) -> list[str]:
    row = next(line for line in lines if label in line)
    return [c.strip() for c in row.strip("│").split("│")]


def test_a_typed_total_that_disagrees_is_shown_as_typed(project, tmp_path):
    """What the clerk typed, or the agency published, is what preview shows, highlighted; the sum
    of the parts is in the finding. A project and a published report show it alike."""
    replace_in(project / "tables" / "table3.yaml", "法律服务机构: 0, 其他: 0}", "法律服务机构: 0, 其他: 0, 总计: 246}", count=1)
    published = agency.write_docx(tmp_path / "published.docx")  # 总计 246 typed over 243 + 2
    for source in (project, published):
        result = run_cli("preview", source, "--table", "三", env={"COLUMNS": "100"})
        lines = lines_of(result.stdout)
        assert _row(lines, "一、本年新收")[-7:] == ["243", "2", "0", "0", "0", "0", "246"], source
        below = "".join("".join(lines[next(i for i, l in enumerate(lines) if l.startswith("└")) :]).split())
        assert "填写为246" in below and "243+2=245" in below and "此格应为245" in below, source

    loaded = load_project(project, GB2021)
    document = assemble(loaded.report).document
    findings = check_report(loaded.report, loaded.findings)
    row = next(line for line in draw_table(document.tables["三"], findings, 100) if "一、本年新收" in line.text)
    marked = [piece for piece, style in row.spans if style == ERROR_STYLE]
    assert any("246" in piece for piece in marked), "the typed total is marked"
    out = tmp_path / "forced.docx"
    assert run_cli("build", project, "-o", out, "--force").code == 0
    grid = text_grid(table_after_heading(open_docx(out), "三、收到和处理政府信息公开申请情况"))
    assert grid[3][-7:] == ["243", "2", "0", "0", "0", "0", "246"], "--force prints what was typed"
