"""The perceptron contract in C and Fortran: calls the compiled functions through their C ABI.

Trusted code, imported by the worker from this file before it is confined
(``bind(library, language)`` is all it offers), so it uses only the standard
library, numpy and :mod:`grader.student._compiled` (the contract every binding
builds on).  Each function takes and returns what the Python contract
does (see the exercise's README), and converts.  ``in_dim`` counts the inputs
*without* the bias: arrays that hold the bias column have ``in_dim + 1`` columns.
Arguments follow the Python order, each dimension right after the first array it
sizes, outputs last.

**C** (``perceptron.c``): ``double`` arrays contiguous and row-major (input ``j`` of
sample ``i`` is ``x[i*(in_dim+1) + j]``, weight ``w[j*out_dim + i]``); outputs and
targets of the learning rule are ``int`` 0 or 1::

    void add_bias(const double *x, int n, int in_dim, double *xb);            /* xb: n x (in_dim+1) */
    void forward(const double *x, int n, int in_dim, const double *w, int out_dim, int *y);
    void update(const double *x, int in_dim, const int *y, const int *t, int out_dim,
                const double *w, double eta, double *new_w);
    void train(const double *x, int n, int in_dim, const int *t, int out_dim, const double *w0,
               double eta, int epochs, uint64_t seed, double *w, int *mistakes);
    void confusion_matrix(const double *y, int n, int out_dim, const double *t, int *cm);
    double class_scores(const int *cm, int nc, double *recall, double *precision);  /* the accuracy */

``cm`` is ``nc x nc`` with ``nc = max(out_dim, 2)``, ``cm[p*nc + q]`` counting the
samples predicted ``p`` whose target is ``q`` (classes ``0..nc-1``).

**Fortran** (``perceptron.f90``): a module with ``iso_c_binding``, every procedure
``bind(C)`` with the same name and arguments, scalars by ``value``, arrays
explicit-shape with the Python shapes in column-major order (``x(n, in_dim+1)``,
``w(in_dim+1, out_dim)``, ``y(n, out_dim)``, ``cm(nc, nc)``), ``integer(c_int)``
outputs and targets, ``real(c_double)`` values, the seed ``integer(c_int64_t)``,
``class_scores`` a function returning ``real(c_double)``.  Classes are 1-based in
Fortran: ``cm(p, q)`` counts the samples of predicted class ``p`` and target class
``q`` (``1..nc``), which is the Python ``cm[p-1, q-1]``: same array, no conversion.

``train(x, t, w0, eta, epochs, rng)`` passes a seed drawn from ``rng`` to the
compiled function, which must shuffle with the skeleton's generator (splitmix64)
started at ``state = seed``: the same ``rng`` seed gives the same result, different
seeds different orders, so "reproducible" and "shuffles with rng" keep their meaning.

Outputs are filled beforehand with values no correct function leaves (NaN, -1), so
what is left unwritten shows.  Inputs are passed as copies the compiled code may
(wrongly) write to, and what it wrote is copied back into the caller's arrays, so
the "leaves its inputs unchanged" checks see it.  A skeleton function that sets the
global flag ``not_implemented`` (C ``int``, Fortran ``integer(c_int), bind(C)``)
raises ``NotImplementedError``.  A function the library does not define is absent
from what :func:`bind` returns.
"""

from __future__ import annotations

import ctypes
import types
from typing import Any, Callable

import numpy as np

from grader.student._compiled import (DOUBLE_P, INT_P, Library, checked_array, copy_back, integer, returned,
                                      rows_match, seed_from, with_bias)

__all__ = ["bind"]


# --- the functions ----------------------------------------------------------------------------------------------


def bind(library: ctypes.CDLL, language: str) -> types.SimpleNamespace:
    """The contract's functions (``add_bias``, ``forward``, ``update``, ``train``, ``confusion_matrix``,
    ``class_scores``) over ``library``, compiled from ``language`` (``c`` or ``fortran``); those it does not
    define are absent."""
    lib = Library(library, language)
    functions: dict[str, Callable[..., Any]] = {}
    for name, make in (("add_bias", _add_bias), ("forward", _forward), ("update", _update), ("train", _train),
                       ("confusion_matrix", confusion_matrix), ("class_scores", class_scores)):
        try:
            functions[name] = make(lib)
        except AttributeError:
            continue
    return types.SimpleNamespace(**functions)


def _add_bias(lib: Library) -> Callable[..., np.ndarray]:
    compiled = lib.function("add_bias", None, [DOUBLE_P, ctypes.c_int, ctypes.c_int, DOUBLE_P], "x n in_dim xb")

    def add_bias(x: Any) -> np.ndarray:
        inputs = checked_array(x, "x", 2)
        n, in_dim = inputs.shape
        passed, xb = lib.doubles(inputs), lib.output((n, in_dim + 1))
        lib.run(compiled, lib.pointer(passed), integer(n, "n"), integer(in_dim, "in_dim"), lib.pointer(xb))
        copy_back(x, passed)
        return returned(xb)

    return add_bias


def _forward(lib: Library) -> Callable[..., np.ndarray]:
    compiled = lib.function("forward", None, [DOUBLE_P, ctypes.c_int, ctypes.c_int, DOUBLE_P, ctypes.c_int, INT_P],
                                             "x n in_dim w out_dim y")

    def forward(x: Any, w: Any) -> np.ndarray:
        inputs, weights = checked_array(x, "x", 2), checked_array(w, "w", 2)
        rows_match(inputs, weights, "forward: x . w")
        n, out_dim = len(inputs), weights.shape[1]
        passed_x, passed_w, y = lib.doubles(inputs), lib.doubles(weights), lib.int_output((n, out_dim))
        lib.run(compiled, lib.pointer(passed_x), integer(n, "n"), with_bias(inputs), lib.pointer(passed_w),
                integer(out_dim, "out_dim"), lib.pointer(y))
        copy_back(x, passed_x)
        copy_back(w, passed_w)
        return returned(y)

    return forward


