"""Opening input files safely: regular files only, of a bounded size, decoded as editors save them.

Every reader (report.yaml, the tables, the sections, last year's figures, templates) reads
through here, so a named pipe, a device such as /dev/zero, a symbolic-link loop or a file of
gigabytes is refused with the file's name and the reason, instead of hanging the command or
filling the machine's memory.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from ..diagnostics import InputError, Location
from ..records import record

MB = 1024 * 1024


@record
class FileKind:
    """A kind of input file: how messages name it, and the most zbreport reads of it."""

    noun: str  # how messages name the file
    limit: int  # bytes; a real one is far smaller


YAML = FileKind("YAML 文件", 10 * MB)
MARKDOWN = FileKind("Markdown 文件", 10 * MB)
TEMPLATE = FileKind("Word 模板", 50 * MB)
IMAGE = FileKind("图片", 20 * MB)
WORKBOOK = FileKind("Excel 文件", 50 * MB)

# The pictures a report may hold, by their first bytes.
IMAGE_TYPES = {b"\x89PNG": "png", b"\xff\xd8\xff": "jpeg", b"GIF8": "gif", b"BM": "bmp", b"II*\x00": "tiff", b"MM\x00*": "tiff"}


def image_type(data: bytes) -> str:
    """png, jpeg, gif, bmp or tiff, from the file's first bytes."""
    return next(kind for magic, kind in IMAGE_TYPES.items() if data.startswith(magic))


# Opened without waiting for a writer: a FIFO that slipped past the check cannot block.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)

# The files looked at, with how each was read (None: only whether it is there), while read/cache.py
# keeps a list: what a reader gives may depend on files besides its own (a section's pictures).
# Reading happens on one thread (watch's threads only wait for changes).
looked_at: list[tuple[Path, FileKind | None]] | None = None


def present(path: Path) -> bool:
    """True when anything is at `path`, a broken or looping symbolic link included, so that
    reading it says what is wrong instead of "not found"."""
    if looked_at is not None:
        looked_at.append((path, None))
    return os.path.lexists(path)


def require_file(path: Path, kind: FileKind) -> None:
    """`path` is a regular file (through symbolic links) no larger than the kind's limit."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise InputError(_reason(exc, path), Location(path)) from None
    _require_regular(info, kind, Location(path))


def read_bytes(path: Path, kind: FileKind) -> bytes:
    """The bytes of a regular file no larger than the kind's limit; anything else is an InputError."""
    if looked_at is not None:
        looked_at.append((path, kind))
    where = Location(path)
    try:
        info = os.stat(path)
    except OSError as exc:
        raise InputError(_reason(exc, path), where) from None
    _require_regular(info, kind, where)
    try:
        handle = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise InputError(_reason(exc, path), where) from None
    try:
        # The file checked may have been swapped for another since: check what was opened.
        _require_regular(os.fstat(handle), kind, where)
        chunks: list[bytes] = []
        left = kind.limit + 1
        while left > 0:
            chunk = os.read(handle, min(left, MB))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise InputError(_reason(exc, path), where) from None
    finally:
        os.close(handle)
    if left <= 0:
        raise InputError(_too_large(kind), where)
    return b"".join(chunks)


def read_text(path: Path, kind: FileKind) -> str:
    """A text file's content: UTF-8 (with or without BOM), or GB18030 as Windows editors in China save it."""
    data = read_bytes(path, kind)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError("文件编码无法识别，请保存为 UTF-8 编码", Location(path))


def require_folder(path: Path, missing: str) -> None:
    """`path` is a folder (through symbolic links); `missing` is the message when nothing is there."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise InputError("是一个符号链接，但它指向的位置不存在", Location(path)) from None
        raise InputError(missing, Location(path)) from None
    except OSError as exc:
        raise InputError(_reason(exc, path), Location(path)) from None
    if not stat.S_ISDIR(info.st_mode):
        raise InputError(f"应为文件夹，却是{_what(info.st_mode)}", Location(path))


def _require_regular(info: os.stat_result, kind: FileKind, where: Location) -> None:
    noun = f" {kind.noun}" if kind.noun[:1].isascii() else kind.noun  # 应为 YAML 文件, 应为图片
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"应为{noun}，却是一个文件夹", where)
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"应为{noun}，却是{_what(info.st_mode)}；zbreport 只读取普通文件", where)
    if info.st_size > kind.limit:
        raise InputError(_too_large(kind, info.st_size), where)


def _what(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "一个文件夹"
    if stat.S_ISREG(mode):
        return "一个文件"
    if stat.S_ISFIFO(mode):
        return "一个命名管道（FIFO）"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "一个设备文件"
    if stat.S_ISSOCK(mode):
        return "一个套接字"
    return "一个特殊文件"


def _too_large(kind: FileKind, size: int | None = None) -> str:
    actual = f"（{size / MB:.1f} MB）" if size is not None else ""
    return f"文件过大{actual}：{kind.noun}不应超过 {kind.limit // MB} MB，请确认选对了文件"


def _reason(exc: OSError, path: Path) -> str:
    if exc.errno == errno.ENOENT:
        return "是一个符号链接，但它指向的文件不存在" if os.path.islink(path) else "找不到文件"
    if exc.errno == errno.ELOOP:
        return "符号链接形成循环，无法读取"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "没有读取权限"
    if exc.errno == errno.EISDIR:
        return "应为文件，却是一个文件夹"
    if exc.errno == errno.ENAMETOOLONG:
        return "路径过长"
    return f"无法读取文件：{exc.strerror or exc}"
