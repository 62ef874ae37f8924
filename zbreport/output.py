"""Writing files so that a failed build never leaves a half-written or destroyed report."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable

from .diagnostics import OutputError


def write_atomically(target: Path, write: Callable[[Path], None]) -> None:
    """Let `write` fill a temporary file beside `target`, then rename it over `target`.

    The rename is atomic on one file system, so readers see either the old file or the
    whole new one; on any failure the temporary file is removed and `target` is untouched.
    """
    directory = target.parent
    if not directory.is_dir():
        raise OutputError(f"输出文件夹不存在：{directory}")
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(f"无法在 {directory} 中写入文件：{exc.strerror}") from None
    os.close(handle)
    temp = Path(temp_name)
    try:
        write(temp)
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise OutputError(f"无法写入 {target}：{exc.strerror}") from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def replace_files(files: dict[Path, tuple[bytes, bytes]]) -> None:
    """Write several files, each atomically, only once all are prepared: {path: (as read, new)}.

    Every new content is written to a temporary file first; a file that changed on disk since
    it was read (someone saved it meanwhile) stops everything before any is replaced.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for target, (before, after) in files.items():
            handle, temp_name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".tmp", dir=target.parent)
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
        raise OutputError(f"无法写入 {exc.filename or ''}：{exc.strerror}") from None
    finally:
        for _, temp in staged:
            temp.unlink(missing_ok=True)