def _update(lib: Library) -> Callable[..., np.ndarray]:
    compiled = lib.function("update", None, [DOUBLE_P, ctypes.c_int, INT_P, INT_P, ctypes.c_int, DOUBLE_P,
                                             ctypes.c_double, DOUBLE_P], "x in_dim y t out_dim w eta new_w")

    def update(x: Any, y: Any, t: Any, w: Any, eta: float) -> np.ndarray:
        sample, weights = checked_array(x, "x", 1), checked_array(w, "w", 2)
        rows_match(sample, weights, "update: x and w")
        passed_y, passed_t = lib.ints(np.ravel(y), "y"), lib.ints(np.ravel(t), "t")
        out_dim = weights.shape[1]
        if len(passed_y) != out_dim or len(passed_t) != out_dim:
            raise ValueError(f"update: y and t must have out_dim = {out_dim} entries")
        passed_x, passed_w, new_w = lib.doubles(sample), lib.doubles(weights), lib.output(weights.shape)
        lib.run(compiled, lib.pointer(passed_x), with_bias(sample), lib.pointer(passed_y), lib.pointer(passed_t),
                integer(out_dim, "out_dim"), lib.pointer(passed_w), float(eta), lib.pointer(new_w))
        for original, passed in ((x, passed_x), (y, passed_y), (t, passed_t), (w, passed_w)):
            copy_back(original, passed)
        return returned(new_w)

    return update


def _train(lib: Library) -> Callable[..., tuple[np.ndarray, np.ndarray]]:
    compiled = lib.function("train", None, [DOUBLE_P, ctypes.c_int, ctypes.c_int, INT_P, ctypes.c_int, DOUBLE_P,
                                            ctypes.c_double, ctypes.c_int, ctypes.c_uint64, DOUBLE_P, INT_P],
                                           "x n in_dim t out_dim w0 eta epochs seed w mistakes")

    def train(x: Any, t: Any, w0: Any, eta: float, epochs: int, rng: Any) -> tuple[np.ndarray, np.ndarray]:
        inputs, start = checked_array(x, "x", 2), checked_array(w0, "w0", 2)
        rows_match(inputs, start, "train: x . w0")
        passed_t = lib.ints(t, "t")
        n, out_dim = len(inputs), start.shape[1]
        if passed_t.shape != (n, out_dim):
            raise ValueError(f"train: t must have shape {(n, out_dim)}, got {passed_t.shape}")
        epochs = integer(epochs, "epochs")
        if epochs < 0:
            raise ValueError("train: epochs must be at least 0")
        passed_x, passed_w0 = lib.doubles(inputs), lib.doubles(start)
        w, mistakes = lib.output(start.shape), lib.int_output((epochs,))
        lib.run(compiled, lib.pointer(passed_x), integer(n, "n"), with_bias(inputs), lib.pointer(passed_t),
                integer(out_dim, "out_dim"), lib.pointer(passed_w0), float(eta), epochs, seed_from(rng),
                lib.pointer(w), lib.pointer(mistakes))
        for original, passed in ((x, passed_x), (t, passed_t), (w0, passed_w0)):
            copy_back(original, passed)
        return returned(w), returned(mistakes)

    return train


def confusion_matrix(lib: Library) -> Callable[..., np.ndarray]:
    """``confusion_matrix(y, t)`` over ``lib``: ``y`` and ``t`` passed as doubles, ``cm`` filled with -1 first."""
    compiled = lib.function("confusion_matrix", None, [DOUBLE_P, ctypes.c_int, ctypes.c_int, DOUBLE_P, INT_P],
                                                      "y n out_dim t cm")

    def confusion_matrix(y: Any, t: Any) -> np.ndarray:
        outputs, targets = checked_array(y, "y", 2), checked_array(t, "t", 2)
        if outputs.shape != targets.shape:
            raise ValueError(f"confusion_matrix: y and t must have the same shape, got {outputs.shape} and "
                             f"{targets.shape}")
        n, out_dim = outputs.shape
        size = max(out_dim, 2)
        passed_y, passed_t, cm = lib.doubles(outputs), lib.doubles(targets), lib.int_output((size, size))
        lib.run(compiled, lib.pointer(passed_y), integer(n, "n"), integer(out_dim, "out_dim"),
                lib.pointer(passed_t), lib.pointer(cm))
        copy_back(y, passed_y)
        copy_back(t, passed_t)
        return returned(cm)

    return confusion_matrix


def class_scores(lib: Library) -> Callable[..., tuple[np.ndarray, np.ndarray, float]]:
    """``class_scores(cm)`` over ``lib``: returns ``(recall, precision, accuracy)``."""
    compiled = lib.function("class_scores", ctypes.c_double, [INT_P, ctypes.c_int, DOUBLE_P, DOUBLE_P],
                                                             "cm nc recall precision")

    def class_scores(cm: Any) -> tuple[np.ndarray, np.ndarray, float]:
        passed = lib.ints(cm, "cm")
        if passed.ndim != 2 or passed.shape[0] != passed.shape[1]:
            raise ValueError(f"class_scores: cm must be a square matrix, got shape {passed.shape}")
        size = len(passed)
        recall, precision = lib.output((size,)), lib.output((size,))
        accuracy = lib.run(compiled, lib.pointer(passed), integer(size, "nc"), lib.pointer(recall),
                           lib.pointer(precision))
        copy_back(cm, passed)
        return returned(recall), returned(precision), float(accuracy)

    return class_scores
