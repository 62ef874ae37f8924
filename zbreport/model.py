"""The one Report model every reader fills and every writer, preview and check consumes.

A writer never knows whether the model came from a project folder or (later) from an
imported report; every value keeps the location it was read from.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Literal, Union

from .records import field, record
from .diagnostics import Location
from .format import CellKey, Format, SectionForm, TableForm

Number = Union[int, Decimal]

# ---------------------------------------------------------------- narrative: inline nodes
#
# A tree, as pandoc's: containers (Strong, Emph, …, Link) hold inline children; leaves are text,
# code, breaks, images, notes and placeholders. Writers walk it; none of them evaluates it.


@record
class Text:
    """Plain text."""

    text: str


@record
class Code:
    """Inline code: printed as written, placeholders included."""

    text: str


@record
class LineBreak:
    """A hard break inside a paragraph (two spaces or a backslash at the end of a line, `<br>`)."""


@record
class Placeholder:
    """A `{{ … }}` where it was written; `value` is its text once the report is assembled."""

    source: str  # as written, braces included
    location: Location | None = field(default=None, compare=False)
    value: str | None = None

    @property
    def text(self) -> str:
        return self.value if self.value is not None else self.source


@record
class Container:
    """An inline node that marks up its children."""

    children: tuple["Inline", ...]


class Strong(Container):
    """Bold (`**…**`)."""


class Emph(Container):
    """Italic (`*…*`)."""


class Strikeout(Container):
    """Struck through (`~~…~~`)."""


class Underline(Container):
    """Underlined (`<u>…</u>`)."""


class Subscript(Container):
    """Below the line (`<sub>…</sub>`)."""


class Superscript(Container):
    """Above the line (`<sup>…</sup>`)."""


@record
class Link(Container):
    """A link: its text (the children), where it goes and its tooltip."""

    target: str = ""
    title: str = ""


@record
class Image:
    """A picture in the text. `data` is the file's content, read when the narrative was read."""

    alt: tuple["Inline", ...]
    source: str  # as written in the Markdown
    data: bytes | None = field(default=None, repr=False)
    title: str = ""
    location: Location | None = field(default=None, compare=False)


@record
class Note:
    """A footnote: its content, placed where it is referenced."""

    blocks: tuple["Block", ...]
    label: str = ""
    location: Location | None = field(default=None, compare=False)


Inline = Union[Text, Code, LineBreak, Placeholder, Container, Image, Note]


def inline_text(nodes: tuple[Inline, ...]) -> str:
    """What a reader reads of the nodes: text and filled values; no images, no note bodies."""
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, (Text, Code)):
            parts.append(node.text)
        elif isinstance(node, Placeholder):
            parts.append(node.text)
        elif isinstance(node, LineBreak):
            parts.append("\n")
        elif isinstance(node, Container):
            parts.append(inline_text(node.children))
    return "".join(parts)


def plain_inlines(text: str) -> tuple[Inline, ...]:
    """Plain text as inline nodes, its line breaks as the model's breaks (what `inline_text` reads back)."""
    nodes: list[Inline] = []
    for i, line in enumerate(text.split("\n")):
        if i:
            nodes.append(LineBreak())
        if line:
            nodes.append(Text(line))
    return tuple(nodes)


# ---------------------------------------------------------------- narrative: blocks


@record
class Heading:
    """A heading inside a section, numbered in the 公文 sequence by its level."""

    level: int  # 1 一、 / 2 （一） / 3 1. / 4 （1）
    content: tuple[Inline, ...]
    location: Location | None = None

    @property
    def text(self) -> str:
        return inline_text(self.content)


@record
class Paragraph:
    """A paragraph of body text, perhaps opened by a run-in heading."""

    content: tuple[Inline, ...]
    location: Location | None = None  # of `content`; a run-in heading's own is `lead.location`
    lead: Heading | None = None  # a run-in heading: "（一）主动公开方面。一是……"

    @property
    def text(self) -> str:
        lead = self.lead.text if self.lead else ""
        return lead + inline_text(self.content)

    @property
    def start_location(self) -> Location | None:
        """Where the paragraph starts in its source: its run-in heading's line, if it has one."""
        if self.lead is not None and self.lead.location is not None:
            return self.lead.location
        return self.location


@record
class ListBlock:
    """A bulleted or numbered list; each item is a sequence of blocks."""

    ordered: bool
    start: int
    items: tuple[tuple["Block", ...], ...]
    location: Location | None = None

    @property
    def text(self) -> str:
        return "\n".join(block_text(b) for item in self.items for b in item)


