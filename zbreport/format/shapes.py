"""Building blocks for describing an official table: headers, cells, totals, balances, layout.

The official format is written once as data (see `gb2021.py`); everything that draws,
loads or checks a table derives what it needs from these shapes, so a label or a merge
is never typed twice.
"""

from __future__ import annotations

import re
from typing import Iterator, Literal

from ..records import field, record


CellKey = tuple[str, str]  # (row key, column key)
CellKind = Literal["count", "amount"]  # count: 件, a whole number; amount: 万元, may be decimal


@record
class Header:
    """A node of a header tree: a leaf is a data row or column, an inner node a merged label."""

    label: str
    key: str | None = None
    children: tuple[Header, ...] = ()

    def leaves(self, path: tuple[Header, ...] = ()) -> Iterator[tuple[Header, tuple[Header, ...]]]:
        """Each leaf with the path of headers above it (the leaf included)."""
        path = path + (self,)
        if not self.children:
            yield self, path
        for child in self.children:
            yield from child.leaves(path)

    def depth(self) -> int:
        return 1 + max((c.depth() for c in self.children), default=0)


@record
class CellForm:
    """One data cell of an official table."""

    table: str
    row: str
    col: str
    row_label: str  # as a clerk reads it, e.g. "（三）不予公开·1.属于国家秘密"
    col_label: str  # e.g. "自然人", "行政诉讼·未经复议直接起诉·总计"
    yaml_path: tuple[str, ...]  # mapping keys from the top of the table's YAML file to the value
    kind: CellKind = "count"
    allows_not_applicable: bool = False  # "/" accepted, e.g. 规章 for an organ without rule-making power
    computed: bool = False  # a total: zbreport computes it; a typed value is only compared

    @property
    def key(self) -> CellKey:
        return (self.row, self.col)

    @property
    def name(self) -> str:
        """Where the cell sits, in the words of the printed table: 表三·（一）予以公开·总计.

        The one name of a cell: `check` prints it, and a placeholder reads it as written.
        """
        return "·".join(p for p in (f"表{self.table}", self.row_label, self.col_label) if p)


@record
class Total:
    """A total cell equal to the sum of its parts (rules R3, R4, R5)."""

    rule: str
    cell: CellKey
    parts: tuple[CellKey, ...]


@record
class Balance:
    """sum(left) == sum(right), e.g. R1: 一 + 二 = 三（七）总计 + 四, per column."""

    rule: str
    label: str  # the column it is about, e.g. "自然人"
    left: tuple[CellKey, ...]
    right: tuple[CellKey, ...]
    left_name: str  # how the printed table names each side, e.g. "一+二"
    right_name: str
    derived: bool = False  # follows from the other balances of the same rule once totals are computed


@record
class CarryOver:
    """R7: what this year carried over equals what last year carried forward, column by column."""

    rule: str
    table: str
    this_row: str  # 二、上年结转…
    last_row: str  # 四、结转下年度继续办理 of last year's report


@record
class StockFlow:
    """R9: in force now = in force last year + issued − repealed, for one row of a table.

    `may_shrink`: documents that lapse at the end of their validity leave the stock without
    being counted as repealed (seed note 3), so only a stock above the sum is an error; a
    large shrink nobody explains is still worth a look.
    """

    rule: str
    table: str
    row: str
    stock: str
    inflow: str
    outflow: str
    may_shrink: bool = False
    # A shrink larger than this share of the expected stock is pointed out (a notice), unless
    # the notes under the table say something matching `explained_by`.
    notice_share: float = 0.0
    explained_by: str = ""


@record
class NarrativeFigure:
    """Words that name a table figure in a report's narrative, and that figure as a placeholder.

    `words` is searched in the words before a number in one clause; `figure` is the placeholder
    expression the number should equal (`{列}` stands for the applicant column the clause names,
    总计 by default); `alternatives` are what else such words plausibly count (a sum, a part).
    """

    name: str  # what the words count, for messages: 本年新收申请
    words: str
    figure: str
    alternatives: tuple[tuple[str, str], ...] = ()  # (what it is, placeholder expression)
    unit: str = "件|宗|起"  # the unit a number must carry to be this figure


@record
class LayoutCell:
    """A rectangle of the printed grid: a header, a row label, a caption or a value."""

    row: int
    col: int
    text: str = ""
    rowspan: int = 1
    colspan: int = 1
    role: Literal["corner", "header", "label", "caption", "value"] = "header"
    cell: CellKey | None = None  # for role == "value"


