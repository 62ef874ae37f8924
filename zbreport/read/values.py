"""A table value as written, in a project's table file or a published report's cell, read as the model's Entry.

One reading for both, so a figure typed into a project and the same figure printed in a
published report are the same value. Nothing is corrected:

- a number, in half- or full-width digits, its thousands grouped by commas or spaces ("1,234",
  "1 234", as GB/T 15835 allows), possibly followed by a note that counts for nothing but is
  kept and printed with it: "22（其中修订16件）", "22，其中修订16件", "0.5万元";
- "/" or a dash ("—", "－", …): the row does not apply, printed as written;
- blank;
- anything else (a word, "1O" with a letter O, "两件") is kept as written and is not a number.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from ..diagnostics import Location
from ..model import Entry, EntryState, Number

MAX_NUMBER_LENGTH = 30  # characters of a number: no figure of these reports comes near; R6 says 数字过大
NOT_APPLICABLE = frozenset({"/", "／", "\\", "—", "——", "-", "－", "–", "―"})  # printed as written

_NUMBER = r"[-+]?(?:[1-9]\d{0,2}(?:[, ]\d{3})+|\d+)(?:\.\d+)?|[-+]?\.\d+"
# What may follow a number as its note: a bracket, a separating mark, or Chinese words. A Latin
# letter or a digit right after it ("1O", "12a") is a typo, not a note.
_NOTE_START = r"[(\[【〔〈《,;:，；：]|[\u3400-\u9fff]"
_VALUE = re.compile(rf"({_NUMBER})(\s*)((?:{_NOTE_START}).*)?", re.S)


def _width_folded(text: str) -> str:
    """Full-width digits, signs and brackets as half-width, one character for one, so positions
    in the folded text are positions in the written one. The Chinese comma stays: "5，3件" is 5
    with a note, never 53."""
    folded = []
    for char in text:
        normal = unicodedata.normalize("NFKC", char)
        folded.append(normal if len(normal) == 1 and char != "，" else char)
    return "".join(folded)


def read_value(written: str, location: Location) -> Entry:
    """The value `written` (surrounding space aside) as an Entry at `location`."""
    text = written.strip()
    state, number, note = _read(text)
    return Entry(state, text, location, number, note)


def value_state(written: str) -> EntryState:
    """What `written` reads as: a number (with or without a note), not applicable, blank or invalid."""
    return _read(written.strip())[0]


def _read(text: str) -> tuple[EntryState, Number | None, str]:
    if not text:
        return "blank", None, ""
    match = _VALUE.fullmatch(_width_folded(text))
    if match and len(match.group(1)) <= MAX_NUMBER_LENGTH:  # longer: no figure, and int() refuses thousands of digits
        digits = match.group(1).replace(",", "").replace(" ", "")
        number = Decimal(digits) if "." in digits else int(digits)
        return "number", number, text[match.start(3) :] if match.group(3) else ""
    if text in NOT_APPLICABLE:
        return "not_applicable", None, ""
    return "invalid", None, ""
