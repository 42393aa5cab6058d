"""The course's network, computed in the grader as the contract states it, with its rounding bounds.

A network has ``in_dim`` inputs plus the bias input -1 (the last column of ``x``),
``hid_dim`` logistic hidden neurons plus a bias node fixed at -1, and ``out_dim``
logistic outputs: ``w1`` is ``(in_dim + 1, hid_dim)``, ``w2`` is ``(hid_dim + 1, out_dim)``,
``sigma(h) = 1 / (1 + exp(-beta h))``.  The quadratic error of a sample is
``E = 1/2 sum (y - t)^2``.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
from scipy.special import expit

from grader.authoring import finite_difference_gradient
from grader.precision import EPS, SINGLE_EPS

__all__ = ["EPS", "SINGLE_EPS", "sigmoid", "forward", "error", "gradient_step", "numerical_gradient", "gradient_bound",
           "numerical_epochs", "forward_tolerance", "gradient_rounding", "classes_of"]

# The bounds below take the unit (:mod:`grader.precision`) of the least precise arithmetic the exercise accepts,
# so that a correct computation in that precision is within them.


def sigmoid(h: np.ndarray, beta: float) -> np.ndarray:
    """The logistic function of slope ``beta``, by scipy (within a few ulps, no overflow far from 0)."""
    return np.asarray(expit(beta * np.asarray(h, dtype=float)))


def forward(x: np.ndarray, w1: np.ndarray, w2: np.ndarray, beta: float,
            bias: float | np.ndarray = -1.0) -> tuple[np.ndarray, np.ndarray]:
    """(hidden (n, hid_dim + 1) ending with the bias node -1, outputs (n, out_dim)).

    ``bias``: the value of the bias node, one for all samples or one per sample: -1 in the contract; another
    value gives what the contract's formulas make of a hidden layer ending with that value instead."""
    node = np.broadcast_to(np.reshape(np.asarray(bias, dtype=float), (-1, 1)), (len(x), 1))
    hidden = np.hstack([sigmoid(x @ w1, beta), node])
    return hidden, sigmoid(hidden @ w2, beta)


def error(x: np.ndarray, t: np.ndarray, w1: np.ndarray, w2: np.ndarray, beta: float) -> float:
    """Quadratic error summed over the samples: 1/2 sum (y - t)^2."""
    return 0.5 * float(np.sum((forward(x, w1, w2, beta)[1] - t) ** 2))


def gradient_step(x: np.ndarray, t: np.ndarray, w1: np.ndarray, w2: np.ndarray, eta: float,
                  beta: float) -> tuple[np.ndarray, np.ndarray]:
    """One step of gradient descent ``w - eta dE/dw`` on the sample (x, t): what one on-line back-propagation
    step computes.  The gradient is taken by complex-step differentiation of :func:`error` (each weight moved by
    ``i h``: ``dE/dw = Im E(w + i h) / h``), exact to the rounding of the error's own computation, with no
    difference of nearby values to lose digits; every weight at once, one network per weight."""
    x, t = np.asarray(x, dtype=float), np.asarray(t, dtype=float)
    count = w1.size + w2.size
    moves = np.eye(count) * _STEP * 1j
    v1 = w1[None, :, :] + moves[:, :w1.size].reshape(count, *w1.shape)
    v2 = w2[None, :, :] + moves[:, w1.size:].reshape(count, *w2.shape)
    # The logistic function as 1/2 (1 + tanh(z / 2)): no overflow of exp for a complex argument far from 0.
    hidden = 0.5 * (1 + np.tanh(beta * np.einsum("i,wih->wh", x, v1) / 2))
    hidden = np.concatenate([hidden, -np.ones((count, 1))], axis=1)
    y = 0.5 * (1 + np.tanh(beta * np.einsum("wh,who->wo", hidden, v2) / 2))
    gradient = (0.5 * ((y - t) ** 2).sum(axis=1)).imag / _STEP
    return w1 - eta * gradient[:w1.size].reshape(w1.shape), w2 - eta * gradient[w1.size:].reshape(w2.shape)


