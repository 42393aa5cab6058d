"""The MLP contract in C and Fortran: calls the compiled functions through their C ABI.

Trusted code, imported by the worker from this file before it is confined
(``bind(library, language)`` is all it offers), so it uses only the standard
library, numpy and :mod:`grader.student._compiled` (the contract every binding
builds on).  Each function takes and returns what
the Python contract does (see the exercise's README), and converts.  ``in_dim``
and ``hid_dim`` count the inputs and hidden neurons *without* the bias: ``x`` has
``in_dim + 1`` columns, the hidden layer ``hid_dim + 1`` (its last one the bias
node -1).  Arguments follow the Python order, each dimension right after the first
array it sizes, outputs last.

**C** (``mlp.c``): ``double`` arrays contiguous and row-major (``x[i*(in_dim+1) + j]``,
``w1[j*hid_dim + h]``, ``w2[h*out_dim + k]``), targets ``double``, classes ``int``
in ``0..out_dim-1`` (one output: 0 or 1)::

    void forward(const double *x, int n, int in_dim, const double *w1, int hid_dim, const double *w2,
                 int out_dim, double beta, double *hidden, double *y);     /* n x (hid_dim+1), n x out_dim */
    void backprop(const double *x, int in_dim, const double *t, int out_dim, const double *w1, int hid_dim,
                  const double *w2, double eta, double beta, double *new_w1, double *new_w2);
    void train(const double *x, int n, int in_dim, const double *t, int out_dim, const double *w1,
               int hid_dim, const double *w2, double eta, double beta, int epochs, uint64_t seed,
               double *new_w1, double *new_w2, double *errors);
    void predict(const double *x, int n, int in_dim, const double *w1, int hid_dim, const double *w2,
                 int out_dim, double beta, int *classes);
    void confusion_matrix(const double *y, int n, int out_dim, const double *t, int *cm);
    double class_scores(const int *cm, int nc, double *recall, double *precision);   /* the accuracy */

``cm`` is ``nc x nc``, ``nc = max(out_dim, 2)``, as in the perceptron.

**Fortran** (``mlp.f90``): a module with ``iso_c_binding``, every procedure
``bind(C)`` with the same name and arguments, scalars by ``value``, arrays
explicit-shape with the Python shapes in column-major order (``x(n, in_dim+1)``,
``w1(in_dim+1, hid_dim)``, ``w2(hid_dim+1, out_dim)``, ``hidden(n, hid_dim+1)``,
``y(n, out_dim)``, ``t(n, out_dim)``, ``cm(nc, nc)``), ``real(c_double)`` values, the
seed ``integer(c_int64_t)``, ``class_scores`` a function returning ``real(c_double)``.
Classes are 1-based: ``predict`` gives ``1..out_dim`` (one output: 2 above 0.5, else
1) and the binding subtracts 1; ``cm(p, q)`` is the Python ``cm[p-1, q-1]``.

``train(..., epochs, rng)`` passes a seed drawn from ``rng`` to the compiled
function, which must shuffle with the skeleton's generator (splitmix64) started at
``state = seed``: the same ``rng`` seed gives the same result, different seeds
different orders.  Outputs are filled beforehand with values no correct function
leaves (NaN, a huge negative class), inputs are passed as copies and what the
compiled code wrote into them is copied back (the "inputs unchanged" checks see
it), and a function that sets the flag ``not_implemented`` raises
``NotImplementedError``.  A function the library does not define is absent.
"""

from __future__ import annotations

import ctypes
import types
from typing import Any, Callable

import numpy as np

from grader.student._compiled import (DOUBLE_P, INT_P, Library, checked_array, copy_back, integer, returned,
                                      rows_match, seed_from, with_bias)

__all__ = ["bind"]

_NO_CLASS = -(2**31)


def bind(library: ctypes.CDLL, language: str) -> types.SimpleNamespace:
    """The contract's functions (``forward``, ``backprop``, ``train``, ``predict``, ``confusion_matrix``,
    ``class_scores``) over ``library``, compiled from ``language`` (``c`` or ``fortran``); those it does not
    define are absent."""
    lib = Library(library, language)
    functions: dict[str, Callable[..., Any]] = {}
    for name, make in (("forward", _forward), ("backprop", _backprop), ("train", _train), ("predict", _predict),
                       ("confusion_matrix", _confusion_matrix), ("class_scores", _class_scores)):
        try:
            functions[name] = make(lib)
        except AttributeError:
            continue
    return types.SimpleNamespace(**functions)


