"""What a value of the official tables may be: for this year's tables (R6) and last year's figures alike.

Counts (件) are whole numbers below a billion, written plainly; amounts (万元) may have
decimals. A count of 10^9 or more is not a year's work but a typing slip or a paste (and too
big to print in a table cell); bounding it keeps every sum and percentage within Decimal's
precision.
"""

from __future__ import annotations

import re
import unicodedata

from .diagnostics import shorten
from .format import CellForm
from .model import Entry

LARGEST_VALUE = 10**9
_NUMERAL = re.compile(r"[-+]?[0-9]+(\.[0-9]*)?|[-+]?\.[0-9]+")
_LEADING_ZERO = re.compile(r"[-+]?0[0-9]")


def value_problem(cell: CellForm, entry: Entry) -> str | None:
    """What is wrong with a table value, in words that follow the cell's name; None when nothing is."""
    text = unicodedata.normalize("NFKC", entry.text)  # full-width digits as the reader takes them
    if entry.state == "blank":
        return "未填写；没有发生的请填 0"
    if entry.state == "invalid":
        if _NUMERAL.fullmatch(text):  # a numeral too long to be read as a figure
            return f"数字过大（填写的是 {shorten(entry.text, 20)}），请核对"
        return f"应为数字，填写的是 {shorten(entry.text)}"
    if entry.state == "not_applicable":
        return None if cell.allows_not_applicable else f"不能填“{entry.text}”；没有发生的请填 0"
    number = entry.number
    assert number is not None
    if number < 0 or text.startswith("-"):  # -0 too: a sign a count cannot have
        return f"不能为负数（填写的是 {entry.text}）"
    if _LEADING_ZERO.match(text):
        return f"不应以 0 开头（填写的是 {entry.text}），请写作 {text.lstrip('+0') or '0'}"
    if number >= LARGEST_VALUE:
        return f"数字过大（填写的是 {entry.text}），请核对"
    if cell.kind == "count" and number != int(number):
        return f"应为整数件数（填写的是 {entry.text}）"
    return None
