"""The MLP's precision policy: a correct MLP computing in single precision gets full marks by default, and loses
points under ``precision: double`` with messages saying in words that its arithmetic looks single-precision.

Back-propagation bugs are not rounding: on the counterexample the gradient check finds, the step of each bug is
wrong by many times the single-precision bound the default policy allows (checked here from the report).
"""

from __future__ import annotations

import numpy as np
import pytest

from grader.exercises.mlp import network
from tests.kmeans.policies import with_precision
from tests.mlp.mutants import GRADIENT, GRADIENT_BUGS, VARIANTS
from tests.perceptron.corpus import grade_checks

FLOAT32 = VARIANTS / "float32.py"
EXPLANATION = "this looks like single-precision (float32) arithmetic; this exercise requires double precision"
NOTE = "computed in single precision"


def _grade(config, path, policy):
    return grade_checks(with_precision(config, policy, "mlp"), "mlp", path, hidden=False).exercises[0]


@pytest.fixture(scope="session")  # graded once per run anyway: no need to share a worker
def float32_default(config):
    return _grade(config, FLOAT32, "single-or-double")


@pytest.fixture(scope="session")  # graded once per run anyway: no need to share a worker
def float32_double(config):
    return _grade(config, FLOAT32, "double")


def test_the_repository_accepts_single_precision_for_the_mlp(config):
    assert config.exercise("mlp").precision == "single-or-double"


def test_float32_gets_full_marks_by_default_with_one_note(float32_default):
    assert {check.id: check.message for check in float32_default.checks if not check.passed} == {}
    assert float32_default.score == float32_default.max_score
    assert float32_default.notes == (NOTE,)


def test_float32_loses_points_under_double_with_the_explanation(float32_double):
    failed = [check for check in float32_double.checks if not check.passed]
    assert float32_double.score < float32_double.max_score
    assert {"forward.logistic", GRADIENT, "train.error_curve"} <= {check.id for check in failed}
    for check in failed:
        assert check.verdict == "failed" and EXPLANATION in check.message, (check.id, check.message)
    assert "(relative " in next(check for check in failed if check.id == GRADIENT).message
    assert float32_double.notes == ()


def test_a_double_implementation_gets_no_note(config):
    exercise = _grade(config, VARIANTS / "loops.py", "single-or-double")
    assert exercise.score == exercise.max_score and exercise.notes == ()


def _step_error_over_single_bound(counterexample: dict) -> float:
    """How many times the single-precision bound of the gradient check the returned step is off by."""
    x, t, w1, w2 = (np.asarray(counterexample[name], dtype=float) for name in ("x", "t", "w1", "w2"))
    eta, beta = float(counterexample["eta"]), float(counterexample["beta"])
    new_w1, new_w2 = (np.asarray(a, dtype=float) for a in counterexample["returned"])
    (g1, g2), (tol1, tol2) = network.numerical_gradient(x, t, w1, w2, beta)
    r1, r2 = network.gradient_rounding(x, t, w1, w2, beta, network.SINGLE_EPS)
    ratios = []
    for old, new, g, tol, r in ((w1, new_w1, g1, tol1, r1), (w2, new_w2, g2, tol2, r2)):
        bound = eta * (tol + r) + 8 * network.SINGLE_EPS * (np.abs(old) + np.abs(new))
        ratios.append(float(np.max(np.abs(new - old + eta * g) / bound)))
    return max(ratios)


@pytest.mark.parametrize("mutant", GRADIENT_BUGS, ids=lambda m: m.name)
def test_backprop_bugs_are_far_beyond_single_precision_rounding(config, tmp_path, mutant):
    path = tmp_path / "mlp.py"
    path.write_text(mutant.source(), encoding="utf-8")
    check = next(c for c in _grade(config, path, "single-or-double").checks if c.id == GRADIENT)
    assert not check.passed and check.verdict == "failed", check.message
    # Each bug is off by 4e4 to 1e6 times the bound on the counterexample found: far beyond any rounding.
    assert _step_error_over_single_bound(check.counterexample) > 1000, check.message
