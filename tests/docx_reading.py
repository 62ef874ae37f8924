"""Reading a produced .docx the way a reader sees it: text, table grids, merges, styles, and the
package's own parts (relationships, footnotes, numbering) where python-docx has no reader."""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.table import Table
from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}


def open_docx(path: Path):
    return docx.Document(str(path))


def text_grid(table: Table) -> list[list[str]]:
    """Every grid position's text; a merged cell's text shows at each position it covers."""
    return [[cell.text.strip() for cell in row.cells] for row in table.rows]


def table_after_heading(document, heading: str) -> Table:
    """The first table that follows the paragraph reading `heading`."""
    body = document.element.body
    seen = False
    for child in body.iterchildren():
        if child.tag == qn("w:p") and "".join(t.text or "" for t in child.iter(qn("w:t"))) == heading:
            seen = True
        elif child.tag == qn("w:tbl") and seen:
            return Table(child, document._body)
    raise AssertionError(f"no table after {heading!r}")


def span_of(table: Table, text: str) -> tuple[int, int]:
    """(rows, columns) the cell holding exactly `text` covers."""
    for r, tr in enumerate(table._tbl.tr_lst):
        for tc in tr.tc_lst:
            if "".join(t.text or "" for t in tc.iter(qn("w:t"))).strip() == text:
                rows = 1
                if tc.vMerge == "restart":
                    rows = _vmerge_rows(table, r, tc)
                return rows, tc.grid_span
    raise AssertionError(f"no cell {text!r}")


def _vmerge_rows(table: Table, start: int, tc) -> int:
    col = _grid_col(tc)
    rows = 1
    for tr in table._tbl.tr_lst[start + 1 :]:
        below = next((c for c in tr.tc_lst if _grid_col(c) == col), None)
        if below is None or below.vMerge != "continue":
            break
        rows += 1
    return rows


def _grid_col(tc) -> int:
    col = 0
    for sibling in tc.getparent().tc_lst:
        if sibling is tc:
            return col
        col += sibling.grid_span
    raise AssertionError("cell not in its row")


def style_east_asian_font(document, style_name: str) -> str | None:
    rpr = document.styles[style_name].element.find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


# ---------------------------------------------------------------- the package, part by part


class Package:
    """A .docx opened as a zip of XML parts, read with lxml: what any consumer sees."""

    def __init__(self, path: Path) -> None:
        with zipfile.ZipFile(path) as package:
            self.files = {name: package.read(name) for name in package.namelist()}

    def xml(self, name: str):
        return etree.fromstring(self.files[name])

    def relationships(self, part: str) -> dict[str, dict[str, str]]:
        """The part's relationships by id: Type, Target (resolved to a part name unless external), TargetMode."""
        folder, file = posixpath.split(part)
        rels = f"{folder}/_rels/{file}.rels"
        if rels not in self.files:
            return {}
        out = {}
        for rel in self.xml(rels).iter(f"{{{NS['rel']}}}Relationship"):
            target = rel.get("Target")
            if rel.get("TargetMode") != "External":
                target = posixpath.normpath(posixpath.join(folder, target))
            out[rel.get("Id")] = {"Type": rel.get("Type").rsplit("/", 1)[-1], "Target": target, "TargetMode": rel.get("TargetMode", "")}
        return out

    def style_ids(self) -> dict[str, str]:
        """Style name (as styles.xml spells it) → style id."""
        styles = self.xml("word/styles.xml")
        return {s.find("w:name", NS).get(qn("w:val")): s.get(qn("w:styleId")) for s in styles.iterfind("w:style", NS)}


def text_of(element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{{{W}}}t"))


def paragraph_with(root, text: str):
    """The first w:p whose text contains `text`."""
    for paragraph in root.iter(f"{{{W}}}p"):
        if text in text_of(paragraph):
            return paragraph
    raise AssertionError(f"no paragraph with {text!r}")


def paragraph_style(paragraph) -> str | None:
    style = paragraph.find("w:pPr/w:pStyle", NS)
    return style.get(qn("w:val")) if style is not None else None


def run_with(root, text: str):
    """The first w:r whose own text is exactly `text`."""
    for run in root.iter(f"{{{W}}}r"):
        if text_of(run) == text:
            return run
    raise AssertionError(f"no run {text!r}")


def run_style(run) -> str | None:
    style = run.find("w:rPr/w:rStyle", NS)
    return style.get(qn("w:val")) if style is not None else None
