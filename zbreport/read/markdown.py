"""Reading the narrative: Markdown (markdown-it-py, with footnotes, strikethrough and tables) into
the model's blocks and inline nodes.

Heading levels map to the report's levels: `#` 一、, `##` （一）, `###` 1., `####` （1）.
A heading of level 2 or deeper that ends like a sentence (。 or ：) runs into the paragraph
after it, as Chinese reports write "（一）主动公开方面。一是……".
Two HTML comments are directives: `<!-- 分页 -->` breaks the page, `<!-- 表格 -->` places the
section's official table. `{{ … }}` is a placeholder (see placeholders.py): a node of its own,
with the line and column it was written at, filled when the report is assembled.
What the model cannot represent (raw HTML beyond <br>, <u>, <sub>, <sup>; a thematic break) is
a warning at its line, never dropped in silence.
"""

from __future__ import annotations

import bisect
import re
from pathlib import Path
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from ..records import replace
from .. import controls
from ..diagnostics import Finding, InputError, Location, Severity
from ..model import (
    Block,
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
    OfficialTablePlace,
    PageBreak,
    Paragraph,
    Placeholder,
    Strikeout,
    Strong,
    Subscript,
    Superscript,
    Text,
    Underline,
)
from . import files
from .placeholders import OPEN, find_placeholders

_PARSER = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).use(footnote_plugin)
_COMMENT = re.compile(r"^\s*<!--(.*?)-->\s*$", re.S)
PAGE_BREAK_WORDS = {"分页", "pagebreak"}
TABLE_PLACE_WORDS = {"表格", "table"}
RUN_IN_ENDINGS = ("。", "：", ":")
# Inline HTML the model has a node for; any other tag is reported.
_HTML_CONTAINERS = {"u": Underline, "ins": Underline, "sub": Subscript, "sup": Superscript, "s": Strikeout, "del": Strikeout,
                    # where ** cannot mark Chinese text next to punctuation: <strong>“三提三争”</strong>
                    "strong": Strong, "b": Strong, "em": Emph, "i": Emph}
_HTML_TAG = re.compile(r"^<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)[^>]*?(/?)\s*>$", re.S)
_MARK_OPEN = {"strong_open": Strong, "em_open": Emph, "s_open": Strikeout}
_MARK_CLOSE = {"strong_close", "em_close", "s_close"}
_UNDEFINED_NOTE = re.compile(r"\[\^([^\]\s]+)\]")
_SOFT = object()  # a source line break, resolved once the neighbouring text is known


def parse_markdown(
    text: str,
    path: Path | None = None,
    first_line: int = 1,
    indent: int = 0,
    findings: list[Finding] | None = None,
) -> list[Block]:
    """Blocks of a Markdown text; `first_line` is where the text starts in its file, and `indent`
    how far its lines are indented there (a YAML block scalar's). Images are read relative to
    `path`'s folder. Problems are appended to `findings`."""
    text = controls.remove(text)  # markdown-it would print a NUL as U+FFFD; see controls.py
    env: dict = {}
    tokens = _PARSER.parse(text, env)
    reader = _Reader(tokens, path, first_line, _PlaceholderFinder(text, path, first_line, indent), findings)
    return join_run_in_headings(reader.document())


def parse_tokens(text: str) -> list[Token]:
    """markdown-it's tokens for a text, read as the narrative is: for finding blocks' lines."""
    return _PARSER.parse(text, {})


