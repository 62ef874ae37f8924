"""The raw WordprocessingML zbreport reads and writes, in one place, on lxml elements.

Names say what Word does with the markup, so the layout code above reads like a
description of the document. Elements are made as python-docx made them when it wrote
zbreport's reports (`new`: the tag's own namespace declared on it; children inserted in the
schema's order), so a report is the same XML as before, byte for byte.
"""

from __future__ import annotations

import datetime
import posixpath
import re
from copy import deepcopy
from typing import Iterator

from lxml import etree
from lxml.etree import SubElement

from .. import controls
from ..records import record
from . import package as opc
from ..read.pictures import read_picture
from .package import PARSER, Part, WordDocument

NAMESPACES = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "sl": "http://schemas.openxmlformats.org/schemaLibrary/2006/main",
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "xml": "http://www.w3.org/XML/1998/namespace",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
_QN: dict[str, str] = {}


def qn(tag: str) -> str:
    """w:p as lxml names it, {http://…/main}p."""
    name = _QN.get(tag)
    if name is None:
        prefix, local = tag.split(":")
        name = _QN[tag] = f"{{{NAMESPACES[prefix]}}}{local}"
    return name


def new(tag: str, attributes: dict[str, str] | None = None):
    """A new element `tag` ("w:p"), declaring its own namespace."""
    prefix = tag.split(":")[0]
    return PARSER.makeelement(qn(tag), attrib=attributes, nsmap={prefix: NAMESPACES[prefix]})


def nsdecls(*prefixes: str) -> str:
    return " ".join(f'xmlns:{p}="{NAMESPACES[p]}"' for p in prefixes)


def parse(xml: str):
    return etree.fromstring(xml.encode("utf-8"), PARSER)


def insert_before(parent, child, successors: tuple[str, ...]):
    """Insert `child` before the first child of `parent` of the first of these tags present
    (as python-docx placed its elements), else at the end."""
    for tag in successors:
        found = parent.find(qn(tag))
        if found is not None:
            found.addprevious(child)
            return child
    parent.append(child)
    return child


def get_or_add(parent, tag: str, order: tuple[str, ...]):
    """The child `tag` of `parent`, added where the sequence `order` puts it when missing."""
    found = parent.find(qn(tag))
    if found is not None:
        return found
    return insert_before(parent, new(tag), order[order.index(tag) + 1 :])


MM_TO_TWIPS = 1440 / 25.4

# ---------------------------------------------------------------- schema order
#
# Word refuses a part whose children are out of the schema's sequence. These are the sequences
# of ECMA-376 (wml.xsd) for the elements zbreport adds children to: `get_or_add` puts a child
# before the first of its successors present (for the elements zbreport writes), and
# `insert_in_order` also before any extension element (for a template's own elements).

TABLE_PROPERTIES = (
    "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize", "w:tblStyleColBandSize",
    "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar",
    "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange",
)
STYLE = (
    "w:name", "w:aliases", "w:basedOn", "w:next", "w:link", "w:autoRedefine", "w:hidden", "w:uiPriority",
    "w:semiHidden", "w:unhideWhenUsed", "w:qFormat", "w:locked", "w:personal", "w:personalCompose",
    "w:personalReply", "w:rsid", "w:pPr", "w:rPr", "w:tblPr", "w:trPr", "w:tcPr", "w:tblStylePr",
)
RUN_PROPERTIES = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike", "w:dstrike",
    "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid", "w:vanish", "w:webHidden",
    "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
    "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
    "w:specVanish", "w:oMath",
)
# The tail of w:settings, from w:footnotePr on: the one child of it zbreport adds.
SETTINGS_FROM_FOOTNOTES = (
    "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr", "w:attachedSchema",
    "w:themeFontLang", "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures",
    "w:forceUpgrade", "w:captions", "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary",
    "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
)
ABSTRACT_NUMBERING = ("w:numPicBullet", "w:abstractNum", "w:num", "w:numIdMacAtCleanup")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Tags and attributes of the table cells written directly (see `set_cell_text`).
_P, _P_PR, _P_STYLE, _R, _R_PR, _R_FONTS, _T = (qn(t) for t in ("w:p", "w:pPr", "w:pStyle", "w:r", "w:rPr", "w:rFonts", "w:t"))
_TC_PR, _TC_W, _GRID_SPAN, _V_MERGE = (qn(t) for t in ("w:tcPr", "w:tcW", "w:gridSpan", "w:vMerge"))
_VAL, _TYPE, _W_ATTR, _HINT = (qn(t) for t in ("w:val", "w:type", "w:w", "w:hint"))
_BODY, _SECT_PR = qn("w:body"), qn("w:sectPr")


def insert_in_order(parent, child, order: tuple[str, ...]):
    """Insert `child` among `parent`'s children where the sequence `order` puts it: before the
    first child that comes later in the sequence, or before any extension element (w14:, w15:…),
    which Word writes last."""
    names = [qn(t) for t in order]
    later = set(names[names.index(child.tag) + 1 :])
    for existing in parent:
        if not isinstance(existing.tag, str):
            continue  # a comment or processing instruction
        if existing.tag in later or not existing.tag.startswith(_W) and existing.tag not in names:
            existing.addprevious(child)
            return child
    parent.append(child)
    return child


def get_or_insert(parent, tag: str, order: tuple[str, ...]):
    found = parent.find(qn(tag))
    return found if found is not None else insert_in_order(parent, new(tag), order)


