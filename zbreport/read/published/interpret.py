"""From the blocks of a published report to the Report model, by the official format.

The title gives the issuer and year, the section titles divide the text, the official tables
are told apart by their labels and read cell by cell (tables.py), the 导语 gives the contact
details, and a date under the last section is the 成文日期. Whatever does not fit the format
is a finding (about the report) or a note (about what a project cannot hold); whatever makes
the file not a report at all is listed in `missing`.
"""

from __future__ import annotations

import datetime
import re

from ...records import field, record, replace
from ...diagnostics import Finding, Location, Severity
from ...format import Format, SectionForm
from ...model import (
    Block,
    GridTable,
    Heading,
    ListBlock,
    Metadata,
    OfficialTablePlace,
    Paragraph,
    Report,
    Section,
    TableData,
    plain_inlines,
)
from . import titles
from .blocks import Block as SourceBlock
from .blocks import Published, TableBlock, TextBlock, join_continued_tables
from .tables import TableReading, data_for, old_format_name, read_table, table_kind


@record(frozen=False)
class PublishedReport:
    report: Report
    findings: list[Finding] = field(default_factory=list)  # about the report: labels, structure, the old format
    notes: list[str] = field(default_factory=list)  # what a project cannot hold
    missing: list[str] = field(default_factory=list)  # what makes the file not a report
    title: str = ""  # as published
    written_intro: bool = False  # the 导语 is the report's own, not the one zbreport generates


def interpret(published: Published, fmt: Format) -> PublishedReport:
    return _Interpreter(published, fmt).run()


