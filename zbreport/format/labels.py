"""Reading a label as someone wrote it: which official label it means, or why it means none.

Real reports write the same label many ways: sub-rows numbered `1.`, `1、`, `1．`, `（1）` or
`(1)`; half-width brackets; spaces and line breaks left by wrapping; “”, "" or no quotes;
、 or ，; a parenthetical such as （二）'s “（区分处理的，只计这一情形，不计其他情形）” kept or
left out; a few words the format's own history allows (规范性文件 for 行政规范性文件). All of
these are the same label. A label with a character or two lost or changed but still closest to
one official label by a clear margin is *damaged*: it can be read, but the reader should say so.
Anything else is unknown, or ambiguous between several labels.

A published table may also run a group label into the cell of the row under it
("（三）不予公开1.属于国家秘密", where the merge was lost): given the `parents` that may stand
before a label, the rest of the cell is read.

The functions are pure, over the labels that may stand at one place of a table (the
`candidates`) and the format's data passed in: a table file's loader and an importer of
published reports use them alike, and say what they found in the same words
(`damaged_warning`, `unknown_error`).
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from typing import Iterable, Literal, Mapping

from ..records import record


ReadingKind = Literal["same", "damaged", "unknown", "ambiguous"]

# A damaged label must be this close to its official one (difflib's ratio over the words,
# numbering and punctuation aside) and this much closer than to any other candidate.
DAMAGED_AT_LEAST = 0.7
DAMAGED_MARGIN = 0.15
SUGGEST_AT_LEAST = 0.5  # below this an unknown label gets no "是否应为"


@record
class LabelReading:
    """What a written label was read as.

    same: `label` is the official label it means, written another way.
    damaged: `label` is the official label it is closest to, clearly; say so to the reader.
    unknown: no candidate fits; `candidates` holds the closest one, if any is close.
    ambiguous: several candidates fit equally; `candidates` holds them.
    """

    kind: ReadingKind
    written: str
    label: str | None = None
    candidates: tuple[str, ...] = ()

    @property
    def accepted(self) -> bool:
        return self.kind in ("same", "damaged")


@record
class LabelKey:
    """A label taken apart: its numbering's value, its words, and its words without a final parenthetical."""

    number: int | None
    words: str
    short: str


_INVISIBLE = re.compile(r"[\s\u200b-\u200d\u2060\ufeff\"'“”‘’「」『』]")
_CIRCLED = {chr(0x2460 + i): f"({i + 1})" for i in range(20)}  # ① … ⑳
_CHINESE_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九", start=0)}
_NUMERAL = r"(?:[一二三四五六七八九十]+|\d+)"
_NUMBERING = re.compile(rf"^(?:\(({_NUMERAL})\)|({_NUMERAL})[、.,)])")
_PUNCTUATION = re.compile(r"[()\[\]【】〔〕<>《》、,，.。:：;；!！?？·•・\-—–_/／]")


def _chinese_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if "十" not in text:
        return int("".join(str(_CHINESE_DIGITS[c]) for c in text))
    tens, _, ones = text.partition("十")
    return (_CHINESE_DIGITS[tens] if tens else 1) * 10 + (_CHINESE_DIGITS[ones] if ones else 0)


def fold(text: str) -> str:
    """The label with width, spacing and quote variants folded: full-width → half-width, no spaces or quotes."""
    text = "".join(_CIRCLED.get(c, c) for c in text)
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))


@functools.lru_cache(maxsize=4096)
def label_key(text: str) -> LabelKey:
    folded = fold(text)
    number = None
    match = _NUMBERING.match(folded)
    if match:
        number = _chinese_number(match.group(1) or match.group(2))
        folded = folded[match.end() :]
    short = folded
    if folded.endswith(")") and "(" in folded[1:]:
        short = folded[: folded.rindex("(")]
    return LabelKey(number, _PUNCTUATION.sub("", folded), _PUNCTUATION.sub("", short))


def _same(written: LabelKey, official: LabelKey, aliases: tuple[str, ...]) -> bool:
    words = {official.words, official.short} | {label_key(a).words for a in aliases}
    return written.words in words and (written.number is None or written.number == official.number)


def _closeness(written: LabelKey, official: LabelKey) -> float:
    ratio = max(
        difflib.SequenceMatcher(None, written.words, official.words).ratio(),
        difflib.SequenceMatcher(None, written.words, official.short).ratio() if official.short else 0.0,
    )
    if written.number is not None and official.number is not None:
        ratio += 0.1 if written.number == official.number else -0.1
    return ratio


