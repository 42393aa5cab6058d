"""What train.online_epoch says of a second epoch that is wrong: every cause the weights cannot tell apart (a stop
after the first epoch, a sample left out, a second epoch restarted from w1 and w2), none blamed alone."""

from __future__ import annotations

import numpy as np
import pytest

from grader.authoring import CheckFailed
from grader.exercises.mlp.checks import _backprop_epochs, _check_second_epoch
from grader.exercises.mlp.strategies import Net
from grader.student import InProcessStudent
from tests.mlp.mutants import Mutant

NET = Net(x=np.array([[0.5, -1.0]]), t=np.array([[1.0]]), w1=np.array([[0.5], [0.25]]), w2=np.array([[0.5], [-0.25]]))
ETA, BETA = 0.5, 1.0

#: Stops when the error falls by less than 1: after the first epoch, here.
STOPS_EARLY = Mutant("stops_after_a_small_fall", "train.online_epoch",
                     (("        errors[epoch] = total\n",
                       "        errors[epoch] = total\n        if errors[epoch - 1] - total < 1.0:\n"
                       "            errors[epoch:] = total\n            break\n"),))


def test_a_wrong_second_epoch_names_every_cause(tmp_path):
    path = tmp_path / "mlp.py"
    path.write_text(STOPS_EARLY.source(), encoding="utf-8")
    student = InProcessStudent(path)
    with pytest.raises(CheckFailed) as failed:
        _check_second_epoch(student, NET, ETA, BETA, 0, _backprop_epochs(student, NET, ETA, BETA))
    message = failed.value.message
    for cause in ("every sample presented once in each epoch", "not from w1 and w2 again", "run `epochs` times",
                  "without stopping early"):
        assert cause in message, message