def _network(x: Any, w1: Any, w2: Any, x_ndim: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    inputs, first, second = checked_array(x, "x", x_ndim), checked_array(w1, "w1", 2), checked_array(w2, "w2", 2)
    rows_match(inputs, first, "x . w1")
    if second.shape[0] != first.shape[1] + 1:
        raise ValueError(f"w2 must have hid_dim + 1 = {first.shape[1] + 1} rows (the bias node), got shape "
                         f"{second.shape}")
    return inputs, first, second


def _forward(lib: Any) -> Callable[..., tuple[np.ndarray, np.ndarray]]:
    compiled = lib.function("forward", None, [DOUBLE_P, ctypes.c_int, ctypes.c_int, DOUBLE_P, ctypes.c_int,
                                              DOUBLE_P, ctypes.c_int, ctypes.c_double, DOUBLE_P, DOUBLE_P],
                                             "x n in_dim w1 hid_dim w2 out_dim beta hidden y")

    def forward(x: Any, w1: Any, w2: Any, beta: float) -> tuple[np.ndarray, np.ndarray]:
        inputs, first, second = _network(x, w1, w2, 2)
        n, hid_dim, out_dim = len(inputs), first.shape[1], second.shape[1]
        passed = [lib.doubles(a) for a in (inputs, first, second)]
        hidden, y = lib.output((n, hid_dim + 1)), lib.output((n, out_dim))
        lib.run(compiled, lib.pointer(passed[0]), integer(n, "n"), with_bias(inputs), lib.pointer(passed[1]),
                integer(hid_dim, "hid_dim"), lib.pointer(passed[2]), integer(out_dim, "out_dim"), float(beta),
                lib.pointer(hidden), lib.pointer(y))
        for original, copy in zip((x, w1, w2), passed):
            copy_back(original, copy)
        return returned(hidden), returned(y)

    return forward


def _backprop(lib: Any) -> Callable[..., tuple[np.ndarray, np.ndarray]]:
    compiled = lib.function("backprop", None, [DOUBLE_P, ctypes.c_int, DOUBLE_P, ctypes.c_int, DOUBLE_P,
                                               ctypes.c_int, DOUBLE_P, ctypes.c_double, ctypes.c_double, DOUBLE_P,
                                               DOUBLE_P], "x in_dim t out_dim w1 hid_dim w2 eta beta new_w1 new_w2")

    def backprop(x: Any, t: Any, w1: Any, w2: Any, eta: float, beta: float) -> tuple[np.ndarray, np.ndarray]:
        sample, first, second = _network(x, w1, w2, 1)
        target = checked_array(t, "t", 1)
        if len(target) != second.shape[1]:
            raise ValueError(f"backprop: t must have out_dim = {second.shape[1]} entries, got {len(target)}")
        passed = [lib.doubles(a) for a in (sample, target, first, second)]
        new_w1, new_w2 = lib.output(first.shape), lib.output(second.shape)
        lib.run(compiled, lib.pointer(passed[0]), with_bias(sample), lib.pointer(passed[1]),
                integer(len(target), "out_dim"), lib.pointer(passed[2]), integer(first.shape[1], "hid_dim"),
                lib.pointer(passed[3]), float(eta), float(beta), lib.pointer(new_w1), lib.pointer(new_w2))
        for original, copy in zip((x, t, w1, w2), passed):
            copy_back(original, copy)
        return returned(new_w1), returned(new_w2)

    return backprop


def _train(lib: Any) -> Callable[..., tuple[np.ndarray, np.ndarray, np.ndarray]]:
    compiled = lib.function("train", None, [DOUBLE_P, ctypes.c_int, ctypes.c_int, DOUBLE_P, ctypes.c_int,
                                            DOUBLE_P, ctypes.c_int, DOUBLE_P, ctypes.c_double, ctypes.c_double,
                                            ctypes.c_int, ctypes.c_uint64, DOUBLE_P, DOUBLE_P, DOUBLE_P],
                                           "x n in_dim t out_dim w1 hid_dim w2 eta beta epochs seed new_w1 new_w2 errors")

    def train(x: Any, t: Any, w1: Any, w2: Any, eta: float, beta: float, epochs: int,
              rng: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        inputs, first, second = _network(x, w1, w2, 2)
        targets = checked_array(t, "t", 2)
        n, hid_dim, out_dim = len(inputs), first.shape[1], second.shape[1]
        if targets.shape != (n, out_dim):
            raise ValueError(f"train: t must have shape {(n, out_dim)}, got {targets.shape}")
        epochs = integer(epochs, "epochs")
        if epochs < 0:
            raise ValueError("train: epochs must be at least 0")
        passed = [lib.doubles(a) for a in (inputs, targets, first, second)]
        new_w1, new_w2, errors = lib.output(first.shape), lib.output(second.shape), lib.output((epochs,))
        lib.run(compiled, lib.pointer(passed[0]), integer(n, "n"), with_bias(inputs), lib.pointer(passed[1]),
                integer(out_dim, "out_dim"), lib.pointer(passed[2]), integer(hid_dim, "hid_dim"),
                lib.pointer(passed[3]), float(eta), float(beta), epochs, seed_from(rng), lib.pointer(new_w1),
                lib.pointer(new_w2), lib.pointer(errors))
        for original, copy in zip((x, t, w1, w2), passed):
            copy_back(original, copy)
        return returned(new_w1), returned(new_w2), returned(errors)

    return train


def _predict(lib: Any) -> Callable[..., np.ndarray]:
    compiled = lib.function("predict", None, [DOUBLE_P, ctypes.c_int, ctypes.c_int, DOUBLE_P, ctypes.c_int,
                                              DOUBLE_P, ctypes.c_int, ctypes.c_double, INT_P],
                                             "x n in_dim w1 hid_dim w2 out_dim beta classes")

    def predict(x: Any, w1: Any, w2: Any, beta: float) -> np.ndarray:
        inputs, first, second = _network(x, w1, w2, 2)
        n, hid_dim, out_dim = len(inputs), first.shape[1], second.shape[1]
        passed = [lib.doubles(a) for a in (inputs, first, second)]
        classes = lib.int_output((n,), _NO_CLASS)  # what is left unwritten reads as no class at all
        lib.run(compiled, lib.pointer(passed[0]), integer(n, "n"), with_bias(inputs), lib.pointer(passed[1]),
                integer(hid_dim, "hid_dim"), lib.pointer(passed[2]), integer(out_dim, "out_dim"), float(beta),
                lib.pointer(classes))
        for original, copy in zip((x, w1, w2), passed):
            copy_back(original, copy)
        return returned(classes) - lib.offset

    return predict


def _confusion_matrix(lib: Library) -> Callable[..., np.ndarray]:
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


def _class_scores(lib: Library) -> Callable[..., tuple[np.ndarray, np.ndarray, float]]:
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
