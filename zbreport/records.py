"""Records: frozen dataclasses, cheap to create, without the dataclasses module.

The model, the format and the checks hold some sixty frozen classes, created on every start.
`dataclasses` costs a start twice: importing it loads `inspect` (with `ast`, `dis`, `tokenize`),
and each class it makes compiles six functions and builds its fields through general machinery.
A record's class compiles only its `__init__`, which sets each field as a frozen dataclass's
does; equality, hash, repr and order are shared functions that read the class's fields when
called, and behave as dataclass's own: equal when of the same class with equal compared fields,
hashed over them, shown with the fields that `repr`, ordered by them with `order=True`. Frozen
as a dataclass is, but for one thing: a record refuses to set a field again, where a frozen
dataclass also refuses new attributes that are no field.

`field` and `replace` are dataclass's, for records: what a class body and the code use.
"""

from __future__ import annotations

from typing import Any, Callable, TypeVar, dataclass_transform

T = TypeVar("T", bound=type)


class FrozenInstanceError(AttributeError):
    """A record's field assigned or deleted after `__init__`."""


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
_FACTORY: Any = _Missing()  # in a signature: "call this field's default_factory"


class Field:
    """One field of a record: as `dataclasses.Field`, the parts records use."""

    __slots__ = ("name", "default", "default_factory", "compare", "hash", "repr")

    def __init__(self, default: Any, default_factory: Any, compare: bool, hash: bool | None, repr: bool) -> None:
        if default is not MISSING and default_factory is not MISSING:
            raise ValueError("cannot specify both default and default_factory")
        self.name = ""
        self.default = default
        self.default_factory = default_factory
        self.compare = compare
        self.hash = hash
        self.repr = repr

    def __repr__(self) -> str:
        return f"Field(name={self.name!r}, default={self.default!r}, default_factory={self.default_factory!r})"


def field(
    *, default: Any = MISSING, default_factory: Any = MISSING, compare: bool = True, hash: bool | None = None, repr: bool = True
) -> Any:
    """A field with a default, a factory or other options, as `dataclasses.field`."""
    return Field(default, default_factory, compare, hash, repr)


def fields(obj: object) -> tuple[Field, ...]:
    """A record's (or record class's) fields in order."""
    cls = obj if isinstance(obj, type) else obj.__class__
    try:
        return cls.__record_fields__  # type: ignore[attr-defined]
    except AttributeError:
        raise TypeError(f"{cls.__qualname__} is not a record") from None


def is_record(cls: type) -> bool:
    """Whether instances of `cls` are records: made by `@record`, or a subclass of such a class
    that adds no field (the narrative's marks: Strong, Emph, … are Containers)."""
    return isinstance(cls, type) and hasattr(cls, "__record_fields__")


def replace(obj: T, /, **changes: Any) -> T:
    """A copy of `obj` with some fields changed, as `dataclasses.replace`."""
    for f in fields(obj):
        if f.name not in changes:
            changes[f.name] = getattr(obj, f.name)
    return obj.__class__(**changes)


def _values(obj: object, names_attribute: str) -> tuple:
    return tuple([getattr(obj, name) for name in getattr(obj.__class__, names_attribute)])


def _eq(self: object, other: object) -> bool:
    if other.__class__ is not self.__class__:
        return NotImplemented
    return _values(self, "__record_compared__") == _values(other, "__record_compared__")


def _hash(self: object) -> int:
    return hash(_values(self, "__record_hashed__"))


def _repr(self: object) -> str:
    shown = (f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.repr)
    return f"{self.__class__.__qualname__}({', '.join(shown)})"


