"""Reading YAML with its source marks, so every value can say which file and line it came from.

PyYAML's `safe_load` forgets positions and silently keeps the last of two equal keys; we
compose the node tree instead and walk it ourselves. libyaml's parser (CSafeLoader) composes it
about ten times faster than PyYAML's own, with the same line and column marks; PyYAML's is the
fallback where PyYAML was built without libyaml, and for a file holding Word's line break (a
vertical tab), which libyaml refuses.

What a file may hold is bounded: nesting (50 levels), tags (plain data only), the length of a
number; control characters are decided by controls.py.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from .. import controls
from ..diagnostics import Finding, InputError, Location, Severity, shorten
from . import files

MAX_DEPTH = 50  # nesting levels; a table file needs four


class _Loader(yaml.SafeLoader):
    """PyYAML's own safe loader, with two changes: control characters are left for controls.py
    (PyYAML refuses a file holding one, without saying where), and nesting is bounded, so a file
    nested a thousand deep is a message rather than a RecursionError."""

    depth = 0

    def check_printable(self, data) -> None:  # noqa: ARG002 - controls.prepare has dealt with them
        return None

    def compose_node(self, parent, index):
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _TooDeep(self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _TooDeep(Exception):
    def __init__(self, mark: yaml.Mark) -> None:
        super().__init__("too deep")
        self.mark = mark


_LOADER = getattr(yaml, "CSafeLoader", _Loader)  # libyaml bounds nesting itself (1000 levels)
_TOO_DEEP = f"YAML 嵌套过深（超过 {MAX_DEPTH} 层），请检查缩进和括号"
_TAB = "含有制表符（Tab），YAML 只能用空格缩进"
# PyYAML's wording, then libyaml's where it differs.
_PROBLEMS_ZH = {
    "mapping values are not allowed here": "此处不能出现冒号“:”，可能是缩进不对或冒号后缺少空格",
    "mapping values are not allowed in this context": "此处不能出现冒号“:”，可能是缩进不对或冒号后缺少空格",
    "expected the node content": "此处缺少内容（可能多写了逗号，或括号没有配对）",
    "did not find expected node content": "此处缺少内容（可能多写了逗号，或括号没有配对）",
    "expected ',' or ']'": "缺少逗号“,”或右方括号“]”（方括号可能没有闭合）",
    "did not find expected ',' or ']'": "缺少逗号“,”或右方括号“]”（方括号可能没有闭合）",
    "expected ',' or '}'": "缺少逗号“,”或右花括号“}”（花括号可能没有闭合）",
    "did not find expected ',' or '}'": "缺少逗号“,”或右花括号“}”（花括号可能没有闭合）",
    "could not find expected ':'": "缺少冒号“:”",
    "found undefined alias": "引用了未定义的别名",
    "did not find expected key": "缩进不一致，找不到预期的键",
    "found unexpected end of stream": "文件意外结束（可能缺少引号或括号）",
    "expected a single document in the stream": "文件中只能有一个 YAML 文档（不要使用“---”分隔）",
    "exceeded maximum nesting depth": f"嵌套过深（超过 {MAX_DEPTH} 层），请检查缩进和括号",
}


def read_text(path: Path, kind: files.FileKind = files.YAML) -> str:
    """A project file's text, as `files.read_text` reads it (a regular file, of bounded size)."""
    return files.read_text(path, kind)


def source_text(path: Path, kind: files.FileKind, findings: list[Finding] | None = None) -> str:
    """A project file's text ready to parse: invisible control characters warned about (into
    `findings`, when given) and removed; see controls.py."""
    return controls.prepare(read_text(path, kind), path, findings)


def compose(path: Path, findings: list[Finding] | None = None) -> yaml.Node | None:
    """The node tree of a YAML file; None for an empty file. Syntax errors become InputError.

    Control characters are warned about into `findings` (when given) and removed; a tag that
    asks for anything but plain data (`!!python/object/apply:…`) is refused, and so is nesting
    deeper than MAX_DEPTH.
    """
    text = source_text(path, files.YAML, findings)
    loader = _Loader if controls.LINE_BREAK in text else _LOADER
    try:
        root = yaml.compose(text, Loader=loader)
    except _TooDeep as exc:
        raise InputError(_TOO_DEEP, Location(path, exc.mark.line + 1, exc.mark.column + 1)) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "格式错误"
        reason = next(
            (zh for said in (exc.problem, exc.context) if said for en, zh in _PROBLEMS_ZH.items() if said.startswith(en)),
            problem,
        )
        if problem.startswith("found character") and problem.endswith("cannot start any token") and mark is not None:
            character = _character_at(text, mark.line, mark.column)
            reason = _TAB if character == "\t" else f"“{character}”不能出现在值的开头，请给这个值加上引号"
        where = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
        start = exc.context_mark
        if start is not None and mark is not None and start.line < mark.line:
            reason += f"（出错的内容从第 {start.line + 1} 行开始）"
        raise InputError(f"YAML 格式错误：{reason}", where) from None
    except yaml.YAMLError as exc:
        raise InputError(f"YAML 格式错误：{shorten(str(exc), 200)}", Location(path)) from None
    if root is not None:
        _check_nodes(path, root, findings)
    return root


