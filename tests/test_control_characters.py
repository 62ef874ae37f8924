"""Invisible characters pasted from Word: a vertical tab is a line break, the others are removed
with a warning at their line and column, and the build never fails on them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docx.oxml.ns import qn
from hypothesis import given
from hypothesis import strategies as st

from conftest import line_of, replace_in, run_cli
from docx_reading import open_docx
from zbreport import controls
from zbreport.model import LineBreak, Paragraph, Text
from zbreport.read.markdown import parse_markdown

OVERVIEW = Path("sections") / "1-overview.md"
PASTED = {"\f": "换页符", "\x00": "空字符", "\ufffe": "U+FFFE"}


def test_each_character_is_decided_once():
    assert controls.clean("甲\v乙") == "甲\n乙"  # Word's Shift+Enter
    assert controls.clean("甲\f\x00\x1a\ufffe\uffff\x7f\x85乙") == "甲乙"
    assert controls.clean("tab\tand\nnewline\r") == "tab\tand\nnewline\r"  # what text files hold
    assert controls.remove("甲\v\x00乙") == "甲\v乙"  # the Markdown reader still needs the break
    assert controls.visible("报告\x1b[31m") == "报告?[31m"


@given(st.text())
def test_cleaned_text_is_valid_xml(text):
    from lxml import etree

    element = etree.Element("t")
    element.text = controls.clean(text)  # lxml refuses any character XML 1.0 does not allow


def test_warnings_point_at_line_and_column(tmp_path):
    text = "第一行\n第二行\x00有\x00两个\n\n\f\n"
    findings = controls.warnings(text, tmp_path / "x.md")
    assert [(f.location.line, f.location.column) for f in findings] == [(2, 4), (4, 1)]
    assert "2 个" in findings[0].message and "空字符（NUL）" in findings[0].message
    assert "换页符" in findings[1].message


def test_a_binary_file_gets_a_few_warnings_not_thousands(tmp_path):
    findings = controls.warnings("\x00\n" * 5000, tmp_path / "x.md")
    assert len(findings) == controls.MAX_WARNINGS + 1
    assert "另有 4990 行" in findings[-1].message


def test_markdown_line_break_from_word_is_a_break_span():
    (paragraph,) = parse_markdown("第一句。\v第二句。\x00")
    assert isinstance(paragraph, Paragraph)
    assert paragraph.content == (Text("第一句。"), LineBreak(), Text("第二句。"))


@pytest.mark.parametrize("char", list(PASTED))
def test_pasted_characters_in_every_text_field_build(project, char):
    """In a section, 机关全称, a contact value and 导语: check warns where, build succeeds."""
    section = project / OVERVIEW
    replace_in(section, "年，市政府", f"年，市{char}政府")
    report = project / "report.yaml"
    replace_in(report, "机关全称: 淄博市人民政府办公室", f"机关全称: 淄博市人民政府{char}办公室")
    replace_in(report, "地址: 淄博市", f"地址: {char}淄博市")
    report.write_text(report.read_text(encoding="utf-8") + f"导语: |\n  本报告由{char}办公室编制。\n", encoding="utf-8")

    checked = run_cli("check", project, "--format", "json")
    assert checked.code == 0, checked.output
    findings = json.loads(checked.stdout)["findings"]
    warned = {(Path(f["file"]).name, f["line"], f["column"]) for f in findings if f["rule"] == "control-character"}
    assert warned == {
        ("1-overview.md", *_place(section, f"市{char}")),
        ("report.yaml", *_place(report, f"府{char}")),
        ("report.yaml", *_place(report, f"址: {char}")),
        ("report.yaml", *_place(report, f"由{char}")),
    }

    out = project / "out.docx"
    built = run_cli("build", project, "-o", out)
    assert built.code == 0, built.output
    texts = [p.text for p in open_docx(out).paragraphs]
    assert texts[0] == "淄博市人民政府办公室"
    assert any(t.startswith("2024年，市政府办公室围绕") for t in texts)
    assert "本报告由办公室编制。" in texts
    assert not any(char in t for t in texts)


def _place(path: Path, before: str) -> tuple[int, int]:
    """Line and column of the last character of `before` in a file, lines split at "\\n" only
    (str.splitlines would also split at a form feed, which no editor does)."""
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if before in line:
            return number, line.index(before) + len(before)
    raise AssertionError(before)


def test_vertical_tab_is_a_line_break_in_the_document(project):
    replace_in(project / OVERVIEW, "年，市政府", "年，市\v政府")
    replace_in(project / "report.yaml", "机关全称: 淄博市人民政府办公室", "机关全称: \"淄博市\\v人民政府办公室\"")
    out = project / "out.docx"
    built = run_cli("build", project, "-o", out)
    assert built.code == 0, built.output
    assert "control-character" not in built.output  # the clerk meant it: no warning
    document = open_docx(out)
    assert any(p.text.startswith("2024年，市\n政府办公室围绕") for p in document.paragraphs)  # w:br reads as "\n"
    title = document.paragraphs[0]._p
    assert [child.tag for child in title.iter(qn("w:t"), qn("w:br"))] == [qn("w:t"), qn("w:br"), qn("w:t")]


def test_a_quoted_escape_is_removed_with_a_warning(project):
    report = project / "report.yaml"
    replace_in(report, "电话: 0533-3183622", '电话: "0533\\f3183622"')
    checked = run_cli("check", project)
    assert checked.code == 0
    assert f"report.yaml:{line_of(report, '电话')}:" in checked.stdout and "转义" in checked.stdout


def test_the_word_writer_guards_against_what_no_reader_should_pass(tmp_path):
    """A model made by some other reader still writes: the OOXML layer cleans once more."""
    from zbreport.records import replace

    from conftest import SAMPLE, assert_valid_docx
    from zbreport.assemble import assemble
    from zbreport.format import GB2021
    from zbreport.read.project import load_project
    from zbreport.read.template import load_template
    from zbreport.write.docx import render_docx

    report = load_project(SAMPLE, GB2021).report
    pasted = Paragraph((Text("甲\x00乙\ufffe丙\v丁"),))
    report.sections = (replace(report.sections[0], blocks=(pasted,)),) + report.sections[1:]
    report.meta = replace(report.meta, issuer="淄博\x1b市")
    out = tmp_path / "r.docx"
    render_docx(assemble(report).document, load_template()).save(str(out))
    assert_valid_docx(out)
    texts = [p.text for p in open_docx(out).paragraphs]
    assert "甲乙丙\n丁" in texts and texts[0] == "淄博市"
