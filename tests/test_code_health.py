"""The code stays healthy: ruff and mypy pass with the configuration of pyproject.toml, the typed verdicts and
statuses are those of the report schema, and the package ships its typing marker."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import get_args

import pytest

from grader.grade import StudentStatus
from grader.results import STATUSES, VERDICTS
from grader.student import TIME_LIMITS, AbortKind

ROOT = Path(__file__).resolve().parents[1]


def _run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("tool", ["ruff", "mypy"])
def test_tool_is_installed(tool: str) -> None:
    """The linters are test dependencies: a missing one is a broken environment, not a pass."""
    assert _run(tool, "--version").returncode == 0, f"{tool} is missing: pip install -e '.[test]'"


def test_ruff_passes() -> None:
    result = _run("ruff", "check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_passes() -> None:
    result = _run("mypy", "--no-incremental", "--cache-dir", "/dev/null", "grader")
    assert result.returncode == 0, result.stdout + result.stderr


def test_verdicts_and_statuses_are_those_of_the_schema() -> None:
    schema = json.loads((ROOT / "grader" / "report.schema.json").read_text(encoding="utf-8"))
    exercise, check = schema["$defs"]["exercise"], schema["$defs"]["check"]
    assert set(check["properties"]["verdict"]["enum"]) == set(VERDICTS)
    assert set(exercise["properties"]["status"]["enum"]) == set(STATUSES)


def test_abort_kinds_and_student_statuses() -> None:
    assert set(TIME_LIMITS) == {"timeout", "budget"} and set(TIME_LIMITS) <= set(get_args(AbortKind))
    assert set(get_args(StudentStatus)) == set(STATUSES) | {"incomplete", "grader_error"}


def test_package_is_marked_typed() -> None:
    assert (ROOT / "grader" / "py.typed").is_file()
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"py.typed"' in pyproject


def test_every_file_the_package_reads_is_installed_with_it() -> None:
    """A wheel holds the package's ``.py`` files and the ``package-data`` of pyproject.toml only: every other file
    under grader/ (the C source of the programs' random start, the schema, the CI templates) must match one of its
    patterns, or an installed grader lacks it (and, for the C source, silently loses reproducible program runs)."""
    import fnmatch
    import re

    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    found = re.search(r"^\[tool\.setuptools\.package-data\]\s*\ngrader = \[([^\]]*)\]", pyproject, re.MULTILINE)
    assert found, "pyproject.toml has no package-data for grader"
    patterns = re.findall(r'"([^"]+)"', found.group(1))
    package = ROOT / "grader"
    data = [path.relative_to(package).as_posix() for path in package.rglob("*")
            if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts]
    assert data, "no data file found: the test reads the wrong folder"
    missing = [name for name in data if not any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)]
    assert missing == [], f"not installed with the package (add them to package-data): {missing}"
