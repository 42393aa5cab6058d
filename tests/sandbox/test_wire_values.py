"""What crosses the wire is what the student's code returned, in value and shape, or a description of its type:
odd array layouts arrive intact, objects that imitate plain values never arrive."""

from __future__ import annotations

import array
import collections
import decimal
import fractions
import enum
import struct
import typing

import numpy as np
import pytest

from grader import wire


def _across(value):
    return wire.decode(wire.encode(wire.to_plain(value)))


@pytest.mark.parametrize("array", [
    np.array(7), np.array(2.5, dtype=">f8"), np.arange(6, dtype=">i4"), np.arange(12.0).reshape(3, 4).T,
    np.arange(10)[::3], np.asfortranarray(np.eye(3, dtype=np.float32)), np.zeros((0, 3)), np.array([True, False]),
    np.array([-0.0, np.nan, np.inf, -np.inf]), np.arange(4, dtype=np.uint64) + np.uint64(2**63),
])
def test_arrays_arrive_with_their_shape_dtype_and_values(array):
    array.flags.writeable = False
    received = _across(array)
    assert type(received) is np.ndarray and received.shape == array.shape and received.dtype == array.dtype
    assert np.array_equal(received, array, equal_nan=array.dtype.kind == "f")
    assert np.array_equal(np.signbit(received), np.signbit(array)) if array.dtype.kind == "f" else True


class _Color(enum.IntEnum):
    RED = 1


class _Float(np.float64):
    def item(self):  # would hand over an arbitrary object as a "plain" value
        return object()


class _Int(int):
    def __eq__(self, other):
        return True

    __hash__ = int.__hash__


class _Text(str):
    pass


class _List(list):
    def __eq__(self, other):
        return True


@pytest.mark.parametrize("value, type_name", [
    (_Color.RED, "_Color"), (_Float(1.0), "_Float"), (_Int(3), "_Int"), (_Text("x"), "_Text"),
    (np.array([1 + 2j]), "numpy array of dtype complex128"), (np.array(["a"]), "numpy array of dtype <U1"),
    (np.ma.array([1.0, 2.0], mask=[False, True]), "numpy.ma.MaskedArray with masked entries"),
    (np.complex64(1), ""),  # extended precision (float128) arrives as float64: see test_wire_extended_precision
])
def test_imitations_of_plain_values_arrive_as_their_type_name(value, type_name):
    received = _across(value)
    assert type(received) is wire.Unsupported
    assert type_name in received.type_name


_Pair = collections.namedtuple("_Pair", "w mistakes")


class _Scores(typing.NamedTuple):
    recall: np.ndarray
    accuracy: float


@pytest.mark.parametrize("value, plain", [
    (_Pair(np.eye(2), [0, 1]), (np.eye(2), [0, 1])), (_Scores(np.ones(2), 0.5), (np.ones(2), 0.5)),
    (_List([1, (2, 3)]), [1, (2, 3)]), (collections.OrderedDict(a=1.5), {"a": 1.5}),
    (np.matrix([[1, 2], [3, 4]]), np.array([[1, 2], [3, 4]])), (np.ma.array([1.0, 2.0]), np.array([1.0, 2.0])),
    ([np.matrix([[1.5]]), _Pair(1, 2)], [np.array([[1.5]]), (1, 2)]),
    # The standard library's array and exact numbers: the values they stand for.
    (array.array("q", [2, 0, 1]), [2, 0, 1]), (array.array("d", [0.5]), [0.5]),
    ([fractions.Fraction(1, 4), decimal.Decimal("0.5")], [0.25, 0.5]),
])
def test_subclasses_of_containers_and_arrays_arrive_as_the_plain_values_they_hold(value, plain):
    """A namedtuple is a tuple and ``np.matrix`` an array: code returning them is as right as code returning the
    plain ones. Only their values cross: an imitation's own ``__eq__`` (``_List``) stays behind."""
    received = _across(value)
    assert _identical(received, plain), (received, plain)
    assert _identical(wire.copied(wire.to_plain(value)), plain)  # a call in process gets the same


