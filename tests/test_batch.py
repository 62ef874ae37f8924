"""`zbreport check` and `build` over many projects: one table, findings grouped, the worst exit code."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import SAMPLE, replace_in, run_cli, run_process
from docx_reading import open_docx


def make_projects(folder: Path, count: int) -> list[Path]:
    """`count` copies of the sample, each its own agency: 第1单位, 第2单位, …"""
    folder.mkdir(parents=True, exist_ok=True)
    projects = []
    for number in range(1, count + 1):
        project = folder / f"单位{number}"
        shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("*.docx"))
        replace_in(project / "report.yaml", "机关全称: 淄博市人民政府办公室", f"机关全称: 第{number}单位")
        projects.append(project)
    return projects


@pytest.fixture
def office(tmp_path) -> Path:
    """各部门/ with four projects: 单位2 has an R1 error, 单位4's report.yaml cannot be read."""
    projects = make_projects(tmp_path / "各部门", 4)
    replace_in(projects[1] / "tables" / "table3.yaml", "（一）予以公开: {自然人: 43", "（一）予以公开: {自然人: 42")
    (projects[3] / "report.yaml").write_text("机关全称: [未闭合\n", encoding="utf-8")
    return tmp_path / "各部门"


def table_rows(output: str) -> dict[str, list[str]]:
    """The summary table's rows by project folder name."""
    rows = {}
    for line in output.splitlines():
        cells = line.split()
        if cells and cells[0].startswith("各部门/"):
            rows[cells[0].split("/")[-1]] = cells[1:]
    return rows


def test_check_a_folder_of_projects(office):
    result = run_cli("check", "各部门", cwd=office.parent)
    assert result.code == 2, result.output  # the worst of the run: a project could not be read
    rows = table_rows(result.stdout)
    assert rows["单位1"] == ["第1单位", "2024", "0", "0"]
    assert rows["单位2"] == ["第2单位", "2024", "1", "0"]
    assert rows["单位3"] == ["第3单位", "2024", "0", "0"]
    assert rows["单位4"][0] == "（无法读取）" and rows["单位4"][-2:] == ["1", "0"]
    assert "共 4 个项目：2 个没有错误，1 个有错误，1 个无法读取。" in result.stdout
    # findings sit under their project's name, in the order the projects were given
    lines = result.stdout.splitlines()
    second = lines.index("第2单位  各部门/单位2")
    assert "[R1] 各部门/单位2/tables/table3.yaml:3:25" in lines[second + 1]
    fourth = lines.index("（无法读取）  各部门/单位4")
    assert fourth > second and "各部门/单位4/report.yaml:2" in lines[fourth + 1]
    assert "第1单位  各部门/单位1" not in lines, "a project without findings has no group"


def test_check_json_names_issuer_and_year_of_every_project(office):
    result = run_cli("check", office / "单位3", office / "单位2", office / "单位4", "--format", "json")
    assert result.code == 2
    projects = json.loads(result.stdout)
    assert [p["project"] for p in projects] == [str(office / n) for n in ("单位3", "单位2", "单位4")]
    assert [(p["issuer"], p["year"], p["ok"], p["readable"]) for p in projects] == [
        ("第3单位", 2024, True, True),
        ("第2单位", 2024, False, True),
        (None, None, False, False),
    ]
    assert projects[1]["findings"][0]["rule"] == "R1"
    assert projects[2]["findings"][0]["rule"] == "unreadable"


def test_exit_code_is_the_worst_of_the_run(office):
    assert run_cli("check", office / "单位1", office / "单位3").code == 0
    assert run_cli("check", office / "单位1", office / "单位2").code == 1
    replace_in(office / "单位3" / "report.yaml", "年度: 2024", "年度: 2024\n机关简称: 三")
    assert run_cli("check", office / "单位1", office / "单位3").code == 0
    assert run_cli("check", office / "单位1", office / "单位3", "--strict").code == 1