# ---------------------------------------------------------------- styles


@record
class Style:
    """A w:style: the name Word shows, its id, its kind (paragraph, character, table, numbering)."""

    name: str | None
    style_id: str | None
    type: str
    element: object = None
    is_default: bool = False


# python-docx showed these built-in names as Word's UI spells them; zbreport's names follow it.
_UI_NAMES = {"caption": "Caption", "footer": "Footer", "header": "Header"} | {f"heading {n}": f"Heading {n}" for n in range(1, 10)}
_ON = ("1", "true", "on")


def styles(document: WordDocument) -> list[Style]:
    """Every style of the document, in its order."""
    found = []
    for element in document.styles.iterchildren(qn("w:style")):
        name_element = element.find(qn("w:name"))
        name = name_element.get(qn("w:val")) if name_element is not None else None
        found.append(
            Style(
                _UI_NAMES.get(name, name) if name is not None else None,
                element.get(qn("w:styleId")),
                element.get(qn("w:type")) or "paragraph",
                element,
                element.get(qn("w:default")) in _ON,
            )
        )
    return found


def style_ids(document: WordDocument) -> dict[str | None, str | None]:
    """The id Word stores for each style, by the name Word shows; None for the default style of its
    kind (the last marked default), which Word applies by naming none."""
    found = styles(document)
    defaults = set()
    for kind in ("paragraph", "character", "table"):
        marked = [s for s in found if s.type == kind and s.is_default]
        if marked:
            defaults.add(id(marked[-1].element))
    return {s.name: None if id(s.element) in defaults else s.style_id for s in found}


# ---------------------------------------------------------------- paragraphs, runs, tables

PARAGRAPH_PROPERTIES = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl", "w:numPr",
    "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
    "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
    "w:rPr", "w:sectPr", "w:pPrChange",
)
_BODY_END = ("w:sectPr",)


def add_paragraph(container):
    """An empty w:p at the end of the container (the body: before its w:sectPr; a note; a cell)."""
    end = container.find(_SECT_PR) if container.tag == _BODY else None
    if end is None:
        return SubElement(container, _P)
    paragraph = container.makeelement(_P, {})
    end.addprevious(paragraph)
    return paragraph


def paragraph_properties(paragraph):
    """The w:pPr of the paragraph, made (its first child) when missing."""
    return _first_child(paragraph, _P_PR)


def apply_paragraph_style(paragraph, style_id: str | None) -> None:
    if style_id is None:
        properties = paragraph_properties(paragraph)
        style = properties.find(qn("w:pStyle"))
        if style is not None:
            properties.remove(style)
    else:
        set_paragraph_style(paragraph, style_id)


def page_break_before(paragraph) -> None:
    """Word starts the paragraph on a new page (w:pageBreakBefore)."""
    get_or_add(paragraph_properties(paragraph), "w:pageBreakBefore", PARAGRAPH_PROPERTIES)


def line_height_at_least(paragraph, twips_: int) -> None:
    """Lines at least this high (w:spacing w:lineRule="atLeast"): a picture in the line grows it."""
    spacing = get_or_add(paragraph_properties(paragraph), "w:spacing", PARAGRAPH_PROPERTIES)
    spacing.set(qn("w:lineRule"), "atLeast")
    spacing.set(qn("w:line"), str(twips_))


def add_run(paragraph, text: str = ""):
    """A w:r at the end of the paragraph holding `text`: a tab is a w:tab, a line break a w:br."""
    run = SubElement(paragraph, _R)  # at the end: a paragraph's content is runs and links
    if text:
        set_run_text(run, text)
    return run


def set_run_text(run, text: str) -> None:
    pending: list[str] = []

    def flush() -> None:
        if pending:
            chunk = "".join(pending)
            t = SubElement(run, _T)
            t.text = chunk
            if len(chunk.strip()) < len(chunk):
                t.set(XML_SPACE, "preserve")
            pending.clear()

    for char in text:
        if char == "\t":
            flush()
            run.append(new("w:tab"))
        elif char in "\r\n":
            flush()
            run.append(new("w:br"))
        else:
            pending.append(char)
    flush()


def add_break(run, kind: str | None = None) -> None:
    """A line break in the run (w:br), or a page break (kind "page")."""
    br = new("w:br")
    run.append(br)
    if kind is not None:
        br.set(qn("w:type"), kind)


def run_properties(run):
    """The w:rPr of the run, made (its first child) when missing."""
    properties = run.find(qn("w:rPr"))
    if properties is None:
        properties = new("w:rPr")
        run.insert(0, properties)
    return properties


def apply_run_style(run, style_id: str | None) -> None:
    properties = run_properties(run)
    style = properties.find(qn("w:rStyle"))
    if style_id is None:
        if style is not None:
            properties.remove(style)
    elif style is None:
        style = new("w:rStyle")
        style.set(qn("w:val"), style_id)
        insert_before(properties, style, RUN_PROPERTIES[1:])
    else:
        style.set(qn("w:val"), style_id)


# Marks set on a run directly, and the element each sets.
_MARK_ELEMENTS = {
    "bold": ("w:b", None),
    "italic": ("w:i", None),
    "strike": ("w:strike", None),
    "underline": ("w:u", "single"),
    "subscript": ("w:vertAlign", "subscript"),
    "superscript": ("w:vertAlign", "superscript"),
}


