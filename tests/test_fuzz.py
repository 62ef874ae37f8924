"""Fuzzing every reader with hostile input: report.yaml, the tables, last year's figures, the
narrative, placeholders and the parts of a Word template.

Each example writes a fresh copy of the sample project with one file replaced (mutated text,
random bytes, or a special file such as a named pipe), runs commands in-process from inside a
sandbox folder, and asserts what the clerk is promised:

- the exit code is 0, 1, 2 or 3; never a traceback, never 内部错误;
- an unreadable file (exit 2) is named in the message; --format json still answers in JSON;
- each command ends within a time bound and the process stays within a memory bound;
- nothing is written anywhere but the report's own output path.

An ordinary run tries a few dozen examples per test; `--fuzz-runs 10000` makes a long run
(see README, Development).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import resource
import shutil
import signal
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SAMPLE, assert_valid_docx, docx_errors, run_cli, validator
from zbreport.figures import FigureError, fill, names_only_scope, scope_of
from zbreport.format import GB2021
from zbreport.read.project import load_project
from zbreport.read.template import default_template

SECONDS = 20  # one command, on the slowest CI machine; a hang is what this catches
MEMORY_BYTES = 2 * 1024**3  # the test process's peak, which every example adds to at most

# ---------------------------------------------------------------- hostile text

PIECES = [
    *"{}()（）,，+-·|#*`[]/\\.:\"'!&<>%~^$@ \n\t\r",
    "\v", "\f", "\x00", "\x1a", "\x1b[31m", "\ufffe", "\u2028", "\x85", "\ud800",
    "{{", "}}", "[/x]", "[bold]", "../", "..", "~", "03", "-0", "1e30", "1.5", "0x1F", "9" * 40,
    "表二", "表三", "表四", "总计", "自然人", "本年新收", "上年(", "同比(", "占比(", "截断", "机关全称", "年度",
    "!!python/object/apply:os.system ['touch pwned']", "!!binary", "&a", "*a", "<<", "---", "? ", ": ", "- ", "|\n", ">-\n",
    "<!-- 表格 -->", "<!-- 分页 -->", "| a | b |\n|---|---|\n", "# ", "## （一）", "1. ", "**", "_", "\\",
]
BIG = ["{" * 20_000, "[" * 300, "(" * 300, "9" * 5_000, "a" * 100_000, "1+" * 2_000, "- " * 200 + "x"]

hostile_text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=30).map("".join)
hostile_piece = st.one_of(hostile_text, st.sampled_from(BIG).map(lambda big: big))


@st.composite
def mutated(draw, original: str) -> str:
    """The original text with a few edits: hostile text inserted, or written over what was there."""
    text = original
    for _ in range(draw(st.integers(1, 5))):
        at = draw(st.integers(0, len(text)))
        cut = draw(st.sampled_from([0, 0, 1, 3, 20]))
        piece = draw(hostile_piece) if draw(st.integers(0, 9)) == 0 else draw(hostile_text)
        text = text[:at] + piece + text[at + cut :]
    return text


@dataclass(frozen=True)
class Content:
    """What one file of the project is replaced with."""

    kind: str  # "text", "bytes", "gb18030", "fifo", "loop", "device", "folder", "missing", "dangling"
    data: bytes = b""

    def write(self, path: Path) -> None:
        if path.is_symlink() or path.is_file():
            path.unlink()
        path.parent.mkdir(parents=True, exist_ok=True)
        if self.kind in ("text", "bytes", "gb18030"):
            path.write_bytes(self.data)
        elif self.kind == "fifo":
            os.mkfifo(path)
        elif self.kind == "loop":
            path.symlink_to(path.name)
        elif self.kind == "device":
            path.symlink_to("/dev/zero")
        elif self.kind == "folder":
            path.mkdir()
        elif self.kind == "dangling":
            path.symlink_to("nowhere" + path.suffix)


def contents(original: str):
    """Mostly mutated text; sometimes bytes that are no text, or a file that is no regular file."""
    text = mutated(original).map(lambda t: Content("text", t.encode("utf-8", "surrogatepass")))
    chinese = mutated(original).map(lambda t: Content("gb18030", t.encode("gb18030", "replace")))
    raw = st.binary(max_size=2000).map(lambda b: Content("bytes", b))
    special = st.sampled_from(["fifo", "loop", "device", "folder", "missing", "dangling"]).map(Content)
    if not hasattr(os, "mkfifo") or not Path("/dev/zero").exists():
        special = st.sampled_from(["folder", "missing"]).map(Content)
    return st.one_of(text, text, text, text, text, chinese, raw, special)


# ---------------------------------------------------------------- the harness


class _Timeout(BaseException):
    """Raised by the alarm: a BaseException, so the CLI's own error handling cannot swallow it."""


