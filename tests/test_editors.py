"""Editors' changes: `zbreport diff` shows them, `zbreport pull` writes them back into the project.

The built report is edited as Word leaves a file (runs split anywhere, rsids, proofing marks,
bookmarks, tracked changes, comments), then compared with and pulled into a copy of the sample.
After a pull, the project builds the edited text.
"""

from __future__ import annotations

import json
import re
import shutil
from copy import deepcopy
import zipfile
from pathlib import Path

import docx
import pytest
from docx.text.paragraph import Paragraph

from conftest import line_of, run_cli, run_process
from editing import (
    comment_on,
    open_report,
    paragraph_with,
    replace_words,
    retype,
    set_cell,
    split_paragraph,
    track_changes,
    track_split,
)
from zbreport.commands import edits as cli

OVERVIEW = Path("sections") / "1-overview.md"


@pytest.fixture
def edited(sample_docx, tmp_path):
    """A copy of the built sample to edit, and a function saving the edits."""
    target = tmp_path / "审阅稿.docx"
    shutil.copy(sample_docx, target)
    document = open_report(target)

    def save():
        document.save(str(target))
        return target

    return document, save


def files_of(project: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(project)): (p.read_bytes(), p.stat().st_mtime_ns) for p in project.rglob("*") if p.is_file()}


def rebuilt_text(project: Path, tmp_path: Path) -> str:
    out = tmp_path / "rebuilt.docx"
    result = run_cli("build", project, "-o", out, "--force")
    assert result.code == 0, result.output
    return "\n".join(p.text for p in open_report(out).paragraphs)


# ---------------------------------------------------------------- diff


def test_an_unchanged_report_has_no_changes(project, sample_docx):
    result = run_cli("diff", project, sample_docx)
    assert result.code == 0, result.output
    assert "没有改动" in result.stdout


def test_a_reworded_paragraph_shows_its_file_line_and_words(project, edited):
    document, save = edited
    replace_words(document, "认真办理每一件申请", "认真办好每一件申请")
    # Whitespace an editor's program adds is not a change.
    retype(paragraph_with(document, "一是政府文件发布及时"), " " + paragraph_with(document, "一是政府文件发布及时").text + "  ")
    result = run_cli("diff", project, save())
    assert result.code == 0, result.output
    line = line_of(project / OVERVIEW, "一是认真办理每一件申请")  # the run-in heading's body, not the heading
    assert f"sections/1-overview.md:{line}" in result.stdout
    assert "认真办[-理-]{+好+}每一件申请" in result.stdout
    assert "改动：正文 1 处。" in result.stdout


def test_a_split_paragraph_is_one_change(project, edited):
    document, save = edited
    split_paragraph(document, "二是落实“谁起草谁解读")
    result = run_cli("diff", project, save(), "--format", "json")
    payload = json.loads(result.stdout)
    (change,) = payload["paragraphs"]
    assert change["kind"] == "split"
    assert change["source"]["file"].endswith("5-problems.md")
    assert change["new"].split("\n")[1].startswith("二是落实")


def test_a_retyped_cell_is_named_by_row_and_column(project, edited):
    document, save = edited
    set_cell(document, 1, 3, 3, "244")  # table 三: 一、本年新收 · 自然人
    result = run_cli("diff", project, save())
    table = project / "tables" / "table3.yaml"
    assert "表三 一、本年新收政府信息公开申请数量 · 自然人：243 → 244" in result.stdout
    assert f"tables/table3.yaml:{line_of(table, '一、本年新收')}" in result.stdout
    payload = json.loads(run_cli("diff", project, save(), "--format", "json").stdout)
    assert payload["cells"] == [
        {
            "table": "三",
            "row": "一、本年新收政府信息公开申请数量",
            "column": "自然人",
            "old": "243",
            "new": "244",
            "computed": False,
            "source": {"file": str(table), "line": line_of(table, "一、本年新收"), "column": 25},
        }
    ]


