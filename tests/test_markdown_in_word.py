"""Every Markdown construct, built into a .docx and read back as Word and LibreOffice read it.

One project with everything is built once a session; LibreOffice converts it to PDF once.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from docx.oxml.ns import qn

from conftest import SAMPLE, assert_valid_docx, run_cli
from docx_reading import NS, W, Package, paragraph_style, paragraph_with, run_style, run_with, text_of

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
TEXT_WIDTH_EMU = 156 * 36000  # the A4 text block between the official margins
# Pure Chinese text without punctuation, so every full line shows how many characters a line holds.
LONG_TEXT = "政府信息公开工作年度报告依法编制按时发布" * 80
# A 、 after runs of 1 … 40 characters: somewhere one falls just past a full line's end.
PUNCTUATED = "".join("文" * n + "、" for n in range(1, 41)) + "完。"

EVERYTHING = f"""
## （五）其他

详见[淄博市人民政府门户网站](http://www.zibo.gov.cn "淄博市政府")[^网站]。

“**放管服**”改革——全文……约~~三~~四页，<u>下划线</u>，H<sub>2</sub>O，m<sup>2</sup>，代码 `zbreport build`。  
这是硬换行后的一行。

![{{{{年度}}}}年政务公开平台](图片/平台.png)

文中插图![小图](图片/小图.png)在文字之间。

1. 第一项工作
2. 第二项工作
   1. 第一个子项
   2. 第二个子项
      1. 更深一层
3. 第三项工作

另起一段。

5. 从五开始的列表
6. 第六项

- 要点甲
- 要点乙
  - 子要点

> 引用的文字，出自某文件。
>
> 引用的第二段。

```
zbreport build 项目
  缩进的第二行
```

{LONG_TEXT}

{PUNCTUATED}

[^网站]: 门户网站地址为 http://www.zibo.gov.cn ，见[政务公开专栏](http://www.zibo.gov.cn/gk)。
"""


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A plain PNG of one colour, 72 dpi (no pHYs chunk)."""
    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


WIDE = png(1200, 500, (40, 90, 160))
SMALL = png(40, 40, (200, 30, 30))


@pytest.fixture(scope="session")
def everything_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("everything") / "project"
    shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("*.docx", "*.pdf"))
    sections = project / "sections"
    (sections / "图片").mkdir()
    (sections / "图片" / "平台.png").write_bytes(WIDE)
    (sections / "图片" / "小图.png").write_bytes(SMALL)
    with (sections / "6-other.md").open("a", encoding="utf-8") as file:
        file.write(EVERYTHING)
    # section 五 starts a page; a grid table follows table 四 directly
    five = sections / "5-problems.md"
    five.write_text("<!-- 分页 -->\n\n" + five.read_text(encoding="utf-8"), encoding="utf-8")
    with (sections / "4-review-litigation.md").open("a", encoding="utf-8") as file:
        file.write("\n<!-- 表格 -->\n\n| 项目 | 数量 |\n|---|---:|\n| 培训 | 3 |\n")
    return project


@pytest.fixture(scope="session")
def everything_docx(everything_project: Path) -> Path:
    out = everything_project.parent / "everything.docx"
    result = run_cli("build", everything_project, "-o", out)
    assert result.code == 0, result.output
    assert "警告 [markdown]" not in result.stderr and "警告 [html]" not in result.stderr
    assert_valid_docx(out)
    return out


@pytest.fixture(scope="session")
def package(everything_docx: Path) -> Package:
    return Package(everything_docx)


@pytest.fixture(scope="session")
def body(package: Package):
    return package.xml("word/document.xml")


