"""What a placeholder names, and its value: metadata, table cells, last year's figures, changes.

The names are the ones a clerk already sees: report.yaml's keys (机关全称, 年度, 电话, …) and a
table cell's labels from the printed table, joined by "·" and shortened as far as they stay
unambiguous: 表三·（七）总计·总计, 表三·本年新收·总计, 表四·行政复议·总计. The functions are

    上年(x)             x in last year's report
    同比(x[, 2, 截断])   增长 x% / 下降 x% / 持平 against last year
    占比(a, b[, 1])      a as a percentage of b

Every failure is a FigureError with the offset of the offending name, turned into a finding at
the placeholder's file:line:column when the report is assembled (assemble.py).
"""

from __future__ import annotations

import difflib
import functools
import re
from itertools import combinations
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Callable, Union

from .records import record, replace
from .format import CellForm, CellKey, Format, TableForm, normalize_label
from .model import Metadata, Number, Report, Rounding, format_number
from .format.labels import label_key
from .read.placeholders import (
    OPEN,
    SEPARATOR,
    Arithmetic,
    Call,
    Expression,
    Name,
    Negative,
    NumberLiteral,
    PlaceholderSyntaxError,
    parse,
)
from .words import CHANGE, CONTACT_KEYS, DATE, FUNCTIONS, ISSUER, PREVIOUS, ROUNDING_WORDS, SHARE, TITLE, YEAR

Value = Union[int, Decimal, str]

_ARABIC = {"二": "2", "三": "3", "四": "4"}


def table_names(fmt: Format) -> dict[str, str]:
    """How a placeholder or a figures file names each table: 表三 or 表3."""
    names = {f"表{key}": key for key in fmt.tables}
    names.update({f"表{_ARABIC[key]}": key for key in fmt.tables if key in _ARABIC})
    return names


