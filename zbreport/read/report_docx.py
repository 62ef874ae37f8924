"""A .docx as editors return it: the body's paragraphs and tables as text, tracked changes, comments.

Only what a reader of the page reads counts: the text of runs, wherever Word, WPS or LibreOffice
put it (runs split anywhere, proofing marks, rsids, bookmarks, hyperlinks, fields, content
controls); formatting is ignored. Tracked changes give two readings of the same file: the text
with the changes accepted, and the text as it was before them (`Body.items(accept=…)`); a
paragraph mark inserted as a tracked change (an editor pressing Enter) joins two paragraphs
in the reading before the changes, a deleted one joins them in the reading after.
Parsing is done without entities or network access: the file comes from outside.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from pathlib import Path
from typing import Iterator, Literal, Union

from lxml import etree

from ..records import field, record
from ..diagnostics import InputError, Location

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_STRICT_W = b"http://purl.oclc.org/ooxml/wordprocessingml/main"
_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


_P, _TBL, _TR, _TC, _T, _DEL_TEXT = w("p"), w("tbl"), w("tr"), w("tc"), w("t"), w("delText")
_INSERTED = {w("ins"), w("moveTo")}
_DELETED = {w("del"), w("moveFrom")}
_BREAKS = {w("br"), w("cr")}
_CONTAINERS = {w("sdt"), w("sdtContent"), w("customXml"), w("smartTag")}  # wrappers around body content


@record
class Revision:
    """A tracked change: text inserted or deleted, by whom and when."""

    kind: Literal["insert", "delete"]
    author: str
    date: str  # as Word writes it: 2025-01-10T09:30:00Z
    text: str
    paragraph_mark: bool = False  # a paragraph split (mark inserted) or joined (mark deleted)


@record
class Comment:
    id: str
    author: str
    date: str
    text: str
    anchor: str = ""  # the text the comment is attached to


@record(frozen=False)
class Piece:
    """A stretch of a paragraph's text, and which reading it belongs to."""

    text: str
    revision: int | None = None  # index into the body's revisions
    inserted: bool = False
    deleted: bool = False


@record(frozen=False)
class RawParagraph:
    style: str
    pieces: list[Piece] = field(default_factory=list)
    mark_inserted: bool = False  # the paragraph mark is a tracked insertion: Enter pressed with changes tracked
    mark_deleted: bool = False
    comments: list[str] = field(default_factory=list)  # ids of comments that start here
    comment_at: dict[str, int] = field(default_factory=dict)  # the piece each of them starts at

    def text(self, accept: bool) -> str:
        return "".join(p.text for p in self.pieces if not (p.deleted if accept else p.inserted))


@record(frozen=False)
class Paragraph:
    """A paragraph in one reading: its text, and the tracked changes and comments on it."""

    style: str
    text: str
    revisions: list[int] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    at: dict[int | str, int] = field(default_factory=dict)  # where in `text` each revision and comment starts


@record(frozen=False)
class Table:
    """A table by grid position: each cell's text at the row and column where it starts."""

    n_rows: int
    n_cols: int
    cells: dict[tuple[int, int], str]
    revisions: list[tuple[int, tuple[int, int]]] = field(default_factory=list)  # (revision, cell)
    comments: list[tuple[str, tuple[int, int]]] = field(default_factory=list)  # (comment id, cell)

    def text_at(self, row: int, col: int) -> str | None:
        return self.cells.get((row, col))


Item = Union[Paragraph, Table]


@record(frozen=False)
class _RawTable:
    n_rows: int
    n_cols: int
    cells: dict[tuple[int, int], list[RawParagraph]]


