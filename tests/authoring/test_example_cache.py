"""The example cache of an outside course: a check's recorded examples are forgotten when any course module it
imports changes, wherever that module lives (a hidden check in hidden/ importing checks/helpers.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.authoring.course import build_course, run


def _verdicts(course: Path) -> dict[str, str]:
    done = run("check", "linreg", "--path", "reference/linreg.py", "--all", "--format", "json", cwd=course)
    assert done.returncode in (0, 1), done.stdout + done.stderr
    return {check["id"]: check["verdict"] for check in json.loads(done.stdout)["exercises"][0]["checks"]}


def test_a_hidden_check_sees_its_helper_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRADER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("GRADER_NO_CACHE", raising=False)
    course = build_course(tmp_path / "course")
    assert _verdicts(course)["fit.matches_reference"] == "passed"  # recorded in the cache
    helpers = course / "checks" / "helpers.py"
    text = helpers.read_text(encoding="utf-8")
    old, new = "return 2 / len(y) * X.T", "return 1 / len(y) * X.T"  # the trusted gradient is now wrong
    assert old in text
    helpers.write_text(text.replace(old, new), encoding="utf-8")
    assert _verdicts(course)["fit.matches_reference"] == "failed"  # as without the cache, not the stale pass
