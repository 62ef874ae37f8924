"""Reading published reports (.docx, a saved web page, a text PDF) into the Report model.

Each reader (docx.py, html.py, pdf.py) turns its format into the same blocks (blocks.py);
interpret.py turns the blocks into the model by the official format. The formats' readers are
imported only when a file of theirs is read: PDF support is heavy. Nor is the interpreter loaded
before a published report is read: every command asks `is_published`, few read one.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ...diagnostics import InputError, Location
from ...format import Format

if TYPE_CHECKING:
    from .blocks import Published
    from .interpret import PublishedReport

SUFFIXES = {".docx": "docx", ".html": "html", ".htm": "html", ".xhtml": "html", ".pdf": "pdf"}
OTHER_OFFICE = {".doc": "Word 97-2003 文档（.doc）", ".wps": "WPS 文档（.wps）", ".odt": "OpenDocument 文档（.odt）", ".rtf": "RTF 文档"}


def is_published(path: Path) -> bool:
    """A file named like a published report (rather than a project folder)."""
    return path.suffix.lower() in SUFFIXES or path.suffix.lower() in OTHER_OFFICE


def read_blocks(path: Path, fmt: Format) -> Published:
    suffix = path.suffix.lower()
    if suffix in OTHER_OFFICE:
        raise InputError(f"不能直接读取{OTHER_OFFICE[suffix]}；请在 Word 或 WPS 中另存为 .docx 或 PDF 后再试", Location(path))
    kind = SUFFIXES.get(suffix)
    if kind == "docx":
        from .docx import read_docx

        return read_docx(path)
    if kind == "html":
        from .html import read_html

        return read_html(path, fmt)
    if kind == "pdf":
        from .pdf import read_pdf

        return read_pdf(path, fmt)
    raise InputError("只能读取 .docx、.html（.htm）或 .pdf 格式的年度报告", Location(path))


def read_published(path: Path, fmt: Format) -> PublishedReport:
    """The report a published file holds; InputError when the file cannot be read at all."""
    from .interpret import interpret

    return interpret(read_blocks(path, fmt), fmt)


def __getattr__(name: str):
    """`from zbreport.read.published import PublishedReport` loads the interpreter when it is asked for."""
    if name == "PublishedReport":
        from .interpret import PublishedReport

        return PublishedReport
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["PublishedReport", "SUFFIXES", "is_published", "read_blocks", "read_published"]
