"""Trusted arithmetic for the k-means checks, with tolerances derived from floating-point error.

Students may compute squared distances by differences, by ``cdist``, or by the
expansion ``|x|^2 - 2 x.c + |c|^2``; means by loops or by ``np.mean``.  These
disagree by rounding only, bounded by a small multiple of machine epsilon times
the data's magnitude: the tolerances below are such bounds, never tuned to one
implementation.  A value "within tolerance" of the exact answer is accepted.

Every bound is proportional to the unit roundoff of the arithmetic the exercise
accepts (its precision policy, see :class:`grader.precision.Rounding`): ``EPS`` (binary64) when only
double precision is accepted, ``SINGLE_EPS`` (binary32) when results computed in
single precision (C ``float``, Fortran ``real``, numpy ``float32``) are correct as
well.  The single-precision bounds cover a whole computation done in single
precision: the inputs rounded to binary32, distances, sums of up to n points and
their division.  A difference larger than the double bound but within the single
one is "single-precision-sized": accepted and noted once under
``single-or-double``, explained in words under ``double``.
"""

from __future__ import annotations

import numpy as np

from grader.precision import EPS, SINGLE_EPS, underflow

__all__ = [
    "EPS",
    "SINGLE_EPS",
    "magnitude",
    "squared_distances",
    "distance_tolerance",
    "mean_tolerance",
    "misassigned",
    "centroid_errors",
    "inertia",
    "same_array",
]


def magnitude(*arrays: np.ndarray) -> float:
    """The largest absolute finite coordinate among ``arrays`` (0 when there is none)."""
    values = [np.abs(a[np.isfinite(a)]).max() for a in arrays if np.size(a) and np.isfinite(a).any()]
    return float(max(values, default=0.0))


def squared_distances(data: np.ndarray, centers: np.ndarray) -> np.ndarray:
    """(n, k) squared Euclidean distances, computed from differences (the accurate way)."""
    diff = data[:, None, :] - centers[None, :, :]
    return np.einsum("nkd,nkd->nk", diff, diff)


def distance_tolerance(d: int, scale: float, unit: float = EPS) -> float:
    """Bound on the rounding difference of two ways of computing a squared distance in ``d`` dimensions.

    The expansion formula loses up to about (d + 2) units of |x|^2 + |c|^2 <= 2 d scale^2;
    a factor 16 covers summation order.  Rounding the inputs to the working precision
    first adds at most 4 d units of scale^2, well within the bound.  Below the arithmetic's range, a square or
    an input may be lost whole: as many smallest steps (see :func:`grader.precision.underflow`).
    """
    return 16.0 * (d + 2) * 2 * d * (unit * scale * scale + underflow(unit))


def mean_tolerance(n: int, scale: float, unit: float = EPS) -> float:
    """Bound on the rounding difference of two ways of averaging ``n`` values of magnitude ``scale``.

    Recursive summation of n terms errs by at most (n - 1) units of their absolute
    sum, so the mean by (n - 1) units of ``scale``; rounding the inputs and the
    division add about 2 more; a factor 8 covers the order of the operations.  Below the arithmetic's range,
    as many smallest steps (see :func:`grader.precision.underflow`).
    """
    return 8.0 * (n + 2) * (unit * scale + underflow(unit))


def misassigned(
    data: np.ndarray, centers: np.ndarray, labels: np.ndarray, *, slack: float = 0.0, unit: float = EPS
) -> list[tuple[int, int, int, float, float]]:
    """Points whose label is not a nearest center: (point, label, nearest, d2 to label, d2 to nearest).

    ``slack`` (a distance, not squared) lets a label be that much farther than the
    nearest center: centers known only within ``slack`` of where the association
    phase saw them.  ``unit``: the unit roundoff of the accepted arithmetic.
    """
    d2 = squared_distances(data, centers)
    best = d2.argmin(axis=1)
    best_d2 = d2[np.arange(len(data)), best]
    chosen = d2[np.arange(len(data)), labels]
    tol = distance_tolerance(data.shape[1], magnitude(data, centers), unit)
    allowed = (np.sqrt(best_d2) + slack) ** 2 + tol
    bad = ~(chosen <= allowed)
    return [(int(i), int(labels[i]), int(best[i]), float(chosen[i]), float(best_d2[i])) for i in np.flatnonzero(bad)]


def centroid_errors(
    data: np.ndarray, labels: np.ndarray, before: np.ndarray, after: np.ndarray, *, unit: float = EPS
) -> list[tuple[int, int, np.ndarray, np.ndarray]]:
    """Centers that are not where the update phase puts them: (center, size, expected, got).

    A center with points goes to their mean; a center without points stays where it was.
    ``unit``: the unit roundoff of the accepted arithmetic.
    """
    tol = mean_tolerance(len(data), magnitude(data, before), unit)
    wrong = []
    for j in range(len(before)):
        members = data[labels == j]
        expected = members.mean(axis=0) if len(members) else before[j]
        if not np.all(np.abs(after[j] - expected) <= tol):
            wrong.append((j, len(members), expected, after[j]))
    return wrong


def inertia(data: np.ndarray, centers: np.ndarray, labels: np.ndarray) -> float:
    """Sum of squared distances of the points to their center."""
    diff = data - centers[labels]
    return float(np.einsum("nd,nd->", diff, diff))


def same_array(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal shape and values, NaN equal to NaN: "left unchanged"."""
    return a.shape == b.shape and bool(np.array_equal(a, b, equal_nan=a.dtype.kind == "f"))