#: The imaginary step of :func:`gradient_step`: far below any weight's rounding, so that it changes no real part.
_STEP = 1e-30


def forward_tolerance(x: np.ndarray, w1: np.ndarray, w2: np.ndarray, beta: float, unit: float = EPS,
                      bias: float | np.ndarray = -1.0) -> tuple[np.ndarray, np.ndarray]:
    """Bounds on how far a correct forward pass, summing in any order in arithmetic of unit ``unit``, can be
    from :func:`forward` (with the bias node ``bias``, taken as given: no bound on its column).

    A dot product of length d is within ``d unit |x| . |w|`` of the exact value (Higham: ``gamma_d``, with
    ``unit`` twice the unit roundoff, which also covers rounding the inputs to that precision first, d >= 2
    with the bias input); the logistic function has slope at most ``beta / 4`` and is evaluated within a few
    ulps.  The hidden error then propagates through ``|w2|``.  A factor 4 covers the grader's own rounding,
    which is at most of the same size.
    """
    hid_error = 4 * (beta / 4 * x.shape[1] * unit * (np.abs(x) @ np.abs(w1)) + 4 * unit)
    hid_error = np.hstack([hid_error, np.zeros((len(x), 1))])
    hidden = forward(x, w1, w2, beta, bias)[0]
    out_error = 4 * (beta / 4 * (hidden.shape[1] * unit * (np.abs(hidden) @ np.abs(w2)) + hid_error @ np.abs(w2))
                     + 4 * unit)
    return hid_error, out_error


def gradient_rounding(x: np.ndarray, t: np.ndarray, w1: np.ndarray, w2: np.ndarray, beta: float,
                      unit: float) -> tuple[np.ndarray, np.ndarray]:
    """Bounds on how far back-propagation computed in arithmetic of unit ``unit`` (any order of its sums) can
    be from the exact gradient of the error of the sample (x, t): (for dE/dw1, for dE/dw2).

    The activations ``a`` and outputs ``y`` are within :func:`forward_tolerance` (``ea``, ``ey``).  Then, to
    first order, with a few units for each product's own rounding:
    ``delta_o = beta (y - t) y (1 - y)`` has slope ``beta |y(1 - y) + (y - t)(1 - 2y)| <= beta (1/4 + |y - t|)``
    in ``y``; ``dE/dw2 = a delta_o``; ``s = w2 . delta_o`` (out_dim terms);
    ``delta_h = beta a (1 - a) s`` has slopes ``beta / 4`` in ``s`` and ``beta |1 - 2a| |s|`` in ``a``;
    ``dE/dw1 = x delta_h``.  A factor 2 covers the second-order terms and the grader's own rounding.
    """
    ea, ey = (e[0] for e in forward_tolerance(x[None, :], w1, w2, beta, unit))
    hidden, y = (v[0] for v in forward(x[None, :], w1, w2, beta))
    a, ea = hidden[:-1], ea[:-1]
    delta_o = beta * (y - t) * y * (1 - y)
    e_delta_o = beta * (0.25 + np.abs(y - t)) * ey + 8 * unit * np.abs(delta_o)
    e_w2 = np.outer(np.abs(hidden), e_delta_o) + np.outer(np.append(ea, 0.0), np.abs(delta_o)) \
        + 2 * unit * np.abs(np.outer(hidden, delta_o))
    s = w2[:-1] @ delta_o
    e_s = np.abs(w2[:-1]) @ e_delta_o + (len(delta_o) + 2) * unit * (np.abs(w2[:-1]) @ np.abs(delta_o))
    delta_h = beta * a * (1 - a) * s
    e_delta_h = beta / 4 * e_s + beta * np.abs(1 - 2 * a) * ea * np.abs(s) + 8 * unit * np.abs(delta_h)
    e_w1 = np.outer(np.abs(x), e_delta_h) + 2 * unit * np.abs(np.outer(x, delta_h))
    return 2 * e_w1, 2 * e_w2


