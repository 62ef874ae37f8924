"""What `template check` says about an agency's template, and what the build takes from it:
GB/T 9704 warnings, placeholders in notes and comments, the body marker, run-in headings."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from conftest import run_cli
from docx_reading import NS, W, Package, paragraph_with, run_style, text_of


@pytest.fixture
def dated_project(project: Path) -> Path:
    with (project / "report.yaml").open("a", encoding="utf-8") as report:
        report.write("成文日期: 2025-01-20\n")
    return project


def word_made(path: Path, edit=None) -> Path:
    """A template as python-docx's Word-made default has it: Letter, blue headings in theme fonts."""
    document = docx.Document()
    document.add_paragraph("{{ body }}")
    if edit is not None:
        edit(document)
    document.save(str(path))
    return path


# ---------------------------------------------------------------- GB/T 9704 warnings


def test_a_template_unlike_gb_t_9704_gets_warnings_not_errors(tmp_path):
    result = run_cli("template", "check", word_made(tmp_path / "t.docx"))
    assert result.code == 0, result.output
    out = " ".join(result.stdout.split())
    assert "页面为 216 × 279 mm，GB/T 9704-2012 规定 A4 纵向（210 × 297 mm）" in out
    assert "页边距 上 25、下 25、左 32、右 32 mm，GB/T 9704-2012 为 上 37、下 35、左 28、右 26 mm" in out
    assert "没有指定中文字体" in out and "Body Text、List Paragraph、Heading 1" in out
    assert "标题样式“Heading 1”的文字是彩色的（365F91）" in out
    assert "正文样式“Body Text”的首行没有缩进两个字符" in out


def test_the_default_template_meets_gb_t_9704(tmp_path):
    target = tmp_path / "t.docx"
    run_cli("template", "export", target)
    result = run_cli("template", "check", target)
    assert result.code == 0 and "[template-layout]" not in result.stdout


def test_headings_in_other_faces_are_named(tmp_path):
    def official_but_song(document):
        section = document.sections[0]
        section.page_width, section.page_height = docx.shared.Mm(210), docx.shared.Mm(297)
        section.top_margin, section.bottom_margin = docx.shared.Mm(37), docx.shared.Mm(35)
        section.left_margin, section.right_margin = docx.shared.Mm(28), docx.shared.Mm(26)
        for name, face in (("Heading 1", "宋体"), ("Heading 2", "KaiTi_GB2312"), ("Body Text", "仿宋_GB2312")):
            fonts = document.styles[name].element.get_or_add_rPr().get_or_add_rFonts()
            fonts.set(qn("w:eastAsia"), face)
        document.styles["Heading 1"].font.color.rgb = docx.shared.RGBColor(0, 0, 0)
        document.styles["Body Text"].paragraph_format.first_line_indent = docx.shared.Pt(32)
        document.styles["Body Text"].font.size = docx.shared.Pt(16)

    result = run_cli("template", "check", word_made(tmp_path / "t.docx", official_but_song))
    out = " ".join(result.stdout.split())
    assert "标题样式“Heading 1”的中文字体是 宋体，GB/T 9704-2012 第 1 层标题用黑体" in out
    assert "Heading 2”的中文字体" not in out  # KaiTi is 楷体
    assert "Heading 1”的文字是彩色的" not in out and "Heading 2”的文字是彩色的" in out
    assert "规定 A4" not in out and "mm，GB/T 9704-2012 为" not in out and "首行没有缩进" not in out


# ---------------------------------------------------------------- the body marker


def test_the_body_marker_must_stand_alone(dated_project, tmp_path):
    document = docx.Document()
    document.add_paragraph("正文：{{ body }}")
    document.save(str(tmp_path / "t.docx"))
    check = run_cli("template", "check", tmp_path / "t.docx")
    assert check.code == 1
    assert "正文标记 {{ body }} 必须单独成段" in " ".join(check.stdout.split())
    assert "body" not in check.stdout.split("占位符")[1].split("\n")[0]  # not listed as a placeholder
    build = run_cli("build", dated_project, "--template", tmp_path / "t.docx", "-o", tmp_path / "o.docx")
    assert build.code == 1 and "必须单独成段" in build.stderr and "未知" not in build.stderr


# ---------------------------------------------------------------- placeholders in notes and comments

_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _notes(kind: str, text: str) -> bytes:
    separators = "".join(
        f'<w:{kind} w:type="{t}" w:id="{i}"><w:p><w:r><w:{t}/></w:r></w:p></w:{kind}>'
        for i, t in ((-1, "separator"), (0, "continuationSeparator"))
    )
    note = f'<w:{kind} w:id="1"><w:p><w:r><w:{kind}Ref/></w:r><w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:{kind}>'
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{kind}s xmlns:w="{W}">{separators}{note}</w:{kind}s>'.encode()


def with_notes(path: Path) -> Path:
    """A template with a footnote, an endnote and a comment holding placeholders, as Word saves them."""
    document = docx.Document()
    paragraph = document.add_paragraph("封面")
    document.add_comment(paragraph.runs[0], text="请核对{{ 标题 }}", author="审核")
    for kind in ("footnote", "endnote"):
        run = paragraph.add_run()._r
        reference = OxmlElement(f"w:{kind}Reference")
        reference.set(qn("w:id"), "1")
        run.append(reference)
    document.add_paragraph("{{ body }}")
    document.save(str(path))
    with zipfile.ZipFile(path) as source:
        files = {name: source.read(name) for name in source.namelist()}
    files["word/footnotes.xml"] = _notes("footnote", "注：数据截至{{ 年度 }}年12月31日。")
    files["word/endnotes.xml"] = _notes("endnote", "{{ 机关全称 }}编")
    types = files["[Content_Types].xml"].decode()
    for kind in ("footnotes", "endnotes"):
        types = types.replace("</Types>", f'<Override PartName="/word/{kind}.xml" ContentType="{_CT}.{kind}+xml"/></Types>')
    files["[Content_Types].xml"] = types.encode()
    rels = files["word/_rels/document.xml.rels"].decode()
    for n, kind in enumerate(("footnotes", "endnotes")):
        rels = rels.replace("</Relationships>", f'<Relationship Id="rIdNotes{n}" Type="{_REL}/{kind}" Target="{kind}.xml"/></Relationships>')
    files["word/_rels/document.xml.rels"] = rels.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in files.items():
            target.writestr(name, data)
    return path


