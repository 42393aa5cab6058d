"""What the MLP's calls say of a forward pass returning the wrong shapes: each message names the bug the shapes
show."""

from __future__ import annotations

import numpy as np
import pytest

from grader.authoring import CheckFailed
from grader.exercises.mlp import network
from grader.exercises.mlp.calls import call_forward


class _Forward:
    """A student whose forward returns the right arrays, edited by ``edit``."""

    def __init__(self, edit) -> None:
        self.edit = edit

    def call(self, function, x, w1, w2, beta):
        assert function == "forward"
        return self.edit(*network.forward(x, w1, w2, beta))


X = np.array([[0.5, -1.0], [0.25, -1.0], [-0.75, -1.0]])


def _message(edit, hid_dim: int, out_dim: int) -> str:
    w1, w2 = np.full((2, hid_dim), 0.5), np.full((hid_dim + 1, out_dim), -0.25)
    with pytest.raises(CheckFailed) as failed:
        call_forward(_Forward(edit), X, w1, w2, 1.0)  # type: ignore[arg-type]
    return failed.value.message


@pytest.mark.quick
@pytest.mark.parametrize("hid_dim, out_dim", [(1, 1), (2, 2), (3, 1)])
def test_outputs_returned_first_are_said_to_be_in_another_order(hid_dim, out_dim):
    # With one hidden neuron the outputs have the shape of the hidden neurons without the bias node: the swap, not a
    # missing bias node, is what the shapes show (the hidden layer returned second has the bias node's column).
    message = _message(lambda hidden, y: (y, hidden), hid_dim, out_dim)
    assert "in another order" in message, message
    assert "append a column of -1" not in message, message


@pytest.mark.parametrize("hid_dim, out_dim", [(1, 1), (2, 2), (3, 1)])
def test_hidden_layer_without_the_bias_node_is_said_to_miss_it(hid_dim, out_dim):
    message = _message(lambda hidden, y: (hidden[:, :-1], y), hid_dim, out_dim)
    assert "append a column of -1" in message, message