@pytest.fixture(scope="session")
def pdf_pages(everything_docx: Path) -> list[str]:
    """The document converted by LibreOffice, once: each page's text as pdftotext -layout prints it."""
    if not (SOFFICE and PDFTOTEXT):
        if os.environ.get("CI"):
            pytest.fail("CI must have soffice and pdftotext")
        pytest.skip("LibreOffice or pdftotext not installed (CI installs them)")
    folder = everything_docx.parent
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{folder / 'lo-profile'}", "--headless", "--convert-to", "pdf",
         "--outdir", str(folder), str(everything_docx)],
        check=True, capture_output=True, timeout=240,
    )
    text = subprocess.run(
        [PDFTOTEXT, "-layout", str(everything_docx.with_suffix(".pdf")), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text.split("\f")


def compact(text: str) -> str:
    return "".join(text.split())  # pdftotext spaces Latin from Chinese text


def style_id(package: Package, name: str) -> str:
    return package.style_ids()[name]


# ---------------------------------------------------------------- links


def test_a_link_is_a_word_hyperlink(package, body):
    link = next(h for h in body.iter(f"{{{W}}}hyperlink") if text_of(h) == "淄博市人民政府门户网站")
    relationship = package.relationships("word/document.xml")[link.get(qn("r:id"))]
    assert relationship == {"Type": "hyperlink", "Target": "http://www.zibo.gov.cn", "TargetMode": "External"}
    assert link.get(qn("w:tooltip")) == "淄博市政府"
    assert {run_style(r) for r in link.iter(f"{{{W}}}r")} == {style_id(package, "Hyperlink")}


# ---------------------------------------------------------------- footnotes


def test_a_footnote_is_a_word_footnote(package, body):
    notes = package.xml("word/footnotes.xml")
    kinds = {n.get(qn("w:id")): n.get(qn("w:type")) for n in notes.iterfind("w:footnote", NS)}
    assert kinds["-1"] == "separator" and kinds["0"] == "continuationSeparator"
    note = next(n for n in notes.iterfind("w:footnote", NS) if "门户网站地址为" in text_of(n))
    assert text_of(note).strip() == "门户网站地址为 http://www.zibo.gov.cn ，见政务公开专栏。"
    assert paragraph_style(note.find("w:p", NS)) == style_id(package, "footnote text")
    assert note.find(".//w:footnoteRef", NS) is not None  # the note's own number
    # the reference stands right after the link, in the footnote reference style
    paragraph = paragraph_with(body, "详见淄博市人民政府门户网站")
    reference = paragraph.find(".//w:footnoteReference", NS)
    assert reference.get(qn("w:id")) == note.get(qn("w:id"))
    assert run_style(reference.getparent()) == style_id(package, "footnote reference")
    # a link inside the note is related from the footnotes part itself
    link = note.find(".//w:hyperlink", NS)
    assert package.relationships("word/footnotes.xml")[link.get(qn("r:id"))]["Target"] == "http://www.zibo.gov.cn/gk"
    settings = package.xml("word/settings.xml")
    assert [f.get(qn("w:id")) for f in settings.iterfind("w:footnotePr/w:footnote", NS)] == ["-1", "0"]


def test_the_footnote_is_printed_at_the_foot_of_its_page(pdf_pages):
    page = next(p for p in pdf_pages if "详见淄博市人民政府门户网站" in compact(p))
    lines = [compact(line) for line in page.splitlines() if line.strip()]
    note = next(i for i, line in enumerate(lines) if "门户网站地址为" in line)
    assert lines[note].endswith("门户网站地址为http://www.zibo.gov.cn，见政务公开专栏。")
    assert lines[note].startswith("1") or lines[note - 1] == "1"  # its number, raised, may print a line of its own
    assert note == len(lines) - 2 and re.fullmatch(r"—\d+—", lines[-1])  # under the text, over the page number
    assert "详见淄博市人民政府门户网站1。" in lines[:note]


# ---------------------------------------------------------------- pictures


def test_a_picture_on_its_own_is_embedded_and_fitted_to_the_text_block(package, body):
    figure = next(p for p in body.iter(f"{{{W}}}p") if p.find(".//wp:docPr[@descr='2024年政务公开平台']", NS) is not None)
    assert paragraph_style(figure) == style_id(package, "Figure")
    blip = figure.find(".//a:blip", NS)
    media = package.relationships("word/document.xml")[blip.get(qn("r:embed"))]["Target"]
    assert package.files[media] == WIDE
    extent = figure.find(".//wp:extent", NS)
    width, height = int(extent.get("cx")), int(extent.get("cy"))
    assert abs(width - TEXT_WIDTH_EMU) <= TEXT_WIDTH_EMU * 0.01  # 1200 px at 72 dpi is 423 mm: fitted
    assert abs(height / width - 500 / 1200) < 0.01


def test_a_picture_in_a_line_keeps_its_size_and_is_not_cropped(body):
    paragraph = paragraph_with(body, "文中插图")
    extent = paragraph.find(".//wp:extent", NS)
    assert abs(int(extent.get("cx")) - 40 * 12700) < 12700  # 40 px at 72 dpi, not enlarged
    spacing = paragraph.find("w:pPr/w:spacing", NS)
    assert spacing.get(qn("w:lineRule")) == "atLeast"  # an exact line height would crop it


# ---------------------------------------------------------------- lists


def _numbering(package: Package, paragraph) -> tuple[int, dict]:
    """(level, that level's definition) of a numbered paragraph, followed through numbering.xml."""
    numbering = package.xml("word/numbering.xml")
    num_id = paragraph.find("w:pPr/w:numPr/w:numId", NS).get(qn("w:val"))
    level = int(paragraph.find("w:pPr/w:numPr/w:ilvl", NS).get(qn("w:val")))
    num = numbering.find(f"w:num[@w:numId='{num_id}']", NS)
    abstract_id = num.find("w:abstractNumId", NS).get(qn("w:val"))
    lvl = numbering.find(f"w:abstractNum[@w:abstractNumId='{abstract_id}']/w:lvl[@w:ilvl='{level}']", NS)
    return level, {child.tag.split("}")[1]: child.get(qn("w:val")) for child in lvl if child.get(qn("w:val")) is not None}


def test_lists_are_numbered_by_word_in_the_official_sequence(package, body):
    expected = {
        "第一项工作": (0, "decimal", "%1."),
        "第三项工作": (0, "decimal", "%1."),
        "第一个子项": (1, "decimal", "（%2）"),
        "更深一层": (2, "decimalEnclosedCircle", "%3"),
        "要点甲": (0, "bullet", "●"),
        "子要点": (1, "bullet", "○"),
    }
    for text, (level, number_format, shown) in expected.items():
        paragraph = paragraph_with(body, text)
        assert text_of(paragraph) == text  # the number is Word's, not typed into the text
        found_level, definition = _numbering(package, paragraph)
        assert (found_level, definition["numFmt"], definition["lvlText"]) == (level, number_format, shown), text
    numbers = {t: paragraph_with(body, t).find("w:pPr/w:numPr/w:numId", NS).get(qn("w:val")) for t in ("第一项工作", "第三项工作", "从五开始的列表")}
    assert numbers["第一项工作"] == numbers["第三项工作"] != numbers["从五开始的列表"]  # one list, then another
    _, definition = _numbering(package, paragraph_with(body, "从五开始的列表"))
    assert definition["start"] == "5"


def test_lists_as_libreoffice_prints_them(pdf_pages):
    lines = [compact(line) for page in pdf_pages for line in page.splitlines()]
    for line in ("1.第一项工作", "2.第二项工作", "（1）第一个子项", "（2）第二个子项", "①更深一层", "3.第三项工作",
                 "5.从五开始的列表", "6.第六项", "●要点甲", "○子要点"):
        assert line in lines, line


# ---------------------------------------------------------------- quotes, code, marks, breaks


def test_quotes_code_and_character_marks_have_their_styles(package, body):
    ids = package.style_ids()
    assert paragraph_style(paragraph_with(body, "引用的文字")) == ids["Quote"]
    assert paragraph_style(paragraph_with(body, "引用的第二段")) == ids["Quote"]
    code = paragraph_with(body, "zbreport build 项目")
    assert paragraph_style(code) == ids["Source Code"]
    assert text_of(code) == "zbreport build 项目  缩进的第二行" and code.find(".//w:br", NS) is not None
    assert run_style(run_with(body, "zbreport build")) == ids["Verbatim Char"]
    assert run_style(run_with(body, "放管服")) == ids["Strong"]
    assert run_with(body, "三").find("w:rPr/w:strike", NS) is not None
    assert run_with(body, "下划线").find("w:rPr/w:u", NS).get(qn("w:val")) == "single"
    paragraph = paragraph_with(body, "H2O")
    scripts = [r.find("w:rPr/w:vertAlign", NS).get(qn("w:val")) for r in paragraph.iter(f"{{{W}}}r") if text_of(r) == "2"]
    assert scripts == ["subscript", "superscript"]


def test_a_hard_break_stays_a_break_in_one_paragraph(body):
    paragraph = paragraph_with(body, "这是硬换行后的一行。")
    assert text_of(paragraph).startswith("“放管服”改革")
    children = list(paragraph.iter(f"{{{W}}}br", f"{{{W}}}t"))
    before = children.index(next(c for c in children if c.text == "这是硬换行后的一行。"))
    assert children[before - 1].tag == f"{{{W}}}br"


def test_chinese_runs_ask_for_the_chinese_face(package, body):
    """w:hint="eastAsia" on every run with Chinese text or the marks Chinese shares with Latin:
    the opening quote alone in its run too; Latin-only runs are left to the Latin face."""

    def hinted(run) -> bool:
        fonts = run.find("w:rPr/w:rFonts", NS)
        return fonts is not None and fonts.get(qn("w:hint")) == "eastAsia"

    assert hinted(run_with(body, "“"))
    assert hinted(run_with(body, "”改革——全文……约"))
    assert not hinted(run_with(body, "zbreport build"))
    for root in (body, package.xml("word/footnotes.xml")):
        for run in root.iter(f"{{{W}}}r"):
            if re.search("[\u4e00-\u9fff“”‘’—…]", text_of(run)):
                assert hinted(run), text_of(run)
    # and in the schema position Word reads: rFonts right after rStyle
    for run in body.iter(f"{{{W}}}r"):
        properties = run.find("w:rPr", NS)
        if properties is not None and properties.find("w:rFonts", NS) is not None:
            tags = [c.tag.split("}")[1] for c in properties]
            assert tags.index("rFonts") == (1 if tags[0] == "rStyle" else 0), tags


# ---------------------------------------------------------------- structure


def test_a_page_break_at_the_top_of_a_section_file_starts_the_section_on_a_new_page(body, pdf_pages):
    heading = paragraph_with(body, "五、存在的主要问题及改进情况")
    assert heading.find("w:pPr/w:pageBreakBefore", NS) is not None
    previous = heading.getprevious()
    assert previous.find(".//w:br[@w:type='page']", NS) is None  # no page left blank before it
    page = next(p for p in pdf_pages if "五、存在的主要问题及改进情况" in compact(p))
    assert compact(page).startswith("五、存在的主要问题及改进情况")


def test_two_adjacent_tables_are_kept_apart(body):
    """Word fuses tables that touch; a paragraph stands between table 四 and the table after it."""
    blocks = [c for c in body.find("w:body", NS) if c.tag in (f"{{{W}}}p", f"{{{W}}}tbl")]
    grid = next(i for i, b in enumerate(blocks) if b.tag == f"{{{W}}}tbl" and "培训" in text_of(b))
    assert blocks[grid - 1].tag == f"{{{W}}}p" and blocks[grid - 2].tag == f"{{{W}}}tbl"
    assert "行政复议" in text_of(blocks[grid - 2])


def test_one_word_paragraph_for_each_narrative_paragraph(body):
    texts = [text_of(p) for p in body.iter(f"{{{W}}}p")]
    assert texts.count(LONG_TEXT) == 1
    assert "另起一段。" in texts


# ---------------------------------------------------------------- GB/T 9704: 28 characters × 22 lines


def test_a_full_line_holds_28_characters_and_a_full_page_22_lines(pdf_pages):
    lines = [compact(line) for page in pdf_pages for line in page.splitlines()]
    paragraph = [line for line in lines if line and set(line) <= set(LONG_TEXT)]
    assert len(paragraph[0]) == 26  # the first line, indented two characters
    full = paragraph[1:-1]
    assert len(full) > 40 and {len(line) for line in full} == {28}
    pages = [
        [compact(line) for line in page.splitlines() if line.strip() and not re.fullmatch(r"—\d+—", compact(line))]
        for page in pdf_pages
    ]
    only_text = [page for page in pages if page and all(set(line) <= set(LONG_TEXT) for line in page)]
    assert only_text and {len(page) for page in only_text} == {22}  # the page in the middle of the long paragraph


def test_no_punctuation_is_lost_at_the_end_of_a_full_line(pdf_pages):
    """LibreOffice hangs a 、 past a full line's end and then does not print it, unless told
    (w:overflowPunct) not to hang punctuation."""
    text = "".join(compact(line) for page in pdf_pages for line in page.splitlines() if not re.fullmatch(r"\s*—\s*\d+\s*—\s*", line))
    start = text.index("文、文文、")
    assert text[start : start + len(PUNCTUATED)] == PUNCTUATED


# ---------------------------------------------------------------- the template lends what the project uses


def test_a_template_without_footnotes_or_numbering_gets_them(tmp_path, everything_project):
    """python-docx's own template has no footnotes part and Word-made styles; the build still validates."""
    import docx

    template = tmp_path / "plain.docx"
    docx.Document().save(str(template))
    out = tmp_path / "out.docx"
    result = run_cli("build", everything_project, "--template", template, "-o", out)
    assert result.code == 0, result.output
    built = Package(out)
    assert "word/footnotes.xml" in built.files and "word/numbering.xml" in built.files
    assert "footnote text" in built.style_ids()  # borrowed from ours, without a warning
    assert "footnote text" not in result.stderr
