"""Reading a saved web page into blocks: the report, without the portal around it.

A portal page wraps the report in the site's header, navigation, breadcrumbs, a box of page
metadata, share buttons and a footer; old portals lay the page out with nested tables. The
report is the smallest element holding its section titles and official tables (their lowest
common ancestor), plus the nearest title before it. Scripts, styles and forms are never read,
and no entity or URL in the page is ever fetched.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
from lxml import etree

from ...diagnostics import InputError, Location
from ...format import Format
from . import limits, titles
from .blocks import PAGE_NUMBER, Block, Note, Published, TableBlock, TextBlock, table_from_rows
from .tables import table_kind

_SKIP = {"script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "form", "select", "button",
         "input", "textarea", "nav", "aside", "footer", "head", "map", "canvas", "audio", "video"}
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "table", "section", "article", "header",
          "main", "blockquote", "pre", "dl", "dt", "dd", "center", "address", "figure", "figcaption", "hr", "body", "td", "th", "tr"}
_HEADING = re.compile(r"^h([1-6])$")
_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")
# The portal's own words around an article: print and close buttons, page counters, share links.
_PAGE_CHROME = re.compile(r"打印本页|关闭窗口|【打印】|【关闭】|扫一扫|分享到|浏览次数|访问量|字号[：:]|责任编辑|【字体")
_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)


def read_html(path: Path, fmt: Format) -> Published:
    limits.check_file(path)
    deadline = limits.Deadline(path)
    text = _decode(path.read_bytes())
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, recover=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"无法按网页格式读取（{exc}）", Location(path)) from None
    page_title = " ".join((root.findtext(".//title") or "").split())
    walker = _Walker(deadline)
    body = root.find("body")
    walker.walk(body if body is not None else root)
    blocks, container = _report_part(walker.blocks, walker.owners, page_title, fmt)
    notes = []
    images = sum(1 for _ in container.iter("img"))
    links = sum(1 for a in container.iter("a") if a.get("href"))
    if images:
        notes.append(Note(f"报告中有 {images} 张图片，未导入"))
    if links:
        notes.append(Note(f"报告中有 {links} 个链接，只导入了链接文字"))
    return Published(path, "网页", blocks, notes)


def _decode(data: bytes) -> str:
    """Pages from Chinese portals are UTF-8 or GB2312/GBK; the page says which, or UTF-8 fails."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    declared = _CHARSET.search(data[:4096])
    names = [declared.group(1).decode("ascii").lower()] if declared else []
    for name in names + ["utf-8", "gb18030"]:
        if name in ("gb2312", "gbk", "x-gbk"):
            name = "gb18030"
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", errors="replace")


def _clean(text: str) -> str:
    text = text.replace("\xa0", " ").replace("\u3000", " ")
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    return _SPACE_NEAR_CJK.sub("", text).strip()


class _Walker:
    """Document order, flushing text at every block boundary; data tables read whole."""

    def __init__(self, deadline: limits.Deadline) -> None:
        self.deadline = deadline
        self.blocks: list[Block] = []
        self.owners: list[etree._Element] = []
        self.cells = 0

    def walk(self, root: etree._Element) -> None:
        buffer: list[str] = []
        stack: list[etree._Element] = [root]
        walker = etree.iterwalk(root, events=("start", "end"))
        skipped: set[etree._Element] = set()  # their "end" still comes: only their tail is read then
        for event, element in walker:
            tag = element.tag if isinstance(element.tag, str) else ""
            if event == "end" and element in skipped:
                if tag in _BLOCK:
                    self.flush(buffer, stack[-1])
                self.tail(element, buffer)
                continue
            if event == "start":
                if tag in _SKIP or _hidden(element) or (tag == "header" and not _in_article(element)):
                    walker.skip_subtree()
                    skipped.add(element)
                    continue
                if tag == "br":
                    buffer.append("\n")
                elif tag in _BLOCK:
                    self.flush(buffer, stack[-1])
                    if tag == "table" and _is_data_table(element):
                        self.table(element)
                        walker.skip_subtree()
                        skipped.add(element)
                        continue
                    stack.append(element)
                if element.text and tag not in _SKIP:
                    buffer.append(element.text)
            else:
                if tag in _BLOCK and tag != "br":
                    self.flush(buffer, element, _heading_level(tag))
                    if stack and stack[-1] is element:
                        stack.pop()
                self.tail(element, buffer)
        self.flush(buffer, root)

    def tail(self, element: etree._Element, buffer: list[str]) -> None:
        if element.tail:
            buffer.append(element.tail)

    def flush(self, buffer: list[str], owner: etree._Element, level: int = 0) -> None:
        if not buffer:
            return
        self.deadline.check()
        raw = "".join(buffer)
        buffer.clear()
        for line in raw.split("\n"):
            text = _clean(line)
            if not text:
                continue
            self.blocks.append(TextBlock(text, "heading" if level else "paragraph", level=level))
            self.owners.append(owner)

    def table(self, table: etree._Element) -> None:
        rows: list[list[tuple[str, int, int]]] = []
        for tr in _own_rows(table):
            row = []
            for cell in tr:
                if not isinstance(cell.tag, str) or cell.tag not in ("td", "th"):
                    continue
                row.append((_cell_text(cell), _span(cell.get("rowspan")), _span(cell.get("colspan"))))
            rows.append(row)
            self.cells += len(row)
            if self.cells > limits.MAX_TABLE_CELLS:
                raise InputError(f"网页中的表格共有超过 {limits.MAX_TABLE_CELLS} 个单元格，不像年度报告", Location(self.deadline.path))
        if any(rows):
            self.blocks.append(table_from_rows([r for r in rows]))
            self.owners.append(table)


