"""The placeholder language: `{{ 表三·（七）总计·总计 + 表四·行政复议·总计 }}`, read by a small grammar.

    expression := term (("+" | "-") term)*
    term       := ["-"] atom
    atom       := number | name | name "(" expression ("," expression)* ")" | "(" expression ")"

A name is a metadata field (机关全称, 年度, …), a table cell written as its labels joined by
"·" (表三·本年新收·总计), or a word such as 截断 that a function reads as an option.
Full-width （）＋－， are accepted where a clerk's input method produces them; inside a name,
full-width brackets belong to the label ("（七）总计"). User text is parsed, never evaluated.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Union

from ..records import record
from ..words import FUNCTIONS

OPEN = "{{"
CLOSE = "}}"
# Bounds far above any real placeholder, so hostile text is a message, not a hang or a RecursionError.
MAX_LENGTH = 500  # characters between the brackets
MAX_DEPTH = 20  # nested brackets and calls
MAX_TERMS = 100  # names and numbers
MAX_DIGITS = 15  # in a number; no figure of these reports comes near
# A placeholder in running text, for code that wants a pattern; `find_placeholders` is linear
# where this pattern, on a line of many `{{` and no `}}`, would not be without its bound.
PLACEHOLDER = re.compile(r"\{\{([^\n]{0,%d}?)\}\}" % MAX_LENGTH)
SEPARATOR = "·"  # between the labels of a cell name, as `check` prints a cell
_SEPARATOR_VARIANTS = str.maketrans({"・": SEPARATOR, "•": SEPARATOR, "‧": SEPARATOR, "∙": SEPARATOR})
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９．", "0123456789.")


@record
class NumberLiteral:
    """A number written in a placeholder's expression."""

    value: Decimal
    offset: int


@record
class Name:
    """A cell's or a value's name, its labels joined by ·."""

    text: str
    offset: int

    @property
    def segments(self) -> tuple[str, ...]:
        return tuple(s.strip() for s in self.text.split(SEPARATOR))


@record
class Call:
    """A function applied to its arguments."""

    function: str
    args: tuple["Expression", ...]
    offset: int


@record
class Arithmetic:
    """A sum or a difference of two expressions."""

    op: str  # "+" or "-"
    left: "Expression"
    right: "Expression"
    offset: int


@record
class Negative:
    """An expression with a minus sign before it."""

    operand: "Expression"
    offset: int


Expression = Union[NumberLiteral, Name, Call, Arithmetic, Negative]


class PlaceholderSyntaxError(Exception):
    """A placeholder that does not parse; `offset` counts characters from the start of its text."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


def find_placeholders(text: str) -> list[tuple[int, int]]:
    """(start, end) of each `{{ … }}` in a line of text, in order, in linear time.

    Scanning stops at a `{{` without its `}}` on the same line: the caller reports the rest
    from there as an unclosed placeholder (a `{{` left open is reported, not printed).
    """
    found: list[tuple[int, int]] = []
    position = 0
    while True:
        start = text.find(OPEN, position)
        if start < 0:
            return found
        end = text.find(CLOSE, start + len(OPEN))
        if end < 0 or "\n" in text[start:end]:
            return found
        found.append((start, end + len(CLOSE)))
        position = end + len(CLOSE)


# ---------------------------------------------------------------- tokens

_PUNCTUATION = {"+": "+", "＋": "+", "-": "-", "－": "-", "(": "(", ")": ")", ",": ","}
_OUTSIDE_NAME = {"（": "(", "）": ")", "，": ","}  # full-width, when not inside a label's brackets


@record
class _Token:
    """A piece of a placeholder's text, where it starts."""

    kind: str  # "number", "name", "+", "-", "(", ")", ",", "end"
    text: str
    offset: int


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in _PUNCTUATION:
            out.append(_Token(_PUNCTUATION[ch], ch, i))
            i += 1
        elif ch in _OUTSIDE_NAME:
            out.append(_Token(_OUTSIDE_NAME[ch], ch, i))
            i += 1
        elif ch.translate(_FULL_WIDTH_DIGITS) in "0123456789":
            start = i
            while i < len(text) and (text[i].translate(_FULL_WIDTH_DIGITS) in "0123456789."):
                i += 1
            if i - start > MAX_DIGITS:
                raise PlaceholderSyntaxError(f"数字过长（超过 {MAX_DIGITS} 位）", start)
            out.append(_Token("number", text[start:i].translate(_FULL_WIDTH_DIGITS), start))
        else:
            start, i = i, _name_end(text, i)
            out.append(_Token("name", text[start:i].rstrip().translate(_SEPARATOR_VARIANTS), start))
    out.append(_Token("end", "", len(text)))
    return out


