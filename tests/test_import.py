"""`zbreport import`, `check FILE…` and `init --from FILE`: published reports read back.

The documents are made the way agencies make them (agency_documents.py) and the way zbreport
makes them (the sample's build), then saved to PDF and HTML by LibreOffice, once a session.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

import agency_documents as agency
from conftest import SAMPLE, replace_in, run_cli
from docx_reading import open_docx, table_after_heading, text_grid
from zbreport.format import GB2021
from zbreport.read.project import load_project

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_libreoffice = pytest.mark.skipif(
    not SOFFICE and not os.environ.get("CI"), reason="LibreOffice not installed (CI installs it)"
)


def convert(files: list[Path], to: str, folder: Path) -> None:
    """LibreOffice's own conversion, as an agency saves a report as PDF or web page: one run for all files."""
    assert SOFFICE, "CI must have soffice"
    profile = folder / "lo-profile"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", to, "--outdir", str(folder), *map(str, files)],
        check=True,
        capture_output=True,
        timeout=240,
    )


@pytest.fixture(scope="session")
def documents(tmp_path_factory, sample_docx) -> dict[str, Path]:
    """The sample as zbreport builds it and the agency's report, as .docx and a portal page."""
    folder = tmp_path_factory.mktemp("published")
    made = {
        "sample.docx": shutil.copy(sample_docx, folder / "sample.docx"),
        "agency.docx": agency.write_docx(folder / "agency.docx"),
        "portal.html": agency.write_portal_page(folder / "portal.html"),
    }
    return {k: Path(v) for k, v in made.items()}


@pytest.fixture(scope="session")
def converted(documents, tmp_path_factory) -> dict[str, Path]:
    """The two .docx files saved as PDF and as HTML by LibreOffice."""
    if not SOFFICE:
        pytest.skip("LibreOffice not installed")
    folder = tmp_path_factory.mktemp("libreoffice")
    sources = [documents["sample.docx"], documents["agency.docx"]]
    convert(sources, "pdf", folder)
    convert(sources, "html", folder)
    return {f"{stem}.{ext}": folder / f"{stem}.{ext}" for stem in ("sample", "agency") for ext in ("pdf", "html")}


def source(name: str, documents, request) -> Path:
    if name in documents:
        return documents[name]
    return request.getfixturevalue("converted")[name]


def paragraphs(path: Path) -> list[str]:
    return [p.text for p in open_docx(path).paragraphs]


# ---------------------------------------------------------------- round trips of zbreport's own report


@pytest.mark.parametrize("name", ["sample.docx", pytest.param("sample.pdf", marks=needs_libreoffice), pytest.param("sample.html", marks=needs_libreoffice)])
def test_round_trip(name, documents, request, tmp_path, sample_docx):
    """The report zbreport builds, imported back: the sample's tables, and the same text once built."""
    imported = tmp_path / "imported"
    result = run_cli("import", source(name, documents, request), "-o", imported)
    assert result.code == 0, result.output
    mine, sample = load_project(imported, GB2021).report, load_project(SAMPLE, GB2021).report
    for key, table in sample.tables.items():
        assert mine.tables[key].values == table.values, f"表{key}"
        typed_totals = [c.key for c in table.form.cells if c.computed and c.key in mine.tables[key].entries]
        assert len(typed_totals) == sum(c.computed for c in table.form.cells), "the printed totals are kept as typed"
    assert mine.meta.contact == sample.meta.contact
    written = yaml.safe_load((imported / "report.yaml").read_text(encoding="utf-8"))
    assert "导语" not in written, "the generated 导语 is not copied"
    assert "标题" not in written and "章节" not in written, "the standard title and sections are zbreport's own"
    assert run_cli("check", imported).code == 0
    rebuilt = tmp_path / "rebuilt.docx"
    assert run_cli("build", imported, "-o", rebuilt).code == 0
    assert paragraphs(rebuilt) == paragraphs(sample_docx)