class FigureError(Exception):
    """`reported`: the figure is missing because of a table problem that has its own finding."""

    def __init__(self, message: str, offset: int = 0, reported: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.reported = reported


# ---------------------------------------------------------------- scope


@record
class Scope:
    """The figures a placeholder can read: one year's, with the year before behind `previous`."""

    format: Format
    meta: Metadata | None
    year: int | None
    cell_value: Callable[[str, CellKey], Number | None]
    rounding: Rounding
    source: str  # how messages name where this year's figures come from
    previous: "Scope | None" = None
    previous_missing: str = f"未设置上年数据：请在 report.yaml 中用“{PREVIOUS}”写明上年项目文件夹或上年数据文件"
    gap_reported: Callable[[str, CellKey], bool] = lambda table, key: False


def scope_of(report: Report) -> Scope:
    def this_year(table: str, key: CellKey) -> Number | None:
        data = report.tables.get(table)
        return data.values.get(key) if data else None

    def gap_reported(table: str, key: CellKey) -> bool:
        """True when a value behind this cell is blank, invalid or missing: R6 or `missing` says so."""
        data = report.tables.get(table)
        if data is None:
            return True
        parts = {t.cell: t.parts for t in data.form.totals}
        pending, inputs = [key], []
        while pending:
            k = pending.pop()
            if k in parts:
                pending.extend(parts[k])
            else:
                inputs.append(k)
        return any(
            k not in data.entries
            or data.entries[k].state in ("blank", "invalid")
            or (data.entries[k].state == "not_applicable" and not data.form.cell(k).allows_not_applicable)
            for k in inputs
        )

    previous = None
    if report.previous is not None:
        last = report.previous
        previous = Scope(
            report.format,
            last.meta,
            last.year,
            last.value,
            report.meta.rounding,
            f"上年数据（{last.source.name}）",
            previous_missing=f"上年数据（{last.source.name}）没有再上一年的数据",
        )
    return Scope(report.format, report.meta, report.meta.year, this_year, report.meta.rounding, "本年数据", previous, gap_reported=gap_reported)


def names_only_scope(fmt: Format) -> Scope:
    """A scope where every name has a value: to check a template's placeholders without a project."""
    meta = Metadata(ISSUER, 2000, tuple((label, label) for label in CONTACT_KEYS), date=DATE)
    last = Scope(fmt, meta, 1999, lambda table, key: 1, Rounding(), "上年数据")
    return Scope(fmt, meta, 2000, lambda table, key: 1, Rounding(), "本年数据", last)


def metadata_values(meta: Metadata | None, year: int | None) -> dict[str, Value | None]:
    """Metadata by the names placeholders use; None where the project leaves a field empty."""
    values: dict[str, Value | None] = {ISSUER: None, YEAR: year, TITLE: None, DATE: None}
    values.update({label: None for label in CONTACT_KEYS})
    if meta is not None:
        values.update({ISSUER: meta.issuer, TITLE: meta.title, DATE: meta.date})
        values.update(dict(meta.contact))
    return values


# ---------------------------------------------------------------- evaluation


def fill(placeholder: str, scope: Scope) -> str:
    """The text a `{{ … }}` stands for. Raises FigureError (offset within `placeholder`)."""
    if not placeholder.endswith("}}"):
        raise FigureError("占位符缺少结尾的“}}”（占位符不能跨行）", len(placeholder))
    inner = placeholder[len(OPEN) : -2]
    try:
        expression = parse(inner)
    except PlaceholderSyntaxError as exc:
        raise FigureError(exc.message, exc.offset + len(OPEN)) from None
    try:
        return as_text(evaluate(expression, scope))
    except FigureError as exc:
        raise FigureError(exc.message, exc.offset + len(OPEN), exc.reported) from None
    except ArithmeticError:  # a Decimal out of its range: only absurdly large figures get here
        raise FigureError("数字过大，无法计算", len(OPEN)) from None


def as_text(value: Value) -> str:
    return value if isinstance(value, str) else format_number(value)


def evaluate(expression: Expression, scope: Scope) -> Value:
    if isinstance(expression, NumberLiteral):
        return expression.value
    if isinstance(expression, Negative):
        return -_number(evaluate(expression.operand, scope), expression.operand)
    if isinstance(expression, Arithmetic):
        left = _number(evaluate(expression.left, scope), expression.left)
        right = _number(evaluate(expression.right, scope), expression.right)
        return left + right if expression.op == "+" else left - right
    if isinstance(expression, Call):
        return _call(expression, scope)
    return _name(expression, scope)


def _number(value: Value, expression: Expression) -> Number:
    if isinstance(value, str):
        raise FigureError(f"“{value}”是文字，不能参与加减", _offset(expression))
    return value


def _offset(expression: Expression) -> int:
    return expression.left.offset if isinstance(expression, Arithmetic) else expression.offset


def _name(name: Name, scope: Scope) -> Value:
    segments = name.segments
    table_key = table_names(scope.format).get(normalize_label(segments[0]))
    if table_key is not None:
        form = scope.format.tables[table_key]
        cell = find_cell(form, segments[1:], name)
        value = scope.cell_value(table_key, cell.key)
        if value is None:
            raise FigureError(
                f"{scope.source}中“{cell_name(cell)}”没有数字（未填写、填了“/”或填写有误）",
                name.offset,
                reported=scope.gap_reported(table_key, cell.key),
            )
        return value
    if len(segments) == 1:
        values = metadata_values(scope.meta, scope.year)
        if name.text in values:
            value = values[name.text]
            if value is None:
                raise FigureError(f"{scope.source}中“{name.text}”未填写（见 report.yaml）", name.offset)
            return value
        if name.text in FUNCTIONS:
            raise FigureError(f"{name.text} 要带括号，例如 {name.text}(表三·本年新收·总计)", name.offset)
        if name.text in ROUNDING_WORDS:
            raise FigureError(f"“{name.text}”只能写在 {CHANGE}(…) 或 {SHARE}(…) 的括号里", name.offset)
    raise FigureError(_unknown_name_message(name.text, scope.format), name.offset)


def _unknown_name_message(text: str, fmt: Format) -> str:
    first = text.split(SEPARATOR)[0].strip()
    if first.startswith("表"):
        return f"没有“{first}”：统计表为 表二、表三、表四，例如 表三·本年新收·总计"
    names = list(metadata_values(None, None)) + list(FUNCTIONS) + [f"表{k}" for k in fmt.tables]
    close = difflib.get_close_matches(text, names, n=1, cutoff=0.5)
    if close:
        return f"无法识别“{text}”，是否应为“{close[0]}”？"
    return f"无法识别“{text}”；可用的名称有 {'、'.join(metadata_values(None, None))}，以及表格单元格（如 表三·本年新收·总计）"


# ---------------------------------------------------------------- functions


def _call(call: Call, scope: Scope) -> Value:
    if call.function == PREVIOUS:
        (inner,) = _arguments(call, 1, 0)
        return evaluate(inner, _previous(scope, call))
    if call.function == CHANGE:
        (inner,), rounding = _arguments(call, 1, 2), _rounding(call, 1, scope)
        now = _number(evaluate(inner, scope), inner)
        before = _number(evaluate(inner, _previous(scope, call)), inner)
        return change_words(now, before, rounding, call.offset)
    if call.function == SHARE:
        (part, whole), rounding = _arguments(call, 2, 2), _rounding(call, 2, scope)
        numerator = _number(evaluate(part, scope), part)
        denominator = _number(evaluate(whole, scope), whole)
        if denominator == 0:
            raise FigureError(f"{SHARE}的分母为 0，无法计算百分比", whole.offset if not isinstance(whole, Arithmetic) else call.offset)
        return percent(Decimal(numerator) * 100 / Decimal(denominator), rounding)
    close = difflib.get_close_matches(call.function, FUNCTIONS, n=1, cutoff=0.3)
    hint = f"，是否应为“{close[0]}”？" if close else f"；可用的有 {'、'.join(FUNCTIONS)}"
    raise FigureError(f"没有“{call.function}”这个函数{hint}", call.offset)


def _arguments(call: Call, values: int, options: int) -> tuple[Expression, ...]:
    if not values <= len(call.args) <= values + options:
        what = {PREVIOUS: "一个名称，例如 上年(表三·（七）总计·总计)", CHANGE: "一个名称，可再写小数位数和 截断/四舍五入",
                SHARE: "两个名称（部分, 整体），可再写小数位数和 截断/四舍五入"}[call.function]
        raise FigureError(f"{call.function}(…) 的括号里应写{what}", call.offset)
    return call.args[:values]


def _rounding(call: Call, values: int, scope: Scope) -> Rounding:
    rounding = scope.rounding
    for option in call.args[values:]:
        if isinstance(option, NumberLiteral) and option.value == int(option.value) and 0 <= option.value <= 6:
            rounding = replace(rounding, digits=int(option.value))
        elif isinstance(option, Name) and option.text in ROUNDING_WORDS:
            rounding = replace(rounding, mode=ROUNDING_WORDS[option.text])  # type: ignore[arg-type]
        else:
            raise FigureError("此处只能写小数位数（0～6）或 截断、四舍五入", option.offset)
    return rounding


def _previous(scope: Scope, call: Call) -> Scope:
    if scope.previous is None:
        raise FigureError(scope.previous_missing, call.offset)
    return scope.previous


def round_decimal(value: Decimal, rounding: Rounding) -> Decimal:
    exponent = Decimal(1).scaleb(-rounding.digits)
    try:
        return value.quantize(exponent, rounding=ROUND_DOWN if rounding.mode == "truncate" else ROUND_HALF_UP)
    except InvalidOperation:  # more digits than a Decimal holds: no report figure is that large
        raise FigureError(f"数字过大（{value:.3E}），无法计算百分比") from None


def percent(value: Decimal, rounding: Rounding) -> str:
    return f"{round_decimal(value, rounding):f}%"


def change_words(now: Number, before: Number, rounding: Rounding, offset: int = 0) -> str:
    """The change from `before` to `now` as reports write it: 增长 97.72% / 下降 3.10% / 持平.

    A change that rounds to zero at the chosen decimals is 持平, never "增长0.00%".
    """
    if now == before:
        return "持平"
    if before == 0:
        raise FigureError("上年为 0，无法计算增减百分比", offset)
    change = (Decimal(now) - Decimal(before)) * 100 / abs(Decimal(before))
    try:
        rounded = round_decimal(abs(change), rounding)
    except FigureError as exc:
        raise FigureError(exc.message, offset) from None
    if rounded == 0:
        return "持平"
    return ("增长" if change > 0 else "下降") + f"{rounded:f}%"


# ---------------------------------------------------------------- cell names


def cell_name(cell: CellForm) -> str:
    """The name of a cell as `check` prints it and a placeholder reads it: 表三·（一）予以公开·总计."""
    return cell.name


_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.)")


