"""The placeholder language: grammar, cell names, rounding and the words for a change."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zbreport.figures import FigureError, Scope, cell_name, change_words, fill, find_cell, percent, round_decimal
from zbreport.format import GB2021

TABLES = GB2021.tables
from zbreport.model import Metadata, Rounding
from zbreport.read.placeholders import Arithmetic, Call, Name, NumberLiteral, PlaceholderSyntaxError, parse

# ---------------------------------------------------------------- grammar


def test_names_keep_full_width_brackets_and_commas_of_labels():
    expression = parse("表三·（二）部分公开（区分处理的，只计这一情形，不计其他情形）·总计 + 1")
    assert isinstance(expression, Arithmetic)
    assert expression.left == Name("表三·（二）部分公开（区分处理的，只计这一情形，不计其他情形）·总计", 0)
    assert expression.right == NumberLiteral(Decimal(1), expression.right.offset)


@pytest.mark.parametrize("text", ["同比(表三·（七）总计·总计, 2, 截断)", "同比（表三·（七）总计·总计，2，截断）"])
def test_calls_with_half_or_full_width_brackets(text):
    call = parse(text)
    assert isinstance(call, Call) and call.function == "同比"
    assert [type(a) for a in call.args] == [Name, NumberLiteral, Name]
    assert call.args[0].segments == ("表三", "（七）总计", "总计")


@pytest.mark.parametrize(
    ("text", "message", "offset"),
    [
        ("", "空的", 0),
        ("表三·总计 +", "不完整", 7),
        ("同比(年度", "括号没有闭合", 5),
        ("年度 ) 1", "无法理解", 3),
        ("1..2", "不是数字", 0),
    ],
)
def test_syntax_errors_say_where(text, message, offset):
    with pytest.raises(PlaceholderSyntaxError) as caught:
        parse(text)
    assert message in caught.value.message
    assert caught.value.offset == offset


@given(st.text(max_size=40))
def test_any_text_parses_or_fails_cleanly(text):
    try:
        parse(text)
    except PlaceholderSyntaxError as exc:
        assert 0 <= exc.offset <= len(text)


@given(st.text(alphabet="表三·（）()，,+-－＋12 年度同比上年截断", max_size=30))
def test_any_text_fills_or_fails_cleanly(text):
    """No input reaches Python's own evaluation: it fills, or fails with a FigureError."""
    scope = _scope()
    try:
        fill("{{" + text + "}}", scope)
    except FigureError as exc:
        assert exc.message


# ---------------------------------------------------------------- cell names


@pytest.mark.parametrize("table", list(TABLES.values()), ids=lambda t: t.key)
def test_every_cell_is_found_by_its_full_name(table):
    for cell in table.cells:
        name = cell_name(cell)
        assert find_cell(table, Name(name, 0).segments[1:], Name(name, 0)) == cell


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("表三·本年新收·总计", ("new_received", "total")),
        ("表三·一·自然人", ("new_received", "natural_person")),
        ("表三·（七）总计·总计", ("results_total", "total")),
        ("表三·部分公开·商业企业", ("partially_disclosed", "commercial")),
        ("表三·（三）·1·自然人", ("nd_state_secret", "natural_person")),
        ("表三·结转下年度·其他", ("carried_forward", "other_org")),
        ("表二·规章·本年制发件数", ("regulations", "issued")),
        ("表二·行政事业性收费·本年收费金额（单位：万元）", ("fees", "fee_amount")),
        ("表四·行政复议·总计", ("cases", "review.total")),
        ("表四·复议后起诉·尚未审结", ("cases", "suit_after_review.pending")),
    ],
)
def test_short_names(name, key):
    segments = Name(name, 0).segments
    table = TABLES[segments[0][1]]
    assert find_cell(table, segments[1:], Name(name, 0)).key == key


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("表三·总计", "没有同时写明行和列"),
        ("表四·结果维持", "可指多个单元格"),
        ("表三·本年新收·总记", "是否应为“总计”"),
        ("表三·予以公示·自然人", "是否应为“（一）予以公开”"),
    ],
)
def test_unclear_names_explain_themselves(name, message):
    segments = Name(name, 0).segments
    with pytest.raises(FigureError) as caught:
        find_cell(TABLES[segments[0][1]], segments[1:], Name(name, 0))
    assert message in caught.value.message


# ---------------------------------------------------------------- values


def _scope(previous: dict | None = None, rounding: Rounding = Rounding()) -> Scope:
    this = {("三", ("new_received", "total")): 245, ("三", ("carried_over", "total")): 16}
    meta = Metadata("淄博市人民政府办公室", 2024, (("电话", "0533-3183622"),), date="2025年1月20日")
    last = None
    if previous is not None:
        last = Scope(GB2021, None, 2023, lambda t, k: previous.get((t, k)), rounding, "上年数据（2023.yaml）")
    return Scope(GB2021, meta, 2024, lambda t, k: this.get((t, k)), rounding, "本年数据", last)


def test_fill_metadata_arithmetic_and_cells():
    scope = _scope()
    assert fill("{{ 机关全称 }}", scope) == "淄博市人民政府办公室"
    assert fill("{{年度 - 1}}", scope) == "2023"
    assert fill("{{ 成文日期 }}", scope) == "2025年1月20日"
    assert fill("{{ 电话 }}", scope) == "0533-3183622"
    assert fill("{{表三·本年新收·总计 + 表三·上年结转·总计}}", scope) == "261"
    assert fill("{{占比(表三·上年结转·总计, 表三·本年新收·总计 + 表三·上年结转·总计, 1)}}", scope) == "6.1%"


