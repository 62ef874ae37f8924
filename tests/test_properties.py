"""Property tests: consistent tables, written with any of the usual label variants, pass every rule;
one changed number gives exactly the findings about that number."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zbreport.check.arithmetic import Coverage, Valuation, check_arithmetic
from zbreport.check.rules import check_values
from zbreport.format import GB2021
from zbreport.model import format_number
from zbreport.read.tablefile import load_table

TABLES = GB2021.tables
TABLE_3 = TABLES["三"]
APPLICANTS = [c.col for c in TABLE_3.cells if c.row == "new_received" and not c.computed]
RESULT_ROWS = [
    c.row for c in TABLE_3.cells
    if c.col == "natural_person" and c.row not in ("new_received", "carried_over", "results_total", "carried_forward")
]
SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@st.composite
def consistent_table_three(draw):
    """Per column: results and carry-forward drawn, then 一 and 二 split so 一+二 = 三+四; totals added."""
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


# ---------------------------------------------------------------- label variants, as real reports write them

_CHINESE = "一二三四五六七八九十"


def label_variants(label: str) -> list[str]:
    """Ways a published report writes `label` that mean the same label."""
    body, numberings = label, [""]
    if match := re.match(r"^(\d+)\.", label):
        n, body = match.group(1), label[match.end() :]
        numberings = [f"{n}.", f"{n}、", f"{n}．", f"（{n}）", f"({n})", f"{n}. ", ""]
    elif match := re.match(rf"^（([{_CHINESE}]+)）", label):
        n, body = match.group(1), label[match.end() :]
        numberings = [f"（{n}）", f"({n})", f"（{n}） ", ""]
    elif match := re.match(rf"^([{_CHINESE}]+)、", label):
        n, body = match.group(1), label[match.end() :]
        numberings = [f"{n}、", f"{n}．", f"{n}.", ""]
    bodies = {
        body,
        body.replace("（", "(").replace("）", ")"),
        body.replace("、", "，"),
        body.replace("“", '"').replace("”", '"'),
        body.replace("“", "").replace("”", ""),
        re.sub(r"（[^（）]*只计[^（）]*）$", "", body),  # （二） without its parenthetical
        body[: len(body) // 2] + " " + body[len(body) // 2 :],  # a break left by line-wrapping
        "规范性文件" if body == "行政规范性文件" else body,
    }
    return [n + b for n in numberings for b in sorted(bodies) if (n + b).strip()]


def write_table(path: Path, form, values: dict, rename=lambda label: label) -> None:
    """The table file a published report gives, every cell typed (totals too), labels renamed."""
    tree: dict = {}
    for cell in form.cells:
        if cell.key not in values:
            continue
        node = tree
        for label in cell.yaml_path[:-1]:
            node = node.setdefault(rename(label), {})
        node[rename(cell.yaml_path[-1])] = values[cell.key]
    path.write_text(_dump(tree, 0), encoding="utf-8")


def _dump(tree: dict, indent: int) -> str:
    out = ""
    for key, value in tree.items():
        if isinstance(value, dict) and not isinstance(next(iter(value.values())), dict):
            row = ", ".join(f"{_key(k)}: {format_number(v)}" for k, v in value.items())
            out += " " * indent + f"{_key(key)}: {{{row}}}\n"
        else:
            out += " " * indent + f"{_key(key)}:\n" + _dump(value, indent + 2)
    return out


def _key(label: str) -> str:
    """A label as a YAML key: quoted when it holds what YAML would read otherwise."""
    if label.strip() != label or any(c in label for c in ':"{}[],#') or label.startswith(("(", "-", "'")):
        return "'" + label.replace("'", "''") + "'"
    return label


@st.composite
def renaming(draw, form):
    labels = sorted({label for cell in form.cells for label in cell.yaml_path})
    chosen = {label: draw(st.sampled_from(label_variants(label))) for label in labels}
    return lambda label: chosen.get(label, label)


def findings_for(form, path: Path):
    found: list = []
    data = load_table(form, path, GB2021, found)
    coverage = Coverage()
    found += check_values(data) + check_arithmetic(data, Valuation(data), coverage)
    return coverage.annotate(found, {form.key: path})


def test_variants_are_the_same_labels():
    """Each variant reads as its label among the labels that stand beside it in the table file."""
    from zbreport.format.labels import read_label

    for form in TABLES.values():
        places: dict[tuple[str, ...], set[str]] = {}
        for cell in form.cells:
            for depth, label in enumerate(cell.yaml_path):
                places.setdefault(cell.yaml_path[:depth], set()).add(label)
        for labels in places.values():
            for label in labels:
                for written in label_variants(label):
                    assert read_label(written, labels, GB2021.aliases).label == label, written


# ---------------------------------------------------------------- properties


@SETTINGS
@given(consistent_table_three(), renaming(TABLE_3))
def test_consistent_table_with_any_label_variants_has_no_findings(tmp_path, values, rename):
    path = tmp_path / "table3.yaml"
    write_table(path, TABLE_3, values, rename)
    assert findings_for(TABLE_3, path) == []


@SETTINGS
@given(st.data())
def test_tables_two_and_four_with_any_label_variants(tmp_path, data):
    for key in ("二", "四"):
        form = TABLES[key]
        values = {c.key: data.draw(st.integers(0, 99999)) for c in form.input_cells}
        for total in form.totals:
            values[total.cell] = sum(values[p] for p in total.parts)
        path = tmp_path / form.file_name
        write_table(path, form, values, data.draw(renaming(form)))
        assert findings_for(form, path) == []


@SETTINGS
@given(consistent_table_three(), renaming(TABLE_3), st.data())
def test_one_changed_number_is_one_finding_at_that_cell(tmp_path, values, rename, data):
    """Every cell of a published table 三 (totals typed) is in two equations or more: a changed one is named."""
    cell = data.draw(st.sampled_from(TABLE_3.cells))
    delta = data.draw(st.integers(1, 20))
    changed = dict(values)
    changed[cell.key] += delta
    path = tmp_path / "table3.yaml"
    write_table(path, TABLE_3, changed, rename)
    findings = findings_for(TABLE_3, path)
    assert len(findings) == 1, [f.message for f in findings]
    (finding,) = findings
    assert finding.cells == (cell.key,)
    assert finding.message.startswith(f"“{cell.name}”填写为 {changed[cell.key]}，")
    assert f"都相差 {delta}" in finding.message and f"此格应为 {values[cell.key]}" in finding.message
    line = path.read_text(encoding="utf-8").splitlines()[finding.location.line - 1]
    assert rename(cell.yaml_path[-2]) in line or rename(cell.yaml_path[-2]).strip() in line


@SETTINGS
@given(consistent_table_three(), st.data())
def test_one_changed_number_without_typed_totals_is_its_column(tmp_path, values, data):
    """A project types no totals: a changed number breaks R1 for its column, reported once."""
    row = data.draw(st.sampled_from(["new_received", "carried_over", "carried_forward"] + RESULT_ROWS))
    col = data.draw(st.sampled_from(APPLICANTS))
    delta = data.draw(st.integers(1, 20))
    inputs = {c.key: values[c.key] for c in TABLE_3.input_cells}
    inputs[(row, col)] += delta
    path = tmp_path / "table3.yaml"
    write_table(path, TABLE_3, inputs)
    findings = findings_for(TABLE_3, path)
    assert len(findings) == 1, [f.message for f in findings]
    (finding,) = findings
    column = TABLE_3.cell((row, col)).col_label
    assert finding.rule == "R1" and finding.message.startswith(f"{column}列：") and finding.message.endswith(f"相差 {delta}")
    assert {c for _, c in finding.cells} == {col}


@SETTINGS
@given(consistent_table_three(), st.data())
def test_a_missing_row_never_silences_the_other_rules(tmp_path, values, data):
    """With a row left out, every equation that does not need it still runs: a wrong total is found."""
    missing = data.draw(st.sampled_from(RESULT_ROWS))
    wrong = data.draw(st.sampled_from([r for r in RESULT_ROWS if r != missing] + ["new_received", "carried_forward"]))
    changed = {k: v for k, v in values.items() if k[0] != missing}
    changed[(wrong, "total")] += 1
    path = tmp_path / "table3.yaml"
    write_table(path, TABLE_3, changed)
    findings = findings_for(TABLE_3, path)
    rules = sorted(f.rule for f in findings)
    assert "missing" in rules and len(findings) == 2, [f.message for f in findings]
    (arithmetic,) = [f for f in findings if f.rule != "missing"]
    assert arithmetic.cells[0] == (wrong, "total") and "相差 1" in arithmetic.message
    (gap,) = [f for f in findings if f.rule == "missing"]
    assert "因此未能核对：R4" in gap.message
