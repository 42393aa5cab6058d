"""Reports explain failures with the counterexample alone: no reference source, hidden check code or grader frames."""

from __future__ import annotations

import re

import pytest

from tests.reports.conftest import ROOT

pytestmark = pytest.mark.slow


def distinctive_lines(path) -> set[str]:
    """The lines of a source file long enough to be recognised if they were quoted."""
    return {line.strip() for line in path.read_text(encoding="utf-8").splitlines() if len(line.strip()) >= 25}


def everything_shown(run) -> str:
    return "\n".join([run.stdout, run.text("report.json"), run.text("report.md"), run.text("report.html")])


def test_failed_hidden_checks_quote_neither_their_code_nor_the_reference(graded):
    run = graded["empty_cluster_nan"]  # graded with --all: the hidden checks run, and some fail
    hidden = [check for check in run.report["exercises"][0]["checks"] if check["hidden"]]
    assert hidden and any(not check["passed"] for check in hidden)
    shown = everything_shown(run)
    for line in distinctive_lines(ROOT / "reference" / "kmeans_hidden_checks.py"):
        assert line not in shown, line
    # The submission is the reference with one edit: its own lines may be quoted (warnings, tracebacks), no others.
    for line in distinctive_lines(ROOT / "reference" / "kmeans.py") - distinctive_lines(run.path):
        assert line not in shown, line
    assert "kmeans_hidden_checks" not in shown and "trusted_kmeans" not in shown


def test_tracebacks_show_only_the_students_own_file(graded):
    run = graded["hostile"]
    shown = everything_shown(run)
    files = set(re.findall(r'File \\?"([^"\\]+)\\?"', shown))
    assert files == {run.path.name}, files  # named as submitted, never by the worker's folder
    assert "hypothesis" not in shown.lower().replace("the hypothesis", "")
