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
