"""Perceptron in the style of the course's module: float outputs, in-place shuffles of an index list."""

import numpy as np


def add_bias(x):
    return np.c_[x, -np.ones(len(x))]


def forward(x, w):
    h = np.matmul(x, w)
    return np.where(h > 0, 1.0, 0.0)


def update(x, y, t, w, eta):
    w = w.copy()
    w -= eta * np.outer(x, y - t)
    return w


def shuffle(order, rng):
    rng.shuffle(order)


def train(x, t, w0, eta, epochs, rng):
    w = np.copy(w0).astype(float)
    order = list(range(len(x)))
    mistakes = np.zeros(epochs, dtype=np.int32)
    for epoch in range(epochs):
        shuffle(order, rng)
        for i in order:
            y = forward(x[i:i + 1], w)[0]
            if not np.array_equal(y, t[i]):
                mistakes[epoch] = mistakes[epoch] + 1
                w = update(x[i], y, t[i], w, eta)
    return w, mistakes


def confusion_matrix(y, t):
    n_classes = np.shape(t)[1]
    if n_classes == 1:
        n_classes = 2
        outputs = np.where(y > 0.5, 1, 0).ravel()
        targets = np.where(t > 0.5, 1, 0).ravel()
    else:
        outputs = np.argmax(y, 1)
        targets = np.argmax(t, 1)
    cm = np.zeros((n_classes, n_classes), dtype=int)
    for i in range(n_classes):
        for j in range(n_classes):
            cm[i, j] = np.sum(np.where(outputs == i, 1, 0) * np.where(targets == j, 1, 0))
    return cm


def class_scores(cm):
    cm = np.asarray(cm, dtype=float)
    recall = [cm[i, i] / cm[:, i].sum() if cm[:, i].sum() else 0.0 for i in range(len(cm))]
    precision = [cm[i, i] / cm[i, :].sum() if cm[i, :].sum() else 0.0 for i in range(len(cm))]
    return np.array(recall), np.array(precision), np.trace(cm) / np.sum(cm)