def set_run_mark(run, mark: str) -> None:
    """Bold, italic, strike, underline, subscript or superscript, set on the run itself."""
    tag, value = _MARK_ELEMENTS[mark]
    properties = run_properties(run)
    if tag == "w:u":
        for old in properties.findall(qn(tag)):
            properties.remove(old)
        element = insert_before(properties, new(tag), RUN_PROPERTIES[RUN_PROPERTIES.index(tag) + 1 :])
    else:
        element = get_or_add(properties, tag, RUN_PROPERTIES)
    if value is not None:
        element.set(qn("w:val"), value)


def add_table(container, rows: int, cols: int, width_emu: int):
    """A table of empty cells, every column the same width, in auto layout (as python-docx made
    them), at the end of the container."""
    col_width = width_emu // cols if cols > 0 else 0
    col_twips = int(round(col_width / 635))
    cell = f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{col_twips}"/></w:tcPr><w:p/></w:tc>'
    xml = (
        f"<w:tbl {nsdecls('w')}><w:tblPr>"
        '<w:tblW w:type="auto" w:w="0"/>'
        '<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" w:noHBand="0" w:noVBand="1" w:val="04A0"/>'
        "</w:tblPr><w:tblGrid>"
        + f'<w:gridCol w:w="{col_twips}"/>' * cols
        + "</w:tblGrid>"
        + ("<w:tr>" + cell * cols + "</w:tr>") * rows
        + "</w:tbl>"
    )
    table = parse(xml)
    return insert_before(container, table, _BODY_END if container.tag == qn("w:body") else ())


def rows(table) -> list:
    return table.findall(qn("w:tr"))


def cells(row) -> list:
    return row.findall(qn("w:tc"))


def apply_table_style(table, style_id: str | None) -> None:
    properties = table.find(qn("w:tblPr"))
    for old in properties.findall(qn("w:tblStyle")):
        properties.remove(old)
    if style_id is not None:
        style = new("w:tblStyle")
        style.set(qn("w:val"), style_id)
        insert_before(properties, style, TABLE_PROPERTIES[1:])


def merge_cells(grid: list[list], row: int, col: int, rowspan: int, colspan: int):
    """Make a rectangle of a regular grid of w:tc one merged cell, the way Word stores it, and return
    its top-left w:tc: on each row, one w:tc with a gridSpan; down the rows, a vMerge that the first
    row restarts and the others continue.

    `grid[r][c]` is the w:tc `add_table` made at row r, column c, before any merge: its w:tcPr
    holds only its w:tcW, so w:gridSpan and then w:vMerge follow it in schema order.
    """
    for r in range(row, row + rowspan):
        first = grid[r][col]
        for swallowed in grid[r][col + 1 : col + colspan]:
            first.getparent().remove(swallowed)
        properties = first.find(_TC_PR)
        if colspan > 1:
            SubElement(properties, _GRID_SPAN, {_VAL: str(colspan)})
        if rowspan > 1:  # "continue" is the default: Word writes a bare w:vMerge
            SubElement(properties, _V_MERGE, {_VAL: "restart"} if r == row else {})
    return grid[row][col]


def set_cell_text(tc, style_id: str | None, text: str, east_asian: bool) -> None:
    """The cell's content: one paragraph of the style, holding the text in one run (with the
    East-Asian hint `prefer_east_asian_font` gives, when asked).

    Built element by element in schema order with lxml's SubElement (the w: prefix is the
    document's), rather than through `add_run` and `apply_paragraph_style`, which search for
    where each child belongs, and `new`, whose elements are reconciled with the document's
    namespaces as they are inserted: for the ~300 cells of the official tables, that was most
    of the build. The XML is the same.
    """
    for paragraph in tc.findall(_P):  # a fresh cell's empty paragraph
        tc.remove(paragraph)
    paragraph = SubElement(tc, _P)
    properties = SubElement(paragraph, _P_PR)
    if style_id is not None:
        SubElement(properties, _P_STYLE, {_VAL: style_id})
    run = SubElement(paragraph, _R)
    if east_asian:  # as `prefer_east_asian_font` marks a run: its w:rPr comes first
        SubElement(SubElement(run, _R_PR), _R_FONTS, {_HINT: "eastAsia"})
    text = xml_text(text)
    if "\t" in text or "\n" in text:
        set_run_text(run, text)  # tabs and line breaks become w:tab and w:br
    elif text:
        t = SubElement(run, _T)
        t.text = text
        if text != text.strip():
            t.set(XML_SPACE, "preserve")


def xml_text(text: str) -> str:
    """Text as a .docx can hold it. The readers clean what they read (controls.py); this is the
    last guard, so a character XML 1.0 refuses never reaches lxml, which would stop the build."""
    return controls.clean(text)


def core_property(text: str) -> str:
    """A document property (title, author): one line, of at most 255 characters."""
    return " ".join(xml_text(text).split())[:255]


def twips(mm: float) -> int:
    return round(mm * MM_TO_TWIPS)


def set_paragraph_style(paragraph, style_id: str) -> None:
    """The paragraph (w:p) takes the style with this id.

    w:pPr is always a paragraph's first child and w:pStyle its first property. Made with
    SubElement where the new element is the only child (a new paragraph's): it takes the
    document's w: prefix at once, where an element made apart is reconciled with the
    document's namespaces as it is inserted, which for a large table's tens of thousands of
    cells took a good part of a build. The XML is the same.
    """
    properties = _first_child(paragraph, _P_PR)
    style = properties.find(_P_STYLE)
    if style is None:
        style = _first_child(properties, _P_STYLE, look=False)
    style.set(_VAL, style_id)


