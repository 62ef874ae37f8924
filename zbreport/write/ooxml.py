"""The raw WordprocessingML zbreport needs where python-docx has no API, in one place.

Names say what Word does with the markup, so the layout code above reads like a
description of the document.
"""

from __future__ import annotations

from copy import deepcopy

from docx.blkcntnr import BlockItemContainer
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import PartFactory
from docx.oxml import OxmlElement, parse_xml, register_element_cls
from docx.oxml.ns import nsmap, qn
from docx.oxml.xmlchemy import BaseOxmlElement, ZeroOrMore
from docx.parts.numbering import NumberingPart
from docx.parts.story import StoryPart
from docx.shared import Mm
from docx.table import Table, _Row
from docx.text.paragraph import Paragraph
from lxml.etree import SubElement

from .. import controls
from ..records import record

MM_TO_TWIPS = 1440 / 25.4

# ---------------------------------------------------------------- schema order
#
# Word refuses a part whose children are out of the schema's sequence. python-docx's element
# classes insert their own children in order (get_or_add_*); for the few it has no method for,
# these are the sequences of ECMA-376 (wml.xsd), and `insert_in_order` puts a child where its
# sequence says, never simply at the end.

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
    return found if found is not None else insert_in_order(parent, OxmlElement(tag), order)


def style_ids(document: Document) -> dict[str, str | None]:
    """The id Word stores for each style, by the name Word shows; None for the default style of its
    kind, which Word applies by naming none (python-docx's rule).

    Read once per document: python-docx's own assignment (`paragraph.style = …`) looks the
    default up again, over every style, for each paragraph, run and table.
    """
    defaults = set()
    for kind in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER, WD_STYLE_TYPE.TABLE):
        default = document.styles.default(kind)
        if default is not None:
            defaults.add(default.element)
    return {style.name: None if style.element in defaults else style.style_id for style in document.styles}


def apply_paragraph_style(paragraph, style_id: str | None) -> None:
    if style_id is None:
        paragraph._p.style = None
    else:
        set_paragraph_style(paragraph._p, style_id)


def apply_run_style(run, style_id: str | None) -> None:
    run._r.style = style_id


def apply_table_style(table: Table, style_id: str | None) -> None:
    table._tbl.tblStyle_val = style_id


def merge_cells(grid: list[list], row: int, col: int, rowspan: int, colspan: int):
    """Make a rectangle of a regular grid of w:tc one merged cell, the way Word stores it, and return
    its top-left w:tc: on each row, one w:tc with a gridSpan; down the rows, a vMerge that the first
    row restarts and the others continue.

    `grid[r][c]` is the w:tc python-docx created at row r, column c, before any merge: its w:tcPr
    holds only its w:tcW, so w:gridSpan and then w:vMerge follow it in schema order. Used instead
    of python-docx's `Cell.merge`, which measures the whole table again for every merge.
    """
    for r in range(row, row + rowspan):
        first = grid[r][col]
        for swallowed in grid[r][col + 1 : col + colspan]:
            first.getparent().remove(swallowed)
        properties = first.find(_TC_PR)
        if colspan > 1:
            SubElement(properties, _GRID_SPAN, {_VAL: str(colspan)})
        if rowspan > 1:  # "continue" is the default: python-docx, as Word, writes a bare w:vMerge
            SubElement(properties, _V_MERGE, {_VAL: "restart"} if r == row else {})
    return grid[row][col]


