"""Telling a report zbreport wrote from one an editor has changed: a fingerprint inside the .docx.

`build` records, as custom document properties (docProps/custom.xml, which Word, WPS and
LibreOffice keep when they save), a hash of every other part of the package as written, and
a short hash of each project file the report was built from. Before replacing a .docx, `build`
recomputes the first: a file without it was not written by zbreport, a file where it no longer
matches was saved since, and neither is overwritten. The hash covers part names and contents,
sorted, so zipping the same parts again (another order, compression or timestamps) keeps it.
The source hashes let `diff` and `pull` say which project files changed after the build.
"""

from __future__ import annotations

import hashlib
import html
import io
import zipfile
from pathlib import Path
from typing import Literal

from lxml import etree

from .records import field, record
from .diagnostics import InputError
from .model import Report

CUSTOM_PART = "docProps/custom.xml"
FINGERPRINT = "zbreport-fingerprint"
SOURCE = "zbreport-source "  # followed by the project file's path, relative to the project
_HASH = "sha256:"

_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_CUSTOM_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the one format id Word gives user-defined properties
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def package_hash(parts: dict[str, bytes]) -> str:
    """A hash of the parts by name, the custom properties (which hold it) left out."""
    custom = _custom_part_name(parts)
    digest = hashlib.sha256()
    for name in sorted(parts):
        if name == custom:
            continue
        digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(parts[name]).digest())
    return _HASH + digest.hexdigest()


def stamp(package: bytes, sources: dict[str, str]) -> bytes:
    """The .docx with its fingerprint and the project files' hashes as custom properties.

    A template's own custom properties are kept; earlier zbreport properties are replaced.
    """
    names, parts = _read(io.BytesIO(package))
    custom = _custom_part_name(parts)
    parts["[Content_Types].xml"] = _with_override(parts["[Content_Types].xml"], custom)
    parts["_rels/.rels"] = _with_relationship(parts["_rels/.rels"])
    if custom not in parts:
        names.append(custom)
    kept = _foreign_properties(parts.get(custom))
    ours = [(FINGERPRINT, package_hash(parts))] + [(SOURCE + path, digest) for path, digest in sorted(sources.items())]
    parts[custom] = _custom_xml(kept, ours)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            target.writestr(name, parts[name])
    return buffer.getvalue()


def stamped_docx(document, sources: dict[str, str]) -> bytes:
    """A document (anything with `save(stream)`: the Word writer's package) saved, with its fingerprint."""
    buffer = io.BytesIO()
    document.save(buffer)
    return stamp(buffer.getvalue(), sources)


State = Literal["unchanged", "edited", "foreign"]


@record
class Provenance:
    """What a .docx says about where it came from.

    unchanged: written by zbreport and not saved since; edited: written by zbreport, saved
    since (by Word, WPS, LibreOffice, …); foreign: not a zbreport report, or not a .docx at all.
    """

    state: State
    sources: dict[str, str] = field(default_factory=dict)  # project file -> its hash when built


def examine(path: Path) -> Provenance:
    """The provenance of the file at `path`; anything unreadable counts as foreign.

    The file may be anything (someone else's document, a huge file, a zip bomb): its custom
    properties are read first, and the rest only if it claims to be zbreport's, each part with
    the published-report reader's limits.
    """
    from .read.published import limits

    try:
        limits.check_file(path)
        with limits.open_zip(path, "Word 文档") as archive:
            names = [info.filename for info in archive.infolist() if not info.is_dir()]

            def read(name: str) -> bytes:
                data = limits.read_member(archive, name, path)
                if data is None:
                    raise KeyError(name)
                return data

            if "[Content_Types].xml" not in names or "_rels/.rels" not in names:
                return Provenance("foreign")
            custom = _custom_part_name({"_rels/.rels": read("_rels/.rels")})
            properties = custom_properties(read(custom)) if custom in names else {}
            recorded = properties.get(FINGERPRINT)
            if not recorded:
                return Provenance("foreign")
            parts = {name: read(name) for name in names}
    except (InputError, OSError, zipfile.BadZipFile, KeyError, ValueError, EOFError):
        return Provenance("foreign")
    sources = {name[len(SOURCE) :]: value for name, value in properties.items() if name.startswith(SOURCE)}
    return Provenance("unchanged" if recorded == package_hash(parts) else "edited", sources)


def recorded_sources(path: Path) -> dict[str, str]:
    """The project files' hashes a .docx recorded when it was built; {} if none survived."""
    from .read.published import limits

    try:
        with limits.open_zip(path, "Word 文档") as archive:
            rels = limits.read_member(archive, "_rels/.rels", path)
            custom = limits.read_member(archive, _custom_part_name({"_rels/.rels": rels or b""}), path)
    except (InputError, OSError, zipfile.BadZipFile, ValueError, EOFError):
        return {}
    properties = custom_properties(custom)
    return {name[len(SOURCE) :]: value for name, value in properties.items() if name.startswith(SOURCE)}