# What a YAML file of ours may hold: text, numbers, dates, true/false, mappings and lists.
_PLAIN_TAGS = {
    f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq", "merge", "value")
}


def _check_nodes(path: Path, root: yaml.Node, findings: list[Finding] | None) -> None:
    """Refuse tags other than plain data and nesting deeper than MAX_DEPTH; remove control
    characters a quoted escape ("\\f") put into a value. Anchors may make the tree a graph,
    even a cyclic one: each node is looked at once."""
    seen: set[int] = set()
    pending = [(root, 1)]
    while pending:
        node, depth = pending.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if depth > MAX_DEPTH:
            raise InputError(_TOO_DEEP, location(path, node))
        if node.tag not in _PLAIN_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            raise InputError(
                f"不支持 YAML 标记“{shorten(tag)}”：此处只能写文字、数字、日期和键值，请删去该标记", location(path, node)
            )
        if isinstance(node, yaml.ScalarNode):
            value = controls.remove(node.value)
            if value != node.value:
                node.value = value
                if findings is not None:
                    findings.append(
                        Finding(Severity.WARNING, "control-character", "引号中的转义写出了不可见的控制字符，已删除", location(path, node))
                    )
        elif isinstance(node, yaml.SequenceNode):
            pending.extend((child, depth + 1) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                pending.extend(((key, depth + 1), (value, depth + 1)))


def _character_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n")
    return lines[line][column : column + 1] if line < len(lines) else ""


def location(path: Path, node: yaml.Node) -> Location:
    mark = node.start_mark
    return Location(path, mark.line + 1, mark.column + 1)


def mapping_items(
    path: Path, node: yaml.MappingNode, findings: list[Finding]
) -> list[tuple[str, yaml.Node, yaml.Node]]:
    """(key text, key node, value node) in file order; a repeated key is reported, its last value kept out."""
    seen: dict[str, yaml.Node] = {}
    items = []
    for key_node, value_node in node.value:
        key = str(key_node.value).strip() if isinstance(key_node, yaml.ScalarNode) else ""
        if key in seen:
            first = location(path, seen[key])
            findings.append(
                Finding(
                    Severity.ERROR,
                    "duplicate-key",
                    f"“{key}”重复出现（第一次在第 {first.line} 行），只保留第一次填写的值",
                    location(path, key_node),
                )
            )
            continue
        seen[key] = key_node
        items.append((key, key_node, value_node))
    return items


_INT = re.compile(r"[-+]?[0-9]+")
_DECIMAL = re.compile(r"[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)")
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９．－", "0123456789.-")


def scalar_number(node: yaml.ScalarNode) -> int | Decimal | None:
    """The number a scalar spells in decimal (full-width digits too), or None when it is not one.

    Numbers are read from the source text, not through YAML 1.1's resolver, which would
    take 010 for octal and 1_000 for a thousand.
    """
    return number_in(str(node.value))


MAX_NUMBER_LENGTH = 30  # characters: no figure of these reports comes near


def number_in(text: str) -> int | Decimal | None:
    """The number a text spells in decimal (full-width digits too), or None: also for a spreadsheet's text cell.

    Text longer than any figure is not read as one (Python refuses to convert integers of
    thousands of digits).
    """
    text = text.strip().translate(_FULLWIDTH_DIGITS)
    if len(text) > MAX_NUMBER_LENGTH:
        return None
    if _INT.fullmatch(text):
        return int(text)
    if _DECIMAL.fullmatch(text):
        try:
            return Decimal(text)
        except InvalidOperation:
            return None
    return None


def is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def node_kind(node: yaml.Node) -> str:
    """A clerk's word for what a node is, for messages."""
    if isinstance(node, yaml.MappingNode):
        return "一组键值"
    if isinstance(node, yaml.SequenceNode):
        return "列表"
    return f"“{shorten(str(node.value))}”"