def _first_child(parent, tag: str, look: bool = True):
    """`parent`'s child `tag`, made its first child when missing."""
    child = parent.find(tag) if look else None
    if child is None:
        if len(parent):
            child = parent.makeelement(tag, {})
            parent.insert(0, child)
        else:
            child = SubElement(parent, tag)
    return child


def repeat_as_header_row(row) -> None:
    """Word repeats this row (a w:tr) at the top of every page the table continues on (w:tblHeader)."""
    _row_property(row, "w:tblHeader")


def keep_row_on_one_page(row) -> None:
    """Word moves the whole row to the next page rather than splitting it (w:cantSplit)."""
    _row_property(row, "w:cantSplit")


def _row_property(row, tag: str) -> None:
    properties = row.find(qn("w:trPr"))
    if properties is None:
        properties = new("w:trPr")
        exceptions = row.find(qn("w:tblPrEx"))
        if exceptions is not None:
            exceptions.addnext(properties)
        else:
            row.insert(0, properties)
    if properties.find(qn(tag)) is None:
        properties.append(new(tag))  # w:trPr's children are a choice: any order is valid


def _length_twips(emu: int) -> int:
    return int(round(emu / 635))


def fix_column_widths(table, widths_mm: tuple[float, ...]) -> None:
    """A fixed layout with these column widths: the grid, every cell, and the table's own width.

    Word reads tcW, LibreOffice reads the grid; both are set so the two agree. Every cell of a
    table `add_table` made has its w:tcW already: it is set directly.
    """
    tbl_pr = table.find(qn("w:tblPr"))
    get_or_add(tbl_pr, "w:tblLayout", TABLE_PROPERTIES).set(qn("w:type"), "fixed")
    table_width = get_or_insert(tbl_pr, "w:tblW", TABLE_PROPERTIES)
    table_width.set(qn("w:w"), str(sum(twips(w) for w in widths_mm)))
    table_width.set(qn("w:type"), "dxa")
    grid = table.find(qn("w:tblGrid"))
    for grid_col, width in zip(grid.findall(qn("w:gridCol")), widths_mm):
        grid_col.set(qn("w:w"), str(_length_twips(int(width * 36000))))
    for tr in table.findall(qn("w:tr")):
        col = 0
        for tc in tr.findall(qn("w:tc")):
            properties = tc.find(_TC_PR)
            span_element = properties.find(_GRID_SPAN)
            span = int(span_element.get(_VAL)) if span_element is not None else 1
            cell_width = properties.find(_TC_W)
            cell_width.set(_TYPE, "dxa")
            cell_width.set(_W_ATTR, str(_length_twips(int(sum(widths_mm[col : col + span]) * 36000))))
            col += span


# ---------------------------------------------------------------- templates

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def text_nodes(paragraph) -> list:
    """The w:t of a paragraph in reading order, whatever runs, links or revisions hold them;
    not those of a paragraph nested inside it (a text box)."""
    return [t for t in paragraph.iter(qn("w:t")) if next(t.iterancestors(qn("w:p")), None) is paragraph]


def paragraph_text(paragraph) -> str:
    return "".join(t.text or "" for t in text_nodes(paragraph))


def replace_text(paragraph, start: int, end: int, value: str):
    """Replace characters start:end of the paragraph's text, however Word split them into runs.

    The value goes into the run where the replaced text began, so it keeps that run's formatting;
    the rest of the replaced text is removed from the runs that held it. Returns the w:t holding
    the value (None when start:end is past the text).
    """
    position = 0
    placed = None
    for node in text_nodes(paragraph):
        text = node.text or ""
        node_start, node_end = position, position + len(text)
        position = node_end
        if node_end <= start or node_start >= end:
            continue
        keep_before = text[: max(start - node_start, 0)]
        keep_after = text[max(end - node_start, 0) :] if end < node_end else ""
        node.text = keep_before + ("" if placed is not None else xml_text(value)) + keep_after
        node.set(XML_SPACE, "preserve")
        placed = node if placed is None else placed
    return placed


def template_parts(document: WordDocument):
    """(kind, root element) of the body and of every part where a template holds text: headers,
    footers, footnotes, endnotes, comments."""
    yield "body", document.body
    for kind, part in story_parts(document):
        yield kind, part.element


def carries_section_break(paragraph) -> bool:
    """A paragraph whose properties end a section (w:pPr/w:sectPr): removing it would merge two sections."""
    properties = paragraph.find(qn("w:pPr"))
    return properties is not None and properties.find(qn("w:sectPr")) is not None


def remove_runs(paragraph) -> None:
    for child in list(paragraph):
        if child.tag != qn("w:pPr"):
            paragraph.remove(child)


@record
class PageSetup:
    """A section's page and margins in EMU, None where the section does not say."""

    page_width: int | None
    page_height: int | None
    top_margin: int | None
    bottom_margin: int | None
    left_margin: int | None
    right_margin: int | None


_UNITS = {"mm": 36000, "cm": 360000, "in": 914400, "pt": 12700, "pc": 152400, "pi": 152400}


def _measure(value: str | None, signed: bool = False) -> int | None:
    """A length attribute in EMU: twips, or a number with its unit ("2.5cm")."""
    if value is None:
        return None
    if "i" in value or "m" in value or "p" in value:
        return int(round(float(value[:-2]) * _UNITS[value[-2:]]))
    return (int(round(float(value))) if signed else int(value)) * 635