# --- in process: the same copies as through a message -----------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra import numpy as npst  # noqa: E402

_DTYPES = st.sampled_from(["<f8", ">f8", "<f4", "<f2", "<i8", ">i4", "<i2", "|i1", "<u8", "|u1", "|b1", "<c16", "<M8[s]"])
_ARRAYS = _DTYPES.flatmap(lambda dtype: npst.arrays(np.dtype(dtype), npst.array_shapes(min_dims=0, max_dims=3,
                                                                                        min_side=0, max_side=4)))
_LEAVES = (st.none() | st.booleans() | st.integers() | st.integers(min_value=2**63, max_value=2**70)
           | st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([-float("nan"), -0.0])
           | st.text(max_size=5) | _ARRAYS
           | st.integers(0, 2**32).map(wire.Rng) | st.text(max_size=300).map(wire.Unsupported)
           | st.sampled_from([np.float64(1.5), object(), wire.Rng(True), 1 + 2j, np.arange(6.0)[::2]]))
_VALUES = st.recursive(_LEAVES, lambda inner: st.lists(inner, max_size=3) | st.lists(inner, max_size=3).map(tuple)
                       | st.dictionaries(st.text(max_size=3) | st.integers(0, 3), inner, max_size=3), max_leaves=12)


def _identical(first, second) -> bool:
    """Equal with the same types all the way down: arrays of the same dtype (byte order too), shape, bits and
    layout, floats with the same bits."""
    if type(first) is not type(second):
        return False
    if isinstance(first, np.ndarray):
        return (first.dtype.str == second.dtype.str and first.shape == second.shape
                and first.tobytes() == second.tobytes() and first.flags.c_contiguous == second.flags.c_contiguous
                and first.flags.writeable == second.flags.writeable and first.flags.owndata == second.flags.owndata)
    if isinstance(first, float):
        return struct.pack("<d", first) == struct.pack("<d", second)
    if isinstance(first, (list, tuple)):
        return len(first) == len(second) and all(_identical(a, b) for a, b in zip(first, second))
    if isinstance(first, dict):
        return list(first) == list(second) and all(_identical(first[key], second[key]) for key in first)
    return first == second


def _outcome(function, value):
    try:
        return "value", function(value)
    except Exception as error:  # noqa: BLE001 - the same error is the point
        return "error", (type(error), str(error))


@settings(max_examples=300, deadline=None)
@given(_VALUES)
def test_a_copy_in_process_is_what_a_message_gives(value):
    copied = _outcome(wire.copied, value)
    across = _outcome(lambda v: wire.decode(wire.encode(v)), value)
    assert copied[0] == across[0]
    assert copied[1] == across[1] if copied[0] == "error" else _identical(copied[1], across[1])


@pytest.mark.parametrize("value", [
    np.zeros((0, 5)), np.zeros((2**13, 0, 2**13)), "x" * (wire.MAX_STRING + 1), [[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]],
    list(range(200_000)), np.zeros(wire.MAX_ELEMENTS + 1, dtype=np.uint8), {"k" * 200_000: 1},
])
def test_values_near_a_limit_are_copied_as_a_message_gives_them(value):
    copied = _outcome(wire.copied, value)
    across = _outcome(lambda v: wire.decode(wire.encode(v)), value)
    assert copied[0] == across[0]
    assert copied[1] == across[1] if copied[0] == "error" else _identical(copied[1], across[1])


def test_a_check_may_send_numpy_scalars_they_arrive_as_python_numbers():
    # eta = 1 / np.max(...) is a numpy.float64: a check passes it to the student's call as it is.
    sent = (np.float64(0.5), np.int32(3), np.bool_(True), np.float32("nan"), [np.uint8(7)])
    for received in (wire.decode(wire.encode(sent)), wire.copied(sent)):
        assert [type(item) for item in received[:4]] == [float, int, bool, float] and received[3] != received[3]
        assert received[:3] == (0.5, 3, True) and received[4] == [7] and type(received[4][0]) is int
