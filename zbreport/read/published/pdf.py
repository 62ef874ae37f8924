"""Reading a text PDF into blocks: lines joined into paragraphs, ruled tables rebuilt as grids.

A PDF holds characters at positions, not paragraphs. Lines are the characters sharing a
baseline; a paragraph ends where a line stops short of the right margin, and begins where a
line is indented (the two-character indent of Chinese body text) or after a gap. Tables are
found by their ruling lines (pdfplumber), each cell with the span its borders give; a table
that runs over a page break is joined again here, by the positions of its columns: the header
it repeats is dropped, and a row that the break cut in two is made one row again.
Page numbers and running headers are dropped. A PDF without characters is a scan: it is
refused with a message rather than read as an empty report.
"""

from __future__ import annotations

import re
import statistics
import struct
import zlib
from collections import Counter
from pathlib import Path

from ...records import field, record
from ...diagnostics import InputError, Location
from ...format import Format
from ...format.labels import label_key
from . import limits
from .blocks import PAGE_NUMBER, Block, Cell, Note, Published, TableBlock, TextBlock

_ASCII_WORD = re.compile(r"[A-Za-z0-9]")
MAX_STROKES = 5000  # lines and rectangles on a page: 表三 drawn cell by cell has ~300
MARGIN_ZONE = 0.09  # top and bottom share of a page where running headers and page numbers sit


@record(frozen=False)
class _Line:
    chars: list[dict]
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    text: str = ""


@record(frozen=False)
class _Page:
    number: int
    width: float
    height: float
    lines: list[_Line] = field(default_factory=list)
    tables: list[_RawTable] = field(default_factory=list)


@record(frozen=False)
class _RawCell:
    x0: float
    top: float
    x1: float
    bottom: float
    text: str


@record(frozen=False)
class _RawTable:
    """A ruled table as drawn on one page (or several, once joined): rectangles and their text."""

    page: int
    top: float
    bottom: float
    cells: list[_RawCell]

    def rows(self) -> list[list[_RawCell]]:
        tops = _edges([c.top for c in self.cells])
        rows: list[list[_RawCell]] = [[] for _ in tops]
        for cell in self.cells:
            rows[_index(tops, cell.top)].append(cell)
        return [sorted(r, key=lambda c: c.x0) for r in rows]


def read_pdf(path: Path, fmt: Format) -> Published:
    import pdfplumber

    limits.check_file(path)
    deadline = limits.Deadline(path)
    notes: list[Note] = []
    pages: list[_Page] = []
    try:
        with pdfplumber.open(path) as pdf:
            count = len(pdf.pages)
            if count > limits.MAX_PDF_PAGES:
                raise InputError(
                    f"PDF 共 {count} 页，超过 {limits.MAX_PDF_PAGES} 页的上限；年度报告一般只有十几页，请确认是否选错了文件",
                    Location(path),
                )
            for number, page in enumerate(pdf.pages, start=1):
                deadline.check()
                pages.append(_read_page(page, number, notes, path))
                page.close()  # pdfplumber caches every page's objects otherwise
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds of error on a damaged file
        if not _damaged_pdf(exc):
            raise
        raise InputError(f"无法读取这个 PDF（文件已损坏、加密或不是 PDF：{type(exc).__name__}）", Location(path)) from None
    if not any(p.lines or p.tables for p in pages):
        raise InputError(
            "这个 PDF 没有文字层（可能是扫描件或图片），无法读出其中的文字和数字；请使用 Word 或网页版本，或先做文字识别（OCR）",
            Location(path),
        )
    _drop_running_lines(pages)
    _join_page_breaks(pages, fmt)
    return Published(path, "PDF", _blocks(pages), notes)


def _damaged_pdf(exc: Exception) -> bool:
    """An error of the PDF libraries about the file, rather than a bug of ours."""
    from_library = type(exc).__module__.startswith(("pdfminer", "pdfplumber", "pypdfium2"))
    return from_library or isinstance(exc, (ValueError, KeyError, TypeError, AssertionError, EOFError, struct.error, zlib.error))


