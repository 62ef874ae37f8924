"""Agencies' own Word templates, made by python-docx and by LibreOffice rather than by zbreport."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Mm
from hypothesis import given
from hypothesis import strategies as st

from conftest import line_of, replace_in, run_cli, run_process
from docx_reading import open_docx
from zbreport import fonts
from zbreport.write import ooxml
from zbreport.read.template import default_template

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def split_runs(paragraph, *pieces: str, bold: bool | None = None) -> None:
    """Text written in several runs, as Word leaves it after spell-checking or revisions."""
    for piece in pieces:
        run = paragraph.add_run(piece)
        run.bold = bold


def agency_template(path: Path, *, marker: bool = True, header: tuple[str, ...] = ("{{ 机关", "全称 }}")) -> Path:
    """16开 paper, a header with a placeholder split across bold runs, a cover, a seal block."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(184), Mm(260)
    section.left_margin = section.right_margin = Mm(20)
    split_runs(section.header.paragraphs[0], *header, bold=True)
    split_runs(section.header.paragraphs[0], "·{{年", "度}}年")
    cover = document.add_paragraph("封面：")
    split_runs(cover, "{{ 机关全称 }}")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "报告年度"
    split_runs(table.cell(0, 1).paragraphs[0], "{{ 年", "度 }}")
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    if marker:
        split_runs(document.add_paragraph(), "{{ bo", "dy }}")
    document.add_paragraph("（印章）")
    document.add_paragraph("{{ 成文日期 }}")
    document.save(str(path))
    return path


@pytest.fixture
def dated_project(project: Path) -> Path:
    with (project / "report.yaml").open("a", encoding="utf-8") as report:
        report.write("成文日期: 2025-01-20\n")
    return project


def build_with(project: Path, template: Path, out: Path, *extra: str):
    result = run_cli("build", project, "--template", template, "-o", out, *extra)
    return result


def test_report_inside_an_agency_template(dated_project, tmp_path):
    template = agency_template(tmp_path / "机关模板.docx")
    out = tmp_path / "年报.docx"
    result = build_with(dated_project, template, out)
    assert result.code == 0, result.output
    document = open_docx(out)

    # page setup and header are the template's; the split placeholder is filled, still bold
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (184, 260)
    header = section.header.paragraphs[0]
    assert header.text == "淄博市人民政府办公室·2024年"
    assert [r.bold for r in header.runs if "淄博" in r.text] == [True]

    # the template's content is kept around the report, in order
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "封面：淄博市人民政府办公室"
    title = texts.index("2024年政府信息公开工作年度报告")
    assert texts[title - 1] == "淄博市人民政府办公室"
    assert texts[-2:] == ["（印章）", "2025年1月20日"]
    assert "{{ body }}" not in "".join(texts) and not any("{{" in t for t in texts)
    assert document.tables[0].cell(0, 1).text == "2024"

    # the official tables fit the narrower text block: 184 − 2 × 20 = 144 mm
    applications = document.tables[2]
    width = sum(int(c.get(qn("w:w"))) for c in applications._tbl.tblGrid.iter(qn("w:gridCol")))
    assert abs(width / 1440 * 25.4 - 144) < 0.5

    # styles the template lacks come from ours, with a warning naming each
    for name in ("Report Table", "Table Text", "Table Heading", "Table Label"):
        assert f"缺少样式“{name}”" in result.stderr
    assert {s.name for s in document.styles} >= {"Report Table", "Table Text"}
    assert applications.style.name == "Report Table"


def test_without_a_marker_the_report_follows_the_template(dated_project, tmp_path):
    template = agency_template(tmp_path / "无标记.docx", marker=False)
    out = tmp_path / "年报.docx"
    assert build_with(dated_project, template, out).code == 0
    texts = [p.text for p in open_docx(out).paragraphs]
    assert texts[0] == "封面：淄博市人民政府办公室"
    assert texts.index("（印章）") < texts.index("2024年政府信息公开工作年度报告")
    assert texts[-1].startswith("2.分层次开展培训")


