"""A correct solution gets the same results in the worker and in process, and on repeated runs."""

from __future__ import annotations

import dataclasses

from tests.sandbox.helpers import ROOT


def _results(report):
    return [dataclasses.replace(result, duration=0.0) for exercise in report.exercises for result in exercise.checks]


def test_reference_same_with_and_without_sandbox_and_on_repeat(course):
    reference = (ROOT / "reference" / "kmeans.py").read_text(encoding="utf-8")
    first = course.grade(reference, hidden=True)
    trusted = course.grade(reference, hidden=True, sandbox=False)
    again = course.grade(reference, hidden=True)
    assert first.score == first.max_score
    assert _results(first) == _results(trusted) == _results(again)
    assert first.sandbox["mode"] == "sandbox" and "sandbox" not in trusted.sandbox.get("mode", "")
