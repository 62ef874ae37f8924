"""The one Report model every reader fills and every writer, preview and check consumes.

A writer never knows whether the model came from a project folder or (later) from an
imported report; every value keeps the location it was read from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Literal, Union

from .diagnostics import Location
from .format import CellKey, Format, SectionForm, TableForm

Number = Union[int, Decimal]

# ---------------------------------------------------------------- narrative


@dataclass(frozen=True)
class Span:
    """A run of text with its emphasis; "\n" alone is a line break.

    A span read from a placeholder keeps its source (`placeholder`, e.g. "{{ 年度 }}") and where
    it was written; once filled, `text` is the value.
    """

    text: str
    bold: bool = False
    italic: bool = False
    placeholder: str | None = None
    location: Location | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Heading:
    level: int  # 1 一、 / 2 （一） / 3 1. / 4 （1）
    spans: tuple[Span, ...]
    location: Location | None = None

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)


@dataclass(frozen=True)
class Paragraph:
    spans: tuple[Span, ...]
    location: Location | None = None
    lead: Heading | None = None  # a run-in heading: "（一）主动公开方面。一是……"

    @property
    def text(self) -> str:
        lead = self.lead.text if self.lead else ""
        return lead + "".join(s.text for s in self.spans)


@dataclass(frozen=True)
class ListBlock:
    ordered: bool
    start: int
    items: tuple[tuple["Block", ...], ...]
    location: Location | None = None


@dataclass(frozen=True)
class GridTable:
    """A simple GFM table written in the narrative."""

    header: tuple[tuple[Span, ...], ...]
    rows: tuple[tuple[tuple[Span, ...], ...], ...]
    aligns: tuple[Literal["left", "center", "right", ""], ...]
    location: Location | None = None


@dataclass(frozen=True)
class PageBreak:
    location: Location | None = None


@dataclass(frozen=True)
class OfficialTablePlace:
    """Where in its section the official table goes (`<!-- 表格 -->`)."""

    location: Location | None = None


Block = Union[Heading, Paragraph, ListBlock, GridTable, PageBreak, OfficialTablePlace]

# ---------------------------------------------------------------- numbers

EntryState = Literal["number", "blank", "not_applicable", "invalid"]


@dataclass(frozen=True)
class Entry:
    """A table value as typed in a YAML file."""

    state: EntryState
    text: str  # as typed, for messages
    location: Location
    number: Number | None = None


@dataclass
class TableData:
    """One official table's values: what the file gave, and the totals zbreport computed."""

    form: TableForm
    source: Path
    entries: dict[CellKey, Entry] = field(default_factory=dict)
    values: dict[CellKey, Number | None] = field(default_factory=dict)

    def value(self, row: str, col: str) -> Number | None:
        return self.values.get((row, col))

    def display(self, key: CellKey) -> str:
        """The cell as printed: a number, "/" where the row does not apply, or blank."""
        value = self.values.get(key)
        if value is None:
            entry = self.entries.get(key)
            return "/" if entry and entry.state == "not_applicable" else ""
        return format_number(value)

    def location_of(self, key: CellKey) -> Location | None:
        entry = self.entries.get(key)
        return entry.location if entry else None


def format_number(value: Number) -> str:
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text if text != "-0" else "0"
    return str(value)


def compute_totals(form: TableForm, entries: dict[CellKey, Entry]) -> dict[CellKey, Number | None]:
    """Input values plus every total, computed from its parts; a total with a missing part stays None."""
    values: dict[CellKey, Number | None] = {
        c.key: (entries[c.key].number if c.key in entries and entries[c.key].state == "number" else None)
        for c in form.input_cells
    }
    pending = list(form.totals)
    while pending:  # totals of totals (（七）总计·总计) resolve once their parts have
        waiting = []
        for total in pending:
            if total.cell in values:
                continue
            if all(p in values for p in total.parts):
                parts = [values[p] for p in total.parts]
                values[total.cell] = None if any(v is None for v in parts) else sum(parts)  # type: ignore[arg-type]
            else:
                waiting.append(total)
        if len(waiting) == len(pending):
            raise ValueError(f"circular totals in table {form.key}")
        pending = waiting
    return values


# ---------------------------------------------------------------- the report


@dataclass(frozen=True)
class Rounding:
    """How a percentage is cut to `digits` decimals: rounded half up, or truncated (the seed's 97.72%)."""

    digits: int = 2
    mode: Literal["round", "truncate"] = "round"


@dataclass(frozen=True)
class Metadata:
    issuer: str  # 机关全称
    year: int
    contact: tuple[tuple[str, str], ...] = ()  # (label, value) in print order: 地址, 邮编, …
    intro: tuple[Block, ...] | None = None  # replaces the generated 导语 when given
    date: str | None = None  # 成文日期, as printed: 2025年1月20日
    rounding: Rounding = Rounding()
    previous_link: str | None = None  # 上年: last year's project folder or figures file, as written
    template_link: str | None = None  # 模板: the agency's Word template, as written
    locations: dict[str, Location] = field(default_factory=dict, compare=False)

    @property
    def title(self) -> str:
        return f"{self.year}年政府信息公开工作年度报告"


@dataclass(frozen=True)
class Section:
    form: SectionForm
    blocks: tuple[Block, ...]
    source: Path | None = None


@dataclass(frozen=True)
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


@dataclass
class Report:
    format: Format  # the official format the report follows
    project_dir: Path
    meta: Metadata
    sections: tuple[Section, ...]
    tables: dict[str, TableData]
    previous: PreviousYear | None = None
