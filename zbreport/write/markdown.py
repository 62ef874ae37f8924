"""The narrative model written back as Markdown: one paragraph's inline nodes, or a whole narrative.

The inverse of the narrative reader (read/markdown.py): what is written here reads back as the
same nodes. One inline writer serves two uses that differ on purpose:

- `pull` (`inline_markdown`): an edited paragraph going back into a clerk's file. Placeholders
  are kept as they were written (`{{ … }}`, not their values), and text is escaped only where a
  character would otherwise be read as markup, so an unchanged stretch reads as it was typed.
- `import` (`markdown_of`, with `escape_all`): a published report's narrative. Every published
  character that Markdown could read as markup is escaped (a "*" stays a star, "{{" is not a
  placeholder, a line opening with "1. " stays a paragraph) and a figure is written as text.
"""

from __future__ import annotations

import re

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
    inline_text,
)
from ..read.markdown import RUN_IN_ENDINGS
from ..records import record, replace

_DELIMITERS = {Strong: ("**", "**"), Emph: ("*", "*"), Strikeout: ("~~", "~~"), Underline: ("<u>", "</u>"),
               Subscript: ("<sub>", "</sub>"), Superscript: ("<sup>", "</sup>")}
_HTML_MARKS = {Strong: ("<strong>", "</strong>"), Emph: ("<em>", "</em>")}

# How much is escaped. All: every character that can open markup anywhere. As typed: only a
# character that would be read as markup where it stands ("<" before a tag, "&" before an entity,
# "_" at a word's edge).
_ALL_SPECIAL = re.compile(r"([\\`*_\[\]<>!|~&])")
_TYPED_SPECIAL = re.compile(r"([\\`*\[\]])|(~~)|(<)(?=[A-Za-z/!?])|(&)(?=#?[A-Za-z0-9]+;)|(?<!\w)(_)|(_)(?!\w)")
# What opens a block at the start of a line: an ATX heading, a quote, a list item, a rule or a
# setext underline. Escaping all, "#" counts only where it opens a heading (a "*" or ">" is escaped
# already); as typed, any "#" there is escaped.
_ALL_LINE_START = re.compile(r"^(\s*)(#{1,6}(?=\s|$)|>|[+*-](?=\s|$)|\d{1,9}(?=[.)](?:\s|$))|[=-]+(?=\s*$)|~{3,}|`{3,})")
_TYPED_LINE_START = re.compile(r"^(\s*)([#>]|[-+*](?=\s|$)|\d{1,9}(?=[.)](?:\s|$))|=+\s*$|-+\s*$|~{3,}|`{3,})")


@record
class _Style:
    """How the two uses write the same nodes.

    `escape_all` (import): every markup character escaped, "{{" too, a link's destination always in
    <…> and its text guarded as a line is, a text's line ends kept. Otherwise (pull): only what would
    be read as markup where it stands is escaped, and a text is kept on one line.
    """

    escape_all: bool
    placeholder_values: bool  # import: a filled placeholder's value as text; pull: `{{ … }}` as written
    delimiters: dict  # each mark's opening and closing: pull's html_marks writes <strong> and <em>


_TYPED = {False: _Style(False, False, _DELIMITERS), True: _Style(False, False, {**_DELIMITERS, **_HTML_MARKS})}
_PUBLISHED = _Style(True, True, _DELIMITERS)


def inline_markdown(nodes: tuple[Inline, ...], html_marks: bool = False) -> str:
    """The Markdown for one paragraph's (or heading's) nodes, as `pull` writes them into a clerk's file.

    On one line except where a hard line break is. `html_marks` writes bold and italic as <strong>
    and <em>: `**` next to Chinese punctuation (把**“三提三争”**要求) is not read as bold, by
    CommonMark's rules for delimiters.
    """
    return _inline(nodes, _TYPED[html_marks])