def test_tracked_changes_and_comments_are_listed_with_their_paragraph(project, edited):
    document, save = edited
    track_changes(document, "一是会同有关部门", "逐条梳理", "逐条认真梳理", "张三", "2025-01-10T09:30:00Z")
    comment_on(document, "全年审核稿件1500余篇", "请核实篇数", "李四")
    result = run_cli("diff", project, save())
    assert result.code == 0, result.output
    # Both sit in the text after a run-in heading: at its line, not the heading's.
    line = line_of(project / OVERVIEW, "一是会同有关部门")
    assert re.search(f"删除  张三  2025-01-10  \\S*sections/1-overview.md:{line}  “逐条梳理”", result.stdout)
    assert re.search(f"插入  张三  2025-01-10  \\S*sections/1-overview.md:{line}  “逐条认真梳理”", result.stdout)
    line = line_of(project / OVERVIEW, "全年审核稿件1500余篇")
    assert re.search(f"批注  李四  \\S*  \\S*sections/1-overview.md:{line}  “请核实篇数”（批注于“全年审核稿件1500余篇”）", result.stdout)
    # Not accepted: the text before the changes is compared, so the paragraph did not change.
    assert "正文的改动" not in result.stdout

    payload = json.loads(run_cli("diff", project, save(), "--format", "json", "--accept-changes").stdout)
    assert [(r["kind"], r["author"], r["text"]) for r in payload["revisions"]] == [
        ("delete", "张三", "逐条梳理"),
        ("insert", "张三", "逐条认真梳理"),
    ]
    assert payload["comments"][0]["text"] == "请核实篇数" and payload["comments"][0]["anchor"] == "全年审核稿件1500余篇"
    (change,) = payload["paragraphs"]
    assert {"op": "insert", "text": "认真"} in change["diff"]


def test_an_edited_figure_is_reported(project, edited):
    document, save = edited
    replace_words(document, "全年办理政府信息公开申请261件", "全年办理政府信息公开申请262件")
    result = run_cli("diff", project, save())
    assert "不会写回项目的改动" in result.stdout
    assert "{{表三·（七）总计·总计 + 表三·结转下年度·总计}} 的值“261”被改为“262”" in result.stdout


def test_an_unreadable_edited_file(project, tmp_path):
    broken = tmp_path / "坏文件.docx"
    broken.write_text("这不是 Word 文件", encoding="utf-8")
    result = run_cli("diff", project, broken)
    assert result.code == 2
    assert "坏文件.docx" in result.stderr and "不是有效的 Word 文档" in result.stderr
    assert "Traceback" not in result.output
    assert run_cli("pull", project, tmp_path / "没有这个文件.docx").code == 2


# ---------------------------------------------------------------- pull


def test_pull_rewrites_the_paragraph_keeping_its_placeholders(project, edited, tmp_path):
    document, save = edited
    replace_words(document, "全年办理政府信息公开申请261件", "全年共受理政府信息公开申请261件")
    before = files_of(project)

    result = run_cli("pull", project, save(), "--yes")

    assert result.code == 0, result.output
    markdown = (project / OVERVIEW).read_text(encoding="utf-8")
    assert "全年共受理政府信息公开申请{{表三·（七）总计·总计 + 表三·结转下年度·总计}}件" in markdown
    assert "较上年{{同比(表三·（七）总计·总计 + 表三·结转下年度·总计)}}" in markdown
    after = files_of(project)
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {str(OVERVIEW)}, "files pull does not need keep their bytes and mtime"
    old_lines = before[str(OVERVIEW)][0].decode("utf-8").splitlines()
    new_lines = markdown.splitlines()
    assert [i for i, (a, b) in enumerate(zip(old_lines, new_lines)) if a != b] == [8]
    assert "已写入" in result.stdout and "未发现问题" in result.stdout
    assert "全年共受理政府信息公开申请261件" in rebuilt_text(project, tmp_path)


def test_pull_keeps_the_placeholder_of_an_edited_figure(project, edited):
    document, save = edited
    replace_words(document, "全年办理政府信息公开申请261件", "全年共办理政府信息公开申请262件")
    result = run_cli("pull", project, save(), "--yes")
    assert result.code == 0, result.output
    markdown = (project / OVERVIEW).read_text(encoding="utf-8")
    assert "全年共办理政府信息公开申请{{表三·（七）总计·总计 + 表三·结转下年度·总计}}件" in markdown
    assert "262" not in markdown
    assert "的值“261”被改为“262”" in result.stdout


