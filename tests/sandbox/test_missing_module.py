"""A submission that imports a module the grading environment lacks is told so in a student's words; one that
uses scipy, part of that environment, is graded like any other."""

from __future__ import annotations

from pathlib import Path

from tests.sandbox.helpers import SOLUTION

CDIST = Path(__file__).resolve().parents[1] / "kmeans" / "variants" / "cdist.py"


def test_missing_module_is_named_with_what_may_be_used(course):
    report = course.grade("import sklearn.cluster\n" + SOLUTION)
    exercise = report.exercises[0]
    assert exercise.status == "error" and exercise.score == 0
    assert exercise.error.startswith("your code imports sklearn, which is not available where it is graded; "
                                     "you may use numpy, scipy, matplotlib and the standard library")
    assert "ModuleNotFoundError" in exercise.error  # the original error follows, for the curious


def test_a_submission_using_scipy_gets_full_marks(course):
    source = CDIST.read_text(encoding="utf-8")
    assert "from scipy" in source or "import scipy" in source
    report = course.grade(source, hidden=True)  # every check, as at grading time
    assert report.exercises[0].status == "graded", report.exercises[0].error
    assert report.score == report.max_score, [c.message for c in report.exercises[0].checks if not c.passed]
