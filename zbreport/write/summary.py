"""The files of a summary project (全区/全市汇总): report.yaml listing the member projects, the
summed tables, the six sections with their guidance and a draft whose figures are placeholders,
and the members' figures as a workbook for the office's own use."""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..aggregate import Member
from ..format import CellKey, Format
from ..model import Number
from ..read.project import REPORT_FILE, SECTIONS_DIR, TABLES_DIR
from ..words import ISSUER, MEMBER_PROJECT, MEMBERS
from .project import Files, report_yaml, section_text, table_yaml

DETAIL_FILE = "各单位明细.xlsx"

# Drafts for the office to rewrite; every figure is a placeholder, so it follows the summed tables.
_DRAFTS = {
    "一": (
        "{{ 年度 }}年，……（请概述本地区政府信息公开工作的总体情况。本报告的统计数据由 {count} 个单位的"
        "年度报告汇总而成，名单见 report.yaml 的“汇总”。）\n\n"
        "## （一）主动公开方面。\n\n"
        "全年制发行政规范性文件{{ 表二·行政规范性文件·本年制发件数 }}件，废止{{ 表二·行政规范性文件·本年废止件数 }}件，"
        "现行有效{{ 表二·行政规范性文件·现行有效件数 }}件。……\n\n"
        "## （二）依申请公开方面。\n\n"
        "全年新收政府信息公开申请{{ 表三·本年新收·总计 }}件，上年结转{{ 表三·上年结转·总计 }}件；"
        "办结{{ 表三·（七）总计·总计 }}件，其中予以公开{{ 表三·予以公开·总计 }}件、部分公开{{ 表三·部分公开·总计 }}件；"
        "结转下年度继续办理{{ 表三·结转下年度·总计 }}件。因政府信息公开申请引发行政复议{{ 表四·行政复议·总计 }}件、"
        "行政诉讼{{ 表四·未经复议直接起诉·总计 + 表四·复议后起诉·总计 }}件。……\n"
    ),
}


def summary_project(
    target: Path, fmt: Format, issuer: str, year: int, members: list[Member], sums: dict[str, dict[CellKey, Number | str]], detail: bytes
) -> Files:
    here = target.resolve()
    listed = "\n".join(
        f"  - {{{ISSUER}: {json.dumps(m.issuer, ensure_ascii=False)}, "
        f"{MEMBER_PROJECT}: {json.dumps(Path(os.path.relpath(m.project.resolve(), here)).as_posix(), ensure_ascii=False)}}}"
        for m in members
    )
    files: Files = {
        REPORT_FILE: report_yaml(issuer, year)
        + f"# {MEMBERS}：本报告的三张统计表是以下 {len(members)} 个项目逐项相加之和（zbreport summary 生成，"
        f"各项目的明细见 {DETAIL_FILE}）；项目的数据改动后，请重新汇总。\n"
        + f"{MEMBERS}:\n{listed}\n",
        DETAIL_FILE: detail,
    }
    for form in fmt.sections:
        text = section_text(form.title, form.guidance)
        draft = _DRAFTS.get(form.number)
        if draft:
            text += "\n" + draft.replace("{count}", str(len(members)))
        files[f"{SECTIONS_DIR}/{form.file_name}"] = text
        if form.table:
            files[f"{TABLES_DIR}/{form.table.file_name}"] = table_yaml(form.table, sums[form.table.key])
    return files
