"""Published reports made the way agencies make them, for the importer's tests.

One report's content (the figures of the 淄博 2024 report in shared/seed, but for 表四, which has
cases here so that a misplaced column shows; our own sentences) is
written out as an agency would: a .docx typed in Word (python-docx here) with its own fonts,
bold paragraphs for titles rather than heading styles, tables typed by hand with merged cells,
a typo in a label and in a section title, a wrong total, 表三 split over a page with its header
typed again, a signature and date; and as a portal page with navigation, breadcrumbs, a
metadata box and a footer around the report. Every label here is typed by hand, as an agency
would, not taken from zbreport's format.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Pt

Row = list[tuple[str, int, int]]  # (text, rowspan, colspan) of the cells that start in the row

ISSUER = "淄博市人民政府办公室"
YEAR = 2024
INTRO = (
    "本报告按照《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》的要求编写，"
    "统计期限为2024年1月1日至2024年12月31日。如有疑问，请与淄博市人民政府办公室联系（地址：淄博市张店区人民西路8号；"
    "邮编：255000；电话：0533-3183622；电子邮箱：zwgkb@zb.shandong.cn）。"
)
OVERVIEW = [
    "2024年，市政府办公室按照全市的部署推进政务公开。",
    "（一）主动公开方面。全年公开政府文件86件，政策性文件都配发了解读。",
    "（二）依申请公开方面。全年办理政府信息公开申请261件，另协助办理省政府信息公开申请28件。",
]
NOTES_UNDER_TABLE_2 = [
    "注：1.行政规范性文件一行合计了市政府和市政府办公室的文件。",
    "2.本年废止件数不含有效期届满自动失效的文件。",
]
PROBLEMS = ["公开工作与科室业务结合不够紧密，政策解读有待加强。下一步将编制主动公开事项目录，做好政策解读。"]
OTHER = [
    ("heading", "（一）信息处理费收取情况"),
    ("text", "2024年度，本机关没有收取信息处理费。"),
    ("heading", "（二）工作创新情况"),
    ("text", "举办全市政务公开专题培训，1000余人参加。"),
]
SIGNATURE = (ISSUER, "2025年1月20日")

# Section titles as this agency typed them: 四 with a typo, 五 in the 条例's long wording.
TITLES = {
    "一": "一、总体情况",
    "二": "二、主动公开政府信息情况",
    "三": "三、收到和处理政府信息公开申请情况",
    "四": "四、政府信息公开行政法复议、行政诉讼情况",
    "五": "五、政府信息公开工作存在的主要问题及改进情况",
    "六": "六、其他需要报告的事项",
}

# ---------------------------------------------------------------- 表二

TABLE_2_FIGURES = {  # (block, row, column) → as typed
    ("第二十条第（一）项", "规章", "本年制发件数"): "2",
    ("第二十条第（一）项", "规章", "本年废止件数"): "4",
    ("第二十条第（一）项", "规章", "现行有效件数"): "32",
    ("第二十条第（一）项", "行政规范性文件", "本年制发件数"): "6",
    ("第二十条第（一）项", "行政规范性文件", "本年废止件数"): "1",
    ("第二十条第（一）项", "行政规范性文件", "现行有效件数"): "49",
    ("第二十条第（五）项", "行政许可", "本年处理决定数量"): "0",
    ("第二十条第（六）项", "行政处罚", "本年处理决定数量"): "0",
    ("第二十条第（六）项", "行政强制", "本年处理决定数量"): "0",
    ("第二十条第（八）项", "行政事业性收费", "本年收费金额（单位：万元）"): "0",
}


def table_2_rows(figures: dict[tuple[str, str, str], str]) -> list[Row]:
    rows: list[Row] = []
    blocks: dict[str, dict[str, dict[str, str]]] = {}
    for (block, row, column), value in figures.items():
        blocks.setdefault(block, {}).setdefault(row, {})[column] = value
    for block, block_rows in blocks.items():
        columns = list(next(iter(block_rows.values())))
        span = 3 // len(columns)
        rows.append([(block, 1, 4)])
        rows.append([("信息内容", 1, 1)] + [(c, 1, span) for c in columns])
        for label, values in block_rows.items():
            rows.append([(label, 1, 1)] + [(values[c], 1, span) for c in columns])
    return rows


# ---------------------------------------------------------------- 表三

# (group, label) → 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计 — as published.
# The agency typed 总计 246 in the first row (the six columns add up to 245), numbered one
# sub-row "1、" and damaged a label ("其他法律行政止公开").
TABLE_3_FIGURES: list[tuple[str, str, list[str]]] = [
    ("", "一、本年新收政府信息公开申请数量", ["243", "2", "0", "0", "0", "0", "246"]),
    ("", "二、上年结转政府信息公开申请数量", ["16", "0", "0", "0", "0", "0", "16"]),
    ("三、本年度办理结果", "（一）予以公开", ["43", "1", "0", "0", "0", "0", "44"]),
    ("三、本年度办理结果", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ["0"] * 7),
    ("（三）不予公开", "1、属于国家秘密", ["0"] * 7),
    ("（三）不予公开", "2.其他法律行政止公开", ["0"] * 7),
    ("（三）不予公开", "3.危及“三安全一稳定”", ["2", "0", "0", "0", "0", "0", "2"]),
    ("（三）不予公开", "4.保护第三方合法权益", ["0"] * 7),
    ("（三）不予公开", "5.属于三类内部事务信息", ["0"] * 7),
    ("（三）不予公开", "6.属于四类过程性信息", ["0"] * 7),
    ("（三）不予公开", "7.属于行政执法案卷", ["1", "0", "0", "0", "0", "0", "1"]),
    ("（三）不予公开", "8.属于行政查询事项", ["0"] * 7),
    ("（四）无法提供", "1.本机关不掌握相关政府信息", ["188", "1", "0", "0", "0", "0", "189"]),
    ("（四）无法提供", "2.没有现成信息需要另行制作", ["15", "0", "0", "0", "0", "0", "15"]),
    ("（四）无法提供", "3.补正后申请内容仍不明确", ["0"] * 7),
    ("（五）不予处理", "1.信访举报投诉类申请", ["0"] * 7),
    ("（五）不予处理", "2.重复申请", ["0"] * 7),
    ("（五）不予处理", "3.要求提供公开出版物", ["0"] * 7),
    ("（五）不予处理", "4.无正当理由大量反复申请", ["0"] * 7),
    ("（五）不予处理", "5.要求行政机关确认或重新出具已获取信息", ["0"] * 7),
    ("（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", ["0"] * 7),
    ("（六）其他处理", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", ["0"] * 7),
    ("（六）其他处理", "3.其他", ["10", "0", "0", "0", "0", "0", "10"]),
    ("三、本年度办理结果", "（七）总计", ["259", "2", "0", "0", "0", "0", "261"]),
    ("", "四、结转下年度继续办理", ["0"] * 7),
]
TABLE_3_HEADER: list[Row] = [
    [("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3), ("申请人情况", 1, 7)],
    [("自然人", 2, 1), ("法人或其他组织", 1, 5), ("总计", 2, 1)],
    [("商业\n企业", 1, 1), ("科研\n机构", 1, 1), ("社会公益组织", 1, 1), ("法律服务机构", 1, 1), ("其他", 1, 1)],
]
SPLIT_AT = 14  # 表三 continues on the next page from the 15th data row, its header typed again


def table_3_rows(figures=TABLE_3_FIGURES) -> list[Row]:
    """The data rows with their label cells merged as printed: 三 down its 22 rows, each group down its items."""
    rows: list[Row] = []
    umbrella = "三、本年度办理结果"
    for i, (group, label, values) in enumerate(figures):
        cells: Row = []
        in_results = group != ""
        if in_results and (i == 0 or figures[i - 1][0] == ""):
            cells.append((umbrella, sum(1 for g, _, _ in figures if g), 1))
        if group in ("", umbrella):
            cells.append((label, 1, 3 if not in_results else 2))
        else:
            if i == 0 or figures[i - 1][0] != group:
                cells.append((group, sum(1 for g, _, _ in figures if g == group), 1))
            cells.append((label, 1, 1))
        rows.append(cells + [(v, 1, 1) for v in values])
    return rows


def split_rows(figures=TABLE_3_FIGURES, at: int = SPLIT_AT) -> tuple[list[Row], list[Row]]:
    """表三 in two tables at a page break: merged label cells end at the break, and the second
    part types its group labels again where a group goes on."""
    return table_3_rows(figures[:at]), table_3_rows(figures[at:])


# ---------------------------------------------------------------- 表四

TABLE_4_HEADER: list[Row] = [
    [("行政复议", 1, 5), ("行政诉讼", 1, 10)],
    [("结果\n维持", 2, 1), ("结果\n纠正", 2, 1), ("其他\n结果", 2, 1), ("尚未\n审结", 2, 1), ("总\n计", 2, 1),
     ("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)],
    [("结果维持", 1, 1), ("结果纠正", 1, 1), ("其他结果", 1, 1), ("尚未审结", 1, 1), ("总计", 1, 1)] * 2,
]
# 行政复议, 未经复议直接起诉, 复议后起诉: 结果维持, 结果纠正, 其他结果, 尚未审结, 总计 (not the seed's
# zeros, so that a number read under the wrong header shows)
TABLE_4_FIGURES = ["1", "0", "0", "1", "2", "0", "1", "0", "0", "1", "0", "0", "3", "0", "3"]


@dataclass
class AgencyReport:
    """What the documents say; tests vary it (a "/" for 规章, a table in the 2019 format…)."""

    table_2: list[Row] = field(default_factory=lambda: table_2_rows(TABLE_2_FIGURES))
    table_3_parts: list[list[Row]] = field(
        default_factory=lambda: [TABLE_3_HEADER + part for part in split_rows()]
    )
    table_4: list[Row] = field(default_factory=lambda: TABLE_4_HEADER + [[(v, 1, 1) for v in TABLE_4_FIGURES]])
    titles: dict[str, str] = field(default_factory=lambda: dict(TITLES))
    image: bool = True
    title: tuple[str, ...] = (ISSUER, f"{YEAR}年政府信息公开工作年度报告")
    overview: bool = True  # False: no 总体情况 section, as some reports have none


# ---------------------------------------------------------------- .docx

_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def write_docx(path: Path, report: AgencyReport | None = None) -> Path:
    report = report or AgencyReport()
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.size = Pt(16)
    normal.font.name = "Times New Roman"
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋_GB2312")

    def paragraph(text: str, *, bold=False, size=16, center=False, indent=True, font=None, right=False):
        p = document.add_paragraph()
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif right:
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif indent:
            p.paragraph_format.first_line_indent = Pt(32)
        run = p.add_run(text)
        run.bold = bold
        run.font.size = Pt(size)
        if font:
            run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
        return p

    for line in report.title:
        paragraph(line, size=22, center=True, font="方正小标宋简体")
    document.add_paragraph()
    paragraph(INTRO)
    if report.overview:
        paragraph(report.titles["一"], font="黑体")
        for text in OVERVIEW:
            paragraph(text)
    if report.image:
        document.add_paragraph().add_run().add_picture(_stream(_PNG))
    paragraph(report.titles["二"], font="黑体")
    _docx_table(document, report.table_2)
    for text in NOTES_UNDER_TABLE_2:
        paragraph(text)
    paragraph(report.titles["三"], font="黑体")
    for i, part in enumerate(report.table_3_parts):
        if i:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _docx_table(document, part)
    paragraph(report.titles["四"], font="黑体")
    _docx_table(document, report.table_4)
    paragraph(report.titles["五"], font="黑体")
    for text in PROBLEMS:
        paragraph(text)
    paragraph(report.titles["六"], font="黑体")
    for kind, text in OTHER:
        paragraph(text, font="楷体_GB2312" if kind == "heading" else None)
    document.add_paragraph()
    for line in SIGNATURE:
        paragraph(line, right=True)
    document.save(str(path))
    return path


def _stream(data: bytes):
    import io

    return io.BytesIO(data)


def _positions(rows: list[Row]) -> tuple[list[tuple[str, int, int, int, int]], int]:
    """(text, row, col, rowspan, colspan) of each typed cell, and the number of columns."""
    placed = []
    taken: set[tuple[int, int]] = set()
    width = 0
    for r, row in enumerate(rows):
        c = 0
        for text, rowspan, colspan in row:
            while (r, c) in taken:
                c += 1
            placed.append((text, r, c, rowspan, colspan))
            for rr in range(r, r + rowspan):
                for cc in range(c, c + colspan):
                    taken.add((rr, cc))
            c += colspan
            width = max(width, c)
    return placed, width


def _docx_table(document, rows: list[Row]) -> None:
    placed, width = _positions(rows)
    table = document.add_table(rows=len(rows), cols=width)
    table.style = document.styles["Table Grid"]
    for text, r, c, rowspan, colspan in placed:
        cell = table.cell(r, c)
        if rowspan > 1 or colspan > 1:
            cell = cell.merge(table.cell(r + rowspan - 1, c + colspan - 1))
        paragraph = cell.paragraphs[0]
        for i, line in enumerate(text.split("\n")):
            run = paragraph.add_run(line)
            run.font.size = Pt(10.5)
            if i < len(text.split("\n")) - 1:
                run.add_break()


# ---------------------------------------------------------------- a portal page


def write_portal_page(path: Path, report: AgencyReport | None = None, encoding: str = "gb18030") -> Path:
    """The report as a government portal publishes it: site header and navigation, breadcrumbs,
    a box of page metadata (a layout table), the article, share links and a footer."""
    report = report or AgencyReport()
    e = html.escape
    body: list[str] = [f'<p style="text-indent:2em">{e(INTRO)}</p>', f"<p><strong>{e(report.titles['一'])}</strong></p>"]
    body += [f'<p style="text-indent:2em">{e(t)}</p>' for t in OVERVIEW]
    body.append(f"<h3>{e(report.titles['二'])}</h3>")
    body.append(_html_table(report.table_2, repeat_merged=True))  # the CMS lost 表二's merges
    body += [f'<p style="text-indent:2em">{e(t)}</p>' for t in NOTES_UNDER_TABLE_2]
    body.append(f"<h3>{e(report.titles['三'])}</h3>")
    body += [_html_table(part) for part in report.table_3_parts[:1]]
    body.append(_html_table(TABLE_3_HEADER[:0] + report.table_3_parts[1][len(TABLE_3_HEADER):]) if len(report.table_3_parts) > 1 else "")
    body.append(f"<h3>{e(report.titles['四'])}</h3>")
    body.append(_html_table(report.table_4, repeat_merged=True))
    body.append(f"<p><strong>{e(report.titles['五'])}</strong></p>")
    body += [f'<p style="text-indent:2em">{e(t)}</p>' for t in PROBLEMS]
    body.append(f"<p><strong>{e(report.titles['六'])}</strong></p>")
    body += [f"<p>{e(t)}</p>" for _, t in OTHER]
    body += [f'<p style="text-align:right">{e(line)}</p>' for line in SIGNATURE]
    charset = "gb2312" if encoding == "gb18030" else encoding
    page = f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{e(ISSUER)}{YEAR}年政府信息公开工作年度报告_淄博市人民政府</title>
<script>var _hmt = _hmt || []; document.write("统计代码");</script>
<style>.nav li {{ display: inline }}</style></head>
<body>
<div class="header"><div class="logo">淄博市人民政府</div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li><li><a href="/nb">政府信息公开年报</a></li><li>一、总体情况</li></ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政府信息公开</a> &gt; 年度报告</div>
<table class="layout" width="1000"><tr><td class="left-column">
<table class="xxgk-meta"><tr><td>索引号：</td><td>11370300004317578F/2025-00012</td><td>发布机构：</td><td>{e(ISSUER)}</td></tr>
<tr><td>成文日期：</td><td>2025-01-20</td><td>发布日期：</td><td>2025-01-21</td></tr></table>
<div class="article"><h1 class="title">{e(ISSUER)}{YEAR}年政府信息公开工作年度报告</h1>
<div class="info">发布时间：2025-01-21 浏览次数：1234 字号：[大 中 小]</div>
<div class="content">
{chr(10).join(body)}
</div>
<div class="tools">【打印本页】 【关闭窗口】 分享到：微信 微博</div></div>
</td></tr></table>
<div class="footer"><p>主办：淄博市人民政府办公室 承办：淄博市大数据局</p><p>网站标识码：3703000001 鲁ICP备05016011号</p><p>— 1 —</p></div>
</body></html>"""
    path.write_bytes(page.encode(encoding))
    return path


def _html_table(rows: list[Row], repeat_merged: bool = False) -> str:
    """An HTML table; `repeat_merged` writes a merged header as the CMS does when it loses the
    merge: its text in every cell it covered."""
    e = html.escape
    if repeat_merged:
        placed, width = _positions(rows)
        grid = [[""] * width for _ in rows]
        for text, r, c, rowspan, colspan in placed:
            for rr in range(r, r + rowspan):
                for cc in range(c, c + colspan):
                    grid[rr][cc] = text
        lines = ["<tr>" + "".join(f"<td>{e(t).replace(chr(10), '<br>')}</td>" for t in row) + "</tr>" for row in grid]
    else:
        lines = []
        for row in rows:
            cells = "".join(
                f"<td rowspan=\"{rowspan}\" colspan=\"{colspan}\">{e(text).replace(chr(10), '<br/>')}</td>"
                for text, rowspan, colspan in row
            )
            lines.append(f"<tr>{cells}</tr>")
    return '<table border="1" cellspacing="0">' + "".join(lines) + "</table>"
