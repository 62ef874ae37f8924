"""Files that are not what they seem, names that could send the report elsewhere, and user text
that looks like terminal markup: a clear message naming the file, never a hang or a stray write."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import SAMPLE, line_of, replace_in, run_cli
from docx_reading import open_docx
from zbreport.output import NAME_MAX, report_stem
from zbreport.read import files
from zbreport.read.template import default_template

TITLE = "2024年政府信息公开工作年度报告"
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX feature")


def snapshot(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


# ---------------------------------------------------------------- special files


@needs_fifo
@pytest.mark.parametrize(
    "where", ["report.yaml", "tables/table3.yaml", "sections/5-problems.md", "2023年度数据.yaml"]
)
def test_a_named_pipe_is_refused_at_once(project, where):
    path = project / where
    path.unlink()
    os.mkfifo(path)
    started = time.monotonic()
    result = run_cli("check", project)
    assert time.monotonic() - started < 10, "nothing waits for a writer to the pipe"
    assert result.code == 2
    assert Path(where).name in result.stderr and "命名管道" in result.stderr


@needs_fifo
def test_a_named_pipe_as_template(project, tmp_path):
    fifo = tmp_path / "模板.docx"
    os.mkfifo(fifo)
    for result in (run_cli("build", project, "--template", fifo), run_cli("template", "check", fifo)):
        assert result.code == 2
        assert "模板.docx" in result.stderr and "命名管道" in result.stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_device_is_refused_without_reading_it(project):
    table = project / "tables" / "table2.yaml"
    table.unlink()
    table.symlink_to("/dev/zero")
    result = run_cli("check", project)
    assert result.code == 2
    assert "table2.yaml" in result.stderr and "设备" in result.stderr


def test_a_symlink_loop(project):
    section = project / "sections" / "6-other.md"
    section.unlink()
    (project / "sections" / "loop.md").symlink_to("6-other.md")
    section.symlink_to("loop.md")
    result = run_cli("build", project)
    assert result.code == 2
    assert "6-other.md" in result.stderr and "循环" in result.stderr


def test_a_symlink_to_nothing(project):
    section = project / "sections" / "6-other.md"
    section.unlink()
    section.symlink_to("gone.md")
    result = run_cli("check", project)
    assert result.code == 2
    assert "6-other.md" in result.stderr and "指向的文件不存在" in result.stderr


def test_a_looping_project_folder(tmp_path):
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    result = run_cli("check", tmp_path / "a")
    assert result.code == 2 and "循环" in result.stderr


@pytest.mark.parametrize(
    ("where", "limit"), [("tables/table4.yaml", files.YAML.limit), ("sections/1-overview.md", files.MARKDOWN.limit)]
)
def test_a_file_too_large_is_refused_before_it_is_read(project, where, limit):
    with (project / where).open("ab") as handle:
        handle.truncate(limit + 1)  # sparse: no disk used
    result = run_cli("check", project)
    assert result.code == 2
    assert Path(where).name in result.stderr and "文件过大" in result.stderr


def test_a_template_too_large(project, tmp_path):
    template = tmp_path / "大模板.docx"
    shutil.copy(default_template(), template)
    with template.open("ab") as handle:
        handle.truncate(files.TEMPLATE.limit + 1)
    result = run_cli("build", project, "--template", template)
    assert result.code == 2 and "大模板.docx" in result.stderr and "文件过大" in result.stderr


# ---------------------------------------------------------------- where the report is written


def test_an_issuer_cannot_send_the_report_out_of_the_project(project):
    replace_in(project / "report.yaml", "机关全称: 淄博市人民政府办公室", "机关全称: ../../outside/x")
    outside = project.parent.parent
    before = snapshot(outside)
    result = run_cli("build", project)
    assert result.code == 0, result.output
    new = snapshot(outside) - before
    assert new == {str((project / f"outsidex{TITLE}.docx").relative_to(outside))}


def test_init_with_an_escaping_issuer_builds_inside(tmp_path):
    folder = tmp_path / "workspace" / "新项目"
    assert run_cli("init", folder, "--issuer", "..\\..\\局/../x", "--year", "2024").code == 0
    assert run_cli("build", folder).code == 0
    assert [p.name for p in (tmp_path / "workspace").iterdir()] == ["新项目"]
    assert [p.name for p in folder.glob("*.docx")] == [f"局x{TITLE}.docx"]


def test_a_seventy_character_issuer_names_its_report(project):
    """With the title and .docx, 70 Chinese characters are 258 bytes: one goes from the name only."""
    issuer = "某" * 70
    replace_in(project / "report.yaml", "机关全称: 淄博市人民政府办公室", f"机关全称: {issuer}")
    result = run_cli("build", project)
    assert result.code == 0, result.output
    (built,) = project.glob("*.docx")
    assert built.name == f"{issuer[:69]}{TITLE}.docx" and len(built.name.encode()) <= NAME_MAX
    assert open_docx(built).paragraphs[0].text == issuer


def test_a_longer_issuer_is_shortened_in_the_name_only(project):
    issuer = "某" * 150
    replace_in(project / "report.yaml", "机关全称: 淄博市人民政府办公室", f"机关全称: {issuer}")
    assert run_cli("build", project).code == 0
    (built,) = project.glob("*.docx")
    assert built.name == f"{'某' * 69}{TITLE}.docx"
    assert open_docx(built).paragraphs[0].text == issuer


def test_an_output_name_of_81_chinese_characters(project, tmp_path):
    out = tmp_path / f"{'报' * 81}.docx"
    result = run_cli("build", project, "-o", out)
    assert result.code == 0, result.output
    assert out.is_file() and not list(tmp_path.glob(".*"))


@pytest.mark.parametrize("where", ["report", "init"])
def test_an_issuer_of_ten_thousand_characters(project, tmp_path, where):
    issuer = "局" * 10_000
    if where == "report":
        replace_in(project / "report.yaml", "机关全称: 淄博市人民政府办公室", f"机关全称: {issuer}")
        result = run_cli("build", project)
        assert f"report.yaml:{line_of(project / 'report.yaml', '机关全称')}:" in result.stderr
    else:
        result = run_cli("init", tmp_path / "new", "--issuer", issuer, "--year", "2025")
        assert not (tmp_path / "new").exists()
    assert result.code == 2
    assert "过长（10000 个字符）" in result.stderr and "limit" not in result.output


@given(st.text(max_size=300))
def test_default_names_stay_in_their_folder(issuer):
    name = report_stem(issuer, TITLE) + ".docx"
    assert name.endswith(f"{TITLE}.docx") and len(name.encode("utf-8")) <= NAME_MAX
    assert not any(c in name for c in '/\\:*?"<>|\x00\n\r\t') and ".." not in name
    assert not name.startswith((".", " "))
    assert Path(name).name == name


# ---------------------------------------------------------------- user text is not terminal markup


def test_markup_in_names_and_values_is_printed_as_written(tmp_path):
    project = tmp_path / "项目[/x]"
    shutil.copytree(SAMPLE, project)
    replace_in(project / "report.yaml", "机关全称: 淄博市人民政府办公室", "机关全称: 淄博[bold]市[/x]办公室")
    replace_in(project / "sections" / "1-overview.md", "{{年度}}年", "{{年度}}年{{ [/x] }}")
    check = run_cli("check", project)
    assert check.code == 1
    assert "项目[/x]" in check.stdout and "{{ [/x] }}" in check.stdout
    preview = run_cli("preview", project)
    assert preview.code == 0 and "二、主动公开政府信息情况" in preview.stdout and "Traceback" not in preview.output
    (tmp_path / "报告[").mkdir()
    build = run_cli("build", project, "--force", "-o", "报告[/x].docx", cwd=tmp_path)
    assert build.code == 0, build.output
    assert "报告[/x].docx" in build.stdout
    assert (tmp_path / "报告[" / "x].docx").is_file()
    assert open_docx(tmp_path / "报告[" / "x].docx").paragraphs[0].text == "淄博[bold]市[/x]办公室"


def test_markup_in_a_table_choice():
    result = run_cli("preview", SAMPLE, "--table", "[/x]")
    assert result.code == 2 and "“[/x]”" in result.stderr


def test_markup_in_a_template_font_and_placeholder(tmp_path):
    import docx

    document = docx.Document(str(default_template()))
    fonts = document.styles["Body Text"].element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", "[bold]仿宋[/x]")
    document.add_paragraph("{{ [/x] }}")
    template = tmp_path / "[bold]模板[x].docx"
    document.save(str(template))
    result = run_cli("template", "check", template)
    assert result.code == 1
    for shown in ("[bold]模板[x].docx", "[bold]仿宋[/x]", "{{ [/x] }}"):
        assert shown in result.stdout