def test_a_project_given_twice_is_checked_once(office):
    result = run_cli("check", office / "单位1", office, "-j", "1")
    rows = [line for line in result.stdout.splitlines() if "单位1" in line]
    assert len(rows) == 1 and "共 4 个项目" in result.stdout


def test_a_bug_in_one_project_does_not_stop_the_others(office, monkeypatch):
    import zbreport.commands.check as cli

    check_one = cli._check_one

    def broken_for_one(project):
        if project.name == "单位3":
            raise RuntimeError("模拟的程序错误")
        return check_one(project)

    monkeypatch.setattr(cli, "_check_one", broken_for_one)  # the forked workers inherit it
    result = run_cli("check", "各部门/单位1", "各部门/单位3", "各部门/单位2", cwd=office.parent)
    assert result.code == 70
    assert "内部错误 RuntimeError: 模拟的程序错误" in result.stdout
    rows = table_rows(result.stdout)
    assert rows["单位1"] == ["第1单位", "2024", "0", "0"]
    assert rows["单位2"] == ["第2单位", "2024", "1", "0"]
    assert rows["单位3"][-2:] == ["1", "0"]


def test_build_many_writes_each_report_into_its_project(office):
    result = run_cli("build", office, "--jobs", "2")
    assert result.code == 2, result.output
    for number in (1, 3):
        built = office / f"单位{number}" / f"第{number}单位2024年政府信息公开工作年度报告.docx"
        assert open_docx(built).paragraphs[0].text == f"第{number}单位"
    assert not list((office / "单位2").glob("*.docx")), "a project with errors is not built"
    assert "已生成 2 份报告，2 个项目未生成" in result.stdout
    assert result.stdout.count("本机未安装字体") <= 1, "the machine's font note is said once, not per project"


def test_build_many_into_one_folder_refuses_a_second_report_of_the_same_name(office, tmp_path):
    out = tmp_path / "发布"
    out.mkdir()
    shutil.copytree(office / "单位1", tmp_path / "副本")
    result = run_cli("build", office / "单位1", tmp_path / "副本", office / "单位3", "-o", out)
    assert result.code == 3
    assert sorted(p.name for p in out.iterdir()) == [
        "第1单位2024年政府信息公开工作年度报告.docx",
        "第3单位2024年政府信息公开工作年度报告.docx",
    ]
    assert "同名" in result.stdout and "未生成" in result.stdout


def test_build_many_output_must_be_a_folder(office, tmp_path):
    result = run_cli("build", office, "-o", tmp_path / "r.docx")
    assert result.code == 3 and "文件夹" in result.stderr


def test_jobs_must_be_positive(office):
    result = run_cli("check", office, "--jobs", "0")
    assert result.code == 2 and "--jobs" in result.stderr


def test_one_project_keeps_its_own_output(office):
    """One project (not a folder of projects) is reported as before: no table."""
    result = run_cli("check", office / "单位1")
    assert result.code == 0 and result.stdout.strip() == "未发现问题。"
    payload = json.loads(run_cli("check", office / "单位2", "--format", "json").stdout)
    assert isinstance(payload, dict) and payload["errors"] == 1


def test_many_projects_in_a_real_process(office):
    """No progress bar when stderr is not a terminal; the table on stdout."""
    result = run_process("check", office / "单位1", office / "单位2")
    assert result.code == 1
    assert result.stderr == ""
    assert "共 2 个项目：1 个没有错误，1 个有错误。" in result.stdout


def test_build_many_in_several_formats(office, tmp_path):
    out = tmp_path / "发布"
    out.mkdir()
    result = run_cli("build", office / "单位1", office / "单位3", "--format", "html", "--format", "docx", "-o", out)
    assert result.code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        f"第{n}单位2024年政府信息公开工作年度报告.{suffix}" for n in (1, 3) for suffix in ("docx", "html")
    ]
    assert "第1单位2024年政府信息公开工作年度报告.html" in result.stdout.replace("\n", "").replace(" ", "")