def test_pull_writes_a_retyped_cell_in_place_and_checks(project, edited):
    document, save = edited
    set_cell(document, 1, 3, 3, "２４４")  # full-width digits, as a Chinese input method types them
    table = project / "tables" / "table3.yaml"
    before = table.read_text(encoding="utf-8")

    result = run_cli("pull", project, save(), "--yes")

    assert result.code == 1  # written, then check finds R1: the clerk must balance the table
    after = table.read_text(encoding="utf-8")
    assert after == before.replace("{自然人: 243,", "{自然人: 244,", 1)
    assert "# 表三 收到和处理政府信息公开申请情况" in after  # comments and layout kept
    assert "[R1]" in result.stdout and "检查项目" in result.stdout


def test_pull_splits_and_rebuilds(project, edited, tmp_path):
    document, save = edited
    split_paragraph(document, "二是落实“谁起草谁解读")
    assert run_cli("pull", project, save(), "--yes").code == 0
    markdown = (project / "sections" / "5-problems.md").read_text(encoding="utf-8")
    assert "同步推进。\n\n二是落实" in markdown
    rebuilt = rebuilt_text(project, tmp_path).split("\n")
    first = next(i for i, p in enumerate(rebuilt) if p.startswith("针对上述不足"))
    assert rebuilt[first].endswith("同步推进。") and rebuilt[first + 1].startswith("二是落实")


def test_pull_leaves_tracked_changes_unless_accepted(project, edited, tmp_path):
    document, save = edited
    track_changes(document, "一是会同有关部门", "逐条梳理", "逐条认真梳理", "张三", "2025-01-10T09:30:00Z")
    path = save()
    before = files_of(project)

    result = run_cli("pull", project, path, "--yes")
    assert result.code == 0
    assert "没有需要写回项目的改动" in result.stdout and "张三" in result.stdout
    assert files_of(project) == before

    result = run_cli("pull", project, path, "--yes", "--accept-changes")
    assert result.code == 0, result.output
    assert "逐条认真梳理" in (project / OVERVIEW).read_text(encoding="utf-8")
    assert "逐条认真梳理，编成" in rebuilt_text(project, tmp_path)


def test_pull_writes_an_edited_intro_with_its_placeholders(project, edited, tmp_path):
    document, save = edited
    replace_words(document, "对本报告如有疑问", "如对本报告有疑问")
    assert run_cli("pull", project, save(), "--yes").code == 0
    report = (project / "report.yaml").read_text(encoding="utf-8")
    assert "导语: |" in report
    assert "如对本报告有疑问，请与{{机关全称}}联系（地址：{{地址}}；" in report
    assert "{{年度}}年1月1日至{{年度}}年12月31日" in report
    assert "2024年1月1日至2024年12月31日。如对本报告有疑问，请与淄博市人民政府办公室联系" in rebuilt_text(project, tmp_path)


def test_pull_writes_the_issuer_and_added_and_removed_paragraphs(project, edited, tmp_path):
    document, save = edited
    retype(document.paragraphs[0], "淄博市人民政府办公厅")
    anchor = paragraph_with(document, "针对上述不足")
    anchor.insert_paragraph_before("另外，我们还加强了培训。", style=anchor.style)
    removed = paragraph_with(document, "按领域向职能部门和区县征集优秀解读案例")
    removed._p.getparent().remove(removed._p)

    result = run_cli("pull", project, save(), "--yes")

    assert result.code == 0, result.output
    assert "机关全称: 淄博市人民政府办公厅" in (project / "report.yaml").read_text(encoding="utf-8")
    problems = (project / "sections" / "5-problems.md").read_text(encoding="utf-8")
    assert "有待提升。\n\n另外，我们还加强了培训。\n\n针对上述不足" in problems
    other = (project / "sections" / "6-other.md").read_text(encoding="utf-8")
    # The paragraph ran in after its heading: both go, the next heading stays.
    assert "征集政策解读案例" not in other and "培训。\n\n### 2.分层次开展培训。" not in other
    assert "发挥示范带动作用" not in other and "### 2.分层次开展培训。" in other
    text = rebuilt_text(project, tmp_path)
    assert text.startswith("淄博市人民政府办公厅")
    assert "另外，我们还加强了培训。\n针对上述不足" in text