def last_section(document: WordDocument) -> PageSetup:
    """The page setup of the document's last section (the body's w:sectPr), where the report goes."""
    found = document.element.xpath("./w:body/w:p/w:pPr/w:sectPr | ./w:body/w:sectPr", namespaces={"w": NAMESPACES["w"]})
    section = found[-1]
    size, margins = section.find(qn("w:pgSz")), section.find(qn("w:pgMar"))

    def attribute(element, name: str, signed: bool = False) -> int | None:
        return _measure(element.get(qn(name)), signed) if element is not None else None

    return PageSetup(
        attribute(size, "w:w"),
        attribute(size, "w:h"),
        attribute(margins, "w:top", True),
        attribute(margins, "w:bottom", True),
        attribute(margins, "w:left"),
        attribute(margins, "w:right"),
    )


def text_width_mm(document: WordDocument) -> float | None:
    """The width between the margins of the document's last section, where the report goes."""
    section = last_section(document)
    if section.page_width is None or section.left_margin is None or section.right_margin is None:
        return None
    return (section.page_width - section.left_margin - section.right_margin) / 36000  # EMU per mm


def text_height_mm(document: WordDocument) -> float | None:
    """The height between the top and bottom margins of the document's last section."""
    section = last_section(document)
    if section.page_height is None or section.top_margin is None or section.bottom_margin is None:
        return None
    return (section.page_height - section.top_margin - section.bottom_margin) / 36000


def copy_styles(source: WordDocument, target: WordDocument, names: list[str]) -> None:
    """Copy the named styles from `source` into `target`, with the styles they are based on or
    linked to where `target` lacks those, renaming a style id that `target` already uses."""
    source_by_id = {s.style_id: s for s in styles(source)}
    target_names = {s.name for s in styles(target)}
    target_ids = {s.style_id: s for s in styles(target)}
    copied: dict[str, str] = {}  # source style id -> id in target

    def copy(style_id: str) -> str:
        if style_id in copied:
            return copied[style_id]
        style = source_by_id[style_id]
        if style.name in target_names:
            same = next(s for s in styles(target) if s.name == style.name)
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
        target.styles.append(element)
        target_names.add(style.name)
        return new_id

    source_by_name = {s.name: s for s in styles(source)}
    for name in names:
        copy(source_by_name[name].style_id)


def fonts_named(
    document: WordDocument,
    style_names: set[str],
    attributes: tuple[str, ...] = ("w:eastAsia", "w:ascii", "w:hAnsi"),
    defaults: bool = True,
) -> list[str]:
    """Fonts (w:rFonts) named by these styles, and by the document defaults, in first-seen order."""
    elements = [document.styles.find(qn("w:docDefaults"))] if defaults else []
    elements += [s.element for s in styles(document) if s.name in style_names]
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


# ---------------------------------------------------------------- runs


def prefer_east_asian_font(run) -> None:
    """w:hint="eastAsia": Word sets the characters Chinese shares with Latin text (“ ” ‘ ’ — … ·)
    in the run's East-Asian font rather than its Latin one, as Chinese text wants (pandoc #9817)."""
    get_or_add(run_properties(run), "w:rFonts", RUN_PROPERTIES).set(qn("w:hint"), "eastAsia")  # run: a w:r


def add_hyperlink(paragraph, part: Part, target: str, tooltip: str = ""):
    """An empty w:hyperlink at the end of the paragraph, to `target` through an external
    relationship of the paragraph's own part (the body's, or the footnotes'). The runs of its
    text are moved into it as they are written."""
    r_id = part.relate_to(target, opc.HYPERLINK, external=True)
    link = new("w:hyperlink")
    if tooltip:
        link.set(qn("w:tooltip"), tooltip)
    link.set(qn("w:history"), "1")
    link.set(qn("r:id"), r_id)
    paragraph.append(link)  # a paragraph's content is a sequence of runs and links: the end is its place
    return link


# ---------------------------------------------------------------- pictures

_INLINE = (
    '<wp:inline {ns}><wp:extent cx="914400" cy="914400"/><wp:docPr id="666" name="unnamed"/>'
    '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
    '<a:graphic><a:graphicData uri="URI not set"/></a:graphic></wp:inline>'
)
_PICTURE = (
    '<pic:pic {ns}><pic:nvPicPr><pic:cNvPr id="666" name="unnamed"/><pic:cNvPicPr/></pic:nvPicPr>'
    "<pic:blipFill><a:blip/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>"
    '<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="914400" cy="914400"/></a:xfrm><a:prstGeom prst="rect"/></pic:spPr>'
    "</pic:pic>"
)


