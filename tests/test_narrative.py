"""Markdown into the report's blocks: levels, run-in headings, emphasis, lists, tables, breaks."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from zbreport.model import GridTable, Heading, ListBlock, OfficialTablePlace, PageBreak, Paragraph
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
    assert [(s.text, s.bold, s.italic) for s in paragraph.spans[:4]] == [
        ("全年办理", False, False), ("261件", True, False), ("，较上年", False, False), ("增长", False, True)
    ]


def test_lists_tables_and_directives():
    text = "1. 甲\n2. 乙\n\n- 丙\n\n| 项目 | 数量 |\n|---|---:|\n| 培训 | 3 |\n\n<!-- 分页 -->\n\n<!-- 表格 -->\n"
    blocks = parse_markdown(text, Path("x.md"))
    ordered, bullets, table, page_break, place = blocks
    assert isinstance(ordered, ListBlock) and ordered.ordered and len(ordered.items) == 2
    assert isinstance(bullets, ListBlock) and not bullets.ordered
    assert isinstance(table, GridTable) and table.aligns == ("", "right")
    assert [s.text for s in table.rows[0][0]] == ["培训"]
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
