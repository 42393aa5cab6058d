"""A number the student's code returns as a 0-d numpy array crosses the wire as one: shape (), not (1,)."""

from __future__ import annotations

import numpy as np
import pytest

from grader import wire


@pytest.mark.quick
def test_a_zero_dimensional_array_keeps_its_shape():
    sent = (np.zeros(2), np.array(0.75), np.array(3, dtype=np.int32))
    received = wire.decode(wire.encode(wire.to_plain(sent)))
    assert received[1].shape == () and received[1] == 0.75
    assert received[2].shape == () and received[2].dtype == np.int32 and received[2] == 3
    assert received[0].shape == (2,)


@pytest.mark.quick
def test_a_non_contiguous_array_still_crosses():
    sent = np.arange(12.0).reshape(3, 4)[:, ::2]
    received = wire.decode(wire.encode(wire.to_plain(sent)))
    assert np.array_equal(received, sent)
