"""Editing a project's own files in place: Markdown blocks at their lines, YAML values at their marks.

Only what changes is touched: a rewritten paragraph replaces its own lines, a retyped figure
its own characters in the table file, so comments, alignment, line endings, the encoding
(UTF-8 with or without BOM, GB18030) and every other line keep their bytes. A file's text is
edited as a whole and written by the caller, all files together.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from ..records import field, record
from ..diagnostics import InputError, Location
from ..read.markdown import parse_tokens

# ---------------------------------------------------------------- a file's text and encoding


@record(frozen=False)
class SourceFile:
    """A project file's text as read, and how to write it back the same way."""

    path: Path
    data: bytes
    text: str
    encoding: str  # "utf-8", "utf-8-sig" or "gb18030"

    @classmethod
    def read(cls, path: Path) -> "SourceFile":
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"无法读取文件：{exc.strerror}", Location(path)) from None
        for encoding in ("utf-8", "gb18030"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if encoding == "utf-8" and text.startswith("\ufeff"):
                return cls(path, data, text[1:], "utf-8-sig")
            return cls(path, data, text, encoding)
        raise InputError("文件编码无法识别，请保存为 UTF-8 编码", Location(path))

    def encoded(self, text: str) -> bytes:
        try:
            return text.encode(self.encoding)
        except UnicodeEncodeError:  # a GB18030 file can hold every character; kept for safety
            return text.encode("utf-8-sig")

    @property
    def newline(self) -> str:
        return "\r\n" if "\r\n" in self.text else "\n"


# ---------------------------------------------------------------- Markdown


_CONTAINER = re.compile(r"[ \t]*(?:>[ \t]?|(?:[*+-]|\d{1,9}[.)])(?:[ \t]+|$))")
_ATX = re.compile(r"[ \t]{0,3}#{1,6}(?:[ \t]+|$)")
_COMMENT = re.compile(r"^\s*<!--(.*?)-->\s*$", re.S)


@record(frozen=False)
class _Block:
    kind: str  # "paragraph" or "heading"
    start: int  # line index in the text (0-based)
    end: int  # exclusive
    setext: bool = False
    item: tuple[int, int] | None = None  # the list item it opens, when it is an item's first block
    level: int = 0  # a heading's


@record(frozen=False)
class MarkdownText:
    """A Markdown text addressed by its blocks' lines, as the narrative reader numbered them.

    `first_line` is the line of the file the text starts at (a 导语 inside report.yaml).
    Edits are collected and applied together, so line numbers stay those of the text as read.
    """

    text: str
    first_line: int = 1
    newline: str = "\n"
    _edits: list[tuple[int, int, int, list[str]]] = field(default_factory=list)  # start, end, order, lines

    def __post_init__(self) -> None:
        self.lines = self.text.splitlines(keepends=True)
        self.blocks: dict[int, _Block] = {}
        self.ordered: list[_Block] = []
        self.comments: dict[str, tuple[int, int]] = {}  # directive word -> the comment's lines
        self.tables: dict[int, tuple[int, int]] = {}  # a GFM table's first line -> its lines
        tokens = parse_tokens(self.text)
        items = {t.map[0]: tuple(t.map) for t in tokens if t.type == "list_item_open" and t.map}
        for token in tokens:
            if token.map is None:
                continue
            if token.type in ("paragraph_open", "heading_open"):
                kind = token.type.split("_")[0]
                level = int(token.tag[1]) if kind == "heading" else 0
                block = _Block(kind, token.map[0], token.map[1], token.markup in ("=", "-"), items.get(token.map[0]), level)
                self.blocks.setdefault(token.map[0], block)
                self.ordered.append(block)
            elif token.type == "table_open":
                self.tables[token.map[0]] = (token.map[0], token.map[1])
            elif token.type == "html_block":
                comment = _COMMENT.match(token.content)
                if comment:
                    self.comments.setdefault(comment.group(1).strip().lower(), (token.map[0], token.map[1]))

    # ------------------------------------------------------------ finding blocks

    def block_at(self, line: int) -> _Block | None:
        """The paragraph or heading starting at this line of the file."""
        return self.blocks.get(line - self.first_line)

    def following(self, block: _Block) -> _Block | None:
        """The next paragraph or heading, in reading order: a run-in heading's paragraph."""
        index = next(i for i, b in enumerate(self.ordered) if b is block)
        return self.ordered[index + 1] if index + 1 < len(self.ordered) else None

    def prefixes(self, block: _Block) -> tuple[str, str]:
        """The container marks before the block's first line (list number, `>`), and those a
        following line of the same container carries (spaces for a list, `>` for a quote)."""
        line = self.lines[block.start].rstrip("\r\n") if block.start < len(self.lines) else ""
        prefix = ""
        while True:
            match = _CONTAINER.match(line, len(prefix))
            if not match or match.end() == len(prefix):
                break
            prefix = line[: match.end()]
        if block.item is None and ">" not in prefix:
            prefix = line[: len(line) - len(line.lstrip(" \t"))] if block.kind == "paragraph" else ""
        continuation = re.sub(r"(?:[*+-]|\d{1,9}[.)])", lambda m: " " * len(m.group(0)), prefix)
        return prefix, continuation

    def table_row(self, line: int, row: int) -> int | None:
        """The line index of a GFM table's row (0: the header; 1…: the body) starting at `line`."""
        table = self.tables.get(line - self.first_line)
        if table is None:
            return None
        index = table[0] + (row + 1 if row else 0)  # the body starts after the delimiter row
        return index if index < table[1] else None

    def replace_cells(self, index: int, cells: dict[int, str]) -> bool:
        """Cells of a table row rewritten (column -> Markdown), the row's pipes and padding kept."""
        line = self.lines[index]
        body = line.rstrip("\r\n")
        ending = line[len(body) :]
        pipes = [m.start() for m in re.finditer(r"(?<!\\)\|", body)]
        bounds = ([-1] if not body.lstrip().startswith("|") else []) + pipes
        if not body.rstrip().endswith("|"):
            bounds.append(len(body))
        spans = [(bounds[i] + 1, bounds[i + 1]) for i in range(len(bounds) - 1)]
        if any(column >= len(spans) for column in cells):
            return False
        for column in sorted(cells, reverse=True):
            start, end = spans[column]
            text = cells[column].replace("|", "\\|")
            body = body[:start] + " " + text + " " + body[end:]
        self._edit(index, index + 1, [body + (ending or self.newline)])
        return True

    # ------------------------------------------------------------ edits

    def _edit(self, start: int, end: int, lines: list[str]) -> None:
        self._edits.append((start, end, len(self._edits), lines))

    def _lines(self, markdown: str, first: str, rest: str) -> list[str]:
        out = []
        for i, line in enumerate(markdown.split("\n")):
            out.append(((first if i == 0 else rest) + line if line else rest.rstrip()) + self.newline)
        return out

    def replace_block(self, block: _Block, markdown: str) -> None:
        """A paragraph's or heading's content rewritten; a paragraph split in two is `a\\n\\nb`."""
        first, rest = self.prefixes(block)
        if block.kind == "heading":
            line = self.lines[block.start]
            heading = _ATX.match(line, len(first))
            first = line[: heading.end()] if heading else first
            if heading and not first.endswith((" ", "\t")):
                first += " "
            end = block.end - 1 if block.setext else block.start + 1
            self._edit(block.start, end, self._lines(markdown, first, rest))
            return
        self._edit(block.start, block.end, self._lines(markdown, first, rest))

    def remove_block(self, block: _Block, through: _Block | None = None) -> None:
        """A block's lines removed (to the end of `through`: a run-in heading and its paragraph),
        with the blank line before it, so no gap of two blank lines is left."""
        start, end = block.start, (through or block).end
        if block.item is not None and block.item[0] == block.start:
            end = max(end, block.item[1])  # the whole list item
        if start > 0 and not self.lines[start - 1].strip():
            start -= 1
        self._edit(start, end, [])

    def insert_after(self, block: _Block | None, markdown: str, inside: bool = False) -> None:
        """A new paragraph after `block` (None: at the top), inside its list item or quote if `inside`."""
        if block is None:
            self.insert_at(self.top(), markdown)
            return
        _, rest = self.prefixes(block) if inside else ("", "")
        blank = (rest.rstrip() or "") + self.newline
        end = block.end if inside or block.item is None else max(block.end, block.item[1])  # after the whole item
        self._edit(end, end, [blank] + self._lines(markdown, rest, rest))

    def insert_item_after(self, block: _Block, markdown: str) -> bool:
        """A new list item after the item `block` opens, with the same marker (Markdown numbers items itself)."""
        if block.item is None:
            return False
        first, rest = self.prefixes(block)
        self._edit(block.item[1], block.item[1], self._lines(markdown, first, rest))
        return True

    def insert_at(self, index: int, markdown: str) -> None:
        lines = self._lines(markdown, "", "")
        if index < len(self.lines) and self.lines[index].strip():
            lines.append(self.newline)
        elif index > 0 and index >= len(self.lines) and self.lines and self.lines[-1].strip():
            lines.insert(0, self.newline)
        self._edit(index, index, lines)

    def top(self) -> int:
        """Where a section's content starts: after a page break at the very top and the file's own title."""
        index = 0
        first = self.ordered[0] if self.ordered else None
        page = self.comments.get("分页") or self.comments.get("pagebreak")
        if page is not None and (first is None or page[0] < first.start):
            index = page[1]
        if first is not None and first.kind == "heading" and first.level == 1:
            index = max(index, first.end)
        while index < len(self.lines) and not self.lines[index].strip():
            index += 1
        return index

    def after_table_marker(self) -> int | None:
        """The line after `<!-- 表格 -->`, where text that follows the official table goes."""
        for word in ("表格", "table"):
            if word in self.comments:
                return self.comments[word][1]
        return None

    def result(self) -> str:
        lines = list(self.lines)
        if lines and not lines[-1].endswith(("\n", "\r")):
            lines[-1] += self.newline  # an inserted line must not join the last one
        for start, end, _, new in sorted(self._edits, key=lambda e: (e[0], e[2]), reverse=True):
            lines[start:end] = new
        return "".join(lines)

    @property
    def changed(self) -> bool:
        return bool(self._edits)


# ---------------------------------------------------------------- YAML


@record(frozen=False)
class YamlText:
    """A YAML text whose scalars are replaced where they stand, found by their line and column."""

    text: str
    path: Path
    _edits: list[tuple[int, int, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.scalars: dict[tuple[int, int], yaml.ScalarNode] = {}
        self.keys: dict[str, tuple[yaml.Node, yaml.Node]] = {}  # top-level key -> (key node, value node)
        try:
            root = yaml.compose(self.text, Loader=yaml.SafeLoader)
        except yaml.YAMLError:
            raise InputError("YAML 格式错误，无法写回", Location(self.path)) from None
        if isinstance(root, yaml.MappingNode):
            for key, value in root.value:
                if isinstance(key, yaml.ScalarNode):
                    self.keys.setdefault(str(key.value).strip(), (key, value))
        pending = [root] if root is not None else []
        while pending:
            node = pending.pop()
            if isinstance(node, yaml.ScalarNode):
                self.scalars[(node.start_mark.line + 1, node.start_mark.column + 1)] = node
            elif isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    pending += [key, value]
            elif isinstance(node, yaml.SequenceNode):
                pending += node.value

    def scalar_at(self, location: Location) -> yaml.ScalarNode | None:
        return self.scalars.get((location.line, location.column))

    def replace(self, node: yaml.Node, text: str) -> None:
        """The node's source text replaced; a block scalar keeps the line break that ended it."""
        start, end = node.start_mark.index, node.end_mark.index
        original = self.text[start:end]
        if original.endswith("\n") and not text.endswith("\n"):
            text += "\n"
        if not original.endswith("\n") and text.endswith("\n"):
            text = text[:-1]
        self._edits.append((start, end, text))

    def append(self, text: str) -> None:
        end = len(self.text)
        lead = "" if not self.text or self.text.endswith("\n") else "\n"
        self._edits.append((end, end, lead + text))

    def result(self) -> str:
        text = self.text
        for start, end, new in sorted(self._edits, key=lambda e: e[0], reverse=True):
            text = text[:start] + new + text[end:]
        return text

    @property
    def changed(self) -> bool:
        return bool(self._edits)


_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^:#]*$")


def yaml_string(text: str) -> str:
    """A one-line YAML scalar for this text: plain where YAML reads it back as the same string."""
    if _PLAIN.match(text) and not text.endswith(" ") and yaml.safe_load(text) == text:
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def yaml_block(text: str, indent: int) -> str:
    """A literal block scalar (`|`) holding `text`, its lines indented."""
    lines = text.rstrip("\n").split("\n")
    indicator = "|" + (str(indent) if lines and lines[0].startswith((" ", "\t")) else "")
    pad = " " * indent
    return indicator + "\n" + "".join((pad + line if line.strip() else "") + "\n" for line in lines)