class Body:
    """The body of a .docx, read once; `items` gives either reading."""

    def __init__(
        self,
        blocks: list[RawParagraph | _RawTable],
        revisions: list[Revision],
        comments: dict[str, Comment],
        notes: list[list[RawParagraph]] | None = None,
    ):
        self._blocks = blocks
        self.revisions = revisions
        self.comments = comments
        self._notes = notes or []

    def footnotes(self, accept: bool) -> list[str]:
        """The footnotes' texts, in the order the notes part holds them."""
        return ["\n".join(p.text(accept) for p in note).strip() for note in self._notes]

    def items(self, accept: bool) -> list[Item]:
        """Paragraphs and tables in order, with tracked changes accepted or not yet applied."""
        out: list[Item] = []
        pending: list[RawParagraph] = []
        for block in self._blocks:
            if isinstance(block, _RawTable):
                if pending:
                    out.append(_joined(pending, accept))
                    pending = []
                out.append(self._table(block, accept))
                continue
            pending.append(block)
            # A paragraph mark that does not exist in this reading joins the paragraph to the next.
            if not (block.mark_deleted if accept else block.mark_inserted):
                out.append(_joined(pending, accept))
                pending = []
        if pending:
            out.append(_joined(pending, accept))
        return out

    def _table(self, table: _RawTable, accept: bool) -> Table:
        cells = {}
        revisions: list[tuple[int, tuple[int, int]]] = []
        comments: list[tuple[str, tuple[int, int]]] = []
        for position, paragraphs in table.cells.items():
            cells[position] = "\n".join(p.text(accept) for p in paragraphs).strip()
            for paragraph in paragraphs:
                revisions += [(r, position) for r in _revisions_of(paragraph)]
                comments += [(c, position) for c in paragraph.comments]
        return Table(table.n_rows, table.n_cols, cells, revisions, comments)


def _revisions_of(paragraph: RawParagraph) -> list[int]:
    seen: list[int] = []
    for piece in paragraph.pieces:
        if piece.revision is not None and piece.revision not in seen:
            seen.append(piece.revision)
    return seen


def _joined(paragraphs: list[RawParagraph], accept: bool) -> Paragraph:
    at: dict[int | str, int] = {}
    offset = 0
    for paragraph in paragraphs:
        starts = {index: cid for cid, index in paragraph.comment_at.items()}
        for index, piece in enumerate(paragraph.pieces + [Piece("")]):
            if index in starts:
                at.setdefault(starts[index], offset)
            if piece.revision is not None:
                at.setdefault(piece.revision, offset)
            if not (piece.deleted if accept else piece.inserted):
                offset += len(piece.text)
    return Paragraph(
        paragraphs[0].style,
        "".join(p.text(accept) for p in paragraphs),
        [r for p in paragraphs for r in _revisions_of(p)],
        [c for p in paragraphs for c in p.comments],
        at,
    )


# ---------------------------------------------------------------- reading the package


def read_docx(path: Path) -> Body:
    """The body of the .docx at `path`, a file from outside: sizes, zip bombs and DTDs are refused
    as the published-report reader refuses them (read/published/limits.py)."""
    from .published import limits

    limits.check_file(path)
    with limits.open_zip(path, "Word 文档") as archive:

        def part(name: str) -> bytes | None:
            return limits.read_member(archive, name, path)

        return _read(part, lambda data, name: limits.parse_xml(data, name, path), path)


