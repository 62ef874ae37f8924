"""A Word template: opened, and what it holds for zbreport: styles, the body marker, placeholders, fonts.

An agency's template keeps its page setup, headers, footers, styles and its own content (a
cover, a date and seal block). The report goes where a paragraph reads `{{ body }}` (or
`{{ 正文 }}`), or after the template's content when there is none. Other `{{ … }}` anywhere in
the template are placeholders, read like those of the narrative. A style zbreport uses that the
template lacks is taken from the default template, with a warning.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from lxml import etree

from ..records import field, record
from . import files
from ..diagnostics import Finding, InputError, Location, Severity, shorten
from ..fonts import missing_fonts
from ..model import TemplatePlaceholders
from .placeholders import find_placeholders
from .published import limits
from ..write import ooxml
from ..write import package as opc
from ..write.ooxml import qn
from ..write.package import WordDocument
from ..write.docx import EMPHASIS, MARKER, REQUIRED_STYLES, RUN_IN_HEADINGS, STRONG, TABLE, styles_to_borrow

_WHERE = {"body": "正文", "header": "页眉", "footer": "页脚", "footnotes": "脚注", "endnotes": "尾注", "comments": "批注"}
# The body marker written inside other text ("正文：{{ body }}"): it must be a paragraph of its own.
_MARKER_IN_TEXT = re.compile(r"\{\{\s*(?:body|正文)\s*\}\}")
# The kind of each style the writer applies; every other one is a paragraph style.
_STYLE_TYPES = {name: "character" for name in (STRONG, EMPHASIS, *RUN_IN_HEADINGS.values())} | {TABLE: "table"}


@record
class TemplateText:
    """A placeholder found in the template, and where a person would look for it."""

    placeholder: str
    where: str  # 正文, 正文表格, 页眉, 页脚, 脚注, 尾注, 批注


@record(frozen=False)
class Template:
    path: Path
    document: WordDocument
    is_default: bool
    marker: object | None = None  # the body paragraph (w:p) the report replaces
    misplaced_markers: list[str] = field(default_factory=list)
    markers_in_text: list[str] = field(default_factory=list)  # "正文：{{ body }}": the paragraph's text
    placeholders: list[TemplateText] = field(default_factory=list)
    missing_styles: tuple[str, ...] = ()  # styles the report needs that the template lacks: warned about
    support_styles: tuple[str, ...] = ()  # lacking too, for links, notes, quotes, code: borrowed quietly
    fallback: WordDocument | None = None  # the default template, lending the missing styles

    @property
    def name(self) -> str:
        return "zbreport 默认模板" if self.is_default else self.path.name

    def placeholder_texts(self) -> TemplatePlaceholders:
        """What `assemble` fills: each placeholder with where in the template it stands."""
        return TemplatePlaceholders(self.name, self.path, tuple((t.placeholder, t.where) for t in self.placeholders))


def default_template() -> Path:
    """The template shipped with zbreport: inside the installed package, or in the source checkout."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "templates" / "default.docx", package.parent / "templates" / "default.docx"):
        if candidate.is_file():
            return candidate
    raise InputError("找不到 zbreport 自带的 Word 模板（templates/default.docx），请重新安装 zbreport")


def open_docx(path: Path) -> WordDocument:
    """A Word document or template, checked before it is opened: a zip of bounded inflated size
    (a zip bomb is refused before anything is inflated), XML without a DTD (no entities to
    expand or fetch), and a main document with a body and page setup."""
    where = Location(path)
    data = files.read_bytes(path, files.TEMPLATE)
    _check_package(data, where)
    try:
        if path.suffix.lower() == ".dotx":
            data = _as_document(path)
        document = WordDocument.read(io.BytesIO(data))
    except KeyError as exc:  # zipfile: a part the package's relationships name is not in it
        missing = re.search(r"named '([^']*)'", str(exc))
        what = f"：缺少 {shorten(missing.group(1))}" if missing else ""
        raise InputError(f"Word 模板文件已损坏{what}", where) from None
    except zipfile.BadZipFile as exc:
        raise InputError(f"Word 模板文件已损坏或不是 .docx 文件（{type(exc).__name__}）", where) from None
    except ValueError as exc:  # a package whose main part is not a Word document
        kind = re.search(r"content type is '([^']*)'", str(exc))
        what = f"主文档的类型是 {shorten(kind.group(1).split('officedocument.')[-1])}（可能是 Excel 或 PowerPoint 文件）" if kind else shorten(str(exc), 120)
        raise InputError(f"不是 Word 文档：{what}", where) from None
    except Exception as exc:  # lxml and zipfile raise many kinds for a damaged package
        raise InputError(f"无法打开 Word 模板文件：{shorten(str(exc), 120)}", where) from None
    _check_document(document, where)
    return document


