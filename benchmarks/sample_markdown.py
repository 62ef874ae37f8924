"""The sample report as one Markdown file with pipe tables: what pandoc converts in `against_pandoc.py`.

    uv run python benchmarks/sample_markdown.py [OUT.md]

The same content zbreport builds: the two title lines, the introduction, the six sections with
their placeholders filled, and the three official tables, flattened to pipe tables (Markdown has
no merged cells: a column's header is its labels joined by "·"). Written from zbreport's assembled
Document of the sample, so the two tools convert the same words and figures.
"""

from __future__ import annotations

import sys
from pathlib import Path

from zbreport.assemble import assemble
from zbreport.document import Document, OfficialTable
from zbreport.format import GB2021
from zbreport.model import TableData
from zbreport.read.project import load_project
from zbreport.write.markdown import markdown_of

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "zibo-2024"


def pipe_table(header: list[str], rows: list[list[str]]) -> list[str]:
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    return [line(header), "|" + "---|" * len(header), *(line(r) for r in rows), ""]


def official_table_lines(data: TableData) -> list[str]:
    """The table as pipe tables: one for each run of rows sharing the same columns (表二's blocks)."""
    lines: list[str] = []
    rows: dict[str, list] = {}
    for cell in data.form.cells:
        rows.setdefault(cell.row_label, []).append(cell)
    groups: list[tuple[tuple[str, ...], list[list[str]]]] = []
    for label, cells in rows.items():
        columns = tuple(c.col_label for c in cells)
        values = [label or "数量"] + [data.display(c.key) for c in cells]
        if groups and groups[-1][0] == columns:
            groups[-1][1].append(values)
        else:
            groups.append((columns, [values]))
    for columns, values in groups:
        lines += pipe_table(["", *columns], values)
    return lines


def report_markdown(document: Document, tables: dict[str, TableData]) -> str:
    """The narrative through zbreport's own Markdown writer; the official tables as pipe tables."""
    lines = []
    for title in document.title_lines:
        lines += [f"# {title}", ""]
    lines.append(markdown_of(document.intro))
    for section in document.sections:
        lines += [f"# {section.title}", ""]
        for block in section.blocks:
            if isinstance(block, OfficialTable):
                lines += official_table_lines(tables[block.key])
            else:
                lines.append(markdown_of([block]))
    return "\n".join(lines)


def sample_markdown() -> str:
    report = load_project(SAMPLE, GB2021).report
    return report_markdown(assemble(report).document, report.tables)


def main() -> None:
    text = sample_markdown()
    if len(sys.argv) > 1:
        Path(sys.argv[1]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