def test_unknown_placeholder_names_template_and_placeholder(project, tmp_path):
    template = agency_template(tmp_path / "机关模板.docx", header=("{{ 机关", "名称 }}"))
    out = tmp_path / "年报.docx"
    result = build_with(project, template, out)
    assert result.code == 1 and not out.exists()
    assert "机关模板.docx" in result.stderr and "页眉中 {{ 机关名称 }}" in result.stderr
    assert "是否应为“机关全称”" in result.stderr


def test_a_placeholder_without_its_value(project, tmp_path):
    """The template asks for 成文日期, which report.yaml does not give."""
    result = build_with(project, agency_template(tmp_path / "t.docx"), tmp_path / "o.docx")
    assert result.code == 1
    assert "{{ 成文日期 }}" in result.stderr and "未填写" in result.stderr


def test_marker_inside_a_table_is_refused(dated_project, tmp_path):
    document = docx.Document()
    document.add_table(rows=1, cols=1).cell(0, 0).text = "{{ body }}"
    document.save(str(tmp_path / "t.docx"))
    result = build_with(dated_project, tmp_path / "t.docx", tmp_path / "o.docx")
    assert result.code == 1 and "正文标记只能单独成段" in result.stderr


def test_cover_in_its_own_section(dated_project, tmp_path):
    """A cover on its own section (different margins); the report starts the second section."""
    document = docx.Document()
    document.add_paragraph("封面")
    document.sections[0].left_margin = Mm(40)
    body = document.add_section(WD_SECTION.NEW_PAGE)
    body.left_margin = Mm(28)
    document.add_paragraph("{{ body }}")
    document.save(str(tmp_path / "t.docx"))
    out = tmp_path / "o.docx"
    assert build_with(dated_project, tmp_path / "t.docx", out).code == 0
    built = open_docx(out)
    assert len(built.sections) == 2
    assert round(built.sections[0].left_margin.mm) == 40 and round(built.sections[1].left_margin.mm) == 28
    assert built.paragraphs[0].text == "封面"


def test_project_names_its_template(dated_project, tmp_path):
    agency_template(dated_project / "本机关模板.docx")
    with (dated_project / "report.yaml").open("a", encoding="utf-8") as report:
        report.write("模板: 本机关模板.docx\n")
    result = run_cli("build", dated_project, "-o", tmp_path / "o.docx")
    assert result.code == 0, result.output
    assert open_docx(tmp_path / "o.docx").paragraphs[0].text == "封面：淄博市人民政府办公室"
    # check looks at the template too
    replace_in(dated_project / "report.yaml", "成文日期: 2025-01-20\n", "")
    check = run_cli("check", dated_project)
    assert check.code == 1 and "本机关模板.docx" in check.stdout and "{{ 成文日期 }}" in check.stdout
    # and next year's project keeps using it
    assert run_cli("init", tmp_path / "next", "--from", dated_project).code == 0
    assert "模板: ../project/本机关模板.docx" in (tmp_path / "next" / "report.yaml").read_text(encoding="utf-8")


def test_project_template_missing(project):
    with (project / "report.yaml").open("a", encoding="utf-8") as report:
        report.write("模板: 不存在.docx\n")
    result = run_cli("build", project)
    assert result.code == 2
    assert f"report.yaml:{line_of(project / 'report.yaml', '模板: 不存在.docx')}" in result.stderr


# ---------------------------------------------------------------- template export / check


def test_export_writes_the_default_template(tmp_path):
    target = tmp_path / "我们的模板.docx"
    assert run_cli("template", "export", target).code == 0
    assert target.read_bytes() == default_template().read_bytes()
    again = run_cli("template", "export", target)
    assert again.code == 3 and "已存在" in again.stderr
    assert run_cli("template", "export", target, "--force").code == 0


