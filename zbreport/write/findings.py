"""Findings as a clerk reads them in the terminal: severity, rule, file:line:column, message."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from rich.console import Console
from rich.text import Text

from ..controls import visible
from ..diagnostics import Finding, Location, Severity


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


def finding_line(finding: Finding) -> Text:
    style = SEVERITY_STYLES[finding.severity]
    line = Text()
    line.append(f"{finding.severity.label} ", style=style)
    line.append(f"[{finding.rule}] ", style="dim")
    where = relative(finding.location)
    if where:
        line.append(visible(where), style="cyan")
        line.append("  ")
    line.append(visible(finding.message))
    return line


def print_findings(console: Console, findings: list[Finding]) -> None:
    for finding in findings:
        console.print(finding_line(finding), soft_wrap=True)


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
