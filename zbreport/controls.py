"""Invisible characters in what clerks paste from Word: one decision per character, made here.

Word's Shift+Enter line break arrives as a vertical tab; text copied out of other programs
brings form feeds, NUL, Ctrl-Z or U+FFFE. None of them can stand in a .docx (XML 1.0 refuses
them) and none shows on screen, so:

- a vertical tab is what the clerk typed it as, a line break;
- every other such character is removed, with a warning at its file:line:column.

Readers call `prepare` on a file's text before parsing it (warnings, removal) and `clean`
where text becomes the model's (the vertical tab becomes "\n"); the Word writer calls
`clean` again as a last guard, so no path from input to document can carry one.
"""

from __future__ import annotations

import re
from pathlib import Path

from .diagnostics import Finding, Location, Severity

LINE_BREAK = "\v"  # Word's manual line break (Shift+Enter) in pasted text

# C0 controls but tab, line feed and carriage return; DEL and the C1 controls; lone surrogates
# (from a YAML escape); the noncharacters U+FFFE and U+FFFF. The vertical tab is among them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_REMOVED = re.compile("[\x00-\x08\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

_NAMES = {
    "\x00": "空字符（NUL）",
    "\x0c": "换页符",
    "\x1a": "Ctrl-Z（文件结束符）",
    "\x1b": "转义符（ESC）",
    "\x7f": "删除符（DEL）",
    "\ufffe": "非字符 U+FFFE",
    "\uffff": "非字符 U+FFFF",
}
MAX_WARNINGS = 10  # lines warned about in one text; the rest are counted in one more warning


def name(char: str) -> str:
    """How a message names an invisible character."""
    return _NAMES.get(char, f"控制字符 U+{ord(char):04X}")


def has_controls(text: str) -> bool:
    return _CONTROL.search(text) is not None


def remove(text: str) -> str:
    """The text without the characters that are removed; vertical tabs stay for `clean` to turn into breaks."""
    return _REMOVED.sub("", text) if _REMOVED.search(text) else text


def clean(text: str) -> str:
    """The text as the model holds it: vertical tabs as line breaks, the other characters removed."""
    if not _CONTROL.search(text):
        return text
    return remove(text).replace(LINE_BREAK, "\n")


def visible(text: str) -> str:
    """Text for the terminal: each such character shown as "?" (an ESC could drive the terminal)."""
    return _CONTROL.sub("?", text) if _CONTROL.search(text) else text


def prepare(text: str, path: Path, findings: list[Finding] | None) -> str:
    """A file's text ready to parse: removed characters warned about at their line and column, and gone.

    Removing (rather than replacing) keeps every line where it was, so the locations of
    everything read afterwards stay right; only columns after a removed character on its
    own line move, and that line has a warning already.
    """
    if not _REMOVED.search(text):
        return text
    if findings is not None:
        findings.extend(warnings(text, path))
    return remove(text)


def warnings(text: str, path: Path, first_line: int = 1) -> list[Finding]:
    """One warning for each line holding removed characters, at the first of them."""
    out: list[Finding] = []
    lines_left = 0
    for number, line in enumerate(text.split("\n"), start=first_line):
        found = _REMOVED.findall(line)
        if not found:
            continue
        if len(out) == MAX_WARNINGS:
            lines_left += 1
            continue
        column = _REMOVED.search(line).start() + 1  # type: ignore[union-attr]
        kinds = "、".join(dict.fromkeys(name(c) for c in found))
        count = f"{len(found)} 个" if len(found) > 1 else ""
        out.append(
            Finding(
                Severity.WARNING,
                "control-character",
                f"含有{count}不可见的{kinds}（多见于从 Word 等程序复制的文字），已删除",
                Location(path, number, column),
            )
        )
    if lines_left:
        out.append(
            Finding(
                Severity.WARNING,
                "control-character",
                f"另有 {lines_left} 行含有不可见的控制字符，已删除；此文件可能不是文本文件",
                Location(path),
            )
        )
    return out
