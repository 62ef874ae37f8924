"""A .docx as an OPC package: its parts, their relationships and content types, read and written
with zipfile and lxml.

Reading walks the relationships from the package's own, as Word does: a part nothing relates to
is left out. The parts Word keeps as XML that zbreport reads or writes (the document, styles,
numbering, settings, headers, footers, notes, comments, core properties) are parsed; every other
part is carried as its bytes. Writing puts `[Content_Types].xml` first, then the package's
relationships, then each part (depth-first from those relationships) with its own. These are the
conventions of python-docx, which wrote zbreport's reports before this module, so a report is the
same file, part for part.
"""

from __future__ import annotations

import posixpath
import zipfile
from typing import IO, Iterator

from lxml import etree

# Blank text between elements is dropped as the XML is read, as Word itself does.
PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)

_WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml."
DOCUMENT_TYPE = _WORD + "document.main+xml"
STYLES_TYPE = _WORD + "styles+xml"
NUMBERING_TYPE = _WORD + "numbering+xml"
SETTINGS_TYPE = _WORD + "settings+xml"
FOOTNOTES_TYPE = _WORD + "footnotes+xml"
ENDNOTES_TYPE = _WORD + "endnotes+xml"
HEADER_TYPE = _WORD + "header+xml"
FOOTER_TYPE = _WORD + "footer+xml"
COMMENTS_TYPE = _WORD + "comments+xml"
CORE_TYPE = "application/vnd.openxmlformats-package.core-properties+xml"
RELS_TYPE = "application/vnd.openxmlformats-package.relationships+xml"
XML_TYPE = "application/xml"
# The parts held as XML trees; the rest are bytes.
XML_PARTS = frozenset(
    (DOCUMENT_TYPE, STYLES_TYPE, NUMBERING_TYPE, SETTINGS_TYPE, FOOTNOTES_TYPE, ENDNOTES_TYPE, HEADER_TYPE, FOOTER_TYPE, COMMENTS_TYPE, CORE_TYPE)
)

_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
OFFICE_DOCUMENT = _REL + "officeDocument"
STYLES = _REL + "styles"
NUMBERING = _REL + "numbering"
SETTINGS = _REL + "settings"
FOOTNOTES = _REL + "footnotes"
HYPERLINK = _REL + "hyperlink"
IMAGE = _REL + "image"
CORE_PROPERTIES = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_PR_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_EXTERNAL = "External"

