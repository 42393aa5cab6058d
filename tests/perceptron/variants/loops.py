"""Perceptron with explicit loops, as a beginner writes it."""

import numpy as np


def add_bias(x):
    n, d = np.shape(x)
    out = np.zeros((n, d + 1))
    for i in range(n):
        for j in range(d):
            out[i, j] = x[i][j]
        out[i, d] = -1.0
    return out


def forward(x, w):
    n = len(x)
    n_in, n_out = np.shape(w)
    y = np.zeros((n, n_out), dtype=int)
    for s in range(n):
        for i in range(n_out):
            h = 0.0
            for j in range(n_in):
                h += w[j][i] * x[s][j]
            if h > 0:
                y[s, i] = 1
            else:
                y[s, i] = 0
    return y


def update(x, y, t, w, eta):
    new = np.array(w, dtype=float)
    for j in range(len(x)):
        for i in range(len(y)):
            new[j, i] -= eta * (y[i] - t[i]) * x[j]
    return new


def train(x, t, w0, eta, epochs, rng):
    w = np.array(w0, dtype=float)
    mistakes = np.zeros(epochs, dtype=int)
    for epoch in range(epochs):
        order = np.arange(len(x))
        rng.shuffle(order)
        for s in order:
            y = forward([x[s]], w)[0]
            wrong = False
            for i in range(len(y)):
                if y[i] != t[s][i]:
                    wrong = True
            if wrong:
                mistakes[epoch] += 1
                w = update(x[s], y, t[s], w, eta)
    return w, mistakes


def _class(row):
    if len(row) == 1:
        return 1 if row[0] > 0.5 else 0
    best = 0
    for i in range(len(row)):
        if row[i] > row[best]:
            best = i
    return best


def confusion_matrix(y, t):
    size = max(len(t[0]), 2)
    cm = np.zeros((size, size), dtype=int)
    for s in range(len(y)):
        cm[_class(y[s]), _class(t[s])] += 1
    return cm


def class_scores(cm):
    size = len(cm)
    recall = np.zeros(size)
    precision = np.zeros(size)
    total = 0
    trace = 0
    for i in range(size):
        column = 0
        row = 0
        for j in range(size):
            column += cm[j][i]
            row += cm[i][j]
            total += cm[i][j]
        trace += cm[i][i]
        if column > 0:
            recall[i] = cm[i][i] / column
        if row > 0:
            precision[i] = cm[i][i] / row
    return recall, precision, trace / total
