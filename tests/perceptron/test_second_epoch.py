"""What train.online_epoch says of a second epoch that is wrong: every cause the result cannot tell apart (a
sample left out of every epoch, a stop after the first epoch, a second epoch restarted from w0), none blamed alone."""

from __future__ import annotations

import numpy as np
import pytest

from grader.authoring import CheckFailed
from grader.exercises.perceptron.calls import every_order
from grader.exercises.perceptron.checks import _check_second_epoch
from grader.exercises.perceptron.strategies import Layer
from grader.student import InProcessStudent
from tests.perceptron.mutants import Mutant

#: Sample 0 is a mistake from w0, sample 1 is not: an epoch without sample 1 is the pass in the order (1, 0). After it
#: sample 1 is a mistake, so a second epoch without it shows.
LAYER = Layer(x=np.array([[1.0, -1.0], [0.5, -1.0]]), w=np.array([[0.0], [0.1]]), t=np.array([[1], [0]]))
ETA = 0.5

ALL_BUT_ONE = Mutant("all_but_one_sample", "train.online_epoch",
                     (("        order = np.arange(len(x))\n", "        order = np.arange(len(x) - 1)\n"),))
ONE_EPOCH = Mutant("one_epoch_only", "train.online_epoch",
                   (("    for epoch in range(epochs):\n", "    for epoch in range(min(epochs, 1)):\n"),))


@pytest.mark.parametrize("mutant", [ALL_BUT_ONE, ONE_EPOCH], ids=lambda m: m.name)
def test_a_wrong_second_epoch_names_every_cause(tmp_path, mutant):
    path = tmp_path / "perceptron.py"
    path.write_text(mutant.source(), encoding="utf-8")
    with pytest.raises(CheckFailed) as failed:
        _check_second_epoch(InProcessStudent(path), LAYER, ETA, 0, every_order(LAYER.x, LAYER.t, LAYER.w, ETA))
    message = failed.value.message
    for cause in ("every sample presented once in each epoch", "not from w0 again", "run `epochs` times",
                  "without stopping early"):
        assert cause in message, message
