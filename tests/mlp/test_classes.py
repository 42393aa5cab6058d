"""predict.classes' judgement of a single output at 0.5: within rounding of 0.5 either class may be right, but only
a class that exists (0 or 1)."""

from __future__ import annotations

import numpy as np
import pytest

from grader.authoring import CheckFailed
from grader.exercises.mlp.checks import _check_classes
from grader.exercises.mlp.strategies import Net
from grader.precision import Rounding

#: One sample, one output, w2 all zero: the output is sigma(0) = 0.5.
HALF = Net(x=np.array([[0.5, -1.0]]), t=np.zeros((1, 1)), w1=np.array([[1.0], [0.5]]), w2=np.zeros((2, 1)))


@pytest.mark.quick
@pytest.mark.parametrize("single", [True, False])
def test_a_tie_at_one_half_accepts_only_a_class_that_exists(single):
    for either in (0, 1):
        _check_classes(np.array([either]), HALF, 1.0, Rounding(single=single))
    for wrong in (-1, 2):
        with pytest.raises(CheckFailed, match=r"has outputs \[0.5\]"):
            _check_classes(np.array([wrong]), HALF, 1.0, Rounding(single=single))


#: Two samples, three outputs, nothing tied.
THREE = Net(x=np.array([[0.5, -1.0], [-0.75, -1.0]]), t=np.eye(3)[:2], w1=np.array([[1.0, -0.5], [0.5, 0.25]]),
            w2=np.array([[1.0, -1.0, 0.5], [0.25, 0.5, -0.75], [0.125, 0.0, 0.25]]))


@pytest.mark.parametrize("wrong", [3, -1, -2147483648])
def test_a_class_that_does_not_exist_among_several_outputs_is_a_failure_not_an_error(wrong):
    # Classes numbered from 1 (C) or left unset (the binding's sentinel) used to raise IndexError in the check.
    right = _expected_classes(THREE)
    got = right.copy()
    got[1] = wrong
    with pytest.raises(CheckFailed, match="is every sample.s class set, numbered from"):
        _check_classes(got, THREE, 1.0, Rounding(single=False))


def _expected_classes(net: Net) -> np.ndarray:
    from grader.exercises.mlp import network

    return network.classes_of(network.forward(net.x, net.w1, net.w2, 1.0)[1])
