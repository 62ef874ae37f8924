"""Which fonts this machine has: fontconfig on Linux and macOS, the registry's font list on Windows.

Only used to warn that the document will look different *here*; the .docx still names its fonts,
and the machine that prints it may well have them.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path


_reading: subprocess.Popen | None = None  # fc-list started by `read_fonts_ahead`, not yet read


def read_fonts_ahead() -> None:
    """Start listing the fonts now, so that the build's other work hides the wait (10–20 ms)."""
    global _reading
    cached = getattr(installed_fonts, "cache_info", None)
    if _reading is not None or sys.platform == "win32" or (cached is not None and cached().currsize):
        return
    if _kept_fonts() is not None:
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
    kept = _kept_fonts()
    if kept is not None:
        return kept
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
    fonts = frozenset(name.strip() for line in stdout.splitlines() for name in line.split(",") if name.strip())
    _fonts_key.cache_clear()  # as fc-list left it: it may have brought fontconfig's cache up to date
    key = _fonts_key()
    if key is not None:
        from .read import cache

        cache.remember("fonts", key, "\n".join(sorted(fonts)))
    return fonts


# ---------------------------------------------------------------- the font list kept between runs
# fc-list costs a build some 8 ms of CPU; its answer is kept in the read cache (read/cache.py) for
# as long as nothing a font install changes has changed.

MAX_FONT_FOLDERS = 5000  # more is no font folder: the list is not kept


def _kept_fonts() -> frozenset[str] | None:
    key = _fonts_key()
    if key is None:
        return None
    from .read import cache

    text = cache.remembered("fonts", key)
    return None if text is None else frozenset(line for line in text.split("\n") if line)


@functools.lru_cache(maxsize=1)
def _fonts_key() -> str | None:
    """What changes when fonts are installed or removed, or None when it cannot be told.

    A font file added, removed or renamed changes the time of its folder: the time of every folder
    under fontconfig's font folders is part of the key, and those of fontconfig's configuration and
    its caches (which fc-cache rewrites after a package installs fonts), fc-list itself, and the day:
    a font copied by hand into a folder only a configuration file names is seen the next day.
    """
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        home = Path.home()
    except RuntimeError:
        return None
    data = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    config = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
    caches = Path(os.environ.get("XDG_CACHE_HOME") or home / ".cache")
    font_folders = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), home / ".fonts", data / "fonts"]
    if sys.platform == "darwin":
        font_folders += [Path("/System/Library/Fonts"), Path("/Library/Fonts"), home / "Library" / "Fonts"]
    other_folders = [Path("/etc/fonts"), Path("/etc/fonts/conf.d"), config / "fontconfig", Path("/var/cache/fontconfig"),
                     caches / "fontconfig", Path("/opt/homebrew/etc/fonts"), Path("/usr/local/etc/fonts")]
    parts = [fc_list, str(int(time.time() // 86400))]
    parts += [f"{name}={os.environ.get(name, '')}" for name in ("FONTCONFIG_FILE", "FONTCONFIG_PATH", "FONTCONFIG_SYSROOT")]
    for path in [Path(fc_list), *other_folders]:
        parts.append(f"{path}:{_time_of(path)}")
    pending = [str(folder) for folder in font_folders]
    while pending:
        if len(parts) > MAX_FONT_FOLDERS:
            return None
        folder = pending.pop()
        parts.append(f"{folder}:{_time_of(folder)}")
        try:
            with os.scandir(folder) as entries:
                pending += [entry.path for entry in entries if entry.is_dir()]
        except OSError:
            continue
    return "|".join(parts)


def _time_of(path: str | Path) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return 0


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
