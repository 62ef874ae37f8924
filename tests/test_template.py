"""The default template: reproducible from its source, and holding every style the writer applies."""

from __future__ import annotations

import importlib.util
import zipfile

from conftest import REPO
from docx_reading import open_docx, style_east_asian_font
from zbreport.write.docx import REQUIRED_STYLES
from zbreport.read.template import default_template


def _build_module():
    spec = importlib.util.spec_from_file_location("template_build", REPO / "templates" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_template_matches_its_source():
    built = _build_module().build_bytes()
    assert (REPO / "templates" / "default.docx").read_bytes() == built, "run: uv run python templates/build.py"


def test_template_has_every_style_the_writer_needs():
    document = open_docx(default_template())
    names = {s.name for s in document.styles}
    assert set(REQUIRED_STYLES) <= names


def test_template_is_chinese_not_japanese():
    with zipfile.ZipFile(default_template()) as package:
        assert not [n for n in package.namelist() if "theme" in n]
        for name in package.namelist():
            assert b"ja-JP" not in package.read(name)
    document = open_docx(default_template())
    for style in ("Normal", "Body Text", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "Title", "Table Text"):
        font = style_east_asian_font(document, style) or style_east_asian_font(document, "Normal")
        assert font in ("仿宋_GB2312", "黑体", "楷体_GB2312", "方正小标宋简体"), style