def _heading_level(tag: str) -> int:
    match = _HEADING.match(tag)
    return int(match.group(1)) if match else 0


def _hidden(element: etree._Element) -> bool:
    """Not shown, or the running header and footer a word processor exports (LibreOffice: title="footer")."""
    style = (element.get("style") or "").replace(" ", "").lower()
    if (element.get("title") or "").lower() in ("header", "footer"):
        return True
    return "display:none" in style or element.get("hidden") is not None or element.get("aria-hidden") == "true"


def _in_article(element: etree._Element) -> bool:
    return any(a.tag in ("article", "main") for a in element.iterancestors())


def _own_rows(table: etree._Element) -> list[etree._Element]:
    """The table's rows, not those of a table nested in it."""
    return [tr for tr in table.iter("tr") if next((a for a in tr.iterancestors("table")), None) is table]


def _is_data_table(table: etree._Element) -> bool:
    """A table of figures rather than a layout grid: no table inside it, no long text in a cell."""
    if any(True for _ in table.iterdescendants("table")):
        return False
    return all(len(_cell_text(cell)) <= 300 for tr in _own_rows(table) for cell in tr if cell.tag in ("td", "th"))


def _cell_text(cell: etree._Element) -> str:
    parts: list[str] = []
    for node in cell.iter():
        if not isinstance(node.tag, str) or node.tag in _SKIP:
            continue
        if node.tag in ("br", "p", "div", "li") and parts:
            parts.append("\n")
        if node.text:
            parts.append(node.text)
        if node is not cell and node.tail:
            parts.append(node.tail)
    return "\n".join(t for t in (_clean(line) for line in "".join(parts).split("\n")) if t)


def _span(value: str | None) -> int:
    try:
        return max(1, min(int((value or "1").strip()), 1000))
    except ValueError:
        return 1


def _report_part(
    blocks: list[Block], owners: list[etree._Element], page_title: str, fmt: Format
) -> tuple[list[Block], etree._Element]:
    """The report's blocks: those inside the element that holds its official tables and its
    section titles (not the navigation's links that read like one), after the nearest title
    before it."""
    candidates = [
        (i, found)
        for i, b in enumerate(blocks)
        if isinstance(b, TextBlock) and (found := titles.section_title(b.text, fmt)) is not None
    ]
    tables = [i for i, b in enumerate(blocks) if isinstance(b, TableBlock) and table_kind(b, fmt.tables)]
    heads = [i for i, _ in titles.choose_sections(candidates, fmt)]
    if not tables and len(heads) < 2:
        return blocks, owners[0].getroottree().getroot() if owners else etree.Element("body")
    container = _common_ancestor([owners[i] for i in (tables or heads)])
    wanted = min(4, len({found.form.number for _, found in candidates}))

    def sections_inside(node: etree._Element) -> int:
        return len({found.form.number for i, found in candidates if _within(owners[i], node)})

    while sections_inside(container) < wanted and container.getparent() is not None:
        container = container.getparent()
    inside = [i for i, owner in enumerate(owners) if _within(owner, container)]
    start = inside[0] if inside else 0
    kept = [blocks[i] for i in inside if not _is_chrome(blocks[i])]
    first_anchor = min([i for i in tables + heads if i >= start], default=start)
    texts = [b.text for b in blocks[start : first_anchor + 1] if isinstance(b, TextBlock)]
    if titles.find_title(texts) is None:
        before = next(
            (b for b in reversed(blocks[:start]) if isinstance(b, TextBlock) and titles.find_title([b.text])),
            None,
        )
        if before is not None:
            kept.insert(0, TextBlock(before.text, "title"))
        elif page_title:
            part = next((p for p in re.split(r"[_|｜—–-]+", page_title) if titles.find_title([p])), None)
            if part:
                kept.insert(0, TextBlock(part.strip(), "title"))
    return kept, container


def _within(element: etree._Element, container: etree._Element) -> bool:
    return element is container or any(a is container for a in element.iterancestors())


def _common_ancestor(elements: list[etree._Element]) -> etree._Element:
    chains = [list(reversed([e, *e.iterancestors()])) for e in elements]
    common = chains[0][0]
    for level in zip(*chains):
        if all(node is level[0] for node in level):
            common = level[0]
        else:
            break
    return common


def _is_chrome(block: Block) -> bool:
    if not isinstance(block, TextBlock) or len(block.text) > 60:
        return False
    return bool(_PAGE_CHROME.search(block.text) or PAGE_NUMBER.match(block.text))
