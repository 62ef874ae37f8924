"""The importer's decisions one by one: labels, section titles, cell values, Markdown written back."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zbreport.diagnostics import Location
from zbreport.format import GB2021
from zbreport.model import Paragraph, Text
from zbreport.read.markdown import parse_markdown
from zbreport.read.published.blocks import Cell, TableBlock, TextBlock, join_continued_tables, table_from_rows
from zbreport.read.published.titles import choose_sections, find_title, run_in_heading, section_title, signing_date
from zbreport.format.labels import read_label
from zbreport.read.values import read_value
from zbreport.write.markdown import markdown_of

ROW_LABELS = {
    key: list(dict.fromkeys(label for c in form.cells for label in c.yaml_path if label))
    for key, form in GB2021.tables.items()
}


def variant(label: str, choices: list[int]) -> str:
    """The label as a web copy or a clerk writes it: half-width brackets, 、 as ，, quotes, spaces, 1、 for 1."""
    out = label
    if choices[0]:
        out = out.replace("（", "(").replace("）", ")")
    if choices[1]:
        out = out.replace("、", "，")
    if choices[2]:
        out = out.replace("“", '"').replace("”", '"')
    if choices[3] and out[:1].isdigit() and out[1:2] == ".":
        out = out[0] + "、" + out[2:]
    if choices[4]:
        middle = len(out) // 2
        out = out[:middle] + "\n" + out[middle:]
    return out


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(sorted(ROW_LABELS)), st.data())
def test_every_written_variant_is_read_as_its_label(key, data):
    labels = ROW_LABELS[key]
    label = data.draw(st.sampled_from(labels))
    written = variant(label, data.draw(st.lists(st.integers(0, 1), min_size=5, max_size=5)))
    reading = read_label(written, labels, GB2021.aliases)
    assert reading.kind == "same" and reading.label == label, written


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(sorted(ROW_LABELS)), st.data())
def test_a_damaged_label_is_never_read_as_another(key, data):
    labels = ROW_LABELS[key]
    label = data.draw(st.sampled_from([l for l in labels if len(l) >= 6]))
    cut = data.draw(st.integers(2, len(label) - 1))
    damaged = label[:cut] + label[cut + 1 :]
    reading = read_label(damaged, labels, GB2021.aliases)
    assert not reading.accepted or reading.label == label


def test_labels_that_fit_several_are_not_guessed():
    assert read_label("结果维持", ["结果维持", "结果维持"]).label == "结果维持"  # the same label twice is one
    assert read_label("其他", ["3.其他", "其他"]).label == "其他"
    assert read_label("3、其他", ["3.其他", "其他"]).label == "3.其他"
    assert not read_label("属于", ["1.属于国家秘密", "5.属于三类内部事务信息"]).accepted


def test_a_group_label_run_into_the_cell_is_read_past():
    """A copy that lost a merge writes the group label and the row's label in one cell."""
    form = GB2021.tables["三"]
    leaves = list(dict.fromkeys(c.yaml_path[-2] for c in form.cells))
    groups = list(dict.fromkeys(label for c in form.cells for label in c.yaml_path[:-2]))
    for written, label in [
        ("（三）不予公开1.属于国家秘密", "1.属于国家秘密"),
        ("不予公开 1、属于国家秘密", "1.属于国家秘密"),
        ("三、本年度办理结果（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
        ("（三）不予公开2.其他法律行政止公开", "2.其他法律行政法规禁止公开"),
    ]:
        reading = read_label(written, leaves, GB2021.aliases, parents=groups)
        assert reading.accepted and reading.label == label, written
        assert reading.written == written, "messages name the cell as written"
    assert read_label("（三）不予公开1.属于国家秘密", leaves, GB2021.aliases).kind != "same", "only a parent is read past"
    assert read_label("本年其他", ["3.其他", "其他"], parents=groups).kind != "same", "not any words before a label"


@pytest.mark.parametrize(
    ("written", "number"),
    [
        ("一、总体情况", "一"),
        ("一、一、总体情况", "一"),
        ("总体情况", "一"),
        ("四、政府信息公开行政法复议、行政诉讼情况", "四"),
        ("四、因政府信息公开工作被申请行政复议、提起行政诉讼的情况", "四"),
        ("五、政府信息公开工作存在的主要问题及改进情况", "五"),
        ("五、存在问题及改进情况", "五"),
        ("一、主动公开政府信息情况", "二"),  # numbered one lower by a report without 总体情况
        ("第三部分 收到和处理政府信息公开申请情况", "三"),
        ("六．其他需要报告的事项：", "六"),
    ],
)
def test_section_titles_as_reports_write_them(written, number):
    found = section_title(written, GB2021)
    assert found is not None and found.form.number == number


@pytest.mark.parametrize(
    "written",
    [
        "（一）主动公开方面",  # a sub-heading of 一
        "1.主动公开政府信息情况",
        "主动公开方面",
        "全年主动公开政府信息情况良好，各项工作有序推进。",
        "二、表格",
    ],
)
def test_what_is_not_a_section_title(written):
    assert section_title(written, GB2021) is None


def test_section_titles_in_order_survive_an_early_false_match():
    texts = ["其他需要报告的事项", "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
             "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    candidates = [(i, found) for i, t in enumerate(texts) if (found := section_title(t, GB2021))]
    chosen = choose_sections(candidates, GB2021)
    assert [i for i, _ in chosen] == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize(
    ("lines", "issuer", "year"),
    [
        (["淄博市人民政府办公室", "2024年政府信息公开工作年度报告"], "淄博市人民政府办公室", 2024),
        (["淄博市统计局2023年度政府信息公开工作年度报告"], "淄博市统计局", 2023),
        (["某区人民政府", "二〇二二年政府信息公开工作年度报告"], "某区人民政府", 2022),
        (["首页 > 年报", "某县财政局关于2021年政府信息公开工作年度报告"], "某县财政局", 2021),
        (["淄博市自然资源和规划局2024年政府信息公开工", "作年度报告", "本报告……"], "淄博市自然资源和规划局", 2024),
    ],
)
def test_titles(lines, issuer, year):
    title = find_title(lines)
    assert title is not None and (title.issuer, title.year) == (issuer, year)


def test_run_in_headings_and_dates():
    assert run_in_heading("（一）主动公开方面。一是文件发布及时。") == "（一）主动公开方面。"
    assert run_in_heading("1.开展政策解读案例征集，分领域征集优秀案例。") == ""
    assert run_in_heading("一、总体情况。全年……") == ""
    assert signing_date("2025年1月20日") == (2025, 1, 20)
    assert signing_date("二〇二五年一月二十日") == (2025, 1, 20)
    assert signing_date("2025年13月1日") is None


@pytest.mark.parametrize(
    ("written", "state", "number"),
    [
        ("243", "number", 243),
        ("２４３", "number", 243),
        ("1,234", "number", 1234),
        ("1 234", "number", 1234),
        ("12 34", "invalid", None),
        ("5，3件", "number", 5),
        ("0.50", "number", None),
        ("22（其中修订16件）", "number", 22),
        ("", "blank", None),
        ("/", "not_applicable", None),
        ("—", "not_applicable", None),
        ("1O", "invalid", None),
        ("无", "invalid", None),
    ],
)
def test_cell_values_kept_as_written(written, state, number):
    entry = read_value(written, Location(Path("x.pdf")))
    assert entry.state == state and entry.text == written
    if number is not None:
        assert entry.number == number


_NOTES = st.text(alphabet="其中修订含新制件万元，、0123456789", min_size=1, max_size=12)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10**9), _NOTES, st.sampled_from(["（{}）", "({})", "，{}", "【{}】", " （{}）"]), st.booleans())
def test_a_number_with_a_note_counts_and_keeps_it(number, note, form, full_width):
    """Whatever a note says, the number before it counts and the cell keeps every character written."""
    digits = f"{number:,}" if number % 2 else str(number)
    if full_width:
        digits = digits.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    written = digits + form.format(note)
    entry = read_value(written, Location(Path("x.docx")))
    assert (entry.state, entry.number, entry.text) == ("number", number, written)
    assert entry.note == form.format(note).lstrip()


