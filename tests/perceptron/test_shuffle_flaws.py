"""What train.shuffles_with_rng says of a shuffle that draws a new order every epoch, but only some orders: the
flaw its first orders show (the last sample left out, or every sample moved), not a second epoch that repeats the
first, the cause the check names otherwise, nor no shuffle at all when the orders it draws all end at the same
weights (then seen on the check's probe, whose every order ends apart).  The examples are ones the check keeps
(three samples whose orders end apart), with seeds for which it fails the shuffle."""

from __future__ import annotations

import numpy as np
import pytest

from grader.authoring import CheckFailed
from grader.exercises.perceptron.calls import every_order
from grader.exercises.perceptron import checks
from grader.exercises.perceptron.checks import _check_new_order_every_epoch, train_shuffles
from grader.exercises.perceptron.strategies import Layer
from grader.student import InProcessStudent
from tests.perceptron.mutants import LAST_SAMPLE_LEFT_OUT, MUTANTS, SATTOLO, Mutant


def _message(tmp_path, mutant: Mutant, layer: Layer, eta: float, seed: int) -> str:
    path = tmp_path / "perceptron.py"
    path.write_text(mutant.source(), encoding="utf-8")
    firsts = [w for w, _ in every_order(layer.x, layer.t, layer.w, eta)]
    with pytest.raises(CheckFailed) as failed:
        _check_new_order_every_epoch(InProcessStudent(path), layer, eta, seed, firsts)
    return failed.value.message


def test_a_shuffle_leaving_the_last_sample_out_is_named(tmp_path):
    layer = Layer(x=np.array([[-0.125, -1.0], [0.0, -1.0], [0.0, -1.0]]),
                  w=np.array([[0.1875, 0.625, 0.8125], [0.6875, 0.5, 0.125]]),
                  t=np.array([[1, 1, 0], [0, 1, 1], [0, 1, 0]]))
    message = _message(tmp_path, LAST_SAMPLE_LEFT_OUT, layer, 2.0, 3473532309)
    assert "the last sample is presented last" in message and "leaves out the last sample" in message, message
    assert "presented again" not in message, message


def test_a_shuffle_moving_every_sample_is_named(tmp_path):
    layer = Layer(x=np.array([[16.0, -16.0, -1.0], [-12.0, 12.0, -1.0], [16.0, -8.0, -1.0]]),
                  w=np.array([[-0.375, 0.75, -0.1875], [-0.4375, 0.6875, -0.5], [-0.1875, 0.3125, 0.125]]),
                  t=np.array([[0, 0, 1], [1, 1, 1], [1, 0, 0]]))
    message = _message(tmp_path, SATTOLO, layer, 1.0, 532224325)
    assert "no sample is presented at its own place" in message and "i included" in message, message
    assert "presented again" not in message, message


#: The check, called here on one example, keeps it with hypothesis's assume, which warns outside a property test.
OUTSIDE_HYPOTHESIS = pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisDeprecationWarning")


def _check_message(tmp_path, mutant: Mutant, layer: Layer, eta: float, seed: int) -> str:
    """The message of the whole check train.shuffles_with_rng on one example (which it keeps)."""
    path = tmp_path / "perceptron.py"
    path.write_text(mutant.source(), encoding="utf-8")
    with pytest.raises(CheckFailed) as failed:
        train_shuffles.test(InProcessStudent(path), layer, eta, seed)
    return failed.value.message


#: Four samples whose orders end at the same weights whenever sample 3 is last (the example the check found for a
#: C train calling shuffle(order, n - 1, &state)): a shuffle leaving it out gives the same weights for every seed.
LAST_LAST_SAME = Layer(x=np.array([[0.0, -1.0]] * 4), w=np.zeros((2, 4)),
                       t=np.array([[0, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 0, 1]]))
#: Three samples whose two cyclic orders, the only ones Sattolo's shuffle draws, end at the same weights.
CYCLES_SAME = Layer(x=np.array([[0.0, -1.0], [1.0, -1.0], [0.0, -1.0]]), w=np.array([[-0.5], [0.0]]),
                    t=np.array([[0], [0], [1]]))


def test_the_probe_tells_every_order():
    probe = checks.ORDER_PROBE
    ends = [w.tobytes() for w, _ in every_order(probe.x, probe.t, probe.w, 1.0)]
    assert len(set(ends)) == len(ends) == 24


@OUTSIDE_HYPOTHESIS
def test_a_shuffle_leaving_the_last_sample_out_is_named_when_its_orders_end_alike(tmp_path):
    message = _check_message(tmp_path, LAST_SAMPLE_LEFT_OUT, LAST_LAST_SAME, 0.25, 0)
    assert "the last sample is presented last" in message and "leaves out the last sample" in message, message
    assert "same weights" not in message, message


@OUTSIDE_HYPOTHESIS
def test_a_shuffle_moving_every_sample_is_named_when_its_orders_end_alike(tmp_path):
    message = _check_message(tmp_path, SATTOLO, CYCLES_SAME, 1.0, 0)
    assert "no sample is presented at its own place" in message and "i included" in message, message
    assert "same weights" not in message, message


@OUTSIDE_HYPOTHESIS
def test_no_shuffle_keeps_the_generic_message(tmp_path):
    no_shuffle = next(mutant for mutant in MUTANTS if mutant.name == "no_shuffle")
    message = _check_message(tmp_path, no_shuffle, LAST_LAST_SAME, 0.25, 0)
    assert message.startswith("train gave the same weights for 24 different seeds"), message
