"""`zbreport preview` in an 80-column terminal: the numbers, the merged headers, the problems."""

from __future__ import annotations

from rich.cells import cell_len

from conftest import SAMPLE, replace_in, run_cli


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
