"""`zbreport init`: a new project, or next year's from this year's; never over an existing one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import SAMPLE, replace_in, run_cli
from docx_reading import open_docx, table_after_heading, text_grid
from zbreport.format import GB2021
from zbreport.read.project import load_project

SECTIONS, TABLES = GB2021.sections, GB2021.tables


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_new_project_checks_and_builds(tmp_path):
    folder = tmp_path / "市统计局-2025"
    result = run_cli("init", folder, "--issuer", "淄博市统计局", "--year", "2025")
    assert result.code == 0, result.output
    assert "已创建" in result.stdout

    check = run_cli("check", folder, "--format", "json")
    payload = json.loads(check.stdout)
    assert check.code == 0 and payload["errors"] == 0
    # the sections a clerk must still write are pointed out
    assert {f["rule"] for f in payload["findings"]} == {"empty-section"}

    out = tmp_path / "年报.docx"
    assert run_cli("build", folder, "-o", out).code == 0
    document = open_docx(out)
    assert [p.text for p in document.paragraphs[:2]] == ["淄博市统计局", "2025年政府信息公开工作年度报告"]
    grid = text_grid(table_after_heading(document, "三、收到和处理政府信息公开申请情况"))
    assert grid[-1][-7:] == ["0"] * 7  # 四、结转下年度继续办理, computed 总计 included


def test_new_project_has_every_official_label_at_zero(tmp_path):
    folder = tmp_path / "new"
    assert run_cli("init", folder, "--issuer", "某局", "--year", "2025").code == 0
    loaded = load_project(folder, GB2021)
    for key, form in TABLES.items():
        text = (folder / "tables" / form.file_name).read_text(encoding="utf-8")
        for cell in form.input_cells:
            assert all(label in text for label in cell.yaml_path)
            assert loaded.report.tables[key].value(*cell.key) == 0
    for form in SECTIONS:
        guidance = (folder / "sections" / form.file_name).read_text(encoding="utf-8")
        assert form.guidance in guidance  # written as a comment: not printed
    assert all(not s.blocks for s in loaded.report.sections)


def test_init_never_overwrites(tmp_path, project):
    before = snapshot(project)
    result = run_cli("init", project, "--issuer", "某局", "--year", "2025")
    assert result.code == 3
    assert "不会覆盖" in result.stderr
    assert snapshot(project) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".project.")], "no staging folder left"


def test_init_into_an_empty_folder(tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    assert run_cli("init", folder, "--issuer", "某局", "--year", "2025").code == 0
    assert (folder / "report.yaml").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--issuer", "某局"), "--year"),
        (("--year", "2025"), "--issuer"),
        (("--issuer", "某局", "--year", "25"), "四位数"),
    ],
)
def test_init_needs_issuer_and_year(tmp_path, args, message):
    result = run_cli("init", tmp_path / "new", *args)
    assert result.code == 2 and message in result.stderr
    assert not (tmp_path / "new").exists()


def test_next_year_from_this_year(tmp_path, project):
    # Give this year some applications carried forward (moved from 予以公开; R1 still holds).
    table = project / "tables" / "table3.yaml"
    replace_in(table, "（一）予以公开: {自然人: 43, 商业企业: 1", "（一）予以公开: {自然人: 40, 商业企业: 0")
    replace_in(table, "四、结转下年度继续办理: {自然人: 0, 商业企业: 0", "四、结转下年度继续办理: {自然人: 3, 商业企业: 1")
    assert run_cli("check", project).code == 0

    folder = tmp_path / "zibo-2025"
    result = run_cli("init", folder, "--from", project)
    assert result.code == 0, result.output
    report = load_project(folder, GB2021).report
    assert (report.meta.issuer, report.meta.year) == ("淄博市人民政府办公室", 2025)
    assert report.meta.contact == load_project(project, GB2021).report.meta.contact
    assert report.meta.rounding.mode == "truncate"
    assert report.previous is not None and report.previous.year == 2024
    carried = report.tables["三"]
    assert [carried.value("carried_over", c) for c in ("natural_person", "commercial", "research", "total")] == [3, 1, 0, 4]
    assert carried.value("new_received", "total") == 0
    # the narrative is last year's, as a draft whose year placeholders already say 2025
    draft = (folder / "sections" / "1-overview.md").read_text(encoding="utf-8")
    assert "草稿" in draft and "{{年度}}年，市政府办公室围绕" in draft

    check = run_cli("check", folder)
    assert "[R7]" not in check.stdout  # 上年结转 equals last year's 结转下年度 by construction
    assert "R1" in check.stdout  # 4 carried over, nothing handled yet: the clerk has numbers to fill


def test_next_year_of_an_unreadable_project(tmp_path):
    result = run_cli("init", tmp_path / "next", "--from", tmp_path / "nowhere")
    assert result.code == 2 and "找不到项目文件夹" in result.stderr
    assert not (tmp_path / "next").exists()


def test_next_year_keeps_a_written_intro(tmp_path, project):
    report_yaml = project / "report.yaml"
    report_yaml.write_text(
        report_yaml.read_text(encoding="utf-8") + "导语: |\n  本报告由{{机关全称}}编制。\n", encoding="utf-8"
    )
    folder = tmp_path / "next"
    assert run_cli("init", folder, "--from", project).code == 0
    assert "本报告由{{机关全称}}编制。" in (folder / "report.yaml").read_text(encoding="utf-8")
    out = tmp_path / "next.docx"
    run_cli("build", folder, "-o", out, "--force")
    assert "本报告由淄博市人民政府办公室编制。" in [p.text for p in open_docx(out).paragraphs]


def test_sample_is_unchanged_by_init_from_it(tmp_path):
    before = snapshot(SAMPLE)
    assert run_cli("init", tmp_path / "next", "--from", SAMPLE).code == 0
    assert snapshot(SAMPLE) == before


def test_init_where_a_file_is_in_the_way(tmp_path):
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    result = run_cli("init", tmp_path / "a-file" / "project", "--issuer", "某局", "--year", "2025")
    assert result.code == 3 and "无法在" in result.stderr and "Traceback" not in result.output
    assert (tmp_path / "a-file").read_text(encoding="utf-8") == ""


def test_init_from_carries_the_documents_in_force(tmp_path):
    """A new year starts with last year's 现行有效件数: R9 holds, no warning the tool made itself."""
    folder = tmp_path / "next"
    assert run_cli("init", folder, "--from", SAMPLE).code == 0
    text = (folder / "tables" / "table2.yaml").read_text(encoding="utf-8")
    assert "规章: {本年制发件数: 0, 本年废止件数: 0, 现行有效件数: 32}" in text
    assert "行政规范性文件: {本年制发件数: 0, 本年废止件数: 0, 现行有效件数: 49}" in text
    payload = json.loads(run_cli("check", folder, "--format", "json").stdout)
    assert [f for f in payload["findings"] if f["rule"] == "R9"] == []


