"""The terminal preview: the official tables drawn with their merged headers, problems highlighted.

rich's Table has no row or column spans, so the grid is drawn here: every layout cell
(from the shared table definition) is a rectangle; borders are collected per point and
turned into box-drawing characters, which leaves merged cells without inner lines.
Widths are counted in terminal cells, two for a Chinese character.
"""

from __future__ import annotations

import re

from rich.cells import cell_len  # rich's own character widths: the grid lines up as rich prints it

from ..records import record
from ..diagnostics import Finding, Severity
from ..format import LayoutCell
from ..document import Document, OfficialTable
from .console import Line, Lines, Span
from .findings import finding_spans

_BOX = {
    frozenset("LR"): "─", frozenset("UD"): "│", frozenset("DR"): "┌", frozenset("DL"): "┐",
    frozenset("UR"): "└", frozenset("UL"): "┘", frozenset("UDR"): "├", frozenset("UDL"): "┤",
    frozenset("DLR"): "┬", frozenset("ULR"): "┴", frozenset("UDLR"): "┼",
    frozenset("L"): "─", frozenset("R"): "─", frozenset("U"): "│", frozenset("D"): "│",
}
MIN_COLUMN = 4  # two Chinese characters: "结果/维持" wraps readably, "9999" fits
ERROR_STYLE = "bold white on red"
WARNING_STYLE = "bold black on yellow"


@record
class _Box:
    """A layout cell with the text and style it is drawn with."""

    spot: LayoutCell
    text: str
    style: str
    align: str  # "left", "center", "right"


def preview(document: Document, findings: list[Finding], width: int, tables: list[str] | None = None) -> Lines:
    """Each chosen table with its title, grid and the findings about it; then the other findings."""
    parts: list[Line] = []
    official = document.tables
    for key in tables or list(official):
        data = official[key]
        own = [f for f in findings if f.table == key]
        parts.append(Line(((data.title, "bold"),), wraps=True))
        parts.extend(draw_table(data, own, width))
        parts.extend(line for f in own for line in wrap_text(finding_spans(f), width))
        parts.append(Line((), wraps=True))
    rest = [f for f in findings if f.table is None] if tables is None else []
    if rest:
        parts.append(Line((("其他问题", "bold"),), wraps=True))
        parts.extend(line for f in rest for line in wrap_text(finding_spans(f), width))
    return Lines(tuple(parts))


def draw_table(data: OfficialTable, findings: list[Finding], width: int) -> list[Line]:
    """The table as lines of text no wider than `width`; split into column groups if it must be.

    A column is never narrower than the longest number in it, so a big city's 123456 stays on one line.
    """
    layout = data.layout
    boxes = [_box(spot, data, findings) for spot in layout.cells]
    least = [MIN_COLUMN] * layout.n_cols
    for box in boxes:
        if box.spot.colspan == 1:
            need = cell_len(box.text) if box.spot.role == "value" else narrowest_line(box.text)
            least[box.spot.col] = max(least[box.spot.col], need)
    widths = column_widths(layout.column_widths_mm or (1.0,) * layout.n_cols, width, least)
    if widths is not None or not layout.column_groups:
        return _draw(boxes, layout.n_rows, widths or least)
    lines: list[Line] = []
    for start, end in layout.column_groups:
        part = [
            _Box(_shift(b.spot, start), b.text, b.style, b.align)
            for b in boxes
            if start <= b.spot.col < end
        ]
        group_mm = layout.column_widths_mm[start:end] or (1.0,) * (end - start)
        group_widths = column_widths(group_mm, width, least[start:end]) or least[start:end]
        lines += _draw(part, layout.n_rows, group_widths)
    return lines