@record
class Layout:
    """A table's printed grid: its size, its rectangles (merges included), widths and groups."""

    n_rows: int
    n_cols: int
    cells: tuple[LayoutCell, ...]
    header_rows: int = 0  # rows repeated at the top of each page
    column_widths_mm: tuple[float, ...] = ()
    # Preview groups: column ranges the terminal may draw as separate tables when narrow.
    column_groups: tuple[tuple[int, int], ...] = ()


@record
class TableForm:
    """One official table: its cells, how it is printed, and its arithmetic."""

    key: str  # "二", "三", "四": the section number that holds the table
    title: str
    file_name: str
    cells: tuple[CellForm, ...]
    layout: Layout
    totals: tuple[Total, ...] = ()
    balances: tuple[Balance, ...] = ()
    corner_note: str | None = None
    cell_by_key: dict[CellKey, CellForm] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.cell_by_key.update({c.key: c for c in self.cells})

    def cell(self, key: CellKey) -> CellForm:
        return self.cell_by_key[key]

    @property
    def input_cells(self) -> tuple[CellForm, ...]:
        return tuple(c for c in self.cells if not c.computed)


@record
class SectionForm:
    """One of the format's sections: its number, title, file and table."""

    number: str  # 一 … 六
    title: str  # exact official title, e.g. "一、总体情况"
    key: str
    file_name: str
    table: TableForm | None = None
    guidance: str = ""  # what the section must contain, for new projects


@record
class Format:
    """One revision of the official format, as a value every reader, check and writer is given.

    2021 is the only one today; a 2019 reader or a future revision is another value of this
    type, not an edit of the modules that use it.
    """

    name: str  # how reports cite it: 国办公开办函〔2021〕30号
    sections: tuple[SectionForm, ...]
    carry_over: CarryOver  # R7
    stock_flows: tuple[StockFlow, ...]  # R9
    # Labels of the superseded format and what replaced them (R12).
    superseded: dict[str, str] = field(default_factory=dict)
    superseded_single_row: dict[str, str] = field(default_factory=dict)
    superseded_name: str = ""  # how reports cite the superseded format: 国办公开办函〔2019〕60号
    # Section titles as published reports also write them, for reading one back: 条例 wording, shortenings.
    section_title_variants: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Other wordings that mean an official label exactly (规范性文件 for 行政规范性文件).
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # The narrative's words for table figures (R8), for the applicant columns, and for counts of others.
    narrative_figures: tuple["NarrativeFigure", ...] = ()
    applicant_words: tuple[tuple[str, str], ...] = ()
    narrative_elsewhere: str = ""

    @property
    def tables(self) -> dict[str, TableForm]:
        """The official tables by key (二, 三, 四), in section order."""
        return {s.table.key: s.table for s in self.sections if s.table is not None}

    def section(self, number: str) -> SectionForm:
        return next(s for s in self.sections if s.number == number)


_LABEL_FOLDS = str.maketrans({"(": "（", ")": "）", ",": "、", "，": "、", "．": ".", "：": ":"})
_LABEL_DROPS = re.compile(r"[\s\"“”'‘’]")


def normalize_label(text: str) -> str:
    """A label with the punctuation variants of real copies folded (spaces, quotes, 、/，, half-width brackets)."""
    return _LABEL_DROPS.sub("", text.translate(_LABEL_FOLDS))


