"""The k-means contract in C and Fortran: calls the compiled functions through their C ABI.

Trusted code, imported by the worker from this file before it is confined
(``bind(library, language)`` is all it offers), so it uses only the standard
library and numpy.  Each function takes and returns what the Python contract
does (see the README), and converts:

- **C** (``kmeans.c``): ``double`` arrays, contiguous and row-major
  (``data[i*d + j]``), ``int`` labels in ``0..k-1``;
- **Fortran** (``kmeans.f90``, ``bind(C)`` procedures, scalars by value): arrays
  with the Python shapes in column-major order (``data(n, d)``), labels in
  ``1..k``; the binding adds and removes the 1.

``init_centers(data, k, rng)`` passes a seed drawn from ``rng`` to the compiled
function, which must draw with the skeleton's generator from ``state = seed``:
the same ``rng`` seed gives the same centers, different seeds different ones.
A status of ``-1`` (``k < 1`` or ``k > n``) raises ``ValueError``.

Inputs are passed as arrays the compiled code may (wrongly) write to, and what it
wrote is copied back into the caller's arrays, so the "leaves its inputs
unchanged" checks see it.  A skeleton function that sets the global flag
``not_implemented`` (C ``int``, Fortran ``integer(c_int), bind(C)``) raises
``NotImplementedError``.  A function the library does not define is simply
absent from what :func:`bind` returns.
"""

from __future__ import annotations

import ctypes
import types
from typing import Any, Callable, Literal

import numpy as np

__all__ = ["bind"]

_DOUBLE_P = ctypes.POINTER(ctypes.c_double)
_INT_P = ctypes.POINTER(ctypes.c_int)
_INT_MAX = 2**31 - 1


def _doubles(array: np.ndarray, order: Literal["C", "F"]) -> np.ndarray:
    return np.array(array, dtype=np.float64, order=order, copy=True)


def _ints(array: np.ndarray, order: Literal["C", "F"], offset: int) -> np.ndarray:
    values = np.asarray(array)
    if values.size and (values.min() + offset < -_INT_MAX or values.max() + offset > _INT_MAX):
        raise ValueError("labels do not fit in a C int")
    return np.array(values.astype(np.int64) + offset, dtype=np.intc, order=order, copy=True)


def _copy_back(original: Any, passed: np.ndarray, offset: float = 0) -> None:
    """Write what the compiled code left in ``passed`` back into the caller's ``original`` array."""
    if isinstance(original, np.ndarray) and original.shape == passed.shape and original.flags.writeable:
        changed = passed - offset if offset else passed
        try:
            np.copyto(original, changed, casting="unsafe")
        except (TypeError, ValueError):
            pass


def _int(value: Any, name: str) -> int:
    number = int(value)
    if not -_INT_MAX <= number <= _INT_MAX:
        raise ValueError(f"{name} = {number} does not fit in a C int")
    return number


def _matrix(value: Any, name: str) -> np.ndarray:
    array = np.asarray(value, dtype=np.float64)
    if array.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array, got shape {array.shape}")
    return array


class _Kmeans:
    """The five functions over one loaded library."""

    def __init__(self, library: ctypes.CDLL, language: str) -> None:
        self._lib = library
        self._fortran = language == "fortran"
        self._order: Literal["C", "F"] = "F" if self._fortran else "C"
        self._offset = 1 if self._fortran else 0
        try:
            self._flag: Any = ctypes.c_int.in_dll(library, "not_implemented")
        except ValueError:
            self._flag = None

    def function(self, name: str, restype: Any, argtypes: list[Any]) -> Any:
        compiled = getattr(self._lib, name)  # AttributeError: not defined
        compiled.restype = restype
        compiled.argtypes = argtypes
        return compiled

    def run(self, compiled: Any, *args: Any) -> Any:
        if self._flag is not None:
            self._flag.value = 0
        result = compiled(*args)
        if self._flag is not None and self._flag.value != 0:
            raise NotImplementedError(compiled.__name__)
        return result

    @staticmethod
    def pointer(array: np.ndarray, kind: Any) -> Any:
        return array.ctypes.data_as(kind)


def bind(library: ctypes.CDLL, language: str) -> types.SimpleNamespace:
    """The contract's functions (``init_centers``, ``assign``, ``update``, ``kmeans``, ``distance``) over
    ``library``, compiled from ``language`` (``c`` or ``fortran``); those it does not define are absent."""
    if language not in ("c", "fortran"):
        raise ValueError(f"no k-means binding for {language!r}")
    kmeans = _Kmeans(library, language)
    functions: dict[str, Callable[..., Any]] = {}
    for name, make in (("distance", _distance), ("init_centers", _init_centers), ("assign", _assign),
                       ("update", _update), ("kmeans", _kmeans)):
        try:
            functions[name] = make(kmeans)
        except AttributeError:
            continue
    return types.SimpleNamespace(**functions)


