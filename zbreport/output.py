"""Writing files so that a failed build never leaves a half-written or destroyed report,
and naming them so that a report lands where it was asked to, whatever its issuer is called."""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path
from typing import Callable, Union

from .diagnostics import OutputError

try:
    import fcntl
except ImportError:  # Windows: an open file cannot be deleted there, which protects it as well
    fcntl = None  # type: ignore[assignment]

NAME_MAX = 255  # bytes in one file name, on the file systems in use (Windows counts UTF-16 units: fewer)

# Path separators, characters Windows refuses in names (reports travel on shared folders and USB
# sticks), control characters and line separators.
_UNSAFE = re.compile(r'[/\\:*?"<>|\x00-\x1f\x7f-\x9f\u2028\u2029]+')


def report_stem(*title_lines: str, suffix: str = ".docx") -> str:
    """The default name of a report, its title lines joined (`{机关全称}{年度}年…年度报告`), safe to
    create inside the project: no separators or `..` (an issuer such as ../../x cannot send it
    elsewhere), no characters Windows refuses, and the first lines (the issuer) shortened so the
    name, with `suffix` (the longest it is written with), fits in 255 bytes."""
    parts = [" ".join(re.sub(r"\.{2,}", "", _UNSAFE.sub("", line)).split()) for line in title_lines]
    last = parts[-1] if parts else ""
    room = NAME_MAX - len(suffix.encode("utf-8"))
    while len(last.encode("utf-8")) > room:
        last = last[:-1]
    stem = "".join(parts[:-1]).strip(". ")
    while len((stem + last).encode("utf-8")) > room:
        stem = stem[:-1]
    return (stem.rstrip(". ") + last).strip(". ") or "年度报告"


Content = Union[bytes, Callable[[Path], None]]


def write_atomically(target: Path, content: Content) -> None:
    """Write `content` (bytes, or a function filling a path) to a temporary file beside `target`,
    then rename it over `target`.

    The rename is atomic on one file system, so readers see either the old file or the whole
    new one; on any failure, Ctrl-C included, the temporary file is removed and `target` is
    untouched. The temporary name is short (the target's may use all 255 bytes) and derived
    from the target, so one left by a killed build is removed by the next.
    """
    import tempfile  # imported here: `check` and `preview` write nothing, and it costs 1-2 ms a start

    directory = target.parent
    if not directory.is_dir():
        raise OutputError(f"输出文件夹不存在：{directory}")
    prefix = temporary_prefix(target)
    _remove_leftovers(directory, prefix)
    try:
        handle, temp_name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(f"无法在 {directory} 中写入文件：{why(exc)}") from None
    temp = Path(temp_name)
    try:
        try:
            if fcntl is not None:
                fcntl.flock(handle, fcntl.LOCK_EX)  # tells a later run this file is being written
            if isinstance(content, bytes):
                view = memoryview(content)
                while view:
                    view = view[os.write(handle, view) :]
            else:
                content(temp)
            os.fsync(handle)
        finally:
            if fcntl is None:  # Windows renames no file that is open
                os.close(handle)
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise OutputError(f"无法写入 {target}：{why(exc)}") from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    finally:
        if fcntl is not None:
            os.close(handle)


def temporary_prefix(target: Path) -> str:
    """How the temporary files of `target` begin: hidden, short, the same for every build of it."""
    import hashlib  # imported here, as tempfile: OpenSSL's hashes take 2-3 ms to load

    digest = hashlib.sha1(target.name.encode("utf-8", "surrogateescape")).hexdigest()[:8]
    return f".zbreport-{digest}-"


def _remove_leftovers(directory: Path, prefix: str) -> None:
    """Temporary files of this target left by a build that was killed; one still being written
    (locked by its build) stays."""
    try:
        leftovers = [p for p in directory.iterdir() if p.name.startswith(prefix) and p.name.endswith(".tmp")]
    except OSError:
        return
    for leftover in leftovers:
        try:
            if fcntl is not None:
                with open(leftover, "rb") as handle:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            leftover.unlink()
        except OSError:
            continue  # being written, or not ours to remove


_REASONS = {
    getattr(errno, name): reason
    for name, reason in (
        ("ENOSPC", "磁盘空间不足"),
        ("EDQUOT", "超出磁盘配额"),
        ("EFBIG", "文件过大"),
        ("EACCES", "没有写入权限，或文件正被其他程序（如 Word）打开"),
        ("EPERM", "没有写入权限"),
        ("EROFS", "只读的磁盘或文件夹"),
        ("ENAMETOOLONG", "文件名过长"),
        ("EISDIR", "同名的文件夹已存在"),
        ("ENOTDIR", "路径中有一段不是文件夹"),
        ("EIO", "输入输出错误"),
        ("EPIPE", "输出已被关闭"),
    )
    if hasattr(errno, name)
}


def why(exc: OSError) -> str:
    """An operating-system error in a clerk's words."""
    return _REASONS.get(exc.errno or 0) or exc.strerror or str(exc)


def replace_files(files: dict[Path, tuple[bytes, bytes]]) -> None:
    """Write several files, each atomically, only once all are prepared: {path: (as read, new)}.

    Every new content is written to a temporary file first; a file that changed on disk since
    it was read (someone saved it meanwhile) stops everything before any is replaced.
    """
    import tempfile  # see write_atomically

    staged: list[tuple[Path, Path]] = []
    try:
        for target, (before, after) in files.items():
            handle, temp_name = tempfile.mkstemp(prefix=temporary_prefix(target), suffix=".tmp", dir=target.parent)
            with os.fdopen(handle, "wb") as temp:
                temp.write(after)
            staged.append((target, Path(temp_name)))
            os.chmod(temp_name, target.stat().st_mode & 0o777)
        for target, (before, _) in files.items():
            if target.read_bytes() != before:
                raise OutputError(f"{target} 在确认期间被修改过；没有写入任何文件，请重新运行")
        for target, temp in staged:
            os.replace(temp, target)
    except OSError as exc:
        raise OutputError(f"无法写入 {exc.filename or ''}：{why(exc)}") from None
    finally:
        for _, temp in staged:
            temp.unlink(missing_ok=True)
