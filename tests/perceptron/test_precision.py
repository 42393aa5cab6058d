"""The perceptron's precision policy: a perceptron computing in single precision (numpy float32, as the course's C
float and Fortran real) gets full marks by default, recall, precision and accuracy included; under
``precision: double`` the ratios it rounds to single precision lose their points with words saying why."""

from __future__ import annotations

import pytest

from tests.kmeans.policies import with_precision
from tests.perceptron.corpus import grade_checks
from tests.perceptron.mutants import VARIANTS

FLOAT32 = VARIANTS / "float32.py"
EXPLANATION = "this looks like single-precision (float32) arithmetic; this exercise requires double precision"


def _grade(config, policy):
    return grade_checks(with_precision(config, policy, "perceptron"), "perceptron", FLOAT32, hidden=False).exercises[0]


def test_float32_scores_get_full_marks_by_default_with_the_note(config):
    exercise = _grade(config, "single-or-double")
    assert {c.id: c.message for c in exercise.checks if not c.passed} == {}
    assert exercise.notes == ("computed in single precision",)


@pytest.mark.slow
def test_float32_scores_are_explained_under_double(config):
    exercise = _grade(config, "double")
    failed = {c.id: c for c in exercise.checks if not c.passed}
    assert set(failed) == {"class_scores.recall_precision", "class_scores.accuracy"}
    for check in failed.values():
        assert check.verdict == "failed" and EXPLANATION in check.message, check.message
