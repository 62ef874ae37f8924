"""`zbreport build` and `zbreport check` run as a clerk runs them, on real files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import SAMPLE, line_of, replace_in, run_cli, run_process
from docx_reading import open_docx

DEFAULT_NAME = "淄博市人民政府办公室2024年政府信息公开工作年度报告.docx"


def test_build_writes_default_name_into_project(project):
    result = run_cli("build", project)
    assert result.code == 0, result.output
    built = project / DEFAULT_NAME
    assert built.is_file()
    assert "已生成" in result.stdout
    assert open_docx(built).paragraphs[0].text == "淄博市人民政府办公室"


def test_build_output_option(project, tmp_path):
    out = tmp_path / "出版" / "年报.docx"
    out.parent.mkdir()
    assert run_cli("build", project, "--output", out).code == 0
    assert out.is_file()
    assert not list(out.parent.glob("*.tmp")), "no temporary file left behind"


def _assert_nothing_lost(project: Path, good: bytes) -> None:
    built = project / DEFAULT_NAME
    assert built.read_bytes() == good, "a failed build must not touch the previous report"
    assert not [p for p in project.iterdir() if p.name.endswith(".tmp")]


@pytest.fixture
def built_project(project):
    assert run_cli("build", project).code == 0
    return project, (project / DEFAULT_NAME).read_bytes()


def test_broken_yaml_names_file_and_line(built_project):
    project, good = built_project
    table = project / "tables" / "table3.yaml"
    replace_in(table, "  （一）予以公开: {自然人: 43,", "  （一）予以公开: {自然人: 43,,")
    result = run_cli("build", project)
    assert result.code == 2
    assert f"table3.yaml:{line_of(table, '（一）予以公开')}:" in result.stderr
    assert "YAML 格式错误" in result.stderr
    assert "Traceback" not in result.output
    _assert_nothing_lost(project, good)


def test_tab_indentation_is_explained(project):
    table = project / "tables" / "table4.yaml"
    replace_in(table, "  未经复议直接起诉", "\t未经复议直接起诉")
    result = run_cli("check", project)
    assert result.code == 2
    assert "table4.yaml:" in result.stderr and "Tab" in result.stderr


def test_missing_report_yaml(project):
    (project / "report.yaml").unlink()
    result = run_cli("build", project)
    assert result.code == 2
    assert "report.yaml" in result.stderr and "不是报告项目" in result.stderr


def test_missing_project_folder(tmp_path):
    result = run_cli("build", tmp_path / "nothing-here")
    assert result.code == 2
    assert "找不到项目文件夹" in result.stderr


def test_year_of_wrong_type(project):
    replace_in(project / "report.yaml", "年度: 2024", "年度: 二〇二四")
    result = run_cli("build", project)
    assert result.code == 2
    assert f"report.yaml:{line_of(project / 'report.yaml', '年度')}:" in result.stderr
    assert "四位数的年份" in result.stderr


def test_errors_block_the_build_and_name_the_cell(built_project):
    project, good = built_project
    table = project / "tables" / "table3.yaml"
    replace_in(table, "一、本年新收政府信息公开申请数量: {自然人: 243", "一、本年新收政府信息公开申请数量: {自然人: -243")
    result = run_cli("build", project)
    assert result.code == 1
    assert f"table3.yaml:{line_of(table, '一、本年新收')}:" in result.stderr
    assert "不能为负数" in result.stderr
    assert "报告未生成" in result.stderr
    _assert_nothing_lost(project, good)


def test_force_builds_despite_errors(project):
    replace_in(project / "tables" / "table3.yaml", "{自然人: 243", "{自然人: 244")
    result = run_cli("build", project, "--force")
    assert result.code == 0
    assert "R1" in result.stderr
    assert (project / DEFAULT_NAME).is_file()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")  # type: ignore[attr-defined]
def test_unwritable_output_folder(project, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        result = run_cli("build", project, "-o", locked / "r.docx")
    finally:
        locked.chmod(0o700)
    assert result.code == 3
    assert "无法" in result.stderr


def test_output_under_a_file_is_refused(project, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    result = run_cli("build", project, "-o", blocker / "r.docx")
    assert result.code == 3
    assert blocker.read_text() == "x"


def test_output_into_missing_folder(project, tmp_path):
    result = run_cli("build", project, "-o", tmp_path / "no" / "such" / "r.docx")
    assert result.code == 3
    assert "输出文件夹不存在" in result.stderr


def test_output_over_a_folder_keeps_it(project, tmp_path):
    target = tmp_path / "report.docx"
    target.mkdir()
    result = run_cli("build", project, "-o", target)
    assert result.code == 3
    assert target.is_dir()
    assert not list(tmp_path.glob(".report*.tmp"))


def test_damaged_template(project, tmp_path):
    template = tmp_path / "模板.docx"
    template.write_bytes(b"PK\x03\x04 this is not really a zip")
    result = run_cli("build", project, "--template", template)
    assert result.code == 2
    assert "模板.docx" in result.stderr and "损坏" in result.stderr
    assert "Traceback" not in result.output


def test_check_clean_sample():
    result = run_cli("check", SAMPLE)
    assert result.code == 0, result.output
    assert "未发现问题" in result.stdout


def test_check_json_for_scripts(project):
    table = project / "tables" / "table4.yaml"
    replace_in(table, "行政复议: {结果维持: 0", "行政复议: {总计: 3, 结果维持: 0")
    result = run_cli("check", project, "--format", "json")
    assert result.code == 1
    payload = json.loads(result.stdout)
    assert payload["ok"] is False and payload["errors"] == 1
    finding = payload["findings"][0]
    assert finding["rule"] == "R5"
    assert finding["file"].endswith("table4.yaml")
    assert finding["line"] == line_of(table, "行政复议:")
    assert "行政复议·总计" in finding["message"]


def test_check_strict_fails_on_warnings(project):
    replace_in(project / "report.yaml", "年度: 2024", "年度: 2024\n机关简称: 市政府办")
    assert run_cli("check", project).code == 0
    result = run_cli("check", project, "--strict")
    assert result.code == 1
    assert "警告" in result.stdout and "机关简称" in result.stdout


def test_help_lists_every_command():
    result = run_cli("--help")
    for command in ("build", "check", "preview"):
        assert command in result.stdout


def test_readme_documents_every_command_and_option():
    readme = (SAMPLE.parent.parent / "README.md").read_text(encoding="utf-8")
    for needle in (
        "zbreport build", "zbreport check", "zbreport preview", "zbreport init", "zbreport template export",
        "zbreport template check", "zbreport import", "--output", "--template", "--force", "--format", "--strict", "--table",
        "--issuer", "--year", "--from", "--project", "--jobs", "zbreport summary", "zbreport tables export",
    ):
        assert needle in readme, needle


def test_gb18030_files_from_windows_editors(project):
    report = project / "report.yaml"
    report.write_bytes(report.read_text(encoding="utf-8").encode("gb18030"))
    overview = project / "sections" / "1-overview.md"
    overview.write_bytes(overview.read_text(encoding="utf-8").encode("gb18030"))
    out = project / "out.docx"
    assert run_cli("build", project, "-o", out).code == 0
    texts = [p.text for p in open_docx(out).paragraphs]
    assert texts[0] == "淄博市人民政府办公室"
    assert any(t.startswith("2024年，市政府办公室围绕") for t in texts)


def test_intro_override_replaces_the_generated_one(project):
    report = project / "report.yaml"
    report.write_text(report.read_text(encoding="utf-8") + "导语: |\n  本报告由**办公室**编制。\n", encoding="utf-8")
    out = project / "out.docx"
    assert run_cli("build", project, "-o", out).code == 0
    paragraphs = [p for p in open_docx(out).paragraphs if p.text.strip()]
    assert paragraphs[2].text == "本报告由办公室编制。"
    assert paragraphs[2].runs[1].style.name == "Strong"
    assert not any(p.text.startswith("本报告依据") for p in paragraphs)


def test_check_json_reports_unreadable_input_as_json(project):
    replace_in(project / "tables" / "table4.yaml", "行政复议: {", "行政复议: {{")
    result = run_cli("check", project, "--format", "json")
    assert result.code == 2
    payload = json.loads(result.stdout)
    assert payload["readable"] is False and payload["ok"] is False
    problem = payload["findings"][0]
    assert problem["file"].endswith("table4.yaml") and problem["line"] in (3, 4)
    assert problem["line"] == 3 or "从第 3 行开始" in problem["message"]


def test_check_json_has_the_same_keys_for_every_answer(project, tmp_path):
    """A script adding up `errors` over many reports never meets a missing key: an unreadable
    project and a wrong option answer with every key a readable report has."""
    keys = ["project", "issuer", "year", "ok", "readable", "errors", "warnings", "notices", "findings"]
    readable = json.loads(run_cli("check", project, "--format", "json").stdout)
    assert list(readable) == keys
    answers = json.loads(run_cli("check", project, tmp_path / "没有这个项目", "--format", "json").stdout)
    assert [list(a) for a in answers] == [keys, keys]
    assert [(a["readable"], a["errors"], a["issuer"]) for a in answers] == [(True, 0, "淄博市人民政府办公室"), (False, 1, None)]
    unreadable = json.loads(run_cli("check", tmp_path / "没有这个项目", "--format", "json").stdout)
    assert list(unreadable) == keys and (unreadable["errors"], unreadable["warnings"], unreadable["notices"]) == (1, 0, 0)
    usage = run_cli("check", project, "--format", "json", "--jobs", "x")
    assert usage.code == 2 and list(json.loads(usage.stdout)) == keys


def test_section_file_that_is_a_folder(built_project):
    project, good = built_project
    section = project / "sections" / "5-problems.md"
    section.unlink()
    section.mkdir()
    result = run_cli("build", project)
    assert result.code == 2
    assert "5-problems.md" in result.stderr and "文件夹" in result.stderr
    _assert_nothing_lost(project, good)


def test_real_process_build_and_unreadable_input(project, tmp_path):
    """The command as a clerk runs it, in its own process: exit codes and messages, no traceback."""
    from conftest import run_process

    out = tmp_path / "r.docx"
    built = run_process("build", project, "-o", out)
    assert built.code == 0 and out.is_file(), built.output
    (project / "report.yaml").write_text("机关全称: [未闭合\n", encoding="utf-8")
    broken = run_process("check", project)
    assert broken.code == 2
    assert "report.yaml:2" in broken.stderr and "Traceback" not in broken.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["init"], "错误 缺少参数 FOLDER"),
        (["init", "x", "--year", "abc"], "错误 选项 --year 的值无效：“abc”不是整数"),
        (["check", "--format", "xml", "x"], "错误 选项 --format 的值无效：“xml”不是可选的值；可选：text、json"),
        (["check", "--frmat", "json", "x"], "错误 没有 --frmat 这个选项，是否应为 --format？"),
        (["bild", "x"], "错误 没有“bild”这个命令，是否应为“build”？"),
        (["init", "x", "y"], "错误 多余的参数：y"),
    ],
)
def test_a_mistyped_command_line_is_said_in_chinese(args, message):
    """typer words its parser's errors in English; a clerk reads them in Chinese, with where to look."""
    result = run_process(*args)
    assert result.code == 2
    assert result.stderr.splitlines()[0] == message
    assert "--help”查看用法" in result.stderr and "Traceback" not in result.stderr