def _distance(km: _Kmeans) -> Callable[..., float]:
    compiled = km.function("distance", ctypes.c_double, [_DOUBLE_P, _DOUBLE_P, ctypes.c_int])

    def distance(a: Any, b: Any) -> float:
        first, second = np.array(a, dtype=np.float64).ravel(), np.array(b, dtype=np.float64).ravel()
        if first.shape != second.shape:
            raise ValueError("the two points have different dimensions")
        return float(km.run(compiled, km.pointer(first, _DOUBLE_P), km.pointer(second, _DOUBLE_P),
                            _int(len(first), "d")))

    return distance


def _init_centers(km: _Kmeans) -> Callable[..., np.ndarray]:
    compiled = km.function("init_centers", ctypes.c_int,
                           [_DOUBLE_P, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int64, _DOUBLE_P])

    def init_centers(data: Any, k: Any, rng: np.random.Generator) -> np.ndarray:
        points = _matrix(data, "data")
        n, d = points.shape
        k = _int(k, "k")
        seed = int(rng.integers(0, 2**63, dtype=np.int64))
        passed = _doubles(points, km._order)
        centers = np.full((max(k, 1), d), np.nan, dtype=np.float64, order=km._order)
        status = km.run(compiled, km.pointer(passed, _DOUBLE_P), _int(n, "n"), _int(d, "d"), k, seed,
                        km.pointer(centers, _DOUBLE_P))
        _copy_back(data, passed)
        if status == -1:
            raise ValueError(f"init_centers returned -1: k = {k} is impossible for {n} points")
        if status != 0:
            raise RuntimeError(f"init_centers returned {status}; it must return 0, or -1 for an impossible k")
        return np.ascontiguousarray(centers[:k])

    return init_centers


def _assign(km: _Kmeans) -> Callable[..., np.ndarray]:
    compiled = km.function("assign", None,
                           [_DOUBLE_P, ctypes.c_int, ctypes.c_int, _DOUBLE_P, ctypes.c_int, _INT_P])

    def assign(data: Any, centers: Any) -> np.ndarray:
        points, middles = _matrix(data, "data"), _matrix(centers, "centers")
        n, d = points.shape
        passed_data, passed_centers = _doubles(points, km._order), _doubles(middles, km._order)
        labels = np.full(n, -(2**31), dtype=np.intc)  # what is left unwritten reads as no center at all
        km.run(compiled, km.pointer(passed_data, _DOUBLE_P), _int(n, "n"), _int(d, "d"),
               km.pointer(passed_centers, _DOUBLE_P), _int(len(middles), "k"), km.pointer(labels, _INT_P))
        _copy_back(data, passed_data)
        _copy_back(centers, passed_centers)
        return labels.astype(np.int64) - km._offset

    return assign


def _update(km: _Kmeans) -> Callable[..., np.ndarray]:
    compiled = km.function("update", None,
                           [_DOUBLE_P, ctypes.c_int, ctypes.c_int, _INT_P, _DOUBLE_P, ctypes.c_int, _DOUBLE_P])

    def update(data: Any, labels: Any, centers: Any) -> np.ndarray:
        points, middles = _matrix(data, "data"), _matrix(centers, "centers")
        n, d = points.shape
        passed_data, passed_centers = _doubles(points, km._order), _doubles(middles, km._order)
        passed_labels = _ints(np.asarray(labels).reshape(-1), km._order, km._offset)
        new = np.full(middles.shape, np.nan, dtype=np.float64, order=km._order)
        km.run(compiled, km.pointer(passed_data, _DOUBLE_P), _int(n, "n"), _int(d, "d"),
               km.pointer(passed_labels, _INT_P), km.pointer(passed_centers, _DOUBLE_P), _int(len(middles), "k"),
               km.pointer(new, _DOUBLE_P))
        _copy_back(data, passed_data)
        _copy_back(labels, passed_labels, km._offset)
        _copy_back(centers, passed_centers)
        return np.ascontiguousarray(new)

    return update


def _kmeans(km: _Kmeans) -> Callable[..., tuple[np.ndarray, np.ndarray, int]]:
    compiled = km.function("kmeans", ctypes.c_int,
                           [_DOUBLE_P, ctypes.c_int, ctypes.c_int, _DOUBLE_P, ctypes.c_int, ctypes.c_double,
                            ctypes.c_int, _DOUBLE_P, _INT_P])

    def kmeans(data: Any, centers: Any, eps: float = 1e-3, max_iter: int = 100) -> tuple[np.ndarray, np.ndarray,
                                                                                          int]:
        points, start = _matrix(data, "data"), _matrix(centers, "centers")
        n, d = points.shape
        passed_data, passed_start = _doubles(points, km._order), _doubles(start, km._order)
        final = np.full(start.shape, np.nan, dtype=np.float64, order=km._order)
        labels = np.full(n, -(2**31), dtype=np.intc)
        n_iter = km.run(compiled, km.pointer(passed_data, _DOUBLE_P), _int(n, "n"), _int(d, "d"),
                        km.pointer(passed_start, _DOUBLE_P), _int(len(start), "k"), float(eps),
                        _int(max_iter, "max_iter"), km.pointer(final, _DOUBLE_P), km.pointer(labels, _INT_P))
        _copy_back(data, passed_data)
        _copy_back(centers, passed_start)
        return np.ascontiguousarray(final), labels.astype(np.int64) - km._offset, int(n_iter)

    return kmeans
