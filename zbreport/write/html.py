"""The web page writer: the assembled Document as one self-contained HTML page for a portal.

The page carries its CSS and pictures inside it (no fonts, scripts or files fetched from
elsewhere), so a web team publishes the file as it is. The official tables are real tables:
merged cells as rowspan/colspan, every header a `<th>` with its scope, and every number's
headers named in `headers`, so a screen reader or an evaluator's scraper reads each number
with its row and column labels. Everything the project wrote is escaped (see markup.py).

Like the Word writer, it reads the Document alone; what a browser cannot show (a TIFF picture,
a link that is not a web address) is reported, never dropped in silence.
"""

from __future__ import annotations

import base64
import re

from ..records import field, record
from ..diagnostics import Finding, Severity
from ..document import Document, DocumentBlock, DocumentSection, OfficialTable
from ..format import Layout, LayoutCell
from ..model import (
    BlockQuote,
    Code,
    CodeBlock,
    Container,
    Emph,
    GridTable,
    Heading,
    Image,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    Note,
    PageBreak,
    Paragraph,
    Placeholder,
    Strikeout,
    Strong,
    Subscript,
    Superscript,
    Text,
    Underline,
    inline_text,
)
from ..read.files import image_type  # not read.markdown: a build from the read cache loads no markdown-it
from .markup import Element, StyleSheet, el, serialize

# Pictures a browser shows; a TIFF is shown by Safari alone.
_IMAGE_MIME = {"png": "image/png", "jpeg": "image/jpeg", "gif": "image/gif", "bmp": "image/bmp"}
# A link is made only to these (or to a relative address): never `javascript:` or `data:`.
_LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel", "ftp"})
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_MARK_TAGS = {Strong: "strong", Emph: "em", Strikeout: "s", Underline: "u", Subscript: "sub", Superscript: "sup"}
# The narrowest column of an official table gets this much (in the table's own font size) on a
# screen; a narrower screen scrolls the table rather than squeeze "结果维持" into a letter a line.
MIN_COLUMN_EM = 3.0

_FANGSONG = '"FangSong_GB2312", "仿宋_GB2312", "FangSong", "仿宋", "STFangsong", "华文仿宋", "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", serif'
_HEITI = '"SimHei", "黑体", "Heiti SC", "STHeiti", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif'
_KAITI = '"KaiTi_GB2312", "楷体_GB2312", "KaiTi", "楷体", "STKaiti", "华文楷体", "Kaiti SC", "Noto Serif CJK SC", serif'
_XIAOBIAOSONG = '"FZXiaoBiaoSong-B05S", "方正小标宋简体", "STZhongsong", "华文中宋", "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", serif'
_SONGTI = '"SimSun", "宋体", "Songti SC", "Noto Serif CJK SC", serif'

