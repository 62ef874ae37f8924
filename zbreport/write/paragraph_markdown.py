"""One paragraph's inline nodes written back as Markdown, for `pull`: an edited paragraph in its file.

The inverse of the narrative reader (read/markdown.py) for one paragraph's or heading's content:
placeholders exactly as they were written (`{{ … }}`, not their values), marks in their usual
Markdown or HTML form, text escaped only where a character would otherwise be read as markup, so
an unchanged stretch reads as it was typed. (markdown.py writes a whole imported narrative, where
every published character is escaped and figures are text.)
"""

from __future__ import annotations

import re

from ..records import replace
from ..model import (
    Code,
    Container,
    Emph,
    Image,
    Inline,
    LineBreak,
    Link,
    Note,
    Placeholder,
    Strikeout,
    Strong,
    Subscript,
    Superscript,
    Text,
    Underline,
    inline_text,
)

_DELIMITERS = {Strong: ("**", "**"), Emph: ("*", "*"), Strikeout: ("~~", "~~"), Underline: ("<u>", "</u>"),
               Subscript: ("<sub>", "</sub>"), Superscript: ("<sup>", "</sup>")}
# Characters that start markup anywhere in a line, and what makes a line start a block.
_INLINE_SPECIAL = re.compile(r"([\\`*\[\]])|(~~)|(<)(?=[A-Za-z/!?])|(&)(?=#?[A-Za-z0-9]+;)|(?<!\w)(_)|(_)(?!\w)")
_BLOCK_START = re.compile(r"^(\s*)([#>]|[-+*](?=\s|$)|\d{1,9}(?=[.)](?:\s|$))|=+\s*$|-+\s*$)")


_HTML_MARKS = {Strong: ("<strong>", "</strong>"), Emph: ("<em>", "</em>")}


def inline_markdown(nodes: tuple[Inline, ...], html_marks: bool = False) -> str:
    """The Markdown for these nodes, on one line except where a hard line break is.

    `html_marks` writes bold and italic as <strong> and <em>: `**` next to Chinese punctuation
    (把**“三提三争”**要求) is not read as bold, by CommonMark's rules for delimiters.
    """
    delimiters = {**_DELIMITERS, **_HTML_MARKS} if html_marks else _DELIMITERS
    text = "".join(_node(n, delimiters) for n in _adjacent_joined(nodes))
    return "\n".join(_guard_line_start(line.lstrip(" \t")) for line in text.split("\n"))


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


def _node(node: Inline, delimiters: dict) -> str:
    if isinstance(node, Text):
        return escape(node.text)
    if isinstance(node, Code):
        return _code(node.text)
    if isinstance(node, Placeholder):
        return node.source
    if isinstance(node, LineBreak):
        return "\\\n"
    if isinstance(node, Link):
        inner = "".join(_node(c, delimiters) for c in node.children)
        title = f' "{node.title}"' if node.title else ""
        return f"[{inner}]({_destination(node.target)}{title})"
    if isinstance(node, Container):
        opening, closing = delimiters.get(type(node), ("", ""))
        return opening + "".join(_node(c, delimiters) for c in node.children) + closing
    if isinstance(node, Image):
        title = f' "{node.title}"' if node.title else ""
        return f"![{escape(inline_text(node.alt))}]({_destination(node.source)}{title})"
    if isinstance(node, Note):
        return f"[^{node.label}]"
    return ""


def escape(text: str) -> str:
    def one(match: re.Match) -> str:
        return "\\" + match.group(0) if match.group(2) is None else "\\~\\~"

    return _INLINE_SPECIAL.sub(one, text).replace("\n", " ")


def _code(text: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    padding = " " if text.startswith("`") or text.endswith("`") or (text.startswith(" ") and text.endswith(" ") and text.strip()) else ""
    return f"{fence}{padding}{text}{padding}{fence}"


def _destination(target: str) -> str:
    return f"<{target}>" if re.search(r"[\s()<>]", target) else target


def _guard_line_start(line: str) -> str:
    """A paragraph line that would start a heading, quote, list or rule has its first mark escaped."""
    match = _BLOCK_START.match(line)
    if not match:
        return line
    at = len(match.group(1))
    if line[at].isdigit():  # "1. " starts a list: the full stop is what to escape
        dot = at + len(re.match(r"\d+", line[at:]).group(0))  # type: ignore[union-attr]
        return line[:dot] + "\\" + line[dot:]
    return line[:at] + "\\" + line[at:]