def markdown_of(blocks: tuple[Block, ...] | list[Block]) -> str:
    """A published narrative's blocks as the Markdown an imported project holds, its notes at the end."""
    notes: dict[str, Note] = {}
    for note in _notes_in(blocks):
        notes.setdefault(note.label, note)
    definitions = []
    for label, note in notes.items():
        body = _blocks(note.blocks).replace("\n", "\n    ")  # a note's later lines belong to it by their indent
        definitions.append(f"[^{label}]: {body}")
    text = "\n\n".join(p for p in [_blocks(blocks)] + definitions if p)
    return text + ("\n" if blocks else "")


# ---------------------------------------------------------------- inline


def _inline(nodes: tuple[Inline, ...], style: _Style) -> str:
    text = _joined(_adjacent_joined(nodes), style)
    return "\n".join(_guard_line_start(line.lstrip(" \t"), style) for line in text.split("\n"))


def _adjacent_joined(nodes: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Two marks of a kind side by side are one: `**a****b**` would not read as bold."""
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, Container):
            node = replace(node, children=_adjacent_joined(node.children))
            last = out[-1] if out else None
            if type(last) is type(node) and getattr(last, "target", None) == getattr(node, "target", None):
                out[-1] = replace(last, children=_adjacent_joined(last.children + node.children))  # type: ignore[union-attr]
                continue
        out.append(node)
    return tuple(out)


def _joined(nodes: tuple[Inline, ...], style: _Style) -> str:
    pieces: list[str] = []
    for node in nodes:
        piece = _node(node, style)
        if isinstance(node, Link) and pieces and _ends_with_opener(pieces[-1]):
            pieces[-1] = pieces[-1][:-1] + "\\" + pieces[-1][-1]  # "![" opens an image, "^[" an inline footnote
        pieces.append(piece)
    return "".join(pieces)


def _ends_with_opener(text: str) -> bool:
    """Whether the text ends with a "!" or "^" that is not escaped (after an even run of
    backslashes): before a link's "[", it would make an image or an inline footnote of it."""
    body = text[:-1]
    return text.endswith(("!", "^")) and (len(body) - len(body.rstrip("\\"))) % 2 == 0


def _node(node: Inline, style: _Style) -> str:
    if isinstance(node, Text):
        return _escape(node.text, style)
    if isinstance(node, Code):
        return _code(node.text)
    if isinstance(node, Placeholder):
        return _escape(node.value, style) if style.placeholder_values and node.value is not None else node.source
    if isinstance(node, LineBreak):
        return "\\\n"
    if isinstance(node, Link):
        if style.escape_all:
            inner = _inline(node.children, style)
        else:
            inner = _joined(node.children, style)
        return f"[{inner}]({_destination(node.target, style)}{_title(node.title)})"
    if isinstance(node, Container):
        inner = _joined(node.children, style)
        opening, closing = style.delimiters.get(type(node), ("", ""))
        if not inner.strip() and not opening.startswith("<"):  # "**" around nothing is read as stars, or a rule
            return inner
        return opening + inner + closing
    if isinstance(node, Image):
        return f"![{_escape(inline_text(node.alt), style)}]({_destination(node.source, style)}{_title(node.title)})"
    if isinstance(node, Note):
        return f"[^{node.label}]"
    return ""


def _escape(text: str, style: _Style) -> str:
    if style.escape_all:
        return _ALL_SPECIAL.sub(r"\\\1", text).replace("{{", "`{{`")

    def one(match: re.Match) -> str:
        return "\\" + match.group(0) if match.group(2) is None else "\\~\\~"

    return _TYPED_SPECIAL.sub(one, text).replace("\n", " ")


def _code(text: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    padding = " " if text.startswith("`") or text.endswith("`") or (text.startswith(" ") and text.endswith(" ") and text.strip()) else ""
    return f"{fence}{padding}{text}{padding}{fence}"


def _destination(target: str, style: _Style) -> str:
    return f"<{target}>" if style.escape_all or re.search(r"[\s()<>]", target) else target


def _title(title: str) -> str:
    return f' "{title}"' if title else ""


def _guard_line_start(line: str, style: _Style) -> str:
    """A paragraph line that would start a heading, quote, list, rule or code fence has its first
    mark escaped."""
    match = (_ALL_LINE_START if style.escape_all else _TYPED_LINE_START).match(line)
    if not match:
        return line
    at = len(match.group(1))
    if line[at].isdigit():  # "1. " starts a list: the full stop is what to escape
        dot = at + len(re.match(r"\d+", line[at:]).group(0))  # type: ignore[union-attr]
        return line[:dot] + "\\" + line[dot:]
    return line[:at] + "\\" + line[at:]


# ---------------------------------------------------------------- blocks (import)


def _blocks(blocks: tuple[Block, ...] | list[Block]) -> str:
    return "\n\n".join(p for p in (_block(b) for b in blocks) if p)


def _notes_in(blocks: tuple[Block, ...] | list[Block]) -> list[Note]:
    """The footnotes the blocks refer to, in order (a note's own notes too)."""
    found: list[Note] = []

    def inline(nodes: tuple[Inline, ...]) -> None:
        for node in nodes:
            if isinstance(node, Note):
                found.append(node)
                found.extend(_notes_in(node.blocks))
            elif isinstance(node, Container):
                inline(node.children)

    for block in blocks:
        if isinstance(block, (Heading, Paragraph)):
            inline(block.content)
            if isinstance(block, Paragraph) and block.lead is not None:
                inline(block.lead.content)
        elif isinstance(block, ListBlock):
            found.extend(n for item in block.items for n in _notes_in(item))
        elif isinstance(block, BlockQuote):
            found.extend(_notes_in(block.blocks))
        elif isinstance(block, GridTable):
            for cells in (block.header, *block.rows):
                for cell in cells:
                    inline(cell)
    return found


def _block(block: Block) -> str:
    if isinstance(block, Heading):
        return "#" * block.level + " " + _inline(block.content, _PUBLISHED)
    if isinstance(block, Paragraph):
        if block.lead is not None and block.lead.text.rstrip().endswith(RUN_IN_ENDINGS):
            return "#" * block.lead.level + " " + _inline(block.lead.content, _PUBLISHED) + "\n\n" + _inline(block.content, _PUBLISHED)
        lead = block.lead.content if block.lead is not None else ()
        return _inline(lead + block.content, _PUBLISHED)
    if isinstance(block, ListBlock):
        lines = []
        for number, item in enumerate(block.items, start=block.start):
            marker = f"{number}." if block.ordered else "-"
            text = " ".join(_inline(b.content, _PUBLISHED) for b in item if isinstance(b, (Paragraph, Heading)))
            lines.append(f"{marker} {text}")
        return "\n".join(lines)
    if isinstance(block, BlockQuote):
        return "\n".join("> " + line for line in _blocks(block.blocks).rstrip("\n").split("\n"))
    if isinstance(block, CodeBlock):
        return "```\n" + block.text + "\n```"
    if isinstance(block, GridTable):
        return _table(block)
    if isinstance(block, OfficialTablePlace):
        return "<!-- 表格 -->"
    if isinstance(block, PageBreak):
        return "<!-- 分页 -->"
    return ""


def _table(table: GridTable) -> str:
    def row(cells) -> str:
        return "| " + " | ".join(_inline(c, _PUBLISHED).replace("\\\n", "<br>").replace("\n", " ") for c in cells) + " |"

    width = max([len(table.header)] + [len(r) for r in table.rows])
    header = tuple(table.header) + ((),) * (width - len(table.header))
    lines = [row(header), "|" + "---|" * width]
    lines += [row(tuple(r) + ((),) * (width - len(r))) for r in table.rows]
    return "\n".join(lines)