def test_pull_asks_before_writing(project, edited, monkeypatch):
    document, save = edited
    replace_words(document, "认真办理每一件申请", "认真办好每一件申请")
    path = save()
    before = files_of(project)

    result = run_cli("pull", project, path)  # not a terminal, no --yes
    assert result.code == 1
    assert "--yes" in result.stderr and "没有写入任何文件" in result.stderr
    assert files_of(project) == before

    monkeypatch.setattr(cli, "_interactive", lambda: True)
    result = run_cli("pull", project, path, input="n\n")
    assert result.code == 1 and files_of(project) == before
    result = run_cli("pull", project, path, input="y\n")
    assert result.code == 0, result.output
    assert "认真办好每一件申请" in (project / OVERVIEW).read_text(encoding="utf-8")


def test_pull_in_a_real_process(project, edited):
    document, save = edited
    replace_words(document, "认真办理每一件申请", "认真办好每一件申请")
    result = run_process("pull", project, save(), "--yes")
    assert result.code == 0, result.output
    assert "Traceback" not in result.output
    assert "认真办好每一件申请" in (project / OVERVIEW).read_text(encoding="utf-8")


RICH = """## （一）信息处理费收取情况

{{年度}}年度，市政府办公室**没有收取**信息处理费，详见[收费公示](https://www.zibo.gov.cn/fee)。

## （二）其他

### 1.征集案例。

按领域征集优秀解读案例，**择优**推广。

1. 完善`目录`编制，共{{表二·规章·本年制发件数}}件规章。
2. 加强*政策解读*。

> 引用的一段话，含{{年度}}年。

![平台截图](pic.png)平台上线后，访问量{{表二·规章·本年制发件数}}万次。

第一行  
第二行，含脚注[^1]。

[^1]: 脚注的内容。
"""
PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d4944415478da63f8cfc0f01f0005000201e2d1e3a90000000049454e44ae426082"
)


def test_pull_keeps_markdown_that_still_applies(project, tmp_path):
    other = project / "sections" / "6-other.md"
    other.write_text(RICH, encoding="utf-8")
    (project / "sections" / "pic.png").write_bytes(PIXEL)
    built = tmp_path / "rich.docx"
    assert run_cli("build", project, "-o", built).code == 0
    document = open_report(built)
    for old, new in [
        ("没有收取信息处理费", "没有收取任何信息处理费"),
        ("（二）其他", "（二）其他事项"),
        ("1.征集案例。", "1.征集解读案例。"),
        ("择优推广", "择优宣传推广"),
        ("完善目录编制", "完善目录的编制"),
        ("加强政策解读", "加强政策解读工作"),
        ("引用的一段话", "引用的话"),
        ("平台上线后", "平台上线以来"),
        ("第二行，含脚注", "第二行，包含脚注"),
    ]:
        replace_words(document, old, new)
    document.save(str(built))

    result = run_cli("pull", project, built, "--yes")

    assert result.code == 0, result.output
    assert "请留意" not in result.stdout  # every paragraph's Markdown reads back as the edited text
    assert other.read_text(encoding="utf-8") == (
        RICH.replace("**没有收取**信息处理费", "**没有收取**任何信息处理费")
        .replace("## （二）其他", "## （二）其他事项")
        .replace("### 1.征集案例。", "### 1.征集解读案例。")
        .replace("**择优**推广", "**择优**宣传推广")
        .replace("`目录`编制", "`目录`的编制")
        .replace("*政策解读*。", "*政策解读*工作。")
        .replace("引用的一段话", "引用的话")
        .replace("平台上线后", "平台上线以来")
        .replace("第一行  \n第二行，含脚注", "第一行\\\n第二行，包含脚注")
    )
    assert json.loads(run_cli("diff", project, built, "--format", "json").stdout)["paragraphs"] == []


def test_text_an_editor_types_is_not_read_as_markup(project, edited, tmp_path):
    document, save = edited
    replace_words(document, "认真办理每一件申请", "认真办理*每一件*申请[注]，<b>H_5</b>")
    assert run_cli("pull", project, save(), "--yes").code == 0
    markdown = (project / OVERVIEW).read_text(encoding="utf-8")
    assert r"认真办理\*每一件\*申请\[注\]，\<b>H_5\</b>" in markdown
    assert "认真办理*每一件*申请[注]，<b>H_5</b>" in rebuilt_text(project, tmp_path)