def join_run_in_headings(blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    for block in blocks:
        previous = out[-1] if out else None
        if (
            isinstance(block, Paragraph)
            and block.lead is None
            and isinstance(previous, Heading)
            and previous.level >= 2
            and previous.text.rstrip().endswith(RUN_IN_ENDINGS)
        ):
            out[-1] = Paragraph(block.content, block.location, lead=previous)  # the heading keeps its own line
        else:
            out.append(block)
    return out


class _Reader:
    def __init__(
        self,
        tokens: list[Token],
        path: Path | None,
        first_line: int,
        finder: "_PlaceholderFinder",
        findings: list[Finding] | None,
    ) -> None:
        self.tokens = tokens
        self.pos = 0
        self.path = path
        self.first_line = first_line
        self.finder = finder
        self.findings = findings if findings is not None else []
        self.notes: dict[int, tuple[Block, ...]] = {}
        self.note_labels: dict[int, str] = {}

    # ------------------------------------------------------------ findings and places

    def location(self, token: Token | None, line_offset: int = 0) -> Location | None:
        if self.path is None:
            return None
        line = token.map[0] + self.first_line + line_offset if token is not None and token.map else 0
        return Location(self.path, line, 1 if line else 0)

    def warn(self, message: str, where: Location | None, rule: str = "markdown") -> None:
        self.findings.append(Finding(Severity.WARNING, rule, message, where or (Location(self.path) if self.path else None)))

    def error(self, message: str, where: Location | None, rule: str = "markdown") -> None:
        self.findings.append(Finding(Severity.ERROR, rule, message, where or (Location(self.path) if self.path else None)))

    # ------------------------------------------------------------ blocks

    def document(self) -> list[Block]:
        """The text's blocks; footnote definitions (at the end of the token stream) are read first."""
        end = next((i for i, t in enumerate(self.tokens) if t.type == "footnote_block_open"), len(self.tokens))
        if end < len(self.tokens):
            self.pos = end + 1
            self.read_notes()
        self.pos = 0
        return self.blocks(end)

    def read_notes(self) -> None:
        while self.pos < len(self.tokens) and self.tokens[self.pos].type != "footnote_block_close":
            token = self.tokens[self.pos]
            if token.type == "footnote_open":
                close = self.close_index(self.pos)
                self.pos += 1
                number = int(token.meta.get("id", len(self.notes)))
                self.notes[number] = tuple(self.blocks(close))
                self.note_labels[number] = str(token.meta.get("label") or number + 1)
                self.pos = close + 1
            else:
                self.pos += 1

    def blocks(self, end: int) -> list[Block]:
        """Blocks from the current token up to token index `end` (exclusive)."""
        out: list[Block] = []
        while self.pos < end:
            block = self.block()
            if block is not None:
                out.append(block)
        return out

    def close_index(self, open_index: int) -> int:
        """Index of the token closing the one opened at `open_index`."""
        depth = 0
        for i in range(open_index, len(self.tokens)):
            depth += self.tokens[i].nesting
            if depth == 0:
                return i
        return len(self.tokens) - 1

    def block(self) -> Block | None:
        token = self.tokens[self.pos]
        kind = token.type
        if kind == "heading_open":
            inline = self.tokens[self.pos + 1]
            self.pos = self.close_index(self.pos) + 1
            if token.markup in ("=", "-"):
                self.warn(
                    "这一行下面的“---”或“===”使它成为标题；如果只想写一段文字，请删去下一行的“---”，"
                    "或在两行之间空一行；标题请用 # 开头",
                    self.location(token),
                    "setext-heading",
                )
            level = min(int(token.tag[1]), 4)
            return Heading(level, self.inlines(inline, token), self.location(token))
        if kind == "paragraph_open":
            inline = self.tokens[self.pos + 1]
            self.pos = self.close_index(self.pos) + 1
            return Paragraph(self.inlines(inline, token), self.location(token))
        if kind in ("bullet_list_open", "ordered_list_open"):
            return self.list_block()
        if kind == "blockquote_open":
            end = self.close_index(self.pos)
            self.pos += 1
            inner = tuple(self.blocks(end))
            self.pos = end + 1
            return BlockQuote(inner, self.location(token))
        if kind == "table_open":
            return self.table()
        if kind == "html_block":
            self.pos += 1
            return self.html_block(token)
        if kind == "hr":
            self.pos += 1
            self.warn("分隔线（---、***）在正式文件中不显示，已忽略；如需分页，请写 <!-- 分页 -->", self.location(token), "markdown")
            return None
        if kind in ("fence", "code_block"):
            self.pos += 1
            return CodeBlock(controls.clean(token.content).rstrip("\n"), self.location(token))
        self.pos += 1  # closing tokens, footnote anchors
        return None

    def html_block(self, token: Token) -> Block | None:
        comment = _COMMENT.match(token.content)
        if comment:
            word = comment.group(1).strip().lower()
            if word in PAGE_BREAK_WORDS:
                return PageBreak(self.location(token))
            if word in TABLE_PLACE_WORDS:
                return OfficialTablePlace(self.location(token))
            return None  # a comment is the clerk's note to self
        if re.fullmatch(r"\s*<br\s*/?>\s*", token.content, re.I):
            return None
        first = token.content.strip().split("\n", 1)[0][:40]
        self.warn(f"无法在报告中表示的 HTML 块“{first}”，已忽略；请改用 Markdown 书写", self.location(token), "html")
        return None

    def list_block(self) -> ListBlock:
        open_token = self.tokens[self.pos]
        end = self.close_index(self.pos)
        start = int(open_token.attrGet("start") or 1)
        self.pos += 1
        items: list[tuple[Block, ...]] = []
        while self.pos < end:
            if self.tokens[self.pos].type == "list_item_open":
                item_end = self.close_index(self.pos)
                self.pos += 1
                items.append(tuple(self.blocks(item_end)))
                self.pos = item_end + 1
            else:
                self.pos += 1
        self.pos = end + 1
        return ListBlock(open_token.type == "ordered_list_open", start, tuple(items), self.location(open_token))

    def table(self) -> GridTable:
        open_token = self.tokens[self.pos]
        end = self.close_index(self.pos)
        header: list[tuple[Inline, ...]] = []
        rows: list[tuple[tuple[Inline, ...], ...]] = []
        aligns: list[str] = []
        row: list[tuple[Inline, ...]] = []
        in_head = False
        for token in self.tokens[self.pos : end + 1]:
            if token.type == "thead_open":
                in_head = True
            elif token.type == "thead_close":
                in_head = False
            elif token.type == "tr_open":
                row = []
            elif token.type in ("th_open", "td_open") and in_head:
                style = str(token.attrGet("style") or "")
                aligns.append(style.replace("text-align:", "").strip())
            elif token.type == "inline":
                row.append(self.inlines(token, token))
            elif token.type == "tr_close":
                if in_head:
                    header = row
                else:
                    rows.append(tuple(row))
        self.pos = end + 1
        return GridTable(tuple(header), tuple(rows), tuple(aligns), self.location(open_token))  # type: ignore[arg-type]

    # ------------------------------------------------------------ inline

    def inlines(self, inline: Token, block: Token) -> tuple[Inline, ...]:
        line = block.map[0] + self.first_line if block.map else self.first_line
        nodes = _merge_text(_resolve_soft_breaks(self.inline_tree(inline.children or [], block, line)))
        for node in nodes:
            for label in _UNDEFINED_NOTE.findall(node.text) if isinstance(node, Text) else ():
                self.warn(f"脚注“[^{label}]”没有定义：请在文件末尾写“[^{label}]: 脚注内容”", self.location(block), "footnote")
        return nodes

    def inline_tree(self, children: list[Token], block: Token, line: int) -> list:
        """The inline tokens as a tree: containers opened and closed by their tokens."""
        root: list = []
        stack: list[tuple[type, list, dict, str]] = []  # (node type, children, extra fields, closing tag)
        current = root

        def open_(kind: type, extra: dict | None = None, closer: str = "") -> None:
            nonlocal current
            stack.append((kind, current, extra or {}, closer))
            current = []

        def close(closer: str = "") -> bool:
            nonlocal current
            if not stack or stack[-1][3] != closer:
                return False
            kind, parent, extra, _ = stack.pop()
            parent.append(kind(tuple(current), **extra))
            current = parent
            return True

        for child in children:
            kind = child.type
            if kind == "text":
                current.extend(self.text_nodes(child.content, line))
            elif kind == "code_inline":
                current.append(Code(controls.clean(child.content)))
            elif kind in _MARK_OPEN:
                open_(_MARK_OPEN[kind], closer=kind.replace("_open", ""))
            elif kind in _MARK_CLOSE:
                close(kind.replace("_close", ""))
            elif kind == "link_open":
                open_(Link, {"target": str(child.attrGet("href") or ""), "title": str(child.attrGet("title") or "")}, "link")
            elif kind == "link_close":
                close("link")
            elif kind == "softbreak":
                current.append(_SOFT)
            elif kind == "hardbreak":
                current.append(LineBreak())
            elif kind == "image":
                current.append(self.image(child, block, line))
            elif kind == "footnote_ref":
                number = int(child.meta.get("id", -1))
                if number in self.notes:
                    current.append(Note(self.notes[number], self.note_labels.get(number, ""), self.location(block)))
            elif kind == "html_inline":
                self.html_inline(child.content, block, open_, close, current)
        while stack:  # an unclosed <u> or the like: keep what it holds
            kind, parent, extra, _ = stack.pop()
            parent.append(kind(tuple(current), **extra))
            current = parent
        return root

    def html_inline(self, html: str, block: Token, open_, close, current: list) -> None:
        tag = _HTML_TAG.match(html.strip())
        if html.strip().startswith("<!--"):
            return  # an inline comment
        if tag:
            closing, name, self_closing = tag.group(1) == "/", tag.group(2).lower(), tag.group(3) == "/"
            if name == "br":
                current.append(LineBreak())
                return
            if name in _HTML_CONTAINERS and not self_closing:
                if closing:
                    if close(name):
                        return
                else:
                    open_(_HTML_CONTAINERS[name], closer=name)
                    return
        self.warn(f"无法在报告中表示的 HTML 标记“{html.strip()[:40]}”，已忽略", self.location(block), "html")

    def text_nodes(self, text: str, line: int) -> list[Inline]:
        """A text run split around its `{{ … }}`; an unclosed `{{` becomes a placeholder that fails to fill.

        Word's line break (a vertical tab, see controls.py) is a LineBreak of its own.
        """
        text = controls.clean(text)
        out: list[Inline] = []
        pos = 0
        for start, end in find_placeholders(text):
            out.extend(_text_and_breaks(text[pos:start]))
            out.append(Placeholder(text[start:end], self.finder.locate(text[start:end], line)))
            pos = end
        rest = text[pos:]
        if OPEN in rest:
            start = rest.index(OPEN)
            out.extend(_text_and_breaks(rest[:start]))
            out.append(Placeholder(rest[start:], self.finder.locate(rest[start:], line)))
        else:
            out.extend(_text_and_breaks(rest))
        return out

    def image(self, token: Token, block: Token, line: int) -> Image:
        alt = tuple(_merge_text(self.inline_tree(token.children or [], block, line)))
        source = unquote(str(token.attrGet("src") or ""))  # markdown-it percent-encodes it
        title = str(token.attrGet("title") or "")
        where = self.location(block)
        data = self.image_data(source, where)
        return Image(alt, source, data, title, where)

    def image_data(self, source: str, where: Location | None) -> bytes | None:
        """The picture file's bytes, relative to the Markdown file; a missing or unknown file is an error."""
        if self.path is None:
            return None
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", source):
            self.warn(f"图片“{source}”是网络地址，报告中只能插入本地图片文件", where, "image")
            return None
        file = self.path.parent / source
        if not source or not files.present(file):
            self.error(f"找不到图片文件“{source}”（相对于 {self.path.name} 所在的文件夹）", where, "image")
            return None
        try:
            data = files.read_bytes(file, files.IMAGE)
        except InputError as exc:
            self.error(f"无法读取图片文件“{source}”：{exc.message}", where, "image")
            return None
        if not any(data.startswith(magic) for magic in files.IMAGE_TYPES):
            self.error(f"“{source}”不是可插入的图片（支持 PNG、JPEG、GIF、BMP、TIFF）", where, "image")
            return None
        from .pictures import picture_problem

        problem = picture_problem(data)
        if problem is not None:
            self.error(f"无法插入图片“{source}”：{problem}", where, "image")
            return None
        return data


class _PlaceholderFinder:
    """Where each `{{` of a text sits, so a placeholder's problem is reported at its line and column.

    markdown-it keeps only block line numbers; the placeholders of a block are matched, in
    order, with the unclaimed `{{` at or after the block's first line.
    """

    SEARCH_LIMIT = 200  # places tried for one placeholder: a text of many `{{` stays linear

    def __init__(self, text: str, path: Path | None, first_line: int, indent: int = 0) -> None:
        self.path = path
        self.places: list[tuple[int, int, str, int]] = []  # (line, column, the line, offset of `{{` in it)
        for n, line in enumerate(text.split("\n")):
            offset = line.find(OPEN)
            while offset >= 0:
                self.places.append((first_line + n, indent + offset + 1, line, offset))
                offset = line.find(OPEN, offset + len(OPEN))
        self.lines = [place[0] for place in self.places]
        self.claimed: set[int] = set()
        self.first_free = 0  # every place before it is claimed

    def locate(self, raw: str, from_line: int) -> Location | None:
        if self.path is None:
            return None
        while self.first_free in self.claimed:
            self.first_free += 1
        start = max(self.first_free, bisect.bisect_left(self.lines, from_line))
        for i in range(start, min(start + self.SEARCH_LIMIT, len(self.places))):
            line, column, text, offset = self.places[i]
            if i not in self.claimed and text.startswith(raw, offset):
                self.claimed.add(i)
                return Location(self.path, line, column)
        return Location(self.path, from_line, 1)


def _text_and_breaks(text: str) -> list[Inline]:
    """Text nodes, with a LineBreak for each "\n" in them."""
    out: list[Inline] = []
    for i, line in enumerate(text.split("\n")):
        if i:
            out.append(LineBreak())
        if line:
            out.append(Text(line))
    return out


# ---------------------------------------------------------------- soft breaks and text runs


def _edge_char(nodes: list, last: bool) -> str:
    """The first (or last) character a reader sees in these nodes; "" if none."""
    for node in reversed(nodes) if last else nodes:
        if isinstance(node, (Text, Code)):
            text = node.text
        elif isinstance(node, Placeholder):
            text = "x"  # a figure or a name: treat as Latin, a space stays if Latin text is around it
        elif isinstance(node, Container):
            text = _edge_char(list(node.children), last)
        else:
            continue
        if text:
            return text[-1] if last else text[0]
    return ""


def _resolve_soft_breaks(nodes: list, before: str = "", after: str = "") -> list:
    """A source line break is a space between Latin words and nothing between Chinese characters.

    The characters on either side are carried along rather than searched for at each break, so
    a paragraph of many thousand lines is read in linear time.
    """
    following = [""] * (len(nodes) + 1)  # the first character a reader sees after each node
    following[len(nodes)] = after
    for i in range(len(nodes) - 1, -1, -1):
        node = nodes[i]
        following[i] = ("" if node is _SOFT else _edge_char([node], last=False)) or following[i + 1]
    out: list = []
    left = before  # the last character a reader sees so far
    for i, node in enumerate(nodes):
        if node is _SOFT:
            right = following[i + 1]
            if left and right and left.isascii() and right.isascii():
                out.append(Text(" "))
            continue
        if isinstance(node, Container):
            node = _rebuilt(node, _resolve_soft_breaks(list(node.children), left, following[i + 1]))
        out.append(node)
        left = _edge_char([node], last=True) or left
    return out


def _rebuilt(node: Container, children: list) -> Container:
    return replace(node, children=tuple(_merge_text(children)))


def _merge_text(nodes: list) -> tuple[Inline, ...]:
    """Adjacent text joined, empty text dropped, so the document has fewer, whole runs."""
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text):
            if not node.text:
                continue
            if out and isinstance(out[-1], Text):
                out[-1] = Text(out[-1].text + node.text)
                continue
        out.append(node)
    return tuple(out)
