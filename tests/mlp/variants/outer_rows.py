"""Correct: explicit outer products row by row, mini-batch of size one, errors accumulated with math.fsum,
shuffled copies of the data drawn with rng.permutation."""
import math

import numpy as np


def _sigma(h, beta):
    return 1.0 / (1.0 + np.exp(-beta * h))


def forward(x, w1, w2, beta):
    x = np.atleast_2d(x)
    a = _sigma(np.dot(x, w1), beta)
    hidden = np.ones((a.shape[0], a.shape[1] + 1)) * -1.0
    hidden[:, :-1] = a
    return hidden, _sigma(np.dot(hidden, w2), beta)


def backprop(x, t, w1, w2, eta, beta):
    hidden, y = forward(x, w1, w2, beta)
    a, y = hidden[0], y[0]
    delta_o = beta * (y - t) * y * (1.0 - y)
    back = np.dot(w2, delta_o)[:-1]
    delta_h = beta * a[:-1] * (1.0 - a[:-1]) * back
    g1 = np.zeros_like(w1, dtype=float)
    for j in range(len(x)):
        g1[j] = x[j] * delta_h
    g2 = np.zeros_like(w2, dtype=float)
    for i in range(len(a)):
        g2[i] = a[i] * delta_o
    return w1 - eta * g1, w2 - eta * g2


def train(x, t, w1, w2, eta, beta, epochs, rng):
    errors = []
    for _ in range(epochs):
        perm = rng.permutation(len(x))
        xs, ts = x[perm], t[perm]
        for k in range(len(xs)):
            w1, w2 = backprop(xs[k], ts[k], w1, w2, eta, beta)
        y = forward(x, w1, w2, beta)[1]
        errors.append(0.5 * math.fsum(((y - t) ** 2).ravel()))
    return np.array(w1, dtype=float), np.array(w2, dtype=float), np.array(errors)


def predict(x, w1, w2, beta):
    y = forward(x, w1, w2, beta)[1]
    if y.shape[1] == 1:
        return np.where(y[:, 0] > 0.5, 1, 0)
    return y.argmax(axis=-1)


def confusion_matrix(y, t):
    k = max(t.shape[1], 2)
    if t.shape[1] == 1:
        p, q = np.where(y[:, 0] > 0.5, 1, 0), np.where(t[:, 0] > 0.5, 1, 0)
    else:
        p, q = np.argmax(y, 1), np.argmax(t, 1)
    cm = np.zeros((k, k), dtype=int)
    for a, b in zip(p, q):
        cm[a, b] += 1
    return cm


def class_scores(cm):
    cm = np.asarray(cm)
    k = len(cm)
    recall = np.array([cm[i, i] / cm[:, i].sum() if cm[:, i].sum() else 0.0 for i in range(k)])
    precision = np.array([cm[i, i] / cm[i].sum() if cm[i].sum() else 0.0 for i in range(k)])
    return recall, precision, cm.trace() / cm.sum()
