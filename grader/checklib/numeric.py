"""Numeric comparisons with tolerances derived from floating-point error bounds, never tuned to one solution.

A tolerance is ``terms * 4 * unit * scale``: ``unit`` the unit roundoff of the least precise arithmetic the
exercise accepts (:class:`grader.precision.Rounding`), ``scale`` the magnitude of the values involved (default:
the largest finite magnitude of the expected values, at least 1), ``terms`` the number of rounding steps a
correct computation may take (a sum of n terms: n).  NaN is equal to NaN, and an infinity to the same infinity:
a check compares what came back, and a NaN where a NaN is expected is right.
"""

from __future__ import annotations

from typing import Any, Callable, NamedTuple, Optional, Sequence

import numpy as np

from grader.authoring import CheckContext, fail
from grader.precision import EPS, Rounding

__all__ = ["same_values", "derived_tolerance", "first_difference", "expect_close", "Gradient",
           "finite_difference_gradient"]


def same_values(a: Any, b: Any) -> bool:
    """Whether ``a`` and ``b`` are the same values: arrays of the same shape and equal elements, NaN equal to NaN
    (float arrays and floats), tuples and lists item by item, anything else by ``==``."""
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        return len(a) == len(b) and all(same_values(x, y) for x, y in zip(a, b))
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        if not (isinstance(a, np.ndarray) and isinstance(b, np.ndarray)) or a.shape != b.shape:
            return False
        floats = a.dtype.kind in "fc" and b.dtype.kind in "fc"
        return bool(np.array_equal(a, b, equal_nan=floats))
    if isinstance(a, float) and isinstance(b, float) and np.isnan(a) and np.isnan(b):
        return True
    try:
        return bool(a == b)
    except Exception:  # an object whose comparison raises is not the same
        return False


def _scale_of(expected: np.ndarray) -> float:
    finite = np.abs(expected[np.isfinite(expected)])
    return max(1.0, float(finite.max())) if finite.size else 1.0


def derived_tolerance(expected: Any, *, terms: float = 1, scale: Optional[float] = None,
                      unit: float = EPS) -> float:
    """``4 * terms * unit * scale`` (see the module's docstring): what a correct computation of ``expected`` may
    differ by."""
    values = np.asarray(expected, dtype=float)
    return 4.0 * max(terms, 1) * unit * (_scale_of(values) if scale is None else max(float(scale), 0.0))


def first_difference(returned: Any, expected: Any, tolerance: Any) -> Optional[tuple[tuple[int, ...], float, float]]:
    """The first position where ``returned`` differs from ``expected`` by more than ``tolerance`` (a number, or an
    array of the same shape): ``(index, returned value, expected value)``, or ``None``.  NaN matches NaN, an
    infinity the same infinity; the shapes must be equal (check them first, e.g. with ``expect_array``)."""
    got = np.asarray(returned, dtype=float)
    want = np.asarray(expected, dtype=float)
    both_nan = np.isnan(got) & np.isnan(want)
    same_inf = np.isinf(got) & np.isinf(want) & (np.sign(got) == np.sign(want))
    with np.errstate(invalid="ignore"):
        far = ~(np.abs(got - want) <= tolerance)
    wrong = far & ~both_nan & ~same_inf
    if not wrong.any():
        return None
    index = tuple(int(i) for i in np.argwhere(wrong)[0])
    return index, float(got[index]), float(want[index])


def _index_text(index: Sequence[int]) -> str:
    return f"[{', '.join(str(i) for i in index)}]" if index else ""


def expect_close(returned: Any, expected: Any, function: str, *, what: str = "the result", terms: float = 1,
                 scale: Optional[float] = None, tolerance: Any = None,
                 context: Optional[CheckContext] = None, inputs: Optional[dict[str, Any]] = None,
                 suspects: Sequence[str] = ()) -> None:
    """Fail unless ``returned`` is ``expected`` within the derived tolerance (see :func:`derived_tolerance`; or
    ``tolerance`` when given: a number or an array of the shape of ``expected``), under the exercise's precision policy (``context``): a single-precision-sized
    difference is accepted with a note under ``single-or-double`` and explained in words under ``double``.

    The counterexample holds ``inputs``, ``returned`` and ``expected``.
    """
    rounding = Rounding.of(context)
    double = derived_tolerance(expected, terms=terms, scale=scale) if tolerance is None else tolerance
    found = first_difference(returned, expected, double)
    if found is None:
        return
    if tolerance is None:
        single = derived_tolerance(expected, terms=terms, scale=scale, unit=rounding.lenient().unit)
        if first_difference(returned, expected, single) is None:
            if rounding.accept_single():
                return
            index, got, want = found
            fail(f"{function}: {Rounding.explain(f'{what}{_index_text(index)} differs from the expected value', abs(got - want), want)}",
                 **(inputs or {}), returned=returned, expected=expected, suspects=tuple(suspects))
    index, got, want = found
    allowed = float(np.broadcast_to(np.asarray(double, dtype=float), np.shape(expected))[index])
    fail(f"{function}: {what}{_index_text(index)} is {got:.10g}, expected {want:.10g} "
         f"(a correct computation differs by at most {allowed:.2g})",
         **(inputs or {}), returned=returned, expected=expected, suspects=tuple(suspects))


class Gradient(NamedTuple):
    """A gradient by central finite differences and, per element, how far the exact gradient may be from it."""

    value: np.ndarray
    tolerance: np.ndarray


def finite_difference_gradient(f: Callable[[np.ndarray], Any], x: np.ndarray, *, step: float = 1e-4,
                               rounding: Optional[float] = None, batched: bool = False) -> Gradient:
    """The gradient of the scalar function ``f`` at ``x`` by central finite differences, with its tolerance.

    The tolerance is derived, not guessed: the truncation error of a central difference (``step^2 f''' / 6``)
    is estimated by Richardson from the quotients with steps ``step`` and ``step / 2``, and the rounding
    error is at most ``2 rounding / step``, ``rounding`` bounding the rounding of one value of ``f`` (default:
    ``64 EPS (1 + |f(x)|)``).  The value returned is the quotient with the finer step.

    ``batched``: ``f`` takes a stack of points, shape ``(k, *x.shape)``, and returns their k values (one
    vectorised evaluation instead of ``4 x.size`` calls).
    """
    x = np.asarray(x, dtype=float)

    def values(points: np.ndarray) -> np.ndarray:
        if batched:
            return np.asarray(f(points), dtype=float).reshape(len(points))
        return np.array([float(f(point)) for point in points])

    if rounding is None:
        rounding = 64 * EPS * (1 + abs(float(values(x[None])[0])))

    def quotients(h: float) -> np.ndarray:
        moves = h * np.concatenate([np.eye(x.size), -np.eye(x.size)]).reshape(-1, *x.shape)
        plus, minus = values(x + moves).reshape(2, *x.shape)
        return (plus - minus) / (2 * h)

    coarse, fine = quotients(step), quotients(step / 2)
    return Gradient(fine, 4 * np.abs(coarse - fine) + 8 * rounding / step)
