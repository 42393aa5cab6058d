"""Correct: loops over neurons, the sums of the hidden deltas and of the error made in an order that changes from
call to call, as an OpenMP reduction adds (its results differ from run to run in their last bits)."""

import math

import numpy as np

#: Calls of train so far: the order of the sums alternates with it.
_CALLS = [0]


def add_bias(x):
    return np.hstack([x, -np.ones((len(x), 1))])


def logistic(h, beta):
    return 1.0 / (1.0 + math.exp(-beta * h))


def forward(x, w1, w2, beta):
    n = len(x)
    n_in, hid_dim = w1.shape
    out_dim = w2.shape[1]
    hidden = np.zeros((n, hid_dim + 1))
    y = np.zeros((n, out_dim))
    for s in range(n):
        for i in range(hid_dim):
            h = 0.0
            for j in range(n_in):
                h += x[s, j] * w1[j, i]
            hidden[s, i] = logistic(h, beta)
        hidden[s, hid_dim] = -1.0
        for k in range(out_dim):
            h = 0.0
            for i in range(hid_dim + 1):
                h += hidden[s, i] * w2[i, k]
            y[s, k] = logistic(h, beta)
    return hidden, y


def backprop(x, t, w1, w2, eta, beta):
    hidden, y = forward(x.reshape(1, -1), w1, w2, beta)
    a = hidden[0]
    y = y[0]
    n_in, hid_dim = w1.shape
    out_dim = w2.shape[1]
    delta_o = np.zeros(out_dim)
    for k in range(out_dim):
        delta_o[k] = beta * (y[k] - t[k]) * y[k] * (1 - y[k])
    delta_h = np.zeros(hid_dim)
    for i in range(hid_dim):
        terms = [w2[i, k] * delta_o[k] for k in range(out_dim)]
        s = 0.0
        for term in (terms if _CALLS[0] % 2 else terms[::-1]):
            s += term
        delta_h[i] = beta * a[i] * (1 - a[i]) * s
    new_w2 = w2.copy()
    for i in range(hid_dim + 1):
        for k in range(out_dim):
            new_w2[i, k] -= eta * a[i] * delta_o[k]
    new_w1 = w1.copy()
    for j in range(n_in):
        for i in range(hid_dim):
            new_w1[j, i] -= eta * x[j] * delta_h[i]
    return new_w1, new_w2


def train(x, t, w1, w2, eta, beta, epochs, rng):
    _CALLS[0] += 1
    w1 = w1.copy()
    w2 = w2.copy()
    errors = np.zeros(epochs)
    for epoch in range(epochs):
        order = rng.permutation(len(x))
        for s in order:
            w1, w2 = backprop(x[s], t[s], w1, w2, eta, beta)
        _, y = forward(x, w1, w2, beta)
        terms = [0.5 * (y[s, k] - t[s, k]) ** 2 for s in range(len(x)) for k in range(len(t[s]))]
        total = 0.0
        for term in (terms if _CALLS[0] % 2 else terms[::-1]):
            total += term
        errors[epoch] = total
    return w1, w2, errors


def predict(x, w1, w2, beta):
    _, y = forward(x, w1, w2, beta)
    classes = np.zeros(len(x), dtype=int)
    for s in range(len(x)):
        if y.shape[1] == 1:
            classes[s] = 1 if y[s, 0] > 0.5 else 0
        else:
            best = 0
            for k in range(y.shape[1]):
                if y[s, k] > y[s, best]:
                    best = k
            classes[s] = best
    return classes


def _class(row):
    if len(row) == 1:
        return 1 if row[0] > 0.5 else 0
    return int(np.argmax(row))


def confusion_matrix(y, t):
    size = max(len(t[0]), 2)
    cm = np.zeros((size, size), dtype=int)
    for s in range(len(y)):
        cm[_class(y[s]), _class(t[s])] += 1
    return cm


def class_scores(cm):
    cm = np.asarray(cm, dtype=float)
    size = len(cm)
    recall = np.zeros(size)
    precision = np.zeros(size)
    for i in range(size):
        if cm[:, i].sum() > 0:
            recall[i] = cm[i, i] / cm[:, i].sum()
        if cm[i, :].sum() > 0:
            precision[i] = cm[i, i] / cm[i, :].sum()
    return recall, precision, np.trace(cm) / cm.sum()
