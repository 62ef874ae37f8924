"""A cache of what reading a project file produced, so that an unchanged project is read without
loading PyYAML or markdown-it (issue #13: a clerk runs `check` after every edit).

An entry holds what one reader made of one file and the findings it raised on the way, so a run
from the cache reports the same warnings at the same places. It is found by the file's bytes, its
path as findings show it, the reader (with its options), the format, and a stamp of the code: the
names, sizes and times of zbreport's own files and the contents of the parsers' `__init__.py`
(their versions), so that an edited reader or another PyYAML never gives an old result. Files a
reader looked at besides its own (a section's pictures) are fingerprinted in the entry and
compared before it is used.

Where: $ZBREPORT_CACHE_DIR, else the user's cache folder ($XDG_CACHE_HOME or ~/.cache, on Windows
%LOCALAPPDATA%) under zbreport; `ZBREPORT_CACHE_DIR=` (empty) turns the cache off.

The cache never changes what a command says or decides: a folder that cannot be made or written,
a damaged, truncated or foreign entry, another process writing the same entry: each means the
file is read as if there were no cache. Entries are written to a temporary file and renamed, so
a reader sees a whole entry or none.

Entries are pickles, since the results are the model's records (a few hundred small objects a
section) and pickle restores them faster than anything we would write. Unpickling can run code,
so an entry is loaded only from a folder the user owns and no one else may write to (checked on
POSIX; %LOCALAPPDATA% is the user's own on Windows), from a file the user owns, and only our own
records and enumerations and a few plain classes of the standard library are rebuilt: no function
is called. The font list (fonts.py) is kept here too, as text.
"""

from __future__ import annotations

import copyreg
import os
import pickle
import stat
import sys
import time
import zlib
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Callable, TypeVar

from . import files
from ..records import is_record
from ..diagnostics import Finding, InputError

if TYPE_CHECKING:
    from ..format import Format

T = TypeVar("T")

ENVIRONMENT = "ZBREPORT_CACHE_DIR"
LAYOUT = 1  # of an entry; a new one makes every old entry a miss
SUFFIX = ".entry"
KEEP = 3000  # entries: a project makes about ten, so some three hundred projects
PRUNE_EVERY = 3600  # seconds: the folder is looked over at most this often, when an entry is written
PARSERS = ("yaml", "markdown_it", "mdit_py_plugins")  # their versions change what a reader makes
# What an entry may hold besides zbreport's own classes.
_STANDARD = {("pathlib", "PosixPath"), ("pathlib", "WindowsPath"), ("pathlib", "Path"), ("decimal", "Decimal"),
             ("datetime", "date"), ("builtins", "set"), ("builtins", "frozenset")}


def reading(
    path: Path,
    kind: files.FileKind,
    reader: str,
    fmt: Format | None,
    read: Callable[[list[Finding]], T],
    findings: list[Finding],
) -> T:
    """What `read` makes of the file at `path`, and the findings it raises (added to `findings`),
    from the cache when the same reader has read the same bytes there before.

    `reader` names the reader and every option that changes what it makes; `fmt`, the official
    format, whose parts (tables, sections) an entry refers to rather than copies.
    """
    folder = cache_folder()
    stamp = _code_stamp() if folder is not None else None
    if stamp is None:
        return read(findings)
    try:
        source = files.read_bytes(path, kind)
    except InputError:
        return read(findings)  # the reader says what is wrong with the file
    key = (LAYOUT, stamp, reader, fmt.name if fmt is not None else "", str(path), source)
    entry = folder / f"{_name(key)}{SUFFIX}"
    hit = _load(entry, key, fmt)
    if hit is not None:
        result, found = hit
        findings.extend(found)
        return result

    found = []
    outer, files.looked_at = files.looked_at, []
    looked = files.looked_at
    try:
        result = read(found)
    finally:
        files.looked_at = outer
        if outer is not None:
            outer.extend(looked)
        findings.extend(found)
    try:
        if files.read_bytes(path, kind) != source:
            return result  # changed while it was read: not kept under the bytes first read
    except InputError:
        return result
    seen = {(str(path), kind), (str(path), None)}
    others = []
    for other, other_kind in looked:  # a picture is looked for, then read: both are kept
        if (str(other), other_kind) not in seen:
            seen.add((str(other), other_kind))
            others.append((str(other), other_kind, _fingerprint(other, other_kind)))
    _store(folder, entry, key, (others, result, found), fmt)
    return result


def remembered(kind: str, key: str) -> str | None:
    """Text `remember` kept for `key` (a child process's answer, such as the font list), or None."""
    folder = cache_folder()
    if folder is None:
        return None
    try:
        with open(folder / _text_name(kind, key), "rb") as handle:
            if not _owned(os.fstat(handle.fileno())):
                return None
            kept_key, _, text = handle.read().decode("utf-8").partition("\n")
    except (OSError, UnicodeDecodeError):
        return None
    return text if kept_key == key else None


