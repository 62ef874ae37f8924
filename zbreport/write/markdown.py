"""The narrative model written back as the Markdown a clerk edits (for imported reports).

It is the reader's inverse: `read/markdown.py` reads this text into the same blocks. Text is
escaped so that nothing published is read as markup: a paragraph opening with "1. " stays a
paragraph, "*" stays a star, and "{{" is not a placeholder.
"""

from __future__ import annotations

import re

from ..model import (
    Block,
    BlockQuote,
    Code,
    CodeBlock,
    Container,
    Emph,
    GridTable,
    Heading,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    OfficialTablePlace,
    PageBreak,
    Paragraph,
    Placeholder,
    Strikeout,
    Strong,
    Text,
)
from ..read.markdown import RUN_IN_ENDINGS

_INLINE = re.compile(r"([\\`*_\[\]<>!|~&])")
# What opens a block at the start of a line: an ATX heading, a quote, a list item, a rule.
_LINE_START = re.compile(r"^(\s*)(#{1,6}(?=\s|$)|>|[+*-](?=\s|$)|\d{1,9}(?=[.)](?:\s|$))|[=-]+(?=\s*$))")


def markdown_of(blocks: tuple[Block, ...] | list[Block]) -> str:
    parts = [_block(b) for b in blocks]
    return "\n\n".join(p for p in parts if p) + ("\n" if parts else "")


def _block(block: Block) -> str:
    if isinstance(block, Heading):
        return "#" * block.level + " " + _inline(block.content)
    if isinstance(block, Paragraph):
        if block.lead is not None and block.lead.text.rstrip().endswith(RUN_IN_ENDINGS):
            return "#" * block.lead.level + " " + _inline(block.lead.content) + "\n\n" + _inline(block.content)
        lead = block.lead.content if block.lead is not None else ()
        return _inline(lead + block.content)
    if isinstance(block, ListBlock):
        lines = []
        for number, item in enumerate(block.items, start=block.start):
            marker = f"{number}." if block.ordered else "-"
            text = " ".join(_inline(b.content) for b in item if isinstance(b, (Paragraph, Heading)))
            lines.append(f"{marker} {text}")
        return "\n".join(lines)
    if isinstance(block, BlockQuote):
        return "\n".join("> " + line for line in markdown_of(block.blocks).rstrip("\n").split("\n"))
    if isinstance(block, CodeBlock):
        return "```\n" + block.text + "\n```"
    if isinstance(block, GridTable):
        return _table(block)
    if isinstance(block, OfficialTablePlace):
        return "<!-- 表格 -->"
    if isinstance(block, PageBreak):
        return "<!-- 分页 -->"
    return ""


_MARKS = {Strong: "**", Emph: "*", Strikeout: "~~"}


def _inline(nodes: tuple[Inline, ...]) -> str:
    text = "".join(_node(n) for n in nodes)
    return "\n".join(_LINE_START.sub(_escape_line_start, line) for line in text.split("\n"))


def _node(node: Inline) -> str:
    """One inline node as Markdown; what Markdown has no mark for keeps its text."""
    if isinstance(node, Text):
        return escape(node.text)
    if isinstance(node, LineBreak):
        return "\\\n"
    if isinstance(node, Code):
        return f"`{node.text}`" if "`" not in node.text else escape(node.text)
    if isinstance(node, Placeholder):
        return node.source if node.value is None else escape(node.value)
    if isinstance(node, Link):
        return f"[{_inline(node.children)}](<{node.target}>)"
    if isinstance(node, Container):
        inner = "".join(_node(n) for n in node.children)
        mark = _MARKS.get(type(node), "")
        return f"{mark}{inner}{mark}" if inner.strip() else inner
    return ""


def escape(text: str) -> str:
    """Text that Markdown prints as written: its punctuation escaped, a "{{" kept from being a placeholder."""
    text = _INLINE.sub(r"\\\1", text)
    return text.replace("{{", "`{{`")


def _escape_line_start(match: re.Match) -> str:
    indent, mark = match.group(1), match.group(2)
    if mark.isdigit():
        return indent + mark + "\\"  # "1." → "1\." : the dot escaped, not a list
    return indent + "\\" + mark


def _table(table: GridTable) -> str:
    def row(cells) -> str:
        return "| " + " | ".join(_inline(c).replace("\\\n", "<br>").replace("\n", " ") for c in cells) + " |"

    width = max([len(table.header)] + [len(r) for r in table.rows])
    header = tuple(table.header) + ((),) * (width - len(table.header))
    lines = [row(header), "|" + "---|" * width]
    lines += [row(tuple(r) + ((),) * (width - len(r))) for r in table.rows]
    return "\n".join(lines)
