"""Hypothesis strategies for numeric exercises, built by construction rather than by rejection (``assume``).

Values are drawn on a grid (multiples of ``step``, a power of two by default) so that sums and means of a few
of them are exact or nearly so in floating point, tolerances stay small, and shrunk counterexamples read well
(``[0.5, -1.25]``, not ``[0.50000001, ...]``).
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

__all__ = ["grid_floats", "float_arrays", "design_matrices", "labelled_datasets"]


def grid_floats(min_value: float = -4.0, max_value: float = 4.0, *, step: float = 0.25) -> st.SearchStrategy[float]:
    """Floats ``k * step`` between ``min_value`` and ``max_value`` (shrinking towards 0)."""
    low, high = int(np.ceil(min_value / step)), int(np.floor(max_value / step))
    if low > high:
        raise ValueError(f"no multiple of {step} between {min_value} and {max_value}")
    return st.integers(low, high).map(lambda k: float(k * step))


def float_arrays(shape: Any, *, min_value: float = -4.0, max_value: float = 4.0,
                 step: float = 0.25) -> st.SearchStrategy[np.ndarray]:
    """float64 arrays of ``shape`` (a tuple, or a strategy of tuples such as ``hnp.array_shapes(...)``) with
    values on the grid of :func:`grid_floats`."""
    shapes = shape if isinstance(shape, st.SearchStrategy) else st.just(tuple(shape))
    low, high = int(np.ceil(min_value / step)), int(np.floor(max_value / step))
    return shapes.flatmap(lambda dims: hnp.arrays(np.int64, dims, elements=st.integers(low, high))).map(
        lambda k: k.astype(np.float64) * step)


@st.composite
def design_matrices(draw: st.DrawFn, *, min_rows: Optional[int] = None, max_rows: int = 8, min_features: int = 1,
                    max_features: int = 3, bias: Optional[str] = "first", bias_value: float = 1.0,
                    max_value: float = 2.0, step: float = 0.25) -> np.ndarray:
    """Design matrices ``(n, d + 1)`` with a bias column (``bias``: ``"first"``, ``"last"`` or ``None`` for none,
    of ``bias_value``) that are well conditioned by construction, without rejection.

    ``d + 1`` of the rows (at drawn positions) are the bias with 0 or one feature at 1, a triangular block of
    full rank; the others are drawn on the grid in ``[-max_value, max_value]``.  So ``X^T X`` is at least the
    block's, whose condition number is bounded whatever the rest: least squares on it are well posed.
    """
    features = draw(st.integers(min_features, max_features))
    base = features + (bias is not None)
    rows = draw(st.integers(max(min_rows or base, base), max(max_rows, base)))
    free = draw(float_arrays((rows - base, features), min_value=-max_value, max_value=max_value, step=step))
    # With a bias column, the zero row is the bias alone; without one, the block is the identity.
    block = np.vstack([np.zeros((1, features)), np.eye(features)]) if bias is not None else np.eye(features)
    z = np.vstack([block, free])
    order = draw(st.permutations(range(rows)))
    z = z[list(order)]
    if bias is None:
        return z
    column = np.full((rows, 1), bias_value)
    return np.hstack([column, z] if bias == "first" else [z, column])


@st.composite
def labelled_datasets(draw: st.DrawFn, *, min_classes: int = 2, max_classes: int = 3, min_dims: int = 1,
                      max_dims: int = 3, min_per_class: int = 1, max_per_class: int = 4, separated: bool = True,
                      step: float = 0.25) -> tuple[np.ndarray, np.ndarray]:
    """``(x, labels)``: points ``(n, d)`` and integer labels ``(n,)`` in ``0..k-1``, every class present, in a
    drawn order.  ``separated``: each class lies in its own cube of side 1 around a center at least 4 apart from
    the others' (nearest-center classification is then right); otherwise points are anywhere on the grid."""
    k = draw(st.integers(min_classes, max_classes))
    d = draw(st.integers(min_dims, max_dims))
    sizes = [draw(st.integers(min_per_class, max_per_class)) for _ in range(k)]
    points, labels = [], []
    for label, size in enumerate(sizes):
        center = np.zeros(d)
        center[label % d] = 4.0 * (label // d + 1) * (1 if label % 2 == 0 else -1) if separated else 0.0
        spread = 0.5 if separated else 4.0
        offsets = draw(float_arrays((size, d), min_value=-spread, max_value=spread, step=step))
        points.append(center + offsets)
        labels += [label] * size
    x, y = np.vstack(points), np.array(labels, dtype=np.int64)
    order = list(draw(st.permutations(range(len(y)))))
    return x[order], y[order]