def column_widths(widths_mm: tuple[float, ...], width: int, least: list[int] | None = None) -> list[int] | None:
    """Terminal widths in proportion to the printed ones, none below `least`; None if those will not fit."""
    least = least or [MIN_COLUMN] * len(widths_mm)
    available = width - len(widths_mm) - 1  # one border character per column, plus the last
    if available < sum(least):
        return None
    total = sum(widths_mm)
    widths = [max(low, int(mm / total * available)) for mm, low in zip(widths_mm, least)]
    while sum(widths) > available:
        spare = [i for i, w in enumerate(widths) if w > least[i]]
        widest = max(spare, key=lambda i: widths[i])
        widths[widest] -= 1
    # The slack goes to the widest printed columns (the long labels), shared where they tie.
    widest = [i for i, mm in enumerate(widths_mm) if mm == max(widths_mm)]
    for turn in range(available - sum(widths)):
        widths[widest[turn % len(widest)]] += 1
    return widths


def _shift(spot: LayoutCell, by: int) -> LayoutCell:
    return LayoutCell(spot.row, spot.col - by, spot.text, spot.rowspan, spot.colspan, spot.role, spot.cell)


MAX_CELL_TEXT = 40  # characters of a value cell shown


def _box(spot: LayoutCell, data: OfficialTable, findings: list[Finding]) -> _Box:
    if spot.role != "value" or spot.cell is None:
        align = "left" if spot.role in ("label", "corner") else "center"
        return _Box(spot, spot.text, "bold" if spot.role in ("header", "caption") else "", align)
    # A blank cell shows as a box, an invalid one as typed: cut short, so a pasted page of text
    # cannot make the table thousands of lines tall (its finding quotes it).
    text = data.text(spot.cell) or data.unprintable.get(spot.cell, "")
    if len(text) > MAX_CELL_TEXT:
        text = text[: MAX_CELL_TEXT - 1] + "…"
    style = ""
    for finding in findings:
        if spot.cell in finding.cells and finding.severity is not Severity.NOTICE:
            style = ERROR_STYLE if finding.is_error else WARNING_STYLE
            if finding.is_error:
                break
    return _Box(spot, text or "□", style, "right")


# 避头尾: marks that may not begin a line, and marks that may not end one.
NOT_AT_LINE_START = frozenset("，。、；：？！）》」』】〕”’…％")
NOT_AT_LINE_END = frozenset("（《「『【〔“‘")


def _tokens(text: str) -> list[str]:
    """Units a line may break between: a Chinese character, a space, or a run of Latin letters and digits."""
    return re.findall(r"[A-Za-z0-9_.:/\\+\-=@#]+|\s|.", text, re.S)


def narrowest_line(text: str) -> int:
    """The width below which `text` cannot be wrapped with 避头尾 kept: its widest run of marks and
    the character they cling to, e.g. （三） in （三）不予公开."""
    widest, run, clinging = 0, 0, False
    for token in _tokens(text):
        width = cell_len(token)
        if token[0] in NOT_AT_LINE_START or clinging:
            run += width
        else:
            run = width
        clinging = token[-1] in NOT_AT_LINE_END
        widest = max(widest, run)
    return widest


