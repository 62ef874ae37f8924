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
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        done = subprocess.run([fc_list, "--format", "%{family}\n"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    # One line a font file; a family with localized names lists them separated by commas.
    return frozenset(name.strip() for line in done.stdout.splitlines() for name in line.split(",") if name.strip())


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
