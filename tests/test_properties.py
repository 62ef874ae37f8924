"""Property tests: consistent tables pass every rule; one changed number is found, by row and column."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zbreport.check.rules import check_balances, check_totals, check_values
from zbreport.format import GB2021

TABLES = GB2021.tables
from zbreport.model import format_number
from zbreport.read.project import load_table

TABLE_3 = TABLES["三"]
APPLICANTS = [c.col for c in TABLE_3.cells if c.row == "new_received" and not c.computed]
RESULT_ROWS = [c.row for c in TABLE_3.cells if c.col == "natural_person" and c.row not in ("new_received", "carried_over", "results_total", "carried_forward")]


@st.composite
def consistent_table_three(draw):
    """Per column: results and carry-forward drawn, then 一 and 二 split so 一+二 = 三+四."""
    values: dict[tuple[str, str], int] = {}
    for col in APPLICANTS:
        results = {row: draw(st.integers(0, 300)) for row in RESULT_ROWS}
        carried_forward = draw(st.integers(0, 50))
        handled = sum(results.values()) + carried_forward
        carried_over = draw(st.integers(0, handled))
        values.update({(row, col): n for row, n in results.items()})
        values[("carried_forward", col)] = carried_forward
        values[("carried_over", col)] = carried_over
        values[("new_received", col)] = handled - carried_over
    for row in {r for r, _ in values}:
        values[(row, "total")] = sum(values[(row, c)] for c in APPLICANTS)
    for col in APPLICANTS + ["total"]:
        values[("results_total", col)] = sum(values[(r, col)] for r in RESULT_ROWS)
    return values


def write_yaml(path: Path, values: dict[tuple[str, str], int]) -> None:
    """The table file a clerk would write, totals included, built from the printed labels."""
    tree: dict = {}
    for cell in TABLE_3.cells:
        node = tree
        for label in cell.yaml_path[:-1]:
            node = node.setdefault(label, {})
        node[cell.yaml_path[-1]] = values[cell.key]
    path.write_text(_dump(tree, 0), encoding="utf-8")


def _dump(tree: dict, indent: int) -> str:
    out = ""
    for key, value in tree.items():
        if isinstance(value, dict) and not isinstance(next(iter(value.values())), dict):
            row = ", ".join(f"{k}: {format_number(v)}" for k, v in value.items())
            out += " " * indent + f"{key}: {{{row}}}\n"
        else:
            out += " " * indent + f"{key}:\n" + _dump(value, indent + 2)
    return out


def findings_for(path: Path):
    found: list = []
    data = load_table(TABLE_3, path, GB2021, found)
    return found + check_values(data) + check_totals(data) + check_balances(data)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(consistent_table_three())
def test_consistent_tables_have_no_findings(tmp_path, values):
    path = tmp_path / "table3.yaml"
    write_yaml(path, values)
    assert findings_for(path) == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(consistent_table_three(), st.data())
def test_one_changed_number_is_found_at_its_row_and_column(tmp_path, values, data):
    row = data.draw(st.sampled_from(["new_received", "carried_over", "carried_forward"] + RESULT_ROWS))
    col = data.draw(st.sampled_from(APPLICANTS))
    delta = data.draw(st.integers(1, 20))
    values = dict(values)
    values[(row, col)] += delta
    path = tmp_path / "table3.yaml"
    write_yaml(path, values)
    findings = findings_for(path)
    cell = TABLE_3.cell((row, col))
    row_total = [f for f in findings if f.rule == "R3"]
    assert len(row_total) == 1
    assert cell.row_label in row_total[0].message and f"相差 {delta}" in row_total[0].message
    column = [f for f in findings if f.rule in ("R1", "R4")]
    assert column and all(cell.col_label in f.message for f in column if f.rule == "R1")
    assert any((row, col) in f.cells for f in column)
    line = path.read_text(encoding="utf-8").splitlines()[row_total[0].location.line - 1]
    assert cell.yaml_path[-2] in line