def add_picture(document: WordDocument, part: Part, run, data: bytes, fit_emu: tuple[int, int | None]) -> None:
    """The picture inline in the run, its bytes a media part of the package (one part for the
    same picture used twice), at its own size, shrunk, proportions kept, to fit `fit_emu`
    (width, height or None)."""
    picture = read_picture(data)
    image_part = _image_part(document, data, picture)
    r_id = part.relate_to(image_part, opc.IMAGE)
    width, height = picture.width, picture.height
    shape_id = _next_shape_id(document, part)
    pic = parse(_PICTURE.format(ns=nsdecls("pic", "a", "r")))
    properties = pic.find(qn("pic:nvPicPr")).find(qn("pic:cNvPr"))
    properties.set("id", "0")
    properties.set("name", f"image.{picture.ext}")
    pic.find(qn("pic:blipFill")).find(qn("a:blip")).set(qn("r:embed"), r_id)
    extent = pic.find(qn("pic:spPr")).find(qn("a:xfrm")).find(qn("a:ext"))
    extent.set("cx", str(width))
    extent.set("cy", str(height))
    inline = parse(_INLINE.format(ns=nsdecls("wp", "a", "pic", "r")))
    inline_extent = inline.find(qn("wp:extent"))
    inline_extent.set("cx", str(width))
    inline_extent.set("cy", str(height))
    drawing_properties = inline.find(qn("wp:docPr"))
    drawing_properties.set("id", str(shape_id))
    drawing_properties.set("name", f"Picture {shape_id}")
    data_element = inline.find(qn("a:graphic")).find(qn("a:graphicData"))
    data_element.set("uri", "http://schemas.openxmlformats.org/drawingml/2006/picture")
    data_element.append(pic)
    drawing = new("w:drawing")
    run.append(drawing)
    drawing.append(inline)
    limit_width, limit_height = fit_emu
    limit = min(1.0, limit_width / width, limit_height / height if limit_height else 1.0)
    if limit < 1.0:
        width, height = int(width * limit), int(height * limit)
        inline_extent.set("cx", str(width))
        extent.set("cx", str(width))
        inline_extent.set("cy", str(height))
        extent.set("cy", str(height))


def _image_parts(document: WordDocument) -> list[Part]:
    """The package's pictures (the targets of picture relationships), in the order Word's
    relationships reach them."""
    found: list[Part] = []
    seen: set[int] = set()

    def walk(rels) -> None:
        for r in rels.items:
            if r.external:
                continue
            if r.reltype == opc.IMAGE and all(p is not r.target for p in found):
                found.append(r.target)
            if id(r.target) in seen:
                continue
            seen.add(id(r.target))
            walk(r.target.rels)

    walk(document.package.rels)
    return found


def _image_part(document: WordDocument, data: bytes, picture) -> Part:
    """The package's part holding these bytes, else a new one, numbered after the pictures there."""
    import hashlib  # here: only a report with pictures needs it

    existing = _image_parts(document)
    digest = hashlib.sha1(data).digest()
    for part in existing:
        if hashlib.sha1(part.blob).digest() == digest:
            return part
    used = []
    for part in existing:
        stem = posixpath.splitext(posixpath.basename(part.name))[0]
        match = re.match(r"([a-zA-Z]+)([1-9][0-9]*)?", stem)
        used.append(int(match.group(2)) if match and match.group(2) else None)
    number = next((n for n in range(1, len(existing) + 1) if n not in used), len(existing) + 1)
    return Part(f"/word/media/image{number}.{picture.ext}", picture.content_type, blob=data)


def _next_shape_id(document: WordDocument, part: Part) -> int:
    """One more than the largest id in the part (and in the document, for a notes part): picture
    ids are unique across the document."""

    def largest(element) -> int:
        ids = [int(v) for v in element.xpath("//@id") if v.isdigit()]
        return max(ids) if ids else 0

    if part is document.part:
        return largest(part.element) + 1
    return max(largest(part.element) + 1, largest(document.element) + 1)


def describe_picture(run, description: str, title: str = "") -> None:
    """The alternative text of the run's picture, which screen readers and Word's Alt Text pane show."""
    properties = run.find(".//" + qn("wp:docPr"))
    if properties is None:
        return
    if description:
        properties.set("descr", description)
    if title:
        properties.set("title", title)


# ---------------------------------------------------------------- list numbering (numbering.xml)


@record
class ListLevel:
    number_format: str  # decimal, decimalEnclosedCircle, bullet, …
    text: str  # as printed, "%1." or "（%2）" or "●"
    suffix: str = "nothing"  # what follows the number: nothing, space or tab
    east_asian: bool = False  # the number is set in the East-Asian font (a ● bullet)


def add_list(
    document: WordDocument, levels: tuple[ListLevel, ...], level: int, start: int, first_line_chars: int, first_line_twips: int
) -> int:
    """A new list, numbered from `start` at `level`: its own w:abstractNum (every level at the same
    first-line indent) and a w:num using it; the w:num's id. A list of its own counts from its own
    start in Word and in LibreOffice alike, and an item an editor inserts is numbered with its list."""
    numbering = _numbering(document)
    ids = [int(d.get(qn("w:abstractNumId"))) for d in numbering.iterchildren(qn("w:abstractNum"))]
    abstract_id = max(ids, default=-1) + 1
    definition = new("w:abstractNum", {qn("w:abstractNumId"): str(abstract_id)})
    definition.append(new("w:multiLevelType", {qn("w:val"): "multilevel"}))
    for index, form in enumerate(levels):
        lvl = new("w:lvl", {qn("w:ilvl"): str(index)})
        for tag, value in (
            ("w:start", str(start if index == level else 1)),
            ("w:numFmt", form.number_format),
            ("w:suff", form.suffix),
            ("w:lvlText", form.text),
            ("w:lvlJc", "left"),
        ):
            lvl.append(new(tag, {qn("w:val"): value}))
        indent = {
            qn("w:left"): "0",
            qn("w:leftChars"): "0",
            qn("w:firstLine"): str(first_line_twips),
            qn("w:firstLineChars"): str(first_line_chars),
        }
        paragraph = new("w:pPr")
        paragraph.append(new("w:ind", indent))
        lvl.append(paragraph)
        if form.east_asian:
            run = new("w:rPr")
            run.append(new("w:rFonts", {qn("w:hint"): "eastAsia"}))
            lvl.append(run)
        definition.append(lvl)
    insert_in_order(numbering, definition, ABSTRACT_NUMBERING)
    taken = [int(n) for n in numbering.xpath("./w:num/@w:numId", namespaces={"w": NAMESPACES["w"]})]
    num_id = next(n for n in range(1, len(taken) + 2) if n not in taken)
    num = new("w:num")
    num.set(qn("w:numId"), str(num_id))
    num.append(new("w:abstractNumId", {qn("w:val"): str(abstract_id)}))
    insert_before(numbering, num, ("w:numIdMacAtCleanup",))
    return num_id