@functools.lru_cache(maxsize=None)  # the official labels, matched against every placeholder name
def _label_forms(label: str) -> tuple[str, str, str]:
    """A label as written, without its numbering, and the numbering alone: 一、本年新收… / 本年新收… / 一.

    The numbering keeps its brackets, so 一 (一、) and （一） stay different levels.
    """
    full = normalize_label(label)
    match = _NUMBERING.match(full)
    if not match:
        return full, full, ""
    return full, full[match.end() :], match.group(0).rstrip("、.")


@functools.lru_cache(maxsize=4096)
def _segment_matches(segment: str, label: str, loose: bool) -> bool:
    full, bare, numbering = _label_forms(label)
    if segment in (full, bare) or (numbering and segment.rstrip("、.") == numbering):
        return True
    written, official = label_key(segment), label_key(label)
    if written.number is not None and written.number == official.number and written.words in (official.words, official.short):
        return bool(written.words)  # the label with its numbering written another way: (1)、1、 for 1.
    return loose and len(segment) >= 2 and segment in bare


def _cell_matches(cell: CellForm, segments: tuple[str, ...], loose: bool) -> bool:
    """Segments name labels of the cell's path in order, and name both its row and its column."""
    path = cell.yaml_path
    if not segments or not _segment_matches(segments[-1], path[-1], loose):
        return False  # the column is always named, and last: most cells fail here, cheaply
    needed = {len(path) - 1} | ({len(path) - 2} if cell.row_label else set())
    return any(
        needed <= set(chosen)
        and all(_segment_matches(s, path[i], loose) for s, i in zip(segments, chosen))
        for chosen in combinations(range(len(path)), len(segments))
    )


