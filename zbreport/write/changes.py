"""Editors' changes as a clerk reads them in the terminal, and as JSON for scripts.

Words removed are shown [-struck-] and words added {+underlined+} (the brackets stay when
colour is off); long unchanged stretches are shortened to their ends. Every piece of user text
goes into a rich Text as plain text, never as markup.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text

from ..compare import CellChange, Comparison, Origin, ParagraphChange, Remark
from ..diagnostics import Location
from ..reword import SPLIT
from .findings import relative

if TYPE_CHECKING:
    from ..pull import Plan

_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.%@_\-/:]*|\s+|.", re.S)
_KIND = {"changed": "修改", "split": "拆分为多段", "merged": "合并为一段", "added": "新增段落", "removed": "删除段落"}
_CONTEXT = 24  # characters of unchanged text kept around a change
_REMOVED, _ADDED = "red strike", "green underline"


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """(op, text) with op "=", "-" or "+"; Latin words and figures change whole, Chinese by character."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    out: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append(("=", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(("-", "".join(a[i1:i2])))
        if j2 > j1:
            out.append(("+", "".join(b[j1:j2])))
    return _tidied(out)


def _tidied(ops: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A single unchanged character between two changes joins them: 改[-办理-]{+办好+} reads better
    than a change per character."""
    changed = True
    while changed:
        changed = False
        for i in range(1, len(ops) - 1):
            op, text = ops[i]
            if op == "=" and len(text) == 1 and ops[i - 1][0] != "=" and ops[i + 1][0] != "=":
                ops = _regroup(ops[:i] + [("-", text), ("+", text)] + ops[i + 1 :])
                changed = True
                break
    return ops


def _regroup(ops: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Consecutive changes as one removal followed by one addition."""
    out: list[tuple[str, str]] = []
    run: dict[str, str] = {"-": "", "+": ""}
    for op, text in ops + [("=", "")]:
        if op == "=":
            out += [(o, run[o]) for o in "-+" if run[o]]
            run = {"-": "", "+": ""}
            if text:
                out.append((op, text))
        else:
            run[op] += text
    return out


def where(origin: Origin | None, at: Location | None = None) -> str:
    """Where a paragraph comes from, as a clerk finds it; `at` is a change's own place in it
    (ParagraphChange.location: a run-in heading's paragraph's body)."""
    if origin is None:
        return "（位置不明）"
    if origin.part == "title":
        return f"标题第 {int(origin.block or 0) + 1} 行"
    at = at or origin.location
    location = Location(at.path, at.line) if at else None  # a block: its line
    if origin.part == "intro":
        return f"导语（{relative(location)}）" if location else "导语（自动生成）"
    if origin.part == "section-title":
        return f"章节标题“{origin.section.title if origin.section else ''}”"
    if origin.part == "template":
        return "模板中的文字（不在项目中）"
    return relative(location) if location else "正文"


def _shown(text: str) -> str:
    """A paragraph on one line: ¶ where it was split, ↵ at a line break inside it."""
    return text.replace(SPLIT, " ¶ ").replace("\n", "↵")


def diff_text(old: str, new: str) -> Text:
    line = Text()
    ops = word_diff(_shown(old), _shown(new))
    for i, (op, text) in enumerate(ops):
        if op == "=":
            if len(text) > 2 * _CONTEXT + 1:
                head = text[:_CONTEXT] if i > 0 else ""
                tail = text[-_CONTEXT:] if i < len(ops) - 1 else ""
                text = head + "…" + tail
            line.append(text)
        elif op == "-":
            line.append("[-", style="red")
            line.append(text, style=_REMOVED)
            line.append("-]", style="red")
        else:
            line.append("{+", style="green")
            line.append(text, style=_ADDED)
            line.append("+}", style="green")
    return line


def paragraph_lines(change: ParagraphChange) -> list[Text]:
    head = Text("  ")
    if change.kind == "added":
        head.append(f"{_KIND['added']}（在 {where(change.origin, change.location)} 之后）", style="bold")
    else:
        head.append(where(change.origin, change.location), style="cyan")
        head.append(f"  {_KIND[change.kind]}", style="bold")
    if change.kind == "added":
        body = Text("    ").append("{+", style="green").append(_shown(change.new), style=_ADDED).append("+}", style="green")
    elif change.kind == "removed":
        body = Text("    ").append("[-", style="red").append(_shown(change.old), style=_REMOVED).append("-]", style="red")
    else:
        body = Text("    ").append_text(diff_text(change.old, change.new))
    return [head, body]


def cell_line(change: CellChange) -> Text:
    line = Text("  ")
    line.append(f"表{change.table}" if change.table else "Markdown 表格", style="bold")
    line.append(f" {change.row} · {change.column}：")
    line.append(change.old or "（空）", style=_REMOVED)
    line.append(" → ")
    line.append(change.new or "（空）", style=_ADDED)
    if change.location is not None:
        line.append(f"  {relative(change.location)}", style="cyan")
    if change.computed:
        line.append("  （合计由 zbreport 计算，不会写回：请改它的组成项）", style="yellow")
    return line


def remark_line(remark: Remark) -> Text:
    line = Text("  ")
    line.append({"insert": "插入", "delete": "删除", "comment": "批注"}[remark.kind], style="bold")
    line.append(f"  {remark.author or '（未署名）'}")
    if remark.date:
        line.append(f"  {remark.date[:10]}")
    place = where(remark.origin, remark.location) if remark.origin is not None else "（位置不明）"
    if remark.added:
        place = f"新增段落（在 {place} 之后）"
    line.append(f"  {place}", style="cyan")
    if remark.cell:
        line.append(f" {remark.cell}", style="cyan")
    line.append(f"  “{remark.text}”")
    if remark.anchor:
        line.append(f"（批注于“{remark.anchor}”）", style="dim")
    return line


def comparison_text(comparison: Comparison, extra: list[Text] | None = None) -> Group:
    """The whole comparison, section by section; `extra` are lines about what will not be written."""
    lines: list[Text] = []
    if comparison.paragraphs:
        lines.append(Text("正文的改动", style="bold underline"))
        for change in comparison.paragraphs:
            lines += paragraph_lines(change)
    if comparison.cells:
        lines.append(Text("表格的改动", style="bold underline"))
        lines += [cell_line(c) for c in comparison.cells]
    if comparison.notes:
        lines.append(Text("其他改动", style="bold underline"))
        lines += [Text("  " + note) for note in comparison.notes]
    if extra:
        lines += extra
    if comparison.revisions:
        state = "（已按 --accept-changes 接受）" if comparison.accepted else "（未接受：比较的是修订前的文字；加 --accept-changes 则接受）"
        lines.append(Text("修订" + state, style="bold underline"))
        lines += [remark_line(r) for r in comparison.revisions]
    if comparison.comments:
        lines.append(Text("批注", style="bold underline"))
        lines += [remark_line(r) for r in comparison.comments]
    lines.append(Text(summary(comparison)))
    return Group(*lines)


def summary(comparison: Comparison) -> str:
    if not comparison.changed and not comparison.revisions and not comparison.comments:
        return "没有改动：编辑稿与项目现在生成的报告相同。"
    parts = []
    if comparison.paragraphs:
        parts.append(f"正文 {len(comparison.paragraphs)} 处")
    if comparison.cells:
        parts.append(f"表格 {len(comparison.cells)} 格")
    if comparison.notes:
        parts.append(f"其他 {len(comparison.notes)} 处")
    text = f"改动：{'，'.join(parts)}" if parts else "正文和表格没有改动"
    extras = []
    if comparison.revisions:
        extras.append(f"修订 {len(comparison.revisions)} 处")
    if comparison.comments:
        extras.append(f"批注 {len(comparison.comments)} 条")
    return text + (f"；另有{'，'.join(extras)}" if extras else "") + "。"


# ---------------------------------------------------------------- JSON


def _location(location: Location | None) -> dict[str, object] | None:
    if location is None:
        return None
    return {"file": str(location.path), "line": location.line or None, "column": location.column or None}


def _origin(origin: Origin | None, at: Location | None = None) -> dict[str, object] | None:
    if origin is None:
        return None
    return {"part": origin.part, "where": where(origin, at), **(_location(at or origin.location) or {})}


def comparison_json(comparison: Comparison) -> dict[str, object]:
    return {
        "changed": comparison.changed,
        "accepted_changes": comparison.accepted,
        "paragraphs": [
            {
                "kind": c.kind,
                "source": _origin(c.origin, c.location),
                "old": c.old.replace(SPLIT, "\n"),
                "new": c.new.replace(SPLIT, "\n"),
                "diff": [
                    {"op": {"=": "equal", "-": "delete", "+": "insert"}[op], "text": t}
                    for op, t in word_diff(c.old.replace(SPLIT, "\n"), c.new.replace(SPLIT, "\n"))
                ],
            }
            for c in comparison.paragraphs
        ],
        "cells": [
            {
                "table": c.table,
                "row": c.row,
                "column": c.column,
                "old": c.old,
                "new": c.new,
                "computed": c.computed,
                "source": _location(c.location),
            }
            for c in comparison.cells
        ],
        "other": comparison.notes,
        "revisions": [_remark(r) for r in comparison.revisions],
        "comments": [_remark(r) for r in comparison.comments],
    }


def _remark(remark: Remark) -> dict[str, object]:
    return {
        "kind": remark.kind,
        "author": remark.author,
        "date": remark.date,
        "text": remark.text,
        "anchor": remark.anchor,
        "source": _origin(remark.origin, remark.location),
        "cell": remark.cell or None,
        "on_added_paragraph": remark.added,
    }


# ---------------------------------------------------------------- what pull writes, and does not


def not_written_lines(plan: "Plan") -> list[Text]:
    lines: list[Text] = []
    if plan.not_written:
        lines.append(Text("不会写回项目的改动", style="bold underline"))
        for item in plan.not_written:
            line = Text("  ")
            if item.where:
                line.append(item.where, style="cyan")
                line.append("  ")
            line.append(item.message, style="yellow")
            lines.append(line)
    if plan.notes:
        lines.append(Text("请留意", style="bold underline"))
        lines += [Text("  " + note) for note in plan.notes]
    return lines


def plan_lines(plan: "Plan") -> Group:
    lines = [Text("将写入以下文件：", style="bold")]
    for change in plan.files:
        lines.append(Text("  " + relative(Location(change.source.path)), style="cyan"))
        lines += [Text("    " + what) for what in change.what]
    return Group(*lines)


def plan_json(plan: "Plan") -> dict[str, object]:
    return {
        "would_write": [
            {"file": str(change.source.path), "changes": change.what} for change in plan.files
        ],
        "not_written": [{"where": item.where, "message": item.message} for item in plan.not_written],
        "notes": plan.notes,
    }
