"""Rewording a paragraph: its edited text back into nodes, and the nodes back into Markdown."""

from __future__ import annotations

from zbreport.records import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SAMPLE
from zbreport.figures import fill, scope_of
from zbreport.format import GB2021
from zbreport.model import Container, Paragraph, Placeholder
from zbreport.read.markdown import parse_markdown
from zbreport.read.project import load_project
from zbreport.pull import markdown_for
from zbreport.reword import block_pieces, reword

SCOPE = scope_of(load_project(SAMPLE, GB2021).report)


def paragraph(markdown: str) -> Paragraph:
    (block,) = parse_markdown(markdown, findings=[])
    assert isinstance(block, Paragraph)
    return replace(block, content=_filled(block.content))


def _filled(nodes):
    out = []
    for node in nodes:
        if isinstance(node, Placeholder):
            out.append(replace(node, value=fill(node.source, SCOPE)))
        elif isinstance(node, Container):
            out.append(replace(node, children=_filled(node.children)))
        else:
            out.append(node)
    return tuple(out)


def rewritten(markdown: str, edit=lambda text: text) -> tuple[str, object]:
    """The Markdown a paragraph is written back as, after `edit` changed its printed text."""
    block = paragraph(markdown)
    built = block.text
    result = reword(block_pieces(block), built, edit(built))
    written = markdown_for(result.atoms, SCOPE)
    assert written is not None, "the Markdown does not read back as the edited text"
    return written, result


def test_unchanged_text_keeps_placeholders_and_marks():
    source = "全年**办理申请{{表三·（七）总计·总计}}件**，较上年{{同比(表三·（七）总计·总计 + 表三·结转下年度·总计)}}。"
    assert rewritten(source)[0] == source


def test_a_moved_figure_stays_a_placeholder():
    source = "收到申请{{表三·本年新收·总计}}件，办结。"
    text, result = rewritten(source, lambda t: "办结。共收到申请245件。")
    assert text == "办结。共收到申请{{表三·本年新收·总计}}件。"
    assert not result.figures and not result.dropped


def test_a_changed_figure_keeps_the_placeholder_and_is_reported():
    source = "收到申请{{表三·本年新收·总计}}件。"
    text, result = rewritten(source, lambda t: t.replace("245", "250"))
    assert text == source
    (figure,) = result.figures
    assert (figure.old, figure.new) == ("245", "250")


def test_a_deleted_figure_goes_with_its_text():
    text, result = rewritten("收到申请{{表三·本年新收·总计}}件，办结。", lambda t: "办结。")
    assert text == "办结。"
    assert [p.source for p in result.dropped] == ["{{表三·本年新收·总计}}"]


def test_typed_text_takes_the_marks_of_what_it_replaced():
    assert rewritten("要**加强培训**工作。", lambda t: t.replace("培训", "学习"))[0] == "要**加强学习**工作。"
    # Between bold and plain text, typed text is plain.
    assert rewritten("要**加强**培训。", lambda t: t.replace("加强培训", "加强全员培训"))[0] == "要**加强**全员培训。"


@pytest.mark.parametrize(
    "typed, markdown",
    [
        ("1. 第一项", "1\\. 第一项"),
        ("# 不是标题", "\\# 不是标题"),
        ("- 不是列表", "\\- 不是列表"),
        ("> 不是引用", "\\> 不是引用"),
        ("a*b*c_d_ [x](y) `z`", "a\\*b\\*c_d\\_ \\[x\\](y) \\`z\\`"),
        ("仿宋_GB2312 与 &amp;", "仿宋_GB2312 与 \\&amp;"),
    ],
)
def test_typed_markup_characters_are_escaped(typed, markdown):
    assert rewritten("原文。", lambda t: typed)[0] == markdown
    assert paragraph(markdown).text == typed


# ---------------------------------------------------------------- properties

_words = st.sampled_from(["政务公开", "申请", "H5", "市长在线", "2024", "（一）", "“三公”", "，", "。", "12345"])
_placeholders = st.sampled_from(["{{年度}}", "{{表三·本年新收·总计}}", "{{表四·行政复议·总计}}", "{{机关全称}}"])
_plain = st.lists(_words, min_size=1, max_size=4).map("".join)
_marked = st.one_of(
    _plain,
    _placeholders,
    _plain.map(lambda t: f"**{t}**"),
    _plain.map(lambda t: f"*{t}*"),
    _plain.map(lambda t: f"`{t}`"),
    st.tuples(_plain, _placeholders).map(lambda p: f"**{p[0]}{p[1]}**"),
)
# Marked stretches with text between them, as people write: `*a***b**` is ambiguous in any Markdown.
_paragraphs = st.lists(st.tuples(_marked, _plain), min_size=1, max_size=5).map(
    lambda parts: "前" + "".join(m + p for m, p in parts) + "后"
)


def _same_reading(source: str, written: str) -> None:
    """Both read as the same text with the same placeholders."""
    a, b = paragraph(source), paragraph(written)
    assert a.text == b.text
    assert _sources(a.content) == _sources(b.content)


def _sources(nodes) -> list[str]:
    out = []
    for node in nodes:
        if isinstance(node, Placeholder):
            out.append(node.source)
        elif isinstance(node, Container):
            out += _sources(node.children)
    return out


@settings(max_examples=60, deadline=None)
@given(_paragraphs)
def test_an_unchanged_paragraph_is_written_back_as_it_reads(source):
    written, result = rewritten(source)
    _same_reading(source, written)
    assert not result.figures and not result.dropped


@settings(max_examples=60, deadline=None)
@given(_paragraphs, st.integers(min_value=0, max_value=200), st.sampled_from(["新增", "，并", "X", "认真"]))
def test_typed_text_reads_back_as_typed(source, position, typed):
    block = paragraph(source)
    built = block.text
    at = position % (len(built) + 1)
    edited = built[:at] + typed + built[at:]
    result = reword(block_pieces(block), built, edited)
    written = markdown_for(result.atoms, SCOPE)
    assert written is not None
    if not result.figures:  # typed inside a figure: the placeholder stays, reported
        assert paragraph(written).text == edited
