"""What editors changed in a report: the edited .docx against the report the project builds now.

Both .docx files are read the same way (read/report_docx.py), so only editors' changes differ,
whatever the Word writer prints. The report as built is first matched with the assembled
Document, to know where each of its paragraphs comes from (the section file and line, the
导语, the title, the template); then the edited file's paragraphs are matched with the built
ones: unchanged paragraphs pair by their text, and within a stretch that differs, paragraphs
pair by how much text they share, one may be split into two or two joined into one, and the
rest were added or removed. The three official tables are compared cell by cell at their
positions in the official layout, so a retyped figure is named by its row and column.
Whitespace never counts as a change: Word and LibreOffice move it around.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Literal

from .records import field, record, replace
from .diagnostics import Location
from .document import Document, DocumentSection, OfficialTable
from .format import CellKey
from .model import (
    BlockQuote,
    CodeBlock,
    GridTable,
    Heading,
    ListBlock,
    Paragraph,
    Report,
    inline_text,
)
from .read.report_docx import Body, Comment, Item, Revision, Table
from .read.report_docx import Paragraph as DocParagraph
from .reword import LEAD, SPLIT, Piece, block_pieces

Part = Literal["title", "intro", "section-title", "narrative", "template"]


@record
class Origin:
    """Where a paragraph or table of the report comes from in the project."""

    part: Part
    location: Location | None = None  # where it starts: a run-in heading's paragraph, at its heading
    section: DocumentSection | None = None
    block: object = None  # Heading, Paragraph, CodeBlock, GridTable, OfficialTable; the title line's index
    quoted: bool = False  # inside a block quote or a list, not at the top of its file

    def pieces(self) -> list[Piece]:
        if isinstance(self.block, (Heading, Paragraph)):
            return block_pieces(self.block)
        return []


@record(frozen=False)
class Unit:
    """A paragraph or table of one of the two files, as text to match."""

    kind: Literal["paragraph", "table"]
    text: str
    key: str
    origin: Origin | None = None
    item: Item | None = None


# ---------------------------------------------------------------- what was changed


ChangeKind = Literal["changed", "split", "merged", "added", "removed"]


@record(frozen=False)
class ParagraphChange:
    kind: ChangeKind
    olds: list[Unit]  # as built now, with their origins
    news: list[DocParagraph]  # as edited
    after: Unit | None = None  # for an added paragraph: the built one it follows

    @property
    def old(self) -> str:
        return SPLIT.join(u.text for u in self.olds)

    @property
    def new(self) -> str:
        return SPLIT.join(p.text for p in self.news)

    @property
    def origin(self) -> Origin | None:
        if self.olds:
            return self.olds[0].origin
        return self.after.origin if self.after is not None else None

    @property
    def location(self) -> Location | None:
        """Where a clerk finds the change: the origin's line, but for a run-in heading's paragraph
        the line of the part that changed. A paragraph added after one follows its body; a change
        touching the heading (the heading and the body both, or the paragraph removed) is at the
        heading's line, where the paragraph starts."""
        origin = self.origin
        block = _run_in(origin)
        if block is None:
            return origin.location if origin is not None else None
        if self.kind == "added" or (self.kind != "removed" and not _touches_lead(block, self.old, self.new)):
            return block.location
        return origin.location


def _run_in(origin: Origin | None) -> Paragraph | None:
    """The paragraph a run-in heading opens, with the body's own location, if `origin` is one."""
    block = origin.block if origin is not None else None
    if isinstance(block, Paragraph) and block.lead is not None and block.location is not None:
        return block
    return None


def _lead_key(block: Paragraph) -> str:
    """A run-in heading as printed, as compared."""
    return normalized("".join(p.text for p in block_pieces(block) if p.owner[0] == LEAD))


@record
class CellChange:
    """A value retyped in an official table (`table` 二/三/四) or in a Markdown table (`table` None)."""

    table: str | None
    row: str  # the row's label, as check names cells; a Markdown table: the row number
    column: str
    old: str
    new: str
    key: CellKey | None = None
    location: Location | None = None  # where the value is in the project
    computed: bool = False  # a total zbreport computes: not written back
    grid: GridTable | None = None  # the Markdown table; `key` is then (row, column) in the printed grid