def grid_table(
    *,
    key: str,
    title: str,
    file_name: str,
    rows: tuple[Header, ...],
    columns: tuple[Header, ...],
    corner_note: str | None,
    column_path_in_yaml: Literal["leaf", "full"],
    single_row_key: str = "",
    column_widths_mm: tuple[float, ...] = (),
    totals: tuple[Total, ...] = (),
    balances: tuple[Balance, ...] = (),
    column_groups: tuple[tuple[int, int], ...] = (),
) -> TableForm:
    """A table whose headers are trees: rows down the left, columns across the top (表三, 表四).

    Merges follow from the trees: a leaf spans the levels below it, an inner node its leaves.
    With no row headers, the table has one data row keyed `single_row_key`.
    """
    col_depth = max(c.depth() for c in columns)
    row_depth = max((r.depth() for r in rows), default=0)
    col_leaves = [leaf for root in columns for leaf in root.leaves()]
    cells: list[LayoutCell] = []
    if row_depth:
        cells.append(
            LayoutCell(0, 0, corner_note or "", rowspan=col_depth, colspan=row_depth, role="corner")
        )
    left = row_depth
    for root in columns:
        left += _place_headers(root, 0, left, col_depth, cells, across=True)

    row_entries: list[tuple[str, str, tuple[str, ...]]] = []  # key, label for messages, yaml labels
    if rows:
        top = 0
        for header in rows:
            top += _place_headers(header, top + col_depth, 0, row_depth, cells, across=False)
        for header in rows:
            for leaf, path in header.leaves():
                labels = tuple(h.label for h in path)
                # Messages name a result row without the 三、本年度办理结果 umbrella.
                readable = labels[1:] if len(labels) > 1 else labels
                row_entries.append((leaf.key or "", "·".join(readable), labels))
    else:
        row_entries.append((single_row_key, "", ()))

    forms: list[CellForm] = []
    computed = {t.cell for t in totals}
    for r, (row_key, row_label, row_yaml) in enumerate(row_entries):
        for c, (leaf, path) in enumerate(col_leaves):
            col_labels = tuple(h.label for h in path) if column_path_in_yaml == "full" else (leaf.label,)
            cell_key = (row_key, leaf.key or "")
            forms.append(
                CellForm(
                    table=key,
                    row=row_key,
                    col=leaf.key or "",
                    row_label=row_label,
                    col_label="·".join(col_labels),
                    yaml_path=row_yaml + col_labels,
                    computed=cell_key in computed,
                )
            )
            cells.append(LayoutCell(col_depth + r, row_depth + c, role="value", cell=cell_key))
    layout = Layout(
        n_rows=col_depth + len(row_entries),
        n_cols=row_depth + len(col_leaves),
        cells=tuple(cells),
        header_rows=col_depth,
        column_widths_mm=column_widths_mm,
        column_groups=column_groups,
    )
    return TableForm(
        key=key,
        title=title,
        file_name=file_name,
        cells=tuple(forms),
        layout=layout,
        totals=totals,
        balances=balances,
        corner_note=corner_note,
    )


def _place_headers(
    node: Header, along: int, across_start: int, depth: int, out: list[LayoutCell], *, across: bool
) -> int:
    """Place a header tree; returns how many leaves it spans.

    `across=True` lays a column tree out left to right starting at column `across_start`,
    with tree levels going down from row `along`; `across=False` lays a row tree out top to
    bottom starting at row `along`, levels going right from column `across_start`.
    """

    def place(n: Header, level: int, start: int) -> int:
        span = 0
        for child in n.children:
            span += place(child, level + 1, start + span)
        span = span or 1
        thickness = 1 if n.children else depth - level
        if across:
            out.append(LayoutCell(along + level, start, n.label, rowspan=thickness, colspan=span, role="header"))
        else:
            out.append(LayoutCell(start, across_start + level, n.label, rowspan=span, colspan=thickness, role="label"))
        return span

    if across:
        return place(node, 0, across_start)
    return place(node, 0, along)


@record
class Block:
    """One stacked block of 表二: a caption row, a 信息内容 header row, then data rows."""

    caption: str
    columns: tuple[Header, ...]
    rows: tuple[Header, ...]
    kind: CellKind = "count"
    not_applicable_rows: frozenset[str] = frozenset()  # rows that may be "/"


def block_table(
    *,
    key: str,
    title: str,
    file_name: str,
    row_header: str,
    blocks: tuple[Block, ...],
    value_columns: int,
    column_widths_mm: tuple[float, ...] = (),
) -> TableForm:
    """A table of stacked blocks on one grid (表二); a block with one value column spans them all."""
    cells: list[LayoutCell] = []
    forms: list[CellForm] = []
    n_cols = 1 + value_columns
    row = 0
    for block in blocks:
        cells.append(LayoutCell(row, 0, block.caption, colspan=n_cols, role="caption"))
        span = value_columns // len(block.columns)
        cells.append(LayoutCell(row + 1, 0, row_header, role="header"))
        for i, col in enumerate(block.columns):
            cells.append(LayoutCell(row + 1, 1 + i * span, col.label, colspan=span, role="header"))
        row += 2
        for data_row in block.rows:
            cells.append(LayoutCell(row, 0, data_row.label, role="label"))
            for i, col in enumerate(block.columns):
                cell_key = (data_row.key or "", col.key or "")
                cells.append(LayoutCell(row, 1 + i * span, colspan=span, role="value", cell=cell_key))
                forms.append(
                    CellForm(
                        table=key,
                        row=data_row.key or "",
                        col=col.key or "",
                        row_label=f"{block.caption}·{data_row.label}",
                        col_label=col.label,
                        yaml_path=(block.caption, data_row.label, col.label),
                        kind=block.kind,
                        allows_not_applicable=data_row.key in block.not_applicable_rows,
                    )
                )
            row += 1
    layout = Layout(n_rows=row, n_cols=n_cols, cells=tuple(cells), column_widths_mm=column_widths_mm)
    return TableForm(key=key, title=title, file_name=file_name, cells=tuple(forms), layout=layout)