def _wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` terminal cells, broken between characters (Chinese has no spaces)
    or at a space, never before a closing mark nor after an opening one."""
    lines: list[str] = []
    line: list[str] = []
    for token in _tokens(text):
        if token == "\n":
            lines.append("".join(line))
            line = []
            continue
        if cell_len(token) > width:  # a word longer than a line is broken where it must be
            for char in token:
                line = _place(char, line, lines, width)
            continue
        line = _place(token, line, lines, width)
    if line or not lines:
        lines.append("".join(line))
    return [l.rstrip() for l in lines]


def _place(token: str, line: list[str], lines: list[str], width: int) -> list[str]:
    if cell_len("".join(line) + token) <= width:
        return line + [token]
    if token.isspace():
        lines.append("".join(line))
        return []
    carried = [token]
    # 避头尾: carry the line's end down with the token while the break would fall badly
    while line and (carried[0][0] in NOT_AT_LINE_START or line[-1][-1] in NOT_AT_LINE_END):
        if cell_len("".join([line[-1]] + carried)) > width:
            break
        carried.insert(0, line.pop())
    if not line:  # nothing left to break before: give up on the nicety rather than lose the width
        line, carried = carried[:-1], carried[-1:]
    lines.append("".join(line))
    return carried[1:] if carried[0].isspace() else carried


def wrap_text(spans: list[Span], width: int) -> list[Line]:
    """A styled line wrapped like a table cell (避头尾), keeping its styles."""
    plain = "".join(piece for piece, _ in spans)
    offsets, at = [], 0
    for part in _wrap(plain, width)[:-1]:
        at = plain.index(part, at) + len(part) if part else at
        while at < len(plain) and plain[at] == " ":
            at += 1
        offsets.append(at)
    lines = []
    for start, end in zip([0, *offsets], [*offsets, len(plain)]):
        cut = _cut(spans, start, len(plain[start:end].rstrip()) + start)
        lines.append(Line(cut, wraps=False, crops=False))
    return lines


def _cut(spans: list[Span], start: int, end: int) -> tuple[Span, ...]:
    """The pieces of `spans` between two offsets of their joined text, each keeping its style."""
    cut, at = [], 0
    for piece, style in spans:
        low, high = max(start, at), min(end, at + len(piece))
        if low < high:
            cut.append((piece[low - at : high - at], style))
        at += len(piece)
    return tuple(cut)


def _draw(boxes: list[_Box], n_rows: int, widths: list[int]) -> list[Line]:
    xs = [0]
    for w in widths:
        xs.append(xs[-1] + w + 1)

    def inner_width(spot: LayoutCell) -> int:
        return xs[spot.col + spot.colspan] - xs[spot.col] - 1

    wrapped = {id(b): _wrap(b.text, inner_width(b.spot)) for b in boxes}
    heights = [1] * n_rows
    for box in sorted(boxes, key=lambda b: b.spot.rowspan):
        spot = box.spot
        needed = len(wrapped[id(box)])
        have = sum(heights[spot.row : spot.row + spot.rowspan]) + spot.rowspan - 1
        if needed > have:
            heights[spot.row + spot.rowspan - 1] += needed - have
    ys = [0]
    for h in heights:
        ys.append(ys[-1] + h + 1)

    canvas = [[" "] * (xs[-1] + 1) for _ in range(ys[-1] + 1)]
    styles = [[""] * (xs[-1] + 1) for _ in range(ys[-1] + 1)]
    joints: dict[tuple[int, int], set[str]] = {}

    def edge(x0: int, y0: int, x1: int, y1: int) -> None:
        if y0 == y1:
            for x in range(x0, x1):
                joints.setdefault((x, y0), set()).add("R")
                joints.setdefault((x + 1, y0), set()).add("L")
        else:
            for y in range(y0, y1):
                joints.setdefault((x0, y), set()).add("D")
                joints.setdefault((x0, y + 1), set()).add("U")

    for box in boxes:
        spot = box.spot
        left, right = xs[spot.col], xs[spot.col + spot.colspan]
        top, bottom = ys[spot.row], ys[spot.row + spot.rowspan]
        edge(left, top, right, top)
        edge(left, bottom, right, bottom)
        edge(left, top, left, bottom)
        edge(right, top, right, bottom)
        inner = right - left - 1
        for offset, line in enumerate(wrapped[id(box)]):
            pad = inner - cell_len(line)
            x = left + 1 + (pad if box.align == "right" else pad // 2 if box.align == "center" else 0)
            for char in line:
                canvas[top + 1 + offset][x] = char
                if cell_len(char) == 2:
                    canvas[top + 1 + offset][x + 1] = ""  # the right half of a wide character
                x += cell_len(char)
        if box.style:
            for y in range(top + 1, bottom):
                for x in range(left + 1, right):
                    styles[y][x] = box.style
    for (x, y), directions in joints.items():
        canvas[y][x] = _BOX[frozenset(directions)]

    lines = []
    for y, row in enumerate(canvas):
        spans: list[Span] = []
        run, run_style = "", ""
        for x, char in enumerate(row):  # a run of one style at a time: a table has ~8000 characters
            if not char:
                continue
            if styles[y][x] != run_style and run:
                spans.append((run, run_style))
                run = ""
            run += char
            run_style = styles[y][x]
        if run:
            spans.append((run, run_style))
        lines.append(Line(tuple(spans), wraps=False, crops=True))
    return lines
