"""The built sample report, opened as Word opens it: what a reader sees."""

from __future__ import annotations

import re

import pytest
from docx.oxml.ns import qn
from docx.shared import Mm

from docx_reading import open_docx, span_of, style_east_asian_font, table_after_heading, text_grid

SECTION_TITLES = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]

# The seed report's table 三, typed here from the published report, not from zbreport's data.
SEED_T3 = {
    "一、本年新收政府信息公开申请数量": [243, 2, 0, 0, 0, 0, 245],
    "二、上年结转政府信息公开申请数量": [16, 0, 0, 0, 0, 0, 16],
    "（一）予以公开": [43, 1, 0, 0, 0, 0, 44],
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）": [0] * 7,
    "1.属于国家秘密": [0] * 7,
    "3.危及“三安全一稳定”": [2, 0, 0, 0, 0, 0, 2],
    "7.属于行政执法案卷": [1, 0, 0, 0, 0, 0, 1],
    "1.本机关不掌握相关政府信息": [188, 1, 0, 0, 0, 0, 189],
    "2.没有现成信息需要另行制作": [15, 0, 0, 0, 0, 0, 15],
    "5.要求行政机关确认或重新出具已获取信息": [0] * 7,
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请": [0] * 7,
    "3.其他": [10, 0, 0, 0, 0, 0, 10],
    "（七）总计": [259, 2, 0, 0, 0, 0, 261],
    "四、结转下年度继续办理": [0] * 7,
}


@pytest.fixture(scope="module")
def document(sample_docx):
    return open_docx(sample_docx)


def paragraphs(document):
    return [p for p in document.paragraphs if p.text.strip()]


def test_title_names_issuer_and_year(document):
    titles = [p.text for p in document.paragraphs if p.style.name == "Title"]
    assert titles == ["淄博市人民政府办公室", "2024年政府信息公开工作年度报告"]


def test_intro_gives_period_and_contact(document):
    intro = next(p.text for p in paragraphs(document) if p.text.startswith("本报告"))
    assert "2024年1月1日至2024年12月31日" in intro
    for fact in ("淄博市张店区人民西路8号", "255000", "0533-3183622", "zwgkb@zb.shandong.cn", "国办公开办函〔2021〕30号"):
        assert fact in intro


def test_six_official_sections_in_order(document):
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == SECTION_TITLES


def test_run_in_heading_joins_its_paragraph(document):
    paragraph = next(p for p in document.paragraphs if p.text.startswith("（一）主动公开方面。"))
    assert paragraph.style.name == "Body Text"
    assert paragraph.runs[0].style.name == "Heading 2 Char"
    assert paragraph.runs[0].text == "（一）主动公开方面。"
    assert "一是政府文件发布及时" in paragraph.text


def test_level_three_headings_keep_their_style(document):
    heading = next(p for p in document.paragraphs if p.text.startswith("1.征集政策解读案例"))
    assert heading.runs[0].style.name == "Heading 3 Char"


def test_table_three_every_figure_at_its_row_and_column(document):
    table = table_after_heading(document, "三、收到和处理政府信息公开申请情况")
    grid = text_grid(table)
    assert grid[2][3:] == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    rows = {row[2]: row[3:] for row in grid[3:]}
    for label, figures in SEED_T3.items():
        assert rows[label] == [str(n) for n in figures], label
    assert len(grid) == 3 + 25


def test_table_three_merged_headers(document):
    table = table_after_heading(document, "三、收到和处理政府信息公开申请情况")
    corner = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert span_of(table, corner) == (3, 3)
    assert span_of(table, "申请人情况") == (1, 7)
    assert span_of(table, "法人或其他组织") == (1, 5)
    assert span_of(table, "自然人") == (2, 1)
    assert span_of(table, "三、本年度办理结果") == (22, 1)
    assert span_of(table, "（三）不予公开") == (8, 1)
    assert span_of(table, "（六）其他处理") == (3, 1)
    assert span_of(table, "一、本年新收政府信息公开申请数量") == (1, 3)
    assert span_of(table, "（七）总计") == (1, 2)


def test_table_two_blocks_and_figures(document):
    grid = text_grid(table_after_heading(document, "二、主动公开政府信息情况"))
    assert grid[0] == ["第二十条第（一）项"] * 4
    assert grid[1] == ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    assert grid[2] == ["规章", "2", "4", "32"]
    assert grid[3] == ["行政规范性文件", "6", "1", "49"]
    assert grid[5] == ["信息内容"] + ["本年处理决定数量"] * 3
    assert grid[6] == ["行政许可", "0", "0", "0"]
    assert ["行政处罚", "0", "0", "0"] in grid and ["行政强制", "0", "0", "0"] in grid
    assert grid[-1] == ["行政事业性收费", "0", "0", "0"]


