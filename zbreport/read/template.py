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
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.document import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn

from ..diagnostics import Finding, InputError, Location, Severity
from ..fonts import missing_fonts
from ..model import TemplatePlaceholders
from .placeholders import PLACEHOLDER
from .published import limits
from ..write import ooxml
from ..write.docx import MARKER, REQUIRED_STYLES, styles_to_borrow

_WHERE = {"body": "正文", "header": "页眉", "footer": "页脚", "footnotes": "脚注", "endnotes": "尾注", "comments": "批注"}
# The body marker written inside other text ("正文：{{ body }}"): it must be a paragraph of its own.
_MARKER_IN_TEXT = re.compile(r"\{\{\s*(?:body|正文)\s*\}\}")


@dataclass(frozen=True)
class TemplateText:
    """A placeholder found in the template, and where a person would look for it."""

    placeholder: str
    where: str  # 正文, 正文表格, 页眉, 页脚, 脚注, 尾注, 批注


@dataclass
class Template:
    path: Path
    document: Document
    is_default: bool
    marker: object | None = None  # the body paragraph (w:p) the report replaces
    misplaced_markers: list[str] = field(default_factory=list)
    markers_in_text: list[str] = field(default_factory=list)  # "正文：{{ body }}": the paragraph's text
    placeholders: list[TemplateText] = field(default_factory=list)
    missing_styles: tuple[str, ...] = ()  # styles the report needs that the template lacks: warned about
    support_styles: tuple[str, ...] = ()  # lacking too, for links, notes, quotes, code: borrowed quietly
    fallback: Document | None = None  # the default template, lending the missing styles

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


def open_docx(path: Path) -> Document:
    if not path.exists():
        raise InputError("找不到 Word 模板文件", Location(path))
    if path.is_dir():
        raise InputError("Word 模板应为 .docx 文件，却是一个文件夹", Location(path))
    try:
        data = _as_document(path) if path.suffix.lower() == ".dotx" else path.read_bytes()
        return docx.Document(io.BytesIO(data))
    except InputError:
        raise
    except FileNotFoundError:
        raise InputError("找不到 Word 模板文件", Location(path)) from None
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(f"Word 模板文件已损坏或不是 .docx 文件（{type(exc).__name__}）", Location(path)) from None
    except Exception as exc:  # lxml and zipfile raise many kinds for a damaged package
        raise InputError(f"无法打开 Word 模板文件：{exc}", Location(path)) from None


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
    names = {s.name for s in template.document.styles}
    template.missing_styles, template.support_styles = styles_to_borrow(names)
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
                TemplateText(m.group(0), where) for m in PLACEHOLDER.finditer(text) if not _MARKER_IN_TEXT.fullmatch(m.group(0))
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


def style_fonts(document: Document) -> list[str]:
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