def _read_page(page, number: int, notes: list[Note], path: Path) -> _Page:
    result = _Page(number, float(page.width), float(page.height))
    chars = [c for c in page.chars if c.get("text") and c.get("upright", True)]  # no vertical watermarks
    if not chars:
        if page.images:
            notes.append(Note("这一页没有文字（可能是扫描的图片），未读取", number))
        return result
    if len(chars) > 200_000:
        raise InputError(f"PDF 第{number}页有 {len(chars)} 个字符，不像年度报告的一页", Location(path))
    strokes = len(page.lines) + len(page.rects) + len(page.curves)
    if strokes > MAX_STROKES:
        notes.append(Note(f"这一页有 {strokes} 条线，不像表格的边框，未按表格读取", number))
        found = []
    else:
        found = page.find_tables({"vertical_strategy": "lines", "horizontal_strategy": "lines"})
    boxes = [t.bbox for t in found]
    outside = [c for c in chars if not any(_inside(c, box) for box in boxes)]
    result.lines = _lines(outside)
    for table, box in zip(found, boxes):
        inside = [c for c in chars if _inside(c, box)]
        cells = [
            _RawCell(*cell, _join_lines([l.text for l in _lines([c for c in inside if _inside(c, cell)])]))
            for cell in table.cells
        ]
        if cells:
            result.tables.append(_RawTable(number, box[1], box[3], cells))
    if page.images:
        notes.append(Note(f"有 {len(page.images)} 张图片，未导入" if len(chars) >= 20 else "这一页主要是图片，其中的文字未读取", number))
    return result


