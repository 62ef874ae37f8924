"""Reading YAML with its source marks, so every value can say which file and line it came from.

PyYAML's `safe_load` forgets positions and silently keeps the last of two equal keys; we
compose the node tree instead and walk it ourselves. libyaml's parser (CSafeLoader) composes it
about ten times faster than PyYAML's own, with the same line and column marks; PyYAML's is the
fallback where PyYAML was built without libyaml.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from ..diagnostics import Finding, InputError, Location, Severity

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
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
}


def read_text(path: Path) -> str:
    """A project file's text: UTF-8 (with or without BOM), or GB18030 as Windows editors in China save it."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("找不到文件", Location(path)) from None
    except IsADirectoryError:
        raise InputError("应为文件，却是一个文件夹", Location(path)) from None
    except OSError as exc:
        raise InputError(f"无法读取文件：{exc.strerror}", Location(path)) from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError("文件编码无法识别，请保存为 UTF-8 编码", Location(path))


def compose(path: Path) -> yaml.Node | None:
    """The node tree of a YAML file; None for an empty file. Syntax errors become InputError."""
    text = read_text(path)
    try:
        return yaml.compose(text, Loader=_LOADER)
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
        raise InputError(f"YAML 格式错误：{exc}", Location(path)) from None


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


def number_in(text: str) -> int | Decimal | None:
    """The number a text spells in decimal (full-width digits too), or None: also for a spreadsheet's text cell."""
    text = text.strip().translate(_FULLWIDTH_DIGITS)
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
    return f"“{node.value}”"
