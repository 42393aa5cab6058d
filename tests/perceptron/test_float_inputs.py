"""The hidden check forward.float_inputs on products below double's normal range: a correct forward computing in
double precision passes it under both precision policies, and is never said to compute in single precision.

There rounding is absolute, not relative: a product that underflows is off by up to half the smallest subnormal
(2^-1075), however small the products it is summed with.  In the example below the exact h is +2^-1075; a loop
rounding each product (the middle one, -1.5 * 2^-1074, to -2^-1073) sums to exactly 0, so its output 0 is as right
as numpy's x @ w, which rounds the same h up to 2^-1074.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from grader.authoring import CheckContext, CheckFailed
from grader.exercise import load_exercise
from grader.student import InProcessStudent
from tests.perceptron.mutants import VARIANTS

#: The bias input -1 last; exact h = 2^-1075, each product subnormal or within a few subnormals of 0.
X = np.array([[-2e-323, -5e-324, -1.0]])
W = np.array([[0.25], [1.5], [-1.5e-323]])


@pytest.fixture(scope="module")
def float_inputs(config):
    checks = {bound.id: bound.check for bound in load_exercise(config.exercise("perceptron"), hidden=True).checks}
    return checks["forward.float_inputs"]


@pytest.fixture(scope="module")
def loops():
    student = InProcessStudent(VARIANTS / "loops.py")
    yield student
    student.close()


def test_the_example_is_a_positive_h_a_correct_loop_rounds_to_zero(loops):
    exact = sum(Fraction(float(a)) * Fraction(float(b)) for a, b in zip(X[0], W[:, 0]))
    assert exact == Fraction(1, 2**1075)
    assert sum(float(a) * float(b) for a, b in zip(X[0], W[:, 0])) == 0.0
    assert np.asarray(loops.call("forward", X, W)).tolist() == [[0]]


@pytest.mark.parametrize("policy", ["single-or-double", "double"])
def test_a_correct_double_loop_passes_on_subnormal_products(float_inputs, loops, policy):
    context = CheckContext(precision=policy)
    try:
        float_inputs.test(loops, layer=(X, W), context=context)
    except CheckFailed as failure:
        pytest.fail(f"a correct double-precision loop failed under {policy}: {failure}")
    assert context.notes == []