def test_round_trip_through_the_html_writer(tmp_path, sample_docx):
    """zbreport's own web page (build --format html), imported back."""
    page = tmp_path / "sample.html"
    assert run_cli("build", SAMPLE, "--format", "html", "-o", page).code == 0
    assert run_cli("import", page, "-o", tmp_path / "imported").code == 0
    assert run_cli("build", tmp_path / "imported", "-o", tmp_path / "rebuilt.docx").code == 0
    assert paragraphs(tmp_path / "rebuilt.docx") == paragraphs(sample_docx)


# ---------------------------------------------------------------- an agency's report, as published

AGENCY = ["agency.docx", pytest.param("agency.pdf", marks=needs_libreoffice), pytest.param("agency.html", marks=needs_libreoffice), "portal.html"]


@pytest.mark.parametrize("name", AGENCY)
def test_every_number_at_its_label(name, documents, request, tmp_path):
    imported = tmp_path / "imported"
    result = run_cli("import", source(name, documents, request), "-o", imported)
    assert result.code == 0, result.output
    assert "原报告共 1 个错误，3 个警告" in result.stdout
    tables = load_project(imported, GB2021).report.tables

    rows3 = list(dict.fromkeys(c.row for c in GB2021.tables["三"].cells))
    cols3 = list(dict.fromkeys(c.col for c in GB2021.tables["三"].cells))
    assert len(rows3) == len(agency.TABLE_3_FIGURES)
    for row, (_, label, figures) in zip(rows3, agency.TABLE_3_FIGURES):
        written = [tables["三"].entries[(row, col)].text for col in cols3]
        assert written == figures, label
    for (block, row_label, col_label), figure in agency.TABLE_2_FIGURES.items():
        cell = next(c for c in GB2021.tables["二"].cells if c.yaml_path == (block, row_label, col_label))
        assert tables["二"].entries[cell.key].text == figure
    assert [tables["四"].entries[c.key].text for c in GB2021.tables["四"].cells] == agency.TABLE_4_FIGURES

    # the wrong total is kept as published, and check says so at its line
    check = json.loads(run_cli("check", imported, "--format", "json").stdout)
    [r3] = [f for f in check["findings"] if f["rule"] == "R1/R3"]  # one finding: both checks run through this cell
    assert r3["file"].endswith("table3.yaml") and "填写为 246" in r3["message"] and "245" in r3["message"]


@pytest.mark.parametrize("name", AGENCY)
def test_findings_in_the_published_file(name, documents, request):
    path = source(name, documents, request)
    result = run_cli("check", path, "--format", "json")
    assert result.code == 1
    payload = json.loads(result.stdout)
    assert (payload["issuer"], payload["year"], payload["errors"], payload["warnings"]) == (agency.ISSUER, 2024, 1, 3)
    found = {(f["rule"], f["place"].split("，")[-1]) for f in payload["findings"]}
    assert found == {
        ("R1/R3", "表三“一、本年新收政府信息公开申请数量”行“总计”列"),
        ("label", "表三“2.其他法律行政止公开”行"),
        ("section-title", "“四、政府信息公开行政法复议、行政诉讼情况”"),
        ("section-title", "“五、政府信息公开工作存在的主要问题及改进情况”"),
    }
    r3 = next(f for f in payload["findings"] if f["rule"] == "R1/R3")
    assert r3["file"] == str(path) and "243+2 = 245" in r3["message"]
    if name.endswith(".pdf"):
        assert r3["place"].startswith("第") and "页" in r3["place"]