def number_paragraph(paragraph, list_id: int, level: int) -> None:
    numbering = get_or_add(paragraph_properties(paragraph), "w:numPr", PARAGRAPH_PROPERTIES)
    numbering_order = ("w:ilvl", "w:numId", "w:numberingChange", "w:ins")
    get_or_add(numbering, "w:ilvl", numbering_order).set(qn("w:val"), str(level))
    get_or_add(numbering, "w:numId", numbering_order).set(qn("w:val"), str(list_id))


def _numbering(document: WordDocument):
    """The numbering part's w:numbering, the part made when the template has none."""
    part = document.part
    try:
        return part.related(opc.NUMBERING).element
    except KeyError:
        element = parse(f'<w:numbering {nsdecls("w", "r")}/>')
        part.relate_to(Part(_free_partname(document, "/word/numbering%d.xml"), opc.NUMBERING_TYPE, element=element), opc.NUMBERING)
        return element


def _free_partname(document: WordDocument, template: str) -> str:
    """/word/numbering.xml, or numbering2.xml … when a stray part already has the name."""
    taken = {p.name for p in document.package.iter_parts()}
    plain = template.replace("%d", "")
    return plain if plain not in taken else document.package.next_partname(template)


# ---------------------------------------------------------------- footnotes (footnotes.xml)

_SEPARATORS = (
    '<w:footnotes xmlns:w="{w}" xmlns:r="{r}">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
    "</w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>"
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
    "</w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>"
    "</w:footnotes>"
)


def footnotes(document: WordDocument) -> Part:
    """The document's footnotes part. A template without one gets it, with the separator line
    Word draws above the notes (and its continuation), named in the settings as Word does."""
    part = document.part
    try:
        return part.related(opc.FOOTNOTES)
    except KeyError:
        pass
    element = parse(_SEPARATORS.format(w=NAMESPACES["w"], r=NAMESPACES["r"]))
    notes = Part(_free_partname(document, "/word/footnotes%d.xml"), opc.FOOTNOTES_TYPE, element=element)
    part.relate_to(notes, opc.FOOTNOTES)
    settings = document.settings
    if settings.find(qn("w:footnotePr")) is None:
        properties = insert_in_order(settings, new("w:footnotePr"), SETTINGS_FROM_FOOTNOTES)
        for separator in ("-1", "0"):
            properties.append(new("w:footnote", {qn("w:id"): separator}))
    return notes


def add_footnote(notes: Part) -> tuple[int, object]:
    """A new, empty footnote: its id, and its w:footnote, where its paragraphs go."""
    ids = [int(n.get(qn("w:id"))) for n in notes.element.iterchildren(qn("w:footnote"))]
    note_id = max([0, *ids]) + 1
    note = new("w:footnote", {qn("w:id"): str(note_id)})
    notes.element.append(note)
    return note_id, note


def add_footnote_reference(run, note_id: int) -> None:
    """The note's number in the text (w:footnoteReference in the w:r); Word numbers the notes itself."""
    run.append(new("w:footnoteReference", {qn("w:id"): str(note_id)}))


def add_footnote_mark(run) -> None:
    """The note's own number at the start of its text (w:footnoteRef in the w:r)."""
    run.append(new("w:footnoteRef"))


def move_to_start(paragraph, *runs) -> None:
    """Move these runs of the w:p, in this order, to the start of its content (after its w:pPr)."""
    properties = paragraph.find(qn("w:pPr"))
    position = 0 if properties is None else list(paragraph).index(properties) + 1
    for offset, run in enumerate(runs):
        paragraph.insert(position + offset, run)


_STORY_KINDS = {
    opc.HEADER_TYPE: "header",
    opc.FOOTER_TYPE: "footer",
    opc.FOOTNOTES_TYPE: "footnotes",
    opc.ENDNOTES_TYPE: "endnotes",
    opc.COMMENTS_TYPE: "comments",
}


def story_parts(document: WordDocument) -> Iterator[tuple[str, Part]]:
    """(kind, part) of the parts besides the body that hold text: header, footer, footnotes, endnotes, comments."""
    for part in document.package.iter_parts():
        kind = _STORY_KINDS.get(part.content_type)
        if kind is not None and part.is_xml:
            yield kind, part


# ---------------------------------------------------------------- core properties

_CORE = "<cp:coreProperties {ns}/>"


