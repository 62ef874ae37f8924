"""Limits for reading files we did not write: sizes, page counts, time, zip members, XML.

The read layer's one place for opening an untrusted Office package (.docx, .dotx, .xlsx) and
parsing its XML: the published-report readers, the template reader and the workbook reader go
through it.

A published report is a few hundred kilobytes and a few dozen pages. Anything far beyond that
is refused with a message before it is inflated or parsed, so a hostile or broken file costs
a second, not the machine: a zip bomb is refused by its declared sizes and compression ratio
(and by a bounded read, since declared sizes can lie), and XML is parsed with entities and
DTDs off and never fetched from the network.
"""

from __future__ import annotations

import io
import time
import zipfile
import zlib
from pathlib import Path

from lxml import etree

from ...records import record
from ...diagnostics import InputError, Location
from .. import files

MB = 1024 * 1024
MAX_FILE_BYTES = {".docx": 50 * MB, ".html": 20 * MB, ".htm": 20 * MB, ".pdf": 100 * MB}
MAX_PART_BYTES = 40 * MB  # one inflated part of a .docx (document.xml of a long report: ~1 MB)
MAX_RATIO = 200  # inflated / compressed; Word's XML compresses 5–30 times
MAX_PDF_PAGES = 300
MAX_SECONDS = 120.0
MAX_TABLE_CELLS = 20_000  # the three official tables together have ~400


def check_file(path: Path) -> None:
    """A regular file of a size a report can have; anything else is refused by name."""
    limit = MAX_FILE_BYTES.get(path.suffix.lower(), 20 * MB)
    # A named pipe, a device, a link loop: refused as every input file is (files.py), the size below.
    files.require_file(path, files.FileKind("已发布的报告", 1 << 62))
    size = path.stat().st_size
    if size > limit:
        raise InputError(
            f"文件有 {size // MB} MB，超过 {limit // MB} MB 的上限；年度报告一般不到 5 MB，请确认是否选错了文件",
            Location(path),
        )


@record(frozen=False)
class Deadline:
    """A reader checks it between pages and blocks, so a slow file ends with a message."""

    path: Path
    seconds: float = MAX_SECONDS
    start: float = 0.0

    def __post_init__(self) -> None:
        self.start = time.monotonic()

    def check(self) -> None:
        if time.monotonic() - self.start > self.seconds:
            raise InputError(f"读取超过 {self.seconds:.0f} 秒仍未完成，已停止；文件可能过大或已损坏", Location(self.path))


def open_zip(path: Path, what: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InputError(f"不是有效的 {what}（无法按 zip 格式打开）", Location(path)) from None


def read_member(archive: zipfile.ZipFile, name: str, path: Path) -> bytes | None:
    """One member of a zip, refused before inflating if it declares a bomb, and cut off if it lies."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART_BYTES or info.file_size > MAX_RATIO * max(info.compress_size, 1) + MB:
        raise InputError(
            f"文件中的 {name} 解压后有 {info.file_size // MB} MB（压缩前 {info.compress_size // 1024} KB），"
            "不像正常的 Word 文档，为安全起见不读取",
            Location(path),
        )
    try:
        with archive.open(info) as member:
            data = member.read(MAX_PART_BYTES + 1)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise InputError(f"文件中的 {name} 已损坏，无法读取（{exc}）", Location(path)) from None
    if len(data) > MAX_PART_BYTES:
        raise InputError(f"文件中的 {name} 解压后超过 {MAX_PART_BYTES // MB} MB，为安全起见不读取", Location(path))
    return data


_XML_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False, remove_comments=True
)


def parse_xml(data: bytes, name: str, path: Path) -> etree._Element:
    """An XML part with no DTD at all (Word never writes one): entities can neither expand nor fetch."""
    head = data[:4096].lstrip()
    if b"<!DOCTYPE" in data[:65536].upper() or b"<!ENTITY" in data[:65536].upper():
        raise InputError(f"文件中的 {name} 含有 DTD 声明，Word 文档中不应有；为安全起见不读取", Location(path))
    if not head:
        raise InputError(f"文件中的 {name} 是空的", Location(path))
    try:
        return etree.fromstring(data, _XML_PARSER)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"文件中的 {name} 不是有效的 XML（{exc.msg}）", Location(path)) from None


MAX_PARTS = 5000
MAX_INFLATED_BYTES = 200 * MB  # all parts of a package together


def open_package(data: bytes, where: Location, noun: str) -> tuple[zipfile.ZipFile, dict[str, bytes]]:
    """A package a library will inflate whole (python-docx a template, openpyxl a workbook),
    checked first: a zip bomb is refused from the sizes each part declares, before any is
    inflated (zipfile stops at the declared size, so a part cannot lie its way past this), and
    an XML part carrying a DTD is refused by name. Returns the archive and its XML parts' bytes."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise InputError(f"{noun}已损坏或格式不对（不是有效的 zip 压缩包）", where) from None
    if len(parts) > MAX_PARTS:
        raise InputError(f"{noun}中的部件过多（{len(parts)} 个），不像是正常的文件", where)
    total = 0
    for part in parts:
        if part.file_size > MAX_PART_BYTES or part.file_size > MAX_RATIO * max(part.compress_size, 1) + MB:
            raise InputError(
                f"{noun}中的 {_short(part.filename)} 解压后有 {part.file_size // MB} MB（压缩前 "
                f"{part.compress_size // 1024} KB）：疑似压缩炸弹，为安全起见不读取",
                where,
            )
        total += part.file_size
    if total > MAX_INFLATED_BYTES:
        raise InputError(f"{noun}解压后共 {total // MB} MB，超过 {MAX_INFLATED_BYTES // MB} MB，为安全起见不读取", where)
    xml: dict[str, bytes] = {}
    for part in parts:
        if part.filename.endswith((".xml", ".rels")):
            try:
                content = archive.read(part)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError):
                raise InputError(f"{noun}已损坏：无法解压 {_short(part.filename)}", where) from None
            if _declares_dtd(content):
                raise InputError(
                    f"{noun}的 {_short(part.filename)} 含有 DTD 声明（<!DOCTYPE>），Office 文件中不应有；为安全起见不读取",
                    where,
                )
            xml[part.filename] = content
    return archive, xml


def _declares_dtd(xml: bytes) -> bool:
    """True when an XML part declares a DTD, in whatever encoding it is written."""
    if xml[:2] in (b"\xff\xfe", b"\xfe\xff"):
        xml = xml.decode("utf-16", errors="replace").encode("utf-8")
    return b"<!doctype" in xml.lower()


def _short(name: str) -> str:
    return name if len(name) <= 60 else name[:60] + "…"
