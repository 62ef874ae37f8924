"""A table cell as published, read as the model's Entry: a number, a blank, "/", or text kept as written.

Nothing is corrected. "２４３" and "1,234" are numbers; "22（其中修订16件）" counts 22 and keeps its
note in `text`; "—", "－" and "无" are kept as written (the rules then say they are not numbers).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from ...diagnostics import Location
from ...model import Entry, Number

_NUMBER = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_NUMBER_WITH_NOTE = re.compile(r"^(-?\d+(?:\.\d+)?)\s*([（(【\[].*|[，,；;：:].*|[^\d.].*)$", re.S)
_NOT_APPLICABLE = {"/", "／", "\\"}
MAX_COUNT = 10**9  # no count in these tables comes near it


def published_entry(text: str, location: Location) -> Entry:
    written = " ".join(text.split())
    plain = unicodedata.normalize("NFKC", written).replace(" ", "")
    if not plain:
        return Entry("blank", "", location)
    if plain in _NOT_APPLICABLE:
        return Entry("not_applicable", written, location)
    if _NUMBER.match(plain):
        number = _number(plain.replace(",", ""))
        if number is not None:
            return Entry("number", written, location, number)
    noted = _NUMBER_WITH_NOTE.match(plain)
    if noted:
        number = _number(noted.group(1))
        if number is not None:
            return Entry("number", written, location, number)
    return Entry("invalid", written, location)


def _number(text: str) -> Number | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if abs(value) > MAX_COUNT:
        return None
    return int(value) if "." not in text else value


def looks_numeric(text: str) -> bool:
    """A data cell rather than a header: a number, possibly with a note, or "/"."""
    plain = unicodedata.normalize("NFKC", text).replace(" ", "").replace("\n", "")
    return bool(plain) and (plain in _NOT_APPLICABLE or bool(re.match(r"^-?\d", plain)))


def note_of(entry: Entry) -> str | None:
    """The words written with a number ("（其中修订16件）"), or None for a plain number."""
    if entry.state != "number":
        return None
    plain = unicodedata.normalize("NFKC", entry.text).replace(" ", "").replace(",", "")
    return None if _NUMBER.match(plain) else entry.text
