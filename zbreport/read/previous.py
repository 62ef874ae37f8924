"""Last year's figures, for R7, R9 and placeholders such as 同比(…).

They come from last year's zbreport project, or, in a first year with zbreport, from a small
file of the published figures that a clerk needs (a stand-in, partial by design):

    年度: 2023
    表三:
      三、本年度办理结果:
        （七）总计: {总计: 116}
      四、结转下年度继续办理: {自然人: 16, 商业企业: 0, …}
"""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import Finding, InputError, Location, Severity
from ..figures import table_names
from ..format import CellKey, Format, TableForm, normalize_label
from ..model import Entry, Number, PreviousYear, Report
from ..admissible import value_problem
from ..words import YEAR



def from_report(report: Report) -> PreviousYear:
    values = {
        key: {cell: value for cell, value in table.values.items() if value is not None}
        for key, table in report.tables.items()
    }
    locations = {
        (key, cell): entry.location for key, table in report.tables.items() for cell, entry in table.entries.items()
    }
    return PreviousYear(report.project_dir, report.meta.year, values, report.meta, locations)


def load_figures_file(path: Path, fmt: Format, findings: list[Finding]) -> PreviousYear:
    import yaml  # here, not above: last year's project is read from the cache without PyYAML

    from . import sourceyaml
    from .tablefile import read_entries, unknown_key

    root = sourceyaml.compose(path, findings)
    if not isinstance(root, yaml.MappingNode):
        raise InputError("上年数据文件应按“年度”“表二”“表三”“表四”逐项填写", Location(path, 1, 1))
    year: int | None = None
    values: dict[str, dict[CellKey, Number]] = {}
    locations: dict[tuple[str, CellKey], Location] = {}
    for key, key_node, value_node in sourceyaml.mapping_items(path, root, findings):
        if key == YEAR:
            number = sourceyaml.scalar_number(value_node) if isinstance(value_node, yaml.ScalarNode) else None
            if not isinstance(number, int):
                raise InputError("“年度”应为四位数的年份，例如 2023", sourceyaml.location(path, value_node))
            year = number
            continue
        table_key = table_names(fmt).get(normalize_label(key))
        if table_key is None:
            findings.append(unknown_key(path, key, key_node, [YEAR, *(f"表{k}" for k in fmt.tables)], Severity.ERROR))
            continue
        form = fmt.tables[table_key]
        entries = read_entries(form, path, value_node, fmt, findings)
        values[table_key] = _known_values(form, entries, findings)
        locations.update({(table_key, cell): entry.location for cell, entry in entries.items()})
    return PreviousYear(path, year, values, None, locations)


def _known_values(form: TableForm, entries: dict[CellKey, Entry], findings: list[Finding]) -> dict[CellKey, Number]:
    """The numbers given, then every total whose parts are all known and that was not given itself."""
    values: dict[CellKey, Number] = {}
    for key, entry in entries.items():
        problem = value_problem(form.cell(key), entry)
        if problem:
            findings.append(Finding(Severity.ERROR, "previous", f"上年数据“{form.cell(key).name}”{problem}", entry.location))
        elif entry.state == "number" and entry.number is not None:
            values[key] = entry.number
    changed = True
    while changed:
        changed = False
        for total in form.totals:
            if total.cell not in values and all(p in values for p in total.parts):
                values[total.cell] = sum(values[p] for p in total.parts)  # type: ignore[assignment]
                changed = True
    return values