def read_docx_bytes(data: bytes) -> Body:
    """The body of a .docx zbreport has just made in memory."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        return _read(lambda name: archive.read(name) if name in names else None, lambda xml, _: etree.fromstring(xml, _PARSER))


def _read(read_part, parse, path: Path | None = None) -> Body:
    def part(name: str | None) -> bytes | None:
        data = read_part(name) if name else None
        # Word can save "Strict Open XML": the same markup in another namespace.
        return data.replace(_STRICT_W, W.encode()) if data is not None else None

    def xml(name: str | None):
        data = part(name)
        return parse(data, name) if data else None

    package_rels = part("_rels/.rels")
    main = _target(package_rels, "", "/officeDocument") if package_rels else None
    document = xml(main)
    body = document.find(w("body")) if document is not None else None
    if body is None:
        raise InputError("无法读取：不是 Word 文档（.docx），或文件已损坏", Location(path) if path else None)
    rels = part(posixpath.join(posixpath.dirname(main), "_rels", posixpath.basename(main) + ".rels")) or b""  # type: ignore[arg-type]
    styles = _style_names(xml(_target(rels, main, "/styles")) if rels else None)  # type: ignore[arg-type]
    comments = _comments(xml(_target(rels, main, "/comments")) if rels else None)  # type: ignore[arg-type]
    footnotes = xml(_target(rels, main, "/footnotes")) if rels else None  # type: ignore[arg-type]
    reader = _Reader(styles, comments)
    blocks = reader.blocks(body)
    notes = []
    if footnotes is not None:
        for note in footnotes.iter(w("footnote")):
            if note.get(w("type"), "normal") == "normal":  # not the separator lines Word keeps there
                notes.append([reader.paragraph(p) for p in note.iter(_P)])
    anchors = reader.anchors
    comments = {
        cid: Comment(c.id, c.author, c.date, c.text, "".join(anchors.get(cid, [])).strip()) for cid, c in comments.items()
    }
    return Body(blocks, reader.revisions, comments, notes)


def _target(rels: bytes, source: str, type_suffix: str) -> str | None:
    """The part a relationship of this type points to, as a name inside the package."""
    try:
        root = etree.fromstring(rels, _PARSER)
    except etree.XMLSyntaxError:
        return None
    for relationship in root.iter(f"{{{_REL}}}Relationship"):
        if relationship.get("Type", "").endswith(type_suffix) and relationship.get("TargetMode") != "External":
            target = relationship.get("Target", "")
            if target.startswith("/"):
                return target.lstrip("/")
            return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
    return None


def _style_names(root) -> dict[str, str]:
    if root is None:
        return {}
    names = {}
    for style in root.iter(w("style")):
        name = style.find(w("name"))
        names[style.get(w("styleId"), "")] = name.get(w("val"), "") if name is not None else ""
    return names


def _comments(root) -> dict[str, Comment]:
    if root is None:
        return {}
    comments = {}
    for comment in root.iter(w("comment")):
        cid = comment.get(w("id"), "")
        text = "\n".join(_plain_text(p) for p in comment.iter(_P)).strip()
        comments[cid] = Comment(cid, comment.get(w("author"), ""), comment.get(w("date"), ""), text)
    return comments


def _plain_text(paragraph) -> str:
    return "".join(t.text or "" for t in paragraph.iter(_T))


class _Reader:
    def __init__(self, styles: dict[str, str], comments: dict[str, Comment]) -> None:
        self.styles = styles
        self.known_comments = comments
        self.revisions: list[Revision] = []
        self._revision_of: dict[int, int] = {}  # id(w:ins / w:del element) -> revision index
        self.anchors: dict[str, list[str]] = {}  # comment id -> its text
        self._open: set[str] = set()  # comments whose range is open where we read

    def blocks(self, container) -> list[RawParagraph | _RawTable]:
        out: list[RawParagraph | _RawTable] = []
        for child in container:
            if child.tag == _P:
                out.append(self.paragraph(child))
            elif child.tag == _TBL:
                out.append(self.table(child))
            elif child.tag in _CONTAINERS:
                out += self.blocks(child)
        return out

    def table(self, table) -> _RawTable:
        cells: dict[tuple[int, int], list[RawParagraph]] = {}
        rows = [tr for tr in _children(table, {w("tr")})]
        n_cols = 0
        for r, row in enumerate(rows):
            col = _int_val(row.find(f"{w('trPr')}/{w('gridBefore')}"))
            for cell in _children(row, {_TC}):
                properties = cell.find(w("tcPr"))
                span = _int_val(properties.find(w("gridSpan")) if properties is not None else None) or 1
                merge = properties.find(w("vMerge")) if properties is not None else None
                paragraphs = [self.paragraph(p) for p in self.cell_paragraphs(cell)]
                continues = merge is not None and merge.get(w("val"), "continue") == "continue"
                if not continues:  # a vertically merged cell's text belongs to where it starts
                    cells[(r, col)] = paragraphs
                col += span
            n_cols = max(n_cols, col)
        return _RawTable(len(rows), n_cols, cells)

    def cell_paragraphs(self, cell) -> Iterator:
        """The paragraphs of a cell, nested tables' paragraphs included, in reading order."""
        for child in cell:
            if child.tag == _P:
                yield child
            elif child.tag == _TBL:
                for paragraph in child.iter(_P):
                    yield paragraph
            elif child.tag in _CONTAINERS:
                yield from self.cell_paragraphs(child)

    def paragraph(self, element) -> RawParagraph:
        style_id = element.find(f"{w('pPr')}/{w('pStyle')}")
        style = self.styles.get(style_id.get(w("val"), ""), style_id.get(w("val"), "")) if style_id is not None else ""
        paragraph = RawParagraph(style)
        mark = element.find(f"{w('pPr')}/{w('rPr')}")
        if mark is not None:
            for change in (mark.find(w("ins")), mark.find(w("del"))):
                if change is None:
                    continue
                inserted = change.tag == w("ins")
                paragraph.mark_inserted |= inserted
                paragraph.mark_deleted |= not inserted
                kind: Literal["insert", "delete"] = "insert" if inserted else "delete"
                self.revisions.append(Revision(kind, change.get(w("author"), ""), change.get(w("date"), ""), "", True))
                paragraph.pieces.append(Piece("", len(self.revisions) - 1, inserted, not inserted))
        for node in element.iter():
            if node is element or next(node.iterancestors(_P), None) is not element:
                continue  # a text box's paragraph inside this one
            tag = node.tag
            if tag == w("commentRangeStart"):
                self.open_comment(node.get(w("id"), ""), paragraph)
            elif tag == w("commentRangeEnd"):
                self._open.discard(node.get(w("id"), ""))
            elif tag == w("commentReference"):
                cid = node.get(w("id"), "")
                if cid not in self.anchors:  # a comment without a range sits where it is referenced
                    self.open_comment(cid, paragraph)
                    self._open.discard(cid)
            text = _text_of(node)
            if text is None or _in_fallback(node, element):
                continue
            piece = Piece(text)
            change = _change_of(node, element)
            if change is not None:
                piece.inserted = change.tag in _INSERTED
                piece.deleted = not piece.inserted
                piece.revision = self.revision(change, piece.inserted, text)
            paragraph.pieces.append(piece)
            if not piece.deleted:
                for cid in self._open:
                    self.anchors[cid].append(text)
        return paragraph

    def open_comment(self, cid: str, paragraph: RawParagraph) -> None:
        self.anchors.setdefault(cid, [])
        self._open.add(cid)
        if cid not in paragraph.comments:
            paragraph.comments.append(cid)
            paragraph.comment_at[cid] = len(paragraph.pieces)

    def revision(self, change, inserted: bool, text: str) -> int:
        """One revision per w:ins / w:del, joined with the one before when Word split a change."""
        key = id(change)
        if key in self._revision_of:
            index = self._revision_of[key]
            self.revisions[index] = _extended(self.revisions[index], text)
            return index
        kind: Literal["insert", "delete"] = "insert" if inserted else "delete"
        author, date = change.get(w("author"), ""), change.get(w("date"), "")
        previous = change.getprevious()
        if self.revisions and previous is not None and id(previous) in self._revision_of:
            last = self._revision_of[id(previous)]
            before = self.revisions[last]
            if (before.kind, before.author, before.date) == (kind, author, date):
                self._revision_of[key] = last
                self.revisions[last] = _extended(before, text)
                return last
        self.revisions.append(Revision(kind, author, date, text))
        self._revision_of[key] = len(self.revisions) - 1
        return len(self.revisions) - 1


