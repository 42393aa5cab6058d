"""Correct: the bias input's weight written apart, h = x[:-1] . w[:-1] - w[-1] (x's last column is the bias -1)."""
import numpy as np


def add_bias(x):
    return np.hstack((x, np.full((len(x), 1), -1.0)))


def forward(x, w):
    x = np.atleast_2d(x)
    h = x[:, :-1] @ w[:-1] - w[-1]
    return (h > 0).astype(int)


def update(x, y, t, w, eta):
    e = np.asarray(y) - np.asarray(t)
    new = w.astype(float)
    new[:-1] -= eta * np.outer(x[:-1], e)
    new[-1] += eta * e
    return new


def train(x, t, w0, eta, epochs, rng):
    w = w0.astype(float)
    mistakes = np.zeros(epochs, dtype=int)
    for e in range(epochs):
        for i in rng.permutation(len(x)):
            y = forward(x[i], w)[0]
            if np.any(y != t[i]):
                mistakes[e] += 1
                w = update(x[i], y, t[i], w, eta)
    return w, mistakes


def confusion_matrix(y, t):
    k = max(t.shape[1], 2)
    p = (y[:, 0] > 0.5).astype(int) if y.shape[1] == 1 else y.argmax(1)
    q = (t[:, 0] > 0.5).astype(int) if t.shape[1] == 1 else t.argmax(1)
    cm = np.zeros((k, k), int)
    for a, b in zip(p, q):
        cm[a, b] += 1
    return cm


def class_scores(cm):
    cm = np.asarray(cm, float)
    d = np.diag(cm)
    c, r = cm.sum(0), cm.sum(1)
    return (np.divide(d, c, out=np.zeros_like(d), where=c > 0), np.divide(d, r, out=np.zeros_like(d), where=r > 0),
            np.trace(cm) / cm.sum())