@record
class BlockQuote:
    """Quoted blocks (`> …`)."""

    blocks: tuple["Block", ...]
    location: Location | None = None

    @property
    def text(self) -> str:
        return "\n".join(block_text(b) for b in self.blocks)


@record
class CodeBlock:
    """A fenced or indented block, printed line for line as written."""

    text: str
    location: Location | None = None


@record
class GridTable:
    """A simple GFM table written in the narrative."""

    header: tuple[tuple[Inline, ...], ...]
    rows: tuple[tuple[tuple[Inline, ...], ...], ...]
    aligns: tuple[Literal["left", "center", "right", ""], ...]
    location: Location | None = None

    @property
    def text(self) -> str:
        return "\n".join("\t".join(inline_text(c) for c in row) for row in (self.header, *self.rows))


@record
class PageBreak:
    """A page break the author asked for (`<!-- 分页 -->`)."""

    location: Location | None = None


@record
class OfficialTablePlace:
    """Where in its section the official table goes (`<!-- 表格 -->`)."""

    location: Location | None = None


Block = Union[Heading, Paragraph, ListBlock, BlockQuote, CodeBlock, GridTable, PageBreak, OfficialTablePlace]


def block_text(block: object) -> str:
    return getattr(block, "text", "")


# ---------------------------------------------------------------- numbers

EntryState = Literal["number", "blank", "not_applicable", "invalid"]


@record
class Entry:
    """A table value as typed in a YAML file.

    `text` is as typed: "22（其中修订16件）" is the number 22 with the note "（其中修订16件）", and
    "/" and "—" stay what they were (both `not_applicable`), printed as written.
    """

    state: EntryState
    text: str  # as typed, for messages and for printing a note or a dash
    location: Location
    number: Number | None = None
    note: str = ""  # what follows the number, printed with it


@record(frozen=False)
class TableData:
    """One official table's values: what the file gave, and the totals zbreport computed."""

    form: TableForm
    source: Path
    entries: dict[CellKey, Entry] = field(default_factory=dict)
    values: dict[CellKey, Number | None] = field(default_factory=dict)
    # Rows written as one row of numbers where the format has several (the 2019 （六）其他处理):
    # their sum per column, (rows, column) → entry, so the totals above them can still be checked.
    combined: dict[tuple[tuple[str, ...], str], Entry] = field(default_factory=dict)

    def value(self, row: str, col: str) -> Number | None:
        return self.values.get((row, col))

    def display(self, key: CellKey) -> str:
        """The cell as printed: what was typed, else its computed total, else blank.

        What was typed is shown as typed, a total too: a number (with its note), a dash or "/";
        nothing for a blank or a word. A typed total whose parts add up to something else is
        printed as typed, and the finding about it gives the sum.
        """
        entry = self.entries.get(key)
        if entry is None:
            value = self.values.get(key)
            return "" if value is None else format_number(value)
        if entry.state == "number" and entry.number is not None:
            return entry.text if entry.note else format_number(entry.number)
        return entry.text if entry.state == "not_applicable" else ""

    def location_of(self, key: CellKey) -> Location | None:
        entry = self.entries.get(key)
        return entry.location if entry else None


def format_number(value: Number) -> str:
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text if text != "-0" else "0"
    return str(value)


def compute_totals(
    form: TableForm,
    entries: dict[CellKey, Entry],
    combined: dict[tuple[tuple[str, ...], str], Entry] | None = None,
) -> dict[CellKey, Number | None]:
    """Input values plus every total: computed from its parts where they are known, else as typed.

    A published report types its totals; where a part is missing (a row left out or unreadable),
    the typed total stands in, so the rules above it can still be checked and the table printed.
    """
    values: dict[CellKey, Number | None] = {
        c.key: (entries[c.key].number if c.key in entries and entries[c.key].state == "number" else None)
        for c in form.input_cells
    }

    def settle() -> None:
        changed = True
        while changed:  # totals of totals (（七）总计·总计) resolve once their parts have
            changed = False
            for total in form.totals:
                if values.get(total.cell) is None:
                    value = sum_of_parts(total.parts, values, combined or {})
                    if value is not None:
                        values[total.cell] = value
                        changed = True

    settle()
    typed = [t.cell for t in form.totals if values.get(t.cell) is None and _typed(entries, t.cell) is not None]
    for cell in typed:
        values[cell] = _typed(entries, cell)
    if typed:
        settle()
    for total in form.totals:
        values.setdefault(total.cell, None)
    return values