def core_properties(document: WordDocument):
    """The package's cp:coreProperties, made (as Word's default) when it has none."""
    try:
        return document.package.rels.part(opc.CORE_PROPERTIES).element
    except KeyError:
        pass
    element = parse(_CORE.format(ns=nsdecls("cp", "dc", "dcterms")))
    document.package.rels.relate_to(Part("/docProps/core.xml", opc.CORE_TYPE, element=element), opc.CORE_PROPERTIES)
    set_core_text(element, "dc:title", "Word Document")
    set_core_text(element, "cp:lastModifiedBy", "python-docx")
    set_core_text(element, "cp:revision", "1")
    set_core_date(element, "dcterms:modified", datetime.datetime.now(datetime.timezone.utc))
    return element


def set_core_text(properties, tag: str, value: str) -> None:
    element = properties.find(qn(tag))
    if element is None:
        element = new(tag)
        properties.append(element)
    element.text = value


def set_core_date(properties, tag: str, value) -> None:
    set_core_text(properties, tag, value.strftime("%Y-%m-%dT%H:%M:%SZ"))
    properties.set(qn("xsi:foo"), "bar")  # declares xsi on the root, not on each element using it
    properties.find(qn(tag)).set(qn("xsi:type"), "dcterms:W3CDTF")
    del properties.attrib[qn("xsi:foo")]


# ---------------------------------------------------------------- styles: what a style resolves to


def style_chain(document: WordDocument, style) -> list:
    """The style's element and those it is based on, nearest first (a loop in basedOn ends it)."""
    by_id = {s.style_id: s.element for s in styles(document)}
    chain = []
    element = style.element
    while element is not None and element not in chain:
        chain.append(element)
        based_on = element.find(qn("w:basedOn"))
        element = by_id.get(based_on.get(qn("w:val"))) if based_on is not None else None
    return chain


def _defaults(document: WordDocument, kind: str):
    """w:rPrDefault/w:rPr or w:pPrDefault/w:pPr of the document, or None."""
    defaults = document.styles.find(qn("w:docDefaults"))
    if defaults is None:
        return None
    holder = defaults.find(qn(f"w:{kind}Default"))
    return holder.find(qn(f"w:{kind}")) if holder is not None else None


def resolved_attribute(document: WordDocument, style, kind: str, tag: str, attribute: str) -> str | None:
    """An attribute of a run (kind "rPr") or paragraph ("pPr") property as the style resolves it:
    the nearest style in its basedOn chain that sets it, else the document defaults."""
    holders = [element.find(qn(f"w:{kind}")) for element in style_chain(document, style)]
    holders.append(_defaults(document, kind))
    for holder in holders:
        if holder is None:
            continue
        found = holder.find(qn(tag))
        if found is not None and found.get(qn(attribute)) is not None:
            return found.get(qn(attribute))
    return None


def resolved_element(document: WordDocument, style, kind: str, tag: str):
    """The nearest element `tag` of the style's chain (then the document defaults), or None."""
    holders = [element.find(qn(f"w:{kind}")) for element in style_chain(document, style)]
    holders.append(_defaults(document, kind))
    for holder in holders:
        found = holder.find(qn(tag)) if holder is not None else None
        if found is not None:
            return found
    return None


def linked_character_style(document: WordDocument, paragraph_style) -> str | None:
    """The name of the character style Word links to a paragraph style (w:link): what Word applies
    to part of a paragraph in that style's look, "Heading 2 Char" or a Chinese Word's "标题 2 字符"."""
    link = paragraph_style.element.find(qn("w:link"))
    if link is None:
        return None
    target = next((s for s in styles(document) if s.style_id == link.get(qn("w:val"))), None)
    return target.name if target is not None and target.type == "character" else None


def add_linked_character_style(document: WordDocument, paragraph_style, name: str) -> None:
    """A character style `name` with the run properties the paragraph style resolves to, linked
    to it as Word links its headings: text in a body paragraph then looks like the heading."""
    ids = {s.style_id for s in styles(document)}
    style_id = "".join(ch for ch in name if ch.isalnum()) or "LinkedChar"
    while style_id in ids:
        style_id = "zbreport" + style_id
    element = new("w:style", {qn("w:type"): "character", qn("w:customStyle"): "1", qn("w:styleId"): style_id})
    element.append(new("w:name", {qn("w:val"): name}))
    default_font = next((s for s in styles(document) if s.type == "character" and s.element.get(qn("w:default")) in ("1", "true")), None)
    if default_font is not None:
        element.append(new("w:basedOn", {qn("w:val"): default_font.style_id}))
    element.append(new("w:link", {qn("w:val"): paragraph_style.style_id}))
    element.append(_merged_run_properties(style_chain(document, paragraph_style)))
    document.styles.append(element)  # w:styles holds w:style last: the end is its place
    link = get_or_insert(paragraph_style.element, "w:link", STYLE)
    link.set(qn("w:val"), style_id)


def _merged_run_properties(chain: list):
    """One w:rPr with what the chain's run properties say, nearest first, in the schema's order."""
    found: dict[str, object] = {}
    fonts: dict[str, str] = {}
    for element in chain:
        properties = element.find(qn("w:rPr"))
        if properties is None:
            continue
        for child in properties:
            if child.tag == qn("w:rFonts"):
                for key, value in child.attrib.items():
                    fonts.setdefault(key, value)
            elif isinstance(child.tag, str):
                found.setdefault(child.tag, child)
    merged = new("w:rPr")
    for tag in RUN_PROPERTIES:
        if tag == "w:rFonts" and fonts:
            merged.append(new("w:rFonts", {key: value for key, value in fonts.items()}))
        elif qn(tag) in found and tag != "w:rStyle":
            merged.append(deepcopy(found[qn(tag)]))
    return merged
