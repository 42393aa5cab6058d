"""MLP as the course's on-line program is written: a loop over the neurons of each layer, ``np.sum`` for each
neuron's input, one sample at a time, adapted to the function contract."""

import numpy as np


def add_bias(x):
    return np.hstack([x, -np.ones((len(x), 1))])


def sigmoid(h, beta):
    return 1.0 / (1.0 + np.exp(-beta * h))


def forward_one(x, w1, w2, beta):
    hid_dim, out_dim = w1.shape[1], w2.shape[1]
    a = np.zeros(hid_dim + 1)
    for i in range(hid_dim):
        a[i] = sigmoid(np.sum(x * w1[:, i]), beta)
    a[hid_dim] = -1.0
    y = np.zeros(out_dim)
    for j in range(out_dim):
        y[j] = sigmoid(np.sum(a * w2[:, j]), beta)
    return a, y


def forward(x, w1, w2, beta):
    hidden = np.zeros((len(x), w1.shape[1] + 1))
    y = np.zeros((len(x), w2.shape[1]))
    for n in range(len(x)):
        hidden[n], y[n] = forward_one(x[n], w1, w2, beta)
    return hidden, y


def backprop(x, t, w1, w2, eta, beta):
    a, y = forward_one(x, w1, w2, beta)
    hid_dim, out_dim = w1.shape[1], w2.shape[1]
    delta_o = np.zeros(out_dim)
    for j in range(out_dim):
        delta_o[j] = beta * (y[j] - t[j]) * y[j] * (1.0 - y[j])
    delta_h = np.zeros(hid_dim)
    for i in range(hid_dim):
        delta_h[i] = beta * a[i] * (1.0 - a[i]) * np.sum(w2[i, :] * delta_o)
    new_w1 = w1.copy()
    for i in range(hid_dim):
        new_w1[:, i] -= eta * delta_h[i] * x
    new_w2 = w2.copy()
    for j in range(out_dim):
        new_w2[:, j] -= eta * delta_o[j] * a
    return new_w1, new_w2


def train(x, t, w1, w2, eta, beta, epochs, rng):
    w1, w2 = w1.copy(), w2.copy()
    errors = np.zeros(epochs)
    for epoch in range(epochs):
        for n in rng.permutation(len(x)):
            w1, w2 = backprop(x[n], t[n], w1, w2, eta, beta)
        total = 0.0
        for n in range(len(x)):
            _, y = forward_one(x[n], w1, w2, beta)
            total += 0.5 * np.sum((y - t[n]) ** 2)
        errors[epoch] = total
    return w1, w2, errors


def predict(x, w1, w2, beta):
    _, y = forward(x, w1, w2, beta)
    if y.shape[1] == 1:
        return np.where(y[:, 0] > 0.5, 1, 0)
    return np.argmax(y, axis=1)


def confusion_matrix(y, t):
    n_classes = max(t.shape[1], 2)
    if t.shape[1] == 1:
        outputs, targets = np.where(y[:, 0] > 0.5, 1, 0), np.where(t[:, 0] > 0.5, 1, 0)
    else:
        outputs, targets = np.argmax(y, 1), np.argmax(t, 1)
    cm = np.zeros((n_classes, n_classes), dtype=int)
    for i in range(n_classes):
        for j in range(n_classes):
            cm[i, j] = np.sum(np.where(outputs == i, 1, 0) * np.where(targets == j, 1, 0))
    return cm


def class_scores(cm):
    cm = np.asarray(cm, dtype=float)
    size = len(cm)
    recall, precision = np.zeros(size), np.zeros(size)
    for i in range(size):
        if np.sum(cm[:, i]) > 0:
            recall[i] = cm[i, i] / np.sum(cm[:, i])
        if np.sum(cm[i, :]) > 0:
            precision[i] = cm[i, i] / np.sum(cm[i, :])
    return recall, precision, np.trace(cm) / np.sum(cm)
