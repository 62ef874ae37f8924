"""The Chinese words a clerk writes: report.yaml's keys, which are also the placeholders' names,
and the placeholder functions. Written once here; the loader, placeholders, new projects and the
template all read them."""

from __future__ import annotations

import re

# report.yaml
ISSUER = "机关全称"
YEAR = "年度"
CONTACT = "联系方式"
CONTACT_KEYS = ("地址", "邮编", "电话", "电子邮箱", "网址")  # printed in this order, then any others
INTRO = "导语"
DATE = "成文日期"
PERCENT = "百分比"  # {小数位数: 2, 取舍: 截断 | 四舍五入}
DIGITS = "小数位数"
MODE = "取舍"
PREVIOUS = "上年"  # last year's project folder, or a file of last year's figures
TEMPLATE = "模板"  # the agency's Word template
TITLE = "标题"  # the report's title, when it is not 2024年政府信息公开工作年度报告; also a placeholder
SECTIONS = "章节"  # the report's own sections, in order: a list of {标题, 文件, 表格}
SECTION_TITLE = "标题"
SECTION_FILE = "文件"  # in sections/
SECTION_TABLE = "表格"  # 表二, 表三 or 表四
MEMBERS = "汇总"  # a summary's member projects, as `zbreport summary` lists them: [{机关全称, 项目}, …]
MEMBER_PROJECT = "项目"
METADATA_KEYS = (ISSUER, YEAR, TITLE, CONTACT, DATE, INTRO, PERCENT, PREVIOUS, TEMPLATE, SECTIONS, MEMBERS)

# placeholders: names computed from report.yaml, and the functions
CHANGE = "同比"
SHARE = "占比"
FUNCTIONS = (PREVIOUS, CHANGE, SHARE)  # 上年(x) reads last year, as report.yaml's 上年 names it
ROUNDING_WORDS = {"截断": "truncate", "四舍五入": "round"}

# new projects: the mark on a section copied from last year's report, until it is rewritten
DRAFT = "草稿"
DRAFT_MARKER = re.compile(rf"<!--\s*{DRAFT}")
