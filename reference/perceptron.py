"""Reference solution of the perceptron exercise (instructors only; never shipped to students)."""

import numpy as np


def add_bias(x):
    """``x`` with a last column of -1 (the bias input)."""
    x = np.asarray(x, dtype=float)
    return np.hstack([x, -np.ones((len(x), 1))])


def forward(x, w):
    """Binary outputs: 1 where h = x @ w > 0, else 0."""
    h = np.asarray(x, dtype=float) @ np.asarray(w, dtype=float)
    return (h > 0).astype(int)


def update(x, y, t, w, eta):
    """One on-line step of the perceptron rule: w - eta * outer(x, y - t)."""
    x = np.asarray(x, dtype=float)
    error = np.asarray(y, dtype=float) - np.asarray(t, dtype=float)
    return np.asarray(w, dtype=float) - eta * np.outer(x, error)


def train(x, t, w0, eta, epochs, rng):
    """On-line training: every epoch, the samples in an order shuffled with ``rng``."""
    x = np.asarray(x, dtype=float)
    t = np.asarray(t, dtype=float)
    w = np.array(w0, dtype=float)
    mistakes = np.zeros(epochs, dtype=int)
    for epoch in range(epochs):
        for i in rng.permutation(len(x)):
            y = forward(x[i : i + 1], w)[0]
            if np.any(y != t[i]):
                mistakes[epoch] += 1
                w = update(x[i], y, t[i], w, eta)
    return w, mistakes


def classes(y):
    """The class of each row: the index of the largest value, or (one column) 1 when above 0.5."""
    y = np.asarray(y, dtype=float)
    if y.shape[1] == 1:
        return (y[:, 0] > 0.5).astype(int)
    return y.argmax(axis=1)


def confusion_matrix(y, t):
    """cm[i, j]: number of samples of predicted class i and target class j."""
    size = max(np.shape(t)[1], 2)
    cm = np.zeros((size, size), dtype=int)
    for predicted, target in zip(classes(y), classes(t)):
        cm[predicted, target] += 1
    return cm


def class_scores(cm):
    """(recall, precision, accuracy) of a confusion matrix; 0 where a ratio is 0/0."""
    cm = np.asarray(cm, dtype=float)
    correct = np.diag(cm)
    targets = cm.sum(axis=0)
    predicted = cm.sum(axis=1)
    recall = np.divide(correct, targets, out=np.zeros_like(correct), where=targets > 0)
    precision = np.divide(correct, predicted, out=np.zeros_like(correct), where=predicted > 0)
    accuracy = float(correct.sum() / cm.sum()) if cm.sum() > 0 else 0.0
    return recall, precision, accuracy