@contextlib.contextmanager
def time_limit(seconds: float):
    def expire(signum, frame):
        raise _Timeout(f"a command ran longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def tree(folder: Path) -> dict[str, tuple[int, int]]:
    """Every path under `folder` (links not followed) with its size and modification time;
    a folder's only by its being there, since a file made in it changes its time."""
    out = {}
    for root, dirs, names in os.walk(folder):
        for name in dirs:
            out[str((Path(root) / name).relative_to(folder))] = (-1, -1)
        for name in names:
            path = Path(root) / name
            info = path.lstat()
            out[str(path.relative_to(folder))] = (info.st_size, info.st_mtime_ns)
    return out


class Sandbox:
    """A fresh copy of the sample project inside a folder of its own, for one example."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="zbreport-fuzz-"))
        self.work = self.root / "work"  # the commands' working folder
        self.project = self.work / "project"
        shutil.copytree(SAMPLE, self.project, ignore=shutil.ignore_patterns("*.docx", "*.pdf"))
        self.output = self.work / "out.docx"

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def run(self, *args, names: str, writes: str | None = None, json_answer: bool = False, keep: bool = False):
        """Run a command and assert the promises; `writes` is the one path it may create
        ("default" for the report's default name inside the project)."""
        before = tree(self.root)
        started = time.monotonic()
        with time_limit(SECONDS):
            result = run_cli(*args, cwd=self.work)
        elapsed = time.monotonic() - started
        output = result.output
        assert result.code in (0, 1, 2, 3), output[-3000:]
        # An internal error is a line of its own (exit 70); the words may also be a fuzzed placeholder's name.
        assert "Traceback" not in output and not re.search(r"^内部错误 ", output, re.M), output[-3000:]
        assert elapsed < SECONDS
        assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 < MEMORY_BYTES
        if result.code == 2:
            assert names in output, f"exit 2 without naming {names}: {output[-2000:]}"
        if json_answer:
            payload = json.loads(result.stdout)
            assert payload["ok"] is (result.code == 0)
        after = tree(self.root)
        changed = {p for p in set(before) | set(after) if before.get(p) != after.get(p)}
        if writes == "default":
            allowed = {p for p in changed if Path(p).parent == Path("work/project") and p.endswith(".docx")}
            assert len(allowed) <= 1
        else:
            allowed = {str(Path(writes).relative_to(self.root))} if writes else set()
        assert changed <= allowed, f"written outside the output path: {sorted(changed - allowed)}"
        if result.code != 0:
            assert not changed, f"a failed command wrote {sorted(changed)}"
        if not keep:
            for path in changed:
                (self.root / path).unlink(missing_ok=True)
        return result


@contextlib.contextmanager
def sandbox():
    box = Sandbox()
    try:
        yield box
    finally:
        box.close()


def fuzz(runs: int, scale: float = 1.0):
    return settings(
        max_examples=max(1, int(runs * scale)),
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
        print_blob=True,
    )


def text_of(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# ---------------------------------------------------------------- the fuzz tests


def test_fuzz_report_yaml(fuzz_runs):
    @fuzz(fuzz_runs)
    @given(contents(text_of(SAMPLE / "report.yaml")), st.booleans())
    def example(content: Content, build: bool) -> None:
        with sandbox() as box:
            content.write(box.project / "report.yaml")
            box.run("check", box.project, "--format", "json", names="report.yaml", json_answer=True)
            if build:
                box.run("build", box.project, "--force", names="report.yaml", writes="default")

    example()


@pytest.mark.parametrize("table", ["table2.yaml", "table3.yaml", "table4.yaml"])
def test_fuzz_tables(fuzz_runs, table):
    @fuzz(fuzz_runs, scale=1 / 3)
    @given(contents(text_of(SAMPLE / "tables" / table)))
    def example(content: Content) -> None:
        with sandbox() as box:
            content.write(box.project / "tables" / table)
            box.run("check", box.project, "--format", "json", names=table, json_answer=True)
            box.run("preview", box.project, names=table)

    example()


def test_fuzz_last_years_figures(fuzz_runs):
    name = "2023年度数据.yaml"

    @fuzz(fuzz_runs, scale=0.5)
    @given(contents(text_of(SAMPLE / name)))
    def example(content: Content) -> None:
        with sandbox() as box:
            content.write(box.project / name)
            box.run("check", box.project, names=name)

    example()


def test_fuzz_narrative(fuzz_runs):
    @fuzz(fuzz_runs)
    @given(st.sampled_from(sorted(p.name for p in (SAMPLE / "sections").iterdir())), st.data())
    def example(section: str, data) -> None:
        content = data.draw(contents(text_of(SAMPLE / "sections" / section)))
        with sandbox() as box:
            content.write(box.project / "sections" / section)
            checked = box.run("check", box.project, names=section)
            if checked.code in (0, 1):
                box.run("build", box.project, "--force", "-o", box.output, names=section, writes=str(box.output))

    example()


# Placeholders: drawn from the grammar, with hostile names and numbers where it allows them.
names = st.one_of(
    st.sampled_from(["机关全称", "年度", "标题", "成文日期", "电话", "表三·本年新收·总计", "表三·（七）总计·总计", "表二·规章·本年制发件数", "表四·行政复议·总计", "截断"]),
    hostile_text.filter(lambda t: t.strip() != ""),
)
numbers = st.one_of(st.integers(0, 10**20).map(str), st.sampled_from(["0", "1.5", "０３", "9" * 16, "1e5", "."]))
_expressions = st.recursive(
    st.one_of(names, numbers),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", "＋", "－"]), inner).map("".join),
        inner.map(lambda e: f"({e})"),
        inner.map(lambda e: f"-{e}"),
        st.tuples(st.sampled_from(["上年", "同比", "占比", "未知"]), st.lists(inner, min_size=0, max_size=4)).map(
            lambda call: f"{call[0]}{'（' if len(call[1]) % 2 else '('}{'，'.join(call[1])})"
        ),
    ),
    max_leaves=40,
)


@st.composite
def expressions(draw) -> str:
    """A placeholder's inside (wrapped, so hypothesis reports it by name, not by its large repr)."""
    return draw(_expressions)


def test_fuzz_placeholders_fill_or_explain(fuzz_runs):
    scope = scope_of(load_project(SAMPLE, GB2021).report)

    @fuzz(fuzz_runs, scale=5)
    @given(expressions())
    def example(expression: str) -> None:
        for where in (scope, names_only_scope(GB2021)):
            try:
                fill("{{" + expression + "}}", where)
            except FigureError as exc:
                assert exc.message and len(exc.message) < 1000

    example()


def test_fuzz_placeholders_in_the_narrative(fuzz_runs):
    @fuzz(fuzz_runs, scale=0.5)
    @given(st.lists(st.one_of(expressions(), hostile_text), min_size=1, max_size=5))
    def example(inside: list[str]) -> None:
        with sandbox() as box:
            overview = box.project / "sections" / "1-overview.md"
            text = "".join("{{" + e + "}}" for e in inside) + text_of(overview)
            overview.write_bytes(text.encode("utf-8", "surrogatepass"))
            box.run("check", box.project, "--format", "json", names="1-overview.md", json_answer=True)

    example()


TEMPLATE_PARTS = ["word/document.xml", "word/styles.xml", "[Content_Types].xml", "word/footer1.xml", "word/_rels/document.xml.rels", "_rels/.rels", "word/settings.xml"]


@st.composite
def templates(draw) -> bytes:
    """The default template with one part mutated, or dropped, or something that is no zip at all."""
    with zipfile.ZipFile(default_template()) as source:
        parts = {item.filename: source.read(item) for item in source.infolist()}
    how = draw(st.sampled_from(["mutate", "mutate", "mutate", "drop", "bytes", "truncate"]))
    if how == "bytes":
        return draw(st.binary(max_size=3000))
    name = draw(st.sampled_from(TEMPLATE_PARTS))
    if how == "drop":
        del parts[name]
    else:
        parts[name] = draw(mutated(parts[name].decode("utf-8"))).encode("utf-8", "surrogatepass")
    buffer = tempfile.SpooledTemporaryFile()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for part, data in parts.items():
            package.writestr(part, data)
    buffer.seek(0)
    data = buffer.read()
    if how == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    return data


@pytest.mark.invalid_docx("a template damaged at random may already be invalid: checked below only when it is valid")
def test_fuzz_template_parts(fuzz_runs):
    @fuzz(fuzz_runs)
    @given(templates())
    def example(data: bytes) -> None:
        with sandbox() as box:
            template = box.work / "本机关模板.docx"
            template.write_bytes(data)
            box.run("template", "check", template, "--project", box.project, names="本机关模板.docx")
            built = box.run(
                "build", box.project, "--template", template, "-o", box.output, names="本机关模板.docx", writes=str(box.output), keep=True
            )
            # A template Word opens makes a report Word opens: never a broken .docx with exit code 0.
            if built.code == 0 and validator() is not None and not docx_errors(template):
                assert_valid_docx(box.output)

    example()


@st.composite
def workbooks(draw, exported: bytes) -> bytes:
    """An exported workbook with one part mutated or dropped, or truncated."""
    with zipfile.ZipFile(io.BytesIO(exported)) as source:
        parts = {item.filename: source.read(item) for item in source.infolist()}
    name = draw(st.sampled_from(sorted(parts)))
    how = draw(st.sampled_from(["mutate", "mutate", "drop", "truncate"]))
    if how == "drop":
        del parts[name]
    elif how == "mutate":
        parts[name] = draw(mutated(parts[name].decode("utf-8", "replace"))).encode("utf-8", "surrogatepass")
    buffer = tempfile.SpooledTemporaryFile()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for part, data in parts.items():
            package.writestr(part, data)
    buffer.seek(0)
    data = buffer.read()
    return data[: draw(st.integers(0, len(data)))] if how == "truncate" else data


def test_fuzz_workbook_tables(fuzz_runs, tmp_path):
    book = tmp_path / "表格.xlsx"
    assert run_cli("tables", "export", SAMPLE, "-o", book).code == 0

    @fuzz(fuzz_runs, scale=0.5)
    @given(workbooks(book.read_bytes()))
    def example(data: bytes) -> None:
        with sandbox() as box:
            for table in (box.project / "tables").glob("*.yaml"):
                table.unlink()
            (box.project / "tables" / "表格.xlsx").write_bytes(data)
            box.run("check", box.project, "--format", "json", names="表格.xlsx", json_answer=True)

    example()