def test_placeholders_in_footnotes_endnotes_and_comments_are_found_and_filled(dated_project, tmp_path):
    template = with_notes(tmp_path / "t.docx")
    check = run_cli("template", "check", template)
    out = " ".join(check.stdout.split())
    assert check.code == 0, check.output
    assert "脚注 {{ 年度 }}" in out and "尾注 {{ 机关全称 }}" in out and "批注 {{ 标题 }}" in out

    sections = dated_project / "sections" / "1-overview.md"
    sections.write_text(sections.read_text(encoding="utf-8") + "\n另见说明[^1]。\n\n[^1]: 报告自己的脚注。\n", encoding="utf-8")
    out_file = tmp_path / "o.docx"
    result = run_cli("build", dated_project, "--template", template, "-o", out_file)
    assert result.code == 0, result.output
    built = Package(out_file)
    footnotes = built.xml("word/footnotes.xml")
    texts = {n.get(qn("w:id")): text_of(n).strip() for n in footnotes.iterfind("w:footnote", NS)}
    assert texts["1"] == "注：数据截至2024年12月31日。"  # the template's own note, filled
    assert "报告自己的脚注。" in texts.values() and len(texts) == 4  # the report's note after it
    assert text_of(built.xml("word/endnotes.xml")).strip() == "淄博市人民政府办公室编"
    assert "请核对2024年政府信息公开工作年度报告" in text_of(built.xml("word/comments.xml"))


def test_a_placeholder_in_a_footnote_that_cannot_be_filled_says_where(dated_project, tmp_path):
    template = with_notes(tmp_path / "t.docx")
    with zipfile.ZipFile(template) as source:
        files = {name: source.read(name) for name in source.namelist()}
    files["word/footnotes.xml"] = files["word/footnotes.xml"].replace("{{ 年度 }}".encode(), "{{ 年份 }}".encode())
    with zipfile.ZipFile(template, "w") as target:
        for name, data in files.items():
            target.writestr(name, data)
    result = run_cli("build", dated_project, "--template", template, "-o", tmp_path / "o.docx")
    assert result.code == 1 and "的脚注中 {{ 年份 }}" in result.stderr


# ---------------------------------------------------------------- run-in headings follow the template


def test_run_in_headings_follow_the_templates_own_heading_2(dated_project, tmp_path):
    """The template restyles Heading 2 (方正楷体, bold) and has no "Heading 2 Char": a run-in
    （一）… takes a character style made from the template's Heading 2, linked to it."""

    def own_heading(document):
        styles = document.styles
        heading = styles["Heading 2"].element
        heading.remove(heading.find(qn("w:link")))
        char = styles["Heading 2 Char"].element
        char.getparent().remove(char)
        fonts = heading.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), "方正楷体_GBK")

    template = word_made(tmp_path / "t.docx", own_heading)
    out = tmp_path / "o.docx"
    result = run_cli("build", dated_project, "--template", template, "-o", out)
    assert result.code == 0, result.output
    assert "Heading 2 Char" not in result.stderr  # made from the template's heading, not borrowed from ours
    built = Package(out)
    run = next(r for r in paragraph_with(built.xml("word/document.xml"), "（一）主动公开方面。").iter(f"{{{W}}}r"))
    assert text_of(run) == "（一）主动公开方面。"
    styles = built.xml("word/styles.xml")
    char = styles.find(f"w:style[@w:styleId='{run_style(run)}']", NS)
    assert char.get(qn("w:type")) == "character" and char.find("w:name", NS).get(qn("w:val")) == "Heading 2 Char"
    assert char.find("w:rPr/w:rFonts", NS).get(qn("w:eastAsia")) == "方正楷体_GBK"
    assert char.find("w:rPr/w:b", NS) is not None and char.find("w:rPr/w:color", NS).get(qn("w:val")) == "4F81BD"
    heading = styles.find("w:style[@w:styleId='Heading2']", NS)
    assert heading.find("w:link", NS).get(qn("w:val")) == char.get(qn("w:styleId"))


def test_run_in_headings_use_the_style_the_template_links_to_its_heading(dated_project, tmp_path):
    """A Chinese Word names the linked style "标题 2 字符"; that one is used."""

    def chinese_names(document):
        document.styles["Heading 2 Char"].element.find(qn("w:name")).set(qn("w:val"), "标题 2 字符")

    out = tmp_path / "o.docx"
    result = run_cli("build", dated_project, "--template", word_made(tmp_path / "t.docx", chinese_names), "-o", out)
    assert result.code == 0, result.output
    built = Package(out)
    run = next(r for r in paragraph_with(built.xml("word/document.xml"), "（一）主动公开方面。").iter(f"{{{W}}}r"))
    assert run_style(run) == built.style_ids()["标题 2 字符"]
    assert "Heading 2 Char" not in built.style_ids()