def _errors_with(x: np.ndarray, t: np.ndarray, w1: np.ndarray, w2: np.ndarray, beta: float,
                 which: int) -> Callable[[np.ndarray], np.ndarray]:
    """E of the sample (x, t) for a stack of values of w1 (``which`` 0) or w2 (1), shape (k, *shape): (k,)."""
    def errors(moved: np.ndarray) -> np.ndarray:
        if which == 0:
            hidden = sigmoid(np.einsum("d,kdh->kh", x, moved), beta)
            y = sigmoid(np.hstack([hidden, -np.ones((len(hidden), 1))]) @ w2, beta)
        else:
            hidden = np.append(sigmoid(x @ w1, beta), -1.0)
            y = sigmoid(np.einsum("h,kho->ko", hidden, moved), beta)
        return 0.5 * np.sum((y - t) ** 2, axis=1)

    return errors


def numerical_gradient(x: np.ndarray, t: np.ndarray, w1: np.ndarray, w2: np.ndarray, beta: float,
                       step: float = 1e-4) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Central finite differences of the error of one sample: ((dE/dw1, dE/dw2), (tol1, tol2)), by the authoring
    library's :func:`grader.authoring.finite_difference_gradient` (its tolerance derived from the step), the
    rounding of E bounded by a few ulps per term of its sums."""
    rounding = 64 * EPS * (1 + error(x[None, :], t[None, :], w1, w2, beta) + t.size)
    found = [finite_difference_gradient(_errors_with(x, t, w1, w2, beta, which), weights, step=step,
                                        rounding=rounding, batched=True)
             for which, weights in enumerate((w1, w2))]
    return (found[0].value, found[1].value), (found[0].tolerance, found[1].tolerance)


def gradient_bound(x: np.ndarray, w1: np.ndarray, w2: np.ndarray, beta: float) -> float:
    """A bound on sum |dE/dw| over every weight, E the error summed over the samples of ``x``.

    Each sample contributes, per weight of w2, at most ``|y - t| sigma' |hidden| <= beta / 4``
    and, per weight of w1, at most ``sum_o |y - t| sigma'_o |w2| sigma'_h |x| <= out_dim (beta / 4)^2 max|w2| max|x|``.
    """
    per_sample = w2.size * beta / 4 + w1.size * w2.shape[1] * (beta / 4) ** 2 * np.abs(w2).max() * np.abs(x).max()
    return float(len(x) * per_sample)


def numerical_epochs(x: np.ndarray, t: np.ndarray, w1: np.ndarray, w2: np.ndarray, eta: float,
                     beta: float) -> list[tuple[float, float]]:
    """For every order of the samples, one on-line epoch of gradient steps ``w - eta grad E`` on each sample,
    grad E by :func:`numerical_gradient`: (the error over all samples afterwards, a bound on its distance to the
    error after the exact steps).

    A step's weights are within ``eta tol`` of the exact step's from the same weights; a step is a
    contraction or a mild expansion of what it starts from (slopes at most beta / 4 <= 1/2, eta <= 1), so
    the distance is at most doubled by each later step.  The error moves by at most that distance times
    :func:`gradient_bound`, twice that to cover the curvature over so small a distance.
    """
    results: list[tuple[float, float]] = []
    bound = gradient_bound(x, w1, w2, beta)

    def walk(left: tuple[int, ...], v1: np.ndarray, v2: np.ndarray, distance: float) -> None:
        if not left:
            results.append((error(x, t, v1, v2, beta), 2 * distance * bound))
            return
        for i in left:
            (g1, g2), (tol1, tol2) = numerical_gradient(x[i], t[i], v1, v2, beta)
            walk(tuple(j for j in left if j != i), v1 - eta * g1, v2 - eta * g2,
                 2 * distance + eta * max(float(tol1.max()), float(tol2.max())))

    walk(tuple(range(len(x))), w1, w2, 0.0)
    return results


def classes_of(y: np.ndarray) -> np.ndarray:
    """The class of each row of outputs: the largest output, or (one output) 1 when above 0.5."""
    return (y[:, 0] > 0.5).astype(np.int64) if y.shape[1] == 1 else y.argmax(axis=1)