def test_a_table_typed_again_after_a_page_break_is_one_table():
    header = [("信息内容", 1, 1), ("本年制发件数", 1, 1)]
    first = table_from_rows([header, [("规章", 1, 1), ("2", 1, 1)]])
    second = table_from_rows([header, [("行政规范性文件", 1, 1), ("6", 1, 1)]])
    other = table_from_rows([[("行政复议", 1, 5)], [("结果维持", 1, 1)] * 5])
    joined = join_continued_tables([first, second, other], lambda t: "四" if "行政复议" in t.row_texts(0) else "二")
    assert len(joined) == 2 and isinstance(joined[0], TableBlock)
    assert [c.text for c in joined[0].cells] == ["信息内容", "本年制发件数", "规章", "2", "行政规范性文件", "6"]
    merged = table_from_rows([[("a", 2, 1), ("b", 1, 1)], [("c", 1, 1)]])
    assert [(c.text, c.row, c.col) for c in merged.cells] == [("a", 0, 0), ("b", 0, 1), ("c", 1, 1)]
    assert isinstance(merged.grid()[1][0], Cell) and merged.grid()[1][0].text == "a"


# ---------------------------------------------------------------- Markdown written back

_ALPHABET = "政府信息公开年报告一二（）。，、：“”《》abcXYZ019 *_`[]<>!|~&#+-=.()\\{}:^"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, min_size=1, max_size=40).filter(lambda t: t == t.strip()))
def test_published_text_reads_back_as_written(text):
    markdown = markdown_of([Paragraph((Text(text),))])
    blocks = parse_markdown(markdown)
    assert len(blocks) == 1 and isinstance(blocks[0], Paragraph), markdown
    assert blocks[0].text == text, markdown