def set_cell_text(tc, style_id: str | None, text: str, east_asian: bool) -> None:
    """The cell's content: one paragraph of the style, holding the text in one run (with the
    East-Asian hint `prefer_east_asian_font` gives, when asked).

    Built element by element in schema order with lxml's SubElement (the w: prefix is the
    document's), rather than through python-docx's `add_run` and `paragraph.style`, which search
    the successors of every child they insert, or its `OxmlElement`, which declares the namespaces
    anew on each element: for the ~300 cells of the official tables, that was most of the build.
    The XML is the same.
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
        run.text = text  # python-docx's run text: tabs and line breaks become w:tab and w:br
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
    """A document property (title, author): one line, within the 255 characters python-docx allows."""
    return " ".join(xml_text(text).split())[:255]


def twips(mm: float) -> int:
    return round(mm * MM_TO_TWIPS)


def set_paragraph_style(paragraph, style_id: str) -> None:
    """The paragraph (w:p) takes the style with this id.

    The same markup python-docx writes, without its search for where each element belongs:
    w:pPr is always a paragraph's first child and w:pStyle its first property, and the general
    search, run for each of a large table's tens of thousands of cells, took most of a build.
    """
    properties = paragraph.find(qn("w:pPr"))
    if properties is None:
        properties = paragraph.makeelement(qn("w:pPr"), {})
        paragraph.insert(0, properties)
    style = properties.find(qn("w:pStyle"))
    if style is None:
        style = properties.makeelement(qn("w:pStyle"), {})
        properties.insert(0, style)
    style.set(qn("w:val"), style_id)


def repeat_as_header_row(row: _Row) -> None:
    """Word repeats this row at the top of every page the table continues on (w:tblHeader)."""
    _row_property(row, "w:tblHeader")


def keep_row_on_one_page(row: _Row) -> None:
    """Word moves the whole row to the next page rather than splitting it (w:cantSplit)."""
    _row_property(row, "w:cantSplit")


def _row_property(row: _Row, tag: str) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn(tag)) is None:
        tr_pr.append(OxmlElement(tag))  # w:trPr's children are a choice: any order is valid


def fix_column_widths(table: Table, widths_mm: tuple[float, ...]) -> None:
    """A fixed layout with these column widths: the grid, every cell, and the table's own width.

    Word reads tcW, LibreOffice reads the grid; both are set so the two agree. Every cell of a
    table python-docx made has its w:tcW already: it is set directly, in twips as python-docx
    converts them.
    """
    tbl_pr = table._tbl.tblPr
    tbl_pr.get_or_add_tblLayout().set(qn("w:type"), "fixed")
    table_width = get_or_insert(tbl_pr, "w:tblW", TABLE_PROPERTIES)
    table_width.set(qn("w:w"), str(sum(twips(w) for w in widths_mm)))
    table_width.set(qn("w:type"), "dxa")
    for grid_col, width in zip(table._tbl.tblGrid.gridCol_lst, widths_mm):
        grid_col.w = Mm(width)
    for tr in table._tbl.tr_lst:
        col = 0
        for tc in tr.tc_lst:
            properties = tc.find(_TC_PR)
            span_element = properties.find(_GRID_SPAN)
            span = int(span_element.get(_VAL)) if span_element is not None else 1
            cell_width = properties.find(_TC_W)
            cell_width.set(_TYPE, "dxa")
            cell_width.set(_W_ATTR, str(Mm(sum(widths_mm[col : col + span])).twips))
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


def template_parts(document: Document):
    """(kind, root element) of the body and of every part where a template holds text: headers,
    footers, footnotes, endnotes, comments."""
    yield "body", document.element.body
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


def text_width_mm(document: Document) -> float | None:
    """The width between the margins of the document's last section, where the report goes."""
    section = document.sections[-1]
    if section.page_width is None or section.left_margin is None or section.right_margin is None:
        return None
    return (section.page_width - section.left_margin - section.right_margin) / 36000  # EMU per mm


def text_height_mm(document: Document) -> float | None:
    """The height between the top and bottom margins of the document's last section."""
    section = document.sections[-1]
    if section.page_height is None or section.top_margin is None or section.bottom_margin is None:
        return None
    return (section.page_height - section.top_margin - section.bottom_margin) / 36000


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


# ---------------------------------------------------------------- runs


def prefer_east_asian_font(run) -> None:
    """w:hint="eastAsia": Word sets the characters Chinese shares with Latin text (“ ” ‘ ’ — … ·)
    in the run's East-Asian font rather than its Latin one, as Chinese text wants (pandoc #9817)."""
    run.get_or_add_rPr().get_or_add_rFonts().set(qn("w:hint"), "eastAsia")  # run: a w:r


def add_hyperlink(paragraph: Paragraph, target: str, tooltip: str = ""):
    """An empty w:hyperlink at the end of the paragraph, to `target` through an external
    relationship of the paragraph's own part (the body's, or the footnotes'). The runs of its
    text are moved into it as they are written."""
    r_id = paragraph.part.relate_to(target, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    if tooltip:
        link.set(qn("w:tooltip"), tooltip)
    link.set(qn("w:history"), "1")
    link.set(qn("r:id"), r_id)
    paragraph._p.append(link)  # a paragraph's content is a sequence of runs and links: the end is its place
    return link


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
    document: Document, levels: tuple[ListLevel, ...], level: int, start: int, first_line_chars: int, first_line_twips: int
) -> int:
    """A new list, numbered from `start` at `level`: its own w:abstractNum (every level at the same
    first-line indent) and a w:num using it; the w:num's id. A list of its own counts from its own
    start in Word and in LibreOffice alike, and an item an editor inserts is numbered with its list."""
    numbering = _numbering(document)
    ids = [int(d.get(qn("w:abstractNumId"))) for d in numbering.iterchildren(qn("w:abstractNum"))]
    abstract_id = max(ids, default=-1) + 1
    definition = OxmlElement("w:abstractNum", {qn("w:abstractNumId"): str(abstract_id)})
    definition.append(OxmlElement("w:multiLevelType", {qn("w:val"): "multilevel"}))
    for index, form in enumerate(levels):
        lvl = OxmlElement("w:lvl", {qn("w:ilvl"): str(index)})
        for tag, value in (
            ("w:start", str(start if index == level else 1)),
            ("w:numFmt", form.number_format),
            ("w:suff", form.suffix),
            ("w:lvlText", form.text),
            ("w:lvlJc", "left"),
        ):
            lvl.append(OxmlElement(tag, {qn("w:val"): value}))
        indent = {
            qn("w:left"): "0",
            qn("w:leftChars"): "0",
            qn("w:firstLine"): str(first_line_twips),
            qn("w:firstLineChars"): str(first_line_chars),
        }
        paragraph = OxmlElement("w:pPr")
        paragraph.append(OxmlElement("w:ind", indent))
        lvl.append(paragraph)
        if form.east_asian:
            run = OxmlElement("w:rPr")
            run.append(OxmlElement("w:rFonts", {qn("w:hint"): "eastAsia"}))
            lvl.append(run)
        definition.append(lvl)
    insert_in_order(numbering, definition, ABSTRACT_NUMBERING)
    return numbering.add_num(abstract_id).numId


