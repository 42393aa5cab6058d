"""The only data that crosses between the grader and student code.

A message is a JSON header followed by the raw bytes of numpy arrays, whose dtype
is one of a fixed list of plain numeric types and whose shape is checked against
the byte count: nothing in it can run code when decoded (no pickle, no objects).  Allowed
values: ``None``, ``bool``, ``int``, ``float``, ``str``, lists, tuples, dicts with
string keys, numeric or boolean numpy arrays, and :class:`Rng` (a seeded numpy
generator, rebuilt on the student's side).  What a student's code returns as a
subclass of a list, tuple, dict or array (a namedtuple, ``np.matrix``) crosses as the
plain list, tuple, dict or array of what it holds: its values, never its methods.
Everything else that student code returns is replaced by an :class:`Unsupported`
description of its type.

Every decoded value is bounded before any grader code sees it: the message's bytes, the
number of items and their nesting, the length of strings, and, for arrays, the number of
elements *and* the shape.  A shape is checked with its size: an array whose shape counts
more slots (the product of its dimensions, an empty dimension counted as one) than
:data:`MAX_ELEMENTS`, or an empty array with more than :data:`MAX_EMPTY_SLOTS` of them
(``np.empty((2**22, 0))``: no bytes, but four million empty rows to anything that walks
it), arrives as an :class:`Unsupported` description of its shape, never as an array.
"""

from __future__ import annotations

import json
import re
import struct
import sys
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Rng", "RNG_TEXT", "Unsupported", "WireError", "to_plain", "encode", "decode", "copied", "MAX_MESSAGE_BYTES"]

MAGIC = b"GRD1"
MAX_MESSAGE_BYTES = 256 * 1024 * 1024
MAX_DEPTH = 16
MAX_ITEMS = 1_000_000
MAX_STRING = 1_000_000
#: The most elements (and shape slots) an array may have; a reply of at most 64 MiB holds 8 million float64.
MAX_ELEMENTS = 10_000_000
#: The most slots (dimensions multiplied, an empty one counted as one) of an array with no element.
MAX_EMPTY_SLOTS = 10_000


class WireError(ValueError):
    """A message is malformed or breaks a limit; the sender is not to be trusted."""


@dataclass(frozen=True)
class Rng:
    """A numpy ``Generator`` argument: ``np.random.default_rng(seed)`` on the student's side."""

    seed: int

    def build(self) -> np.random.Generator:
        return np.random.default_rng(self.seed)

    def __str__(self) -> str:
        return f"np.random.default_rng({self.seed})"


#: How :class:`Rng` reads as text (in messages and counterexamples): a compiled submission gets its seed.
RNG_TEXT = re.compile(r"np\.random\.default_rng\(([^()]*)\)")


@dataclass(frozen=True)
class Unsupported:
    """Stands for a value of a type that cannot cross: ``type_name`` says what it was."""

    type_name: str

    def __str__(self) -> str:
        return f"a {self.type_name}"


def _type_name(value: Any) -> str:
    cls = type(value)
    module = cls.__module__
    return cls.__qualname__ if module in ("builtins", "__main__") else f"{module}.{cls.__qualname__}"


def _extended(dtype: np.dtype) -> bool:
    """Extended-precision floats (``np.longdouble`` where it is wider than double)."""
    return dtype.kind == "f" and dtype.itemsize > 8


def to_plain(value: Any, *, _depth: int = 0) -> Any:
    """Convert a value returned by student code into wire-safe plain data.

    Runs on the student's side; the grader validates again on receipt, so this
    only has to be convenient, not trustworthy.  Extended-precision floats
    (``np.longdouble``) cross rounded to float64: no check needs more.
    """
    if _depth > MAX_DEPTH:
        return Unsupported("structure nested too deeply")
    if value is None or type(value) in (bool, int, float, str):
        return value
    if type(value) is np.ndarray:
        if value.dtype.str in _DTYPES:
            # Not np.ascontiguousarray: it turns a 0-d array (a number numpy computed) into one of shape (1,).
            return value if value.flags.c_contiguous else value.copy(order="C")
        if _extended(value.dtype):
            return value.astype(np.float64)
        return Unsupported(f"numpy array of dtype {value.dtype}")
    if isinstance(value, np.ndarray):
        return _plain_array(value, _depth)
    if isinstance(value, np.generic) and type(value).__module__ == "numpy" and value.dtype.str in _DTYPES:
        return value.item()  # numpy's own scalar types only: a subclass may redefine item()
    if isinstance(value, np.floating) and type(value).__module__ == "numpy" and _extended(value.dtype):
        return float(value)
    if isinstance(value, (list, tuple)):
        # Subclasses too (a namedtuple is a tuple): their items cross as a plain list or tuple, never their methods.
        items = [to_plain(item, _depth=_depth + 1) for item in value]
        return tuple(items) if isinstance(value, tuple) else items
    if isinstance(value, dict) and all(type(key) is str for key in value):
        return {key: to_plain(item, _depth=_depth + 1) for key, item in value.items()}
    if type(value) is Rng:
        return value
    return _standard_library_number(value, _depth)