@pytest.mark.parametrize("name", AGENCY)
def test_narrative_and_metadata(name, documents, request, tmp_path):
    imported = tmp_path / "imported"
    assert run_cli("import", source(name, documents, request), "-o", imported).code == 0
    text = {p.name: p.read_text(encoding="utf-8") for p in (imported / "sections").iterdir()}
    assert "2024年，市政府办公室按照全市的部署推进政务公开。" in text["1-overview.md"]
    assert "## （一）主动公开方面。\n\n全年公开政府文件86件" in text["1-overview.md"]
    assert text["2-proactive.md"].startswith(agency.NOTES_UNDER_TABLE_2[0])
    assert "## （一）信息处理费收取情况" in text["6-other.md"]
    assert text["6-other.md"].rstrip().endswith("举办全市政务公开专题培训，1000余人参加。"), "the signature is not narrative"
    report = yaml.safe_load((imported / "report.yaml").read_text(encoding="utf-8"))
    assert report["机关全称"] == agency.ISSUER and report["年度"] == 2024
    assert report["联系方式"] == {"地址": "淄博市张店区人民西路8号", "邮编": "255000", "电话": "0533-3183622", "电子邮箱": "zwgkb@zb.shandong.cn"}
    assert str(report["成文日期"]) == "2025-01-20"
    assert "统计期限为{{ 年度 }}年1月1日至{{ 年度 }}年12月31日" in report["导语"], "the report's own 导语, its year a placeholder"
    everything = "".join(text.values()) + (imported / "report.yaml").read_text(encoding="utf-8")
    for chrome in ("当前位置", "网站标识码", "浏览次数", "索引号", "打印本页", "统计代码"):
        assert chrome not in everything
    out = tmp_path / "rebuilt.docx"
    assert run_cli("build", imported, "-o", out, "--force").code == 0
    built = paragraphs(out)
    assert "2024年，市政府办公室按照全市的部署推进政务公开。" in built
    assert "（一）主动公开方面。全年公开政府文件86件，政策性文件都配发了解读。" in built


def test_what_a_project_cannot_hold_is_said(documents, tmp_path):
    result = run_cli("import", documents["agency.docx"], "-o", tmp_path / "imported")
    assert result.code == 0
    assert "提示 文中有 1 张图片或图形，未导入" in result.stderr


def test_blank_slash_dash_and_notes_kept_as_written(tmp_path):
    figures = dict(agency.TABLE_2_FIGURES)
    figures[("第二十条第（一）项", "规章", "本年制发件数")] = "/"
    figures[("第二十条第（一）项", "规章", "现行有效件数")] = "32(含修订2件,新制1件)"  # a comma YAML must quote
    figures[("第二十条第（一）项", "行政规范性文件", "本年制发件数")] = "6（含修订2件）"
    figures[("第二十条第（五）项", "行政许可", "本年处理决定数量")] = "—"
    figures[("第二十条第（六）项", "行政处罚", "本年处理决定数量")] = ""
    doc = agency.write_docx(tmp_path / "report.docx", agency.AgencyReport(table_2=agency.table_2_rows(figures)))
    imported = tmp_path / "imported"
    assert run_cli("import", doc, "-o", imported).code == 0
    table2 = (imported / "tables" / "table2.yaml").read_text(encoding="utf-8")
    assert '规章: {本年制发件数: /, 本年废止件数: 4, 现行有效件数: "32(含修订2件,新制1件)"}' in table2
    assert "行政规范性文件: {本年制发件数: 6（含修订2件）, 本年废止件数: 1, 现行有效件数: 49}" in table2, "the note stays in its cell"
    assert "行政许可: {本年处理决定数量: —}" in table2
    assert '行政处罚: {本年处理决定数量: ""}' in table2
    # The published file and the project made from it read the same: "—" stands for a power the
    # organ lacks, as "/" does; only the blank is an error.
    for checked in (doc, imported):
        findings = json.loads(run_cli("check", checked, "--format", "json").stdout)["findings"]
        assert [f["message"] for f in findings if f["rule"] == "R6"] == ["“表二·第二十条第（六）项·行政处罚·本年处理决定数量”未填写；没有发生的请填 0"]
    out = tmp_path / "rebuilt.docx"
    assert run_cli("build", imported, "-o", out, "--force").code == 0
    grid = text_grid(table_after_heading(open_docx(out), "二、主动公开政府信息情况"))
    assert grid[2] == ["规章", "/", "4", "32(含修订2件,新制1件)"] and grid[3] == ["行政规范性文件", "6（含修订2件）", "1", "49"]
    assert "6（含修订2件）" in run_cli("preview", imported, "--table", "二", env={"COLUMNS": "100"}).stdout