# Extensions a content type is given by default (a <Default>) rather than per part.
_DEFAULT_TYPES = frozenset(
    {
        ("bin", "application/vnd.openxmlformats-officedocument.presentationml.printerSettings"),
        ("bin", "application/vnd.openxmlformats-officedocument.spreadsheetml.printerSettings"),
        ("bin", "application/vnd.openxmlformats-officedocument.wordprocessingml.printerSettings"),
        ("bmp", "image/bmp"),
        ("emf", "image/x-emf"),
        ("fntdata", "application/x-fontdata"),
        ("gif", "image/gif"),
        ("jpe", "image/jpeg"),
        ("jpeg", "image/jpeg"),
        ("jpg", "image/jpeg"),
        ("png", "image/png"),
        ("rels", RELS_TYPE),
        ("tif", "image/tiff"),
        ("tiff", "image/tiff"),
        ("wdp", "image/vnd.ms-photo"),
        ("wmf", "image/x-wmf"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("xml", XML_TYPE),
    }
)


class Relationship:
    """One relationship: to a part of the package, or to an external address."""

    __slots__ = ("rid", "reltype", "target", "external")

    def __init__(self, rid: str, reltype: str, target: Part | str, external: bool) -> None:
        self.rid, self.reltype, self.target, self.external = rid, reltype, target, external


class Relationships:
    """A part's (or the package's) relationships, in the order they were read or made."""

    def __init__(self, base: str) -> None:
        self.base = base  # the folder the relative targets start from
        self.items: list[Relationship] = []

    def __len__(self) -> int:
        return len(self.items)

    def ids(self) -> set[str]:
        return {r.rid for r in self.items}

    def add(self, reltype: str, target: Part | str, external: bool, rid: str | None = None) -> Relationship:
        taken = self.ids()
        if rid is None:
            rid = next(f"rId{n}" for n in range(1, len(self.items) + 2) if f"rId{n}" not in taken)
        relationship = Relationship(rid, reltype, target, external)
        self.items.append(relationship)
        return relationship

    def relate_to(self, target: Part | str, reltype: str, external: bool = False) -> str:
        """The id of the relationship of this type to `target`: the existing one, else a new one."""
        for r in self.items:
            if r.reltype == reltype and r.external == external and (r.target == target if external else r.target is target):
                return r.rid
        return self.add(reltype, target, external).rid

    def part(self, reltype: str) -> Part:
        """The one part related by this type; KeyError when none, ValueError when several."""
        matching = [r for r in self.items if r.reltype == reltype]
        if not matching:
            raise KeyError(f"no relationship of type '{reltype}' in collection")
        if len(matching) > 1:
            raise ValueError(f"multiple relationships of type '{reltype}' in collection")
        target = matching[0].target
        if not isinstance(target, Part):
            raise ValueError("target_part property on _Relationship is undefined when target mode is External")
        return target

    def xml(self) -> bytes:
        root = PARSER.makeelement(f"{{{_PR_NS}}}Relationships", nsmap={None: _PR_NS})
        for r in self.items:
            element = etree.SubElement(root, f"{{{_PR_NS}}}Relationship")
            element.set("Id", r.rid)
            element.set("Type", r.reltype)
            element.set("Target", r.target if isinstance(r.target, str) else relative_ref(r.target.name, self.base))
            if r.external:
                element.set("TargetMode", _EXTERNAL)
        return serialize(root)


class Part:
    """A part: its name (/word/document.xml), content type, and content, a tree or bytes."""

    def __init__(self, name: str, content_type: str, blob: bytes | None = None, element=None) -> None:
        self.name = name
        self.content_type = content_type
        self._blob = blob
        self.element = element
        self.rels = Relationships(posixpath.split(name)[0])

    @property
    def blob(self) -> bytes:
        return serialize(self.element) if self.element is not None else self._blob or b""

    @property
    def is_xml(self) -> bool:
        return self.element is not None

    def relate_to(self, target: Part | str, reltype: str, external: bool = False) -> str:
        return self.rels.relate_to(target, reltype, external)

    def related(self, reltype: str) -> Part:
        return self.rels.part(reltype)


class Package:
    """The parts reachable from the package's relationships, and those relationships."""

    def __init__(self) -> None:
        self.rels = Relationships("/")

    @classmethod
    def read(cls, source: IO[bytes]) -> Package:
        """Read a package. A missing part raises zipfile's KeyError ("no item named '…'"), a part
        without a content type a KeyError too, XML that does not parse lxml's error."""
        package = cls()
        with zipfile.ZipFile(source) as archive:
            names = set(archive.namelist())
            overrides, defaults = _content_types(archive.read("[Content_Types].xml"))

            def rels_of(name: str):
                folder, file = posixpath.split(name)
                member = posixpath.join(folder, "_rels", file + ".rels").lstrip("/")
                if member not in names:
                    return []
                root = etree.fromstring(archive.read(member), PARSER)
                return [
                    (r.get("Id"), r.get("Type"), r.get("Target"), r.get("TargetMode", "Internal") == _EXTERNAL)
                    for r in root.findall(f"{{{_PR_NS}}}Relationship")
                ]

            parts: dict[str, Part] = {}
            pending: list[tuple[Relationships, list]] = []

            def walk(rels: Relationships, read: list) -> None:
                pending.append((rels, read))
                for _, _, target, external in read:
                    if external:
                        continue
                    name = from_rel_ref(rels.base, target)
                    if name in parts:
                        continue
                    content_type = overrides.get(name.lower()) or defaults.get(_ext(name).lower())
                    if content_type is None:
                        raise KeyError(f"no content type for partname '{name}' in [Content_Types].xml")
                    data = archive.read(name[1:])
                    if content_type in XML_PARTS:
                        part = Part(name, content_type, element=etree.fromstring(data, PARSER))
                    else:
                        part = Part(name, content_type, blob=data)
                    parts[name] = part
                    walk(part.rels, rels_of(name))

            walk(package.rels, rels_of("/"))
            for rels, read in pending:
                for rid, reltype, target, external in read:
                    rels.add(reltype, target if external else parts[from_rel_ref(rels.base, target)], external, rid)
        return package

    def iter_parts(self) -> Iterator[Part]:
        """Every part, depth-first along the relationships from the package's."""
        seen: set[int] = set()

        def walk(rels: Relationships) -> Iterator[Part]:
            for r in rels.items:
                if r.external or id(r.target) in seen:
                    continue
                seen.add(id(r.target))
                yield r.target  # type: ignore[misc]
                yield from walk(r.target.rels)  # type: ignore[union-attr]

        return walk(self.rels)

    @property
    def main(self) -> Part:
        return self.rels.part(OFFICE_DOCUMENT)

    def next_partname(self, template: str) -> str:
        """template % n for the lowest n not taken."""
        taken = {p.name for p in self.iter_parts()}
        return next(template % n for n in range(1, len(taken) + 2) if template % n not in taken)

    def save(self, target: str | IO[bytes]) -> None:
        parts = list(self.iter_parts())
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("[Content_Types].xml", _content_types_xml(parts))
            archive.writestr("_rels/.rels", self.rels.xml())
            for part in parts:
                archive.writestr(part.name[1:], part.blob)
                if len(part.rels):
                    folder, file = posixpath.split(part.name)
                    archive.writestr(posixpath.join(folder, "_rels", file + ".rels")[1:], part.rels.xml())


def serialize(element) -> bytes:
    return etree.tostring(element, encoding="UTF-8", standalone=True)


def from_rel_ref(base: str, reference: str) -> str:
    return posixpath.abspath(posixpath.join(base, reference))


def relative_ref(name: str, base: str) -> str:
    return name[1:] if base == "/" else posixpath.relpath(name, base)


def _ext(name: str) -> str:
    ext = posixpath.splitext(name)[1]
    return ext[1:] if ext.startswith(".") else ext


def _content_types(data: bytes) -> tuple[dict[str, str], dict[str, str]]:
    """(overrides by lower-case part name, defaults by lower-case extension)."""
    root = etree.fromstring(data, PARSER)
    overrides = {o.get("PartName", "").lower(): o.get("ContentType") for o in root.findall(f"{{{_CT_NS}}}Override")}
    defaults = {d.get("Extension", "").lower(): d.get("ContentType") for d in root.findall(f"{{{_CT_NS}}}Default")}
    return overrides, defaults


def _content_types_xml(parts: list[Part]) -> bytes:
    """A <Default> for the extensions Word knows the type of, an <Override> for every other part."""
    defaults = {"rels": RELS_TYPE, "xml": XML_TYPE}
    overrides: dict[str, str] = {}
    for part in parts:
        ext = _ext(part.name)
        if (ext.lower(), part.content_type) in _DEFAULT_TYPES:
            defaults[ext.lower()] = part.content_type
        else:
            overrides[part.name] = part.content_type
    root = PARSER.makeelement(f"{{{_CT_NS}}}Types", nsmap={None: _CT_NS})
    for ext in sorted(defaults):
        etree.SubElement(root, f"{{{_CT_NS}}}Default", {"Extension": ext, "ContentType": defaults[ext]})
    for name in sorted(overrides):
        etree.SubElement(root, f"{{{_CT_NS}}}Override", {"PartName": name, "ContentType": overrides[name]})
    return serialize(root)


class WordDocument:
    """A Word document's package, with the parts zbreport reads and writes found (or made) by
    their relationships: the main document, its styles, settings, numbering, footnotes, and the
    package's core properties."""

    def __init__(self, package: Package) -> None:
        self.package = package
        self.part = package.main
        if self.part.content_type != DOCUMENT_TYPE:
            raise ValueError(f"file is not a Word file, content type is '{self.part.content_type}'")

    @classmethod
    def read(cls, source: IO[bytes]) -> WordDocument:
        return cls(Package.read(source))

    @property
    def element(self):
        return self.part.element

    @property
    def body(self):
        return self.part.element.find(f"{{{W_NS}}}body")

    def related_xml(self, reltype: str, name: str, content_type: str, root: str):
        """The root element of the document's part of this relationship; made, empty, when the
        document has none (at its usual name, as Word names it)."""
        try:
            return self.part.related(reltype).element
        except KeyError:
            pass
        element = PARSER.makeelement(f"{{{W_NS}}}{root}", nsmap={"w": W_NS})
        self.part.relate_to(Part(name, content_type, element=element), reltype)
        return element

    @property
    def styles(self):
        return self.related_xml(STYLES, "/word/styles.xml", STYLES_TYPE, "styles")

    @property
    def settings(self):
        return self.related_xml(SETTINGS, "/word/settings.xml", SETTINGS_TYPE, "settings")

    def save(self, target: str | IO[bytes]) -> None:
        self.package.save(target)