def _standard_library_number(value: Any, depth: int) -> Any:
    """The standard library's containers of numbers and exact numbers as the plain values they stand for: an
    ``array.array`` as the list of its items, a ``Fraction`` or a ``Decimal`` as the float nearest to it (checks
    compare numbers within tolerances); anything else crosses as its type name."""
    name = f"{type(value).__module__}.{type(value).__qualname__}"
    if name == "array.array":
        return to_plain(value.tolist(), _depth=depth + 1)
    if name in ("fractions.Fraction", "decimal.Decimal"):
        try:
            return float(value)
        except (ArithmeticError, ValueError):
            return Unsupported(_type_name(value))
    return Unsupported(_type_name(value))


def _plain_array(value: np.ndarray, depth: int) -> Any:
    """An array of a subclass of ``np.ndarray`` (``np.matrix``, a masked array...) as the plain array of its
    values, which is what it holds; a masked array with masked entries has no value there, and crosses as its
    type name."""
    masked = sys.modules.get("numpy.ma")  # not imported: no value can be a masked array
    if masked is not None and isinstance(value, masked.MaskedArray) and masked.getmaskarray(value).any():
        return Unsupported(f"{_type_name(value)} with masked entries")
    plain = np.asarray(value)
    if type(plain) is not np.ndarray:
        return Unsupported(_type_name(value))
    return to_plain(plain, _depth=depth + 1)


def _plain_scalar(item: Any) -> bool:
    """A numpy scalar of a plain dtype (``np.float64(0.5)``, ``np.int32(3)``): sent as the Python number it holds,
    so that a check may pass one to a student's call as it is."""
    return isinstance(item, np.generic) and type(item).__module__ == "numpy" and item.dtype.str in _DTYPES


def encode(value: Any) -> bytes:
    """Serialise plain data (see :func:`to_plain`; numpy scalars of a plain dtype as Python numbers) into one
    message."""
    arrays: list[np.ndarray] = []

    def tree(item: Any) -> Any:
        if item is None or type(item) in (bool, int, str):
            return item
        if type(item) is float:
            return item if np.isfinite(item) else {"$float": repr(item)}
        if type(item) is np.ndarray:
            arrays.append(item)
            return {"$array": len(arrays) - 1}
        if type(item) is list:
            return [tree(x) for x in item]
        if type(item) is tuple:
            return {"$tuple": [tree(x) for x in item]}
        if type(item) is dict:
            return {"$dict": [[key, tree(x)] for key, x in item.items()]}
        if type(item) is Rng:
            return {"$rng": item.seed}
        if type(item) is Unsupported:
            return {"$unsupported": item.type_name}
        if _plain_scalar(item):
            return tree(item.item())
        raise TypeError(f"cannot encode a value of type {_type_name(item)}; convert it with to_plain first")

    header = json.dumps({"value": tree(value), "arrays": [[a.dtype.str, list(a.shape)] for a in arrays]},
                        allow_nan=False).encode("utf-8")
    parts = [MAGIC, struct.pack(">Q", len(header)), header]
    parts += [array.tobytes(order="C") for array in arrays]
    return b"".join(parts)


#: The only dtypes an array may have on the wire (both byte orders).
_DTYPES = frozenset(
    prefix + code
    for prefix in "<>|"
    for code in ("b1", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "f2", "f4", "f8")
)


def _shape_text(shape: list[int]) -> str:
    text = "(" + ", ".join(str(size) for size in shape) + ("," if len(shape) == 1 else "") + ")"
    return text if len(text) <= 120 else text[:117] + "..."


def _read_array(spec: Any, message: bytes, position: int) -> tuple[Any, int]:
    """The array ``spec`` describes at ``position``, or an :class:`Unsupported` summary of one too large."""
    if type(spec) is not list or len(spec) != 2 or type(spec[0]) is not str or type(spec[1]) is not list:
        raise WireError("malformed array description")
    dtype_text, shape = spec
    if dtype_text not in _DTYPES or not all(type(size) is int and size >= 0 for size in shape) or len(shape) > 32:
        raise WireError(f"array of unsupported dtype or shape {dtype_text!r} {str(shape)[:200]!r}")
    dtype = np.dtype(dtype_text)
    count = slots = 1
    for size in shape:
        count *= size
        slots *= max(size, 1)
    end = position + count * dtype.itemsize
    if end > len(message):
        raise WireError("truncated array")
    if slots > MAX_ELEMENTS or (count == 0 and slots > MAX_EMPTY_SLOTS):
        # Shape and size together: too large to hand to the checks, described instead.
        what = "no elements" if count == 0 else f"{count} elements"
        return Unsupported(f"numpy array of shape {_shape_text(shape)} with {what} (too large to check)"), end
    array = np.frombuffer(message, dtype=dtype, count=count, offset=position).reshape(shape).copy()
    return array, end