def read_label(
    written: str,
    candidates: Iterable[str],
    aliases: Mapping[str, tuple[str, ...]] | None = None,
    parents: Iterable[str] = (),
) -> LabelReading:
    """The official label among `candidates` that `written` means (see the module's docstring).

    `aliases`: other wordings of an official label that mean it exactly (a format's `aliases`).
    `parents`: group labels that may be written before the label in the same cell.
    """
    candidates = list(dict.fromkeys(candidates))  # a label repeated under several groups is one label here
    reading = _read(written, candidates, aliases or {})
    rest = _after_parents(written, parents) if reading.kind != "same" else None
    if rest is None:
        return reading
    inner = _read(rest, candidates, aliases or {})
    if inner.kind == "same" or (inner.accepted and not reading.accepted):
        return LabelReading(inner.kind, written, inner.label, inner.candidates)
    return reading


def _read(written: str, candidates: list[str], aliases: Mapping[str, tuple[str, ...]]) -> LabelReading:
    official = {c: label_key(c) for c in candidates}
    key = label_key(written)
    same = [c for c, k in official.items() if _same(key, k, aliases.get(c, ()))]
    if len(same) > 1:  # the numbering, or its absence, tells apart labels with the same words (3.其他, 其他)
        same = [c for c in same if official[c].number == key.number] or same
    if len(same) == 1:
        return LabelReading("same", written, same[0])
    if len(same) > 1:
        return LabelReading("ambiguous", written, None, tuple(same))
    if not key.words:
        return LabelReading("unknown", written)
    ranked = sorted(((_closeness(key, k), c) for c, k in official.items()), key=lambda x: -x[0])
    if not ranked:
        return LabelReading("unknown", written)
    best_score, best = ranked[0]
    runner_up = ranked[1][0] if len(ranked) > 1 else 0.0
    if best_score >= DAMAGED_AT_LEAST:
        if best_score - runner_up >= DAMAGED_MARGIN:
            return LabelReading("damaged", written, best)
        close = tuple(c for score, c in ranked if best_score - score < DAMAGED_MARGIN)
        return LabelReading("ambiguous", written, None, close)
    return LabelReading("unknown", written, None, (best,) if best_score >= SUGGEST_AT_LEAST else ())


def _after_parents(written: str, parents: Iterable[str]) -> str | None:
    """What follows the group labels `written` opens with (numbered or not), or None if it opens with none."""
    prefixes = set()
    for parent in parents:
        folded = fold(parent)
        prefixes.add(folded)
        numbering = _NUMBERING.match(folded)
        if numbering and numbering.end() < len(folded):
            prefixes.add(folded[numbering.end() :])
    rest = fold(written)
    cut = True
    while cut:
        cut = False
        for prefix in sorted(prefixes, key=len, reverse=True):
            if prefix and rest.startswith(prefix) and len(rest) > len(prefix):
                rest, cut = rest[len(prefix) :], True
                break
    return rest if rest != fold(written) else None


def damaged_warning(reading: LabelReading) -> str:
    """What a reader says about a damaged label it read as the official one."""
    return f"“{reading.written}”按“{reading.label}”读取，请核对并改正标签"


def unknown_error(reading: LabelReading) -> str:
    """What a reader says about a label it cannot read: the labels it may be, or the closest one."""
    message = f"无法识别“{reading.written}”"
    if reading.kind == "ambiguous":
        return message + "：可能是" + "、".join(f"“{c}”" for c in reading.candidates) + "，请写明是哪一项"
    if reading.candidates:
        return message + f"，是否应为“{reading.candidates[0]}”？"
    return message


def superseded(written: str, labels: Mapping[str, str]) -> str | None:
    """What the format has instead, for a label only a superseded format used (a format's
    `superseded`: label → what replaced it); else None."""
    words = label_key(written).words
    return next((message for label, message in labels.items() if label_key(label).words == words), None)


def likeness(written: str, label: str) -> float:
    """How alike two labels are, numbering and punctuation aside: 0 to about 1."""
    return _closeness(label_key(written), label_key(label))


def closest(written: str, candidates: Iterable[str]) -> str | None:
    """The candidate most like `written`, if any is alike enough to suggest."""
    key = label_key(written)
    scored = [(_closeness(key, label_key(c)), c) for c in candidates]
    score, best = max(scored, default=(0.0, None))
    return best if score >= SUGGEST_AT_LEAST else None
