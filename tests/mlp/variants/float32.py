"""Correct: the reference computing in single precision (numpy float32) throughout, as C float and Fortran real do."""

import numpy as np


def add_bias(x):
    """``x`` with a last column of -1 (the bias input)."""
    x = np.asarray(x, dtype=np.float32)
    return np.hstack([x, -np.ones((len(x), 1), dtype=np.float32)])


def sigmoid(h, beta):
    return np.float32(1) / (np.float32(1) + np.exp(-np.float32(beta) * h))


def forward(x, w1, w2, beta):
    """(hidden, y): hidden activations (n, hid_dim + 1) ending with the bias node -1, outputs (n, out_dim)."""
    x, w1, w2 = (np.asarray(a, dtype=np.float32) for a in (x, w1, w2))
    hidden = add_bias(sigmoid(x @ w1, beta))
    return hidden, sigmoid(hidden @ w2, beta)


def backprop(x, t, w1, w2, eta, beta):
    """One on-line step of back-propagation on one sample; returns the new (w1, w2)."""
    x, t, w1, w2 = (np.asarray(a, dtype=np.float32) for a in (x, t, w1, w2))
    eta, beta = np.float32(eta), np.float32(beta)
    hidden, y = forward(x[None, :], w1, w2, beta)
    hidden, y = hidden[0], y[0]
    delta_o = beta * (y - t) * y * (1 - y)
    a = hidden[:-1]
    delta_h = beta * a * (1 - a) * (w2[:-1] @ delta_o)
    return w1 - eta * np.outer(x, delta_h), w2 - eta * np.outer(hidden, delta_o)


def error(x, t, w1, w2, beta):
    """Quadratic error over the samples: 1/2 sum (y - t)^2."""
    _, y = forward(x, w1, w2, beta)
    return np.float32(0.5) * np.sum((y - np.asarray(t, dtype=np.float32)) ** 2, dtype=np.float32)


def train(x, t, w1, w2, eta, beta, epochs, rng):
    """On-line back-propagation; returns (w1, w2, errors) with the training error after each epoch."""
    w1 = np.array(w1, dtype=np.float32)
    w2 = np.array(w2, dtype=np.float32)
    errors = np.zeros(epochs, dtype=np.float32)
    for epoch in range(epochs):
        for i in rng.permutation(len(x)):
            w1, w2 = backprop(x[i], t[i], w1, w2, eta, beta)
        errors[epoch] = error(x, t, w1, w2, beta)
    return w1, w2, errors


def predict(x, w1, w2, beta):
    """The class of each sample: the index of the largest output, or (one output) 1 when above 0.5."""
    _, y = forward(x, w1, w2, beta)
    return (y[:, 0] > 0.5).astype(int) if y.shape[1] == 1 else y.argmax(axis=1)


def confusion_matrix(y, t):
    """cm[i, j]: number of samples of predicted class i and target class j."""
    y, t = np.asarray(y, dtype=float), np.asarray(t, dtype=float)
    size = max(t.shape[1], 2)

    def classes(a):
        return (a[:, 0] > 0.5).astype(int) if a.shape[1] == 1 else a.argmax(axis=1)

    cm = np.zeros((size, size), dtype=int)
    np.add.at(cm, (classes(y), classes(t)), 1)
    return cm


def class_scores(cm):
    """(recall, precision, accuracy) of a confusion matrix; 0 where a ratio is 0/0."""
    cm = np.asarray(cm, dtype=float)
    correct = np.diag(cm)
    recall = np.divide(correct, cm.sum(axis=0), out=np.zeros_like(correct), where=cm.sum(axis=0) > 0)
    precision = np.divide(correct, cm.sum(axis=1), out=np.zeros_like(correct), where=cm.sum(axis=1) > 0)
    return recall, precision, float(correct.sum() / cm.sum())
