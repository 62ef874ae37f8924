"""Editing a built report the way editors' programs leave it: python-docx and raw WordprocessingML.

Word rewrites a paragraph it touched into runs split wherever it likes, with rsid attributes,
proofing marks (w:proofErr) and bookmarks between them; tracked changes wrap runs in w:ins and
w:del (deleted text in w:delText) with an author and a date; comments live in their own part,
anchored by w:commentRangeStart/End and a w:commentReference run.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

_IDS = itertools.count(9000)


def open_report(path: Path):
    return docx.Document(str(path))


def paragraph_with(document, text: str) -> Paragraph:
    """The first body paragraph whose text contains `text`."""
    for paragraph in document.paragraphs:
        if text in paragraph.text:
            return paragraph
    raise AssertionError(f"no paragraph holds {text!r}")


def _run(text: str, *, rsid: str = "00A1B2C3", deleted: bool = False):
    run = OxmlElement("w:r")
    run.set(qn("w:rsidR"), rsid)
    node = OxmlElement("w:delText" if deleted else "w:t")
    node.text = text
    node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    run.append(node)
    return run


def _clear_runs(paragraph: Paragraph) -> None:
    for child in list(paragraph._p):
        if child.tag != qn("w:pPr"):
            paragraph._p.remove(child)


def retype(paragraph: Paragraph, text: str, every: int = 5) -> None:
    """The paragraph's text replaced as Word saves it: runs of a few characters with rsids,
    a spelling mark and a bookmark among them, the paragraph's own rsid attributes."""
    _clear_runs(paragraph)
    p = paragraph._p
    p.set(qn("w:rsidR"), "00C4D5E6")
    p.set(qn("w:rsidRDefault"), "00C4D5E6")
    bookmark = str(next(_IDS))
    for i in range(0, len(text), every):
        if i == every:
            start = OxmlElement("w:proofErr")
            start.set(qn("w:type"), "spellStart")
            p.append(start)
            mark = OxmlElement("w:bookmarkStart")
            mark.set(qn("w:id"), bookmark)
            mark.set(qn("w:name"), "_GoBack")
            p.append(mark)
        p.append(_run(text[i : i + every], rsid=f"00{i % 7}E{i % 3}F10"))
        if i == every:
            end = OxmlElement("w:proofErr")
            end.set(qn("w:type"), "spellEnd")
            p.append(end)
            close = OxmlElement("w:bookmarkEnd")
            close.set(qn("w:id"), bookmark)
            p.append(close)


def replace_words(document, old: str, new: str) -> None:
    paragraph = paragraph_with(document, old)
    retype(paragraph, paragraph.text.replace(old, new, 1))


def split_paragraph(document, before: str) -> None:
    """The editor presses Enter before `before`: two paragraphs with the same style."""
    paragraph = paragraph_with(document, before)
    text = paragraph.text
    at = text.index(before)
    second = paragraph.insert_paragraph_before("", style=paragraph.style)
    retype(second, text[:at])
    retype(paragraph, text[at:])


def track_changes(document, paragraph_text: str, delete: str, insert: str, author: str, date: str) -> None:
    """A tracked edit: `delete` struck out and `insert` put after it, as Word records them."""
    paragraph = paragraph_with(document, paragraph_text)
    text = paragraph.text
    at = text.index(delete)
    _clear_runs(paragraph)
    p = paragraph._p
    p.append(_run(text[:at]))
    removal = OxmlElement("w:del")
    addition = OxmlElement("w:ins")
    for change in (removal, addition):
        change.set(qn("w:id"), str(next(_IDS)))
        change.set(qn("w:author"), author)
        change.set(qn("w:date"), date)
    removal.append(_run(delete, deleted=True))
    addition.append(_run(insert[:2]))
    addition.append(_run(insert[2:], rsid="00FFEE11"))  # Word splits an insertion into runs too
    p.append(removal)
    p.append(addition)
    p.append(_run(text[at + len(delete) :]))


def comment_on(document, text: str, comment: str, author: str) -> None:
    """A comment anchored on the run holding `text`, made as Word makes them (comments part)."""
    paragraph = paragraph_with(document, text)
    whole = paragraph.text
    at = whole.index(text)
    _clear_runs(paragraph)
    paragraph.add_run(whole[:at])
    anchored = paragraph.add_run(text)
    paragraph.add_run(whole[at + len(text) :])
    document.add_comment(anchored, text=comment, author=author, initials=author[:1])


def set_cell(document, table_index: int, row: int, col: int, text: str) -> None:
    """A table cell retyped: its paragraph's runs replaced."""
    cell = document.tables[table_index].cell(row, col)
    retype(cell.paragraphs[0], text, every=1)


def track_split(document, before: str, author: str, date: str) -> None:
    """Enter pressed before `before` with changes tracked: the first paragraph's mark is an insertion."""
    split_paragraph(document, before)
    first = paragraph_with(document, before)._p.getprevious()
    properties = first.get_or_add_pPr()
    mark = properties.find(qn("w:rPr"))
    if mark is None:
        mark = OxmlElement("w:rPr")
        properties.append(mark)
    inserted = OxmlElement("w:ins")
    inserted.set(qn("w:id"), str(next(_IDS)))
    inserted.set(qn("w:author"), author)
    inserted.set(qn("w:date"), date)
    mark.append(inserted)
