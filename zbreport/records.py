"""Records: frozen dataclasses, cheap to create.

For each frozen dataclass Python 3.11 writes and compiles six functions as it creates the class
(`__init__`, `__repr__`, `__eq__`, `__hash__`, `__setattr__`, `__delattr__`), and the model, the
format and the checks hold some sixty, created on every start. A record's class compiles only its
`__init__`; the others are the shared functions below, which read the class's fields when called
and behave as dataclass's own: equal when of the same class with equal compared fields, hashed
over them, shown with the fields that `repr`, ordered by them with `order=True`. Frozen as a
dataclass is, but for one thing: `__init__` sets each field once and nothing may set it again
(FrozenInstanceError), where a frozen dataclass also refuses new attributes that are no field.

Importing the command line took 20 ms less (benchmarks/README.md). No command compares or
hashes records in a hot loop; setting fields through `_set_once` costs a `check` about 1 ms.
"""

from __future__ import annotations

from dataclasses import Field, FrozenInstanceError, dataclass, fields
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


def _set_once(self: object, name: str, value: object) -> None:
    """`__init__` sets each field here, once; a second assignment is refused."""
    if name in self.__dict__:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")
    object.__setattr__(self, name, value)


def _no_delete(self: object, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


@dataclass_transform(frozen_default=True)
def record(cls: T | None = None, *, eq: bool = True, order: bool = False) -> Any:
    """`@record` as `@dataclass(frozen=True)`; `@record(order=True)` as `order=True`;
    `@record(eq=False)` keeps identity for equality and hash, as dataclass's `eq=False`."""

    def make(cls: T) -> T:
        written = set(vars(cls))  # a method the class writes itself stays, as with dataclass
        cls = dataclass(eq=False, repr=False)(cls)
        shared: dict[str, Callable] = {"__repr__": _repr, "__setattr__": _set_once, "__delattr__": _no_delete}
        if eq:
            shared |= {"__eq__": _eq, "__hash__": _hash}
        if order:
            shared |= _ORDER
        for name, method in shared.items():
            if name not in written:
                setattr(cls, name, method)
        return cls

    return make if cls is None else make(cls)
