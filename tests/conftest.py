"""Shared fixtures: the sample project, copies of it to break, running the real CLI, and the
OOXML validator run over every .docx a command writes."""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

# No per-example deadline: the machines that run the suite are shared and noisy, and a slow
# example is not a wrong one. Properties still run their full number of examples.
settings.register_profile("zbreport", deadline=None)
settings.load_profile("zbreport")

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample_data" / "zibo-2024"
# The validator Word stands in for (../shared next to the checkout); absent, nothing is validated
# and test_validation.py says so by skipping.
VALIDATOR = REPO.parent / "shared" / "ooxml" / "validate.py"


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_cli(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None, input: str | None = None) -> Run:
    """Run a `zbreport` command in-process, on real files: its exit code, stdout and stderr.

    The app maps every error to its message and exit code itself, so this sees what a clerk
    sees; `run_process` runs the installed command for what only a real process shows.
    """
    from typer.testing import CliRunner

    from zbreport.cli import app

    environment = {"NO_COLOR": "1", "COLUMNS": "200", "ZBREPORT_DEBUG": None, **(env or {})}
    previous = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        with validating_what_is_written(args):
            result = CliRunner().invoke(app, [str(a) for a in args], env=environment, input=input)
    finally:
        os.chdir(previous)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a bug in the test harness or an escaped exception: show it
    return Run(result.exit_code, result.stdout, result.stderr)


def run_process(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Run `zbreport` as a clerk would: a separate process, real files, its exit code."""
    environment = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200", **(env or {})}
    environment.pop("ZBREPORT_DEBUG", None)
    with validating_what_is_written(args, cwd):
        done = subprocess.run(
            [sys.executable, "-m", "zbreport", *map(str, args)],
            capture_output=True,
            text=True,
            cwd=cwd,
            env=environment,
            timeout=120,
        )
    return Run(done.returncode, done.stdout, done.stderr)


# The read caches (zbreport/read/cache.py) of the test run: a folder of their own, outside pytest's
# temporary folder (tests that look for files written outside a project look there), and never the
# developer's. Set as this file is loaded: a test module may read the sample as it is collected.
READ_CACHES = Path(tempfile.mkdtemp(prefix="zbreport-caches-"))
os.environ["ZBREPORT_CACHE_DIR"] = str(READ_CACHES / "session")


@pytest.fixture(scope="session", autouse=True)
def read_caches():
    """Session fixtures use the session's read cache; the folder goes when the run ends."""
    yield READ_CACHES
    shutil.rmtree(READ_CACHES, ignore_errors=True)


@pytest.fixture(autouse=True)
def read_cache(read_caches: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's own read cache: no test reads what another left there."""
    folder = read_caches / hashlib.sha1(request.node.nodeid.encode()).hexdigest()
    monkeypatch.setenv("ZBREPORT_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh copy of the sample project, to edit."""
    target = tmp_path / "project"
    shutil.copytree(SAMPLE, target, ignore=shutil.ignore_patterns("*.docx", "*.pdf"))
    return target


@pytest.fixture(scope="session")
def sample_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "report.docx"
    result = run_cli("build", SAMPLE, "-o", out)
    assert result.code == 0, result.output
    assert_valid_docx(out)
    return out


# ---------------------------------------------------------------- every .docx validates as Word reads it


@functools.cache
def validator():
    """../shared/ooxml/validate.py as a module, its schemas compiled once a session; None without it."""
    if not VALIDATOR.is_file():
        return None
    spec = importlib.util.spec_from_file_location("ooxml_validate", VALIDATOR)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


_VALIDATED: dict[str, list[str]] = {}  # errors by content: many tests make the same template or report


def docx_errors(path: Path) -> list[str]:
    """What the validator finds wrong with a .docx, one line each; [] when Word would open it."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest not in _VALIDATED:
        module = validator()
        report = module.Report(str(path))
        module.check_package(path, report, None)
        _VALIDATED[digest] = [finding.render() for finding in report.errors]
    return _VALIDATED[digest]


def assert_valid_docx(path: Path) -> None:
    if validator() is None:
        return  # test_validation.py skips, naming the missing validator
    errors = docx_errors(path)
    assert not errors, f"{path.name} fails the OOXML validator (Word would repair or refuse it):\n" + "\n".join(errors[:20])


# Off for a test marked @pytest.mark.invalid_docx("why"): one that builds in a template it
# damaged on purpose, whose report cannot be valid either.
_VALIDATE_OUTPUTS = True


@pytest.fixture(autouse=True)
def every_docx_validates(request: pytest.FixtureRequest):
    global _VALIDATE_OUTPUTS
    _VALIDATE_OUTPUTS = request.node.get_closest_marker("invalid_docx") is None
    yield
    _VALIDATE_OUTPUTS = True


@contextmanager
def validating_what_is_written(args, cwd: Path | None = None):
    """Every .docx or .dotx a command writes or rewrites (a report, an exported template) passes
    the validator. Looked for next to the command's arguments: its project folder, -o, the file."""
    if validator() is None or not _VALIDATE_OUTPUTS:
        yield
        return
    folders = set(_argument_folders(args, cwd))
    before = _docx_files(folders)
    yield
    for path, stamp in _docx_files(folders).items():
        if before.get(path) != stamp and zipfile.is_zipfile(path):
            assert_valid_docx(path)


def _argument_folders(args, cwd: Path | None):
    for arg in args:
        path = Path(arg) if Path(arg).is_absolute() or cwd is None else cwd / arg
        for folder in (path, path.parent):
            try:
                if folder.is_dir():
                    yield Path(os.path.realpath(folder))
            except OSError:  # an argument that is no path a file system takes (a 10 000-character issuer)
                continue


def _docx_files(folders) -> dict[Path, tuple[int, int]]:
    found = {}
    for folder in folders:
        for path in folder.glob("*.do[ct]x"):
            if not path.is_file():  # a link to nowhere, a named pipe: what a hostile-input test made
                continue
            stat = path.stat()
            found[path] = (stat.st_mtime_ns, stat.st_size)
    return found


def replace_in(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    """1-based number of the first line of `path` holding `needle`."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


# ---------------------------------------------------------------- fuzzing

FUZZ_RUNS = 40  # examples per fuzz test in an ordinary run: a few hundred in all, well under a minute


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--fuzz-runs",
        type=int,
        default=FUZZ_RUNS,
        metavar="N",
        help=f"examples per fuzz test in tests/test_fuzz.py (default {FUZZ_RUNS}; 10000 for a long run)",
    )


@pytest.fixture
def fuzz_runs(request: pytest.FixtureRequest) -> int:
    return request.config.getoption("--fuzz-runs")
