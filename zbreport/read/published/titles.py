"""The words of a published report that say what it is: its title, its section titles, its
heading numbers, the contact details of its 导语 and the date it was signed.

Pure functions on text; tolerant of how real reports write them (long 条例-style titles,
numbering missing or doubled, typos), and explicit about what they found.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from ...records import record
from ...format import Format, SectionForm
from ...words import CONTACT_KEYS

_CHINESE_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0", "Ｏ": "0", "O": "0"}
_YEAR = r"(\d{4}|[〇○零一二三四五六七八九]{4})"
_TITLE = re.compile(_YEAR + r"\s*年\s*度?\s*(?:的\s*)?政\s*府\s*信\s*息\s*公\s*开\s*(?:工\s*作\s*)?(?:年\s*度\s*)?(?:工\s*作\s*)?报\s*告")
_TITLE_WITHOUT_YEAR = re.compile(r"政府信息公开\s*(?:工作)?\s*年度\s*报告")
MAX_TITLE_CHARS = 80


def chinese_year(text: str) -> int:
    return int("".join(_CHINESE_DIGITS.get(c, c) for c in text))


@record
class Title:
    issuer: str
    year: int
    text: str  # the title as published, both lines joined
    blocks: int  # how many blocks it took (1, or 2 when the issuer stands on its own line)
    wording: str  # the title after the issuer: "2024年政府信息公开工作年度报告", or as it was written


def find_title(texts: list[str]) -> Title | None:
    """The report's title among the first blocks: "机关全称" / "YYYY年政府信息公开工作年度报告",
    on one line or two, or one long title wrapped over two lines (a PDF's)."""
    for i, text in enumerate(texts):
        title = _title_in("".join(text.split()))
        if title is None:
            continue
        if not title.issuer and i > 0:
            before = "".join(texts[i - 1].split())
            if 0 < len(before) <= 40 and not re.search(r"[。；！？]", before):
                return Title(before, title.year, before + "\n" + title.text, 2, title.wording)
        return title
    for first, second in zip(texts, texts[1:]):
        if max(len(first), len(second)) <= 40:
            title = _title_in("".join((first + second).split()))
            if title is not None and title.issuer:
                return Title(title.issuer, title.year, title.text, 2, title.wording)
    return None


def _title_in(flat: str) -> Title | None:
    if len(flat) > MAX_TITLE_CHARS:
        return None
    match = _TITLE.search(flat)
    if not match:
        return None
    year = chinese_year(match.group(1))
    if not 1990 <= year <= 2200:
        return None
    issuer = re.sub(r"(关于|的)$", "", flat[: match.start()]).strip("：:")
    return Title(issuer, year, flat, 1, flat[match.start():])


def mentions_report_title(text: str) -> bool:
    return bool(_TITLE_WITHOUT_YEAR.search("".join(text.split())))


# ---------------------------------------------------------------- sections

_SECTION_NUMBER = re.compile(r"^(?:第?([一二三四五六七八九十]+)(?:部分)?[、.．，,:：\s]|([一二三四五六七八九十]+)$)")
_SUB_NUMBERING = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．]|[①-⑳])")
_TRAILING = re.compile(r"[。：:；;，,\s]+$")
MAX_SECTION_TITLE_CHARS = 50


@record
class SectionTitle:
    form: SectionForm
    score: float
    numbered: str  # the number it was written with, "" for none


def _core(text: str) -> tuple[str, str]:
    """The title without numbering (doubled numbering included), and the first number written."""
    flat = _TRAILING.sub("", unicodedata.normalize("NFKC", "".join(text.split())).replace("(", "（").replace(")", "）"))
    flat = flat.replace(",", "、").replace("，", "、")
    first = ""
    while True:
        match = _SECTION_NUMBER.match(flat)
        if not match or match.end() == 0:
            break
        first = first or (match.group(1) or match.group(2) or "")
        flat = flat[match.end():].lstrip("、.．:：")
    return flat, first


def title_words(text: str) -> str:
    """A section title without its numbering: "一、主动公开政府信息情况" → "主动公开政府信息情况"."""
    return _core(text)[0]


def section_title(text: str, fmt: Format) -> SectionTitle | None:
    """The official section a heading names, if it names one clearly enough."""
    flat = "".join(text.split())
    if not flat or len(flat) > MAX_SECTION_TITLE_CHARS or _SUB_NUMBERING.match(unicodedata.normalize("NFKC", flat)):
        return None
    if flat.endswith("。") and re.search(r"[，,]", flat):
        return None  # a sentence, not a title
    core, number = _core(flat)
    if len(core) < 2 or re.search(r"[。；]", core):
        return None
    best: SectionTitle | None = None
    for form in fmt.sections:
        official = form.title.split("、", 1)[1]
        score = 0.0
        for variant in (official,) + fmt.section_title_variants.get(form.number, ()):
            v = variant.replace("，", "、")
            ratio = difflib.SequenceMatcher(None, core, v).ratio()
            if 0.6 * len(v) <= len(core) <= len(v) + 8 and (v in core or core in v):
                ratio = max(ratio, 0.9)
            score = max(score, ratio)
        if number == form.number:
            score += 0.1
        if score >= 0.62 and (best is None or score > best.score):
            best = SectionTitle(form, score, number)
    return best


