"""The perceptron contract in C and Fortran: calls the compiled functions through their C ABI.

Trusted code, imported by the worker from this file before it is confined
(``bind(library, language)`` is all it offers), so it uses only the standard
library and numpy.  Each function takes and returns what the Python contract
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
from what :func:`bind` returns.  The MLP's binding reuses :class:`Library`,
:func:`confusion_matrix` and :func:`class_scores` of this file.
"""

from __future__ import annotations

import ctypes
import types
from typing import Any, Callable, Literal

import numpy as np

__all__ = ["bind", "Library", "DOUBLE_P", "INT_P"]

DOUBLE_P = ctypes.POINTER(ctypes.c_double)
INT_P = ctypes.POINTER(ctypes.c_int)
_INT_MAX = 2**31 - 1


class Library:
    """One loaded library in one language: typed functions, the ``not_implemented`` flag, array conversions."""

    def __init__(self, library: ctypes.CDLL, language: str) -> None:
        if language not in ("c", "fortran"):
            raise ValueError(f"no binding for {language!r} (known: c, fortran)")
        self._lib = library
        self.fortran = language == "fortran"
        self.order: Literal["C", "F"] = "F" if self.fortran else "C"
        #: What Fortran adds to a 0-based class index.
        self.offset = 1 if self.fortran else 0
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

    # --- conversions ----------------------------------------------------------------------------------------

    def doubles(self, array: np.ndarray) -> np.ndarray:
        """A copy in this language's order, for the compiled code to read (and perhaps wrongly write)."""
        return np.array(array, dtype=np.float64, order=self.order, copy=True)

    def ints(self, value: Any, name: str) -> np.ndarray:
        """Integer values (0 and 1, or counts) as C ints in this language's order; ``ValueError`` otherwise."""
        array = np.asarray(value)
        if array.dtype == bool:
            array = array.astype(np.int64)
        if not np.issubdtype(array.dtype, np.number) or (array.size and not np.all(np.isfinite(array))):
            raise ValueError(f"{name} must hold integers")
        if array.size and (np.any(array != np.round(array)) or np.abs(array).max() > _INT_MAX):
            raise ValueError(f"{name} must hold integers that fit in a C int")
        return np.array(array, dtype=np.intc, order=self.order, copy=True)

    def output(self, shape: tuple[int, ...], fill: float = np.nan) -> np.ndarray:
        return np.full(shape, fill, dtype=np.float64, order=self.order)

    def int_output(self, shape: tuple[int, ...], fill: int = -1) -> np.ndarray:
        return np.full(shape, fill, dtype=np.intc, order=self.order)

    @staticmethod
    def pointer(array: np.ndarray) -> Any:
        return array.ctypes.data_as(INT_P if array.dtype == np.intc else DOUBLE_P)


def copy_back(original: Any, passed: np.ndarray) -> None:
    """Write what the compiled code left in ``passed`` back into the caller's ``original`` array."""
    if isinstance(original, np.ndarray) and original.shape == passed.shape and original.flags.writeable:
        try:
            np.copyto(original, passed, casting="unsafe")
        except (TypeError, ValueError):
            pass


def integer(value: Any, name: str) -> int:
    number = int(value)
    if not -_INT_MAX <= number <= _INT_MAX:
        raise ValueError(f"{name} = {number} does not fit in a C int")
    return number


def checked_array(value: Any, name: str, ndim: int) -> np.ndarray:
    """``value`` as a float64 array with ``ndim`` dimensions; ``ValueError`` saying what is wrong otherwise."""
    result = np.asarray(value, dtype=np.float64)
    if result.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array, got shape {result.shape}")
    return result


def with_bias(x: np.ndarray, name: str = "x") -> int:
    """``in_dim`` of inputs ``x`` whose last entry (column) is the bias input."""
    if x.shape[-1] < 1:
        raise ValueError(f"{name} must hold at least the bias column, got shape {x.shape}")
    return int(x.shape[-1]) - 1


def rows_match(first: np.ndarray, second: np.ndarray, what: str) -> None:
    if first.shape[-1] != second.shape[0]:
        raise ValueError(f"{what}: shapes {first.shape} and {second.shape} do not match")


def seed_from(rng: Any) -> int:
    """A seed for the compiled generator, drawn from the numpy ``Generator`` the Python contract takes."""
    return int(rng.integers(0, 2**63, dtype=np.int64))


def returned(array_: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(array_, dtype=np.int64 if array_.dtype == np.intc else np.float64)


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
    compiled = lib.function("add_bias", None, [DOUBLE_P, ctypes.c_int, ctypes.c_int, DOUBLE_P])

    def add_bias(x: Any) -> np.ndarray:
        inputs = checked_array(x, "x", 2)
        n, in_dim = inputs.shape
        passed, xb = lib.doubles(inputs), lib.output((n, in_dim + 1))
        lib.run(compiled, lib.pointer(passed), integer(n, "n"), integer(in_dim, "in_dim"), lib.pointer(xb))
        copy_back(x, passed)
        return returned(xb)

    return add_bias


def _forward(lib: Library) -> Callable[..., np.ndarray]:
    compiled = lib.function("forward", None, [DOUBLE_P, ctypes.c_int, ctypes.c_int, DOUBLE_P, ctypes.c_int, INT_P])

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
                                             ctypes.c_double, DOUBLE_P])

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
                                            ctypes.c_double, ctypes.c_int, ctypes.c_uint64, DOUBLE_P, INT_P])

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
    compiled = lib.function("confusion_matrix", None, [DOUBLE_P, ctypes.c_int, ctypes.c_int, DOUBLE_P, INT_P])

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
    compiled = lib.function("class_scores", ctypes.c_double, [INT_P, ctypes.c_int, DOUBLE_P, DOUBLE_P])

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