def _extended(revision: Revision, text: str) -> Revision:
    return Revision(revision.kind, revision.author, revision.date, revision.text + text)


def _text_of(node) -> str | None:
    """What a reader reads for this element, or None for markup that is not text."""
    tag = node.tag
    if tag in (_T, _DEL_TEXT):
        return node.text or ""
    if tag == w("tab"):
        return "\t" if node.getparent() is not None and node.getparent().tag == w("r") else None
    if tag in _BREAKS:
        kind = node.get(w("type"), "textWrapping")
        return "\n" if kind == "textWrapping" else None  # page and column breaks are layout
    if tag == w("noBreakHyphen"):
        return "-"
    return None


def _change_of(node, paragraph):
    """The w:ins / w:del (or move) this text sits in, inside the paragraph; None if it is not tracked."""
    for ancestor in node.iterancestors():
        if ancestor is paragraph:
            return None
        if ancestor.tag in _INSERTED or ancestor.tag in _DELETED:
            return ancestor
    return None


def _in_fallback(node, paragraph) -> bool:
    """Inside mc:Fallback, the copy of content an older Word would show instead of the choice."""
    for ancestor in node.iterancestors():
        if ancestor is paragraph:
            return False
        if ancestor.tag == _MC_FALLBACK:
            return True
    return False


def _children(element, tags: set[str]) -> Iterator:
    for child in element:
        if child.tag in tags:
            yield child
        elif child.tag in _CONTAINERS:
            yield from _children(child, tags)


def _int_val(element) -> int:
    if element is None:
        return 0
    try:
        return int(element.get(w("val"), "0"))
    except ValueError:
        return 0
