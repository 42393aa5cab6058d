"""MLP in the style of the course's module: deltas over the whole hidden layer, the bias node's dropped."""

import numpy as np


def sigmoid(h, beta):
    return 1 / (1 + np.exp(-beta * h))


def forward(x, w1, w2, beta):
    hidden = sigmoid(np.dot(x, w1), beta)
    hidden = np.concatenate((hidden, -np.ones((np.shape(x)[0], 1))), axis=1)
    outputs = sigmoid(np.dot(hidden, w2), beta)
    return hidden, outputs


def backprop(x, t, w1, w2, eta, beta):
    x = x.reshape(1, -1)
    t = t.reshape(1, -1)
    hidden, outputs = forward(x, w1, w2, beta)
    deltao = beta * (outputs - t) * outputs * (1.0 - outputs)
    deltah = beta * hidden * (1.0 - hidden) * np.dot(deltao, np.transpose(w2))
    updatew1 = eta * np.dot(np.transpose(x), deltah[:, :-1])
    updatew2 = eta * np.dot(np.transpose(hidden), deltao)
    return w1 - updatew1, w2 - updatew2


def shuffle(order, rng):
    rng.shuffle(order)


def train(x, t, w1, w2, eta, beta, epochs, rng):
    order = list(range(np.shape(x)[0]))
    errors = []
    for _ in range(epochs):
        shuffle(order, rng)
        for i in order:
            w1, w2 = backprop(x[i], t[i], w1, w2, eta, beta)
        outputs = forward(x, w1, w2, beta)[1]
        errors.append(0.5 * np.sum((outputs - t) ** 2))
    return w1, w2, np.array(errors)


def predict(x, w1, w2, beta):
    outputs = forward(x, w1, w2, beta)[1]
    if np.shape(outputs)[1] == 1:
        return np.where(outputs[:, 0] > 0.5, 1, 0)
    return np.argmax(outputs, 1)


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
