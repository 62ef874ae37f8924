"""Reading a published .docx into blocks: paragraphs with their styles, numbering and run-in
headings, and tables with their merged cells.

The package is read with zipfile and lxml directly, not python-docx, so that only the three
parts a report needs are ever inflated (each within `limits`), and no DTD is ever read.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from ...records import field, record
from ...diagnostics import InputError, Location
from . import limits
from .blocks import MAX_SPAN, Block, Cell, Note, Published, TableBlock, TextBlock

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


_HEADING_NAME = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.I)
_TITLE_NAMES = {"title", "标题"}
_LIST_NAMES = {"list paragraph", "列出段落", "列表段落"}
# Text these elements hold is not part of the paragraph a reader sees in the body.
_SKIPPED = {w("del"), w("moveFrom"), w("drawing"), w("pict"), w("object"), w("instrText"), w("delText")}
_SKIPPED |= {"{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"}
_LITERAL_MARKER = re.compile(r"^(\d{1,3}[.．、]|[●•·▪■◆\-–])\s?")


@record(frozen=False)
class _Style:
    name: str
    heading: int = 0  # 1–9 from the name or the outline level; 0 for none
    title: bool = False
    bold: bool = False
    based_on: str | None = None
    linked_heading: int = 0  # a character style linked to a heading style ("Heading 2 Char")


@record(frozen=False)
class _Level:
    fmt: str
    text: str
    start: int


@record(frozen=False)
class _Numbering:
    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)  # numId → ilvl → level
    counters: dict[str, list[int]] = field(default_factory=dict)


def read_docx(path: Path) -> Published:
    limits.check_file(path)
    deadline = limits.Deadline(path)
    with limits.open_zip(path, "Word 文档") as archive:
        main = _main_part(archive, path)
        data = limits.read_member(archive, main, path)
        if data is None:
            raise InputError("不是 Word 文档（缺少正文部分 word/document.xml）", Location(path))
        document = limits.parse_xml(data, main, path)
        folder = main.rsplit("/", 1)[0] + "/" if "/" in main else ""
        styles_data = limits.read_member(archive, folder + "styles.xml", path)
        numbering_data = limits.read_member(archive, folder + "numbering.xml", path)
    styles = _styles(limits.parse_xml(styles_data, "styles.xml", path)) if styles_data else {}
    numbering = _numbering(limits.parse_xml(numbering_data, "numbering.xml", path)) if numbering_data else _Numbering()
    body = document.find(w("body"))
    if body is None:
        raise InputError("不是 Word 文档（正文部分没有 w:body）", Location(path))
    reader = _Reader(styles, numbering, deadline)
    reader.container(body)
    notes = [Note(message) for message in reader.notes()]
    return Published(path, "Word 文档", reader.blocks, notes)


def _main_part(archive, path: Path) -> str:
    rels = limits.read_member(archive, "_rels/.rels", path)
    if rels:
        root = limits.parse_xml(rels, "_rels/.rels", path)
        for rel in root.iter(f"{{{REL}}}Relationship"):
            if rel.get("Type") == OFFICE_DOCUMENT and rel.get("Target"):
                return rel.get("Target", "").lstrip("/")
    return "word/document.xml"


def _styles(root: etree._Element) -> dict[str, _Style]:
    styles: dict[str, _Style] = {}
    links: dict[str, str] = {}
    for element in root.iter(w("style")):
        style_id = element.get(w("styleId")) or ""
        name_el = element.find(w("name"))
        name = (name_el.get(w("val")) if name_el is not None else "") or style_id
        style = _Style(name)
        match = _HEADING_NAME.match(name.strip())
        if match:
            style.heading = int(match.group(1))
        outline = element.find(f"{w('pPr')}/{w('outlineLvl')}")
        if outline is not None and not style.heading:
            level = _int(outline.get(w("val")), 9)
            style.heading = level + 1 if 0 <= level < 9 else 0
        style.title = name.strip().lower() in _TITLE_NAMES
        style.bold = _is_on(element.find(f"{w('rPr')}/{w('b')}"))
        based = element.find(w("basedOn"))
        style.based_on = based.get(w("val")) if based is not None else None
        link = element.find(w("link"))
        if link is not None and element.get(w("type")) == "character":
            links[style_id] = link.get(w("val")) or ""
        styles[style_id] = style
    for style_id, style in styles.items():
        parent, seen = style.based_on, {style_id}
        while parent in styles and parent not in seen and not style.heading:
            seen.add(parent)
            style.heading = styles[parent].heading if not styles[parent].title else 0
            parent = styles[parent].based_on
    for char_id, para_id in links.items():
        if para_id in styles:
            styles[char_id].linked_heading = styles[para_id].heading
    return styles


def _is_on(element: etree._Element | None) -> bool:
    return element is not None and element.get(w("val"), "true") not in ("0", "false", "off")


_CHINESE_DIGITS = "零一二三四五六七八九"


def _chinese_number(n: int) -> str:
    if n < 10:
        return _CHINESE_DIGITS[n]
    if n < 20:
        return "十" + (_CHINESE_DIGITS[n - 10] if n > 10 else "")
    if n < 100:
        return _CHINESE_DIGITS[n // 10] + "十" + (_CHINESE_DIGITS[n % 10] if n % 10 else "")
    return str(n)


def _format_number(n: int, fmt: str) -> str:
    if fmt.startswith("chinese") or fmt.startswith("ideograph") or fmt in ("taiwaneseCounting", "japaneseCounting"):
        return _chinese_number(n)
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


def _numbering(root: etree._Element) -> _Numbering:
    abstract: dict[str, dict[int, _Level]] = {}
    for element in root.iter(w("abstractNum")):
        levels: dict[int, _Level] = {}
        for lvl in element.iter(w("lvl")):
            fmt = lvl.find(w("numFmt"))
            text = lvl.find(w("lvlText"))
            start = lvl.find(w("start"))
            levels[_int(lvl.get(w("ilvl")), 0)] = _Level(
                fmt.get(w("val"), "decimal") if fmt is not None else "decimal",
                text.get(w("val"), "") if text is not None else "",
                _int(start.get(w("val")), 1) if start is not None else 1,
            )
        abstract[element.get(w("abstractNumId"), "")] = levels
    numbering = _Numbering()
    for element in root.iter(w("num")):
        ref = element.find(w("abstractNumId"))
        if ref is not None:
            numbering.levels[element.get(w("numId"), "")] = abstract.get(ref.get(w("val"), ""), {})
    return numbering


def _marker(numbering: _Numbering, num_id: str, ilvl: int) -> tuple[str, bool]:
    """The number Word prints before a numbered paragraph ("一、", "（一）", "1."), and whether it is a bullet."""
    levels = numbering.levels.get(num_id)
    if not levels or ilvl not in levels:
        return "", False
    counters = numbering.counters.setdefault(num_id, [0] * 10)
    level = levels[ilvl]
    if level.fmt == "bullet":
        return level.text or "●", True
    counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else level.start
    for deeper in range(ilvl + 1, len(counters)):
        counters[deeper] = 0

    def place(match: re.Match) -> str:
        index = int(match.group(1)) - 1
        lvl = levels.get(index)
        value = counters[index] or (lvl.start if lvl else 1)
        return _format_number(value, lvl.fmt if lvl else "decimal")

    return re.sub(r"%([1-9])", place, level.text), False


class _Reader:
    def __init__(self, styles: dict[str, _Style], numbering: _Numbering, deadline: limits.Deadline) -> None:
        self.styles = styles
        self.numbering = numbering
        self.deadline = deadline
        self.blocks: list[Block] = []
        self.images = self.footnotes = self.text_boxes = self.comments = self.links = 0
        self.revisions = self.nested_tables = False
        self.cells = 0

    def notes(self) -> list[str]:
        out = []
        if self.images:
            out.append(f"文中有 {self.images} 张图片或图形，未导入（项目中的正文只有文字）")
        if self.text_boxes:
            out.append(f"文中有 {self.text_boxes} 个文本框，其中的文字未导入")
        if self.footnotes:
            out.append(f"文中有 {self.footnotes} 个脚注或尾注，其内容未导入")
        if self.comments:
            out.append(f"文中有 {self.comments} 条批注，未导入")
        if self.links:
            out.append(f"文中有 {self.links} 个超链接，只导入了链接文字")
        if self.revisions:
            out.append("文档含有未接受的修订，按接受全部修订后的文字读取")
        if self.nested_tables:
            out.append("表格中嵌套的表格按文字读取，未保留其格式")
        return out

    def container(self, element: etree._Element) -> None:
        for child in element:
            if child.tag == w("p"):
                self.paragraph(child)
            elif child.tag == w("tbl"):
                self.table(child)
            elif child.tag in (w("sdt"), w("customXml"), w("sdtContent")):
                self.container(child)

    # ------------------------------------------------------------ paragraphs

    def paragraph(self, p: etree._Element) -> None:
        self.deadline.check()
        runs = self.runs(p)
        text = "".join(t for t, _ in runs).strip()
        if not text:
            return
        ppr = p.find(w("pPr"))
        style = self.styles.get(_val(ppr, "pStyle") or "", _Style(""))
        level = style.heading
        outline = ppr.find(w("outlineLvl")) if ppr is not None else None
        if outline is not None:
            value = _int(outline.get(w("val")), 9)
            level = value + 1 if 0 <= value < 9 else level
        marker, bullet = self.numbered(ppr, style)
        if style.title:
            self.blocks.append(TextBlock(text, "title"))
            return
        if bullet:
            self.blocks.append(TextBlock(text, "item", marker=marker))
            return
        text = marker + text if marker else text
        if style.name.strip().lower() in _LIST_NAMES and not level:
            literal = _LITERAL_MARKER.match(text)
            if literal:
                mark = literal.group(1)
                self.blocks.append(TextBlock(text[literal.end():], "item", marker=mark, ordered=mark[0].isdigit()))
                return
        if level and level <= 4:
            self.blocks.append(TextBlock(text, "heading", level=level))
            return
        self.blocks.append(TextBlock(text, "paragraph", lead=_lead(runs, text)))

    def numbered(self, ppr: etree._Element | None, style: _Style) -> tuple[str, bool]:
        num = ppr.find(w("numPr")) if ppr is not None else None
        if num is None:
            return "", False
        num_id = _val(num, "numId") or ""
        ilvl = max(0, min(_int(_val(num, "ilvl"), 0), 8))
        if num_id == "0":
            return "", False
        return _marker(self.numbering, num_id, ilvl)

    def runs(self, p: etree._Element) -> list[tuple[str, int]]:
        """The paragraph's visible text in runs, each with its emphasis: 2 a heading's character
        style, 1 bold, 0 plain (for run-in headings)."""
        out: list[tuple[str, int]] = []
        for run in p.iter(w("r")):
            if any(a.tag in _SKIPPED for a in run.iterancestors()):
                continue
            if run.getparent() is not None and run.getparent().tag == w("ins"):
                self.revisions = True
            rpr = run.find(w("rPr"))
            char_style = self.styles.get(_val(rpr, "rStyle") or "", _Style(""))
            weight = 2 if char_style.linked_heading else 1 if (_is_on(rpr.find(w("b")) if rpr is not None else None) or char_style.bold) else 0
            parts: list[str] = []
            for child in run:
                tag = child.tag
                if tag == w("t"):
                    parts.append(child.text or "")
                elif tag == w("tab"):
                    parts.append(" ")
                elif tag in (w("br"), w("cr")):
                    parts.append("\n" if child.get(w("type")) in (None, "textWrapping") else "")
                elif tag == w("noBreakHyphen"):
                    parts.append("-")
                elif tag in (w("drawing"), w("pict"), w("object")):
                    self.count_drawing(child)
                elif tag in (w("footnoteReference"), w("endnoteReference")):
                    self.footnotes += 1
                elif tag == w("commentReference"):
                    self.comments += 1
                elif tag == "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent":
                    self.count_drawing(child)
            if parts:
                out.append(("".join(parts), weight))
        if any(True for _ in p.iter(w("del"))):
            self.revisions = True
        self.links += sum(1 for _ in p.iter(w("hyperlink")))
        return out

    def count_drawing(self, element: etree._Element) -> None:
        if any(True for _ in element.iter(w("txbxContent"))):
            self.text_boxes += 1
        else:
            self.images += 1

    # ------------------------------------------------------------ tables

    def table(self, tbl: etree._Element) -> None:
        cells: list[Cell] = []
        open_cells: dict[int, Cell] = {}  # grid column → the cell a vertical merge continues
        rows = [tr for tr in tbl if tr.tag == w("tr")]
        for r, tr in enumerate(rows):
            self.deadline.check()
            trpr = tr.find(w("trPr"))
            col = max(0, min(_int(_val(trpr, "gridBefore"), 0), MAX_SPAN))
            for tc in tr:
                if tc.tag == w("sdt"):
                    tc = tc.find(f"{w('sdtContent')}/{w('tc')}")
                    if tc is None:
                        continue
                if tc.tag != w("tc"):
                    continue
                tcpr = tc.find(w("tcPr"))
                span = max(1, min(_int(_val(tcpr, "gridSpan"), 1), MAX_SPAN))
                vmerge = tcpr.find(w("vMerge")) if tcpr is not None else None
                if vmerge is not None and vmerge.get(w("val"), "continue") == "continue" and col in open_cells:
                    open_cells[col].rowspan = r - open_cells[col].row + 1
                else:
                    cell = Cell(self.cell_text(tc), r, col, 1, span)
                    cells.append(cell)
                    for c in range(col, col + span):
                        open_cells.pop(c, None)
                    if vmerge is not None:
                        open_cells[col] = cell
                col += span
            self.cells += len(tr)
            if self.cells > limits.MAX_TABLE_CELLS:
                raise InputError(f"表格共有超过 {limits.MAX_TABLE_CELLS} 个单元格，不像年度报告", Location(self.deadline.path))
        n_cols = max((c.col + c.colspan for c in cells), default=0)
        if cells:
            self.blocks.append(TableBlock(cells, len(rows), n_cols))

    def cell_text(self, tc: etree._Element) -> str:
        lines = []
        for child in tc.iter(w("p"), w("tbl")):
            if child.tag == w("tbl"):
                self.nested_tables = True
                continue
            text = "".join(t for t, _ in self.runs(child)).strip()
            if text:
                lines.append(text)
        return "\n".join(lines)


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _val(parent: etree._Element | None, tag: str) -> str | None:
    if parent is None:
        return None
    element = parent.find(w(tag))
    return element.get(w("val")) if element is not None else None


def _lead(runs: list[tuple[str, int]], text: str) -> str:
    """A run-in heading: the paragraph opens with runs in a heading's character style, or bold,
    and goes on in plain text."""
    lead = ""
    for run_text, weight in runs:
        if weight == 0:
            break
        lead += run_text
    lead = lead.strip()
    if not lead or len(lead) >= len(text) or len(lead) > 40:
        return ""
    return lead if text.startswith(lead) else ""
