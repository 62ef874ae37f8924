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