def test_a_run_in_heading_and_a_list_are_written_as_markdown():
    from zbreport.model import Heading, ListBlock

    blocks = [
        Paragraph((Text("一是文件发布及时。"),), lead=Heading(2, (Text("（一）主动公开方面。"),))),
        ListBlock(True, 1, ((Paragraph((Text("第一项"),)),), (Paragraph((Text("第二项"),)),))),
        Paragraph((Text("1. 不是列表"),)),
    ]
    text = markdown_of(blocks)
    assert text == "## （一）主动公开方面。\n\n一是文件发布及时。\n\n1. 第一项\n2. 第二项\n\n1\\. 不是列表\n"
    read = parse_markdown(text)
    assert read[0].lead is not None and read[0].text == "（一）主动公开方面。一是文件发布及时。"
    assert isinstance(read[1], ListBlock) and read[2].text == "1. 不是列表"
    assert TextBlock("x").role == "paragraph"


# ---------------------------------------------------------------- anything at all


_HTML_PIECES = ["<table>", "</table>", "<tr>", "<td rowspan=9999 colspan=-3>", "<td colspan=x>", "</td>", "<p>", "</p>",
                "<div>", "一、总体情况", "三、收到和处理政府信息公开申请情况", "自然人", "243", "<br>", "&#0;", "<!--", "<h1>",
                "2024年政府信息公开工作年度报告", "<script>", "]]>", "<![CDATA["]


