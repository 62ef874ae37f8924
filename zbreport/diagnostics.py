"""Where a value came from, and what is wrong with it: locations, findings, and input errors.

Errors are values with a location; the CLI turns them into messages in one place.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from .records import record


@record(order=True)
class Location:
    """A place in a project file; line and column count from 1, as editors do.

    A published report (.docx, web page, PDF) has no lines to point at: `place` names where
    in it, in the words of the printed report (表三“（七）总计”行“自然人”列, or a section's paragraph).
    In an Excel workbook, `cell` names the sheet and cell, as Excel does: 表三!D7.
    """

    path: Path
    line: int = 0
    column: int = 0
    place: str = ""
    cell: str = ""

    def __str__(self) -> str:
        if self.cell:
            return f"{self.path}!{self.cell}"
        if self.place:
            return f"{self.path}（{self.place}）"
        if not self.line:
            return str(self.path)
        return f"{self.path}:{self.line}:{self.column}" if self.column else f"{self.path}:{self.line}"


class Severity(str, Enum):
    """error: the report is wrong and is not built; warning: look at it (fails `check --strict`);
    notice: worth a look, never a failure (e.g. a shortfall a note under the table may explain)."""

    ERROR = "error"
    WARNING = "warning"
    NOTICE = "notice"

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "notice": "提示"}[self.value]


@record
class Finding:
    """One thing a clerk should fix or look at, with the rule it breaks and where."""

    severity: Severity
    rule: str  # R1…R12, or a structural id such as "unknown-key"
    message: str  # in Chinese, with the arithmetic spelled out
    location: Location | None = None
    table: str | None = None  # "二" / "三" / "四" when the finding is about a table
    cells: tuple[tuple[str, str], ...] = ()  # the cells involved, for highlighting

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def is_warning(self) -> bool:
        return self.severity is Severity.WARNING

    def as_dict(self) -> dict[str, object]:
        loc = self.location
        return {
            "severity": self.severity.value,
            "rule": self.rule,
            "message": self.message,
            "file": str(loc.path) if loc else None,
            "line": loc.line if loc else None,
            "column": loc.column if loc else None,
            "place": loc.place if loc and loc.place else None,
            "cell": loc.cell if loc and loc.cell else None,  # a workbook's sheet and cell: 表三!D7
            "table": self.table,
            "cells": [list(c) for c in self.cells],
        }


class InputError(Exception):
    """Input that cannot be read at all (a missing file, broken YAML, a damaged template)."""

    def __init__(self, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class OutputError(Exception):
    """The report could not be written where asked."""


def shorten(text: str, limit: int = 40) -> str:
    """Text quoted in a message, cut when long, so one bad value cannot flood the terminal."""
    return text if len(text) <= limit else f"{text[:limit]}…（共 {len(text)} 个字符）"
