"""Without Landlock, seccomp, namespaces, cgroups or root, grading still works and the report says what is missing."""

from __future__ import annotations

import json
import os
import shutil
import sys

import pytest

from tests.conftest import run_grader
from tests.sandbox.helpers import ROOT, SOLUTION, full_marks

KEYS = {"landlock": "filesystem", "seccomp": "syscalls", "netns": "network", "user": "user", "limits": "limits",
        "cgroup": "cgroup"}


@pytest.mark.parametrize("switch", sorted(KEYS))
def test_each_protection_can_be_missing(course, monkeypatch, switch):
    monkeypatch.setenv("GRADER_SANDBOX_DISABLE", switch)
    report = course.grade(SOLUTION)
    assert full_marks(report)
    # Without a namespace the network line says "partial": seccomp and Landlock still deny connections.
    assert f"disabled: switched off for this run (GRADER_SANDBOX_DISABLE={switch})" in report.sandbox[KEYS[switch]]
    others = [key for name, key in KEYS.items() if name != switch and key in report.sandbox]
    assert all(not report.sandbox[key].startswith("disabled") for key in others)


def test_nothing_but_a_plain_subprocess(course, monkeypatch):
    monkeypatch.setenv("GRADER_SANDBOX_DISABLE", "all")
    report = course.grade(SOLUTION)
    assert full_marks(report)
    assert report.sandbox["isolation"].startswith("active: the code runs in a separate worker process")
    assert all(report.sandbox[key].startswith("disabled") for key in KEYS.values())


@pytest.mark.skipif(not shutil.which("setpriv") or not sys.platform.startswith("linux"),
                    reason="needs setpriv (util-linux) to run the grader without root's capabilities")
def test_grader_without_root_privileges(course):
    path = course.write(SOLUTION)
    drop = ["setpriv", "--bounding-set=-all", "--inh-caps=-all", "--", sys.executable, "-m", "grader"]
    import subprocess

    completed = subprocess.run([*drop, "check", "kmeans", "--path", str(path), "--config",
                                str(course.root / "config.yaml"), "--format", "json"],
                               capture_output=True, text=True, timeout=300, cwd=course.root,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})  # this grader, not an installed one
    assert completed.returncode == 0, completed.stderr
    report = json.loads(completed.stdout)
    assert report["score"] == report["max_score"]
    sandbox = report["sandbox"]
    assert sandbox["user"].startswith("not available: runs as root but without the privilege to change user")
    assert sandbox["cgroup"].startswith("not available: ")
    assert sandbox["filesystem"].startswith("active: Landlock")
    assert run_grader  # the same command a user types, only without privileges