def _inside(char: dict, box: tuple[float, float, float, float]) -> bool:
    x = (char["x0"] + char["x1"]) / 2
    y = (char["top"] + char["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _lines(chars: list[dict]) -> list[_Line]:
    """Characters sharing a baseline, left to right, as text: no space between Chinese characters
    (justified text spreads them), one between Latin words that stand apart."""
    lines: list[_Line] = []
    for char in sorted(chars, key=lambda c: (round(c["top"]), c["x0"])):
        size = float(char.get("size") or 10)
        line = next((l for l in reversed(lines[-3:]) if abs(l.top - char["top"]) < 0.5 * max(size, l.size)), None)
        if line is None:
            lines.append(_Line([char], char["top"], char["bottom"], char["x0"], char["x1"], size))
        else:
            line.chars.append(char)
            line.bottom = max(line.bottom, char["bottom"])
            line.x0, line.x1 = min(line.x0, char["x0"]), max(line.x1, char["x1"])
            line.size = max(line.size, size)
    for line in lines:
        line.chars.sort(key=lambda c: c["x0"])
        line.text = _line_text(line.chars)
        line.x0 = next((c["x0"] for c in line.chars if c["text"].strip()), line.x0)
    lines.sort(key=lambda l: l.top)
    return [l for l in lines if l.text]


def _line_text(chars: list[dict]) -> str:
    out: list[str] = []
    previous: dict | None = None
    for char in chars:
        text = char["text"]
        if not text.strip():
            if out and _ASCII_WORD.match(out[-1][-1:] or ""):
                out.append(" ")  # a space glyph between Latin words; dropped below if Chinese follows
            previous = char
            continue
        if out and out[-1] == " " and not (_ASCII_WORD.match(text[0]) and len(out) > 1 and _ASCII_WORD.match(out[-2][-1:])):
            out.pop()
        if previous is not None and out and out[-1] != " ":
            gap = char["x0"] - previous["x1"]
            if gap > 0.25 * float(char.get("size") or 10) and _ASCII_WORD.match(out[-1][-1:]) and _ASCII_WORD.match(text[0]):
                out.append(" ")
        out.append(text)
        previous = char
    return "".join(out).strip()


def _join_lines(texts: list[str]) -> str:
    """Lines of one paragraph or cell: joined without a space, except between two Latin words."""
    out = ""
    for text in texts:
        if out and _ASCII_WORD.match(out[-1]) and _ASCII_WORD.match(text[:1]) and " " in out + text:
            out += " "
        out += text
    return out


def _grid(table: _RawTable) -> TableBlock | None:
    """A table from the rectangles its borders draw: grid lines from every cell edge, each cell
    spanning the grid lines it crosses."""
    xs = _edges([c.x0 for c in table.cells] + [c.x1 for c in table.cells])
    ys = _edges([c.top for c in table.cells] + [c.bottom for c in table.cells])
    if len(xs) < 2 or len(ys) < 2 or (len(xs) - 1) * (len(ys) - 1) > limits.MAX_TABLE_CELLS:
        return None
    out: list[Cell] = []
    for box in sorted(table.cells, key=lambda b: (b.top, b.x0)):
        col, col_end = _index(xs, box.x0), _index(xs, box.x1)
        row, row_end = _index(ys, box.top), _index(ys, box.bottom)
        if col_end > col and row_end > row:
            out.append(Cell(box.text, row, col, row_end - row, col_end - col))
    return TableBlock(out, len(ys) - 1, len(xs) - 1, table.page)


def _join_page_breaks(pages: list[_Page], fmt: Format) -> None:
    """A table that ends a page and one that starts the next are one table cut by the break;
    the joined table stays where it began (a long table may run over several pages)."""
    running: tuple[_Page, int] | None = None  # the table that ends the page before, and where it is
    for page in pages:
        if running is not None and page.tables and not any(l.bottom < page.tables[0].top for l in page.lines):
            holder, index = running
            holder.tables[index] = _stacked(holder.tables[index], page.tables.pop(0), fmt)
            if not page.tables and not page.lines:
                continue  # the table filled this page too, and may go on
        running = None
        if page.tables and not any(l.top > page.tables[-1].bottom for l in page.lines):
            running = (page, len(page.tables) - 1)


def _stacked(upper: _RawTable, lower: _RawTable, fmt: Format) -> _RawTable:
    upper_rows, lower_rows = upper.rows(), lower.rows()
    repeated = 0
    while repeated < min(len(upper_rows), len(lower_rows)) - 1 and _texts(upper_rows[repeated]) == _texts(lower_rows[repeated]):
        repeated += 1
    kept = [c for row in lower_rows[repeated:] for c in row]
    if repeated < len(lower_rows) and _cut_row(upper_rows[-1], lower_rows[repeated], fmt):
        kept = _mend(upper, lower_rows[repeated], kept)
    if not kept:
        return upper
    shift = upper.bottom - min(c.top for c in kept)
    moved = [_RawCell(c.x0, c.top + shift, c.x1, c.bottom + shift, c.text) for c in kept]
    return _RawTable(upper.page, upper.top, max(c.bottom for c in moved), upper.cells + moved)


def _texts(row: list[_RawCell]) -> list[str]:
    return ["".join(c.text.split()) for c in row]


_ROW_START = re.compile(r"^(?:（?[一二三四五六七八九十\d]+[）、.．]|\(\d+\))")


def _cut_row(above: list[_RawCell], below: list[_RawCell], fmt: Format) -> bool:
    """The last row of a page and the first of the next are halves of one row: the lower half's
    label is no label of its own (no numbering, not an official label), and no column has a
    number in both halves."""

    first = next((c.text for c in below if c.text.strip()), "")
    if not first or _ROW_START.match(first.strip()) or not any(c.text.strip() for c in above):
        return False
    labels = {label_key(s.text).words for form in fmt.tables.values() for s in form.layout.cells if s.text}
    if label_key(first).words in labels:
        return False
    numeric = lambda c: bool(re.match(r"^\s*-?\d", c.text))  # noqa: E731
    for cell in below:
        partner = _overlapping(above, cell)
        if partner is not None and numeric(cell) and numeric(partner):
            return False
    return True


def _mend(upper: _RawTable, cut: list[_RawCell], kept: list[_RawCell]) -> list[_RawCell]:
    """The lower half's text appended to the cells above it; the half row itself removed."""
    row_bottom = min(c.bottom for c in cut)
    for cell in cut:
        if cell.bottom > row_bottom + 1:
            continue  # a merged cell that goes on below keeps its place
        partner = _overlapping([c for c in upper.cells if abs(c.bottom - upper.bottom) < 1.5], cell)
        if partner is not None and cell.text:
            partner.text = _join_lines([partner.text, cell.text])
        kept.remove(cell)
    return kept


def _overlapping(cells: list[_RawCell], cell: _RawCell) -> _RawCell | None:
    best, overlap = None, 0.0
    for other in cells:
        width = min(other.x1, cell.x1) - max(other.x0, cell.x0)
        if width > overlap:
            best, overlap = other, width
    return best


def _edges(values: list[float], tolerance: float = 2.0) -> list[float]:
    edges: list[float] = []
    for value in sorted(values):
        if not edges or value - edges[-1] > tolerance:
            edges.append(value)
    return edges


def _index(edges: list[float], value: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - value))


def _drop_running_lines(pages: list[_Page]) -> None:
    """Page numbers, and a header or footer repeated on most pages, are not the report's text."""
    def in_margin(page: _Page, line: _Line) -> bool:
        return line.bottom < MARGIN_ZONE * page.height or line.top > (1 - MARGIN_ZONE) * page.height

    def at_edge(page: _Page, line: _Line) -> bool:
        body_top = min([l.top for l in page.lines] + [t.top for t in page.tables])
        body_bottom = max([l.bottom for l in page.lines] + [t.bottom for t in page.tables])
        return in_margin(page, line) or line.top <= body_top or line.bottom >= body_bottom

    repeated = Counter("".join(l.text.split()) for p in pages for l in p.lines if in_margin(p, l))
    common = {text for text, n in repeated.items() if len(pages) >= 3 and n >= max(2, len(pages) // 2)}
    for page in pages:
        page.lines = [
            l for l in page.lines
            if not (PAGE_NUMBER.match(l.text) and at_edge(page, l)) and not (in_margin(page, l) and "".join(l.text.split()) in common)
        ]


def _blocks(pages: list[_Page]) -> list[Block]:
    body = [l for p in pages for l in p.lines]
    if not body:
        return [g for p in pages for t in p.tables if (g := _grid(t)) is not None]
    size = statistics.median(l.size for l in body)
    left = sorted(l.x0 for l in body)[int(0.05 * (len(body) - 1))]  # most paragraphs may be one indented line
    right = sorted(l.x1 for l in body)[int(0.9 * (len(body) - 1))]
    pitches = [b.top - a.top for p in pages for a, b in zip(p.lines, p.lines[1:]) if 0 < b.top - a.top < 3 * size]
    pitch = statistics.median(pitches) if pitches else 1.5 * size
    blocks: list[Block] = []
    current: list[_Line] = []
    current_page = 0

    def close() -> None:
        if current:
            text = _join_lines([l.text for l in current])
            big = current[0].size > 1.15 * size
            blocks.append(TextBlock(text, "title" if big and current_page == 1 else "paragraph", page=current_page))
            current.clear()

    for page in pages:
        items: list[tuple[float, object]] = [(l.top, l) for l in page.lines] + [(t.top, t) for t in page.tables]
        items.sort(key=lambda item: item[0])
        previous: _Line | None = current[-1] if current else None
        for _, item in items:
            if isinstance(item, _RawTable):
                close()
                grid = _grid(item)
                if grid is not None:
                    blocks.append(grid)
                previous = None
                continue
            line: _Line = item  # type: ignore[assignment]
            starts = (
                previous is None
                and not current
                or line.x0 > left + 0.8 * size  # the first line of a paragraph is indented
                # the line before stopped short (left-aligned text may stop a character or two short anyway)
                or (previous is not None and previous.x1 < right - 3 * size)
                or (previous is not None and page.number == current_page and line.top - previous.top > 1.7 * pitch)
                or abs(line.size - (current[-1].size if current else line.size)) > 0.15 * size
            )
            if starts:
                close()
                current_page = page.number
            current.append(line)
            previous = line
        if current and current[-1].x1 < right - 3 * size:
            close()  # a paragraph that ends on this page; one running on has its last line full
    close()
    return blocks
