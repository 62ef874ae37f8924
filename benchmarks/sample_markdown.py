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
from zbreport.model import (
    BlockQuote,
    CodeBlock,
    Container,
    Emph,
    GridTable,
    Heading,
    Inline,
    LineBreak,
    ListBlock,
    Paragraph,
    Strong,
    TableData,
    inline_text,
)
from zbreport.read.project import load_project

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "zibo-2024"


def inlines(nodes: tuple[Inline, ...]) -> str:
    out = []
    for node in nodes:
        if isinstance(node, LineBreak):
            out.append("  \n")
        elif isinstance(node, Strong):
            out.append(f"**{inlines(node.children)}**")
        elif isinstance(node, Emph):
            out.append(f"*{inlines(node.children)}*")
        elif isinstance(node, Container):
            out.append(inlines(node.children))
        else:
            out.append(inline_text((node,)))
    return "".join(out)


def pipe_table(header: list[str], rows: list[list[str]]) -> list[str]:
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    return [line(header), "|" + "---|" * len(header), *(line(r) for r in rows), ""]


def block_lines(block, tables: dict[str, TableData]) -> list[str]:
    if isinstance(block, Heading):
        return ["#" * block.level + " " + inlines(block.content), ""]
    if isinstance(block, Paragraph):
        lead = f"**{inlines(block.lead.content)}**" if block.lead else ""
        return [lead + inlines(block.content), ""]
    if isinstance(block, ListBlock):
        lines = []
        for number, item in enumerate(block.items, start=block.start):
            marker = f"{number}." if block.ordered else "-"
            texts = [inlines(b.content) for b in item if isinstance(b, (Paragraph, Heading))]
            lines.append(f"{marker} {' '.join(texts)}")
        return lines + [""]
    if isinstance(block, BlockQuote):
        return [f"> {line}" for b in block.blocks for line in block_lines(b, tables)]
    if isinstance(block, CodeBlock):
        return ["```", block.text, "```", ""]
    if isinstance(block, GridTable):
        return pipe_table([inlines(c) for c in block.header], [[inlines(c) for c in row] for row in block.rows])
    if isinstance(block, OfficialTable):
        return official_table_lines(tables[block.key])
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


def report_markdown(document: Document, tables: dict[str, TableData]) -> str:
    lines = []
    for title in document.title_lines:
        lines += [f"# {title}", ""]
    for block in document.intro:
        lines += block_lines(block, tables)
    for section in document.sections:
        lines += [f"# {section.title}", ""]
        for block in section.blocks:
            lines += block_lines(block, tables)
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