def choose_sections(candidates: list[tuple[int, SectionTitle]], fmt: Format) -> list[tuple[int, SectionTitle]]:
    """The candidates that are the report's section titles: in the official order, best in total.

    A phrase that happens to read like a later section's title (in a table of contents, or a
    sub-heading) must not make the real titles before it unreachable, so this weighs every
    increasing choice rather than taking the first match.
    """
    order = {form.number: i for i, form in enumerate(fmt.sections)}
    n = len(candidates)
    best = [c[1].score for c in candidates]
    back = [-1] * n
    for j in range(n):
        for i in range(j):
            if order[candidates[i][1].form.number] < order[candidates[j][1].form.number]:
                if best[i] + candidates[j][1].score > best[j]:
                    best[j] = best[i] + candidates[j][1].score
                    back[j] = i
    if not n:
        return []
    j = max(range(n), key=lambda k: best[k])
    chosen = []
    while j >= 0:
        chosen.append(candidates[j])
        j = back[j]
    return chosen[::-1]


# ---------------------------------------------------------------- headings inside sections

_LEVELS = (
    (re.compile(r"^[一二三四五六七八九十]+、"), 1),
    (re.compile(r"^（[一二三四五六七八九十]+）"), 2),
    (re.compile(r"^\d{1,2}(?:[.．、](?!\d))"), 3),
    (re.compile(r"^（\d{1,2}）"), 4),
)


def numbering_level(text: str) -> int:
    """The 公文 level its numbering gives a heading: 一、 1, （一） 2, 1. 3, （1） 4; 0 for none."""
    flat = text.lstrip().replace("(", "（").replace(")", "）")
    for pattern, level in _LEVELS:
        if pattern.match(flat):
            return level
    return 0


_LEAD = re.compile(r"^(.{2,36}?[。：:])(?=\S)", re.S)


def run_in_heading(text: str) -> str:
    """"（一）主动公开方面。一是……" opens with a run-in heading: its numbered first sentence, if short."""
    if not numbering_level(text) or numbering_level(text) == 1:
        return ""
    match = _LEAD.match(text)
    if not match or re.search(r"[，,；;]", match.group(1)):
        return ""
    return match.group(1)


def standalone_heading(text: str) -> int:
    """The level of a short numbered line that stands alone as a heading; 0 if it reads as a sentence."""
    flat = text.strip()
    level = numbering_level(flat)
    if not level or len(flat) > 40 or "\n" in flat or re.search(r"[，,；;]", flat) or flat.endswith(("。", "；")):
        return 0
    if re.search(r"[。：:]", flat[:-1]):
        return 0
    return level


# ---------------------------------------------------------------- 导语 and signature

_CONTACT_ALIASES = {
    "地址": ("地址", "通讯地址", "联系地址", "办公地址"),
    "邮编": ("邮编", "邮政编码"),
    "电话": ("电话", "联系电话", "咨询电话"),
    "电子邮箱": ("电子邮箱", "电子信箱", "邮箱", "电子邮件", "Email", "E-mail"),
    "网址": ("网址", "网站", "网站地址"),
}
_CONTACT_LABEL = "|".join(sorted((a for names in _CONTACT_ALIASES.values() for a in names), key=len, reverse=True))
_CONTACT = re.compile(rf"({_CONTACT_LABEL}|传真)\s*[:：]\s*([^；;，,。）)\s]+(?:[ -][^；;，,。）)\s]+)*)", re.I)


def contact_details(text: str) -> tuple[tuple[str, str], ...]:
    """(label, value) pairs of the contact details an introduction gives, under report.yaml's labels."""
    found: dict[str, str] = {}
    for match in _CONTACT.finditer(text):
        alias, value = match.group(1), match.group(2).strip()
        label = next((key for key, names in _CONTACT_ALIASES.items() if alias.lower() in (n.lower() for n in names)), alias)
        found.setdefault(label, value)
    order = {k: i for i, k in enumerate(CONTACT_KEYS)}
    return tuple(sorted(found.items(), key=lambda kv: order.get(kv[0], len(order))))


_DATE = re.compile(r"^(\d{4}|[〇○零一二三四五六七八九]{4})\s*年\s*([\d一二三四五六七八九十]{1,3})\s*月\s*([\d一二三四五六七八九十]{1,3})\s*日$")


def _small_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + int(_CHINESE_DIGITS[text[1]])
    if "十" in text:
        tens, _, ones = text.partition("十")
        return int(_CHINESE_DIGITS[tens]) * 10 + (int(_CHINESE_DIGITS[ones]) if ones else 0)
    return int(_CHINESE_DIGITS.get(text, "0"))


def signing_date(text: str) -> tuple[int, int, int] | None:
    """A line that is only a date, as under a signature: 2025年1月20日, 二〇二五年一月二十日."""
    match = _DATE.match("".join(text.split()))
    if not match:
        return None
    year, month, day = chinese_year(match.group(1)), _small_number(match.group(2)), _small_number(match.group(3))
    if 1990 <= year <= 2200 and 1 <= month <= 12 and 1 <= day <= 31:
        return year, month, day
    return None
