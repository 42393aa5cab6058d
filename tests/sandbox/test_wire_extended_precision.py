"""Extended-precision floats (np.longdouble) returned by student code cross the wire as float64."""

from __future__ import annotations

import numpy as np
import pytest

from grader import wire

needs_extended = pytest.mark.skipif(np.dtype(np.longdouble).itemsize <= 8,
                                    reason="np.longdouble is double precision on this platform")


@needs_extended
def test_a_longdouble_array_crosses_as_float64():
    value = np.array([[1.5, 2.0], [1 / 3, -4.0]], dtype=np.longdouble)
    plain = wire.to_plain(value)
    assert isinstance(plain, np.ndarray) and plain.dtype == np.float64
    decoded = wire.decode(wire.encode(plain))
    assert decoded.dtype == np.float64 and np.array_equal(decoded, value.astype(np.float64))


@needs_extended
def test_a_longdouble_scalar_crosses_as_a_float():
    plain = wire.to_plain((np.longdouble(0.25), np.array([1], dtype=np.longdouble)))
    assert plain[0] == 0.25 and type(plain[0]) is float
    assert plain[1].dtype == np.float64


def test_other_dtypes_stay_unsupported():
    assert isinstance(wire.to_plain(np.zeros(2, dtype=np.complex128)), wire.Unsupported)
    assert isinstance(wire.to_plain(np.array(["a"])), wire.Unsupported)