def test_a_damaged_label_reads_as_in_a_project(project, tmp_path):
    """The same damaged row label and column header, in a published .docx and in a project: the
    same warning naming both labels, located at the table, row or column of the source."""
    header = [list(row) for row in agency.TABLE_3_HEADER]
    header[2][1] = ("科研机", 1, 1)
    doc = agency.write_docx(tmp_path / "damaged.docx", agency.AgencyReport(table_3_parts=[header + agency.table_3_rows()]))
    published = json.loads(run_cli("check", doc, "--format", "json").stdout)["findings"]
    table = project / "tables" / "table3.yaml"
    replace_in(table, "2.其他法律行政法规禁止公开:", "2.其他法律行政止公开:")
    replace_in(table, "{自然人: 243, 商业企业: 2, 科研机构: 0,", "{自然人: 243, 商业企业: 2, 科研机: 0,")
    typed = json.loads(run_cli("check", project, "--format", "json").stdout)["findings"]
    warnings = {f["message"]: f for f in published if f["rule"] == "label"}
    assert sorted(warnings) == sorted(f["message"] for f in typed if f["rule"] == "label") == [
        "“2.其他法律行政止公开”按“2.其他法律行政法规禁止公开”读取，请核对并改正标签",
        "“科研机”按“科研机构”读取，请核对并改正标签",
    ]
    assert warnings["“科研机”按“科研机构”读取，请核对并改正标签"]["place"] == "表三“科研机”列"
    assert warnings["“2.其他法律行政止公开”按“2.其他法律行政法规禁止公开”读取，请核对并改正标签"]["place"] == "表三“2.其他法律行政止公开”行"
    assert all(f["file"] == str(doc) and f["severity"] == "warning" for f in warnings.values())
    tables = load_project(project, GB2021).report.tables
    assert tables["三"].entries[("new_received", "research")].text == "0", "the damaged column is read as 科研机构"


def test_a_title_of_its_own_is_kept(tmp_path):
    title = (agency.ISSUER, "2024年度政府信息公开工作年度报告")
    doc = agency.write_docx(tmp_path / "own-title.docx", agency.AgencyReport(title=title))
    imported = tmp_path / "imported"
    result = run_cli("import", doc, "-o", imported)
    assert result.code == 0 and "标准写法" not in result.output
    assert yaml.safe_load((imported / "report.yaml").read_text(encoding="utf-8"))["标题"] == "\n".join(title) + "\n"
    out = tmp_path / "rebuilt.docx"
    assert run_cli("build", imported, "-o", out, "--force").code == 0
    assert [p.text for p in open_docx(out).paragraphs if p.style.name == "Title"] == list(title)
    assert run_cli("init", tmp_path / "2025", "--from", doc).code == 0
    next_year = yaml.safe_load((tmp_path / "2025" / "report.yaml").read_text(encoding="utf-8"))
    assert next_year["标题"] == f"{agency.ISSUER}\n2025年度政府信息公开工作年度报告\n", "the year moves on"


def test_sections_numbered_otherwise_are_the_report_own(tmp_path):
    """A report without 总体情况 numbers its sections one lower: imported with 章节, built as published."""
    titles = {"二": "一、主动公开政府信息情况", "三": "二、收到和处理政府信息公开申请情况", "四": "三、政府信息公开行政复议、行政诉讼情况",
              "五": "四、存在的主要问题及改进情况", "六": "五、其他需要报告的事项"}
    doc = agency.write_docx(tmp_path / "five.docx", agency.AgencyReport(titles=titles, overview=False))
    imported = tmp_path / "imported"
    assert run_cli("import", doc, "-o", imported).code == 0
    sections = yaml.safe_load((imported / "report.yaml").read_text(encoding="utf-8"))["章节"]
    assert sections == [
        {"标题": "一、主动公开政府信息情况", "文件": "2-proactive.md", "表格": "表二"},
        {"标题": "二、收到和处理政府信息公开申请情况", "文件": "3-applications.md", "表格": "表三"},
        {"标题": "三、政府信息公开行政复议、行政诉讼情况", "文件": "4-review-litigation.md", "表格": "表四"},
        {"标题": "四、存在的主要问题及改进情况", "文件": "5-problems.md"},
        {"标题": "五、其他需要报告的事项", "文件": "6-other.md"},
    ]
    assert sorted(p.name for p in (imported / "sections").iterdir()) == sorted(s["文件"] for s in sections)
    assert [f["rule"] for f in json.loads(run_cli("check", imported, "--format", "json").stdout)["findings"]] == ["R1/R3"]
    out = tmp_path / "rebuilt.docx"
    assert run_cli("build", imported, "-o", out, "--force").code == 0
    assert [p.text for p in open_docx(out).paragraphs if p.style.name == "Heading 1"] == list(titles.values())
    # Auditing the file: its missing 总体情况 is one finding; the numbering that follows from it is no other.
    audit = json.loads(run_cli("check", doc, "--format", "json").stdout)["findings"]
    assert [f["message"] for f in audit if f["rule"] in ("missing-section", "section-title")] == [
        "没有找到“一、总体情况”；其余各部分按本报告自己的编号排列"
    ]