def number_paragraph(paragraph: Paragraph, list_id: int, level: int) -> None:
    numbering = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    numbering.get_or_add_ilvl().val = level
    numbering.get_or_add_numId().val = list_id


def _numbering(document: Document):
    """The numbering part's w:numbering, the part made when the template has none."""
    part = document.part
    try:
        return part.part_related_by(RT.NUMBERING).element
    except KeyError:
        xml = f'<w:numbering xmlns:w="{nsmap["w"]}" xmlns:r="{nsmap["r"]}"/>'
        numbering = NumberingPart(_free_partname(part, "/word/numbering%d.xml"), CT.WML_NUMBERING, parse_xml(xml), part.package)
        part.relate_to(numbering, RT.NUMBERING)
        return numbering.element


def _free_partname(part, template: str) -> PackURI:
    """/word/numbering.xml, or numbering2.xml … when a stray part already has the name."""
    taken = {str(p.partname) for p in part.package.iter_parts()}
    plain = template.replace("%d", "")
    return PackURI(plain) if plain not in taken else part.package.next_partname(template)


# ---------------------------------------------------------------- footnotes (footnotes.xml)


class NotesPart(StoryPart):
    """footnotes.xml or endnotes.xml. A story part, like the body and the headers, so a note
    can hold links and pictures, related from the notes part itself."""

    @property
    def next_id(self) -> int:
        # Picture ids (wp:docPr) are unique across the document, not per part.
        return max(super().next_id, self._document_part.next_id)


class CT_Note(BaseOxmlElement):
    """w:footnote / w:endnote: paragraphs and tables, as a cell or the body holds them."""

    p = ZeroOrMore("w:p")
    tbl = ZeroOrMore("w:tbl")


# Registered as python-docx registers its own parts and elements, before any document is opened.
PartFactory.part_type_for[CT.WML_FOOTNOTES] = NotesPart
PartFactory.part_type_for[CT.WML_ENDNOTES] = NotesPart
register_element_cls("w:footnote", CT_Note)
register_element_cls("w:endnote", CT_Note)

_SEPARATORS = (
    '<w:footnotes xmlns:w="{w}" xmlns:r="{r}">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
    "</w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>"
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
    "</w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>"
    "</w:footnotes>"
)


def footnotes(document: Document) -> NotesPart:
    """The document's footnotes part. A template without one gets it, with the separator line
    Word draws above the notes (and its continuation), named in the settings as Word does."""
    part = document.part
    try:
        return part.part_related_by(RT.FOOTNOTES)
    except KeyError:
        pass
    element = parse_xml(_SEPARATORS.format(w=nsmap["w"], r=nsmap["r"]))
    notes = NotesPart(_free_partname(part, "/word/footnotes%d.xml"), CT.WML_FOOTNOTES, element, part.package)
    part.relate_to(notes, RT.FOOTNOTES)
    settings = document.settings.element
    if settings.find(qn("w:footnotePr")) is None:
        properties = insert_in_order(settings, OxmlElement("w:footnotePr"), SETTINGS_FROM_FOOTNOTES)
        for separator in ("-1", "0"):
            properties.append(OxmlElement("w:footnote", {qn("w:id"): separator}))
    return notes


def add_footnote(notes: NotesPart) -> tuple[int, BlockItemContainer]:
    """A new, empty footnote: its id, and where its paragraphs go."""
    ids = [int(n.get(qn("w:id"))) for n in notes.element.iterchildren(qn("w:footnote"))]
    note_id = max([0, *ids]) + 1
    note = OxmlElement("w:footnote", {qn("w:id"): str(note_id)})
    notes.element.append(note)
    return note_id, BlockItemContainer(note, _PartOwner(notes))


