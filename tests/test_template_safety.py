"""Templates that are not Word documents, or are built to harm: refused with the part named,
before anything is inflated or any entity resolved, and never a broken report with exit 0."""

from __future__ import annotations

import re
import struct
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from conftest import run_cli
from zbreport.read.template import default_template

DOCUMENT = "word/document.xml"


def variant(path: Path, change: dict | None = None, drop: tuple[str, ...] = (), extra=None) -> Path:
    """The default template with parts changed (a function of their bytes), dropped or added."""
    with zipfile.ZipFile(default_template()) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename in drop:
                continue
            data = source.read(item)
            if change and item.filename in change:
                data = change[item.filename](data)
            target.writestr(item.filename, data)
        if extra:
            extra(target)
    return path


def refused(project: Path, template: Path, *words: str) -> None:
    """Both commands that open a template refuse it, naming the file and saying why."""
    for result in (run_cli("template", "check", template), run_cli("build", project, "--template", template, "-o", project / "out.docx")):
        assert result.code == 2, result.output
        assert template.name in result.stderr and "Traceback" not in result.output
        for word in words:
            assert word in result.stderr
    assert not (project / "out.docx").exists()


def test_an_external_entity_is_never_resolved(project, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("机密内容", encoding="utf-8")
    doctype = f'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file://{secret}">]>'.encode()
    template = variant(
        tmp_path / "xxe.docx", {DOCUMENT: lambda d: d.replace(b"?>", b"?>" + doctype, 1).replace(b"{{ body }}", b"&x;{{ body }}")}
    )
    refused(project, template, DOCUMENT, "DOCTYPE")


def test_entity_expansion_is_refused(project, tmp_path):
    laughs = b'<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    template = variant(tmp_path / "laughs.docx", {"word/styles.xml": lambda d: d.replace(b"?>", b"?>" + laughs, 1)})
    refused(project, template, "word/styles.xml", "DOCTYPE")


@pytest.mark.parametrize(
    ("name", "change", "words"),
    [
        ("no-root", lambda d: re.sub(rb"<(/?)w:document\b", rb"<\1w:documentx", d), ("根元素不是 w:document",)),
        ("no-body", lambda d: re.sub(rb"<w:body>.*</w:body>", b"", d, flags=re.S), ("缺少正文（w:body）",)),
        ("no-sectPr", lambda d: re.sub(rb"<w:sectPr.*</w:sectPr>", b"", d, flags=re.S), ("w:sectPr",)),
        ("not-xml", lambda d: b"hello", ("不是有效的 XML", "第 1 行")),
        ("empty", lambda d: b"", ("不是有效的 XML",)),
    ],
)
def test_a_document_part_that_is_not_a_word_document(project, tmp_path, name, change, words):
    refused(project, variant(tmp_path / f"{name}.docx", {DOCUMENT: change}), DOCUMENT, *words)


@pytest.mark.parametrize(
    ("name", "kwargs", "words"),
    [
        ("no-content-types", {"drop": ("[Content_Types].xml",)}, ("[Content_Types].xml",)),
        ("no-rels", {"drop": ("_rels/.rels",)}, ("_rels/.rels",)),
        ("no-document", {"drop": (DOCUMENT,)}, (DOCUMENT,)),
        ("no-styles", {"drop": ("word/styles.xml",)}, ("word/styles.xml",)),
        ("styles-root", {"change": {"word/styles.xml": lambda d: b"<x/>"}}, ("word/styles.xml", "w:styles")),
        ("footer-root", {"change": {"word/footer1.xml": lambda d: b"<w:ftr xmlns:w='urn:x'/>"}}, ("word/footer1.xml", "w:ftr")),
        (
            "spreadsheet",
            {"change": {"[Content_Types].xml": lambda d: d.replace(b"wordprocessingml.document.main", b"spreadsheetml.sheet.main")}},
            ("spreadsheetml", "Excel"),
        ),
    ],
)
def test_a_package_that_is_not_a_word_document(project, tmp_path, name, kwargs, words):
    refused(project, variant(tmp_path / f"{name}.docx", **kwargs), *words)


def test_a_zip_bomb_is_refused_before_inflating(project, tmp_path):
    """A part that inflates a thousandfold: refused from its declared sizes, in well under a second."""

    def zeros(target: zipfile.ZipFile) -> None:
        info = zipfile.ZipInfo("word/media/image1.png")
        info.compress_type = zipfile.ZIP_DEFLATED
        with target.open(info, "w") as part:
            chunk = bytes(8 * 1024 * 1024)
            for _ in range(25):
                part.write(chunk)

    template = variant(tmp_path / "bomb.docx", extra=zeros)
    assert template.stat().st_size < 1024 * 1024
    tracemalloc.start()
    started = time.monotonic()
    try:
        result = run_cli("template", "check", template)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 1
    assert peak < 50 * 1024 * 1024
    assert result.code == 2 and "image1.png" in result.stderr and "压缩炸弹" in result.stderr


def test_a_part_that_lies_about_its_size(project, tmp_path):
    """Declared small, inflating large: zipfile stops at the declared size and the part is damaged."""
    template = variant(tmp_path / "liar.docx", {DOCUMENT: lambda d: d + b" " * (20 * 1024 * 1024)})
    data = bytearray(template.read_bytes())
    name = DOCUMENT.encode()
    central = data.rfind(b"PK\x01\x02", 0, data.rfind(name))  # the central-directory entry of document.xml
    struct.pack_into("<I", data, central + 24, 1000)  # its uncompressed size
    template.write_bytes(bytes(data))
    result = run_cli("build", project, "--template", template, "-o", project / "out.docx")
    assert result.code == 2 and "liar.docx" in result.stderr
    assert not (project / "out.docx").exists()


def test_not_a_zip_at_all(project, tmp_path):
    template = tmp_path / "text.docx"
    template.write_text("这不是 Word 文档", encoding="utf-8")
    refused(project, template, "不是有效的 zip")


def test_the_default_template_passes_every_check():
    with zipfile.ZipFile(default_template()) as package:
        assert all(b"<!doctype" not in package.read(i).lower() for i in package.infolist() if i.filename.endswith(".xml"))
    assert run_cli("template", "check", default_template()).code == 0


# ---------------------------------------------------------------- Excel workbooks in tables/ are packages too


def test_a_workbook_zip_bomb_is_refused_before_inflating(project):
    book = project / "tables" / "表格.xlsx"
    assert run_cli("tables", "export", project, "-o", book).code == 0
    with zipfile.ZipFile(book, "a", zipfile.ZIP_DEFLATED) as package, package.open("xl/media/zeros.bin", "w") as part:
        chunk = bytes(8 * 1024 * 1024)
        for _ in range(25):
            part.write(chunk)
    started = time.monotonic()
    result = run_cli("check", project)
    assert time.monotonic() - started < 5
    assert result.code == 2 and "表格.xlsx" in result.stderr and "压缩炸弹" in result.stderr


def test_a_workbook_with_a_dtd_is_refused(project):
    book = project / "tables" / "表格.xlsx"
    assert run_cli("tables", "export", project, "-o", book).code == 0
    rebuilt = project / "tables" / "rebuilt.xlsx"
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/workbook.xml":
                data = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + data.split(b"?>", 1)[-1]
            target.writestr(item.filename, data)
    book.unlink()
    result = run_cli("check", project)
    assert result.code == 2 and "rebuilt.xlsx" in result.stderr and "DOCTYPE" in result.stderr
