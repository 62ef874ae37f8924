"""Records behave as the dataclasses they replace: equality, hash, repr, order, immutability,
defaults and factories, `replace`; and making one does not load the dataclasses module."""

from __future__ import annotations

import dataclasses
from dataclasses import field
from pathlib import Path

import pytest

from zbreport.diagnostics import Location
from zbreport.model import Emph, Placeholder, Strong, Text
from zbreport import records
from zbreport.records import record


@record
class Pair:
    """Two values and a note that does not count."""

    first: int
    second: str = ""
    note: str = records.field(default="", compare=False, repr=False)


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
        with pytest.raises(AttributeError):  # FrozenInstanceError, dataclasses' or records'
            a.first = 3  # type: ignore[misc]
        with pytest.raises(AttributeError):
            del a.second  # type: ignore[misc]
        assert (a.first, a.second) == (1, "x")
        assert (records.replace if made is Pair else dataclasses.replace)(a, first=2) == c
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


@record(frozen=False)
class Tally:
    """A mutable record, as a plain dataclass."""

    name: str
    counts: list = records.field(default_factory=list)
    total: int = 0


@dataclasses.dataclass
class TallyAsDataclass:
    name: str
    counts: list = field(default_factory=list)
    total: int = 0


def test_a_mutable_record_is_a_plain_dataclass():
    for made in (Tally, TallyAsDataclass):
        a, b = made("甲"), made("甲")
        assert a == b and a.counts is not b.counts, "a factory per record"
        a.total = 3
        a.counts.append(1)
        assert a != b and (a.total, a.counts) == (3, [1])
        with pytest.raises(TypeError):
            hash(a)
        with pytest.raises(TypeError):
            made()  # type: ignore[call-arg]
        with pytest.raises(TypeError):
            made("甲", [], 0, 1)  # type: ignore[call-arg]
        assert made(name="乙", total=2).total == 2
    assert repr(Tally("甲")) == "Tally(name='甲', counts=[], total=0)"


def test_fields_inherit_and_defaults_order_as_in_dataclasses():
    @record
    class Base:
        a: int
        b: int = 2

    @record
    class Child(Base):
        c: int = 3

    assert Child(1) == Child(1, 2, 3) and Child(1).c == 3 and [f.name for f in records.fields(Child)] == ["a", "b", "c"]
    assert Child.__match_args__ == ("a", "b", "c")
    with pytest.raises(TypeError):

        @record
        class Wrong:  # a field without a default after one with
            a: int = 1
            b: int

    with pytest.raises(TypeError):
        records.replace(Child(1), d=4)


def test_post_init_runs_after_the_fields_are_set():
    seen = []

    @record
    class Checked:
        value: int

        def __post_init__(self) -> None:
            seen.append(self.value)

    Checked(5)
    assert seen == [5]


def test_the_model_loads_without_the_dataclasses_module():
    import subprocess
    import sys

    probe = "import sys; import zbreport.model, zbreport.check.rules, zbreport.assemble; print('dataclasses' in sys.modules, 'inspect' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]
