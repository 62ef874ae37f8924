"""Markdown into the report's blocks: levels, run-in headings, emphasis, lists, tables, breaks."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from zbreport.model import Emph, GridTable, Heading, ListBlock, OfficialTablePlace, PageBreak, Paragraph, Strong, Text
from zbreport.read.markdown import parse_markdown


def test_heading_levels():
    blocks = parse_markdown("# 一、甲\n\n## （一）乙\n\n### 1.丙\n\n#### （1）丁\n")
    assert [(b.level, b.text) for b in blocks] == [(1, "一、甲"), (2, "（一）乙"), (3, "1.丙"), (4, "（1）丁")]


def test_run_in_heading_joins_next_paragraph():
    blocks = parse_markdown("## （一）主动公开方面。\n\n一是及时发布。\n")
    assert len(blocks) == 1
    paragraph = blocks[0]
    assert isinstance(paragraph, Paragraph) and paragraph.lead is not None
    assert paragraph.lead.text == "（一）主动公开方面。" and paragraph.lead.level == 2
    assert paragraph.text == "（一）主动公开方面。一是及时发布。"


def test_heading_without_sentence_end_stands_alone():
    blocks = parse_markdown("## （一）信息处理费收取情况\n\n没有收取。\n")
    assert isinstance(blocks[0], Heading) and isinstance(blocks[1], Paragraph) and blocks[1].lead is None


def test_emphasis_and_cjk_line_joins():
    [paragraph] = parse_markdown("全年办理**261件**，\n较上年*增长*。\nplain\ntext\n")
    assert paragraph.text == "全年办理261件，较上年增长。plain text"
    assert paragraph.content[:4] == (
        Text("全年办理"), Strong((Text("261件"),)), Text("，较上年"), Emph((Text("增长"),))
    )


def test_lists_tables_and_directives():
    text = "1. 甲\n2. 乙\n\n- 丙\n\n| 项目 | 数量 |\n|---|---:|\n| 培训 | 3 |\n\n<!-- 分页 -->\n\n<!-- 表格 -->\n"
    blocks = parse_markdown(text, Path("x.md"))
    ordered, bullets, table, page_break, place = blocks
    assert isinstance(ordered, ListBlock) and ordered.ordered and len(ordered.items) == 2
    assert isinstance(bullets, ListBlock) and not bullets.ordered
    assert isinstance(table, GridTable) and table.aligns == ("", "right")
    assert table.rows[0][0] == (Text("培训"),)
    assert isinstance(page_break, PageBreak) and page_break.location.line == 10
    assert isinstance(place, OfficialTablePlace)


def test_locations_count_from_the_file_line():
    blocks = parse_markdown("甲\n\n乙\n", Path("s.md"), first_line=10)
    assert [b.location.line for b in blocks] == [10, 12]


_CJK = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF), min_size=1, max_size=30)


@given(st.lists(_CJK, min_size=1, max_size=6))
def test_paragraph_text_survives(paragraphs):
    blocks = parse_markdown("\n\n".join(paragraphs))
    assert [b.text for b in blocks] == paragraphs


@given(st.text(max_size=200))
def test_any_text_parses(text):
    for block in parse_markdown(text):
        assert block is not None


# ---------------------------------------------------------------- the whole of Markdown, as nodes

from zbreport.model import (  # noqa: E402
    BlockQuote,
    Code,
    CodeBlock,
    Image,
    LineBreak,
    Link,
    Note,
    Placeholder,
    Strikeout,
    Subscript,
    Superscript,
    Underline,
)

_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6300010000050001"
    "0d0a2db40000000049454e44ae426082"
)


def _parse(text: str, tmp_path: Path):
    findings: list = []
    source = tmp_path / "1-overview.md"
    source.write_text(text, encoding="utf-8")
    return parse_markdown(text, source, findings=findings), findings


def test_links_notes_and_marks_are_nodes(tmp_path):
    text = "见[门户网站](http://www.zibo.gov.cn \"淄博\")[^1]，~~旧~~<u>新</u>H<sub>2</sub>O m<sup>2</sup> `代码`\\\n下一行\n\n[^1]: 注释的**内容**。\n"
    [paragraph], findings = _parse(text, tmp_path)
    assert findings == []
    nodes = paragraph.content
    link = nodes[1]
    assert isinstance(link, Link) and link.target == "http://www.zibo.gov.cn" and link.title == "淄博"
    assert link.children == (Text("门户网站"),)
    note = nodes[2]
    assert isinstance(note, Note) and note.blocks[0].text == "注释的内容。"
    assert Strikeout((Text("旧"),)) in nodes and Underline((Text("新"),)) in nodes
    assert Subscript((Text("2"),)) in nodes and Superscript((Text("2"),)) in nodes
    assert Code("代码") in nodes and LineBreak() in nodes
    assert paragraph.text.endswith("下一行") and "门户网站" in paragraph.text


def test_image_is_read_relative_to_the_file_with_placeholders_in_its_alt(tmp_path):
    (tmp_path / "图").mkdir()
    (tmp_path / "图" / "a.png").write_bytes(_PNG)
    [paragraph], findings = _parse("![{{年度}}年平台](图/a.png)\n", tmp_path)
    [image] = paragraph.content
    assert findings == [] and isinstance(image, Image) and image.data == _PNG
    assert isinstance(image.alt[0], Placeholder) and image.alt[1] == Text("年平台")


def test_missing_or_unreadable_image_is_an_error_at_its_line(tmp_path):
    (tmp_path / "x.png").write_text("not a picture")
    _, findings = _parse("甲\n\n![图](无此图.png)\n\n![图](x.png)\n", tmp_path)
    assert [(f.severity.value, f.rule, f.location.line) for f in findings] == [("error", "image", 3), ("error", "image", 5)]
    assert "无此图.png" in findings[0].message and "不是可插入的图片" in findings[1].message


def test_what_cannot_be_represented_is_a_warning_never_silent(tmp_path):
    text = "甲\n\n<div>包起来</div>\n\n乙<span>丙</span>\n\n***\n\n标题\n---\n\n丁[^未定义]\n"
    _, findings = _parse(text, tmp_path)
    assert [(f.rule, f.location.line) for f in findings] == [
        ("html", 3), ("html", 5), ("html", 5), ("markdown", 7), ("setext-heading", 9), ("footnote", 12)
    ]
    assert all(f.severity.value == "warning" for f in findings)


def test_block_quotes_code_blocks_and_comments(tmp_path):
    blocks, findings = _parse("> 引文\n\n```\n原样 {{年度}}\n```\n\n<!-- 给自己的备注 -->\n", tmp_path)
    quote, code = blocks
    assert isinstance(quote, BlockQuote) and quote.blocks[0].text == "引文"
    assert isinstance(code, CodeBlock) and code.text == "原样 {{年度}}"
    assert findings == []
