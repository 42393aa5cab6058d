"""The k-means contract in C and Fortran: calls the compiled functions through their C ABI.

Trusted code, imported by the worker from this file before it is confined
(``bind(library, language)`` is all it offers), so it uses only the standard
library, numpy and :mod:`grader.student._compiled` (the contract every
binding builds on).  Each function takes and returns what the Python contract
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
from typing import Any, Callable

import numpy as np

from grader.student._compiled import DOUBLE_P, INT_MAX, INT_P, Library, checked_array, copy_back, integer

__all__ = ["bind"]

#: The arguments of the contract that hold indices counted from 0 (function -> argument name -> position): the
#: labels, 1..k in Fortran.  Read by the grader without running this file (a literal), so that the call shown with a
#: crash counts them as the student's language does, as the binding converts them.
INDEX_ARGUMENTS = {"update": {"labels": 1}}


def _labels(array: Any, lib: Library) -> np.ndarray:
    """0-based labels as C ints in ``lib``'s order, 1-based in Fortran; ``ValueError`` if they do not fit."""
    values = np.asarray(array)
    if values.size and (values.min() + lib.offset < -INT_MAX or values.max() + lib.offset > INT_MAX):
        raise ValueError("labels do not fit in a C int")
    return lib.ints(values.astype(np.int64) + lib.offset, "labels")


def _matrix(value: Any, name: str) -> np.ndarray:
    return checked_array(value, name, 2)


def bind(library: ctypes.CDLL, language: str) -> types.SimpleNamespace:
    """The contract's functions (``init_centers``, ``assign``, ``update``, ``kmeans``, ``distance``) over
    ``library``, compiled from ``language`` (``c`` or ``fortran``); those it does not define are absent."""
    if language not in ("c", "fortran"):
        raise ValueError(f"no k-means binding for {language!r}")
    kmeans = Library(library, language)
    functions: dict[str, Callable[..., Any]] = {}
    for name, make in (("distance", _distance), ("init_centers", _init_centers), ("assign", _assign),
                       ("update", _update), ("kmeans", _kmeans)):
        try:
            functions[name] = make(kmeans)
        except AttributeError:
            continue
    return types.SimpleNamespace(**functions)


def _distance(km: Library) -> Callable[..., float]:
    compiled = km.function("distance", ctypes.c_double, [DOUBLE_P, DOUBLE_P, ctypes.c_int], "a b d")

    def distance(a: Any, b: Any) -> float:
        first, second = np.array(a, dtype=np.float64).ravel(), np.array(b, dtype=np.float64).ravel()
        if first.shape != second.shape:
            raise ValueError("the two points have different dimensions")
        return float(km.run(compiled, km.pointer(first), km.pointer(second),
                            integer(len(first), "d")))

    return distance


def _init_centers(km: Library) -> Callable[..., np.ndarray]:
    compiled = km.function("init_centers", ctypes.c_int,
                           [DOUBLE_P, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int64, DOUBLE_P],
                           "data n d k seed centers")

    def init_centers(data: Any, k: Any, rng: np.random.Generator) -> np.ndarray:
        points = _matrix(data, "data")
        n, d = points.shape
        k = integer(k, "k")
        seed = int(rng.integers(0, 2**63, dtype=np.int64))
        passed = km.doubles(points)
        centers = km.output((max(k, 1), d), fill=np.nan)  # left unset with the status -1 of an impossible k
        status = km.run(compiled, km.pointer(passed), integer(n, "n"), integer(d, "d"), k, seed,
                        km.pointer(centers))
        copy_back(data, passed)
        if status == -1 and not np.all(np.isnan(centers)):
            raise RuntimeError(f"init_centers returned -1 for k = {k} and {n} points, but wrote centers first: check "
                               "k before drawing, and write nothing when it is impossible")
        if status == -1:
            raise ValueError(f"init_centers returned -1: k = {k} is impossible for {n} points")
        if status != 0:
            raise RuntimeError(f"init_centers returned {status}; it must return 0, or -1 for an impossible k")
        return np.ascontiguousarray(centers[:k])

    return init_centers


def _assign(km: Library) -> Callable[..., np.ndarray]:
    compiled = km.function("assign", None,
                           [DOUBLE_P, ctypes.c_int, ctypes.c_int, DOUBLE_P, ctypes.c_int, INT_P],
                           "data n d centers k labels")

    def assign(data: Any, centers: Any) -> np.ndarray:
        points, middles = _matrix(data, "data"), _matrix(centers, "centers")
        n, d = points.shape
        passed_data, passed_centers = km.doubles(points), km.doubles(middles)
        # What is left unwritten reads as no center at all (the checks recognise this value as never set).
        labels = km.int_output((n,), fill=-(2**31))
        km.run(compiled, km.pointer(passed_data), integer(n, "n"), integer(d, "d"),
               km.pointer(passed_centers), integer(len(middles), "k"), km.pointer(labels))
        copy_back(data, passed_data)
        copy_back(centers, passed_centers)
        return labels.astype(np.int64) - km.offset

    return assign


def _update(km: Library) -> Callable[..., np.ndarray]:
    compiled = km.function("update", None,
                           [DOUBLE_P, ctypes.c_int, ctypes.c_int, INT_P, DOUBLE_P, ctypes.c_int, DOUBLE_P],
                           "data n d labels centers k new_centers")

    def update(data: Any, labels: Any, centers: Any) -> np.ndarray:
        points, middles = _matrix(data, "data"), _matrix(centers, "centers")
        n, d = points.shape
        passed_data, passed_centers = km.doubles(points), km.doubles(middles)
        passed_labels = _labels(np.asarray(labels).reshape(-1), km)
        new = km.output(middles.shape)
        km.run(compiled, km.pointer(passed_data), integer(n, "n"), integer(d, "d"),
               km.pointer(passed_labels), km.pointer(passed_centers), integer(len(middles), "k"),
               km.pointer(new))
        copy_back(data, passed_data)
        copy_back(labels, passed_labels, km.offset)
        copy_back(centers, passed_centers)
        return np.ascontiguousarray(new)

    return update


def _kmeans(km: Library) -> Callable[..., tuple[np.ndarray, np.ndarray, int]]:
    compiled = km.function("kmeans", ctypes.c_int,
                           [DOUBLE_P, ctypes.c_int, ctypes.c_int, DOUBLE_P, ctypes.c_int, ctypes.c_double,
                            ctypes.c_int, DOUBLE_P, INT_P], "data n d init k eps max_iter centers labels")

    def kmeans(data: Any, centers: Any, eps: float = 1e-3, max_iter: int = 100) -> tuple[np.ndarray, np.ndarray,
                                                                                          int]:
        points, start = _matrix(data, "data"), _matrix(centers, "centers")
        n, d = points.shape
        passed_data, passed_start = km.doubles(points), km.doubles(start)
        final = km.output(start.shape)
        labels = km.int_output((n,), fill=-(2**31))
        n_iter = km.run(compiled, km.pointer(passed_data), integer(n, "n"), integer(d, "d"),
                        km.pointer(passed_start), integer(len(start), "k"), float(eps),
                        integer(max_iter, "max_iter"), km.pointer(final), km.pointer(labels))
        copy_back(data, passed_data)
        copy_back(centers, passed_start)
        return np.ascontiguousarray(final), labels.astype(np.int64) - km.offset, int(n_iter)

    return kmeans