# Screen: a readable column; print: A4 with the GB/T 9704 margins and type sizes of the .docx
# (3号 16 pt text on 28.95 pt lines, 2号 title, 五号 tables), header rows repeated on each page,
# rows never split, page numbers "— N —" outside (odd pages right, even pages left).
CSS = f"""
:root {{ color-scheme: light; }}
html {{ -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }}
body {{ margin: 0; background: #fff; color: #111; }}
.zbreport {{ box-sizing: border-box; max-width: 52em; margin: 0 auto; padding: 2em 1.25em 4em;
  font-family: {_FANGSONG}; font-size: 18px; line-height: 1.8; overflow-wrap: break-word; }}
.zbreport h1 {{ margin: 0.5em 0 1.2em; font-family: {_XIAOBIAOSONG}; font-size: 1.55em; font-weight: normal;
  line-height: 1.5; text-align: center; }}
.zbreport h1 span {{ display: block; }}
.zbreport h2, .zbreport h3, .zbreport h4, .zbreport h5, .zbreport h6 {{ margin: 0; font-size: 1em; line-height: inherit;
  text-indent: 2em; break-after: avoid; }}
.zbreport h2 {{ margin-top: 0.8em; font-family: {_HEITI}; font-weight: normal; }}
.zbreport h3 {{ font-family: {_KAITI}; font-weight: normal; }}
.zbreport h4 {{ font-weight: bold; }}
.zbreport h5, .zbreport h6 {{ font-weight: normal; }}
.zbreport p {{ margin: 0; text-indent: 2em; text-align: justify; }}
.zbreport .run-in {{ text-indent: 2em; text-align: justify; }}
.zbreport .run-in h3, .zbreport .run-in h4, .zbreport .run-in h5, .zbreport .run-in h6, .zbreport .run-in p {{
  display: inline; text-indent: 0; }}
.zbreport p.figure {{ text-indent: 0; text-align: center; }}
.zbreport img {{ max-width: 100%; height: auto; vertical-align: middle; }}
.zbreport ol, .zbreport ul {{ margin: 0; padding-left: 4em; }}
.zbreport li p {{ text-indent: 0; }}
.zbreport blockquote {{ margin: 0.4em 0 0.4em 2em; padding-left: 1em; border-left: 3px solid #bbb; color: #333; }}
.zbreport pre {{ margin: 0.4em 0; padding: 0.6em 0.8em; overflow-x: auto; background: #f5f5f5; font-size: 0.85em; line-height: 1.5; }}
.zbreport code {{ font-family: "Noto Sans Mono CJK SC", "Sarasa Mono SC", Consolas, monospace; }}
.zbreport a {{ color: #0645ad; }}
.zbreport .table-scroll {{ overflow-x: auto; margin: 0.6em 0 0.8em; }}
.zbreport .table-scroll:focus-visible {{ outline: 2px solid #0645ad; }}
.zbreport table {{ width: 100%; border-collapse: collapse; font-size: 15px; line-height: 1.45;
  text-indent: 0; font-variant-numeric: tabular-nums; }}
.zbreport th, .zbreport td {{ padding: 0.3em 0.35em; border: 1px solid #000; text-align: center; vertical-align: middle;
  font-weight: normal; }}
.zbreport th[scope="row"], .zbreport td.corner {{ text-align: left; }}
.zbreport table.grid th {{ font-weight: bold; }}
.zbreport table.grid td {{ text-align: left; }}
.zbreport table.grid td.align-center {{ text-align: center; }}
.zbreport table.grid td.align-right {{ text-align: right; }}
.zbreport caption {{ padding-bottom: 0.3em; font-family: {_HEITI}; }}
.zbreport .visually-hidden {{ position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0; }}
.zbreport .note-ref {{ font-size: 0.75em; line-height: 0; }}
.zbreport .note-ref a {{ text-decoration: none; }}
.zbreport .footnotes {{ margin-top: 2em; padding-top: 0.5em; border-top: 1px solid #999; font-size: 0.9em; }}
.zbreport .footnotes h2 {{ text-indent: 0; }}
.zbreport .footnotes ol {{ padding-left: 2em; }}
.zbreport .back-link {{ margin-left: 0.3em; text-decoration: none; }}
@media (max-width: 40em) {{
  /* A phone's line holds a dozen characters: justified, an e-mail address spreads the line apart. */
  .zbreport {{ padding: 1em 1em 3em; font-size: 17px; }}
  .zbreport p, .zbreport .run-in {{ text-align: start; }}
  .zbreport {{ overflow-wrap: anywhere; }}
}}
@media print {{
  @page {{ size: A4; margin: 37mm 26mm 35mm 28mm; }}
  @page :right {{ @bottom-right {{ content: "— " counter(page) " —"; font-family: {_SONGTI}; font-size: 14pt; margin-right: 1em; }} }}
  @page :left {{ @bottom-left {{ content: "— " counter(page) " —"; font-family: {_SONGTI}; font-size: 14pt; margin-left: 1em; }} }}
  body {{ color: #000; }}
  .zbreport {{ max-width: none; padding: 0; font-size: 16pt; line-height: 28.95pt; }}
  .zbreport h1 {{ margin: 0 0 28.95pt; font-size: 22pt; line-height: 35pt; }}
  .zbreport h2 {{ margin-top: 0; }}
  .zbreport a {{ color: inherit; text-decoration: none; }}
  .zbreport a.show-target::after {{ content: "（" attr(href) "）"; }}
  .zbreport .table-scroll {{ overflow: visible; }}
  .zbreport table {{ min-width: 0 !important; font-size: 10.5pt; line-height: 1.3; }}
  .zbreport thead {{ display: table-header-group; }}
  .zbreport tr, .zbreport img, .zbreport pre, .zbreport blockquote {{ break-inside: avoid; }}
  .zbreport .page-break {{ break-after: page; }}
  .zbreport section.new-page {{ break-before: page; }}
  .zbreport .back-link {{ display: none; }}
}}
"""


@record(frozen=False)
class RenderedPage:
    html: str
    findings: list[Finding] = field(default_factory=list)  # what the page could not show


