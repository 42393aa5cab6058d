"""Correct: single precision throughout (numpy float32), as the course's C float and Fortran real."""
import numpy as np


def add_bias(x):
    x = np.asarray(x, dtype=np.float32)
    return np.hstack([x, np.full((x.shape[0], 1), -1, dtype=np.float32)])


def forward(x, w):
    h = np.asarray(x, dtype=np.float32) @ np.asarray(w, dtype=np.float32)
    return (h > 0).astype(np.int32)


def update(x, y, t, w, eta):
    x = np.asarray(x, dtype=np.float32)
    e = (np.asarray(y) - np.asarray(t)).astype(np.float32)
    return np.asarray(w, dtype=np.float32) - np.float32(eta) * np.outer(x, e)


def train(x, t, w0, eta, epochs, rng):
    w = np.array(w0, dtype=np.float32)
    mistakes = np.zeros(epochs, dtype=np.int32)
    for e in range(epochs):
        for i in rng.permutation(len(x)):
            y = forward(x[i][None, :], w)[0]
            if np.any(y != t[i]):
                mistakes[e] += 1
                w = update(x[i], y, t[i], w, eta)
    return w, mistakes


def confusion_matrix(y, t):
    y = np.asarray(y, dtype=np.float32)
    t = np.asarray(t, dtype=np.float32)
    k = max(t.shape[1], 2)
    if t.shape[1] == 1:
        p, q = (y[:, 0] > 0.5).astype(int), (t[:, 0] > 0.5).astype(int)
    else:
        p, q = y.argmax(1), t.argmax(1)
    cm = np.zeros((k, k), dtype=np.int32)
    np.add.at(cm, (p, q), 1)
    return cm


def class_scores(cm):
    cm = np.asarray(cm, dtype=np.float32)
    d = np.diag(cm)
    cols, rows = cm.sum(0), cm.sum(1)
    recall = np.where(cols > 0, d / np.where(cols > 0, cols, 1), 0).astype(np.float32)
    precision = np.where(rows > 0, d / np.where(rows > 0, rows, 1), 0).astype(np.float32)
    return recall, precision, np.float32(d.sum() / cm.sum())