class _Interpreter:
    def __init__(self, published: Published, fmt: Format) -> None:
        self.fmt = fmt
        self.published = published
        self.path = published.path
        self.findings: list[Finding] = []
        self.notes: list[str] = [n.message if not n.page else f"第{n.page}页：{n.message}" for n in published.notes]
        self.missing: list[str] = []
        self.tables_in_place: set[str] = set()  # tables found in the section the format gives them

    def where(self, place: str, page: int = 0) -> Location:
        return Location(self.path, place=f"第{page}页，{place}" if page else place)

    def run(self) -> PublishedReport:
        blocks = join_continued_tables(self.published.blocks, self.kind_of)
        heads = self.section_heads(blocks)
        first_head = heads[0][0] if heads else len(blocks)
        front = blocks[:first_head]
        texts = [b.text for b in front if isinstance(b, TextBlock)]
        title = titles.find_title(texts) or titles.find_title(
            [b.text for b in blocks[: first_head + 20] if isinstance(b, TextBlock)]
        )
        if title is None:
            what = "“YYYY年政府信息公开工作年度报告”形式的标题"
            self.missing.append(f"没有找到{what}" + ("（有标题，但看不出年度）" if any(titles.mentions_report_title(t) for t in texts) else ""))
        elif not title.issuer:
            self.missing.append(f"标题“{title.text}”中没有机关名称")
        intro_blocks = self.after_title(front, title)

        tables: dict[str, TableReading] = {}
        table_pages: dict[str, int] = {}
        sections: list[Section] = []
        bounds = [h[0] for h in heads] + [len(blocks)]
        found = {h[1].form.number: (h[0], h[1], bounds[i + 1]) for i, h in enumerate(heads)}
        last_found = heads[-1][1].form.number if heads else None
        date = None
        for form in self.fmt.sections:
            if form.number not in found:
                sections.append(Section(form, (), None))
                continue
            start, head, end = found[form.number]
            heading = blocks[start]
            assert isinstance(heading, TextBlock)
            body = blocks[start + 1 : end]
            if form.number == last_found:
                body, date = self.signature(body, title)
            narrative = self.section_blocks(form, body, tables, table_pages)
            sections.append(Section(form, narrative, self.path))
        # Official tables outside the sections (no section titles found, or a table before them).
        for block in blocks[:first_head]:
            if isinstance(block, TableBlock):
                self.official_table(block, tables, table_pages)
        own = self.own_sections(heads, blocks)
        if own:
            sections = [replace(s, form=own[s.form.number]) for s in sections if s.form.number in own]
        for at, head in heads:
            self.check_title(head.form, blocks[at], numbered_own=bool(own))  # type: ignore[arg-type]

        self.report_sections(found, tables, bool(own))
        meta = replace(self.metadata(title, intro_blocks, date), sections=tuple(own.values()))
        data: dict[str, TableData] = {}
        # A report has the applications table, whose corner note states the format's own rule (R1);
        # a notice that merely mentions the annual report has none.
        essential = next((key for key, form in self.fmt.tables.items() if form.balances), None)
        for form in self.fmt.sections:
            if form.table is None:
                continue
            reading = tables.get(form.table.key)
            if reading is None:
                if form.table.key == essential:
                    self.missing.append(f"没有找到表{essential}（{form.table.title.split('、', 1)[-1]}）")
                self.findings.append(
                    Finding(Severity.ERROR, "missing-table", f"没有找到表{form.table.key}（{form.table.title}）", Location(self.path), table=form.table.key)
                )
            else:
                self.findings.extend(reading.findings)
            data[form.table.key] = data_for(form.table, reading, self.path)
        report = Report(self.fmt, self.path.parent, meta, tuple(sections), data)
        from ...assemble import generated_intro  # the 导语 zbreport writes, to tell the report's own from it

        written = meta.intro is not None and not _same_text(meta.intro, generated_intro(report))
        return PublishedReport(report, self.findings, self.notes, self.missing, title.text if title else "", written)

    def kind_of(self, table: TableBlock) -> str | None:
        return table_kind(table, self.fmt.tables)

    # ------------------------------------------------------------ structure

    def section_heads(self, blocks: list[SourceBlock]) -> list[tuple[int, titles.SectionTitle]]:
        candidates = []
        for i, block in enumerate(blocks):
            if isinstance(block, TextBlock) and block.role != "item":
                found = titles.section_title(block.text, self.fmt)
                if found is not None:
                    candidates.append((i, found))
        return titles.choose_sections(candidates, self.fmt)

    def own_sections(self, heads: list[tuple[int, titles.SectionTitle]], blocks: list[SourceBlock]) -> dict[str, SectionForm]:
        """The report's own sections where it numbers them otherwise than the format, 一、二、三… in
        order (one lower for want of 总体情况, say): each titled as published, with its table.

        Only where each official table stands in the section the format gives it; else the
        format's six are kept, and the findings say what is missing or out of place. A number
        written wrong once (two sections 五) is no numbering of the report's own: it is a finding.
        """
        numbers = [head.numbered for _, head in heads]
        if numbers == [head.form.number for _, head in heads] or numbers != list(_NUMERALS[: len(numbers)]):
            return {}
        if set(self.fmt.tables) != self.tables_in_place:
            self.notes.append("本报告的章节编号与官方格式不同，但统计表未能各归其章节；项目使用官方格式的六个部分")
            return {}
        own: dict[str, SectionForm] = {}
        for index, (at, head) in enumerate(heads, start=1):
            heading = blocks[at]
            assert isinstance(heading, TextBlock)
            form = head.form
            own[form.number] = SectionForm("", " ".join(heading.text.split()), f"own-{index}", form.file_name, form.table, form.guidance)
        return own

    def after_title(self, front: list[SourceBlock], title: titles.Title | None) -> list[TextBlock]:
        """The 导语: the text between the title and the first section."""
        texts = [b for b in front if isinstance(b, TextBlock)]
        if title is None:
            return texts
        for i, block in enumerate(texts):
            if title.text.endswith("".join(block.text.split())):
                return [b for b in texts[i + 1 :] if b.role != "title"]
        return texts

    def check_title(self, form: SectionForm, heading: TextBlock, numbered_own: bool) -> None:
        """A title worded otherwise than the official one; its number aside where the report numbers its own."""
        written = "".join(heading.text.split())
        if numbered_own and titles.title_words(written) == titles.title_words(form.title):
            return
        if written.replace("(", "（").replace(")", "）") != form.title:
            self.findings.append(
                Finding(
                    Severity.WARNING,
                    "section-title",
                    f"章节标题“{written}”与官方格式的“{form.title}”不一致",
                    self.where(f"“{written}”", heading.page),
                )
            )

    def report_sections(self, found: dict, tables: dict[str, TableReading], numbered_own: bool) -> None:
        for form in self.fmt.sections:
            if form.number in found:
                continue
            if form.table is not None and form.table.key in tables:
                severity, message = Severity.WARNING, f"没有找到“{form.title}”的标题（表{form.table.key}已找到）"
            else:
                severity, message = Severity.ERROR, f"没有找到“{form.title}”"
                if numbered_own:
                    message += "；其余各部分按本报告自己的编号排列"
            self.findings.append(Finding(severity, "missing-section", message, Location(self.path)))

    def signature(
        self, body: list[SourceBlock], title: titles.Title | None
    ) -> tuple[list[SourceBlock], tuple[int, int, int] | None]:
        """The issuer and date under the last section are the signature, not its text."""
        texts = [i for i, b in enumerate(body) if isinstance(b, TextBlock)]
        if not texts:
            return body, None
        last = texts[-1]
        date = titles.signing_date(body[last].text)  # type: ignore[union-attr]
        if date is None:
            return body, None
        cut = last
        if len(texts) > 1:
            before = body[texts[-2]]
            flat = "".join(before.text.split())  # type: ignore[union-attr]
            if title and (flat == title.issuer or (len(flat) <= 30 and not re.search(r"[。，；]", flat))):
                cut = texts[-2]
        return body[:cut], date

    # ------------------------------------------------------------ sections

    def section_blocks(
        self, form: SectionForm, body: list[SourceBlock], tables: dict[str, TableReading], pages: dict[str, int]
    ) -> tuple[Block, ...]:
        out: list[Block] = []
        items: list[tuple[TextBlock, Location]] = []
        count = 0

        def flush() -> None:
            if items:
                ordered = items[0][0].ordered
                start = int(re.sub(r"\D", "", items[0][0].marker) or 1) if ordered else 1
                out.append(ListBlock(ordered, start, tuple((Paragraph(plain_inlines(t.text), loc),) for t, loc in items), items[0][1]))
                items.clear()

        for block in body:
            count += 1
            location = self.where(f"“{form.title}”第{count}段", block.page)
            if isinstance(block, TableBlock):
                flush()
                key = self.official_table(block, tables, pages)
                if key is not None:
                    if form.table is not None and form.table.key == key:
                        self.tables_in_place.add(key)
                        if out:
                            out.append(OfficialTablePlace(location))
                    else:
                        self.notes.append(f"表{key}出现在“{form.title}”中，已按表{key}读取")
                else:
                    out.append(self.narrative_table(block, location, form))
                continue
            if block.role == "item":
                items.append((block, location))
                continue
            flush()
            out.append(self.text_block(block, location))
        flush()
        return tuple(out)

    def text_block(self, block: TextBlock, location: Location) -> Block:
        text = block.text
        if block.role == "heading":
            level = titles.numbering_level(text) or block.level
            return Heading(min(max(level, 2), 4), plain_inlines(text), location)
        lead = block.lead if block.lead and titles.numbering_level(block.lead) else titles.run_in_heading(text)
        if lead and text.startswith(lead) and len(text) > len(lead):
            level = min(max(titles.numbering_level(lead), 2), 4)
            return Paragraph(plain_inlines(text[len(lead) :]), location, lead=Heading(level, plain_inlines(lead), location))
        level = titles.standalone_heading(text)
        if level:
            return Heading(min(max(level, 2), 4), plain_inlines(text), location)
        return Paragraph(plain_inlines(text), location)

    def narrative_table(self, block: TableBlock, location: Location, form: SectionForm) -> GridTable:
        grid = block.grid()
        rows = []
        for r, row in enumerate(grid):
            rows.append(tuple(plain_inlines(c.text) if c is not None and c.row == r and c.col == col else () for col, c in enumerate(row)))
        if any(c.rowspan > 1 or c.colspan > 1 for c in block.cells):
            self.notes.append(f"“{form.title}”中的一张表格有合并单元格，导入后合并未保留")
        header = rows[0] if rows else ()
        return GridTable(header, tuple(rows[1:]), ("",) * block.n_cols, location)

    def official_table(self, block: TableBlock, tables: dict[str, TableReading], pages: dict[str, int]) -> str | None:
        key = self.kind_of(block)
        if key is None:
            return None
        if key in tables:
            self.notes.append(f"表{key}出现了不止一次，只读取了第一张")
            return key
        page = block.page
        reading = read_table(self.fmt.tables[key], block, lambda place: self.where(place, page), self.fmt)
        if reading.format_2019:
            self.notes.append(f"表{key}是{old_format_name(self.fmt)}，与现行格式的行列不同，未导入其中的数字")
        tables[key] = reading
        pages[key] = page
        return key

    # ------------------------------------------------------------ metadata

    def metadata(self, title: titles.Title | None, intro: list[TextBlock], date: tuple[int, int, int] | None) -> Metadata:
        issuer = title.issuer if title else ""
        year = title.year if title else 0
        text = "\n".join(b.text for b in intro)
        contact = titles.contact_details(text)
        blocks = tuple(self.text_block(b, self.where(f"导语第{i}段", b.page)) for i, b in enumerate(intro, start=1))
        standard = Metadata(issuer, year)
        # A title worded otherwise (关于…的报告, 年度 for 年) is the report's own 标题, line by line as published.
        own_title = title.text if title and "".join(title.text.split()) != standard.full_title else None
        day = datetime.date(*date) if date else None
        printed = f"{day.year}年{day.month}月{day.day}日" if day else None
        return Metadata(issuer, year, contact, blocks or None, printed, date_value=day, written_title=own_title)


_NUMERALS = "一二三四五六七八九十"


def _plain(blocks: tuple[Block, ...]) -> str:
    return "".join("".join(getattr(b, "text", "").split()) for b in blocks)


def _same_text(a: tuple[Block, ...], b: tuple[Block, ...]) -> bool:
    return _plain(a) == _plain(b)