def render_html(document: Document, generator: str = "zbreport") -> RenderedPage:
    """The whole page: head with title and style sheet, then the report."""
    writer = _Writer()
    article = el("article", {"class": "zbreport"})
    article.add(el("header", {}, el("h1", {}, (el("span", {}, line) for line in document.title_lines))))
    if document.intro:
        article.add(Element("div", {"class": "intro"}, block_children=True).add(writer.blocks(document.intro)))
    for index, section in enumerate(document.sections, start=1):
        article.add(writer.section(section, index))
    article.add(writer.footnotes())
    props = document.properties
    head = el(
        "head",
        {},
        el("meta", {"charset": "utf-8"}),
        el("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}),
        el("title", {}, props.title),
        el("meta", {"name": "author", "content": props.author}),
        el("meta", {"name": "generator", "content": generator}),
        el("meta", {"name": "dcterms.created", "content": props.created.date().isoformat()}),
        el("style", {}, StyleSheet(CSS)),
    )
    page = el("html", {"lang": props.language}, head, el("body", {}, Element("main", block_children=True).add(article)))
    return RenderedPage("<!DOCTYPE html>\n" + serialize(page) + "\n", writer.findings)


@record(frozen=False)
class _FootnoteEntry:
    number: int
    blocks: tuple
    references: int = 0


class _Writer:
    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self.notes: dict[str, _FootnoteEntry] = {}  # by label, in order of first reference

    # ------------------------------------------------------------ sections and blocks

    def section(self, section: DocumentSection, index: int) -> Element:
        part = el("section", {"id": f"part-{index}", "class": "new-page" if section.page_break_before else None})
        part.add(el("h2", {}, section.title))
        for block in section.blocks:
            part.add(self.block(block, table_id=f"table-{index}"))
        return part

    def blocks(self, blocks) -> list[Element]:
        return [self.block(b) for b in blocks]

    def block(self, block: DocumentBlock, table_id: str = "") -> Element | None:
        if isinstance(block, Heading):
            return el(_heading_tag(block.level), {}, self.inlines(block.content))
        if isinstance(block, Paragraph):
            if block.lead is not None:
                lead = el(_heading_tag(block.lead.level), {}, self.inlines(block.lead.content))
                return Element("div", {"class": "run-in"}, [lead, el("p", {}, self.inlines(block.content))], block_children=False)
            only_pictures = bool(block.content) and all(isinstance(n, Image) for n in block.content)
            return el("p", {"class": "figure" if only_pictures else None}, self.inlines(block.content))
        if isinstance(block, ListBlock):
            attrs = {"start": block.start if block.ordered and block.start != 1 else None}
            items = (el("li", {}, self.blocks(item)) for item in block.items)
            return el("ol" if block.ordered else "ul", attrs, items)
        if isinstance(block, BlockQuote):
            return el("blockquote", {}, self.blocks(block.blocks))
        if isinstance(block, CodeBlock):
            return el("pre", {}, el("code", {}, block.text))
        if isinstance(block, GridTable):
            return self.grid_table(block)
        if isinstance(block, OfficialTable):
            return official_table(block, table_id or f"table-{block.key}")
        if isinstance(block, PageBreak):
            return el("div", {"class": "page-break", "aria-hidden": "true"})
        return None  # OfficialTablePlace: assemble has put the table there

    def grid_table(self, block: GridTable) -> Element:
        def align(c: int) -> str | None:
            """As in the .docx: unaligned and left-aligned columns are labels, set left."""
            a = block.aligns[c] if c < len(block.aligns) else ""
            return f"align-{a}" if a in ("center", "right") else None

        head = el("thead", {}, el("tr", {}, (el("th", {"scope": "col"}, self.inlines(c)) for c in block.header)))
        body = el(
            "tbody",
            {},
            (el("tr", {}, (el("td", {"class": align(c)}, self.inlines(cell)) for c, cell in enumerate(row))) for row in block.rows),
        )
        return _scrolling(el("table", {"class": "grid"}, head, body), {"aria-label": "表格"})

    # ------------------------------------------------------------ inline

    def inlines(self, nodes: tuple[Inline, ...]) -> list:
        return [self.inline(n) for n in nodes]

    def inline(self, node: Inline):
        if isinstance(node, (Text, Placeholder)):
            return node.text
        if isinstance(node, Code):
            return el("code", {}, node.text)
        if isinstance(node, LineBreak):
            return el("br")
        if isinstance(node, Link):
            return self.link(node)
        if isinstance(node, Container):
            return el(_MARK_TAGS.get(type(node), "span"), {}, self.inlines(node.children))
        if isinstance(node, Image):
            return self.image(node)
        if isinstance(node, Note):
            return self.note_reference(node)
        return None

    def link(self, node: Link) -> Element | list:
        content = self.inlines(node.children)
        target = node.target
        squeezed = re.sub(r"[\t\n\r]", "", target).strip("\x00- ")
        scheme = _SCHEME.match(squeezed)
        if not target or (scheme and scheme.group(1).lower() not in _LINK_SCHEMES):
            if target:
                self.findings.append(
                    Finding(Severity.WARNING, "html-link", f"链接“{target[:60]}”不是网页或邮件地址，网页中只显示文字，不生成链接")
                )
            return content
        shows_target = inline_text(node.children).strip() != target
        return el("a", {"href": target, "title": node.title or None, "class": "show-target" if shows_target else None}, content)

    def image(self, node: Image) -> Element | str:
        alt = inline_text(node.alt)
        if node.data is None:  # reported when read: a missing or remote picture
            return alt
        kind = image_type(node.data)
        mime = _IMAGE_MIME.get(kind)
        if mime is None:
            self.findings.append(
                Finding(
                    Severity.WARNING,
                    "html-image",
                    f"图片“{node.source}”是 {kind.upper()} 格式，浏览器无法显示；网页中只显示其说明文字，请改用 PNG 或 JPEG",
                    node.location,
                )
            )
            return alt
        source = f"data:{mime};base64,{base64.b64encode(node.data).decode('ascii')}"
        return el("img", {"src": source, "alt": alt, "title": node.title or None})

    def note_reference(self, node: Note) -> Element:
        key = node.label or f"#{len(self.notes) + 1}"
        entry = self.notes.get(key)
        if entry is None:
            entry = self.notes[key] = _FootnoteEntry(len(self.notes) + 1, node.blocks)
        entry.references += 1
        n = entry.number
        ref_id = f"note-ref-{n}" if entry.references == 1 else f"note-ref-{n}-{entry.references}"
        link = el("a", {"href": f"#note-{n}", "id": ref_id, "role": "doc-noteref", "aria-label": f"注释{n}"}, f"[{n}]")
        return el("sup", {"class": "note-ref"}, link)

    def footnotes(self) -> Element | None:
        """The notes, numbered in order of first reference, each with links back to its references."""
        if not self.notes:
            return None
        items = []
        done = 0
        while done < len(self.notes):  # a note may reference another, appended as it is met
            entry = list(self.notes.values())[done]
            done += 1
            n = entry.number
            back = [
                el(
                    "a",
                    {"href": f"#note-ref-{n}" if r == 1 else f"#note-ref-{n}-{r}", "class": "back-link", "role": "doc-backlink", "aria-label": "返回正文"},
                    "↩\ufe0e",
                )
                for r in range(1, entry.references + 1)
            ]
            content = self.blocks(entry.blocks)
            if content and content[-1] is not None and content[-1].tag == "p":
                content[-1].add(back)
            else:
                content.append(el("p", {}, back))
            items.append(el("li", {"id": f"note-{n}"}, content))
        attrs = {"class": "footnotes", "role": "doc-endnotes", "aria-labelledby": "notes-title"}
        return el("section", attrs, el("h2", {"id": "notes-title"}, "注释"), el("ol", {}, items))


def _heading_tag(level: int) -> str:
    """Level 1 (一、) is h2 under the page's h1; （一） h3, 1. h4, （1） h5."""
    return f"h{min(max(level, 1) + 1, 6)}"


def _scrolling(table: Element, name: dict[str, str]) -> Element:
    """A wide table scrolls inside its box on a narrow screen instead of widening the page.

    The box is a named region that takes keyboard focus, so it can be scrolled without a mouse."""
    return el("div", {"class": "table-scroll", "tabindex": "0", "role": "region", **name}, table)


# ---------------------------------------------------------------- the official tables


def official_table(table: OfficialTable, table_id: str) -> Element:
    """The table from its layout: headers `<th>` with scope and ids, values `<td headers>`.

    Header rows go in `<thead>`, which print repeats on each page. A table without header rows
    (表二, stacked blocks) gets a `<tbody>` per block, its caption row a `scope="rowgroup"` header.
    """
    layout = table.layout
    ids = {(c.row, c.col): f"{table_id}-r{c.row}c{c.col}" for c in layout.cells if c.role != "value"}
    headers = value_headers(layout)
    groups = _column_groups(layout)
    group_starts = {start: end for start, end in groups}

    def cell(spot: LayoutCell) -> Element:
        spans = {"rowspan": spot.rowspan if spot.rowspan > 1 else None, "colspan": spot.colspan if spot.colspan > 1 else None}
        if spot.role == "value":
            named = " ".join(ids[(h.row, h.col)] for h in headers[(spot.row, spot.col)])
            return el("td", {**spans, "headers": named or None}, table.text(spot.cell) if spot.cell else "")
        if spot.role == "corner":
            return el("td", {"id": ids[(spot.row, spot.col)], "class": "corner", **spans}, spot.text)
        if spot.role == "label":
            scope = "row"
        elif spot.role == "caption":
            scope = "rowgroup"
        else:
            # A top header over a <colgroup> of several columns heads that group (申请人情况).
            heads_group = spot.row == 0 and spot.colspan > 1 and group_starts.get(spot.col) == spot.col + spot.colspan
            scope = "colgroup" if heads_group else "col"
        return el("th", {"id": ids[(spot.row, spot.col)], "scope": scope, **spans}, spot.text)

    by_row: dict[int, list[LayoutCell]] = {}
    for spot in layout.cells:
        by_row.setdefault(spot.row, []).append(spot)
    rows = [el("tr", {}, (cell(s) for s in sorted(by_row.get(r, []), key=lambda s: s.col))) for r in range(layout.n_rows)]

    caption_id = f"{table_id}-title"
    element = el("table", {"id": table_id, "class": "official", "style": _min_width(layout)})
    element.add(el("caption", {"id": caption_id, "class": "visually-hidden"}, table.title))
    element.add(_colgroups(layout, groups))
    if layout.header_rows:
        element.add(el("thead", {}, rows[: layout.header_rows]), el("tbody", {}, rows[layout.header_rows :]))
    else:
        body: Element | None = None
        for r, row in enumerate(rows):
            if body is None or any(s.role == "caption" and s.col == 0 for s in by_row.get(r, [])):
                body = el("tbody")
                element.add(body)
            body.add(row)
    return _scrolling(element, {"aria-labelledby": caption_id})


def value_headers(layout: Layout) -> dict[tuple[int, int], list[LayoutCell]]:
    """Each value cell's headers: the column headers stacked above it, top down (up to the first
    row of values above them), then the row labels to its left, left to right."""
    covering: dict[tuple[int, int], LayoutCell] = {}
    for spot in layout.cells:
        for r in range(spot.row, spot.row + spot.rowspan):
            for c in range(spot.col, spot.col + spot.colspan):
                covering[(r, c)] = spot
    result: dict[tuple[int, int], list[LayoutCell]] = {}
    for spot in layout.cells:
        if spot.role != "value":
            continue
        columns = range(spot.col, spot.col + spot.colspan)
        above: list[LayoutCell] = []
        for r in range(spot.row - 1, -1, -1):
            row_cells = [covering[(r, c)] for c in columns if (r, c) in covering]
            if any(c.role == "value" for c in row_cells):
                if above:
                    break  # the block of headers above this value ends here
                continue
            for c in row_cells:
                if c.role in ("header", "caption") and c not in above:
                    above.append(c)
        left: list[LayoutCell] = []
        for c in range(spot.col):
            label = covering.get((spot.row, c))
            if label is not None and label.role == "label" and label not in left:
                left.append(label)
        result[(spot.row, spot.col)] = list(reversed(above)) + left
    return result


def _column_groups(layout: Layout) -> list[tuple[int, int]]:
    """Column ranges of the first header row's cells (表三: the label columns, 申请人情况)."""
    if not layout.header_rows:
        return []
    return sorted((c.col, c.col + c.colspan) for c in layout.cells if c.row == 0)


def _colgroups(layout: Layout, groups: list[tuple[int, int]]) -> list[Element]:
    widths = layout.column_widths_mm
    total = sum(widths) if widths else 0.0

    def col(i: int) -> Element:
        return el("col", {"style": f"width: {widths[i] / total * 100:.2f}%" if total and i < len(widths) else None})

    if not groups:
        return [el("colgroup", {}, (col(i) for i in range(layout.n_cols)))] if total else []
    return [el("colgroup", {}, (col(i) for i in range(start, end))) for start, end in groups]


def _min_width(layout: Layout) -> str | None:
    widths = [w for w in layout.column_widths_mm if w > 0]
    if not widths:
        return None
    return f"min-width: {sum(widths) / min(widths) * MIN_COLUMN_EM:.1f}em"