def _ordering(compare: Callable[[tuple, tuple], bool]) -> Callable[[object, object], bool]:
    def method(self: object, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return compare(_values(self, "__record_compared__"), _values(other, "__record_compared__"))

    return method


_ORDER = {
    "__lt__": _ordering(lambda a, b: a < b),
    "__le__": _ordering(lambda a, b: a <= b),
    "__gt__": _ordering(lambda a, b: a > b),
    "__ge__": _ordering(lambda a, b: a >= b),
}


def _set_once(self: object, name: str, value: object) -> None:
    """A field is set by `__init__` (or `__post_init__`), once; a second assignment is refused."""
    if name in self.__dict__:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")
    object.__setattr__(self, name, value)


def _no_delete(self: object, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _is_class_var(annotation: object) -> bool:
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__qualname__", "")
    return isinstance(text, str) and text.replace("typing.", "").startswith("ClassVar")


def _fields_of(cls: type) -> tuple[Field, ...]:
    """The fields of `cls`: its record bases' first, then its own annotations in order, each
    taking its default from the class body (a value or a `field(...)`), as dataclass does."""
    found: dict[str, Field] = {}
    for base in cls.__mro__[-1:0:-1]:
        for f in base.__dict__.get("__record_fields__", ()):
            found[f.name] = f
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():
        if _is_class_var(annotation):
            continue
        value = cls.__dict__.get(name, MISSING)
        made = value if isinstance(value, Field) else Field(value, MISSING, True, None, True)
        made.name = name
        if isinstance(value, Field):
            if made.default is MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, made.default)
        found[name] = made
    return tuple(found.values())


def _init(cls: type, own: tuple[Field, ...]) -> Callable:
    """`__init__` compiled for these fields: positional or keyword, defaults and factories, each
    field set as a frozen dataclass sets it; then `__post_init__` if the class has one."""
    scope: dict[str, Any] = {"_set": object.__setattr__, "_FACTORY": _FACTORY}
    parameters, lines, defaulted = [], [], False
    for f in own:
        if f.default is not MISSING:
            scope[f"_d_{f.name}"] = f.default
            parameters.append(f"{f.name}=_d_{f.name}")
            defaulted = True
        elif f.default_factory is not MISSING:
            scope[f"_f_{f.name}"] = f.default_factory
            parameters.append(f"{f.name}=_FACTORY")
            lines.append(f"    if {f.name} is _FACTORY: {f.name} = _f_{f.name}()")
            defaulted = True
        elif defaulted:
            raise TypeError(f"non-default argument {f.name!r} follows default argument")
        else:
            parameters.append(f.name)
        lines.append(f"    _set(self, {f.name!r}, {f.name})")
    if hasattr(cls, "__post_init__"):
        lines.append("    self.__post_init__()")
    source = f"def __init__(self, {', '.join(parameters)}):\n" + ("\n".join(lines) or "    pass") + "\n"
    exec(compile(source, f"<record {cls.__qualname__}>", "exec"), scope)
    function = scope["__init__"]
    function.__qualname__ = f"{cls.__qualname__}.__init__"
    return function


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: T | None = None, *, eq: bool = True, order: bool = False, frozen: bool = True) -> Any:
    """`@record` as `@dataclass(frozen=True)`; `@record(order=True)` as `order=True`;
    `@record(eq=False)` keeps identity for equality and hash, as dataclass's `eq=False`;
    `@record(frozen=False)` as a plain `@dataclass`: fields may be set again, and equal records
    are not hashable."""

    def make(cls: T) -> T:
        written = set(vars(cls))  # a method the class writes itself stays, as with dataclass
        own = _fields_of(cls)
        cls.__record_fields__ = own  # type: ignore[attr-defined]
        cls.__record_compared__ = tuple(f.name for f in own if f.compare)  # type: ignore[attr-defined]
        cls.__record_hashed__ = tuple(  # type: ignore[attr-defined]
            f.name for f in own if (f.compare if f.hash is None else f.hash)
        )
        cls.__match_args__ = tuple(f.name for f in own)  # type: ignore[attr-defined]
        shared: dict[str, Any] = {"__init__": _init(cls, own), "__repr__": _repr}
        if frozen:
            shared |= {"__setattr__": _set_once, "__delattr__": _no_delete}
        if eq:
            shared |= {"__eq__": _eq, "__hash__": _hash if frozen else None}
        if order:
            shared |= _ORDER
        for name, method in shared.items():
            if name not in written:
                setattr(cls, name, method)
        return cls

    return make if cls is None else make(cls)
