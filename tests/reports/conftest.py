"""Submissions graded once per session by the real command, their reports kept for every test of this folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.reports import submissions

ROOT = submissions.ROOT

#: How each submission is checked: its file, and the options beyond --no-sandbox --report-dir.
RUNS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "reference": (submissions.REFERENCE, ("--all",)),
    "skeleton": (submissions.SKELETON, ()),
    "empty_cluster_nan": ("empty_cluster_nan", ("--all",)),
    "manhattan": ("manhattan", ()),
    "hostile": ("hostile", ("--verbose",)),
    "crash_at_import": ("crash_at_import", ()),
    "syntax_error": ("syntax_error", ()),
}


def grader_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "grader", *args]


def grader_env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "FORCE_COLOR")}
    return {**env, **extra}


@dataclass(frozen=True)
class Graded:
    """One ``grader check`` run: its exit code, terminal output, and the folder of its reports."""

    name: str
    path: Path
    returncode: int
    stdout: str
    stderr: str
    folder: Path

    @property
    def report(self) -> dict[str, Any]:
        return json.loads((self.folder / "report.json").read_text(encoding="utf-8"))

    def text(self, name: str) -> str:
        return (self.folder / name).read_text(encoding="utf-8")


class GradedRuns:
    """Starts every run at once (they are independent processes) and waits for each when it is first asked for."""

    def __init__(self, base: Path) -> None:
        self._started: dict[str, tuple[Path, Path, subprocess.Popen]] = {}
        self._done: dict[str, Graded] = {}
        for name, (module, options) in RUNS.items():
            path = module if isinstance(module, Path) else submissions.write(module, base / "submissions")
            folder = base / "reports" / name
            process = subprocess.Popen(
                grader_command("check", "kmeans", "--path", str(path), "--no-sandbox", "--report-dir", str(folder),
                               *options),
                cwd=ROOT, env=grader_env(NO_COLOR="1"), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            self._started[name] = (path, folder, process)

    def __getitem__(self, name: str) -> Graded:
        if name not in self._done:
            path, folder, process = self._started[name]
            stdout, stderr = process.communicate(timeout=900)
            self._done[name] = Graded(name, path, process.returncode, stdout, stderr, folder)
        return self._done[name]

    def close(self) -> None:
        for _, _, process in self._started.values():
            if process.poll() is None:
                process.kill()
                process.communicate()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests reading these runs go to one worker (``--dist loadgroup``): each run is made once, not once per
    worker."""
    for item in items:
        if "graded" in getattr(item, "fixturenames", ()) and Path(item.path).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.xdist_group("reports-graded"))


@pytest.fixture(scope="session")
def graded(tmp_path_factory) -> GradedRuns:
    runs = GradedRuns(tmp_path_factory.mktemp("graded"))
    yield runs
    runs.close()


@pytest.fixture(scope="session")
def schema() -> dict[str, Any]:
    from grader.render import report_schema

    return report_schema()