def remember(kind: str, key: str, text: str) -> None:
    """Keep `text` for `key`: written whole or not at all, silently not when the cache cannot be written."""
    folder = cache_folder()
    if folder is None or "\n" in key:
        return
    entry = folder / _text_name(kind, key)
    temporary = entry.with_name(f"{entry.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        with open(handle, "wb") as out:
            out.write(f"{key}\n{text}".encode("utf-8", "surrogatepass"))
        os.replace(temporary, entry)
    except OSError:
        try:
            os.unlink(temporary)
        except OSError:
            pass


def _text_name(kind: str, key: str) -> str:
    data = key.encode("utf-8", "surrogatepass")
    return f"{kind}-{zlib.crc32(data):08x}{zlib.adler32(data):08x}{SUFFIX}"


# ---------------------------------------------------------------- where


def cache_folder() -> Path | None:
    """The folder entries are kept in, made if need be; None when the cache is off or unsafe to use."""
    try:
        folder = _configured()
    except RuntimeError:  # "~" in the variable, and no home folder known
        return None
    if folder is None:
        return None
    try:
        try:
            info = os.stat(folder)
        except FileNotFoundError:
            os.makedirs(folder, mode=0o700, exist_ok=True)
            info = os.stat(folder)
    except (OSError, ValueError):  # ValueError: a NUL in the name
        return None
    if not stat.S_ISDIR(info.st_mode) or not _owned(info):
        return None
    return folder


def _configured() -> Path | None:
    chosen = os.environ.get(ENVIRONMENT)
    if chosen is not None:
        return Path(chosen).expanduser() if chosen.strip() else None
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA")
        return Path(local, "zbreport", "cache") if local else None
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG specification says to ignore a relative one
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no home folder known
            return None
    return Path(base, "zbreport")


def _owned(info: os.stat_result) -> bool:
    """The user's own, and no one else may write to it: only then is a pickle in it trusted."""
    if not hasattr(os, "getuid"):
        return True
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


# ---------------------------------------------------------------- keys


_stamp: str | None = None  # "": the code cannot be told, the cache is not used


def _code_stamp() -> str | None:
    """zbreport's files (name, size, time) and the parsers' versions, once a process.

    A developer who edits a reader must never get what the old one made. Looking at some eighty
    files takes well under a millisecond; importlib.metadata would take longer than that.
    """
    global _stamp
    if _stamp is None:
        import importlib.util

        package = Path(__file__).resolve().parent.parent
        parts = [sys.version]
        pending = [str(package)]
        while pending:
            try:
                with os.scandir(pending.pop()) as entries:
                    for item in entries:
                        if item.is_dir(follow_symlinks=False):
                            if item.name != "__pycache__":
                                pending.append(item.path)
                        elif not item.name.endswith((".pyc", ".pyo")):
                            info = item.stat()
                            parts.append(f"{item.path}:{info.st_size}:{info.st_mtime_ns}")
            except OSError:  # a file gone while looked at, a folder that cannot be listed: no cache
                _stamp = ""
                return None
        for name in PARSERS:
            try:
                spec = importlib.util.find_spec(name)
                origin = spec.origin if spec else None
                with open(origin or os.devnull, "rb") as handle:
                    parts.append(f"{name}:{origin}:{zlib.crc32(handle.read()):08x}")
            except (OSError, ImportError, ValueError):
                parts.append(f"{name}:absent")
        parts.sort()
        _stamp = f"{zlib.crc32(chr(0).join(parts).encode('utf-8', 'surrogatepass')):08x}{len(parts)}"
    return _stamp or None


def _name(key: tuple) -> str:
    """The entry's file name: two checksums of the whole key. Two keys that share a name only
    replace each other's entry: the key itself is stored and compared in full."""
    text = "\0".join(str(part) for part in key[:-1]).encode("utf-8", "surrogatepass")
    crc = zlib.crc32(key[-1], zlib.crc32(text))
    adler = zlib.adler32(key[-1], zlib.adler32(text))
    return f"{crc:08x}{adler:08x}"


def _fingerprint(path: str | Path, kind: files.FileKind | None) -> object:
    """What a reader found at a file besides its own: whether it is there, or its bytes' checksums
    (or why they cannot be read)."""
    if kind is None:
        return os.path.lexists(path)
    try:
        data = files.read_bytes(Path(path), kind)
    except InputError as exc:
        return exc.message
    return (len(data), zlib.crc32(data), zlib.adler32(data))


# ---------------------------------------------------------------- entries


_PARTS: dict[int, tuple[Format, list[tuple[object, tuple]]]] = {}  # by the format's identity


def _format_parts(fmt: Format | None) -> list[tuple[object, tuple]]:
    """The format and its sections, tables and cells, with the names an entry refers to them by:
    an entry holds a table's name, not a copy of it, and gets the very table back."""
    if fmt is None:
        return []
    if id(fmt) not in _PARTS:
        parts: list[tuple[object, tuple]] = [(fmt, ("format",))]
        parts += [(section, ("section", index)) for index, section in enumerate(fmt.sections)]
        for key, table in fmt.tables.items():
            parts.append((table, ("table", key)))
            parts += [(cell, ("cell", key, index)) for index, cell in enumerate(table.cells)]
        _PARTS[id(fmt)] = (fmt, parts)  # the format kept with them, so its identity is not reused
    return _PARTS[id(fmt)][1]


def _format_part(name: tuple) -> object:
    """Stands in an entry for a part of the format: `_Unpickler` gives the part of its own format."""
    raise pickle.UnpicklingError(f"{name} read outside the cache")


class _Pickler(pickle.Pickler):
    def __init__(self, handle, fmt: Format | None) -> None:
        super().__init__(handle, protocol=pickle.HIGHEST_PROTOCOL)
        parts = _format_parts(fmt)
        names = {id(part): name for part, name in parts}

        def reduce(obj: object) -> tuple:
            name = names.get(id(obj))
            return (_format_part, (name,)) if name is not None else obj.__reduce_ex__(pickle.HIGHEST_PROTOCOL)

        # By type, looked up in C for each object: only the format's kinds of record reach Python
        # (persistent_id would be called for every object, three times as slow).
        self.dispatch_table = {**copyreg.dispatch_table, **{type(part): reduce for part, _ in parts}}


class _Unpickler(pickle.Unpickler):
    def __init__(self, handle, fmt: Format | None) -> None:
        super().__init__(handle)
        self.fmt = fmt
        self.parts: dict[tuple, object] | None = None

    def format_part(self, name: tuple) -> object:
        if self.parts is None:
            self.parts = {part_name: part for part, part_name in _format_parts(self.fmt)}
        return self.parts[tuple(name)]  # KeyError: a part this format lacks, a miss

    def find_class(self, module: str, name: str) -> object:
        """Only what results are made of: the model's records and enumerations, paths, numbers, dates;
        never a function, nor a class that does anything when made."""
        if (module, name) == (__name__, "_format_part"):
            return self.format_part
        if (module, name) in _STANDARD:
            return super().find_class(module, name)
        if module == "zbreport" or module.startswith("zbreport."):
            found = super().find_class(module, name)
            if isinstance(found, type) and (is_record(found) or issubclass(found, Enum)):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not kept in the cache")


def _load(entry: Path, key: tuple, fmt: Format | None) -> tuple[object, list[Finding]] | None:
    try:
        with open(entry, "rb") as handle:
            if not _owned(os.fstat(handle.fileno())):
                return None
            unpickler = _Unpickler(handle, fmt)
            if unpickler.load() != key:
                return None
            others, result, found = unpickler.load()
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - damaged, truncated, another version's: the file is read instead
        return None
    for other, kind, fingerprint in others:
        if _fingerprint(other, kind) != fingerprint:
            return None
    return result, found


def _store(folder: Path, entry: Path, key: tuple, content: tuple, fmt: Format | None) -> None:
    temporary = entry.with_name(f"{entry.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        with open(handle, "wb") as out:
            pickler = _Pickler(out, fmt)
            pickler.dump(key)
            pickler.dump(content)
        os.replace(temporary, entry)
    except Exception:  # noqa: BLE001 - a full disk, a folder made read-only, a result pickle refuses
        try:
            os.unlink(temporary)
        except OSError:
            pass
        return
    _prune(folder)


def _prune(folder: Path) -> None:
    """Keep the newest KEEP entries; remove temporary files a killed process left. At most once an hour."""
    marker = folder / "pruned"
    now = time.time()
    try:
        if now - os.stat(marker).st_mtime < PRUNE_EVERY:
            return
    except OSError:
        pass
    try:
        with open(marker, "wb"):
            pass
        entries = []
        with os.scandir(folder) as items:
            for item in items:
                if item.name.endswith(SUFFIX):
                    entries.append((item.stat().st_mtime, item.path))
                elif item.name.endswith(".tmp") and now - item.stat().st_mtime > PRUNE_EVERY:
                    os.unlink(item.path)
        entries.sort()
        for _, old in entries[: max(0, len(entries) - KEEP)]:
            try:
                os.unlink(old)
            except OSError:  # another process pruning at the same time
                pass
    except OSError:
        pass
