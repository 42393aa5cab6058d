"""Correct: forward on the whole training set each step, the sample's row picked; mistakes as a float array; the
accuracy as a 0-d array."""
import numpy as np


def add_bias(x):
    b = -np.ones((x.shape[0], 1), dtype=x.dtype if np.issubdtype(np.asarray(x).dtype, np.floating) else float)
    return np.concatenate([x, b], axis=1)


def forward(x, w):
    return np.where(x @ w > 0, 1, 0)


def update(x, y, t, w, eta):
    return w + eta * np.outer(x, t - y)


def train(x, t, w0, eta, epochs, rng):
    w = w0 + 0.0
    mistakes = np.zeros(epochs)
    for e in range(epochs):
        order = np.arange(len(x))
        rng.shuffle(order)
        for i in order:
            y = forward(x, w)[i]
            if not (y == t[i]).all():
                mistakes[e] += 1
                w = update(x[i], y, t[i], w, eta)
    return w, mistakes


def confusion_matrix(y, t):
    k = max(t.shape[1], 2)
    if t.shape[1] == 1:
        p, q = (y.ravel() > 0.5) * 1, (t.ravel() > 0.5) * 1
    else:
        p, q = np.argmax(y, 1), np.argmax(t, 1)
    return np.array([[np.count_nonzero((p == i) & (q == j)) for j in range(k)] for i in range(k)])


def class_scores(cm):
    cm = np.asarray(cm)
    recall, precision = [], []
    for i in range(len(cm)):
        col, row = cm[:, i].sum(), cm[i, :].sum()
        recall.append(cm[i, i] / col if col else 0.0)
        precision.append(cm[i, i] / row if row else 0.0)
    return np.array(recall), np.array(precision), np.asarray(np.trace(cm) / np.sum(cm))  # a 0-d array