def test_init_from_carries_a_title_and_sections_of_its_own(tmp_path, project):
    report = project / "report.yaml"
    report.write_text(
        report.read_text(encoding="utf-8")
        + "标题: 淄博市人民政府办公室关于2024年度政府信息公开工作的报告\n"
        "章节:\n"
        "  - {标题: 一、概述, 文件: 1-overview.md, 表格: 表二}\n"
        "  - {标题: 二、数据, 表格: 表三}\n"
        "  - {标题: 三、复议诉讼和其他, 文件: 6-other.md, 表格: 表四}\n",
        encoding="utf-8",
    )
    folder = tmp_path / "next"
    assert run_cli("init", folder, "--from", project).code == 0
    meta = load_project(folder, GB2021).report.meta
    assert meta.title == "淄博市人民政府办公室关于2025年度政府信息公开工作的报告"
    assert [(s.title, s.file_name, s.table.key if s.table else None) for s in meta.sections] == [
        ("一、概述", "1-overview.md", "二"), ("二、数据", "", "三"), ("三、复议诉讼和其他", "6-other.md", "四")
    ]
    assert sorted(p.name for p in (folder / "sections").iterdir()) == ["1-overview.md", "6-other.md"]
    payload = json.loads(run_cli("check", folder, "--format", "json").stdout)
    drafts = [f["file"] for f in payload["findings"] if f["rule"] == "draft"]
    assert payload["readable"] and [Path(f).name for f in drafts] == ["1-overview.md", "6-other.md"]