def _typed(entries: dict[CellKey, Entry], key: CellKey) -> Number | None:
    entry = entries.get(key)
    return entry.number if entry is not None and entry.state == "number" else None


def sum_of_parts(
    parts: tuple[CellKey, ...],
    values: dict[CellKey, Number | None],
    combined: dict[tuple[tuple[str, ...], str], Entry],
) -> Number | None:
    """The sum of `parts`, a combined row standing in for the rows it covers; None if one is unknown."""
    known: dict[object, Number | None] = {p: values.get(p) for p in parts}
    for (rows, col), entry in combined.items():
        group = [(row, col) for row in rows]
        if entry.number is not None and all(g in known and known[g] is None for g in group):
            for g in group:
                del known[g]
            known[(rows, col)] = entry.number
    if any(v is None for v in known.values()):
        return None
    return sum(known.values())  # type: ignore[arg-type]


# ---------------------------------------------------------------- the report


@record
class Rounding:
    """How a percentage is cut to `digits` decimals: rounded half up, or truncated (the seed's 97.72%)."""

    digits: int = 2
    mode: Literal["round", "truncate"] = "round"


@record
class Metadata:
    """What report.yaml says about the report: who issues it, the year, contacts, title, date."""

    issuer: str  # 机关全称
    year: int
    contact: tuple[tuple[str, str], ...] = ()  # (label, value) in print order: 地址, 邮编, …
    intro: tuple[Block, ...] | None = None  # the 导语 as written; None: assemble generates it
    date: str | None = None  # 成文日期, as printed: 2025年1月20日
    rounding: Rounding = Rounding()
    previous_link: str | None = None  # 上年: last year's project folder or figures file, as written
    template_link: str | None = None  # 模板: the agency's Word template, as written
    locations: dict[str, Location] = field(default_factory=dict, compare=False)
    date_value: date | None = None  # 成文日期 as a date
    written_title: str | None = None  # 标题, as written; a line break is where the printed title breaks
    sections: tuple[SectionForm, ...] = ()  # 章节: the report's own sections, in order; () for the format's

    @property
    def title(self) -> str:
        """The title as one line: report.yaml's 标题, or 2024年政府信息公开工作年度报告."""
        if self.written_title:
            return "".join(line.strip() for line in self.written_title.splitlines())
        return f"{self.year}年政府信息公开工作年度报告"

    @property
    def title_lines(self) -> tuple[str, ...]:
        """The title as printed on the cover: 标题's lines, or the issuer over the generated title."""
        if self.written_title:
            return tuple(line.strip() for line in self.written_title.splitlines() if line.strip())
        return (self.issuer, self.title)

    @property
    def full_title(self) -> str:
        """The whole title in one line, as a file name or the document's title property."""
        return "".join(self.title_lines)


@record
class Section:
    """One of the report's sections: its place in the format and its narrative."""

    form: SectionForm
    blocks: tuple[Block, ...]
    source: Path | None = None


@record
class PreviousYear:
    """Last year's figures: read from last year's project, or from a small file of published figures.

    `values` holds only the cells known; a stand-in file may give a total without its parts.
    """

    source: Path
    year: int | None
    values: dict[str, dict[CellKey, Number]]
    meta: Metadata | None = None
    locations: dict[tuple[str, CellKey], Location] = field(default_factory=dict, compare=False)

    def value(self, table: str, key: CellKey) -> Number | None:
        return self.values.get(table, {}).get(key)


@record(frozen=False)
class Report:
    """A whole report as read: metadata, sections, the official tables and last year's figures."""

    format: Format  # the official format the report follows
    project_dir: Path
    meta: Metadata
    sections: tuple[Section, ...]
    tables: dict[str, TableData]
    previous: PreviousYear | None = None
    # False where only the figures were read (preview, a summary's members): the sections are
    # there for their titles and tables, without their text.
    narrative_read: bool = True


@record
class TemplatePlaceholders:
    """The placeholders a Word template holds, for messages that say where a person finds them."""

    name: str  # the template's file name, or "zbreport 默认模板"
    path: Path
    found: tuple[tuple[str, str], ...] = ()  # (placeholder as written, 页眉 / 页脚 / 正文 / 正文表格)
