"""The Markdown writer (write/markdown.py) read back by the narrative reader: pull's and import's uses."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from zbreport.model import (
    BlockQuote,
    Code,
    CodeBlock,
    Container,
    Emph,
    Heading,
    Image,
    LineBreak,
    Link,
    Note,
    Paragraph,
    Placeholder,
    Strikeout,
    Strong,
    Subscript,
    Superscript,
    Text,
    Underline,
)
from zbreport.read.markdown import parse_markdown
from zbreport.records import replace
from zbreport.write.markdown import inline_markdown, markdown_of

_EDGE = "政府信息公开年报告abcXYZ019"  # a mark's text starts and ends with a letter: "**“a”**" is no bold
_INNER = _EDGE + "（）。，、：“”《》 *_`[]<>!|~&#+-=.()\\:^/;?"
_words = st.builds(lambda a, b, c: a + b + c, st.sampled_from(_EDGE), st.text(_INNER, max_size=8), st.sampled_from(_EDGE))
_texts = _words.filter(lambda t: "{{" not in t and "}}" not in t).map(Text)
# Outside marks a text may open and close with punctuation, "!" before a link included.
_loose_texts = st.text(_INNER, min_size=1, max_size=10).filter(
    lambda t: t == t.strip() and "{{" not in t and "}}" not in t).map(Text)
_code = st.text("abc政府`* _{}<>", min_size=1, max_size=6).filter(lambda t: t.strip() and "{{" not in t).map(Code)
_placeholders = st.sampled_from(["{{ 年度 }}", "{{ 表二.规章.本年制发件数 }}"]).map(Placeholder)
_links = st.sampled_from(["http://gov.cn/a", "/files/a(1).pdf"]), st.sampled_from(["", "标题"])


def _alternating(inner: st.SearchStrategy, texts: st.SearchStrategy = _texts) -> st.SearchStrategy:
    """Text, a node, text, …, text: no two marks touch, no line opens or closes with a break."""
    return st.lists(st.tuples(inner, texts), max_size=3).flatmap(
        lambda pairs: texts.map(lambda first: (first,) + tuple(n for pair in pairs for n in pair)))


_MARKS = (Strong, Emph, Strikeout, Underline, Subscript, Superscript)


def _inlines(depth: int = 2, around: frozenset = frozenset()) -> st.SearchStrategy:
    """Inline nodes, no mark inside one of its kind (bold in bold is bold) and no link in a link."""
    leaves = st.one_of(_code, _placeholders, st.just(LineBreak()),
                       st.builds(lambda t, s: Image((Text(t),), s), _words, st.sampled_from(["p.png", "pic(1).png"])))
    if depth == 0:
        return _alternating(leaves)
    marks = [_inlines(depth - 1, around | {kind}).map(kind) for kind in _MARKS if kind not in around]
    if Link not in around:
        marks.append(st.builds(lambda c, t, title: Link(c, target=t, title=title),
                               _inlines(depth - 1, around | {Link}), *_links))
    return _alternating(st.one_of(leaves, *marks), _loose_texts if not around else _texts)


def _merged(nodes: tuple) -> tuple:
    """Adjacent texts as one, as the reader gives them."""
    out: list = []
    for node in nodes:
        if isinstance(node, Container):
            node = replace(node, children=_merged(node.children))
        if isinstance(node, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + node.text)
        else:
            out.append(node)
    return tuple(out)


def _read(markdown: str) -> tuple:
    blocks = parse_markdown(markdown, findings=[])
    assert len(blocks) == 1 and isinstance(blocks[0], Paragraph), markdown
    return _merged(blocks[0].content)


@settings(max_examples=300, deadline=None)
@given(_inlines(), st.booleans())
@example((Text("见!"), Link((Text("附件"),), target="http://gov.cn/a"), Text("。")), False)
@example((Text("^"), Link((Text("政政"),), target="http://gov.cn/a"), Text("0")), False)  # "^[": an inline footnote
@example((Text("~"), Strikeout((Text("政政"),)), Text("0")), False)  # "~~~" at a line's start: a code fence
def test_what_pull_writes_reads_back_as_the_same_nodes(nodes, html_marks):
    markdown = inline_markdown(nodes, html_marks)
    assert _read(markdown) == _merged(nodes), markdown


@settings(max_examples=300, deadline=None)
@given(_inlines())
def test_what_import_writes_reads_back_as_the_same_nodes(nodes):
    markdown = markdown_of([Paragraph(nodes)])
    assert _read(markdown) == _merged(nodes), markdown


# ---------------------------------------------------------------- where the two uses differ on purpose


def test_pull_keeps_placeholders_and_typed_text_import_writes_figures_and_escapes_all():
    nodes = (Text("第 a_b 项 <3 & "), Placeholder("{{ 年度 }}", value="2024"), Text("年"))
    assert inline_markdown(nodes) == "第 a_b 项 <3 & {{ 年度 }}年"
    assert markdown_of([Paragraph(nodes)]) == "第 a\\_b 项 \\<3 \\& 2024年\n"
    assert _read(markdown_of([Paragraph((Text("写作 {{ 年度 }}"),))]))[0] == Text("写作 ")  # "{{" not a placeholder


def test_pull_writes_bold_as_html_where_stars_would_not_read_as_bold():
    nodes = (Text("把"), Strong((Text("“三提三争”"),)), Text("要求"))
    assert inline_markdown(nodes) == "把**“三提三争”**要求"
    assert inline_markdown(nodes, html_marks=True) == "把<strong>“三提三争”</strong>要求"
    assert _read(inline_markdown(nodes, html_marks=True)) == nodes


# ---------------------------------------------------------------- what one of the two writers got wrong


def test_import_keeps_marks_markdown_writes_as_html():
    # It used to write the text alone: "m2", the superscript lost.
    nodes = (Text("面积100m"), Superscript((Text("2"),)), Text("，"), Underline((Text("下划线"),)), Text("，H"),
             Subscript((Text("2"),)), Text("O"))
    assert markdown_of([Paragraph(nodes)]) == "面积100m<sup>2</sup>，<u>下划线</u>，H<sub>2</sub>O\n"
    assert _read(markdown_of([Paragraph(nodes)])) == nodes


def test_import_writes_two_bold_runs_side_by_side_as_one():
    # Word splits a bold stretch into runs; "**一是****及时**" is not bold.
    nodes = (Strong((Text("一是"),)), Strong((Text("及时"),)), Text("。"))
    assert markdown_of([Paragraph(nodes)]) == "**一是及时**。\n"
    assert _read(markdown_of([Paragraph(nodes)])) == (Strong((Text("一是及时"),)), Text("。"))


def test_import_keeps_code_links_images_and_footnotes():
    # Code with a backtick was written as text, a link's title, an image and a footnote were dropped.
    note = Note((Paragraph((Text("数据截至年底。"),)),), label="1")
    nodes = (Code("a`b"), Text("见"), Link((Text("附件"),), target="http://gov.cn/a", title="附件一"),
             Image((Text("图"),), "p.png"), Text("注"), note)
    markdown = markdown_of([Paragraph(nodes)])
    assert markdown == '``a`b``见[附件](<http://gov.cn/a> "附件一")![图](<p.png>)注[^1]\n\n[^1]: 数据截至年底。\n'
    assert _read(markdown) == nodes


def test_import_keeps_a_paragraph_opening_with_blanks_a_paragraph():
    # "\t一是……" or four spaces were kept and read as an indented code block.
    for blank in ("\t", "    "):
        blocks = parse_markdown(markdown_of([Paragraph((Text(blank + "一是公开及时。"),))]), findings=[])
        assert not isinstance(blocks[0], CodeBlock) and blocks[0].text == "一是公开及时。"


def test_pull_escapes_a_bang_before_a_link():
    # "见![附件](…)" is read as an image.
    nodes = (Text("见!"), Link((Text("附件"),), target="http://gov.cn/a"), Text("。"))
    assert inline_markdown(nodes) == "见\\![附件](http://gov.cn/a)。"
    assert _read(inline_markdown(nodes)) == nodes


def test_pull_writes_no_stars_around_blank_text():
    # "****" opening a line is a thematic break; "** **" prints its stars.
    assert inline_markdown((Strong(()), Text("正文"))) == "正文"
    assert inline_markdown((Text("甲"), Strong((Text(" "),)), Text("乙"))) == "甲 乙"
    assert inline_markdown((Underline(()), Text("正文"))) == "<u></u>正文"  # a tag around nothing reads as one


def test_a_quote_and_a_heading_with_a_note():
    note = Note((Paragraph((Text("注一"),)), Paragraph((Text("续"),))), label="a")
    markdown = markdown_of([Heading(1, (Text("一、总体情况"),)), BlockQuote((Paragraph((Text("引"), note)),))])
    assert markdown == "# 一、总体情况\n\n> 引[^a]\n\n[^a]: 注一\n    \n    续\n"
    quote = parse_markdown(markdown, findings=[])[1]
    assert isinstance(quote, BlockQuote) and quote.blocks[0].content[1].blocks == note.blocks
