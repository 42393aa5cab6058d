"""The course's network, computed in the grader as the contract states it, with its rounding bounds.

A network has ``in_dim`` inputs plus the bias input -1 (the last column of ``x``),
``hid_dim`` logistic hidden neurons plus a bias node fixed at -1, and ``out_dim``
logistic outputs: ``w1`` is ``(in_dim + 1, hid_dim)``, ``w2`` is ``(hid_dim + 1, out_dim)``,
``sigma(h) = 1 / (1 + exp(-beta h))``.  The quadratic error of a sample is
``E = 1/2 sum (y - t)^2``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["EPS", "sigmoid", "forward", "error", "numerical_gradient", "forward_tolerance", "backprop_step",
           "classes_of"]

EPS = float(np.finfo(float).eps)


def sigmoid(h: np.ndarray, beta: float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-beta * h))


def forward(x: np.ndarray, w1: np.ndarray, w2: np.ndarray, beta: float) -> tuple[np.ndarray, np.ndarray]:
    """(hidden (n, hid_dim + 1) ending with the bias node -1, outputs (n, out_dim))."""
    hidden = np.hstack([sigmoid(x @ w1, beta), -np.ones((len(x), 1))])
    return hidden, sigmoid(hidden @ w2, beta)


def error(x: np.ndarray, t: np.ndarray, w1: np.ndarray, w2: np.ndarray, beta: float) -> float:
    """Quadratic error summed over the samples: 1/2 sum (y - t)^2."""
    return 0.5 * float(np.sum((forward(x, w1, w2, beta)[1] - t) ** 2))


def forward_tolerance(x: np.ndarray, w1: np.ndarray, w2: np.ndarray, beta: float) -> tuple[np.ndarray, np.ndarray]:
    """Bounds on how far a correct forward pass, summing in any order, can be from :func:`forward`.

    A dot product of length d is within ``d eps |x| . |w|`` of the exact value (Higham);
    the logistic function has slope at most ``beta / 4`` and is evaluated within a few
    ulps.  The hidden error then propagates through ``|w2|``.  A factor 4 covers the
    grader's own rounding, which is of the same size.
    """
    hid_error = 4 * (beta / 4 * x.shape[1] * EPS * (np.abs(x) @ np.abs(w1)) + 4 * EPS)
    hid_error = np.hstack([hid_error, np.zeros((len(x), 1))])
    hidden = forward(x, w1, w2, beta)[0]
    out_error = 4 * (beta / 4 * (hidden.shape[1] * EPS * (np.abs(hidden) @ np.abs(w2)) + hid_error @ np.abs(w2))
                     + 4 * EPS)
    return hid_error, out_error


def backprop_step(x: np.ndarray, t: np.ndarray, w1: np.ndarray, w2: np.ndarray, eta: float,
                  beta: float) -> tuple[np.ndarray, np.ndarray]:
    """The course's on-line back-propagation step (for the grader's own sequences of steps)."""
    hidden, y = forward(x[None, :], w1, w2, beta)
    hidden, y = hidden[0], y[0]
    delta_o = beta * (y - t) * y * (1 - y)
    a = hidden[:-1]
    delta_h = beta * a * (1 - a) * (w2[:-1] @ delta_o)
    return w1 - eta * np.outer(x, delta_h), w2 - eta * np.outer(hidden, delta_o)


def numerical_gradient(x: np.ndarray, t: np.ndarray, w1: np.ndarray, w2: np.ndarray, beta: float,
                       step: float = 1e-4) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Central finite differences of the error of one sample: ((dE/dw1, dE/dw2), (tol1, tol2)).

    The tolerance is derived from the step ``s``: the truncation error of a central
    difference is ``s^2 E''' / 6``, estimated (Richardson) from the difference between
    the quotients with steps ``s`` and ``s / 2``; the rounding error is at most
    ``2 dE / s`` where ``dE`` bounds the rounding of E (a few ulps per term of its sums).
    """
    x2, t2 = x[None, :], t[None, :]
    rounding = 64 * EPS * (1 + error(x2, t2, w1, w2, beta) + t.size)

    def quotients(which: int, h: float) -> np.ndarray:
        weights = [w1, w2]
        gradient = np.zeros_like(weights[which])
        for index in np.ndindex(gradient.shape):
            values = []
            for sign in (1, -1):
                moved = [w1.copy(), w2.copy()]
                moved[which][index] += sign * h
                values.append(error(x2, t2, moved[0], moved[1], beta))
            gradient[index] = (values[0] - values[1]) / (2 * h)
        return gradient

    gradients, tolerances = [], []
    for which in (0, 1):
        coarse, fine = quotients(which, step), quotients(which, step / 2)
        gradients.append(fine)
        tolerances.append(4 * np.abs(coarse - fine) + 8 * rounding / step)
    return (gradients[0], gradients[1]), (tolerances[0], tolerances[1])


def classes_of(y: np.ndarray) -> np.ndarray:
    """The class of each row of outputs: the largest output, or (one output) 1 when above 0.5."""
    return (y[:, 0] > 0.5).astype(np.int64) if y.shape[1] == 1 else y.argmax(axis=1)
