"""The only data that crosses between the grader and student code.

A message is a JSON header followed by numpy arrays in ``.npy`` format, read back
with ``allow_pickle=False``: nothing in it can run code when decoded.  Allowed
values: ``None``, ``bool``, ``int``, ``float``, ``str``, lists, tuples, dicts with
string keys, numeric or boolean numpy arrays, and :class:`Rng` (a seeded numpy
generator, rebuilt on the student's side).  Everything else that student code
returns is replaced by an :class:`Unsupported` description of its type.
"""

from __future__ import annotations

import io
import json
import struct
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Rng", "Unsupported", "WireError", "to_plain", "encode", "decode", "MAX_MESSAGE_BYTES"]

MAGIC = b"GRD1"
MAX_MESSAGE_BYTES = 256 * 1024 * 1024
MAX_DEPTH = 16
MAX_ITEMS = 1_000_000
MAX_STRING = 1_000_000
_ARRAY_KINDS = "biuf"  # bool, signed and unsigned integers, floats


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


def to_plain(value: Any, *, _depth: int = 0) -> Any:
    """Convert a value returned by student code into wire-safe plain data.

    Runs on the student's side; the grader validates again on receipt, so this
    only has to be convenient, not trustworthy.
    """
    if _depth > MAX_DEPTH:
        return Unsupported("structure nested too deeply")
    if value is None or type(value) in (bool, int, float, str):
        return value
    if type(value) is np.ndarray:
        if value.dtype.kind in _ARRAY_KINDS and value.dtype.fields is None:
            return np.ascontiguousarray(value)
        return Unsupported(f"numpy array of dtype {value.dtype}")
    if isinstance(value, np.ndarray):
        return Unsupported(_type_name(value))
    if isinstance(value, np.generic) and value.dtype.kind in _ARRAY_KINDS:
        return value.item()
    if type(value) in (list, tuple):
        items = [to_plain(item, _depth=_depth + 1) for item in value]
        return tuple(items) if type(value) is tuple else items
    if type(value) is dict and all(type(key) is str for key in value):
        return {key: to_plain(item, _depth=_depth + 1) for key, item in value.items()}
    if type(value) is Rng:
        return value
    return Unsupported(_type_name(value))


def encode(value: Any) -> bytes:
    """Serialise plain data (see :func:`to_plain`) into one message."""
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
        raise TypeError(f"cannot encode a value of type {_type_name(item)}; convert it with to_plain first")

    header = json.dumps(tree(value), allow_nan=False).encode("utf-8")
    parts = [MAGIC, struct.pack(">I", len(arrays)), struct.pack(">Q", len(header)), header]
    for array in arrays:
        buffer = io.BytesIO()
        np.save(buffer, array, allow_pickle=False)
        blob = buffer.getvalue()
        parts += [struct.pack(">Q", len(blob)), blob]
    return b"".join(parts)


def _read_array(blob: bytes) -> np.ndarray:
    try:
        array = np.load(io.BytesIO(blob), allow_pickle=False)
    except Exception as error:  # any parse failure means a forged or broken message
        raise WireError(f"unreadable array: {error}") from None
    if type(array) is not np.ndarray or array.dtype.kind not in _ARRAY_KINDS or array.dtype.fields is not None:
        raise WireError(f"array of unsupported dtype {getattr(array, 'dtype', '?')}")
    return array


def decode(message: bytes, *, max_bytes: int = MAX_MESSAGE_BYTES) -> Any:
    """Parse a message; raises :class:`WireError` on anything malformed or over a limit."""
    if len(message) > max_bytes:
        raise WireError(f"message of {len(message)} bytes exceeds the limit of {max_bytes}")
    if message[:4] != MAGIC or len(message) < 16:
        raise WireError("not a grader message")
    (n_arrays,) = struct.unpack(">I", message[4:8])
    (header_length,) = struct.unpack(">Q", message[8:16])
    position = 16 + header_length
    if position > len(message):
        raise WireError("truncated header")
    arrays = []
    for _ in range(n_arrays):
        if position + 8 > len(message):
            raise WireError("truncated array")
        (length,) = struct.unpack(">Q", message[position : position + 8])
        position += 8
        if position + length > len(message):
            raise WireError("truncated array")
        arrays.append(_read_array(message[position : position + length]))
        position += length
    if position != len(message):
        raise WireError("trailing bytes after the last array")
    try:
        header = json.loads(message[16 : 16 + header_length].decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise WireError(f"unreadable header: {error}") from None
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
            return item
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
                    pairs[pair[0]] = value(pair[1], depth + 1)
                return pairs
            if tag == "$float" and body in ("nan", "inf", "-inf"):
                return float(body)
            if tag == "$rng" and type(body) is int:
                return Rng(body)
            if tag == "$unsupported" and type(body) is str:
                return Unsupported(body[:200])
        raise WireError(f"unexpected element {str(item)[:80]!r}")

    return value(header, 0)
