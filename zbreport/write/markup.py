"""A small HTML element builder: every text and attribute value is escaped when serialized.

Text from a project never becomes markup: the only way to put characters into the page is as
a text child or an attribute value of an `Element`, and both are escaped. The one exception is
`StyleSheet`, zbreport's own constant CSS, which HTML requires unescaped inside `<style>`.
"""

from __future__ import annotations

import re
from html import escape
from typing import Iterable, Union

from ..records import field, record

# Elements without an end tag in HTML; written `<br>`, never `<br/>` or `<br></br>`.
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})
# Elements whose children are blocks: a line break between them keeps the source readable and
# changes nothing on screen. Inline content (a paragraph's) is written without added spaces,
# which would show between Chinese characters.
_BLOCK_CHILDREN = frozenset(
    {
        "html", "head", "body", "main", "article", "header", "footer", "section", "aside", "nav",
        "ol", "ul", "li", "blockquote", "table", "thead", "tbody", "tfoot", "tr", "colgroup", "figure",
    }
)
# Characters HTML forbids in a document (C0/C1 controls other than whitespace, noncharacters):
# a parser reports them as errors, so they are shown as U+FFFD instead.
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff"
    "\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff\U0004fffe\U0004ffff"
    "\U0005fffe\U0005ffff\U0006fffe\U0006ffff\U0007fffe\U0007ffff\U0008fffe\U0008ffff"
    "\U0009fffe\U0009ffff\U000afffe\U000affff\U000bfffe\U000bffff\U000cfffe\U000cffff"
    "\U000dfffe\U000dffff\U000efffe\U000effff\U000ffffe\U000fffff\U0010fffe\U0010ffff]"
)


def clean(text: str) -> str:
    return _FORBIDDEN.sub("\ufffd", text)


@record
class StyleSheet:
    """zbreport's own CSS: the one text written unescaped, so it must not close its element."""

    css: str

    def __post_init__(self) -> None:
        if "</" in self.css:
            raise ValueError("a style sheet cannot contain '</'")


Child = Union["Element", str, StyleSheet, None]


@record(frozen=False)
class Element:
    tag: str
    attrs: dict[str, str | int | bool | None] = field(default_factory=dict)
    children: list[Child] = field(default_factory=list)
    # Overrides whether the children are written one a line (see _BLOCK_CHILDREN).
    block_children: bool | None = None

    def add(self, *children: Child | Iterable[Child]) -> "Element":
        for child in children:
            if isinstance(child, (Element, str, StyleSheet)) or child is None:
                if child is not None and child != "":
                    self.children.append(child)
            else:
                self.add(*child)
        return self


def el(tag: str, attrs: dict[str, str | int | bool | None] | None = None, *children: Child | Iterable[Child]) -> Element:
    """An element: `el("td", {"rowspan": 2}, "243")`. None or False attributes are left out."""
    return Element(tag, dict(attrs or {})).add(*children)


def serialize(node: Child) -> str:
    parts: list[str] = []
    _write(node, parts)
    return "".join(parts)


def _write(node: Child, out: list[str]) -> None:
    if node is None:
        return
    if isinstance(node, str):
        out.append(escape(clean(node), quote=False))
        return
    if isinstance(node, StyleSheet):
        out.append(node.css)
        return
    out.append(f"<{node.tag}")
    for name, value in node.attrs.items():
        if value is None or value is False:
            continue
        if value is True:
            out.append(f" {name}")
        else:
            out.append(f' {name}="{escape(clean(str(value)), quote=True)}"')
    out.append(">")
    if node.tag in VOID:
        return
    blocks = node.block_children if node.block_children is not None else node.tag in _BLOCK_CHILDREN
    if node.tag == "pre" and node.children and isinstance(node.children[0], str) and node.children[0].startswith("\n"):
        out.append("\n")  # a parser drops the first newline after <pre>
    for child in node.children:
        if blocks:
            out.append("\n")
        _write(child, out)
    if blocks and node.children:
        out.append("\n")
    out.append(f"</{node.tag}>")