def source_hashes(report: Report) -> dict[str, str]:
    """A short hash of each project file the report was read from: report.yaml, sections, tables."""
    from .read.project import REPORT_FILE

    root = report.project_dir
    paths = [root / REPORT_FILE] + [s.source for s in report.sections if s.source is not None]
    paths += [t.source for t in report.tables.values()]
    hashes = {}
    for path in paths:
        try:
            hashes[path.relative_to(root).as_posix()] = file_hash(path.read_bytes())
        except (OSError, ValueError):
            continue  # a missing table file (an error found before), or one outside the project
    return hashes


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def changed_sources(project_dir: Path, recorded: dict[str, str]) -> list[str]:
    """The project files (as recorded) whose content differs from when the report was built."""
    changed = []
    for relative, digest in sorted(recorded.items()):
        try:
            now = file_hash((project_dir / relative).read_bytes())
        except OSError:
            now = ""
        if now != digest:
            changed.append(relative)
    return changed


# ---------------------------------------------------------------- the package's parts


def _read(source) -> tuple[list[str], dict[str, bytes]]:
    with zipfile.ZipFile(source) as package:
        names = [info.filename for info in package.infolist() if not info.is_dir()]
        parts = {name: package.read(name) for name in names}
    if "[Content_Types].xml" not in parts or "_rels/.rels" not in parts:
        raise KeyError("not an Office package")
    return names, parts


def _escaped(text: str) -> str:
    """Text for XML character data: &, < and > as entities (xml.sax.saxutils.escape, whose module
    imports urllib.request and http.client: 15 ms of every build)."""
    return html.escape(text, quote=False)


def _quoted(text: str) -> str:
    """An XML attribute value with its quotes, as xml.sax.saxutils.quoteattr writes it: line breaks
    and tabs as character references, in double quotes unless the value holds one."""
    text = _escaped(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"' + text.replace('"', "&quot;") + '"'


def _custom_part_name(parts: dict[str, bytes]) -> str:
    """Where the package keeps its custom properties: as its relationships say, else the usual name."""
    try:
        root = etree.fromstring(parts["_rels/.rels"], _PARSER)
    except etree.XMLSyntaxError:
        return CUSTOM_PART
    for relationship in root.iter(f"{{{_REL_NS}}}Relationship"):
        if relationship.get("Type") == _CUSTOM_REL and relationship.get("TargetMode") != "External":
            return (relationship.get("Target") or CUSTOM_PART).lstrip("/")
    return CUSTOM_PART


def custom_properties(xml: bytes | None) -> dict[str, str]:
    """User-defined document properties: name -> text value."""
    if not xml:
        return {}
    try:
        root = etree.fromstring(xml, _PARSER)
    except etree.XMLSyntaxError:
        return {}
    values = {}
    for prop in root.iter(f"{{{_CUSTOM_NS}}}property"):
        name = prop.get("name")
        if name is not None:
            values[name] = "".join(prop.itertext()).strip()
    return values


def _foreign_properties(xml: bytes | None) -> list[bytes]:
    """The template's own custom properties, serialized, zbreport's left out."""
    if not xml:
        return []
    try:
        root = etree.fromstring(xml, _PARSER)
    except etree.XMLSyntaxError:
        return []
    kept = []
    for prop in root.iter(f"{{{_CUSTOM_NS}}}property"):
        name = prop.get("name") or ""
        if name == FINGERPRINT or name.startswith(SOURCE):
            continue
        kept.append(etree.tostring(prop, encoding="UTF-8"))
    return kept


def _custom_xml(kept: list[bytes], ours: list[tuple[str, str]]) -> bytes:
    """docProps/custom.xml: property ids (pid) start at 2 and are unique, as Word requires."""
    properties = []
    pid = 2
    for element in kept:
        prop = etree.fromstring(element, _PARSER)
        prop.set("pid", str(pid))
        properties.append(etree.tostring(prop, encoding="unicode"))
        pid += 1
    for name, value in ours:
        properties.append(
            f'<property fmtid="{_FMTID}" pid="{pid}" name={_quoted(name)}><vt:lpwstr>{_escaped(value)}</vt:lpwstr></property>'
        )
        pid += 1
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Properties xmlns="{_CUSTOM_NS}" xmlns:vt="{_VT_NS}">{"".join(properties)}</Properties>'
    ).encode("utf-8")


def _with_override(xml: bytes, custom: str) -> bytes:
    root = etree.fromstring(xml, _PARSER)
    part_name = "/" + custom
    if not any(o.get("PartName", "").lower() == part_name.lower() for o in root.iter(f"{{{_CT_NS}}}Override")):
        override = etree.SubElement(root, f"{{{_CT_NS}}}Override")
        override.set("PartName", part_name)
        override.set("ContentType", _CUSTOM_TYPE)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _with_relationship(xml: bytes) -> bytes:
    root = etree.fromstring(xml, _PARSER)
    relationships = list(root.iter(f"{{{_REL_NS}}}Relationship"))
    if not any(r.get("Type") == _CUSTOM_REL for r in relationships):
        ids = {r.get("Id") for r in relationships}
        number = 1
        while f"rId{number}" in ids:
            number += 1
        relationship = etree.SubElement(root, f"{{{_REL_NS}}}Relationship")
        relationship.set("Id", f"rId{number}")
        relationship.set("Type", _CUSTOM_REL)
        relationship.set("Target", CUSTOM_PART)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