_REQUIRED_PARTS = {"[Content_Types].xml": "内容类型表", "_rels/.rels": "关系表"}


def _check_package(data: bytes, where: Location) -> None:
    """Refuse what is not a zip, a zip bomb and XML with a DTD (limits.open_package), a package
    without the parts every Word file has, XML that does not parse, and broken relationships."""
    archive, xml = limits.open_package(data, where, "Word 模板")
    names = set(archive.namelist())
    for name, what in _REQUIRED_PARTS.items():
        if name not in names:
            raise InputError(f"不是 Word 文档：缺少 {name}（{what}），每个 .docx 都有这一部分", where)
    for name, content in xml.items():
        try:
            root = etree.fromstring(content, _XML_PARSER)
        except etree.XMLSyntaxError as exc:
            line = f"第 {exc.lineno} 行：" if exc.lineno else ""
            reason = re.sub(r",? line \d+, column \d+$", "", str(exc.msg))
            raise InputError(f"Word 模板已损坏：{shorten(name)} 不是有效的 XML（{line}{shorten(reason, 80)}）", where) from None
        if name.endswith(".rels"):
            _check_relationships(root, name, where)


_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s{}<>\"\\^`|]*")


def _check_relationships(root, name: str, where: Location) -> None:
    """Each relationship has an id, a target and a type that is a URI: a part whose relationship
    type cannot be read is not found as what it is, and the writer makes a second part of its name."""
    ids: set[str] = set()
    for relationship in root.iter(_RELATIONSHIP):
        kind, target, rid = relationship.get("Type") or "", relationship.get("Target"), relationship.get("Id")
        if not _URI.fullmatch(kind) or not target or not rid or rid in ids:
            raise InputError(f"Word 模板已损坏：关系表 {shorten(name)} 中有一项不完整或重复（{shorten(rid or '无编号')}）", where)
        ids.add(rid)


# Only to find a damaged part and name it: no entities, no network, no DTD, no huge trees.
_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _check_document(document: WordDocument, where: Location) -> None:
    """The main part is a Word document with a body and page setup, which the report fills."""
    root = document.element
    part = document.part.name.lstrip("/")
    if root.tag != qn("w:document"):
        raise InputError(f"不是 Word 文档：{part} 的根元素不是 w:document", where)
    body = root.find(qn("w:body"))
    if body is None:
        raise InputError(f"不是完整的 Word 文档：{part} 缺少正文（w:body）", where)
    if body.find(qn("w:sectPr")) is None:
        raise InputError(f"不是完整的 Word 文档：{part} 缺少页面设置（w:body 末尾的 w:sectPr）；请在 Word 中打开并另存一次", where)
    # The parts the writer reads and writes must be of the kind they should: a mutated content
    # type leaves, say, the styles as bytes, which cannot be read as styles.
    for source, relation in ((document.part, opc.STYLES), (document.package, opc.CORE_PROPERTIES)):
        try:
            related = source.rels.part(relation)
        except KeyError:
            continue  # made when written, as Word's default
        except ValueError:
            related = None
        if related is None or not related.is_xml:
            name = related.name.lstrip("/") if related is not None else _related_part(source, relation)
            raise InputError(f"Word 模板已损坏：{name or relation.rsplit('/', 1)[-1]} 无法按其应有的类型读取", where)
        if relation == opc.CORE_PROPERTIES and related.element.tag != qn("cp:coreProperties"):
            raise InputError(f"Word 模板已损坏：{related.name.lstrip('/')} 无法按其应有的类型读取", where)
    for other in document.package.iter_parts():
        _check_references(other, where)
        kind = other.content_type.rsplit(".", 1)[-1].removesuffix("+xml")
        expected = _PART_ROOTS.get(kind) if other.content_type.startswith(_WORD_CONTENT) else None
        if expected and other.is_xml and other.element.tag != qn(expected):
            raise InputError(f"Word 模板已损坏：{other.name.lstrip('/')} 的根元素不是 {expected}", where)


_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _check_references(part, where: Location) -> None:
    """Every r:id (a footer, a picture, a link) names a relationship the part has: one that names
    nothing is copied into the report, which Word then repairs or refuses."""
    if not part.is_xml:
        return
    known = part.rels.ids()
    for node in part.element.iter():
        for name, value in node.attrib.items():
            if name.startswith(_R) and value not in known:
                raise InputError(f"Word 模板已损坏：{part.name.lstrip('/')} 引用了不存在的关系 {shorten(value)}", where)


def _related_part(source, relation: str) -> str | None:
    """The name of the part `source` (a part or the package) relates to by `relation`."""
    for rel in source.rels.items:
        if rel.reltype == relation and not rel.external:
            return rel.target.name.lstrip("/")
    return None


