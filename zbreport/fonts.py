"""Which fonts this machine has: fontconfig on Linux and macOS, the registry's font list on Windows.

Only used to warn that the document will look different *here*; the .docx still names its fonts,
and the machine that prints it may well have them.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import sys


_reading: subprocess.Popen | None = None  # fc-list started by `read_fonts_ahead`, not yet read


def read_fonts_ahead() -> None:
    """Start listing the fonts now, so that the build's other work hides the wait (10–20 ms)."""
    global _reading
    cached = getattr(installed_fonts, "cache_info", None)
    if _reading is not None or sys.platform == "win32" or (cached is not None and cached().currsize):
        return
    _reading = _start_fc_list()


@functools.lru_cache(maxsize=1)
def installed_fonts() -> frozenset[str] | None:
    """Family names of the installed fonts (localized names included), or None when unknown."""
    if sys.platform == "win32":
        return _windows_fonts()
    return _fontconfig_fonts()


# Chinese fonts go by a Chinese and an English family name; a font list may hold either.
ALIASES = {
    "宋体": "SimSun",
    "黑体": "SimHei",
    "仿宋": "FangSong",
    "楷体": "KaiTi",
    "仿宋_GB2312": "FangSong_GB2312",
    "楷体_GB2312": "KaiTi_GB2312",
    "方正小标宋简体": "FZXiaoBiaoSong-B05S",
}


def missing_fonts(names: list[str]) -> list[str]:
    """The names among `names` this machine lacks; none when the font list cannot be read."""
    installed = installed_fonts()
    if installed is None:
        return []
    folded = {_fold(n) for n in installed}
    reverse = {v: k for k, v in ALIASES.items()}
    return [
        name
        for name in names
        if _fold(name) not in folded and _fold(ALIASES.get(name, reverse.get(name, name))) not in folded
    ]


def _fold(name: str) -> str:
    return re.sub(r"\s+", "", name).lower()


def _fontconfig_fonts() -> frozenset[str] | None:
    global _reading
    process, _reading = _reading, None
    process = process or _start_fc_list()
    if process is None:
        return None
    try:
        stdout, _ = process.communicate(timeout=30)
    except subprocess.SubprocessError:
        process.kill()
        process.wait()
        return None
    if process.returncode != 0:
        return None
    # One line a font file; a family with localized names lists them separated by commas.
    return frozenset(name.strip() for line in stdout.splitlines() for name in line.split(",") if name.strip())


def _start_fc_list() -> subprocess.Popen | None:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        return subprocess.Popen(
            [fc_list, "--format", "%{family}\n"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
    except OSError:
        return None


def _windows_fonts() -> frozenset[str] | None:
    try:
        import winreg  # type: ignore[import-not-found]
    except ImportError:
        return None
    names: set[str] = set()
    key_path = r"SOFTWARE\Microsoft\Windows NT\CurrentVersion\Fonts"
    for hive in (winreg.HKEY_LOCAL_MACHINE, winreg.HKEY_CURRENT_USER):
        try:
            with winreg.OpenKey(hive, key_path) as key:
                index = 0
                while True:
                    try:
                        entry = winreg.EnumValue(key, index)[0]
                    except OSError:
                        break
                    index += 1
                    # "仿宋_GB2312 (TrueType)", "SimSun & NSimSun (TrueType)"
                    entry = re.sub(r"\s*\(.*?\)\s*$", "", entry)
                    names.update(part.strip() for part in entry.split("&") if part.strip())
        except OSError:
            continue
    return frozenset(names) or None