def test_change_against_last_year_truncated_as_the_seed():
    previous = {("三", ("new_received", "total")): 132, ("三", ("carried_over", "total")): 0}
    name = "表三·本年新收·总计 + 表三·上年结转·总计"
    truncating = Rounding(2, "truncate")
    assert fill(f"{{{{同比({name})}}}}", _scope(previous, truncating)) == "增长97.72%"
    assert fill(f"{{{{同比({name}, 四舍五入)}}}}", _scope(previous, truncating)) == "增长97.73%"
    assert fill(f"{{{{同比({name})}}}}", _scope(previous)) == "增长97.73%"  # the default rounds
    assert fill(f"{{{{同比({name}, 1, 截断)}}}}", _scope(previous, Rounding(2, "round"))) == "增长97.7%"
    assert fill(f"{{{{上年({name})}}}}", _scope(previous)) == "132"


@pytest.mark.parametrize(
    ("placeholder", "message"),
    [
        ("{{机关名称}}", "是否应为“机关全称”"),
        ("{{同笔(年度)}}", "是否应为“同比”"),
        ("{{表五·总计}}", "表二、表三、表四"),
        ("{{机关全称 + 1}}", "是文字"),
        ("{{上年(年度)}}", "未设置上年数据"),
        ("{{同比(表三·本年新收·总计, 9)}}", "小数位数"),
        ("{{截断}}", "只能写在"),
        ("{{同比}}", "要带括号"),
        ("{{地址}}", "未填写"),
        ("{{表三·本年新收·总计", "缺少结尾"),
    ],
)
def test_fill_errors(placeholder, message):
    with pytest.raises(FigureError) as caught:
        fill(placeholder, _scope())
    assert message in caught.value.message


def test_a_figure_last_year_lacks_is_an_error():
    with pytest.raises(FigureError) as caught:
        fill("{{上年(表三·本年新收·总计)}}", _scope({}))
    assert "上年数据（2023.yaml）" in caught.value.message and "表三·一、本年新收政府信息公开申请数量·总计" in caught.value.message


@pytest.mark.parametrize(
    ("now", "before", "words"),
    [(261, 132, "增长97.72%"), (100, 200, "下降50.00%"), (7, 7, "持平"), (1, 3, "下降66.66%")],
)
def test_change_words(now, before, words):
    assert change_words(now, before, Rounding(2, "truncate")) == words


def test_change_from_zero_cannot_be_a_percentage():
    with pytest.raises(FigureError, match="上年为 0"):
        change_words(5, 0, Rounding())


@given(
    st.decimals(min_value=-10**6, max_value=10**6, allow_nan=False, allow_infinity=False, places=6),
    st.integers(min_value=0, max_value=4),
)
def test_truncation_never_rounds_away_from_zero(value, digits):
    truncated = round_decimal(value, Rounding(digits, "truncate"))
    rounded = round_decimal(value, Rounding(digits, "round"))
    step = Decimal(1).scaleb(-digits)
    assert abs(truncated) <= abs(value) < abs(truncated) + step
    assert abs(rounded - value) <= step / 2
    assert percent(value, Rounding(digits, "truncate")).endswith("%")


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=10**6))
def test_change_words_follow_the_sign(now, before):
    words = change_words(now, before, Rounding(2, "round"))
    # A change that rounds to 0.00% is 持平 too (340139 against 340122: +0.005%).
    flat = round_decimal(abs(Decimal(now) - before) * 100 / before, Rounding(2, "round")) == 0
    expected = "持平" if flat else ("增长" if now > before else "下降")
    assert words.startswith(expected)


# ---------------------------------------------------------------- one naming scheme, numbers at their edges


@pytest.mark.parametrize("table", list(TABLES.values()), ids=lambda t: t.key)
def test_the_name_check_prints_can_be_pasted_into_a_placeholder(table):
    for cell in table.cells:
        name = Name(cell.name, 0)
        assert name.segments[0] == f"表{table.key}"
        assert find_cell(table, name.segments[1:], name) == cell


def test_half_width_numbering_works_in_names_as_in_table_files():
    expression = parse("表三·(七)总计·总计 - 表三·(三)不予公开·(1)属于国家秘密·总计")
    assert isinstance(expression, Arithmetic)
    for name, key in ((expression.left, ("results_total", "total")), (expression.right, ("nd_state_secret", "total"))):
        assert find_cell(TABLES["三"], name.segments[1:], name).key == key
    call = parse("同比(表三·(七)总计·总计)")
    assert isinstance(call, Call) and call.args[0] == Name("表三·(七)总计·总计", 3)


@pytest.mark.parametrize(
    ("now", "before", "digits", "words"),
    [(100001, 100000, 2, "持平"), (1001, 1000, 2, "增长0.10%"), (1001, 1000, 0, "持平"), (99999, 100000, 2, "持平")],
)
def test_a_change_that_rounds_to_zero_is_level(now, before, digits, words):
    assert change_words(now, before, Rounding(digits, "round")) == words


def test_a_huge_figure_is_a_finding_not_an_internal_error():
    huge = 10**40
    scope = _scope({("三", ("new_received", "total")): 1, ("三", ("carried_over", "total")): 0})
    scope = Scope(GB2021, scope.meta, 2024, lambda t, k: huge, Rounding(), "本年数据", scope.previous)
    with pytest.raises(FigureError, match="数字过大"):
        fill("{{同比(表三·本年新收·总计)}}", scope)
