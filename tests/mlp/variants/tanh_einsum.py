"""MLP with the logistic written through tanh, einsum products, and a float class vector."""

import numpy as np


def forward(x, w1, w2, beta):
    a = 0.5 * (1.0 + np.tanh(0.5 * beta * np.einsum("ni,ih->nh", x, w1)))
    hidden = np.pad(a, ((0, 0), (0, 1)), constant_values=-1.0)
    y = 0.5 * (1.0 + np.tanh(0.5 * beta * np.einsum("nh,ho->no", hidden, w2)))
    return hidden, y


def backprop(x, t, w1, w2, eta, beta):
    hidden, y = forward(x[np.newaxis], w1, w2, beta)
    hidden, y = hidden[0], y[0]
    d_out = beta * (y - t) * y * (1 - y)
    back = np.einsum("ho,o->h", w2, d_out)[:-1]
    d_hid = beta * hidden[:-1] * (1 - hidden[:-1]) * back
    return w1 - eta * np.einsum("i,h->ih", x, d_hid), w2 - eta * np.einsum("h,o->ho", hidden, d_out)


def train(x, t, w1, w2, eta, beta, epochs, rng):
    errors = np.empty(epochs)
    for epoch in range(epochs):
        for i in rng.choice(len(x), size=len(x), replace=False):
            w1, w2 = backprop(x[i], t[i], w1, w2, eta, beta)
        errors[epoch] = np.sum((forward(x, w1, w2, beta)[1] - t) ** 2) / 2
    return np.copy(w1), np.copy(w2), errors


def predict(x, w1, w2, beta):
    y = forward(x, w1, w2, beta)[1]
    return (y[:, 0] > 0.5).astype(float) if y.shape[1] == 1 else y.argmax(axis=1).astype(float)


def confusion_matrix(y, t):
    k = max(t.shape[1], 2)
    if t.shape[1] == 1:
        p, q = (y[:, 0] > 0.5).astype(int), (t[:, 0] > 0.5).astype(int)
    else:
        p, q = y.argmax(axis=1), t.argmax(axis=1)
    return np.bincount(p * k + q, minlength=k * k).reshape(k, k)


def class_scores(cm):
    diagonal = np.diag(cm).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        recall = np.nan_to_num(diagonal / cm.sum(axis=0))
        precision = np.nan_to_num(diagonal / cm.sum(axis=1))
    return recall, precision, float(diagonal.sum() / cm.sum())
