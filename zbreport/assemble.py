"""From a Report to the one Document every writer reads, in one step.

Here, and only here: the title lines, the 导语 (written, or generated from report.yaml), the
sections in the format's order, each official table placed where its section asks, every
placeholder of the narrative and of the template filled. A placeholder that cannot be filled
is a finding at its file:line:column, as is a second table marker in a section.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime, time, timezone
from typing import Iterable

from .records import field, record, replace
from .diagnostics import Finding, Location, Severity, shorten
from .document import Document, DocumentBlock, DocumentSection, OfficialTable, Properties
from .figures import FigureError, Scope, fill, scope_of
from .words import CONTACT_KEYS, ISSUER, YEAR
from .model import (
    Block,
    BlockQuote,
    Container,
    GridTable,
    Heading,
    Image,
    Inline,
    ListBlock,
    Note,
    OfficialTablePlace,
    PageBreak,
    Paragraph,
    Placeholder,
    Report,
    Section,
    TemplatePlaceholders,
    TableData,
    Text,
)


@record(frozen=False)
class Assembled:
    """The document, and what assembling it found (placeholders that could not be filled)."""

    document: Document
    findings: list[Finding] = field(default_factory=list)


def assemble(report: Report, template: TemplatePlaceholders | None = None, now: datetime | None = None) -> Assembled:
    """The report as one Document, with the values of the template's own placeholders."""
    findings: list[Finding] = []
    scope = scope_of(report)
    filler = _Filler(scope, findings)
    meta = report.meta
    intro = meta.intro if meta.intro is not None else generated_intro(report)
    sections = tuple(_section(s, report.tables, filler, findings) for s in report.sections)
    document = Document(
        title_lines=meta.title_lines,
        intro=filler.blocks(intro),
        sections=sections,
        properties=Properties(
            title=meta.full_title, author=meta.issuer, created=_created(meta.date_value, now)
        ),
    )
    if template is not None:
        values, problems = fill_template(template, scope)
        document = replace(document, template_values=values)
        findings += problems
    return Assembled(document, findings)


_SECTION_NUMBERING = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)])\s*")


def generated_intro(report: Report) -> tuple[Block, ...]:
    """The opening paragraph every report carries: legal basis, the parts (the format's six, or
    report.yaml's own 章节), the period, a contact.

    The year, the issuer and the usual contact details are placeholders, as a clerk would write
    them, so an editor's rewording of this paragraph can be written back with them still bound.
    """
    meta, fmt = report.meta, report.format
    sections = [s.form for s in report.sections]
    parts = "、".join(_SECTION_NUMBERING.sub("", s.title) for s in sections)
    # Filled here already (assembly fills them again, to the same values), so the paragraph reads
    # as printed wherever it is used: the importer compares a published 导语 with it.
    year = Placeholder(f"{{{{{YEAR}}}}}", value=str(meta.year))
    nodes: list[Inline] = [
        Text(
            f"本报告依据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《中华人民共和国政府信息公开"
            f"工作年度报告格式》（{fmt.name}）编制，包括{parts}{_count(len(sections))}个部分。报告中的数据统计期限为"
        ),
        year,
        Text("年1月1日至"),
        year,
        Text("年12月31日。"),
    ]
    if meta.contact:
        nodes += [Text("对本报告如有疑问，请与"), Placeholder(f"{{{{{ISSUER}}}}}", value=meta.issuer), Text("联系（")]
        for i, (label, value) in enumerate(meta.contact):
            nodes.append(Text(("；" if i else "") + f"{label}："))
            nodes.append(Placeholder(f"{{{{{label}}}}}", value=value) if label in CONTACT_KEYS else Text(value))
        nodes.append(Text("）。"))
    return (Paragraph(_joined_text(nodes)),)


def _joined_text(nodes: list[Inline]) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + node.text)
        else:
            out.append(node)
    return tuple(out)


def _count(n: int) -> str:
    return "零一二三四五六七八九十"[n] if 0 <= n <= 10 else str(n)


def _created(issued: date | None, now: datetime | None) -> datetime:
    """The document's date: 成文日期 when given, else the build time (SOURCE_DATE_EPOCH, for
    reproducible builds, else now), never the template's."""
    if issued is not None:
        return datetime.combine(issued, time(0, 0), timezone.utc)
    if now is not None:
        return now
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc)
    return datetime.now(timezone.utc).replace(microsecond=0)


