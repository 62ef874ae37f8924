"""Reading a built web page as a reader or a scraper would, and what the sample's tables must show.

The expected figures come straight from the sample's YAML files (and sums of them for the
totals), not from zbreport, so a page that puts a number under the wrong label fails.
"""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import html5lib
import yaml

NS = "{http://www.w3.org/1999/xhtml}"
TABLE_FILES = {"二": "table2.yaml", "三": "table3.yaml", "四": "table4.yaml"}
TABLE_IDS = {"二": "table-2", "三": "table-3", "四": "table-4"}
TOTAL = "总计"


def parse_strict(text: str) -> ElementTree.Element:
    """The page's tree; html5lib raises ParseError at the first markup error."""
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=True).parse(text)


def text_of(element: ElementTree.Element) -> str:
    return "".join(element.itertext())


def expected_cells(project: Path) -> dict[str, dict[tuple[str, ...], str]]:
    """Per table: the labels a number sits under (row labels, then column labels) → the number."""
    result: dict[str, dict[tuple[str, ...], str]] = {}
    for key, name in TABLE_FILES.items():
        data = yaml.safe_load((project / "tables" / name).read_text(encoding="utf-8"))
        cells: dict[tuple[str, ...], int] = {}
        _leaves(data, (), cells)
        if key == "三":
            _table3_totals(cells)
        if key == "四":
            _table4_totals(cells)
        result[key] = {labels: str(value) for labels, value in cells.items()}
    return result


def _leaves(node: object, path: tuple[str, ...], out: dict[tuple[str, ...], int]) -> None:
    if isinstance(node, dict):
        for label, child in node.items():
            _leaves(child, path + (str(label),), out)
    else:
        out[path] = node  # type: ignore[assignment]


def _table3_totals(cells: dict[tuple[str, ...], int]) -> None:
    rows: dict[tuple[str, ...], dict[str, int]] = {}
    for labels, value in cells.items():
        rows.setdefault(labels[:-1], {})[labels[-1]] = value
    columns = list(next(iter(rows.values())))
    for row, values in rows.items():
        cells[row + (TOTAL,)] = sum(values.values())
    results = [row for row in rows if row[0].startswith("三、")]
    for column in columns + [TOTAL]:
        cells[("三、本年度办理结果", "（七）总计", column)] = sum(cells[row + (column,)] for row in results)


def _table4_totals(cells: dict[tuple[str, ...], int]) -> None:
    groups: dict[tuple[str, ...], int] = {}
    for labels, value in cells.items():
        groups[labels[:-1]] = groups.get(labels[:-1], 0) + value
    for group, total in groups.items():
        cells[group + (TOTAL,)] = total


def headed_values(tree: ElementTree.Element, table_id: str) -> list[tuple[frozenset[str], str]]:
    """Each number of a table with the texts of the header cells its `headers` attribute names."""
    table = next(t for t in tree.iter(f"{NS}table") if t.get("id") == table_id)
    by_id = {cell.get("id"): text_of(cell) for cell in table.iter() if cell.get("id")}
    return [
        (frozenset(by_id[i] for i in (cell.get("headers") or "").split()), text_of(cell))
        for cell in table.iter(f"{NS}td")
        if "corner" not in (cell.get("class") or "")
    ]


def cell_under(values: list[tuple[frozenset[str], str]], labels: tuple[str, ...]) -> str:
    """The one number whose headers include all `labels`."""
    found = [text for headers, text in values if set(labels) <= headers]
    assert len(found) == 1, f"{labels}: {len(found)} cells"
    return found[0]
