"""What a build writes: a file per output format (Word, web page, PDF), where, and all or none.

Every file is made in memory (the PDF in a temporary folder) before the first one is written,
so a failure in any format (LibreOffice missing, a conversion timing out) leaves every earlier
report in place; each is then written atomically.
"""

from __future__ import annotations

import io
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import Finding, InputError, Location, OutputError
from ..document import Document
from ..output import write_atomically

if TYPE_CHECKING:
    from ..read.template import Template


class OutputKind(str, Enum):
    docx = "docx"
    html = "html"
    pdf = "pdf"


SUFFIXES = {OutputKind.docx: (".docx",), OutputKind.html: (".html", ".htm"), OutputKind.pdf: (".pdf",)}
_KNOWN = {s for suffixes in SUFFIXES.values() for s in suffixes}


def output_paths(kinds: list[OutputKind], output: Path | None, default: Path) -> dict[OutputKind, Path]:
    """Where each format goes. `default` is the report's path without a suffix.

    One format: `output` as given, which must end in that format's suffix. Several: `output`
    names them all, its suffix (if it is one of ours) replaced by each format's.
    """
    unique = list(dict.fromkeys(kinds))
    if output is not None and len(unique) == 1:
        kind = unique[0]
        if output.suffix.lower() not in SUFFIXES[kind]:
            raise OutputError(f"输出文件应以 {SUFFIXES[kind][0]} 结尾：{output}")
        return {kind: output}
    base = default if output is None else output.with_suffix("") if output.suffix.lower() in _KNOWN else output
    return {kind: base.with_name(base.name + SUFFIXES[kind][0]) for kind in unique}


def check_folders(paths: dict[OutputKind, Path]) -> None:
    """Before anything is made: every file's folder exists."""
    for path in paths.values():
        if not path.parent.is_dir():
            raise OutputError(f"输出文件夹不存在：{path.parent}")


def render_files(document: Document, template: Template, paths: dict[OutputKind, Path]) -> tuple[list[tuple[Path, bytes]], list[Finding]]:
    """The content of every file, in the order asked, and what the web page could not show."""
    files: list[tuple[Path, bytes]] = []
    findings: list[Finding] = []
    docx: bytes | None = None
    if OutputKind.docx in paths or OutputKind.pdf in paths:
        from .docx import render_docx  # lxml is only needed here

        buffer = io.BytesIO()
        render_docx(document, template).save(buffer)
        docx = buffer.getvalue()
        _refuse_duplicate_parts(docx, template)
    for kind, path in paths.items():
        if kind is OutputKind.docx:
            assert docx is not None
            files.append((path, docx))
        elif kind is OutputKind.html:
            from .html import render_html

            page = render_html(document)
            findings += page.findings
            files.append((path, page.html.encode("utf-8")))
        else:
            from .pdf import docx_to_pdf

            assert docx is not None
            files.append((path, docx_to_pdf(docx)))
    return files, findings


def _refuse_duplicate_parts(docx: bytes, template: Template) -> None:
    """The last guard before a broken .docx is written: two parts of one name, made when a
    template's relationships do not say what its parts are (the writer adds a styles part of its
    own beside the one it did not recognise), would make Word refuse the file."""
    import zipfile  # here: check and preview write no .docx

    names = [name.lower() for name in zipfile.ZipFile(io.BytesIO(docx)).namelist()]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise InputError(
            f"无法用这个模板生成报告：其关系表（.rels）没有正确标明 {'、'.join(twice[:3])} 是什么，生成的文件会损坏；"
            "请在 Word 中打开模板并另存一次",
            Location(template.path),
        )


def write_files(files: list[tuple[Path, bytes]]) -> None:
    for path, content in files:
        write_atomically(path, content)
