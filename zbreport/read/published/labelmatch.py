"""Which official label a published label stands for.

Published copies write the official labels with variants (1、 for 1., half-width brackets,
quotes, spaces from line wrapping, numbering dropped, a parent label run into the cell) and
with typos. `match_label` is the one place the importer decides; the format layer's own
resolver can replace it without touching its callers.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable

from ...format import normalize_label

_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|（[一二三四五六七八九十\d]+）|\d+[.、])+")
_DIGIT_NUMBERING = re.compile(r"^(\d+)[、.]")


@dataclass(frozen=True)
class LabelMatch:
    label: str  # the official label
    exact: bool  # False: written differently enough that the reader should be told (a damaged label)


def label_key(text: str) -> str:
    """A label with the variants that mean the same folded away."""
    folded = normalize_label(unicodedata.normalize("NFKC", text))
    return _DIGIT_NUMBERING.sub(r"\1.", folded)


def label_core(text: str) -> str:
    """A label without its numbering: 1.属于国家秘密 → 属于国家秘密."""
    return _NUMBERING.sub("", label_key(text))


def match_label(text: str, labels: Iterable[str], fuzzy: float = 0.75) -> LabelMatch | None:
    """The one label of `labels` that `text` stands for; None when none or several fit."""
    labels = list(dict.fromkeys(labels))
    key, core = label_key(text), label_core(text)
    if not core:
        return None
    for same in (
        lambda label: label_key(label) == key,
        lambda label: label_core(label) == core,
        lambda label: len(key) > len(label_key(label)) and key.endswith(label_key(label)),
        lambda label: len(core) > len(label_core(label)) >= 2 and core.endswith(label_core(label)),
    ):
        found = [label for label in labels if same(label)]
        if len(found) == 1:
            return LabelMatch(found[0], True)
        if len(found) > 1:
            return None
    scored = sorted(
        ((difflib.SequenceMatcher(None, core, label_core(label)).ratio(), label) for label in labels), reverse=True
    )
    if scored and scored[0][0] >= fuzzy and (len(scored) == 1 or scored[1][0] < scored[0][0] - 0.08):
        return LabelMatch(scored[0][1], False)
    return None