def test_a_section_number_written_wrong_once_is_a_finding_not_a_numbering(tmp_path):
    titles = dict(agency.TITLES, 六="五、其他需要报告的事项")
    doc = agency.write_docx(tmp_path / "typo.docx", agency.AgencyReport(titles=titles))
    imported = tmp_path / "imported"
    assert run_cli("import", doc, "-o", imported).code == 0
    assert "章节" not in yaml.safe_load((imported / "report.yaml").read_text(encoding="utf-8"))
    audit = json.loads(run_cli("check", doc, "--format", "json").stdout)["findings"]
    assert "章节标题“五、其他需要报告的事项”与官方格式的“六、其他需要报告的事项”不一致" in [f["message"] for f in audit]


def test_a_2019_format_table_is_named(tmp_path):
    rows = [
        [("第二十条第（一）项", 1, 4)],
        [("信息内容", 1, 1), ("本年新制作数量", 1, 1), ("本年新公开数量", 1, 1), ("对外公开总数量", 1, 1)],
        [("规章", 1, 1), ("0", 1, 1), ("0", 1, 1), ("0", 1, 1)],
        [("规范性文件", 1, 1), ("3", 1, 1), ("3", 1, 1), ("20", 1, 1)],
        [("第二十条第（九）项", 1, 4)],
        [("信息内容", 1, 1), ("采购项目数量", 1, 2), ("采购总金额", 1, 1)],
        [("政府集中采购", 1, 1), ("0", 1, 2), ("0", 1, 1)],
    ]
    doc = agency.write_docx(tmp_path / "2019.docx", agency.AgencyReport(table_2=rows))
    payload = json.loads(run_cli("check", doc, "--format", "json").stdout)
    r12 = [f for f in payload["findings"] if f["rule"] == "R12"]
    assert len(r12) == 1 and "表二是2019年试行格式（国办公开办函〔2019〕60号）" in r12[0]["message"]
    assert not [f for f in payload["findings"] if f["rule"] == "missing" and f["table"] == "二"]
    result = run_cli("import", doc, "-o", tmp_path / "imported")
    assert "表二是2019年试行格式" in result.stderr
    assert not (tmp_path / "imported" / "tables" / "table2.yaml").exists()


def test_a_2019_table_three_with_one_row_for_other_handling(tmp_path):
    figures = [f for f in agency.TABLE_3_FIGURES if f[0] != "（六）其他处理"]
    at = next(i for i, f in enumerate(figures) if f[1] == "（七）总计")
    figures.insert(at, ("三、本年度办理结果", "（六）其他处理", ["10", "0", "0", "0", "0", "0", "10"]))
    report = agency.AgencyReport(table_3_parts=[agency.TABLE_3_HEADER + agency.table_3_rows(figures)])
    payload = json.loads(run_cli("check", agency.write_docx(tmp_path / "2019.docx", report), "--format", "json").stdout)
    [r12] = [f for f in payload["findings"] if f["rule"] == "R12"]
    assert "表三是2019年试行格式" in r12["message"] and "分为三项" in r12["message"]
    assert r12["place"] == "表三“（六）其他处理”行"


