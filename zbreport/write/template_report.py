"""`zbreport template check` in the terminal: what a template holds for zbreport, and what it lacks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..controls import visible
from ..diagnostics import Finding
from . import ooxml
from .docx import REQUIRED_STYLES
from .findings import finding_line, summary

if TYPE_CHECKING:
    from ..read.template import Template

_PAPER = {(210, 297): "A4", (148, 210): "A5", (297, 420): "A3", (216, 279): "Letter", (184, 260): "16开"}
EMU_PER_MM = 36000


def template_report(template: "Template", findings: list[Finding]) -> RenderableType:
    rows = Table.grid(padding=(0, 2))
    rows.add_column(style="bold", no_wrap=True)
    rows.add_column()

    def row(label: str, text: str) -> None:  # Text, not a str: a font or placeholder is not rich markup
        rows.add_row(label, Text(visible(text)))

    row("页面", page_setup(template))
    row("正文位置", _body_place(template))
    present = [name for name in REQUIRED_STYLES if name not in template.missing_styles]
    styles = f"zbreport 使用的 {len(REQUIRED_STYLES)} 个样式，模板中有 {len(present)} 个：{'、'.join(present)}"
    if template.missing_styles:
        styles += f"；缺少（将使用默认样式）：{'、'.join(template.missing_styles)}"
    row("样式", styles)
    by_place: dict[str, list[str]] = {}
    for text in template.placeholders:
        if text.placeholder not in by_place.setdefault(text.where, []):
            by_place[text.where].append(text.placeholder)
    placeholders = "；".join(f"{where} {' '.join(items)}" for where, items in by_place.items()) or "无"
    row("占位符", placeholders)
    fonts = ooxml.fonts_named(template.document, set(REQUIRED_STYLES) | {"Normal"})
    row("字体", "、".join(fonts) or "（未指定）")
    parts: list[RenderableType] = [Text(visible(f"模板 {template.name}"), style="bold"), rows]
    parts += [finding_line(f) for f in findings]
    parts.append(Text(summary(findings)))
    return Group(*parts)


def page_setup(template: "Template") -> str:
    section = ooxml.last_section(template.document)
    if section.page_width is None or section.page_height is None:
        return "未设置（按 Word 默认）"
    width, height = round(section.page_width / EMU_PER_MM), round(section.page_height / EMU_PER_MM)
    paper = _PAPER.get((min(width, height), max(width, height)), "自定义")
    orientation = "纵向" if height >= width else "横向"
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    text = f"{paper} {orientation}（{width} × {height} mm）"
    if all(m is not None for m in margins):
        top, bottom, left, right = (round(m / EMU_PER_MM) for m in margins)  # type: ignore[operator]
        text += f"，页边距 上 {top}、下 {bottom}、左 {left}、右 {right} mm"
    return text


def _body_place(template: "Template") -> str:
    if template.marker is not None:
        return "{{ body }} 所在的段落"
    return "模板中没有 {{ body }}：报告接在模板原有内容之后"
