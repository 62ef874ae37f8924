"""Records: frozen dataclasses whose comparison, hash and repr are written once, here.

For each frozen dataclass Python 3.11 writes and compiles six functions as it creates the class
(`__init__`, `__repr__`, `__eq__`, `__hash__`, `__setattr__`, `__delattr__`), and the model, the
format and the checks hold some sixty, created on every start. A record's class compiles only the
three that must know its fields; the other three are the shared functions below, which read the
fields when called and behave as dataclass's own: equal when of the same class with equal
compared fields, hashed over them, shown with the fields that `repr`. Importing the command line
took 10 ms less (benchmarks/README.md); no command compares or hashes records in a hot loop.
"""

from __future__ import annotations

from dataclasses import Field, dataclass, fields
from typing import Any, Callable, TypeVar, dataclass_transform

T = TypeVar("T", bound=type)


def _compares(f: Field) -> bool:
    return f.compare


def _hashes(f: Field) -> bool:
    return f.compare if f.hash is None else f.hash


def _shows(f: Field) -> bool:
    return f.repr


_NAMES: dict[tuple[Callable[[Field], bool], type], tuple[str, ...]] = {}


def _values(obj: object, wanted: Callable[[Field], bool]) -> tuple:
    key = (wanted, obj.__class__)
    names = _NAMES.get(key)
    if names is None:
        names = _NAMES[key] = tuple(f.name for f in fields(obj) if wanted(f))
    return tuple([getattr(obj, name) for name in names])


def _eq(self: object, other: object) -> bool:
    if other.__class__ is not self.__class__:
        return NotImplemented
    return _values(self, _compares) == _values(other, _compares)


def _hash(self: object) -> int:
    return hash(_values(self, _hashes))


def _repr(self: object) -> str:
    shown = (f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.repr)
    return f"{self.__class__.__qualname__}({', '.join(shown)})"


def _ordering(compare: Callable[[tuple, tuple], bool]) -> Callable[[object, object], bool]:
    def method(self: object, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return compare(_values(self, _compares), _values(other, _compares))

    return method


_ORDER = {
    "__lt__": _ordering(lambda a, b: a < b),
    "__le__": _ordering(lambda a, b: a <= b),
    "__gt__": _ordering(lambda a, b: a > b),
    "__ge__": _ordering(lambda a, b: a >= b),
}


@dataclass_transform(frozen_default=True)
def record(cls: T | None = None, *, eq: bool = True, order: bool = False) -> Any:
    """`@record` as `@dataclass(frozen=True)`; `@record(order=True)` as `order=True`;
    `@record(eq=False)` keeps identity for equality and hash, as dataclass's `eq=False`."""

    def make(cls: T) -> T:
        written = set(vars(cls))  # a method the class writes itself stays, as with dataclass
        cls = dataclass(frozen=True, eq=False, repr=False)(cls)
        shared: dict[str, Callable] = {"__repr__": _repr}
        if eq:
            shared |= {"__eq__": _eq, "__hash__": _hash}
        if order:
            shared |= _ORDER
        for name, method in shared.items():
            if name not in written:
                setattr(cls, name, method)
        return cls

    return make if cls is None else make(cls)