# ---------------------------------------------------------------- commands


def test_check_many_published_reports(documents, tmp_path):
    result = run_cli("check", documents["sample.docx"], documents["agency.docx"], tmp_path / "missing.pdf")
    assert result.code == 2  # one unreadable: the worst of the run
    rows = {cells[0].rsplit("/", 1)[-1]: cells[1:] for cells in map(str.split, result.stdout.splitlines()) if cells}
    assert rows["sample.docx"] == ["淄博市人民政府办公室", "2024", "0", "0"]  # the summary table: 机关, 年度, 错误, 警告
    assert rows["agency.docx"] == ["淄博市人民政府办公室", "2024", "1", "3"]
    assert rows["missing.pdf"][0] == "（无法读取）"
    payload = json.loads(run_cli("check", documents["sample.docx"], documents["agency.docx"], "--format", "json").stdout)
    assert [(p["issuer"], p["errors"]) for p in payload] == [(agency.ISSUER, 0), (agency.ISSUER, 1)]


def test_check_a_project_and_a_published_report_together(documents):
    result = run_cli("check", SAMPLE, documents["sample.docx"])
    assert result.code == 0, result.output
    assert "共 2 个项目：2 个没有错误，0 个有错误。" in result.stdout


def test_import_never_overwrites(documents, project):
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    result = run_cli("import", documents["sample.docx"], "-o", project)
    assert result.code == 3 and "不会覆盖" in result.stderr
    assert {p: p.read_bytes() for p in project.rglob("*") if p.is_file()} == before


def test_a_document_that_is_not_a_report_writes_nothing(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("关于召开2025年第一次工作会议的通知")
    document.add_paragraph("各科室：定于下周一召开工作会议。")
    document.save(str(tmp_path / "通知.docx"))
    result = run_cli("import", tmp_path / "通知.docx", "-o", tmp_path / "out")
    assert result.code == 2
    assert "不像政府信息公开工作年度报告" in result.stderr and "标题" in result.stderr and "没有找到表三" in result.stderr
    assert not (tmp_path / "out").exists()
    assert run_cli("check", tmp_path / "通知.docx").code == 2


def test_next_year_from_a_published_report(tmp_path, documents, request):
    path = documents["sample.docx"] if not SOFFICE else request.getfixturevalue("converted")["sample.pdf"]
    folder = tmp_path / "2025"
    result = run_cli("init", folder, "--from", path)
    assert result.code == 0, result.output
    report = yaml.safe_load((folder / "report.yaml").read_text(encoding="utf-8"))
    assert (report["年度"], report["上年"]) == (2025, "2024年度数据.yaml")
    last = yaml.safe_load((folder / "2024年度数据.yaml").read_text(encoding="utf-8"))
    assert last["年度"] == 2024 and last["表三"]["三、本年度办理结果"]["（七）总计"]["总计"] == 261
    assert "草稿" in (folder / "sections" / "1-overview.md").read_text(encoding="utf-8")
    with (folder / "sections" / "3-applications.md").open("a", encoding="utf-8") as notes:
        notes.write("\n上年办理{{上年(表三·（七）总计·总计)}}件。\n")
    out = tmp_path / "2025.docx"
    build = run_cli("build", folder, "-o", out)
    assert build.code == 0, build.output
    assert "上年办理261件。" in paragraphs(out)
    assert "[R7]" not in run_cli("check", folder).stdout


# ---------------------------------------------------------------- files that are not what they claim


def test_zip_bomb_is_refused_before_inflating(tmp_path):
    import zipfile

    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<" + b" " * (60 * 1024 * 1024))
    result = run_cli("check", bomb)
    assert result.code == 2 and "解压后" in result.stderr and "不读取" in result.stderr


def test_external_entities_are_never_resolved(tmp_path):
    import zipfile

    secret = tmp_path / "secret.txt"
    secret.write_text("机密内容", encoding="utf-8")
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>'
    )
    path = tmp_path / "entity.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", xml)
    result = run_cli("import", path, "-o", tmp_path / "out")
    assert result.code == 2 and "DTD" in result.stderr
    assert "机密内容" not in result.output and not (tmp_path / "out").exists()


