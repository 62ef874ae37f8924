"""Figures typed by hand in the narrative, compared with the tables (R8), and drafts not yet rewritten.

A number stands for a table figure when the words just before it in its clause name one
(新收…申请, 予以公开, 行政复议, 制发…规范性文件, …: the format's `narrative_figures`) and it carries
the figure's unit (件, 万元). Years, dates, document numbers (〔2024〕2号), "2期", "1500余篇",
approximations and changes against last year are never figures. Such a number is compared with
the figure, computed as the placeholder that would bind it: a mismatch is a warning naming both
numbers and the placeholder; a number equal to what the words may also count (new + carried
over, a part) is a notice saying so. Placeholders are already bound and are not read here.

A section copied by `init --from` keeps a draft marker until it is rewritten: while it is there,
the section is pointed out, and a number equal to last year's figure is said to be last year's.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Iterator

from ..records import record
from ..diagnostics import Finding, Location, Severity
from ..figures import FigureError, Scope, fill, scope_of
from ..format import Format, NarrativeFigure
from ..model import (
    Block,
    BlockQuote,
    Code,
    Container,
    GridTable,
    Heading,
    Inline,
    LineBreak,
    ListBlock,
    Note,
    Paragraph,
    Placeholder,
    Report,
    Text,
)
from ..read import files  # not sourceyaml: a check from the cache loads no PyYAML
from ..words import DRAFT_MARKER

MASK = "\ufffc"  # stands where a placeholder is: its value is bound, not typed

_CLAUSE_END = "，,。；;！!？?、（）()\n"
_SENTENCE_END = "。；;！!？?\n"
_NUMBER = re.compile(r"(?<![\d.A-Za-z第])(\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d.%％])")
_APPROXIMATE_BEFORE = re.compile(r"(?:近|约|超过|超|逾|将近|大约|不足|不到|上|达到近)$")


@record
class Vocabulary:
    """A format's words for its figures, compiled: what names a figure, the applicants, others' counts."""

    figures: tuple[tuple[re.Pattern, NarrativeFigure], ...]
    applicants: tuple[tuple[re.Pattern, str], ...]
    elsewhere: re.Pattern | None

    @staticmethod
    def of(fmt: Format) -> "Vocabulary":
        return Vocabulary(
            tuple((re.compile(f.words), f) for f in fmt.narrative_figures),
            tuple((re.compile(words), columns) for words, columns in fmt.applicant_words),
            re.compile(fmt.narrative_elsewhere) if fmt.narrative_elsewhere else None,
        )


def block_texts(blocks: tuple[Block, ...], *, masked: bool = False) -> Iterator[tuple[str, Location | None]]:
    """The text of every paragraph, heading, list item, quotation, footnote and table row, with
    where it starts. Code is printed as written and is not read.

    `masked`: placeholders stand as MASK, not as their values.
    """
    for block in blocks:
        if isinstance(block, Heading):
            yield from _with_notes(block.content, block.location, masked)
        elif isinstance(block, Paragraph):
            lead = block.lead.content if block.lead else ()
            yield from _with_notes(lead + block.content, block.start_location, masked)
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from block_texts(item, masked=masked)
        elif isinstance(block, BlockQuote):
            yield from block_texts(block.blocks, masked=masked)
        elif isinstance(block, GridTable):
            for row in (block.header,) + block.rows:
                yield "".join(_text(cell, masked) for cell in row), block.location


def _with_notes(content: tuple[Inline, ...], location: Location | None, masked: bool) -> Iterator[tuple[str, Location | None]]:
    yield _text(content, masked), location
    for note in _notes(content):
        yield from block_texts(note.blocks, masked=masked)


def _notes(content: tuple[Inline, ...]) -> Iterator[Note]:
    for node in content:
        if isinstance(node, Note):
            yield node
        elif isinstance(node, Container):
            yield from _notes(node.children)


def _text(content: tuple[Inline, ...], masked: bool) -> str:
    parts = []
    for node in content:
        if isinstance(node, Placeholder):
            parts.append(MASK if masked else node.text)
        elif isinstance(node, Text):
            parts.append(node.text)
        elif isinstance(node, LineBreak):
            parts.append("\n")
        elif isinstance(node, Container):
            parts.append(_text(node.children, masked))
        elif isinstance(node, Code):
            parts.append(MASK)  # printed as written: not a figure of the report's
    return "".join(parts)


# ---------------------------------------------------------------- numbers next to figure words


@record
class Mention:
    """A number the text gives for a table figure."""

    figure: NarrativeFigure
    columns: str  # the applicant columns of 表三 it is about, as a sum: 总计, 自然人, 总计 - 自然人
    who: str  # the applicants as the text names them, "" for all
    number: Decimal
    written: str  # the clause up to and with the number and its unit, for messages
    offset: int  # of the number in the text
    needle: str  # text just before the number, to find it in the source

    def expression(self, template: str) -> str:
        """A figure's placeholder expression for the columns the text names: 表三·本年新收·{列} for
        总计 - 自然人 is 表三·本年新收·总计 - 表三·本年新收·自然人."""
        if "{列}" not in template:
            return template
        terms = []
        for figure_sign, figure_term in _terms(template):
            for column_sign, column in _terms(self.columns):
                sign = "+" if figure_sign == column_sign else "-"
                terms.append((sign, figure_term.format(列=column)))
        text = " ".join(f"{sign} {term}" for sign, term in terms)
        return text[2:] if text.startswith("+ ") else text


def _terms(expression: str) -> list[tuple[str, str]]:
    """ "a + b - c" → [("+", "a"), ("+", "b"), ("-", "c")]."""
    parts = re.split(r"\s+([+-])\s+", expression.strip())
    return [("+", parts[0])] + list(zip(parts[1::2], parts[2::2]))


def mentions(text: str, words: Vocabulary) -> list[Mention]:
    """The figures a text states by hand: numbers next to words naming a table figure."""
    found: list[Mention] = []
    previous: NarrativeFigure | None = None  # the last figure named in this sentence
    start = 0
    for end in [i for i, c in enumerate(text) if c in _CLAUSE_END] + [len(text)]:
        clause = text[start:end]
        for match in _NUMBER.finditer(clause):
            mention = _mention(clause, match, start, previous, words)
            if mention is not None:
                found.append(mention)
                previous = mention.figure
        if end < len(text) and text[end] in _SENTENCE_END:
            previous = None
        start = end + 1
    return found


def _mention(
    clause: str, match: re.Match, start: int, previous: NarrativeFigure | None, words: Vocabulary
) -> Mention | None:
    lead = clause[: match.start()]
    after = clause[match.end() :]
    applicants = next(((m, cols) for pattern, cols in words.applicants if (m := pattern.search(lead))), None)
    columns, who = (applicants[1], applicants[0].group(0)) if applicants else ("总计", "")
    figure = next((f for pattern, f in words.figures if pattern.search(lead)), None)
    if figure is None and previous is not None and columns != "总计" and "{列}" in previous.figure:
        figure = previous  # "…申请245件，其中自然人243件": the same figure, one column
    if figure is None or (words.elsewhere and words.elsewhere.search(lead)) or _APPROXIMATE_BEFORE.search(lead):
        return None
    unit = re.match(rf"\s*(?:{figure.unit})", after)
    if unit is None:
        return None
    try:
        number = Decimal(match.group(0).replace(",", ""))
    except InvalidOperation:
        return None
    if "{列}" not in figure.figure:
        columns, who = "总计", ""
    written = (lead.lstrip() + match.group(0) + after[: unit.end()].strip())[-40:]
    return Mention(figure, columns, who, number, written, start + match.start(), lead[-3:])


def _value(expression: str, scope: Scope | None) -> Decimal | None:
    if scope is None:
        return None
    try:
        return Decimal(fill("{{" + expression + "}}", scope))
    except (FigureError, InvalidOperation):
        return None  # a cell without a number: the table's own finding says so


# ---------------------------------------------------------------- findings


def lint_narrative(report: Report) -> list[Finding]:
    if all(section.source is None for section in report.sections) and not report.meta.intro:
        return []  # the narrative was not read (preview): nothing to compile the vocabulary for (3 ms)
    scope = scope_of(report)
    words = Vocabulary.of(report.format)
    findings: list[Finding] = []
    places = _Places()
    for section in report.sections:
        if section.source is None:
            continue
        source = files.read_text(section.source, files.YAML) if _is_text(section.source) else ""  # not a published .docx or PDF
        draft = DRAFT_MARKER.search(source)
        if draft:
            line_start = source.rfind("\n", 0, draft.start()) + 1
            findings.append(
                Finding(
                    Severity.WARNING,
                    "draft",
                    f"“{section.form.title}”仍是从上年报告复制的草稿：逐段改写为本年度的情况后，请删去此处的“草稿”标记",
                    Location(section.source, source.count("\n", 0, draft.start()) + 1, draft.start() - line_start + 1),
                )
            )
        findings += _lint_blocks(section.blocks, scope, words, places, bool(draft))
    if report.meta.intro:
        findings += _lint_blocks(report.meta.intro, scope, words, places, False)
    return findings


def _lint_blocks(
    blocks: tuple[Block, ...], scope: Scope, words: Vocabulary, places: "_Places", draft: bool
) -> list[Finding]:
    findings = []
    for text, location in block_texts(blocks, masked=True):
        for mention in mentions(text, words):
            finding = _compare(mention, scope, places.find(location, mention), draft)
            if finding is not None:
                findings.append(finding)
    return findings


def _shown(number: Decimal) -> str:
    return format(number.normalize(), "f")


def _compare(mention: Mention, scope: Scope, location: Location | None, draft: bool) -> Finding | None:
    figure = mention.figure
    name = f"{figure.name}（{mention.who}）" if mention.who else figure.name
    expression = mention.expression(figure.figure)
    expected = _value(expression, scope)
    if expected is None or expected == mention.number:
        return None
    said = f"正文“{mention.written}”"
    for what, alternative in figure.alternatives:
        other = mention.expression(alternative)
        if _value(other, scope) == mention.number:
            return Finding(
                Severity.NOTICE,
                "R8",
                f"{said}中的 {_shown(mention.number)} 等于{what}（{{{{{other}}}}}），不是{name}"
                f"（{{{{{expression}}}}} 为 {_shown(expected)}）；如确指{what}，可写成 {{{{{other}}}}}",
                location,
            )
    last = _value(expression, scope.previous)
    stale = "，与上年报告的这一数字相同，可能是未改写的上年数字" if last == mention.number and last != expected else ""
    if draft and not stale:
        stale = "（本节是上年报告的草稿）"
    return Finding(
        Severity.WARNING,
        "R8",
        f"{said}与表格不一致：{name}按表格为 {_shown(expected)}（{{{{{expression}}}}}），"
        f"正文写的是 {_shown(mention.number)}{stale}；写成占位符 {{{{{expression}}}}} 即与表格一致",
        location,
    )


class _Places:
    """Where a number of a block is in its source file: line and column, each place claimed once."""

    def __init__(self) -> None:
        self.lines: dict[Path, list[str]] = {}
        self.claimed: set[tuple[Path, int, int]] = set()

    def find(self, block: Location | None, mention: Mention) -> Location | None:
        if block is None or not block.line or not _is_text(block.path):
            return block
        lines = self.lines.setdefault(block.path, files.read_text(block.path, files.YAML).split("\n"))
        digits = re.sub(r"\.0+$|(\.\d*?)0+$", r"\1", format(mention.number, "f"))
        for needle, shift in ((mention.needle + digits, len(mention.needle)), (digits, 0)):
            for n in range(block.line - 1, len(lines)):
                for match in re.finditer(re.escape(needle), lines[n]):
                    column = match.start() + shift + 1
                    if (block.path, n + 1, column) not in self.claimed and not _inside_number(lines[n], column - 1, digits):
                        self.claimed.add((block.path, n + 1, column))
                        return Location(block.path, n + 1, column)
        return block


def _is_text(path: Path) -> bool:
    """A project's own Markdown or YAML, whose lines and columns locations count; not a published report."""
    return path.suffix.lower() in (".md", ".markdown", ".yaml", ".yml", ".txt")


def _inside_number(line: str, index: int, digits: str) -> bool:
    before = line[index - 1] if index > 0 else ""
    after = line[index + len(digits)] if index + len(digits) < len(line) else ""
    return before.isdigit() or after.isdigit()
