"""YAML syntax errors read by libyaml (and by PyYAML's own parser, the fallback) become Chinese messages at a line."""

from __future__ import annotations

import re

import pytest
import yaml

from zbreport.diagnostics import InputError
from zbreport.read import sourceyaml

BROKEN = [
    ("a: {b: 1,, c: 2}\n", 1, "缺少内容"),
    ("a:\n\tb: 1\n", 2, "制表符"),
    ("a: b: c\n", 1, "冒号"),
    ("a: [1, 2\n", 2, "方括号"),
    ("a: {b: 1\n", 2, "花括号"),
    ("a: 1\n---\nb: 2\n", 2, "一个 YAML 文档"),
    ("a: @x\n", 1, "“@”"),
]


@pytest.mark.parametrize("loader", [yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)], ids=["pyyaml", "libyaml"])
@pytest.mark.parametrize("text, line, words", BROKEN)
def test_syntax_errors_are_explained_in_chinese(tmp_path, monkeypatch, loader, text, line, words):
    monkeypatch.setattr(sourceyaml, "_LOADER", loader)
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        sourceyaml.compose(path)
    assert caught.value.location.line == line
    assert words in caught.value.message
    assert not re.search(r"[A-Za-z]{4,}", caught.value.message.replace("YAML", "")), caught.value.message


def test_libyaml_keeps_the_marks_of_pyyaml(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text("一、本年新收: {自然人: 243, 商业企业: 2}\n三、结果:\n  （一）予以公开: {自然人: 43}\n", encoding="utf-8")
    fast = sourceyaml.compose(path)
    slow = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)

    def marks(node):
        if isinstance(node, yaml.MappingNode):
            return [(k.start_mark.line, k.start_mark.column, marks(v)) for k, v in node.value]
        return (node.start_mark.line, node.start_mark.column)

    assert marks(fast) == marks(slow)
