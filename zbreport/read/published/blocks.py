"""What every reader of a published report produces: text blocks and table grids, in reading order.

A .docx, a web page and a PDF differ in how they store a report, not in what a reader sees:
headings, paragraphs, list items and tables whose cells may span rows and columns. The readers
turn their format into these blocks; `interpret.py` turns the blocks into the Report model,
knowing the official format and nothing about the file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable, Literal, Union

from ...records import field, record

Role = Literal["title", "heading", "paragraph", "item"]
MAX_SPAN = 64  # columns a cell may span: the widest official table has 15, so more is a broken file

# A page number on a line of its own, as footers print it: "— 3 —", "- 3 -", "第3页", "3/12".
PAGE_NUMBER = re.compile(r"^\s*(?:[—–\-－‒―]+\s*\d*\s*[—–\-－‒―]*|\d+\s*[—–\-－‒―]+|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|\d{1,3})\s*$")


@record(frozen=False)
class TextBlock:
    """A heading, paragraph or list item as published.

    `level` is the heading level the source declares (a Word heading style, <h2>), 0 when it
    says nothing; `lead` is a run-in heading the source marks at the start of the text
    ("（一）主动公开方面。"), which `text` includes.
    """

    text: str
    role: Role = "paragraph"
    level: int = 0
    lead: str = ""
    marker: str = ""  # a list item's number or bullet as printed, not part of `text`
    ordered: bool = False
    page: int = 0  # PDF page, from 1; 0 where the format has no pages


@record(frozen=False, eq=False)  # cells are told apart by identity: a merged cell is one cell at many positions
class Cell:
    """One cell of a table as drawn: where it starts in the grid and how far it spans."""

    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1


@record(frozen=False)
class TableBlock:
    """A table: its cells, each once, at the grid position where it starts."""

    cells: list[Cell]
    n_rows: int
    n_cols: int
    page: int = 0

    def grid(self) -> list[list[Cell | None]]:
        """Every grid position with the cell covering it; a merged cell fills each position it spans."""
        grid: list[list[Cell | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for cell in self.cells:
            for r in range(cell.row, min(cell.row + cell.rowspan, self.n_rows)):
                for c in range(cell.col, min(cell.col + cell.colspan, self.n_cols)):
                    grid[r][c] = cell
        return grid

    def row_texts(self, row: int) -> list[str]:
        return [c.text for c in self.cells if c.row == row]

    def stacked(self, other: TableBlock, skip_rows: int = 0) -> TableBlock:
        """This table with `other`'s rows below it (its first `skip_rows` left out)."""
        cells = list(self.cells)
        for cell in other.cells:
            if cell.row >= skip_rows:
                cells.append(Cell(cell.text, cell.row - skip_rows + self.n_rows, cell.col, cell.rowspan, cell.colspan))
        return TableBlock(cells, self.n_rows + other.n_rows - skip_rows, max(self.n_cols, other.n_cols), self.page)


Block = Union[TextBlock, TableBlock]


@record(frozen=False)
class Note:
    """Something in the file that a project cannot hold (an image, a footnote, a text box…)."""

    message: str
    page: int = 0


@record(frozen=False)
class Published:
    """A published report as its reader saw it."""

    path: Path
    kind: str  # how messages name the file's kind: Word 文档, 网页, PDF
    blocks: list[Block]
    notes: list[Note] = field(default_factory=list)


def table_from_rows(rows: list[list[tuple[str, int, int]]]) -> TableBlock:
    """A table from rows of (text, rowspan, colspan) as HTML and Word list them: each row gives
    only the cells that start in it, left to right, skipping positions that cells above cover."""
    cells: list[Cell] = []
    taken: set[tuple[int, int]] = set()
    n_cols = 0
    for r, row in enumerate(rows):
        c = 0
        for text, rowspan, colspan in row:
            while (r, c) in taken:
                c += 1
            rowspan = max(1, min(rowspan, len(rows) - r))
            colspan = max(1, min(colspan, MAX_SPAN))
            cells.append(Cell(text, r, c, rowspan, colspan))
            for rr in range(r, r + rowspan):
                for cc in range(c, c + colspan):
                    taken.add((rr, cc))
            c += colspan
        n_cols = max(n_cols, c, max((cc + 1 for rr, cc in taken if rr == r), default=0))
    return TableBlock(cells, len(rows), n_cols)


def join_continued_tables(blocks: list[Block], kind_of: Callable[[TableBlock], str | None]) -> list[Block]:
    """A table carried over a page break, as agencies type it (a second table, its header typed
    again) or as a PDF shows it, becomes one table again.

    Two tables with no text between them are one when the second repeats the first's top rows
    (the repeated header is dropped), when `kind_of` (which official table a grid's labels
    say it is) names the same table for both, or when the second names none and has as many
    columns (the rows of a table split without its header).
    """
    out: list[Block] = []
    for block in blocks:
        previous = out[-1] if out else None
        if isinstance(block, TableBlock) and isinstance(previous, TableBlock):
            repeated = _repeated_header_rows(previous, block)
            kind = kind_of(block)
            if repeated or (kind is not None and kind == kind_of(previous)) or (kind is None and block.n_cols == previous.n_cols):
                out[-1] = previous.stacked(block, repeated)
                continue
        out.append(block)
    return out


def _repeated_header_rows(first: TableBlock, second: TableBlock) -> int:
    """How many top rows of `second` repeat `first`'s top rows, text for text."""
    n = 0
    while n < min(first.n_rows, second.n_rows) - 1:
        a, b = first.row_texts(n), second.row_texts(n)
        if not a or [_squash(t) for t in a] != [_squash(t) for t in b]:
            break
        n += 1
    return n


def _squash(text: str) -> str:
    return "".join(text.split())