def decode(message: bytes, *, max_bytes: int = MAX_MESSAGE_BYTES) -> Any:
    """Parse a message; raises :class:`WireError` on anything malformed or over a limit."""
    if len(message) > max_bytes:
        raise WireError(f"message of {len(message)} bytes exceeds the limit of {max_bytes}")
    if message[:4] != MAGIC or len(message) < 12:
        raise WireError("not a grader message")
    (header_length,) = struct.unpack(">Q", message[4:12])
    position = 12 + header_length
    if position > len(message):
        raise WireError("truncated header")
    try:
        document = json.loads(message[12:position].decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise WireError(f"unreadable header: {error}") from None
    if type(document) is not dict or set(document) != {"value", "arrays"} or type(document["arrays"]) is not list:
        raise WireError("malformed header")
    arrays = []
    for spec in document["arrays"]:
        array, position = _read_array(spec, message, position)
        arrays.append(array)
    if position != len(message):
        raise WireError("trailing bytes after the last array")
    header = document["value"]
    count = [0]

    def value(item: Any, depth: int) -> Any:
        count[0] += 1
        if depth > MAX_DEPTH + 2 or count[0] > MAX_ITEMS:
            raise WireError("message too deeply nested or too large")
        if item is None or type(item) in (bool, int):
            return item
        if type(item) is float:
            return item
        if type(item) is str:
            if len(item) > MAX_STRING:
                raise WireError("string too long")
            return _valid_text(item)
        if type(item) is list:
            return [value(x, depth + 1) for x in item]
        if type(item) is dict and len(item) == 1:
            (tag, body), = item.items()
            if tag == "$array" and type(body) is int and 0 <= body < len(arrays):
                return arrays[body]
            if tag == "$tuple" and type(body) is list:
                return tuple(value(x, depth + 1) for x in body)
            if tag == "$dict" and type(body) is list:
                pairs = {}
                for pair in body:
                    if type(pair) is not list or len(pair) != 2 or type(pair[0]) is not str:
                        raise WireError("malformed dict")
                    pairs[_valid_text(pair[0])] = value(pair[1], depth + 1)
                return pairs
            if tag == "$float" and body in ("nan", "inf", "-inf"):
                return float(body)
            if tag == "$rng" and type(body) is int:
                return Rng(body)
            if tag == "$unsupported" and type(body) is str:
                return Unsupported(_valid_text(body[:200]))
        raise WireError(f"unexpected element {str(item)[:80]!r}")

    return value(header, 0)


def _valid_text(text: str) -> str:
    """``text`` with its lone surrogates (what Python makes of bytes that are not UTF-8) written as escapes
    (``\\udcff``): every report is written as UTF-8, which cannot hold them."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


class _Unusual(Exception):
    """A value :func:`copied` leaves to the message path: near a limit, or not plain data."""


#: What :func:`copied` copies itself: far enough from every limit that the message path would take it whole.
_COPY_ITEMS, _COPY_BYTES, _COPY_STRING = 100_000, 16 * 1024 * 1024, 100_000


def copied(value: Any) -> Any:
    """``decode(encode(value))``, without the message: the same copies, conversions and errors.

    Calls in process go through this, so that they see what a call through the worker sees (fresh arrays,
    tuples, plain numbers, the same limits).  Plain data far from every limit is copied directly, faster;
    anything else (a value near a limit, of another type, an array of another dtype) goes through the message.
    """
    budget = [_COPY_ITEMS, _COPY_BYTES]
    try:
        return _copy(value, 0, budget)
    except _Unusual:
        return decode(encode(value))


def _copy(item: Any, depth: int, budget: list) -> Any:
    budget[0] -= 1
    if depth > MAX_DEPTH or budget[0] < 0:
        raise _Unusual()
    kind = type(item)
    if item is None or kind is bool or kind is int:
        return item
    if kind is float:
        return item if item == item else float("nan")  # every NaN crosses as the one float("nan") gives
    if kind is str:
        if len(item) > _COPY_STRING:
            raise _Unusual()
        return _valid_text(item)
    if kind is np.ndarray:
        dtype = item.dtype.str
        budget[1] -= item.nbytes
        if dtype not in _DTYPES or budget[1] < 0 or item.ndim > 32 or item.size == 0:
            raise _Unusual()
        slots = 1
        for size in item.shape:
            slots *= size
        if slots > MAX_ELEMENTS:
            raise _Unusual()
        return item.copy(order="C")  # what decoding gives: a fresh C-ordered array of the same dtype
    if kind is list:
        return [_copy(x, depth + 1, budget) for x in item]
    if kind is tuple:
        return tuple([_copy(x, depth + 1, budget) for x in item])
    if kind is dict:
        if not all(type(key) is str and len(key) <= _COPY_STRING for key in item):
            raise _Unusual()
        return {_valid_text(key): _copy(x, depth + 1, budget) for key, x in item.items()}
    if kind is Rng and type(item.seed) is int:
        return Rng(item.seed)
    if kind is Unsupported and type(item.type_name) is str:
        return Unsupported(item.type_name[:200])
    if _plain_scalar(item):
        return _copy(item.item(), depth, budget)
    raise _Unusual()