# A label's own numbering written with half-width brackets, as table files may: 表三·(七)总计·总计.
_NUMBERING_IN_NAME = re.compile(r"\((?:[一二三四五六七八九十]+|[0-9０-９]+)\)")


def _name_end(text: str, i: int) -> int:
    """A name runs to the next operator; full-width brackets inside it are part of a label, and so
    are half-width ones around a numbering, (七), after a "·" or at the start of a label."""
    depth = 0
    start = i
    while i < len(text):
        ch = text[i]
        if ch == "(" and text[start:i].rstrip().endswith(("·", "・", "•", "‧", "∙")):
            numbering = _NUMBERING_IN_NAME.match(text, i)
            if numbering:
                i = numbering.end()
                continue
        if ch in _PUNCTUATION:
            return i
        if ch == "（":
            if depth == 0 and text[start:i].strip() in FUNCTION_WORDS:
                return i  # 同比（…）: a call written with full-width brackets
            depth += 1
        elif ch == "）":
            if depth == 0:
                return i
            depth -= 1
        elif ch == "，" and depth == 0:
            return i
        i += 1
    return i


# Functions the grammar knows are calls even when written with full-width brackets.
FUNCTION_WORDS = FUNCTIONS

# ---------------------------------------------------------------- parser


def parse(text: str) -> Expression:
    """The expression inside `{{ }}`; raises PlaceholderSyntaxError with the offending offset."""
    if len(text) > MAX_LENGTH:
        raise PlaceholderSyntaxError(f"占位符过长（超过 {MAX_LENGTH} 个字符）", 0)
    tokens = _tokens(text)
    terms = [t for t in tokens if t.kind in ("name", "number")]
    if len(terms) > MAX_TERMS:
        raise PlaceholderSyntaxError(f"占位符中的名称和数字过多（超过 {MAX_TERMS} 个）", terms[MAX_TERMS].offset)
    parser = _Parser(tokens)
    if parser.peek().kind == "end":
        raise PlaceholderSyntaxError("占位符是空的，应写明要填入的名称，例如 {{ 机关全称 }}", 0)
    expression = parser.expression()
    token = parser.peek()
    if token.kind != "end":
        raise PlaceholderSyntaxError(f"无法理解“{text[token.offset:].strip()}”（名称之间应以 + 或 - 连接）", token.offset)
    return expression


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0  # brackets open, calls included

    def peek(self) -> _Token:
        return self.tokens[self.pos]

    def take(self) -> _Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def expression(self) -> Expression:
        left = self.term()
        while self.peek().kind in ("+", "-"):
            op = self.take()
            left = Arithmetic(op.kind, left, self.term(), op.offset)
        return left

    def term(self) -> Expression:
        if self.peek().kind == "-":
            sign = self.take()
            return Negative(self.atom(), sign.offset)
        return self.atom()

    def atom(self) -> Expression:
        token = self.take()
        if token.kind == "number":
            try:
                return NumberLiteral(Decimal(token.text), token.offset)
            except ArithmeticError:
                raise PlaceholderSyntaxError(f"“{token.text}”不是数字", token.offset) from None
        if token.kind == "name":
            if self.peek().kind == "(":
                self.open(self.take())
                call = Call(token.text, self.arguments(), token.offset)
                self.depth -= 1
                return call
            return Name(token.text, token.offset)
        if token.kind == "(":
            self.open(token)
            inner = self.expression()
            self.expect_close()
            self.depth -= 1
            return inner
        if token.kind == "end":
            raise PlaceholderSyntaxError("占位符在此处不完整，缺少名称或数字", token.offset)
        raise PlaceholderSyntaxError(f"此处应为名称或数字，而不是“{token.text}”", token.offset)

    def open(self, bracket: _Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise PlaceholderSyntaxError(f"括号嵌套过深（超过 {MAX_DEPTH} 层）", bracket.offset)

    def arguments(self) -> tuple[Expression, ...]:
        args = [self.expression()]
        while self.peek().kind == ",":
            self.take()
            args.append(self.expression())
        self.expect_close()
        return tuple(args)

    def expect_close(self) -> None:
        token = self.take()
        if token.kind != ")":
            raise PlaceholderSyntaxError("括号没有闭合，缺少“)”", token.offset)