def test_pull_refuses_a_report_of_something_else(project, tmp_path):
    other = tmp_path / "别的文件.docx"
    document = docx.Document()
    document.add_paragraph("一份无关的文件。")
    document.save(str(other))
    before = files_of(project)
    result = run_cli("pull", project, other, "--yes")
    assert result.code == 2
    assert "是不是选错了文件或项目" in result.stderr and "没有写入任何文件" in result.stderr
    assert files_of(project) == before


def test_a_comment_on_a_table_cell_names_the_cell(project, edited):
    document, save = edited
    cell = document.tables[1].cell(3, 3)
    document.add_comment(cell.paragraphs[0].runs, text="与台账不符", author="王五")
    result = run_cli("diff", project, save())
    assert "批注  王五" in result.stdout
    assert "一、本年新收政府信息公开申请数量·自然人  “与台账不符”" in result.stdout


def test_an_agency_template_s_text_is_not_taken_for_the_report(project, tmp_path):
    from test_agency_templates import agency_template

    template = agency_template(tmp_path / "本机关模板.docx")
    with (project / "report.yaml").open("a", encoding="utf-8") as report:
        report.write("成文日期: 2025-01-20\n")  # the template's seal block prints it
    built = tmp_path / "审阅稿.docx"
    assert run_cli("build", project, "--template", template, "-o", built).code == 0
    document = open_report(built)
    replace_words(document, "（印章）", "（印章处）")
    replace_words(document, "认真办理每一件申请", "认真办好每一件申请")
    document.save(str(built))

    result = run_cli("diff", project, built, "--template", template)

    assert "认真办[-理-]{+好+}每一件申请" in result.stdout
    assert "模板中的文字（不在项目中）" in result.stdout and "请在模板文件中修改" in result.stdout
    assert "改动：正文 2 处。" in result.stdout  # the cover, header and seal block are the template's, unchanged


def test_pull_edits_a_written_intro_in_place(project, tmp_path):
    report = project / "report.yaml"
    report.write_text(
        report.read_text(encoding="utf-8") + "导语: |\n  本报告由**办公室**编制，统计期为{{年度}}年。\n\n  第二段导语。\n# 结尾的注释\n",
        encoding="utf-8",
    )
    built = tmp_path / "审阅稿.docx"
    assert run_cli("build", project, "-o", built).code == 0
    document = open_report(built)
    replace_words(document, "统计期为2024年", "统计期为2024年全年")
    document.save(str(built))

    assert run_cli("pull", project, built, "--yes").code == 0

    assert report.read_text(encoding="utf-8").endswith(
        "导语: |\n  本报告由**办公室**编制，统计期为{{年度}}年全年。\n\n  第二段导语。\n# 结尾的注释\n"
    )


def test_pull_keeps_a_file_s_encoding_and_line_endings(project, edited, tmp_path):
    overview = project / OVERVIEW
    text = overview.read_text(encoding="utf-8")
    overview.write_bytes(text.replace("\n", "\r\n").encode("gb18030"))
    document, save = edited
    replace_words(document, "认真办理每一件申请", "认真办好每一件申请")

    assert run_cli("pull", project, save(), "--yes").code == 0

    data = overview.read_bytes()
    expected = text.replace("认真办理每一件申请", "认真办好每一件申请").replace("\n", "\r\n").encode("gb18030")
    assert data == expected