def test_check_the_default_template(tmp_path):
    target = tmp_path / "t.docx"
    run_cli("template", "export", target)
    result = run_cli("template", "check", target)
    assert result.code == 0, result.output
    assert "A4 纵向（210 × 297 mm），页边距 上 37、下 35、左 28、右 26 mm" in result.stdout
    assert "模板中有 17 个" in result.stdout and "{{ body }} 所在的段落" in result.stdout


def test_check_an_agency_template(tmp_path):
    template = agency_template(tmp_path / "机关模板.docx", header=("{{ 机关", "名称 }}"))
    result = run_cli("template", "check", template)
    assert result.code == 1
    assert "16开 纵向（184 × 260 mm）" in result.stdout
    assert "缺少（将使用默认样式）：Report Table、Table Text、Table Heading、Table Label" in result.stdout
    assert "页眉 {{ 机关名称 }}" in result.stdout and "是否应为“机关全称”" in result.stdout


def test_check_against_a_project(project, tmp_path):
    template = agency_template(tmp_path / "t.docx")
    result = run_cli("template", "check", template, "--project", project)
    assert result.code == 1 and "成文日期" in result.stdout and "未填写" in result.stdout


def test_check_a_damaged_template(tmp_path):
    (tmp_path / "bad.docx").write_text("not a zip", encoding="utf-8")
    result = run_cli("template", "check", tmp_path / "bad.docx")
    assert result.code == 2 and "已损坏" in result.stderr


# ---------------------------------------------------------------- fonts


def test_fonts_missing_here_are_a_warning_never_an_error(project, tmp_path):
    result = run_cli("build", project, "-o", tmp_path / "o.docx")
    assert result.code == 0
    missing = fonts.missing_fonts(["仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312"])
    if missing:
        assert f"本机未安装字体 {'、'.join(missing)}" in result.stderr
    else:
        assert "本机未安装字体" not in result.stderr


def test_no_font_list_no_font_warning(project, tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    result = run_process("build", project, "-o", tmp_path / "o.docx", env={"PATH": str(empty)})  # fonts are listed once a process
    assert result.code == 0 and "本机未安装字体" not in result.stderr


def test_font_names_match_in_either_language(monkeypatch):
    monkeypatch.setattr(fonts, "installed_fonts", lambda: frozenset({"SimHei", "FangSong_GB2312", "Noto Serif CJK SC"}))
    assert fonts.missing_fonts(["黑体", "仿宋_GB2312", "楷体_GB2312", "Noto Serif CJK SC"]) == ["楷体_GB2312"]
    monkeypatch.setattr(fonts, "installed_fonts", lambda: None)
    assert fonts.missing_fonts(["楷体_GB2312"]) == []


# ---------------------------------------------------------------- a template LibreOffice made


@pytest.mark.skipif(not SOFFICE and not os.environ.get("CI"), reason="LibreOffice not installed (CI installs it)")
def test_template_made_by_libreoffice(dated_project, tmp_path):
    assert SOFFICE, "CI must have soffice"
    page = tmp_path / "模板.html"
    page.write_text(
        "<html><head><meta charset='utf-8'></head><body>"
        "<p>呈送单位：{{ 机关全称 }}</p>"
        "<table border='1'><tr><td>年度</td><td>{{ 年度 }}</td></tr></table>"
        "<p>{{ body }}</p>"
        "<p>{{ 机关全称 }}</p><p>{{ 成文日期 }}</p>"
        "</body></html>",
        encoding="utf-8",
    )
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "docx:MS Word 2007 XML",
         "--outdir", str(tmp_path), str(page)],
        check=True, capture_output=True, timeout=240,
    )
    template = tmp_path / "模板.docx"
    assert template.is_file()
    out = tmp_path / "年报.docx"
    result = build_with(dated_project, template, out)
    assert result.code == 0, result.output
    document = open_docx(out)
    texts = [p.text for p in document.paragraphs if p.text.strip()]
    assert texts[0] == "呈送单位：淄博市人民政府办公室"
    assert texts[-2:] == ["淄博市人民政府办公室", "2025年1月20日"]
    assert "2024年政府信息公开工作年度报告" in texts
    assert document.tables[0].cell(0, 1).text.strip() == "2024"
    assert len(document.tables) == 4  # the template's own table and the three official ones