_WORD_PIECES = ["<w:p>", "</w:p>", "<w:r><w:t>一、总体情况</w:t></w:r>", "<w:r><w:t>243</w:t></w:r>", "<w:tbl>", "</w:tbl>",
                "<w:tr>", "</w:tr>", "<w:tc>", "</w:tc>", '<w:tcPr><w:gridSpan w:val="99999"/><w:vMerge/></w:tcPr>',
                '<w:tcPr><w:vMerge w:val="continue"/></w:tcPr>', '<w:pPr><w:numPr><w:ilvl w:val="-4"/><w:numId w:val="1"/></w:numPr></w:pPr>',
                '<w:trPr><w:gridBefore w:val="x"/></w:trPr>', "<w:r><w:br/></w:r>"]


def _docx(body: str) -> bytes:
    import io
    import zipfile

    xml = f'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", xml)
    return buffer.getvalue()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_HTML_PIECES), max_size=60), st.lists(st.sampled_from(_WORD_PIECES), max_size=60), st.binary(max_size=200))
def test_any_page_or_bytes_is_read_or_refused(tmp_path_factory, pieces, word, noise):
    """Whatever a file holds, reading it ends in a report or a message: never an exception."""
    from zbreport.diagnostics import InputError
    from zbreport.read.published import read_published

    folder = tmp_path_factory.mktemp("fuzz")
    files = {
        "page.html": "".join(pieces).encode("utf-8") + noise,
        "noise.docx": noise,
        "report.docx": _docx("".join(word)),
        "report.pdf": b"%PDF-1.4\n" + noise,
    }
    for name, content in files.items():
        path = folder / name
        path.write_bytes(content)
        try:
            read_published(path, GB2021)
        except InputError:
            pass


def test_word_numbering_is_read_as_printed(tmp_path):
    """Titles numbered by Word (一、 and （一） from numbering.xml, not typed) read with their numbers."""
    import zipfile

    from zbreport.read.published.docx import read_docx

    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    numbering = (
        f'<w:numbering {ns}><w:abstractNum w:abstractNumId="0">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="●"/></w:lvl>'
        '</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>'
    )

    def paragraph(text: str, level: int | None = None) -> str:
        number = f'<w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="1"/></w:numPr></w:pPr>' if level is not None else ""
        return f"<w:p>{number}<w:r><w:t>{text}</w:t></w:r></w:p>"

    body = "".join([
        paragraph("总体情况", 0), paragraph("主动公开方面", 1), paragraph("正文。"), paragraph("依申请公开方面", 1),
        paragraph("要点", 2), paragraph("主动公开政府信息情况", 0),
    ])
    path = tmp_path / "numbered.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", f"<w:document {ns}><w:body>{body}</w:body></w:document>")
        archive.writestr("word/numbering.xml", numbering)
    blocks = read_docx(path).blocks
    assert [b.text for b in blocks] == ["一、总体情况", "（一）主动公开方面", "正文。", "（二）依申请公开方面", "要点", "二、主动公开政府信息情况"]
    assert blocks[4].role == "item" and blocks[4].marker == "●"


def test_a_page_whose_title_is_only_in_the_browser_tab(tmp_path):
    from zbreport.read.published import read_published

    sections = "".join(f"<p>{form.title}</p><p>正文。</p>" for form in GB2021.sections)
    table = "<table><tr><td>申请人情况</td><td>自然人</td><td>商业企业</td></tr><tr><td>一、本年新收政府信息公开申请数量</td><td>1</td><td>0</td></tr></table>"
    page = tmp_path / "page.htm"
    page.write_text(
        f"<html><head><title>某县人民政府2024年政府信息公开工作年度报告-某县人民政府网</title></head>"
        f"<body><div class='nav'><a href='/'>首页</a></div><div class='main'>{sections}{table}</div></body></html>",
        encoding="utf-8",
    )
    published = read_published(page, GB2021)
    assert not published.missing
    assert (published.report.meta.issuer, published.report.meta.year) == ("某县人民政府", 2024)
    assert published.report.tables["三"].entries[("new_received", "natural_person")].text == "1"