def add_footnote_reference(run, note_id: int) -> None:
    """The note's number in the text (w:footnoteReference in the w:r); Word numbers the notes itself."""
    run.append(OxmlElement("w:footnoteReference", {qn("w:id"): str(note_id)}))


def add_footnote_mark(run) -> None:
    """The note's own number at the start of its text (w:footnoteRef in the w:r)."""
    run.append(OxmlElement("w:footnoteRef"))


def move_to_start(paragraph, *runs) -> None:
    """Move these runs of the w:p, in this order, to the start of its content (after its w:pPr)."""
    properties = paragraph.find(qn("w:pPr"))
    position = 0 if properties is None else list(paragraph).index(properties) + 1
    for offset, run in enumerate(runs):
        paragraph.insert(position + offset, run)


class _PartOwner:
    """What python-docx's proxies ask their parent for: the part they live in."""

    def __init__(self, part) -> None:
        self.part = part


_STORY_KINDS = {
    CT.WML_HEADER: "header",
    CT.WML_FOOTER: "footer",
    CT.WML_FOOTNOTES: "footnotes",
    CT.WML_ENDNOTES: "endnotes",
    CT.WML_COMMENTS: "comments",
}


def story_parts(document: Document):
    """(kind, part) of the parts besides the body that hold text: header, footer, footnotes, endnotes, comments."""
    for part in document.part.package.iter_parts():
        kind = _STORY_KINDS.get(part.content_type)
        if kind is not None and hasattr(part, "element"):
            yield kind, part


# ---------------------------------------------------------------- styles: what a style resolves to


def style_chain(document: Document, style) -> list:
    """The style's element and those it is based on, nearest first (a loop in basedOn ends it)."""
    by_id = {s.style_id: s.element for s in document.styles}
    chain = []
    element = style.element
    while element is not None and element not in chain:
        chain.append(element)
        based_on = element.find(qn("w:basedOn"))
        element = by_id.get(based_on.get(qn("w:val"))) if based_on is not None else None
    return chain


def _defaults(document: Document, kind: str):
    """w:rPrDefault/w:rPr or w:pPrDefault/w:pPr of the document, or None."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is None:
        return None
    holder = defaults.find(qn(f"w:{kind}Default"))
    return holder.find(qn(f"w:{kind}")) if holder is not None else None


def resolved_attribute(document: Document, style, kind: str, tag: str, attribute: str) -> str | None:
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


def resolved_element(document: Document, style, kind: str, tag: str):
    """The nearest element `tag` of the style's chain (then the document defaults), or None."""
    holders = [element.find(qn(f"w:{kind}")) for element in style_chain(document, style)]
    holders.append(_defaults(document, kind))
    for holder in holders:
        found = holder.find(qn(tag)) if holder is not None else None
        if found is not None:
            return found
    return None


def linked_character_style(document: Document, paragraph_style) -> str | None:
    """The name of the character style Word links to a paragraph style (w:link): what Word applies
    to part of a paragraph in that style's look, "Heading 2 Char" or a Chinese Word's "标题 2 字符"."""
    link = paragraph_style.element.find(qn("w:link"))
    if link is None:
        return None
    target = next((s for s in document.styles if s.style_id == link.get(qn("w:val"))), None)
    return target.name if target is not None and target.type == WD_STYLE_TYPE.CHARACTER else None


def add_linked_character_style(document: Document, paragraph_style, name: str) -> None:
    """A character style `name` with the run properties the paragraph style resolves to, linked
    to it as Word links its headings: text in a body paragraph then looks like the heading."""
    ids = {s.style_id for s in document.styles}
    style_id = "".join(ch for ch in name if ch.isalnum()) or "LinkedChar"
    while style_id in ids:
        style_id = "zbreport" + style_id
    element = OxmlElement("w:style", {qn("w:type"): "character", qn("w:customStyle"): "1", qn("w:styleId"): style_id})
    element.append(OxmlElement("w:name", {qn("w:val"): name}))
    default_font = next((s for s in document.styles if s.type == WD_STYLE_TYPE.CHARACTER and s.element.get(qn("w:default")) in ("1", "true")), None)
    if default_font is not None:
        element.append(OxmlElement("w:basedOn", {qn("w:val"): default_font.style_id}))
    element.append(OxmlElement("w:link", {qn("w:val"): paragraph_style.style_id}))
    element.append(_merged_run_properties(style_chain(document, paragraph_style)))
    document.styles.element.append(element)  # w:styles holds w:style last: the end is its place
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
    merged = OxmlElement("w:rPr")
    for tag in RUN_PROPERTIES:
        if tag == "w:rFonts" and fonts:
            merged.append(OxmlElement("w:rFonts", {key: value for key, value in fonts.items()}))
        elif qn(tag) in found and tag != "w:rStyle":
            merged.append(deepcopy(found[qn(tag)]))
    return merged
