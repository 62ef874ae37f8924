"""The sample report as one Markdown file with pipe tables: what pandoc converts in `against_pandoc.py`.

    uv run python benchmarks/sample_markdown.py [OUT.md]

The same content zbreport builds: the two title lines, the introduction, the six sections with
their placeholders filled, and the three official tables, flattened to pipe tables (Markdown has
no merged cells: a column's header is its labels joined by "·"). Written from zbreport's own model
of the sample, so the two tools convert the same words and figures.
"""

from __future__ import annotations

import sys
from pathlib import Path

from zbreport.model import Block, GridTable, Heading, ListBlock, Paragraph, Report, Span, TableData
from zbreport.read.project import load_project

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "zibo-2024"


def spans_text(spans: tuple[Span, ...]) -> str:
    out = []
    for span in spans:
        if span.text == "\n":
            out.append("  \n")
        elif span.bold:
            out.append(f"**{span.text}**")
        elif span.italic:
            out.append(f"*{span.text}*")
        else:
            out.append(span.text)
    return "".join(out)


def pipe_table(header: list[str], rows: list[list[str]]) -> list[str]:
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    return [line(header), "|" + "---|" * len(header), *(line(r) for r in rows), ""]


def block_lines(block: Block) -> list[str]:
    if isinstance(block, Heading):
        return ["#" * block.level + " " + spans_text(block.spans), ""]
    if isinstance(block, Paragraph):
        lead = f"**{spans_text(block.lead.spans)}**" if block.lead else ""
        return [lead + spans_text(block.spans), ""]
    if isinstance(block, ListBlock):
        lines = []
        for number, item in enumerate(block.items, start=block.start):
            marker = f"{number}." if block.ordered else "-"
            texts = [spans_text(b.spans) for b in item if isinstance(b, (Paragraph, Heading))]
            lines.append(f"{marker} {' '.join(texts)}")
        return lines + [""]
    if isinstance(block, GridTable):
        header = [spans_text(c) for c in block.header]
        return pipe_table(header, [[spans_text(c) for c in row] for row in block.rows])
    return []


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


def report_markdown(report: Report) -> str:
    lines = [f"# {report.meta.issuer}", "", f"# {report.meta.title}", ""]
    for block in report.meta.intro or ():
        lines += block_lines(block)
    for section in report.sections:
        lines += [f"# {section.form.title}", ""]
        if section.form.table is not None:
            lines += official_table_lines(report.tables[section.form.table.key])
        for block in section.blocks:
            lines += block_lines(block)
    return "\n".join(lines)


def main() -> None:
    text = report_markdown(load_project(SAMPLE).report)
    if len(sys.argv) > 1:
        Path(sys.argv[1]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
