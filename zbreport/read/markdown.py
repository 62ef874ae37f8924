"""Reading the narrative: Markdown (through markdown-it-py) into the model's blocks.

Heading levels map to the report's levels: `#` 一、, `##` （一）, `###` 1., `####` （1）.
A heading of level 2 or deeper that ends like a sentence (。 or ：) runs into the paragraph
after it, as Chinese reports write "（一）主动公开方面。一是……".
Two HTML comments are directives: `<!-- 分页 -->` breaks the page, `<!-- 表格 -->` places the
section's official table. `{{ … }}` is a placeholder (see placeholders.py): it becomes a span
of its own, with the line and column it was written at, filled in once the tables are read.
"""

from __future__ import annotations

import re
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..diagnostics import Location
from ..model import Block, GridTable, Heading, ListBlock, OfficialTablePlace, PageBreak, Paragraph, Span
from .placeholders import OPEN, PLACEHOLDER

_PARSER = MarkdownIt("commonmark", {"html": True}).enable("table")
_DIRECTIVE = re.compile(r"^\s*<!--\s*(.*?)\s*-->\s*$", re.S)
PAGE_BREAK_WORDS = {"分页", "pagebreak"}
TABLE_PLACE_WORDS = {"表格", "table"}
RUN_IN_ENDINGS = ("。", "：", ":")


def parse_markdown(text: str, path: Path | None = None, first_line: int = 1, indent: int = 0) -> list[Block]:
    """Blocks of a Markdown text; `first_line` is where the text starts in its file, and `indent`
    how far its lines are indented there (a YAML block scalar's)."""
    tokens = _PARSER.parse(text)
    reader = _BlockReader(tokens, path, first_line, _PlaceholderFinder(text, path, first_line, indent))
    return join_run_in_headings(reader.blocks(len(tokens)))


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
            out[-1] = Paragraph(block.spans, previous.location, lead=previous)
        else:
            out.append(block)
    return out


class _BlockReader:
    def __init__(self, tokens: list[Token], path: Path | None, first_line: int, finder: "_PlaceholderFinder") -> None:
        self.tokens = tokens
        self.pos = 0
        self.path = path
        self.first_line = first_line
        self.finder = finder

    def spans(self, inline: Token, block: Token) -> tuple[Span, ...]:
        line = block.map[0] + self.first_line if block.map else self.first_line
        return inline_spans(inline, lambda raw: self.finder.locate(raw, line))

    def location(self, token: Token) -> Location | None:
        if self.path is None:
            return None
        line = token.map[0] + self.first_line if token.map else 0
        return Location(self.path, line, 1 if line else 0)

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
            self.pos += 3
            level = min(int(token.tag[1]), 4)
            return Heading(level, self.spans(inline, token), self.location(token))
        if kind == "paragraph_open":
            inline = self.tokens[self.pos + 1]
            self.pos += 3
            return Paragraph(self.spans(inline, token), self.location(token))
        if kind in ("bullet_list_open", "ordered_list_open"):
            return self.list_block()
        if kind == "table_open":
            return self.table()
        if kind == "html_block":
            self.pos += 1
            return self.directive(token)
        if kind == "hr":
            self.pos += 1
            return None
        if kind in ("fence", "code_block"):
            self.pos += 1
            lines = token.content.rstrip("\n").split("\n")
            return Paragraph(tuple(Span(t) for t in _with_breaks(lines)), self.location(token))
        # blockquote and anything else: keep the content, drop the container
        self.pos += 1
        return None

    def directive(self, token: Token) -> Block | None:
        match = _DIRECTIVE.match(token.content)
        if not match:
            return None
        word = match.group(1).lower()
        if word in PAGE_BREAK_WORDS:
            return PageBreak(self.location(token))
        if word in TABLE_PLACE_WORDS:
            return OfficialTablePlace(self.location(token))
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
        header: list[tuple[Span, ...]] = []
        rows: list[tuple[tuple[Span, ...], ...]] = []
        aligns: list[str] = []
        row: list[tuple[Span, ...]] = []
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
                row.append(self.spans(token, open_token))
            elif token.type == "tr_close":
                if in_head:
                    header = row
                else:
                    rows.append(tuple(row))
        self.pos = end + 1
        return GridTable(tuple(header), tuple(rows), tuple(aligns), self.location(open_token))  # type: ignore[arg-type]


