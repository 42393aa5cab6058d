"""Correct?: forward returns the boolean array h > 0 (True/False are 1/0 in numpy)."""
import numpy as np


def add_bias(x):
    return np.append(x, -np.ones((len(x), 1)), axis=1)


def forward(x, w):
    return np.matmul(x, w) > 0


def update(x, y, t, w, eta):
    return w - eta * np.outer(x, np.asarray(y, dtype=int) - t)


def train(x, t, w0, eta, epochs, rng):
    w = np.copy(w0)
    mistakes = np.zeros(epochs, int)
    idx = np.arange(len(x))
    for e in range(epochs):
        rng.shuffle(idx)
        for i in idx:
            y = forward(x[i:i + 1], w)[0]
            if np.any(y != t[i].astype(bool)):
                mistakes[e] += 1
                w = update(x[i], y, t[i], w, eta)
    return w, mistakes


def confusion_matrix(y, t):
    y = np.asarray(y, dtype=float)
    k = max(t.shape[1], 2)
    p = (y[:, 0] > 0.5).astype(int) if y.shape[1] == 1 else y.argmax(1)
    q = (t[:, 0] > 0.5).astype(int) if t.shape[1] == 1 else t.argmax(1)
    return np.bincount(k * p + q, minlength=k * k).reshape(k, k)


def class_scores(cm):
    d = np.diag(cm) * 1.0
    c, r = cm.sum(0), cm.sum(1)
    return (np.divide(d, c, out=np.zeros_like(d), where=c > 0), np.divide(d, r, out=np.zeros_like(d), where=r > 0),
            d.sum() / cm.sum())
