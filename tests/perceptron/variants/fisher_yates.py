"""Correct: a hand-written Fisher-Yates shuffle drawing from rng.integers; weights updated per output column."""
import numpy as np


def add_bias(x):
    x = np.asarray(x, dtype=float)
    out = -np.ones((x.shape[0], x.shape[1] + 1))
    out[:, :-1] = x
    return out


def forward(x, w):
    x = np.atleast_2d(x)
    y = np.zeros((x.shape[0], w.shape[1]), dtype=int)
    for i in range(w.shape[1]):
        y[:, i] = x @ w[:, i] > 0
    return y


def update(x, y, t, w, eta):
    w = np.array(w, dtype=float)
    for i in range(w.shape[1]):
        if y[i] != t[i]:
            w[:, i] -= eta * (y[i] - t[i]) * np.asarray(x)
    return w


def shuffle(n, rng):
    order = list(range(n))
    for i in range(n - 1, 0, -1):
        j = int(rng.integers(0, i + 1))
        order[i], order[j] = order[j], order[i]
    return order


def train(x, t, w0, eta, epochs, rng):
    w = np.array(w0, dtype=float)
    mistakes = []
    for _ in range(epochs):
        m = 0
        for s in shuffle(len(x), rng):
            y = forward(x[s], w)[0]
            if tuple(y) != tuple(t[s]):
                m += 1
                w = update(x[s], y, t[s], w, eta)
        mistakes.append(m)
    return w, np.asarray(mistakes)


def confusion_matrix(y, t):
    y = np.asarray(y, dtype=float)
    t = np.asarray(t, dtype=float)
    n_out = t.shape[1]
    if n_out == 1:
        p = np.where(y[:, 0] > 0.5, 1, 0)
        q = np.where(t[:, 0] > 0.5, 1, 0)
        k = 2
    else:
        p = np.argmax(y, axis=-1)
        q = np.argmax(t, axis=-1)
        k = n_out
    cm = np.zeros((k, k), dtype=np.int64)
    for a, b in zip(p, q):
        cm[a][b] = cm[a][b] + 1
    return cm


def class_scores(cm):
    cm = np.asarray(cm)
    k = cm.shape[0]
    recall = np.array([cm[i, i] / cm[:, i].sum() if cm[:, i].sum() != 0 else 0 for i in range(k)], dtype=float)
    precision = np.array([cm[i, i] / cm[i].sum() if cm[i].sum() != 0 else 0 for i in range(k)], dtype=float)
    return recall, precision, cm.trace() / cm.sum()
