"""Reading a text PDF into blocks: lines joined into paragraphs, ruled tables rebuilt as grids.

A PDF holds characters at positions, not paragraphs. Lines are the characters sharing a
baseline; a paragraph ends where a line stops short of the right margin, and begins where a
line is indented (the two-character indent of Chinese body text) or after a gap. Tables are
found by their ruling lines (pdfplumber), each cell with the span its borders give; a table
that runs over a page break comes back as two tables, which `join_continued_tables` makes one.
Page numbers and running headers are dropped. A PDF without characters is a scan: it is
refused with a message rather than read as an empty report.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ...diagnostics import InputError, Location
from . import limits
from .blocks import PAGE_NUMBER, Block, Cell, Note, Published, TableBlock, TextBlock

_ASCII_WORD = re.compile(r"[A-Za-z0-9]")
MARGIN_ZONE = 0.09  # top and bottom share of a page where running headers and page numbers sit


@dataclass
class _Line:
    chars: list[dict]
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    text: str = ""


@dataclass
class _Page:
    number: int
    width: float
    height: float
    lines: list[_Line] = field(default_factory=list)
    tables: list[tuple[float, TableBlock]] = field(default_factory=list)  # (top, table)


def read_pdf(path: Path) -> Published:
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

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
    except (PDFSyntaxError, Exception) as exc:  # noqa: BLE001 - pdfminer raises many kinds on a damaged file
        if type(exc).__module__.startswith(("pdfminer", "pdfplumber", "pypdfium2")) or isinstance(exc, (ValueError, KeyError, TypeError, AssertionError)):
            raise InputError(f"无法读取这个 PDF（文件已损坏、加密或不是 PDF：{type(exc).__name__}）", Location(path)) from None
        raise
    if not any(p.lines or p.tables for p in pages):
        raise InputError(
            "这个 PDF 没有文字层（可能是扫描件或图片），无法读出其中的文字和数字；请使用 Word 或网页版本，或先做文字识别（OCR）",
            Location(path),
        )
    _drop_running_lines(pages)
    return Published(path, "PDF", _blocks(pages), notes)


def _read_page(page, number: int, notes: list[Note], path: Path) -> _Page:
    result = _Page(number, float(page.width), float(page.height))
    chars = [c for c in page.chars if c.get("text") and not c.get("upright") is False]
    if not chars:
        if page.images:
            notes.append(Note("这一页没有文字（可能是扫描的图片），未读取", number))
        return result
    if len(chars) > 200_000:
        raise InputError(f"PDF 第{number}页有 {len(chars)} 个字符，不像年度报告的一页", Location(path))
    found = page.find_tables({"vertical_strategy": "lines", "horizontal_strategy": "lines"})
    boxes = [t.bbox for t in found]
    outside = [c for c in chars if not any(_inside(c, box) for box in boxes)]
    result.lines = _lines(outside)
    for table, box in zip(found, boxes):
        grid = _grid(table.cells, [c for c in chars if _inside(c, box)])
        if grid is not None:
            grid.page = number
            result.tables.append((box[1], grid))
    if page.images and len(chars) < 20:
        notes.append(Note("这一页主要是图片，其中的文字未读取", number))
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


def _grid(cells: list[tuple[float, float, float, float]], chars: list[dict]) -> TableBlock | None:
    """A table from the rectangles its borders draw: grid lines from every cell edge, each cell
    spanning the grid lines it crosses, its text from the characters inside it."""
    if not cells:
        return None
    xs = _edges([c[0] for c in cells] + [c[2] for c in cells])
    ys = _edges([c[1] for c in cells] + [c[3] for c in cells])
    if len(xs) < 2 or len(ys) < 2 or (len(xs) - 1) * (len(ys) - 1) > limits.MAX_TABLE_CELLS:
        return None
    out: list[Cell] = []
    for box in sorted(cells, key=lambda b: (b[1], b[0])):
        col, col_end = _index(xs, box[0]), _index(xs, box[2])
        row, row_end = _index(ys, box[1]), _index(ys, box[3])
        if col_end <= col or row_end <= row:
            continue
        inside = [c for c in chars if _inside(c, box)]
        text = _join_lines([l.text for l in _lines(inside)])
        out.append(Cell(text, row, col, row_end - row, col_end - col))
    return TableBlock(out, len(ys) - 1, len(xs) - 1)


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
        body_top = min([l.top for l in page.lines] + [top for top, _ in page.tables])
        body_bottom = max([l.bottom for l in page.lines] + [t_top for t_top, _ in page.tables])
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
        return [t for p in pages for _, t in p.tables]
    size = statistics.median(l.size for l in body)
    left = Counter(round(l.x0) for l in body).most_common(1)[0][0]
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
        items: list[tuple[float, object]] = [(l.top, l) for l in page.lines] + [(top, t) for top, t in page.tables]
        items.sort(key=lambda item: item[0])
        previous: _Line | None = current[-1] if current else None
        for _, item in items:
            if isinstance(item, TableBlock):
                close()
                blocks.append(item)
                previous = None
                continue
            line: _Line = item  # type: ignore[assignment]
            starts = (
                previous is None
                and not current
                or line.x0 > left + 0.8 * size  # the first line of a paragraph is indented
                or (previous is not None and previous.x1 < right - 1.5 * size)  # the line before stopped short
                or (previous is not None and page.number == current_page and line.top - previous.top > 1.7 * pitch)
                or abs(line.size - (current[-1].size if current else line.size)) > 0.15 * size
            )
            if starts:
                close()
                current_page = page.number
            current.append(line)
            previous = line
        if current and current[-1].x1 < right - 1.5 * size:
            close()  # a paragraph that ends on this page; one running on has its last line full
    close()
    return blocks
