"""The raw WordprocessingML zbreport needs where python-docx has no API, in one place.

Names say what Word does with the markup, so the layout code above reads like a
description of the document.
"""

from __future__ import annotations

from copy import deepcopy

from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.table import Table, _Row

MM_TO_TWIPS = 1440 / 25.4


def twips(mm: float) -> int:
    return round(mm * MM_TO_TWIPS)


def repeat_as_header_row(row: _Row) -> None:
    """Word repeats this row at the top of every page the table continues on (w:tblHeader)."""
    _row_property(row, "w:tblHeader")


def keep_row_on_one_page(row: _Row) -> None:
    """Word moves the whole row to the next page rather than splitting it (w:cantSplit)."""
    _row_property(row, "w:cantSplit")


def _row_property(row: _Row, tag: str) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn(tag)) is None:
        tr_pr.append(OxmlElement(tag))


def fix_column_widths(table: Table, widths_mm: tuple[float, ...]) -> None:
    """A fixed layout with these column widths: the grid, every cell, and the table's own width.

    Word reads tcW, LibreOffice reads the grid; both are set so the two agree.
    """
    tbl_pr = table._tbl.tblPr
    layout = tbl_pr.find(qn("w:tblLayout"))
    if layout is None:
        layout = OxmlElement("w:tblLayout")
        tbl_pr.append(layout)
    layout.set(qn("w:type"), "fixed")
    table_width = tbl_pr.find(qn("w:tblW"))
    if table_width is None:
        table_width = OxmlElement("w:tblW")
        tbl_pr.append(table_width)
    table_width.set(qn("w:w"), str(sum(twips(w) for w in widths_mm)))
    table_width.set(qn("w:type"), "dxa")
    for grid_col, width in zip(table._tbl.tblGrid.gridCol_lst, widths_mm):
        grid_col.w = Mm(width)
    for row in table.rows:
        col = 0
        for tc in row._tr.tc_lst:
            span = tc.grid_span
            tc.width = Mm(sum(widths_mm[col : col + span]))
            col += span


# ---------------------------------------------------------------- templates

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def text_nodes(paragraph) -> list:
    """The w:t of a paragraph in reading order, whatever runs, links or revisions hold them;
    not those of a paragraph nested inside it (a text box)."""
    return [t for t in paragraph.iter(qn("w:t")) if next(t.iterancestors(qn("w:p")), None) is paragraph]


def paragraph_text(paragraph) -> str:
    return "".join(t.text or "" for t in text_nodes(paragraph))


def replace_text(paragraph, start: int, end: int, value: str) -> None:
    """Replace characters start:end of the paragraph's text, however Word split them into runs.

    The value goes into the run where the replaced text began, so it keeps that run's formatting;
    the rest of the replaced text is removed from the runs that held it.
    """
    position = 0
    placed = False
    for node in text_nodes(paragraph):
        text = node.text or ""
        node_start, node_end = position, position + len(text)
        position = node_end
        if node_end <= start or node_start >= end:
            continue
        keep_before = text[: max(start - node_start, 0)]
        keep_after = text[max(end - node_start, 0) :] if end < node_end else ""
        node.text = keep_before + ("" if placed else value) + keep_after
        node.set(XML_SPACE, "preserve")
        placed = True


def template_parts(document: Document):
    """(kind, root element) of the body and of every header and footer part: where text can be."""
    yield "body", document.element.body
    for part in document.part.package.iter_parts():
        kind = part.partname.rsplit("/", 1)[-1]
        if kind.startswith(("header", "footer")) and hasattr(part, "element"):
            yield ("header" if kind.startswith("header") else "footer"), part.element


def carries_section_break(paragraph) -> bool:
    """A paragraph whose properties end a section (w:pPr/w:sectPr): removing it would merge two sections."""
    properties = paragraph.find(qn("w:pPr"))
    return properties is not None and properties.find(qn("w:sectPr")) is not None


def remove_runs(paragraph) -> None:
    for child in list(paragraph):
        if child.tag != qn("w:pPr"):
            paragraph.remove(child)


def text_width_mm(document: Document) -> float | None:
    """The width between the margins of the document's last section, where the report goes."""
    section = document.sections[-1]
    if section.page_width is None or section.left_margin is None or section.right_margin is None:
        return None
    return (section.page_width - section.left_margin - section.right_margin) / 36000  # EMU per mm


def copy_styles(source: Document, target: Document, names: list[str]) -> None:
    """Copy the named styles from `source` into `target`, with the styles they are based on or
    linked to where `target` lacks those, renaming a style id that `target` already uses."""
    source_by_id = {s.style_id: s for s in source.styles}
    target_names = {s.name for s in target.styles}
    target_ids = {s.style_id: s for s in target.styles}
    copied: dict[str, str] = {}  # source style id -> id in target

    def copy(style_id: str) -> str:
        if style_id in copied:
            return copied[style_id]
        style = source_by_id[style_id]
        if style.name in target_names:
            same = next(s for s in target.styles if s.name == style.name)
            copied[style_id] = same.style_id
            return same.style_id
        element = deepcopy(style.element)
        new_id = style_id if style_id not in target_ids else f"zbreport{style_id}"
        copied[style_id] = new_id
        element.set(qn("w:styleId"), new_id)
        element.attrib.pop(qn("w:default"), None)
        for tag in ("w:basedOn", "w:link", "w:next"):
            reference = element.find(qn(tag))
            if reference is None:
                continue
            referenced = reference.get(qn("w:val"))
            if referenced in source_by_id and (tag != "w:link" or source_by_id[referenced].name in names):
                reference.set(qn("w:val"), copy(referenced))
            elif tag == "w:link":
                element.remove(reference)  # a link to a style not copied would dangle
        target.styles.element.append(element)
        target_names.add(style.name)
        return new_id

    source_by_name = {s.name: s for s in source.styles}
    for name in names:
        copy(source_by_name[name].style_id)


def fonts_named(
    document: Document,
    style_names: set[str],
    attributes: tuple[str, ...] = ("w:eastAsia", "w:ascii", "w:hAnsi"),
    defaults: bool = True,
) -> list[str]:
    """Fonts (w:rFonts) named by these styles, and by the document defaults, in first-seen order."""
    elements = [document.styles.element.find(qn("w:docDefaults"))] if defaults else []
    elements += [s.element for s in document.styles if s.name in style_names]
    names: list[str] = []
    for element in elements:
        if element is None:
            continue
        for fonts in element.iter(qn("w:rFonts")):
            for attribute in attributes:
                name = fonts.get(qn(attribute))
                if name and name not in names:
                    names.append(name)
    return names