# ---------------------------------------------------------------- placeholders split across runs

@given(
    before=st.text(alphabet="前文ab {}", max_size=6),
    after=st.text(alphabet="后文cd {}", max_size=6),
    cuts=st.lists(st.integers(min_value=0, max_value=40), max_size=6),
)
def test_a_placeholder_is_found_however_the_runs_split_it(before, after, cuts):
    """Split `before{{ 机关全称 }}after` into runs anywhere: the filled text is the same, and the
    value lands in the run where the placeholder began."""
    text = before + "{{ 机关全称 }}" + after
    points = sorted({0, len(text), *(c % (len(text) + 1) for c in cuts)})
    paragraph = docx.Document().add_paragraph()
    for start, end in zip(points, points[1:]):
        paragraph.add_run(text[start:end])
    start = len(before)
    ooxml.replace_text(paragraph._p, start, start + len("{{ 机关全称 }}"), "淄博市人民政府办公室")
    assert ooxml.paragraph_text(paragraph._p) == before + "淄博市人民政府办公室" + after
    holder = next(r for r in paragraph.runs if "淄博" in r.text)
    assert "淄博市人民政府办公室" in holder.text


def test_runs_split_by_proofing_marks_and_revisions():
    """Word's spell-check marks and tracked insertions sit between the runs of a placeholder."""
    from docx.oxml import OxmlElement

    paragraph = docx.Document().add_paragraph()
    paragraph.add_run("落款：{{ 机")
    paragraph._p.append(OxmlElement("w:proofErr"))
    inserted = OxmlElement("w:ins")
    inserted.append(paragraph.add_run("关全").bold and None or paragraph.runs[-1]._r)
    paragraph._p.append(inserted)
    paragraph.add_run("称 }}。")
    text = ooxml.paragraph_text(paragraph._p)
    assert text == "落款：{{ 机关全称 }}。"
    start = text.index("{{")
    ooxml.replace_text(paragraph._p, start, text.index("}}") + 2, "淄博市人民政府办公室")
    assert ooxml.paragraph_text(paragraph._p) == "落款：淄博市人民政府办公室。"


def test_a_dotx_template(dated_project, tmp_path):
    """Word's own template format (.dotx) differs from a .docx only in its content type."""
    import zipfile

    source = agency_template(tmp_path / "机关模板.docx")
    dotx = tmp_path / "机关模板.dotx"
    with zipfile.ZipFile(source) as package, zipfile.ZipFile(dotx, "w") as target:
        for item in package.infolist():
            data = package.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"document.main+xml", b"template.main+xml")
            target.writestr(item, data)
    out = tmp_path / "年报.docx"
    result = build_with(dated_project, dotx, out)
    assert result.code == 0, result.output
    assert open_docx(out).paragraphs[0].text == "封面：淄博市人民政府办公室"


def test_a_dotx_that_would_inflate_without_end_is_refused(project, tmp_path):
    """A .dotx is unpacked by hand, so through the same limits as a published .docx."""
    import zipfile

    bomb = tmp_path / "模板.dotx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<" + b" " * (60 * 1024 * 1024))
    result = build_with(project, bomb, tmp_path / "年报.docx")
    assert result.code == 2 and "解压后" in result.stderr and "模板.dotx" in result.stderr, result.output
    assert not (tmp_path / "年报.docx").exists()


@pytest.mark.parametrize("name", ["a-file/模板.docx", "模板.txt"])
def test_export_to_a_place_it_cannot_write(tmp_path, name):
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    result = run_cli("template", "export", tmp_path / name)
    assert result.code == 3 and "Traceback" not in result.output
    assert not (tmp_path / "模板.txt").exists()
