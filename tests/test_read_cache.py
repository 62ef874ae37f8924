"""The read cache (zbreport/read/cache.py): a command says and writes the same with the cache cold,
warm or off; a damaged, foreign or unsafe cache is passed over in silence; what a reader found is
reported from the cache at the same places."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
import zipfile
from zbreport.records import FrozenInstanceError
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SAMPLE, run_cli, run_process
from zbreport.diagnostics import Finding
from zbreport.format import GB2021
from zbreport.read import cache, files, workbook
from zbreport.read.project import load_metadata, load_project

EPOCH = {"SOURCE_DATE_EPOCH": "1737331200"}  # a build's date and time, so two builds can be compared


def entries(folder: Path) -> set[str]:
    return {p.name for p in folder.glob(f"*{cache.SUFFIX}")} if folder.is_dir() else set()


def docx_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}


def outputs(project: Path, tmp_path: Path, command: str, cache_dir: str) -> tuple:
    """What a command prints (and, for build, every part of the .docx), with the cache in `cache_dir`."""
    env = {**EPOCH, "ZBREPORT_CACHE_DIR": cache_dir}
    if command == "build":
        out = tmp_path / f"{len(list(tmp_path.iterdir()))}.docx"
        result = run_cli("build", project, "-o", out, "--force", env=env)
        return result.code, result.stdout.replace(out.name, "OUT"), result.stderr.replace(out.name, "OUT"), docx_parts(out)
    result = run_cli(command, project, env=env)
    return result.code, result.stdout, result.stderr


@pytest.fixture
def findings_project(project: Path) -> Path:
    """The sample with what its readers report: a repeated key, an unknown key, a thematic break, raw
    HTML, a control character."""
    with (project / "tables" / "table4.yaml").open("a", encoding="utf-8") as table:
        table.write("行政复议: {结果维持: 1, 结果纠正: 0, 其他结果: 0, 尚未审结: 0}\n")
    with (project / "sections" / "5-problems.md").open("a", encoding="utf-8") as section:
        section.write("\n---\n\n<div>框内文字</div>\n\n一段\x0c文字。\n")
    with (project / "report.yaml").open("a", encoding="utf-8") as report:
        report.write("联系人: 张三\n")
    return project


@pytest.mark.parametrize("command", ["check", "preview", "build"])
def test_cold_warm_and_off_say_and_write_the_same(findings_project, tmp_path, read_cache, command):
    out = tmp_path / "out"
    out.mkdir()
    cold = outputs(findings_project, out, command, str(read_cache))
    assert entries(read_cache), "the cold run keeps what it read"
    warm = outputs(findings_project, out, command, str(read_cache))
    off = outputs(findings_project, out, command, "")
    assert cold == warm == off
    said = cold[1] + cold[2]
    if command != "preview":
        assert "table4.yaml:7:1" in said and "重复出现" in said  # found while reading, said from the cache
        assert "5-problems.md" in said and "联系人" in said


def test_findings_from_reading_come_back_from_the_cache_at_their_places(findings_project, read_cache):
    def read() -> list[Finding]:
        return load_project(findings_project, GB2021).findings

    cold = read()
    assert len(entries(read_cache)) >= 10
    warm = read()
    assert [(f, f.location) for f in warm] == [(f, f.location) for f in cold]
    rules = {f.rule for f in cold}
    assert {"duplicate-key", "markdown", "unknown-key", "control-character"} <= rules


def test_an_unchanged_file_is_not_read_again(project, read_cache, monkeypatch):
    from zbreport.read import sourceyaml

    load_project(project, GB2021)
    kept = entries(read_cache)

    def compose(*args, **kwargs):
        raise AssertionError("a YAML file was parsed though it had not changed")

    with monkeypatch.context() as patched:
        patched.setattr(sourceyaml, "compose", compose)
        load_project(project, GB2021)
    assert entries(read_cache) == kept

    table = project / "tables" / "table3.yaml"
    table.write_text(table.read_text(encoding="utf-8") + "\n# 改过一处\n", encoding="utf-8")
    parsed: list[Path] = []
    real_compose = sourceyaml.compose
    monkeypatch.setattr(sourceyaml, "compose", lambda path, found=None: parsed.append(path) or real_compose(path, found))
    load_project(project, GB2021)
    assert parsed == [table]
    assert len(entries(read_cache) - kept) == 1


def test_a_file_saved_while_it_is_read_is_not_kept_under_its_old_bytes(project, monkeypatch):
    from zbreport.read import sourceyaml

    table = project / "tables" / "table4.yaml"
    before = table.read_text(encoding="utf-8")
    real_compose = sourceyaml.compose

    def saved_meanwhile(path, found=None):
        if path == table:
            table.write_text(before.replace("结果维持: 0", "结果维持: 5", 1), encoding="utf-8")
        return real_compose(path, found)

    with monkeypatch.context() as patched:
        patched.setattr(sourceyaml, "compose", saved_meanwhile)
        assert 5 in load_project(project, GB2021).report.tables["四"].values.values()
    table.write_text(before, encoding="utf-8")  # the clerk undoes the edit
    assert 5 not in load_project(project, GB2021).report.tables["四"].values.values()


def test_a_picture_added_later_is_seen(project, tmp_path):
    section = project / "sections" / "5-problems.md"
    section.write_text(section.read_text(encoding="utf-8") + "\n![图](图.png)\n", encoding="utf-8")
    assert "找不到图片文件" in run_cli("check", project).output
    assert "找不到图片文件" in run_cli("check", project).output  # from the cache
    (project / "sections" / "图.png").write_bytes(tiny_png())
    assert "找不到图片文件" not in run_cli("check", project).output
    (project / "sections" / "图.png").write_bytes(b"not a picture")
    assert "不是可插入的图片" in run_cli("check", project).output
    (project / "sections" / "图.png").write_bytes(tiny_png())
    assert "不是可插入的图片" not in run_cli("check", project).output


def tiny_png() -> bytes:
    """A 1×1 white PNG."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff")) + chunk(b"IEND", b"")


