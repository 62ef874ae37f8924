"""Records behave as the frozen dataclasses they replace: equality, hash, repr, order, immutability."""

from __future__ import annotations

import dataclasses
from dataclasses import field
from pathlib import Path

import pytest

from zbreport.diagnostics import Location
from zbreport.model import Emph, Placeholder, Strong, Text
from zbreport.records import record


@record
class Pair:
    """Two values and a note that does not count."""

    first: int
    second: str = ""
    note: str = field(default="", compare=False, repr=False)


@dataclasses.dataclass(frozen=True)
class PairAsDataclass:
    """The same, as a frozen dataclass."""

    first: int
    second: str = ""
    note: str = field(default="", compare=False, repr=False)


def test_a_record_compares_hashes_and_shows_as_a_frozen_dataclass():
    for made in (Pair, PairAsDataclass):
        a, b, c = made(1, "x", note="甲"), made(1, "x", note="乙"), made(2, "x")
        assert a == b and hash(a) == hash(b) and a != c
        assert a != (1, "x")
        with pytest.raises(dataclasses.FrozenInstanceError):
            a.first = 3  # type: ignore[misc]
        with pytest.raises(dataclasses.FrozenInstanceError):
            del a.second  # type: ignore[misc]
        assert (a.first, a.second) == (1, "x")
        assert dataclasses.replace(a, first=2) == c
    assert Pair(1, "x") != PairAsDataclass(1, "x")
    assert repr(Pair(1, "x", note="甲")) == repr(PairAsDataclass(1, "x", note="甲")).replace("PairAsDataclass", "Pair")


def test_nodes_of_different_kinds_are_not_equal():
    children = (Text("重点"),)
    assert Strong(children) == Strong(children) and Strong(children) != Emph(children)
    assert repr(Strong(children)) == "Strong(children=(Text(text='重点'),))"
    assert Placeholder("{{ a }}", Location(Path("a.md"), 1)) == Placeholder("{{ a }}", None)  # location not compared


def test_locations_order_by_path_line_column():
    here = [Location(Path("b.md"), 1), Location(Path("a.md"), 2, 5), Location(Path("a.md"), 2, 1)]
    assert sorted(here) == [Location(Path("a.md"), 2, 1), Location(Path("a.md"), 2, 5), Location(Path("b.md"), 1)]
    with pytest.raises(TypeError):
        _ = Location(Path("a.md")) < Text("a")  # type: ignore[operator]