def _pdf(pages: int, text: bool = False) -> bytes:
    """A minimal PDF of empty pages (or with one line of text), with a correct cross-reference table."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", ""]
    kids = []
    for i in range(pages):
        kids.append(f"{3 + i} 0 R")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {3 + pages} 0 R /Resources << /Font << /F1 {4 + pages} 0 R >> >> >>")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {pages} >>"
    stream = "BT /F1 12 Tf 72 720 Td (Annual report) Tj ET" if text else ""
    objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream")
    objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = b"%PDF-1.4\n"
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def test_a_500_page_pdf_is_refused(tmp_path):
    path = tmp_path / "long.pdf"
    path.write_bytes(_pdf(500))
    result = run_cli("check", path)
    assert result.code == 2 and "500 页" in result.stderr and "上限" in result.stderr


def test_a_scanned_pdf_says_it_has_no_text(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(_pdf(2))
    result = run_cli("import", path, "-o", tmp_path / "out")
    assert result.code == 2 and "没有文字层" in result.stderr and "扫描" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_pdf_with_text_but_no_report(tmp_path):
    path = tmp_path / "other.pdf"
    path.write_bytes(_pdf(1, text=True))
    result = run_cli("check", path)
    assert result.code == 2 and "不像政府信息公开工作年度报告" in result.stderr


def test_a_50_mb_page_is_refused(tmp_path):
    path = tmp_path / "huge.html"
    with path.open("wb") as page:
        page.write(b"<html><body>")
        page.truncate(50 * 1024 * 1024)
    result = run_cli("check", path)
    assert result.code == 2 and "50 MB" in result.stderr and "上限" in result.stderr


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.doc", b"\xd0\xcf\x11\xe0", "另存为 .docx"),
        ("report.docx", b"not a zip at all", "不是有效的 Word 文档"),
        ("report.pdf", b"%PDF-1.4 garbage", "无法读取这个 PDF"),
    ],
)
def test_damaged_or_unsupported_files(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    result = run_cli("check", path)
    assert result.code == 2 and message in result.stderr, result.output
    assert "Traceback" not in result.output and "内部错误" not in result.output


def test_a_column_the_format_lacks_is_said_and_not_read(tmp_path):
    header = [list(row) for row in agency.TABLE_3_HEADER]
    header[0][1] = ("申请人情况", 1, 8)
    header[1][1] = ("法人或其他组织", 1, 6)
    header[2] = header[2] + [("小计", 1, 1)]  # the agency's own subtotal of the five organisations
    figures = [(g, l, v[:6] + [str(sum(int(x) for x in v[1:6]))] + v[6:]) for g, l, v in agency.TABLE_3_FIGURES]
    report = agency.AgencyReport(table_3_parts=[header + agency.table_3_rows(figures)])
    path = agency.write_docx(tmp_path / "subtotal.docx", report)
    payload = json.loads(run_cli("check", path, "--format", "json").stdout)
    [extra] = [f for f in payload["findings"] if f["rule"] == "structure"]
    assert extra["severity"] == "warning" and "“小计”一列不是官方格式的列" in extra["message"]
    imported = tmp_path / "imported"
    assert run_cli("import", path, "-o", imported).code == 0
    total = load_project(imported, GB2021).report.tables["三"].entries[("new_received", "total")]
    assert total.text == "246", "the 总计 column is still read as 总计, not the subtotal beside it"


def test_preview_a_published_report(documents):
    result = run_cli("preview", documents["agency.docx"], "--table", "四")
    assert result.code == 0, result.output
    numbers = [line for line in result.stdout.splitlines() if line.startswith("│") and "".join(line.split("│")).replace(" ", "").isdigit()]
    assert [cell.strip() for cell in numbers[-1].strip("│").split("│")] == agency.TABLE_4_FIGURES
