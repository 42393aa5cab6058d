"""Hypothesis strategies for the perceptron: inputs, weights and rates on which arithmetic is exact.

Inputs are small integers times a power of two, weights multiples of 1/16 and
learning rates powers of two.  Every product and every sum the perceptron computes
is then exact in floating point, whatever the order of the operations, so the
checks can compare with ``==``: a correct implementation in any style (loops,
``@``, ``np.dot``, lists) gives exactly the same numbers.  Zero activations
(``h == 0``) are frequent, which separates ``h > 0`` from ``h >= 0``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

__all__ = ["Layer", "layers", "samples", "learning_rates", "bias_column", "separable_sets", "Separable"]


def bias_column(x: np.ndarray) -> np.ndarray:
    """``x`` with the course's bias input, a last column of -1."""
    return np.hstack([x, -np.ones((len(x), 1))])


@dataclass(frozen=True)
class Layer:
    """Inputs ``x`` (n, in_dim + 1) with the bias column, weights ``w`` (in_dim + 1, out_dim), targets ``t``."""

    x: np.ndarray
    w: np.ndarray
    t: np.ndarray

    @property
    def n(self) -> int:
        return self.x.shape[0]

    @property
    def in_dim(self) -> int:
        return self.x.shape[1] - 1

    @property
    def out_dim(self) -> int:
        return self.w.shape[1]


def _grid(rows: int, cols: int, low: int, high: int, unit: float) -> st.SearchStrategy[np.ndarray]:
    return arrays(np.int64, (rows, cols), elements=st.integers(low, high)).map(lambda a: a * unit)


#: The most outputs drawn, now and then, beyond ``max_out``: code whose arrays have a fixed size of the usual
#: sizes meets more outputs than they hold.
MANY_OUTPUTS = 12


@st.composite
def layers(draw, *, max_n: int = 12, max_in: int = 6, max_out: int = 4, wide_out: int = MANY_OUTPUTS) -> Layer:
    """A layer of any size: n samples of in_dim inputs (plus the bias), out_dim outputs (one time in four from
    ``max_out + 1`` to ``wide_out``, when it is larger), binary targets."""
    n = draw(st.integers(1, max_n))
    in_dim = draw(st.integers(1, max_in))
    many = wide_out > max_out and draw(st.integers(0, 3)) == 3
    out_dim = draw(st.integers(max_out + 1, wide_out) if many else st.integers(1, max_out))
    unit = 2.0 ** draw(st.integers(-3, 3))
    x = bias_column(draw(_grid(n, in_dim, -4, 4, unit)))
    w = draw(_grid(in_dim + 1, out_dim, -16, 16, 1 / 16))
    t = draw(arrays(np.int64, (n, out_dim), elements=st.integers(0, 1)))
    return Layer(x=x, w=w, t=t)


def samples() -> st.SearchStrategy[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    """One sample for the learning rule: (x, y, t, w), x including the bias input."""
    return layers(max_n=1).flatmap(lambda layer: st.tuples(
        st.just(layer.x[0]),
        arrays(np.int64, (layer.out_dim,), elements=st.integers(0, 1)),
        st.just(layer.t[0]),
        st.just(layer.w),
    ))


def learning_rates() -> st.SearchStrategy[float]:
    """Learning rates that keep the arithmetic exact: 1/8, 1/4, 1/2, 1, 2."""
    return st.sampled_from([0.25, 0.125, 0.5, 1.0, 2.0])


@dataclass(frozen=True)
class Separable:
    """A linearly separable set: ``x`` with the bias column, targets ``t`` given by separating vectors ``w_star``
    (one column per output); ``bound`` is the convergence theorem's bound on the total number of mistakes."""

    x: np.ndarray
    t: np.ndarray
    w_star: np.ndarray
    bound: float


def mistake_bound(x: np.ndarray, w_star: np.ndarray) -> float:
    """Sum over outputs of (R / gamma)^2: R the largest input norm, gamma the margin of the separating column."""
    radius = float(np.max(np.linalg.norm(x, axis=1)))
    total = 0.0
    for column in w_star.T:
        gamma = float(np.min(np.abs(x @ column))) / float(np.linalg.norm(column))
        total += (radius / gamma) ** 2
    return total


@st.composite
def separable_sets(draw, *, max_bound: float = 60.0) -> Separable:
    """Points on an integer grid, labelled by integer separating vectors, none on or near a separating plane; both
    classes present on every output."""
    in_dim = draw(st.integers(1, 4))
    out_dim = draw(st.integers(1, 2))
    w_star = draw(arrays(np.int64, (in_dim + 1, out_dim), elements=st.integers(-3, 3))).astype(float)
    for j in range(out_dim):
        if not np.any(w_star[:in_dim, j]):
            w_star[draw(st.integers(0, in_dim - 1)), j] = 1.0
    n = draw(st.integers(2, 16))
    x = bias_column(draw(_grid(n, in_dim, -3, 3, 1.0)))
    h = x @ w_star
    # Keep the points at least one grid step away from every separating plane (h is an integer).
    x = x[np.all(np.abs(h) >= 1, axis=1)]
    assume(len(x) > 0 and mistake_bound(x, w_star) <= max_bound)
    t = (x @ w_star > 0).astype(int)
    assume(bool(np.all((t.min(axis=0) == 0) & (t.max(axis=0) == 1))))  # both classes on every output
    return Separable(x=x, t=t, w_star=w_star, bound=mistake_bound(x, w_star))