# ---------------------------------------------------------------- processes


def test_processes_writing_the_same_entries_at_once(project, read_cache):
    environment = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    runs = [
        subprocess.Popen([sys.executable, "-m", "zbreport", "check", str(project)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment)
        for _ in range(4)
    ]
    said = {run.communicate(timeout=120) + (run.returncode,) for run in runs}
    uncached = run_process("check", project, env={"ZBREPORT_CACHE_DIR": ""})
    assert said == {(uncached.stdout.encode(), uncached.stderr.encode(), 0)}
    assert entries(read_cache) and not list(read_cache.glob("*.tmp"))
    assert run_process("check", project).output == uncached.output


# ---------------------------------------------------------------- a cache that cannot be used


def test_damaged_entries_are_read_over(findings_project, read_cache):
    expected = run_cli("check", findings_project, env={"ZBREPORT_CACHE_DIR": ""}).output
    assert run_cli("check", findings_project).output == expected
    damaged = sorted(read_cache.glob(f"*{cache.SUFFIX}"))
    for number, entry in enumerate(damaged):
        data = entry.read_bytes()
        entry.write_bytes([b"", data[: len(data) // 2], b"\x80\x05garbage", data[:-3] + b"xyz"][number % 4])
    assert run_cli("check", findings_project).output == expected
    assert run_cli("check", findings_project).output == expected  # rewritten whole


def test_an_entry_that_would_run_code_is_not_loaded(project, read_cache, tmp_path):
    run_cli("check", project)
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (os.mkdir, (str(marker),))

    for entry in read_cache.glob(f"*{cache.SUFFIX}"):
        entry.write_bytes(pickle.dumps(Payload()))
    result = run_cli("check", project)
    assert result.code == 0 and not marker.exists()



def test_an_entry_may_not_call_zbreport_s_own_functions(project, read_cache, monkeypatch):
    run_cli("check", project)
    called: list[bool] = []

    def tripwire(*args):
        called.append(True)

    tripwire.__module__, tripwire.__qualname__ = "zbreport.read.files", "tripwire"
    monkeypatch.setattr(files, "tripwire", tripwire, raising=False)

    class Payload:
        def __reduce__(self):
            return (tripwire, ())

    for entry in read_cache.glob(f"*{cache.SUFFIX}"):
        entry.write_bytes(pickle.dumps(Payload()))
    assert run_cli("check", project).code == 0 and not called


def test_another_version_s_entries_are_misses(project, read_cache, monkeypatch):
    expected = run_cli("check", project).output
    before = entries(read_cache)
    monkeypatch.setattr(cache, "LAYOUT", cache.LAYOUT + 1)
    assert run_cli("check", project).output == expected
    assert entries(read_cache) - before and len(entries(read_cache)) == 2 * len(before)


def test_a_cache_folder_that_cannot_be_made(project, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    expected = run_cli("check", project, env={"ZBREPORT_CACHE_DIR": ""})
    result = run_cli("check", project, env={"ZBREPORT_CACHE_DIR": str(blocker / "cache")})
    assert (result.code, result.output) == (expected.code, expected.output)


def test_a_full_or_read_only_cache_folder(project, read_cache, monkeypatch):
    expected = run_cli("check", project, env={"ZBREPORT_CACHE_DIR": ""}).output

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache.os, "replace", full)
    assert run_cli("check", project).output == expected
    assert not entries(read_cache) and not list(read_cache.glob("*.tmp"))


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX owners and modes")
def test_a_folder_others_may_write_to_is_not_used(project, read_cache):
    expected = run_cli("check", project, env={"ZBREPORT_CACHE_DIR": ""}).output
    read_cache.mkdir(mode=0o700)
    read_cache.chmod(0o777)
    assert cache.cache_folder() is None
    assert run_cli("check", project).output == expected
    assert not entries(read_cache)
    read_cache.chmod(0o700)
    assert cache.cache_folder() == read_cache


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="only root can give a folder to another user")
def test_a_folder_someone_else_owns_is_not_used(project, read_cache):
    expected = run_cli("check", project).output
    assert entries(read_cache)
    os.chown(read_cache, 65534, 65534)
    assert cache.cache_folder() is None
    assert run_cli("check", project).output == expected
    os.chown(read_cache, 0, 0)
    entry = next(read_cache.glob(f"*{cache.SUFFIX}"))
    os.chown(entry, 65534, 65534)  # an entry another user wrote: not loaded either
    assert run_cli("check", project).output == expected


def test_the_cache_is_turned_off_with_an_empty_variable(project, read_cache, monkeypatch):
    monkeypatch.setenv(cache.ENVIRONMENT, "")
    assert cache.cache_folder() is None
    run_cli("check", project)
    assert not read_cache.exists()


def test_where_the_cache_is_by_default(monkeypatch, tmp_path):
    monkeypatch.delenv(cache.ENVIRONMENT)
    monkeypatch.setattr(cache.sys, "platform", "linux")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_folder() == tmp_path / "xdg" / "zbreport"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")  # ignored, as the XDG specification says
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache._configured() == tmp_path / "home" / ".cache" / "zbreport"
    monkeypatch.setattr(cache.sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "local"))
    assert cache._configured() == tmp_path / "local" / "zbreport" / "cache"


def test_old_entries_are_pruned(project, read_cache, monkeypatch):
    run_cli("check", project)
    count = len(entries(read_cache))
    assert count > 4
    for entry in read_cache.glob(f"*{cache.SUFFIX}"):
        os.utime(entry, (1, 1))  # all older than what is written next
    (read_cache / "stray.entry.1.abcd.tmp").write_bytes(b"")
    os.utime(read_cache / "stray.entry.1.abcd.tmp", (1, 1))
    (read_cache / "pruned").unlink()
    monkeypatch.setattr(cache, "KEEP", 2)
    section = project / "sections" / "6-other.md"
    section.write_text(section.read_text(encoding="utf-8") + "\n又一句。\n", encoding="utf-8")
    run_cli("check", project)
    # The section's new entry and the newest old one were kept; what the run read after it and
    # found pruned it wrote again.
    left = len(entries(read_cache))
    assert 2 <= left < count
    assert not list(read_cache.glob("*.tmp"))
    section.write_text(section.read_text(encoding="utf-8") + "\n再一句。\n", encoding="utf-8")
    run_cli("check", project)
    assert len(entries(read_cache)) > left  # pruned at most once an hour


# ---------------------------------------------------------------- what is kept


def test_records_come_back_equal_and_still_frozen(project, read_cache):
    cold = load_project(project, GB2021).report
    warm = load_project(project, GB2021).report
    assert warm.meta == cold.meta and warm.meta.locations == cold.meta.locations
    assert warm.sections == cold.sections and warm.tables == cold.tables
    assert repr(warm.sections) == repr(cold.sections)
    assert warm.tables["三"].form is GB2021.tables["三"]  # the format's own parts, not copies
    with pytest.raises(FrozenInstanceError):
        warm.meta.year = 2030  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        warm.sections[0].blocks[0].location = None  # type: ignore[misc]


def test_the_report_s_own_sections_come_back_with_the_format_s_tables(project):
    report = project / "report.yaml"
    report.write_text(
        report.read_text(encoding="utf-8")
        + "章节:\n  - {标题: 一、概述, 文件: 1-overview.md}\n  - {标题: 二、数据, 文件: 2-proactive.md, 表格: 表二}\n"
        + "  - {标题: 三、申请, 文件: 3-applications.md, 表格: 表三}\n  - {标题: 四、复议, 文件: 4-review-litigation.md, 表格: 表四}\n",
        encoding="utf-8",
    )
    cold = load_metadata(report, GB2021, [])
    warm = load_metadata(report, GB2021, [])
    assert warm == cold and [s.title for s in warm.sections] == ["一、概述", "二、数据", "三、申请", "四、复议"]
    assert warm.sections[1] is not cold.sections[1] and warm.sections[1].table is GB2021.tables["二"]


def test_the_code_stamp_sees_an_edited_module(monkeypatch):
    first = cache._code_stamp()
    monkeypatch.setattr(cache, "_stamp", None)
    assert cache._code_stamp() == first
    module = Path(cache.__file__)
    info = module.stat()
    try:
        os.utime(module, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
        monkeypatch.setattr(cache, "_stamp", None)
        assert cache._code_stamp() != first
    finally:
        os.utime(module, ns=(info.st_atime_ns, info.st_mtime_ns))


def test_code_that_cannot_be_told_is_read_without_the_cache(project, read_cache, monkeypatch):
    def unlistable(path):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(cache, "_stamp", None)
    monkeypatch.setattr(cache.os, "scandir", unlistable)
    expected = run_cli("check", project, env={"ZBREPORT_CACHE_DIR": ""}).output
    assert run_cli("check", project).output == expected
    assert not entries(read_cache)


# ---------------------------------------------------------------- property: cached reads are the reads

_MARKDOWN_LINES = st.sampled_from(
    ["# 一、总体情况", "## （一）主动公开。", "正文{{ 表三.总计 }}件。", "- 一项", "1. 第一", "> 引文", "---", "<u>下划线</u>",
     "<div>块</div>", "文字[^1]", "[^1]: 注释", "| a | b |", "|---|---|", "| 1 | 2 |", "`代码`", "", "**加粗**", "![图](无.png)",
     "<!-- 分页 -->", "<!-- 表格 -->", "{{ 未知 }}", "\x0c控制"]
)
_YAML_LINES = st.sampled_from(
    ["机关全称: 某某局", "年度: 2024", "年度: 2024", "联系方式: {地址: 某路1号, 电话: }", "百分比: {小数位数: 1, 取舍: 截断}",
     "导语: 本报告**依据**条例编制。", "成文日期: 2025-01-20", "未知: 1", "章节: x", "上年: 无.yaml", "  - 1", "标题: 年报"]
)


# The sample's table three, line by line, with lines that break it: read in any order and number.
_TABLE_LINES = st.sampled_from(
    (SAMPLE / "tables" / "table3.yaml").read_text(encoding="utf-8").splitlines()
    + ["  自然人: 七", "  商业企业: -1", "未知行: {总计: 1}", "  （一）予以公开: {自然人: 1, 自然人: 2}", "\t缩进: 1", "总计: /"]
)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    markdown=st.lists(_MARKDOWN_LINES, max_size=12),
    report=st.lists(_YAML_LINES, max_size=8),
    table=st.lists(_TABLE_LINES, max_size=30),
)
def test_cached_reads_equal_uncached_reads(tmp_path, monkeypatch, markdown, report, table):
    section = tmp_path / "1-overview.md"
    section.write_text("\n".join(markdown), encoding="utf-8")
    report_file = tmp_path / "report.yaml"
    report_file.write_text("\n".join(report), encoding="utf-8")
    table_file = tmp_path / "table3.yaml"
    table_file.write_text("\n".join(table), encoding="utf-8")
    folder = tmp_path / "cache"
    shutil.rmtree(folder, ignore_errors=True)

    def read_all():
        from zbreport.read.project import _read_narrative

        results = []
        for read in (
            lambda found: cache.reading(section, files.MARKDOWN, "narrative", None, lambda f: _read_narrative(section, f), found),
            lambda found: load_metadata(report_file, GB2021, found),
            lambda found: load_metadata(report_file, GB2021, found, narrative=False),
            lambda found: workbook.load_table(GB2021.tables["三"], table_file, GB2021, found),
        ):
            found: list[Finding] = []
            try:
                value = read(found)
            except Exception as exc:  # noqa: BLE001 - an InputError must be the same one each time
                value = (type(exc).__name__, str(exc))
            results.append((value, repr(value), found, [f.location for f in found]))
        return results

    monkeypatch.setenv(cache.ENVIRONMENT, "")
    uncached = read_all()
    monkeypatch.setenv(cache.ENVIRONMENT, str(folder))
    assert read_all() == uncached  # cold
    assert read_all() == uncached  # warm


# ---------------------------------------------------------------- the font list


@pytest.fixture
def fresh_font_list():
    from zbreport import fonts

    fonts._fonts_key.cache_clear()
    fonts.installed_fonts.cache_clear()
    yield fonts
    fonts._fonts_key.cache_clear()
    fonts.installed_fonts.cache_clear()


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="no fontconfig here")
def test_the_font_list_is_kept_until_a_font_folder_changes(fresh_font_list, monkeypatch, tmp_path):
    fonts = fresh_font_list
    folder = tmp_path / "data" / "fonts"
    folder.mkdir(parents=True)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    listed = fonts.installed_fonts()
    assert listed

    def ask_again():
        fonts._fonts_key.cache_clear()
        fonts.installed_fonts.cache_clear()
        return fonts.installed_fonts()

    started: list[bool] = []
    monkeypatch.setattr(fonts, "_start_fc_list", lambda: started.append(True) or None)
    assert ask_again() == listed and not started  # kept: fc-list not run
    key = fonts._fonts_key()
    (folder / "new").mkdir()  # a font package's folder
    assert ask_again() is None and started  # fc-list asked again (here it cannot answer)
    (folder / "new" / "字体.ttf").write_bytes(b"")
    fonts._fonts_key.cache_clear()
    assert fonts._fonts_key() not in (key, None)
