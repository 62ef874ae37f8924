"""The assembled document: what every writer (Word, terminal, HTML) reads, and all it reads.

`assemble.py` makes it from a Report: title lines, 导语, the sections in order with the official
tables placed in them, every placeholder filled, the template's own placeholders evaluated.
A writer never evaluates, never reads a file and never knows the format's rules; it draws this.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Union

from .records import field, record
from .format import CellKey, Layout
from .model import Block


@record
class OfficialTable:
    """One of the format's tables, placed: its printed layout and what each value cell shows."""

    key: str  # 二 / 三 / 四: findings name their table by it
    title: str
    layout: Layout  # merges, header rows, column widths, column groups
    texts: dict[CellKey, str] = field(default_factory=dict)  # value cells as printed
    # What was typed where nothing can be printed (a word instead of a number), for the preview.
    unprintable: dict[CellKey, str] = field(default_factory=dict)

    def text(self, key: CellKey) -> str:
        return self.texts.get(key, "")


DocumentBlock = Union[Block, OfficialTable]


@record
class DocumentSection:
    """A section as printed: its title, then its blocks with the official table in place."""

    number: str  # 一 … 六
    title: str  # as printed: 一、总体情况
    blocks: tuple[DocumentBlock, ...]
    source: Path | None = None  # the section's Markdown file
    page_break_before: bool = False  # the file opens with <!-- 分页 -->: the title starts a page


@record
class Properties:
    """What the file says about itself (Word's document properties)."""

    title: str
    author: str
    created: datetime
    language: str = "zh-CN"


@record
class Document:
    """The whole report, ready to draw."""

    title_lines: tuple[str, ...]  # 机关全称 / 2024年政府信息公开工作年度报告
    intro: tuple[Block, ...]  # 导语
    sections: tuple[DocumentSection, ...]
    properties: Properties
    # The template's own placeholders ("{{ 机关全称 }}" as written) and their values.
    template_values: dict[str, str] = field(default_factory=dict)

    @property
    def tables(self) -> dict[str, OfficialTable]:
        """The official tables by key, in the order they are printed."""
        return {b.key: b for s in self.sections for b in s.blocks if isinstance(b, OfficialTable)}