class _PlaceholderFinder:
    """Where each `{{` of a text sits, so a placeholder's problem is reported at its line and column.

    markdown-it keeps only block line numbers; the placeholders of a block are matched, in
    order, with the unclaimed `{{` at or after the block's first line.
    """

    def __init__(self, text: str, path: Path | None, first_line: int, indent: int = 0) -> None:
        self.path = path
        self.places: list[tuple[int, int, str]] = []  # (line, column, the rest of the line)
        for n, line in enumerate(text.split("\n")):
            for match in re.finditer(re.escape(OPEN), line):
                self.places.append((first_line + n, indent + match.start() + 1, line[match.start():]))
        self.claimed: set[int] = set()

    def locate(self, raw: str, from_line: int) -> Location | None:
        if self.path is None:
            return None
        for i, (line, column, rest) in enumerate(self.places):
            if i not in self.claimed and line >= from_line and rest.startswith(raw):
                self.claimed.add(i)
                return Location(self.path, line, column)
        return Location(self.path, from_line, 1)


def inline_spans(inline: Token, locate=lambda raw: None) -> tuple[Span, ...]:
    """Text runs of an inline token, with bold and italic; soft line breaks vanish between CJK text."""
    spans: list[Span] = []
    bold = italic = 0
    for child in inline.children or []:
        kind = child.type
        if kind == "text":
            spans.extend(_with_placeholders(child.content, bold > 0, italic > 0, locate))
        elif kind == "code_inline":  # code is printed as written, placeholders included
            spans.append(Span(child.content, bold > 0, italic > 0))
        elif kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind == "softbreak":
            spans.append(Span("\x00soft", bold > 0, italic > 0))
        elif kind == "hardbreak":
            spans.append(Span("\n"))
        elif kind == "image":
            spans.append(Span(child.content or "", bold > 0, italic > 0))
        elif kind == "html_inline" and re.fullmatch(r"<br\s*/?>", child.content.strip(), re.I):
            spans.append(Span("\n"))
    return _merge(_resolve_soft_breaks(spans))


def _with_placeholders(text: str, bold: bool, italic: bool, locate) -> list[Span]:
    """A text run split around its `{{ … }}`; an unclosed `{{` becomes a placeholder that fails to parse."""
    out: list[Span] = []
    pos = 0
    for match in PLACEHOLDER.finditer(text):
        out.append(Span(text[pos : match.start()], bold, italic))
        out.append(Span(match.group(0), bold, italic, match.group(0), locate(match.group(0))))
        pos = match.end()
    rest = text[pos:]
    if OPEN in rest:
        start = rest.index(OPEN)
        out.append(Span(rest[:start], bold, italic))
        out.append(Span(rest[start:], bold, italic, rest[start:], locate(rest[start:])))
    else:
        out.append(Span(rest, bold, italic))
    return [s for s in out if s.text]


def _resolve_soft_breaks(spans: list[Span]) -> list[Span]:
    """A source line break is a space between Latin words and nothing between Chinese characters."""
    out: list[Span] = []
    for i, span in enumerate(spans):
        if span.text != "\x00soft":
            out.append(span)
            continue
        before = next((s.text[-1] for s in reversed(out) if s.text and s.text != "\n"), "")
        after = next((s.text[0] for s in spans[i + 1 :] if s.text and s.text != "\x00soft"), "")
        space = " " if before.isascii() and after.isascii() and before and after else ""
        if space:
            out.append(Span(space, span.bold, span.italic))
    return out


def _merge(spans: list[Span]) -> tuple[Span, ...]:
    """Adjacent runs with the same emphasis joined, so the document has fewer, whole runs."""
    out: list[Span] = []
    for span in spans:
        if not span.text:
            continue
        last = out[-1] if out else None
        if (
            last
            and last.text != "\n"
            and span.text != "\n"
            and last.placeholder is None
            and span.placeholder is None
            and (last.bold, last.italic) == (span.bold, span.italic)
        ):
            out[-1] = Span(last.text + span.text, last.bold, last.italic)
        else:
            out.append(span)
    return tuple(out)


def _with_breaks(lines: list[str]) -> list[str]:
    out: list[str] = []
    for i, line in enumerate(lines):
        if i:
            out.append("\n")
        out.append(line)
    return out