def _section(section: Section, tables: dict[str, TableData], filler: "_Filler", findings: list[Finding]) -> DocumentSection:
    """The section's blocks with its official table placed: at `<!-- 表格 -->`, else under the title."""
    form = section.form
    blocks: list[Block] = list(section.blocks)
    page_break_before = bool(blocks) and isinstance(blocks[0], PageBreak)
    if page_break_before:
        blocks = blocks[1:]
    table = tables.get(form.table.key) if form.table is not None else None
    placed: list[DocumentBlock] = []
    marker_seen = False
    for block in blocks:
        if isinstance(block, OfficialTablePlace):
            if table is None:
                continue  # the reader warned: this section has no table
            if marker_seen:
                findings.append(
                    Finding(Severity.ERROR, "table-place", f"“{form.title}”中有两处 <!-- 表格 -->：统计表只能放在一处", block.location)
                )
                continue
            marker_seen = True
            placed.append(official_table(table))
        else:
            placed.append(filler.block(block))
    if table is not None and not marker_seen:
        placed.insert(0, official_table(table))
    return DocumentSection(form.number, form.title, tuple(placed), section.source, page_break_before)


def official_table(data: TableData) -> OfficialTable:
    form = data.form
    texts = {cell.key: data.display(cell.key) for cell in form.cells}
    unprintable = {
        key: entry.text for key, entry in data.entries.items() if not texts.get(key) and entry.state in ("blank", "invalid")
    }
    return OfficialTable(form.key, form.title, form.layout, texts, unprintable)


def fill_template(template: TemplatePlaceholders, scope: Scope) -> tuple[dict[str, str], list[Finding]]:
    """The values of the template's placeholders, and an error for each that cannot be filled.

    With `names_only_scope`, this checks a template's names without a project.
    """
    values: dict[str, str] = {}
    findings: list[Finding] = []
    seen: set[str] = set()
    for placeholder, where in template.found:
        if placeholder in seen:
            continue
        seen.add(placeholder)
        try:
            values[placeholder] = fill(placeholder, scope)
        except FigureError as exc:
            message = f"模板 {template.name} 的{where}中 {shorten(placeholder)}：{exc.message}"
            findings.append(Finding(Severity.ERROR, "template", message, Location(template.path)))
    return values, findings


class _Filler:
    """Every Placeholder node of the narrative given its value, once."""

    def __init__(self, scope: Scope, findings: list[Finding]) -> None:
        self.scope = scope
        self.findings = findings
        self.filled: dict[str, str | FigureError] = {}  # a placeholder written thousands of times is worked out once

    def blocks(self, blocks: Iterable[Block]) -> tuple[Block, ...]:
        return tuple(self.block(b) for b in blocks)

    def block(self, block: Block) -> Block:
        if isinstance(block, Heading):
            return replace(block, content=self.inlines(block.content))
        if isinstance(block, Paragraph):
            lead = self.block(block.lead) if block.lead is not None else None
            return replace(block, content=self.inlines(block.content), lead=lead)  # type: ignore[arg-type]
        if isinstance(block, ListBlock):
            return replace(block, items=tuple(self.blocks(item) for item in block.items))
        if isinstance(block, BlockQuote):
            return replace(block, blocks=self.blocks(block.blocks))
        if isinstance(block, GridTable):
            return replace(
                block,
                header=tuple(self.inlines(c) for c in block.header),
                rows=tuple(tuple(self.inlines(c) for c in row) for row in block.rows),
            )
        return block

    def inlines(self, nodes: tuple[Inline, ...]) -> tuple[Inline, ...]:
        return tuple(self.inline(n) for n in nodes)

    def inline(self, node: Inline) -> Inline:
        if isinstance(node, Placeholder):
            return self.placeholder(node)
        if isinstance(node, Container):
            return replace(node, children=self.inlines(node.children))
        if isinstance(node, Image):
            return replace(node, alt=self.inlines(node.alt))
        if isinstance(node, Note):
            return replace(node, blocks=self.blocks(node.blocks))
        return node

    def placeholder(self, node: Placeholder) -> Placeholder:
        if node.source not in self.filled:
            try:
                self.filled[node.source] = fill(node.source, self.scope)
            except FigureError as exc:
                self.filled[node.source] = exc
        result = self.filled[node.source]
        if isinstance(result, str):
            return replace(node, value=result)
        if not result.reported:  # else the table's own finding says what to fix
            location = node.location
            if location is not None and location.column:
                location = Location(location.path, location.line, location.column + result.offset)
            self.findings.append(Finding(Severity.ERROR, "placeholder", f"{shorten(node.source)}：{result.message}", location))
        return node