_WORD_CONTENT = "application/vnd.openxmlformats-officedocument.wordprocessingml."
# The parts python-docx reads or zbreport writes into, by the last word of their content type.
_PART_ROOTS = {
    "header": "w:hdr", "footer": "w:ftr", "styles": "w:styles", "settings": "w:settings",
    "numbering": "w:numbering", "footnotes": "w:footnotes", "endnotes": "w:endnotes", "comments": "w:comments",
}


def _as_document(path: Path) -> bytes:
    """A Word template (.dotx) as the document it would start: only the main part's content type differs.

    Its parts are inflated within the limits of any package we did not write (`published.limits`).
    """
    buffer = io.BytesIO()
    with limits.open_zip(path, "Word 模板") as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = limits.read_member(source, item.filename, path) or b""
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"wordprocessingml.template.main+xml", b"wordprocessingml.document.main+xml")
            target.writestr(item, data)
    return buffer.getvalue()


def load_template(path: Path | None = None) -> Template:
    """Open a template (the default when None) and find its marker, placeholders and missing styles."""
    is_default = path is None
    path = path or default_template()
    template = Template(path, open_docx(path), is_default)
    styles = {s.name: s for s in ooxml.styles(template.document)}
    template.missing_styles, template.support_styles = styles_to_borrow(set(styles))
    for name in REQUIRED_STYLES:
        if name in styles and styles[name].type != _STYLE_TYPES.get(name, "paragraph"):
            kind = {"character": "字符样式", "table": "表格样式"}.get(_STYLE_TYPES.get(name), "段落样式")
            raise InputError(f"模板中的样式“{name}”类型不对：应为{kind}，请在 Word 中改正或删去它", Location(path))
    if template.missing_styles or template.support_styles:
        template.fallback = open_docx(default_template())
    for kind, root in ooxml.template_parts(template.document):
        for paragraph in root.iter(qn("w:p")):
            text = ooxml.paragraph_text(paragraph)
            if "{{" not in text:
                continue
            where = _WHERE[kind] + ("表格" if next(paragraph.iterancestors(qn("w:tbl")), None) is not None else "")
            if MARKER.match(text):
                if kind == "body" and paragraph.getparent() is root and template.marker is None:
                    template.marker = paragraph
                else:
                    template.misplaced_markers.append(where)
                continue
            if _MARKER_IN_TEXT.search(text):
                template.markers_in_text.append(text.strip())
            template.placeholders.extend(
                TemplateText(text[start:end], where)
                for start, end in find_placeholders(text)
                if not _MARKER_IN_TEXT.fullmatch(text[start:end])
            )
    return template


# ---------------------------------------------------------------- findings


def template_findings(template: Template) -> list[Finding]:
    """Missing styles (warnings) and misplaced markers (errors); `assemble` reports the placeholders."""
    where = Location(template.path)
    findings = [
        Finding(Severity.WARNING, "template-style", f"模板 {template.name} 缺少样式“{name}”，使用 zbreport 默认模板中的样式", where)
        for name in template.missing_styles
    ]
    for place in template.misplaced_markers:
        findings.append(
            Finding(Severity.ERROR, "template", f"模板 {template.name} 的{place}中有 {{{{ body }}}}：正文标记只能单独成段，放在正文中，且只能有一个", where)
        )
    for text in template.markers_in_text:
        findings.append(
            Finding(
                Severity.ERROR,
                "template",
                f"模板 {template.name} 中“{text[:40]}”：正文标记 {{{{ body }}}} 必须单独成段，段中不能有其他文字；"
                "请把其他文字移到另一段",
                where,
            )
        )
    return findings


def style_fonts(document: WordDocument) -> list[str]:
    """Chinese fonts named by the document defaults and by the styles zbreport uses.

    Only East-Asian fonts: a missing 仿宋_GB2312 changes how every line looks, while Latin
    fonts such as Times New Roman have metric-compatible stand-ins on every system.
    """
    return ooxml.fonts_named(document, set(REQUIRED_STYLES) | {"Normal"}, ("w:eastAsia",))


def font_findings(template: Template) -> list[Finding]:
    """One warning naming the fonts the styles use that this machine lacks (never an error)."""
    document = template.document
    names = style_fonts(document)
    if template.fallback is not None:  # the styles borrowed from the default template bring their fonts
        borrowed = ooxml.fonts_named(template.fallback, set(template.missing_styles), ("w:eastAsia",), defaults=False)
        names += [n for n in borrowed if n not in names]
    missing = missing_fonts(names)
    if not missing:
        return []
    return [
        Finding(
            Severity.WARNING,
            "font",
            f"本机未安装字体 {'、'.join(missing)}：在本机打开时会以其他字体显示，文档中仍使用这些字体，"
            "在装有这些字体的电脑上显示正常",
            Location(template.path),
        )
    ]
