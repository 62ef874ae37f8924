"""An agency's Word template against GB/T 9704: page, Chinese faces, heading colour, body indent.

Warnings only: an agency may have its reasons (a 16开 booklet, a house face), and the report is
built either way. `template check` lists them; `build` does not repeat them on every run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..diagnostics import Finding, Location, Severity
from ..format.gbt9704 import GBT9704, PageLayout
from ..write import ooxml
from ..write.ooxml import Style, qn
from ..write.docx import BODY, HEADINGS, REQUIRED_STYLES

if TYPE_CHECKING:
    from ..read.template import Template

EMU_PER_MM = 36000
_SIDES = {"top": "上", "bottom": "下", "left": "左", "right": "右"}
_BLACK = {None, "auto", "000000"}
_BLACK_THEMES = {None, "text1", "dark1"}


def layout_findings(template: Template, layout: PageLayout = GBT9704) -> list[Finding]:
    where = Location(template.path)
    messages = page_problems(template, layout) + style_problems(template, layout)
    return [Finding(Severity.WARNING, "template-layout", f"模板 {template.name}：{m}", where) for m in messages]


def page_problems(template: Template, layout: PageLayout) -> list[str]:
    """The page the report is printed on (the template's last section): A4, official margins."""
    section = ooxml.last_section(template.document)
    width, height = (section.page_width or 0) / EMU_PER_MM, (section.page_height or 0) / EMU_PER_MM
    problems: list[str] = []
    paper_w, paper_h = layout.paper_mm
    if abs(width - paper_w) > layout.tolerance_mm or abs(height - paper_h) > layout.tolerance_mm:
        problems.append(
            f"页面为 {width:.0f} × {height:.0f} mm，{layout.name} 规定 A4 纵向（{paper_w:.0f} × {paper_h:.0f} mm）"
        )
    margins = {
        "top": section.top_margin,
        "bottom": section.bottom_margin,
        "left": section.left_margin,
        "right": section.right_margin,
    }
    off = [
        (side, (value or 0) / EMU_PER_MM)
        for side, value in margins.items()
        if abs((value or 0) / EMU_PER_MM - layout.margins_mm[side]) > layout.tolerance_mm
    ]
    if off:
        actual = "、".join(f"{_SIDES[side]} {mm:.0f}" for side, mm in off)
        official = "、".join(f"{_SIDES[side]} {layout.margins_mm[side]:.0f}" for side in margins)
        block = (paper_w - layout.margins_mm["left"] - layout.margins_mm["right"], paper_h - layout.margins_mm["top"] - layout.margins_mm["bottom"])
        problems.append(f"页边距 {actual} mm，{layout.name} 为 {official} mm（版心 {block[0]:.0f} × {block[1]:.0f} mm）")
    return problems


def style_problems(template: Template, layout: PageLayout) -> list[str]:
    document = template.document
    styles = {style.name: style for style in ooxml.styles(document)}
    problems: list[str] = []

    paragraph_styles = [n for n in REQUIRED_STYLES if n in styles and styles[n].type == "paragraph"]
    unnamed = [n for n in paragraph_styles if not _east_asian_font(document, styles[n])]
    if unnamed:
        problems.append(
            f"样式 {'、'.join(unnamed)} 没有指定中文字体（只有西文字体或主题字体），中文会以 Word 的默认字体显示；"
            "请在样式的“字体”中设置“中文字体”"
        )
    for level, name in HEADINGS.items():
        style = styles.get(name)
        if style is None:
            continue
        color = ooxml.resolved_element(document, style, "rPr", "w:color")
        if color is not None and (
            color.get(qn("w:val")) not in _BLACK or color.get(qn("w:themeColor")) not in _BLACK_THEMES
        ):
            problems.append(f"标题样式“{name}”的文字是彩色的（{color.get(qn('w:val'))}），公文正文中的标题应为黑色")
        font = _east_asian_font(document, style)
        chinese, latin = layout.heading_faces[level]
        if font and chinese not in font and latin not in font.lower():
            problems.append(f"标题样式“{name}”的中文字体是 {font}，{layout.name} 第 {level} 层标题用{chinese}")
    body = styles.get(BODY)
    if body is not None and not _indented_two_characters(document, body, layout):
        problems.append(f"正文样式“{BODY}”的首行没有缩进两个字符（{layout.name}：每个自然段左空二字）")
    return problems


def _east_asian_font(document, style: Style) -> str | None:
    return ooxml.resolved_attribute(document, style, "rPr", "w:rFonts", "w:eastAsia")


def _indented_two_characters(document, style: Style, layout: PageLayout) -> bool:
    """First line indented by two characters: 200 hundredths of a character, or twice the font
    size in twips (Word writes both; a template made elsewhere may have only the second)."""
    indent = ooxml.resolved_element(document, style, "pPr", "w:ind")
    if indent is None:
        return False
    chars = indent.get(qn("w:firstLineChars"))
    if chars is not None and chars.lstrip("-").isdigit():
        return int(chars) == 100 * layout.first_line_indent_chars
    twips = indent.get(qn("w:firstLine"))
    size = ooxml.resolved_attribute(document, style, "rPr", "w:sz", "w:val")
    points = int(size) / 2 if size and size.isdigit() else 10.0
    if twips is None or not twips.lstrip("-").isdigit():
        return False
    return abs(int(twips) - layout.first_line_indent_chars * points * 20) <= points * 2  # within a tenth of a character