def find_cell(form: TableForm, segments: tuple[str, ...], name: Name) -> CellForm:
    wanted = tuple(normalize_label(s) for s in segments if s)
    for loose in (False, True):
        matches = [c for c in form.cells if _cell_matches(c, wanted, loose)]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            examples = "、".join(cell_name(c) for c in matches[:3])
            raise FigureError(f"“{name.text}”可指多个单元格（{examples}…），请写得更具体", name.offset)
    raise _no_cell(form, [s for s in segments if s], name)


def _no_cell(form: TableForm, segments: list[str], name: Name) -> FigureError:
    """Point at the first label the table does not have, with the closest one; else ask for row and column."""
    labels = sorted({label for c in form.cells for label in c.yaml_path})
    for segment in segments:
        wanted = normalize_label(segment)
        if not any(_segment_matches(wanted, label, True) for label in labels):
            forms = {_label_forms(label)[1]: label for label in labels}
            forms.update({_label_forms(label)[0]: label for label in labels})  # a label's own text wins
            close = difflib.get_close_matches(wanted, list(forms), n=1, cutoff=0.4)
            hint = f"，是否应为“{forms[close[0]]}”？" if close else ""
            return FigureError(f"表{form.key}中没有“{segment}”{hint}", name.offset + max(name.text.find(segment), 0))
    wanted_all = [normalize_label(s) for s in segments]
    example = next(
        (c for c in form.cells if all(any(_segment_matches(s, l, True) for l in c.yaml_path) for s in wanted_all)), None
    )
    if example is not None:
        return FigureError(f"“{name.text}”没有同时写明行和列，例如 {cell_name(example)}", name.offset)
    return FigureError(f"表{form.key}中没有“{name.text}”这样的单元格", name.offset)
