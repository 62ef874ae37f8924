"""Findings as a clerk reads them in the terminal: severity, rule, file:line:column, message."""

from __future__ import annotations

import os
from pathlib import Path

from typing import TYPE_CHECKING

from ..records import replace
from ..controls import visible
from ..diagnostics import Finding, Location, Severity
from .console import LazyConsole, Span

if TYPE_CHECKING:
    from rich.text import Text


def relative(location: Location | None) -> str:
    """A location with its path relative to the working folder, as editors and terminals link it."""
    if location is None:
        return ""
    try:
        path = Path(os.path.relpath(location.path))
    except ValueError:  # another drive on Windows
        path = location.path
    return str(replace(location, path=path))


SEVERITY_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.NOTICE: "cyan"}


def finding_spans(finding: Finding) -> list[Span]:
    """The line's pieces and their styles: severity, rule, where, message."""
    spans = [(f"{finding.severity.label} ", SEVERITY_STYLES[finding.severity]), (f"[{finding.rule}] ", "dim")]
    where = relative(finding.location)
    if where:
        spans += [(visible(where), "cyan"), ("  ", "")]
    spans.append((visible(finding.message), ""))
    return spans


def finding_line(finding: Finding) -> Text:
    from rich.text import Text

    return Text.assemble(*finding_spans(finding))


def print_findings(console: LazyConsole, findings: list[Finding]) -> None:
    for finding in findings:
        console.print_spans(finding_spans(finding))


def summary(findings: list[Finding]) -> str:
    errors = sum(f.is_error for f in findings)
    warnings = sum(f.is_warning for f in findings)
    notices = len(findings) - errors - warnings
    if not findings:
        return "未发现问题。"
    return f"共 {errors} 个错误，{warnings} 个警告" + (f"，{notices} 个提示。" if notices else "。")


def sort_key(finding: Finding) -> tuple:
    loc = finding.location
    return (str(loc.path) if loc else "", loc.line if loc else 0, loc.column if loc else 0)
