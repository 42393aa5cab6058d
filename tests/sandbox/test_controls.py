"""Positive controls: a correct solution gets full marks in the worker, under the limits the attacks get."""

from __future__ import annotations

from tests.sandbox.helpers import SOLUTION, full_marks


def test_correct_solution_gets_full_marks_in_the_worker(course):
    report = course.grade(SOLUTION)
    assert report.exercises[0].status == "graded"
    assert full_marks(report), [(c.id, c.message) for c in report.exercises[0].checks if not c.passed]
    assert report.score == report.max_score
    assert report.sandbox["mode"] == "sandbox"
