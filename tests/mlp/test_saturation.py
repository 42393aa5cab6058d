"""Outputs that single precision rounds to 1: a correct float32 MLP is not judged outside (0, 1) for them.

In float32, sigma(beta h) is exactly 1 once beta h is above about 17 (the strategies reach 21: beta 2, every
input and weight at its bound).  The exact output is then within single-precision rounding of what the
student returned, and the default policy (``single-or-double``) accepts it: neither forward.logistic's
"strictly between 0 and 1" nor train.error_curve's range (an error of 0, or of half the number of outputs,
once every output rounds to 1) may fail it.  Under ``precision: double`` the same outputs are reported as
single-precision rounding, not as values outside (0, 1).
"""

from __future__ import annotations

import numpy as np
import pytest

from grader.authoring import CheckContext, CheckFailed
from grader.exercise import load_exercise
from grader.exercises.mlp import network
from grader.exercises.mlp.strategies import Net
from grader.student import InProcessStudent
from tests.mlp.mutants import VARIANTS

IN, HIDDEN = 5, 6
#: Every input 1 and every weight 24/16, the largest the strategies draw (a bias weight of -24/16 on input -1).
SATURATED = dict(x=np.array([[1.0] * IN + [-1.0]]),
                 w1=np.vstack([np.full((IN, HIDDEN), 1.5), np.full((1, HIDDEN), -1.5)]),
                 w2=np.vstack([np.full((HIDDEN, 1), 1.5), [[-1.5]]]))
BETA = 2.0


@pytest.fixture(scope="module")
def mlp_checks(config):
    return {bound.id: bound.check for bound in load_exercise(config.exercise("mlp")).checks}


@pytest.fixture(scope="module")
def float32_student():
    student = InProcessStudent(VARIANTS / "float32.py")
    yield student
    student.close()


def _run(check, student, policy: str, **example) -> str:
    """'' when the check passes on the example, else its message."""
    try:
        check.test(student, context=CheckContext(precision=policy), **example)
    except CheckFailed as failure:
        return str(failure)
    return ""


def test_the_example_saturates_in_single_precision_only(float32_student):
    _, exact = network.forward(SATURATED["x"], SATURATED["w1"], SATURATED["w2"], BETA)
    _, rounded = float32_student.call("forward", SATURATED["x"], SATURATED["w1"], SATURATED["w2"], BETA)
    assert 0 < exact[0, 0] < 1 and rounded[0, 0] == 1.0


@pytest.mark.parametrize("target", [0.0, 1.0])
def test_outputs_rounded_to_one_pass_under_the_default_policy(mlp_checks, float32_student, target):
    net = Net(t=np.array([[target]]), **SATURATED)
    assert _run(mlp_checks["forward.logistic"], float32_student, "single-or-double", net=net, beta=BETA) == ""
    assert _run(mlp_checks["train.error_curve"], float32_student, "single-or-double", net=net, eta=0.25, beta=BETA,
                seed=0, epochs=1, chained=3) == ""


def test_outputs_rounded_to_one_under_double_are_told_as_single_precision(mlp_checks, float32_student):
    message = _run(mlp_checks["forward.logistic"], float32_student, "double",
                   net=Net(t=np.array([[1.0]]), **SATURATED), beta=BETA)
    assert "single-precision" in message and "strictly between" not in message


def test_outputs_outside_zero_and_one_are_still_told(mlp_checks, tmp_path):
    linear = tmp_path / "mlp.py"
    source = (VARIANTS / "float32.py").read_text(encoding="utf-8")
    linear.write_text(source.replace("return hidden, sigmoid(hidden @ w2, beta)", "return hidden, hidden @ w2"),
                      encoding="utf-8")
    student = InProcessStudent(linear)
    try:
        message = _run(mlp_checks["forward.logistic"], student, "single-or-double",
                       net=Net(t=np.array([[1.0]]), **SATURATED), beta=BETA)
    finally:
        student.close()
    assert "strictly between 0 and 1" in message