def test_table_two_notes_follow_the_table(document):
    texts = [p.text for p in paragraphs(document)]
    note = texts.index(next(t for t in texts if t.startswith("注：1.")))
    assert texts[note - 1] == "二、主动公开政府信息情况"  # the table sits between heading and notes
    assert texts[note + 3].startswith("4.本年度行政规范性文件")


def test_table_four_grouped_columns(document):
    table = table_after_heading(document, "四、政府信息公开行政复议、行政诉讼情况")
    grid = text_grid(table)
    assert span_of(table, "行政复议") == (1, 5)
    assert span_of(table, "行政诉讼") == (1, 10)
    assert span_of(table, "未经复议直接起诉") == (1, 5)
    assert grid[2] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3
    assert grid[3] == ["0"] * 15


def test_tables_repeat_headers_and_keep_rows_whole(document):
    table = table_after_heading(document, "三、收到和处理政府信息公开申请情况")
    rows = table._tbl.tr_lst
    for index, tr in enumerate(rows):
        tr_pr = tr.trPr
        assert tr_pr is not None and tr_pr.find(qn("w:cantSplit")) is not None
        assert (tr_pr.find(qn("w:tblHeader")) is not None) == (index < 3)


def test_tables_fit_the_text_width(document):
    for heading in SECTION_TITLES[1:4]:
        table = table_after_heading(document, heading)
        width = sum(col.w for col in table._tbl.tblGrid.gridCol_lst)
        assert abs(width - Mm(156)) < Mm(1), heading


def test_east_asian_fonts_on_styles(document):
    assert style_east_asian_font(document, "Normal") == "仿宋_GB2312"
    assert style_east_asian_font(document, "Title") == "方正小标宋简体"
    assert style_east_asian_font(document, "Heading 1") == "黑体"
    assert style_east_asian_font(document, "Heading 2") == "楷体_GB2312"
    assert style_east_asian_font(document, "Heading 2 Char") == "楷体_GB2312"
    assert style_east_asian_font(document, "Footer") == "宋体"
    assert document.styles["Normal"].font.size.pt == 16
    assert document.styles["Title"].font.size.pt == 22
    assert document.styles["Footer"].font.size.pt == 14


def test_no_japanese_language_anywhere(sample_docx):
    import zipfile

    with zipfile.ZipFile(sample_docx) as package:
        for name in package.namelist():
            assert b"ja-JP" not in package.read(name), name
        settings = package.read("word/settings.xml").decode()
    assert 'w:eastAsia="zh-CN"' in settings


def test_a4_and_official_margins(document):
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.5)
    assert abs(section.page_height - Mm(297)) < Mm(0.5)
    for margin, mm in ((section.top_margin, 37), (section.bottom_margin, 35), (section.left_margin, 28), (section.right_margin, 26)):
        assert abs(margin - Mm(mm)) < Mm(0.5)


def test_page_numbers_in_odd_and_even_footers(document):
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    odd, even = section.footer, section.even_page_footer
    for footer, alignment in ((odd, "right"), (even, "left")):
        xml = footer._element.xml
        assert "PAGE" in "".join(t.text for t in footer._element.iter(qn("w:instrText")))
        assert footer.paragraphs[0].text.startswith("— ") and footer.paragraphs[0].text.endswith(" —")
        assert f'w:val="{alignment}"' in xml


def test_writer_uses_named_styles_not_direct_fonts(sample_docx):
    import zipfile

    with zipfile.ZipFile(sample_docx) as package:
        body = package.read("word/document.xml").decode()
    # the only font markup on runs is the East-Asian hint, never a font name
    fonts = re.findall(r"<w:rFonts [^>]*/>", body)
    assert fonts and set(fonts) == {'<w:rFonts w:hint="eastAsia"/>'}
    assert "<w:sz " not in body


def test_the_east_asian_hint_goes_to_the_characters_it_always_went_to():
    """The characters that get w:hint="eastAsia", as a table of ranges, are those of the class
    the writer once compiled as a regular expression: every code point is checked."""
    from zbreport.write.docx import wants_east_asian_font

    class_as_written = re.compile(
        "[\u2e80-\ua4cf\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff"
        "·‐-―‘’“”‥…‰※§°×÷℃№\u2160-\u217f\u2460-\u24ff\u2500-\u27bf]"
    )
    beyond = (0x1FFFF, 0x20000, 0x2A6DF, 0x3FFFF, 0x40000, 0xE0001, 0x10FFFF)
    every = "".join(chr(c) for c in (*range(0x10000), *beyond) if not 0xD800 <= c <= 0xDFFF)
    assert [c for c in every if wants_east_asian_font(c)] == class_as_written.findall(every)
    assert wants_east_asian_font("Total 总计") and wants_east_asian_font("Total 2024 —")
    assert not wants_east_asian_font("Total: 42") and not wants_east_asian_font("café")
