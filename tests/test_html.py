"""The web page (`build --format html`): valid HTML5, self-contained, every number under its labels,
nothing from the project turned into markup. What a browser shows is in test_html_browser.py."""

from __future__ import annotations

import base64
import re
import struct
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SAMPLE, replace_in, run_cli
from html_reading import NS, TABLE_IDS, cell_under, expected_cells, headed_values, parse_strict, text_of

# The smallest PNG there is: one transparent pixel.
PIXEL = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")


@pytest.fixture(scope="module")
def sample_page(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("html") / "report.html"
    result = run_cli("build", SAMPLE, "--format", "html", "-o", out)
    assert result.code == 0, result.output
    assert "已生成" in result.stdout
    return out.read_text(encoding="utf-8")


def test_page_is_valid_html5_and_self_contained(sample_page):
    tree = parse_strict(sample_page)  # raises on any parse error
    assert sample_page.startswith("<!DOCTYPE html>")
    root = tree if tree.tag == f"{NS}html" else tree.find(f"{NS}html")
    assert root.get("lang") == "zh-CN"
    head = root.find(f"{NS}head")
    assert head.find(f"{NS}meta").get("charset") == "utf-8"
    assert text_of(head.find(f"{NS}title")) == "淄博市人民政府办公室2024年政府信息公开工作年度报告"
    viewport = [m for m in head.iter(f"{NS}meta") if m.get("name") == "viewport"]
    assert viewport and "width=device-width" in viewport[0].get("content")
    # nothing fetched from elsewhere: no scripts, no linked files, no external fonts
    assert not list(tree.iter(f"{NS}script")) and not list(tree.iter(f"{NS}link"))
    css = text_of(head.find(f"{NS}style"))
    assert "@import" not in css and "url(" not in css and "@font-face" not in css
    assert not re.search(r'(?:src|href)="(?:https?:)?//', sample_page)


def test_title_sections_and_intro_in_order(sample_page):
    tree = parse_strict(sample_page)
    h1 = next(tree.iter(f"{NS}h1"))
    assert [text_of(s) for s in h1] == ["淄博市人民政府办公室", "2024年政府信息公开工作年度报告"]
    titles = [text_of(h) for h in tree.iter(f"{NS}h2")]
    assert titles == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    body = text_of(next(tree.iter(f"{NS}article")))
    assert "报告中的数据统计期限为2024年1月1日至2024年12月31日" in body
    # placeholders are filled: the seed's sentence, figures from the tables
    assert "全年办理政府信息公开申请261件，较上年增长97.72%" in body
    assert "{{" not in body
    # a run-in heading is a heading (screen readers list it) inline with its paragraph
    run_in = next(d for d in tree.iter(f"{NS}div") if d.get("class") == "run-in")
    assert text_of(run_in.find(f"{NS}h3")) == "（一）主动公开方面。"
    assert text_of(run_in.find(f"{NS}p")).startswith("一是政府文件发布及时。")


def test_every_number_of_the_three_tables_under_its_labels(sample_page):
    tree = parse_strict(sample_page)
    expected = expected_cells(SAMPLE)
    for key, cells in expected.items():
        values = headed_values(tree, TABLE_IDS[key])
        assert len(values) == len(cells), key  # no value cell more or less than the format has
        for labels, number in cells.items():
            assert cell_under(values, labels) == number, (key, labels)
    # the seed's published figures
    t3 = headed_values(tree, "table-3")
    assert cell_under(t3, ("一、本年新收政府信息公开申请数量", "总计")) == "245"
    assert cell_under(t3, ("（七）总计", "总计")) == "261"
    assert cell_under(t3, ("（四）无法提供", "1.本机关不掌握相关政府信息", "总计")) == "189"


def test_official_tables_have_caption_header_rows_and_scopes(sample_page):
    tree = parse_strict(sample_page)
    tables = {t.get("id"): t for t in tree.iter(f"{NS}table") if t.get("class") == "official"}
    assert set(tables) == {"table-2", "table-3", "table-4"}
    t3 = tables["table-3"]
    assert text_of(t3.find(f"{NS}caption")) == "三、收到和处理政府信息公开申请情况"
    head_rows = t3.find(f"{NS}thead").findall(f"{NS}tr")
    assert len(head_rows) == 3  # 申请人情况 / 自然人 法人或其他组织 总计 / 商业企业 …
    scopes = {text_of(th): (th.get("scope"), th.get("colspan"), th.get("rowspan")) for th in t3.iter(f"{NS}th")}
    assert scopes["申请人情况"] == ("colgroup", "7", None)
    assert scopes["法人或其他组织"] == ("col", "5", None)
    assert scopes["自然人"] == ("col", None, "2")
    assert scopes["（三）不予公开"] == ("row", None, "8")
    assert scopes["三、本年度办理结果"][0] == "row"
    t4_groups = [text_of(th) for th in tables["table-4"].iter(f"{NS}th") if th.get("scope") == "colgroup"]
    assert t4_groups == ["行政复议", "行政诉讼"]
    # 表二: a row group per block, headed by its 第二十条 caption
    bodies = tables["table-2"].findall(f"{NS}tbody")
    assert [text_of(b.find(f"{NS}tr")).strip() for b in bodies] == [
        "第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项"
    ]
    assert all(b.find(f"{NS}tr/{NS}th").get("scope") == "rowgroup" for b in bodies)
    # every table scrolls in its own box, which a keyboard can reach
    boxes = [d for d in tree.iter(f"{NS}div") if d.get("class") == "table-scroll"]
    assert all(d.get("tabindex") == "0" and d.get("role") == "region" for d in boxes)


def test_print_css_a4_margins_header_rows_repeated(sample_page):
    css = text_of(next(parse_strict(sample_page).iter(f"{NS}style")))
    assert "@page { size: A4; margin: 37mm 26mm 35mm 28mm; }" in css
    assert "thead { display: table-header-group; }" in css
    assert re.search(r"\.zbreport tr[^{]*\{ break-inside: avoid; \}", css)
    assert '"仿宋_GB2312"' in css and '"黑体"' in css and '"楷体_GB2312"' in css


HOSTILE = "<script>alert('x')</script> & \"quoted\" <b onclick=\"evil()\">x</b>"


def test_project_text_is_shown_literally_never_as_markup(project: Path, tmp_path: Path):
    # Markdown drops raw HTML (with a warning); what it keeps as text, written as entities or
    # escapes, and any YAML value reach the page as text.
    replace_in(project / "report.yaml", "机关全称: 淄博市人民政府办公室", f"机关全称: '{HOSTILE.replace(chr(39), chr(39) * 2)}'")
    overview = project / "sections" / "1-overview.md"
    overview.write_text(
        overview.read_text(encoding="utf-8")
        + "\n\n正文里的 `<script>` 与 &lt;script&gt;alert('x')&lt;/script&gt; &amp; \"quoted\" \\<b\\>[^n]\n\n"
        + "| 项目 | 说明 |\n|---|---|\n| &lt;i&gt;斜&lt;/i&gt; & 'a' | 单元格 \"{{ 年度 }}\" &amp;amp; |\n\n"
        + "[链接 &lt;script&gt;](https://example.org/?a=1&b=\"2\")\n\n"
        + "[^n]: 脚注 &lt;/li&gt;&lt;/ol&gt;&lt;script&gt;x&lt;/script&gt;\n",
        encoding="utf-8",
    )
    notes = project / "sections" / "2-proactive.md"
    notes.write_text(notes.read_text(encoding="utf-8") + "\n5.表下的注 &lt;/table&gt;&lt;script&gt;1&lt;/script&gt; & &copy;\n", encoding="utf-8")
    out = tmp_path / "page.html"
    result = run_cli("build", project, "--format", "html", "-o", out)
    assert result.code == 0, result.output
    page = out.read_text(encoding="utf-8")
    tree = parse_strict(page)
    assert not list(tree.iter(f"{NS}script")) and not list(tree.iter(f"{NS}b")) and not list(tree.iter(f"{NS}i"))
    assert not [e for e in tree.iter() if any(name.startswith("on") for name in e.attrib)]
    title = text_of(next(tree.iter(f"{NS}title")))
    assert title == HOSTILE + "2024年政府信息公开工作年度报告"
    assert text_of(next(tree.iter(f"{NS}h1"))).startswith(HOSTILE)
    body = text_of(next(tree.iter(f"{NS}article")))
    assert "正文里的 <script> 与 <script>alert('x')</script> & \"quoted\" <b>" in body
    assert "<i>斜</i> & 'a'" in body and "单元格 \"2024\" &amp;" in body
    assert "脚注 </li></ol><script>x</script>" in body
    assert "</table><script>1</script> & ©" in body
    link = next(a for a in tree.iter(f"{NS}a") if "example.org" in (a.get("href") or ""))
    assert link.get("href") == "https://example.org/?a=1&b=%222%22" and text_of(link) == "链接 <script>"
    assert [m.get("content") for m in tree.iter(f"{NS}meta") if m.get("name") == "author"] == [HOSTILE]


def test_forced_build_with_a_word_in_a_cell_prints_no_markup(project: Path, tmp_path: Path):
    replace_in(project / "tables" / "table4.yaml", "行政复议: {结果维持: 0", "行政复议: {结果维持: '<b>&</b>'")
    out = tmp_path / "page.html"
    result = run_cli("build", project, "--format", "html", "-o", out, "--force")
    assert result.code == 0, result.output
    tree = parse_strict(out.read_text(encoding="utf-8"))
    assert not list(tree.iter(f"{NS}b"))
    values = headed_values(tree, "table-4")
    assert cell_under(values, ("行政复议", "结果维持")) == ""  # nothing printable: left blank, as in the .docx


def test_footnotes_links_lists_quotes_code_and_pictures(project: Path, tmp_path: Path):
    (project / "sections" / "图").mkdir()
    (project / "sections" / "图" / "点.png").write_bytes(PIXEL)
    other = project / "sections" / "6-other.md"
    other.write_text(
        other.read_text(encoding="utf-8")
        + "\n\n详见门户网站[^site]，再次引用[^site]，另见[^2]。\n\n"
        + "1. 第一项\n2. 第二项 **加粗** *强调* ~~删除~~ <u>下划</u> H<sub>2</sub>O m<sup>2</sup>\n\n"
        + "- 要点\n\n> 引用的话\n\n```\n代码 {{ 年度 }}\n```\n\n"
        + "[市政府网站](http://www.zibo.gov.cn) 和 <https://example.org>\n\n"
        + "![平台截图](图/点.png)\n\n"
        + "[^site]: 淄博市人民政府门户网站。\n[^2]: 第二条注释。\n",
        encoding="utf-8",
    )
    out = tmp_path / "page.html"
    assert run_cli("build", project, "--format", "html", "-o", out).code == 0
    tree = parse_strict(out.read_text(encoding="utf-8"))
    refs = [a for a in tree.iter(f"{NS}a") if a.get("role") == "doc-noteref"]
    assert [(a.get("href"), text_of(a)) for a in refs] == [("#note-1", "[1]"), ("#note-1", "[1]"), ("#note-2", "[2]")]
    notes = next(s for s in tree.iter(f"{NS}section") if s.get("class") == "footnotes")
    items = notes.find(f"{NS}ol").findall(f"{NS}li")
    assert [i.get("id") for i in items] == ["note-1", "note-2"]
    assert text_of(items[0]).strip().startswith("淄博市人民政府门户网站。")
    backs = [a.get("href") for a in items[0].iter(f"{NS}a") if a.get("role") == "doc-backlink"]
    ids = {a.get("id") for a in refs}
    assert len(backs) == 2 and {b[1:] for b in backs} <= ids  # each back link returns to its reference
    ordered = next(tree.iter(f"{NS}ol"))
    assert [text_of(li).strip() for li in ordered.findall(f"{NS}li")][0] == "第一项"
    for tag, text in (("strong", "加粗"), ("em", "强调"), ("s", "删除"), ("u", "下划"), ("sub", "2"), ("sup", "2")):
        assert text in [text_of(e) for e in tree.iter(f"{NS}{tag}")], tag
    assert [text_of(q) for q in tree.iter(f"{NS}blockquote")] == ["引用的话"] or "引用的话" in text_of(next(tree.iter(f"{NS}blockquote")))
    assert text_of(next(tree.iter(f"{NS}pre"))) == "代码 {{ 年度 }}"
    hrefs = {a.get("href"): text_of(a) for a in tree.iter(f"{NS}a") if a.get("href", "").startswith("http")}
    assert hrefs["http://www.zibo.gov.cn"] == "市政府网站" and hrefs["https://example.org"] == "https://example.org"
    image = next(tree.iter(f"{NS}img"))
    assert image.get("alt") == "平台截图"
    assert base64.b64decode(image.get("src").removeprefix("data:image/png;base64,")) == PIXEL


def test_a_tiff_picture_is_reported_not_hidden(project: Path, tmp_path: Path):
    directory = struct.pack("<H", 2) + struct.pack("<HHLHH", 256, 3, 1, 10, 0) + struct.pack("<HHLHH", 257, 3, 1, 10, 0)
    (project / "sections" / "scan.tif").write_bytes(b"II*\x00" + struct.pack("<L", 8) + directory + b"\x00" * 4)  # 10 × 10
    other = project / "sections" / "6-other.md"
    other.write_text(other.read_text(encoding="utf-8") + "\n\n![扫描件](scan.tif)\n", encoding="utf-8")
    out = tmp_path / "page.html"
    result = run_cli("build", project, "--format", "html", "-o", out)
    assert result.code == 0, result.output
    assert "html-image" in result.stderr and "scan.tif" in result.stderr and "6-other.md" in result.stderr
    page = out.read_text(encoding="utf-8")
    assert "扫描件" in page and "<img" not in page


def test_unsafe_link_is_text_only(tmp_path: Path):
    from zbreport.document import Document, Properties
    from zbreport.model import Link, Paragraph, Text
    from zbreport.write.html import render_html
    from datetime import datetime, timezone

    paragraph = Paragraph((Link((Text("点我"),), target=" java\tscript:alert(1)"), Link((Text("好"),), target="/zwgk/2024.html")))
    document = Document(("机关",), (paragraph,), (), Properties("t", "a", datetime(2025, 1, 1, tzinfo=timezone.utc)))
    page = render_html(document)
    tree = parse_strict(page.html)
    assert [a.get("href") for a in tree.iter(f"{NS}a")] == ["/zwgk/2024.html"]
    assert "点我" in page.html and [f.rule for f in page.findings] == ["html-link"]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40))
def test_any_text_is_valid_html_and_reads_back_as_written(text: str):
    from datetime import datetime, timezone

    from zbreport.document import Document, Properties
    from zbreport.model import Paragraph, Text
    from zbreport.write.html import render_html
    from zbreport.write.markup import clean

    document = Document((text,), (Paragraph((Text(text),)),), (), Properties(text, text, datetime(2025, 1, 1, tzinfo=timezone.utc)))
    tree = parse_strict(render_html(document).html)  # no parse error, whatever the text
    shown = clean(text).replace("\r\n", "\n").replace("\r", "\n")
    assert text_of(next(tree.iter(f"{NS}title"))) == shown
    assert text_of(next(tree.iter(f"{NS}h1"))) == shown
    paragraph = next(p for p in tree.iter(f"{NS}p"))
    assert text_of(paragraph) == shown and len(paragraph) == 0  # text only, no element made