@record
class Remark:
    """A tracked change or a comment, with the paragraph or cell it sits on."""

    kind: Literal["insert", "delete", "comment"]
    author: str
    date: str
    text: str
    anchor: str = ""  # a comment's highlighted text
    origin: Origin | None = None  # of the paragraph it sits on, or for a paragraph the editor added, of the one before
    cell: str = ""  # in a table: the cell's row and column
    added: bool = False  # on a paragraph the editor added
    location: Location | None = None  # in a run-in heading's paragraph, the line of the part it is on


@record(frozen=False)
class Comparison:
    paragraphs: list[ParagraphChange] = field(default_factory=list)
    cells: list[CellChange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # changes that can only be described (a table's layout)
    revisions: list[Remark] = field(default_factory=list)
    comments: list[Remark] = field(default_factory=list)
    accepted: bool = False  # tracked changes applied to the edited text
    shared: float = 1.0  # the share of the built report's paragraphs found in the edited one

    @property
    def unrelated(self) -> bool:
        """Too little in common to be an edit of this report: another report, or the wrong project."""
        return self.shared < _MIN_RELATED

    @property
    def changed(self) -> bool:
        return bool(self.paragraphs or self.cells or self.notes)


# ---------------------------------------------------------------- the built report's units


def document_units(document: Document) -> list[Unit]:
    """The Document's paragraphs and tables in print order, with their origins."""
    units = [_paragraph(line, Origin("title", block=i)) for i, line in enumerate(document.title_lines)]
    units += _blocks(document.intro, "intro", None)
    for section in document.sections:
        units.append(_paragraph(section.title, Origin("section-title", section.source and Location(section.source), section)))
        units += _blocks(section.blocks, "narrative", section)
    return [u for u in units if u.key]


def _paragraph(text: str, origin: Origin) -> Unit:
    return Unit("paragraph", text, normalized(text), origin)


def _blocks(blocks, part: Part, section: DocumentSection | None, quoted: bool = False) -> list[Unit]:
    units: list[Unit] = []
    for block in blocks:
        where = block.start_location if isinstance(block, Paragraph) else getattr(block, "location", None)
        origin = Origin(part, where, section, block, quoted)
        if isinstance(block, (Heading, Paragraph)):
            units.append(_paragraph("".join(p.text for p in origin.pieces()), origin))
        elif isinstance(block, ListBlock):
            for item in block.items:
                units += _blocks(item, part, section, True)
        elif isinstance(block, BlockQuote):
            units += _blocks(block.blocks, part, section, True)
        elif isinstance(block, CodeBlock):
            units.append(_paragraph(block.text, origin))
        elif isinstance(block, GridTable):
            grid = [[inline_text(c) for c in block.header]] + [[inline_text(c) for c in row] for row in block.rows]
            units.append(Unit("table", block.text, table_key(grid), origin))
        elif isinstance(block, OfficialTable):
            layout = block.layout
            first = sorted((c for c in layout.cells if c.row == 0), key=lambda c: c.col)
            grid = [[c.text if c.role != "value" else "" for c in first]]
            units.append(Unit("table", block.title, table_key(grid, (layout.n_rows, layout.n_cols)), origin))
    return units


def _touches_lead(block: Paragraph, old: str, new: str) -> bool:
    """Whether the edit from `old` (which opens with `block` as printed) to `new` changes its run-in heading."""
    lead = _lead_key(block)
    old, new = normalized(old), normalized(new)
    if not old.startswith(lead):
        return True  # not the text we know: say where the paragraph starts
    opcodes = SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    return any(tag != "equal" and i1 < len(lead) for tag, i1, _, _, _ in opcodes)  # text added right after it: the body's


def docx_units(body: Body, accept: bool) -> list[Unit]:
    units = []
    for item in body.items(accept):
        if isinstance(item, Table):
            first = [item.cells[(0, c)] for c in range(item.n_cols) if (0, c) in item.cells]
            units.append(Unit("table", "", table_key([first], (item.n_rows, item.n_cols)), item=item))
        elif normalized(item.text):
            units.append(Unit("paragraph", item.text.strip(), normalized(item.text), item=item))
    return units


_SPACE = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")


def normalized(text: str) -> str:
    """Text as compared: without whitespace of any kind."""
    return _SPACE.sub("", text)


def table_key(first_rows: list[list[str]], shape: tuple[int, int] | None = None) -> str:
    return "\0table:" + (f"{shape[0]}x{shape[1]}:" if shape else "") + "|".join(normalized(t) for t in first_rows[0])


# ---------------------------------------------------------------- matching


Group = tuple[list[int], list[int]]


def match(olds: list[Unit], news: list[Unit], allow_split: bool = True) -> list[Group]:
    """Pair units: equal texts first, then within each stretch that differs by shared text."""
    groups: list[Group] = []
    matcher = SequenceMatcher(None, [u.key for u in olds], [u.key for u in news], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            groups += [([i1 + k], [j1 + k]) for k in range(i2 - i1)]
        else:
            pairs = _best_pairing(olds[i1:i2], news[j1:j2], allow_split)
            groups += [([i1 + i for i in a], [j1 + j for j in b]) for a, b in pairs]
    return groups


_MIN_SHARED = 0.3  # below this share of their text, two paragraphs are a removal and an addition
_MIN_RELATED = 0.5  # an edited report keeps at least half of the report's paragraphs, reworded or not
_MAX_STRETCH = 60  # beyond this, pair in order: a report rewritten from scratch


def _best_pairing(olds: list[Unit], news: list[Unit], allow_split: bool) -> list[Group]:
    """The pairing that shares the most text, by dynamic programming over the stretch."""
    n, m = len(olds), len(news)
    if n > _MAX_STRETCH or m > _MAX_STRETCH:
        groups: list[Group] = [([k], [k]) for k in range(min(n, m))]
        return groups + [([k], []) for k in range(m, n)] + [([], [k]) for k in range(n, m)]
    cache: dict[tuple[str, str], float] = {}

    def shared(a: str, b: str) -> float:
        if (a, b) not in cache:
            blocks = SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
            common = sum(block.size for block in blocks)
            cache[(a, b)] = common if common >= _MIN_SHARED * max(len(a), len(b), 1) else -1
        return cache[(a, b)]

    def same_kind(units: list[Unit], kind: str) -> bool:
        return all(u.kind == kind for u in units)

    best: dict[tuple[int, int], tuple[float, list[Group]]] = {(n, m): (0.0, [])}
    for x in range(n, -1, -1):
        for y in range(m, -1, -1):
            if (x, y) == (n, m):
                continue
            options: list[tuple[float, list[Group]]] = []
            if x < n:
                score, rest = best[(x + 1, y)]
                options.append((score, [([x], [])] + rest))
            if y < m:
                score, rest = best[(x, y + 1)]
                options.append((score, [([], [y])] + rest))
            if x < n and y < m and olds[x].kind == news[y].kind:
                gain = 1.0 if olds[x].kind == "table" else shared(olds[x].key, news[y].key)
                if gain <= 0 and _same_role(olds[x], news[y]):
                    gain = 0.5  # a title rewritten beyond recognition is still the title
                if gain > 0:
                    score, rest = best[(x + 1, y + 1)]
                    options.append((score + gain, [([x], [y])] + rest))
            if allow_split and x < n and y + 1 < m and same_kind([olds[x], news[y], news[y + 1]], "paragraph"):
                gain = shared(olds[x].key, news[y].key + news[y + 1].key)
                if gain > 0:
                    score, rest = best[(x + 1, y + 2)]
                    options.append((score + gain, [([x], [y, y + 1])] + rest))
            if allow_split and x + 1 < n and y < m and same_kind([olds[x], olds[x + 1], news[y]], "paragraph"):
                gain = shared(olds[x].key + olds[x + 1].key, news[y].key)
                if gain > 0:
                    score, rest = best[(x + 2, y + 1)]
                    options.append((score + gain, [([x, x + 1], [y])] + rest))
            best[(x, y)] = max(options, key=lambda option: option[0])
    return best[(0, 0)][1]


_ROLES = {"title": re.compile(r"(?i)title|标题"), "section-title": re.compile(r"(?i)heading\s*1|标题\s*1")}


def _same_role(old: Unit, new: Unit) -> bool:
    """A title line or a section title, and a paragraph in the style Word gives those."""
    role = _ROLES.get(old.origin.part) if old.origin is not None else None
    style = getattr(new.item, "style", "") or ""
    return role is not None and role.fullmatch(style.strip()) is not None


def attach_origins(built: list[Unit], document: Document) -> None:
    """Give each unit of the built report the origin of the Document unit it prints; the rest are the template's."""
    expected = document_units(document)
    for olds, news in match(expected, built, allow_split=False):
        if len(olds) == 1 and len(news) == 1:
            built[news[0]].origin = expected[olds[0]].origin
    for unit in built:
        if unit.origin is None:
            unit.origin = Origin("template")


# ---------------------------------------------------------------- comparing


def compare(report: Report, document: Document, built: Body, edited: Body, accept: bool) -> Comparison:
    """The editors' changes: `built` is the project's report as built now, `edited` the editors' file."""
    olds = docx_units(built, accept=True)
    attach_origins(olds, document)
    news = docx_units(edited, accept)
    result = Comparison(accepted=accept)
    where_new: dict[int, tuple[Unit | None, bool]] = {}  # id(edited item) -> the built unit it stands for, added
    previous: Unit | None = None
    for old_ids, new_ids in match(olds, news):
        old_units = [olds[i] for i in old_ids]
        new_units = [news[j] for j in new_ids]
        for unit in new_units:
            where_new[id(unit.item)] = (old_units[0], False) if old_units else (previous, True)
        if old_units and old_units[0].kind == "table" and new_units:
            _compare_table(report, old_units[0], new_units[0].item, result)  # type: ignore[arg-type]
        elif old_units and old_units[0].kind == "table":
            result.notes.append(f"删除了表格（{_table_name(old_units[0])}）")
        elif new_units and new_units[0].kind == "table":
            result.notes.append("新增了一个表格（项目中没有，不会写回）")
        else:
            change = _paragraph_change(old_units, new_units, previous)
            if change is not None:
                result.paragraphs.append(change)
        if old_units:
            previous = old_units[-1]
    _remarks(report, edited, news, where_new, result)
    _compare_footnotes(built.footnotes(True), edited.footnotes(accept), result)
    narrative = [u for u in olds if u.kind == "paragraph" and u.origin is not None and u.origin.part != "template"]
    lost = sum(len(c.olds) for c in result.paragraphs if c.kind == "removed")
    result.shared = 1 - lost / len(narrative) if narrative else 1.0
    return result


def _paragraph_change(olds: list[Unit], news: list[Unit], previous: Unit | None) -> ParagraphChange | None:
    items: list[DocParagraph] = [u.item for u in news]  # type: ignore[misc]
    if not news:
        return ParagraphChange("removed", olds, [])
    if not olds:
        return ParagraphChange("added", [], items, after=previous)
    if len(news) > 1:
        return ParagraphChange("split", olds, items)
    if len(olds) > 1:
        return ParagraphChange("merged", olds, items)
    if olds[0].key == news[0].key:
        return None
    return ParagraphChange("changed", olds, items)


def _table_name(unit: Unit) -> str:
    block = unit.origin.block if unit.origin else None
    if isinstance(block, OfficialTable):
        return f"表{block.key}"
    return "Markdown 表格" + (f"，{unit.origin.location}" if unit.origin and unit.origin.location else "")


def _compare_table(report: Report, old: Unit, new: Table, result: Comparison) -> None:
    built: Table = old.item  # type: ignore[assignment]
    block = old.origin.block if old.origin else None
    if (built.n_rows, built.n_cols) != (new.n_rows, new.n_cols):
        result.notes.append(
            f"{_table_name(old)}的行数或列数被改动（{built.n_rows}×{built.n_cols} → {new.n_rows}×{new.n_cols}），无法逐格比较"
        )
        return
    if isinstance(block, OfficialTable):
        form = report.format.tables[block.key]
        data = report.tables.get(block.key)
        for spot in block.layout.cells:
            was = built.text_at(spot.row, spot.col) or ""
            now = new.text_at(spot.row, spot.col)
            if now is None or normalized(now) == normalized(was):
                continue
            if spot.role == "value" and spot.cell is not None:
                cell = form.cell(spot.cell)
                location = data.location_of(spot.cell) if data is not None else None
                result.cells.append(
                    CellChange(block.key, cell.row_label, cell.col_label, was, now.strip(), spot.cell, location, cell.computed)
                )
            else:
                result.notes.append(f"表{block.key}的表头“{was}”被改为“{now.strip()}”（表头是官方格式，不会写回）")
    elif isinstance(block, GridTable):
        for (row, col), was in sorted(built.cells.items()):
            now = new.text_at(row, col)
            if now is not None and normalized(now) != normalized(was):
                where = block.location
                result.cells.append(
                    CellChange(None, f"第{row + 1}行", f"第{col + 1}列", was, now.strip(), (str(row), str(col)), where, grid=block)
                )
    elif any(normalized(new.text_at(*position) or "") != normalized(was) for position, was in built.cells.items()):
        result.notes.append("模板中的表格被修改（不在项目中，不会写回）")


def _compare_footnotes(olds: list[str], news: list[str], result: Comparison) -> None:
    """Word footnotes, kept in their own part: an edit is said, to be made in the Markdown by hand."""
    matcher = SequenceMatcher(None, [normalized(t) for t in olds], [normalized(t) for t in news], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        for old, new in zip(olds[i1:i2], news[j1:j2]):
            result.notes.append(f"脚注“{old}”被改为“{new}”（脚注写在 Markdown 文件末尾的 [^…]: 处，请在那里修改）")
        for old in olds[i1 + (j2 - j1) : i2]:
            result.notes.append(f"删除了脚注“{old}”（请在 Markdown 文件中删去它的引用和定义）")
        for new in news[j1 + (i2 - i1) : j2]:
            result.notes.append(f"新增了脚注“{new}”（请在 Markdown 文件中用 [^…] 添加）")


def _remarks(
    report: Report, edited: Body, news: list[Unit], where_new: dict[int, tuple[Unit | None, bool]], result: Comparison
) -> None:
    """Tracked changes and comments with the paragraph or cell they sit on, in document order."""
    placed_revisions: set[int] = set()
    placed_comments: set[str] = set()
    for unit in news:
        built, added = where_new.get(id(unit.item), (None, False))
        origin = built.origin if built is not None else None
        item = unit.item
        spots: list[tuple[int, tuple[int, int] | None]] = []
        notes: list[tuple[str, tuple[int, int] | None]] = []
        if isinstance(item, Table):
            spots, notes = list(item.revisions), list(item.comments)  # type: ignore[arg-type]
        elif item is not None:
            spots = [(index, None) for index in item.revisions]
            notes = [(cid, None) for cid in item.comments]
        for index, position in spots:
            if index not in placed_revisions:
                placed_revisions.add(index)
                cell = _cell_name(report, built, position) if position is not None else ""
                remark = _revision(edited.revisions[index], origin, cell, added)
                result.revisions.append(replace(remark, location=_remark_location(origin, item, index, added)))
        for cid, position in notes:
            if cid not in placed_comments and cid in edited.comments:
                placed_comments.add(cid)
                cell = _cell_name(report, built, position) if position is not None else ""
                remark = _comment(edited.comments[cid], origin, cell, added)
                result.comments.append(replace(remark, location=_remark_location(origin, item, cid, added)))
    # Changes and comments on paragraphs this reading leaves out (an insertion of a whole
    # paragraph, before it is accepted), or on nothing the reader found: listed all the same.
    for index, revision in enumerate(edited.revisions):
        if index not in placed_revisions:
            result.revisions.append(_revision(revision, None))
    for cid, comment in edited.comments.items():
        if cid not in placed_comments:
            result.comments.append(_comment(comment, None))


def _remark_location(origin: Origin | None, item: Item | None, key: int | str, added: bool) -> Location | None:
    """For a remark in a run-in heading's paragraph, the line of the part it starts in: the
    heading's while it is in the heading's text (or the heading was reworded), else the body's.
    On a paragraph added after one, the body's, which it follows."""
    block = _run_in(origin)
    if block is None:
        return None
    if added:
        return block.location
    if not isinstance(item, DocParagraph) or key not in item.at:
        return None
    lead = _lead_key(block)
    if not normalized(item.text).startswith(lead) or len(normalized(item.text[: item.at[key]])) < len(lead):
        return None
    return block.location


def _revision(revision: Revision, origin: Origin | None, cell: str = "", added: bool = False) -> Remark:
    text = revision.text
    if revision.paragraph_mark:
        text = "（分段）" if revision.kind == "insert" else "（与下一段合并）"
    return Remark(revision.kind, revision.author, revision.date, text, "", origin, cell, added)


def _comment(comment: Comment, origin: Origin | None, cell: str = "", added: bool = False) -> Remark:
    return Remark("comment", comment.author, comment.date, comment.text, comment.anchor, origin, cell, added)


def _cell_name(report: Report, built: Unit | None, position: tuple[int, int]) -> str:
    """A table cell as `check` names it (row · column), or by its row and column numbers."""
    block = built.origin.block if built is not None and built.origin is not None else None
    if isinstance(block, OfficialTable):
        for spot in block.layout.cells:
            if (spot.row, spot.col) == position:
                if spot.role == "value" and spot.cell is not None:
                    return report.format.tables[block.key].cell(spot.cell).name
                return spot.text
    return f"第{position[0] + 1}行第{position[1] + 1}列"