def test_a_footnote_added_in_word_is_reported(project, sample_docx, tmp_path):
    """Word keeps footnotes in their own part; one an editor adds is said, not lost."""
    edited = tmp_path / "审阅稿.docx"
    with zipfile.ZipFile(sample_docx) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    parts["word/footnotes.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{w}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:id="1"><w:p><w:r><w:t>数据截至12月31日。</w:t></w:r></w:p></w:footnote></w:footnotes>'
    ).encode()
    parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" '
        b'Target="footnotes.xml"/></Relationships>',
    )
    with zipfile.ZipFile(edited, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    result = run_cli("diff", project, edited)
    assert "新增了脚注“数据截至12月31日。”" in result.stdout


def test_pull_rewrites_a_cell_of_a_markdown_table(project, tmp_path):
    other = project / "sections" / "6-other.md"
    table = "| 平台 | 访问量 |\n|---|---:|\n| 门户网站 | {{表二·规章·本年制发件数}}万次 |\n| 政务新媒体 | 3万次 |\n"
    other.write_text(other.read_text(encoding="utf-8") + "\n" + table, encoding="utf-8")
    built = tmp_path / "审阅稿.docx"
    assert run_cli("build", project, "-o", built).code == 0
    document = open_report(built)
    grid = document.tables[-1]
    retype(grid.cell(2, 0).paragraphs[0], "政务微信")
    retype(grid.cell(1, 1).paragraphs[0], "2万多次")
    document.save(str(built))

    result = run_cli("pull", project, built, "--yes")

    assert result.code == 0, result.output
    assert other.read_text(encoding="utf-8").endswith(
        "| 平台 | 访问量 |\n|---|---:|\n| 门户网站 | {{表二·规章·本年制发件数}}万多次 |\n| 政务微信 | 3万次 |\n"
    )


def test_a_hostile_edited_file_is_refused_without_harm(project, sample_docx, tmp_path):
    hostile = tmp_path / "审阅稿.docx"
    with zipfile.ZipFile(sample_docx) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    laughs = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    parts["word/document.xml"] = laughs + parts["word/document.xml"].split(b"?>", 1)[1]
    with zipfile.ZipFile(hostile, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    result = run_cli("diff", project, hostile)
    assert result.code == 2 and "DTD" in result.stderr and "Traceback" not in result.output
    # At build's output path it is a file zbreport did not write: left alone.
    before = hostile.read_bytes()
    assert run_cli("build", project, "-o", hostile).code == 3
    assert hostile.read_bytes() == before


def test_a_tracked_split_is_one_paragraph_until_accepted(project, edited):
    document, save = edited
    track_split(document, "二是落实“谁起草谁解读", "张三", "2025-01-10T09:30:00Z")
    path = save()
    before = json.loads(run_cli("diff", project, path, "--format", "json").stdout)
    assert before["paragraphs"] == []
    assert [(r["kind"], r["author"], r["text"]) for r in before["revisions"]] == [("insert", "张三", "（分段）")]
    accepted = json.loads(run_cli("diff", project, path, "--format", "json", "--accept-changes").stdout)
    assert [c["kind"] for c in accepted["paragraphs"]] == ["split"]
    assert run_cli("pull", project, path, "--yes", "--accept-changes").code == 0
    assert "同步推进。\n\n二是落实" in (project / "sections" / "5-problems.md").read_text(encoding="utf-8")


def test_an_added_heading_is_written_as_one(project, edited, tmp_path):
    document, save = edited
    anchor = paragraph_with(document, "针对上述不足")
    heading = anchor.insert_paragraph_before("（二）改进措施", style=document.styles["Heading 2"])
    assert heading.style.name == "Heading 2"
    assert run_cli("pull", project, save(), "--yes").code == 0
    assert "有待提升。\n\n## （二）改进措施\n\n针对上述不足" in (project / "sections" / "5-problems.md").read_text(encoding="utf-8")


OWN_SECTIONS = """标题: |
  淄博市人民政府办公室
  2024年度政务公开工作报告
章节:
  - {标题: 一、总体情况, 文件: 1-overview.md}
  - {标题: 二、主动公开政府信息情况, 文件: 2-proactive.md, 表格: 表二}
  - {标题: 三、收到和处理政府信息公开申请情况, 文件: 3-applications.md, 表格: 表三}
  - {标题: 四、政府信息公开行政复议、行政诉讼情况, 文件: 4-review-litigation.md, 表格: 表四}
  - {标题: 五、问题和改进, 文件: 5-problems.md}
  - {标题: 六、其他需要报告的事项, 文件: 6-other.md}
"""


def test_pull_writes_a_title_and_section_title_of_the_report_s_own(project, tmp_path):
    report = project / "report.yaml"
    report.write_text(report.read_text(encoding="utf-8") + OWN_SECTIONS, encoding="utf-8")
    built = tmp_path / "审阅稿.docx"
    assert run_cli("build", project, "-o", built).code == 0, "the project reads"
    document = open_report(built)
    replace_words(document, "2024年度政务公开工作报告", "2024年度政府信息公开工作报告")
    replace_words(document, "五、问题和改进", "五、存在的问题和改进措施")
    document.save(str(built))

    result = run_cli("pull", project, built, "--yes")

    assert result.code == 0, result.output
    text = report.read_text(encoding="utf-8")
    assert "标题: |\n  淄博市人民政府办公室\n  2024年度政府信息公开工作报告\n章节:" in text
    assert "  - {标题: 五、存在的问题和改进措施, 文件: 5-problems.md}" in text


def test_official_titles_are_not_written(project, edited):
    document, save = edited
    replace_words(document, "2024年政府信息公开工作年度报告", "2024年度政府信息公开工作报告")
    replace_words(document, "五、存在的主要问题及改进情况", "五、问题")
    before = files_of(project)
    result = run_cli("pull", project, save(), "--yes")
    assert result.code == 0
    assert "这一行由“年度”生成，不会写回" in result.stdout
    assert "这是官方格式的章节标题，不会写回" in result.stdout
    assert files_of(project) == before


def test_an_item_added_to_a_list_is_written_as_one(project, tmp_path):
    other = project / "sections" / "6-other.md"
    other.write_text(other.read_text(encoding="utf-8") + "\n工作要点：\n\n1. 完善目录。\n2. 加强解读。\n\n结束语。\n", encoding="utf-8")
    built = tmp_path / "审阅稿.docx"
    assert run_cli("build", project, "-o", built).code == 0
    document = open_report(built)
    item = paragraph_with(document, "完善目录。")
    copy = deepcopy(item._p)  # Enter at the end of the first item: a paragraph with its numbering
    item._p.addnext(copy)
    retype(Paragraph(copy, item._parent), "规范发布。")
    document.save(str(built))

    assert run_cli("pull", project, built, "--yes").code == 0

    assert other.read_text(encoding="utf-8").endswith("1. 完善目录。\n1. 规范发布。\n2. 加强解读。\n\n结束语。\n")


def test_a_cell_of_a_table_kept_in_excel_is_said_where_to_change(project, edited):
    assert run_cli("tables", "export", project, "-o", project / "tables" / "表格.xlsx").code == 0
    for name in ("table2.yaml", "table3.yaml", "table4.yaml"):
        (project / "tables" / name).unlink()
    document, save = edited
    set_cell(document, 1, 3, 3, "244")
    before = files_of(project)
    result = run_cli("pull", project, save(), "--yes")
    assert result.code == 0, result.output
    assert "这张表填在 Excel 工作簿中" in result.stdout and "表三!D5" in result.stdout and "改为 244" in result.stdout
    assert files_of(project) == before


# ---------------------------------------------------------------- a run-in heading's paragraph
# "## （一）主动公开方面。" and the paragraph after it print as one paragraph; a change is named
# at the line of the part that changed.


def _run_in_lines(project: Path) -> tuple[int, int]:
    heading = line_of(project / OVERVIEW, "（一）主动公开方面")
    body = line_of(project / OVERVIEW, "一是政府文件发布及时")
    assert body > heading
    return heading, body


def _diff_line(project: Path, edited_file: Path) -> int:
    """The one changed paragraph's line, as the terminal and JSON both say it."""
    text = run_cli("diff", project, edited_file)
    assert text.code == 0, text.output
    (shown,) = re.findall(r"sections/1-overview\.md:(\d+)  修改", text.stdout)
    payload = json.loads(run_cli("diff", project, edited_file, "--format", "json").stdout)
    (change,) = payload["paragraphs"]
    assert change["source"]["file"].endswith("1-overview.md")
    assert change["source"]["where"].endswith(f"1-overview.md:{shown}")
    assert change["source"]["line"] == int(shown)
    return int(shown)


def test_a_change_in_a_run_in_paragraph_s_body_is_at_the_body_s_line(project, edited):
    document, save = edited
    replace_words(document, "政府文件发布及时", "政府文件发布很及时")
    heading, body = _run_in_lines(project)
    assert _diff_line(project, save()) == body


def test_a_change_in_a_run_in_heading_is_at_the_heading_s_line(project, edited):
    document, save = edited
    replace_words(document, "（一）主动公开方面", "（一）主动公开工作方面")
    heading, _ = _run_in_lines(project)
    assert _diff_line(project, save()) == heading


def test_a_change_in_a_run_in_heading_and_its_body_is_at_the_heading_s_line(project, edited):
    document, save = edited
    replace_words(document, "主动公开方面。一是政府文件", "主动公开工作方面。一是市政府文件")
    heading, _ = _run_in_lines(project)
    assert _diff_line(project, save()) == heading


def test_a_paragraph_added_after_a_run_in_paragraph_follows_its_body(project, edited):
    document, save = edited
    anchor = paragraph_with(document, "（二）依申请公开方面")
    anchor.insert_paragraph_before("此外，我们还开展了培训。", style=anchor.style)
    _, body = _run_in_lines(project)
    result = run_cli("diff", project, save())
    assert f"sections/1-overview.md:{body} 之后" in result.stdout
    result = run_cli("pull", project, save(), "--yes")
    assert result.code == 0, result.output
    assert f"第 {body} 行之后：新增段落" in result.stdout
    assert "\n\n此外，我们还开展了培训。\n\n## （二）依申请公开方面。" in (project / OVERVIEW).read_text(encoding="utf-8")


def test_pull_of_a_run_in_paragraph_s_body_rewrites_the_body_and_names_its_line(project, edited, tmp_path):
    document, save = edited
    replace_words(document, "政府文件发布及时", "政府文件发布很及时")
    heading, body = _run_in_lines(project)
    before = (project / OVERVIEW).read_text(encoding="utf-8").splitlines()

    result = run_cli("pull", project, save(), "--yes")

    assert result.code == 0, result.output
    assert f"第 {body} 行：改写段落" in result.stdout
    after = (project / OVERVIEW).read_text(encoding="utf-8").splitlines()
    assert [i + 1 for i, (a, b) in enumerate(zip(before, after)) if a != b] == [body]
    assert after[heading - 1] == "## （一）主动公开方面。" and after[body - 1].startswith("一是政府文件发布很及时。")
    assert "（一）主动公开方面。一是政府文件发布很及时。" in rebuilt_text(project, tmp_path)


def test_pull_of_a_run_in_heading_rewrites_the_heading_and_names_its_line(project, edited, tmp_path):
    document, save = edited
    replace_words(document, "（一）主动公开方面", "（一）主动公开工作方面")
    heading, body = _run_in_lines(project)
    before = (project / OVERVIEW).read_text(encoding="utf-8").splitlines()

    result = run_cli("pull", project, save(), "--yes")

    assert result.code == 0, result.output
    assert f"第 {heading} 行：改写段落" in result.stdout
    after = (project / OVERVIEW).read_text(encoding="utf-8").splitlines()
    assert [i + 1 for i, (a, b) in enumerate(zip(before, after)) if a != b] == [heading]
    assert after[heading - 1] == "## （一）主动公开工作方面。"
    assert "（一）主动公开工作方面。一是政府文件发布及时。" in rebuilt_text(project, tmp_path)


def test_tracked_changes_and_comments_in_a_run_in_paragraph_are_at_the_part_they_are_on(project, edited):
    document, save = edited
    track_changes(document, "（一）主动公开方面", "主动公开", "主动公开工作", "张三", "2025-01-10T09:30:00Z")
    comment_on(document, "（二）依申请公开方面", "标题是否改为“依申请公开情况”", "李四")
    comment_on(document, "一是会同有关部门", "请补充办理时限", "王五")  # a comment_on per paragraph: it retypes it
    heading, _ = _run_in_lines(project)
    second = line_of(project / OVERVIEW, "（二）依申请公开方面")
    third_body = line_of(project / OVERVIEW, "一是会同有关部门")
    for accept in ((), ("--accept-changes",)):
        payload = json.loads(run_cli("diff", project, save(), "--format", "json", *accept).stdout)
        assert [(r["kind"], r["source"]["line"]) for r in payload["revisions"]] == [("delete", heading), ("insert", heading)]
        assert [(r["author"], r["source"]["line"]) for r in payload["comments"]] == [("李四", second), ("王五", third_body)]
    result = run_cli("diff", project, save())
    assert re.search(f"批注  王五  \\S*  \\S*sections/1-overview.md:{third_body}  “请补充办理时限”", result.stdout)
