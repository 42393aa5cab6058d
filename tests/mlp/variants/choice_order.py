"""Correct: the samples visited through rng.choice without replacement; w1 and w2 as float copies; errors
computed sample by sample after the epoch; sigmoid via tanh; predict via np.argmax with keepdims."""
import numpy as np


def sigmoid(h, beta):
    return 0.5 + 0.5 * np.tanh(0.5 * beta * h)


def forward(x, w1, w2, beta):
    a = sigmoid(np.matmul(x, w1), beta)
    hidden = np.hstack((a, -np.ones((a.shape[0], 1))))
    return hidden, sigmoid(np.matmul(hidden, w2), beta)


def backprop(x, t, w1, w2, eta, beta):
    hidden, y = forward(x[np.newaxis, :], w1, w2, beta)
    hidden, y = hidden.ravel(), y.ravel()
    delta_o = beta * (y - t) * y * (1 - y)
    delta_h = beta * hidden[:-1] * (1 - hidden[:-1]) * np.matmul(w2[:-1, :], delta_o)
    new_w2 = w2 - eta * np.multiply.outer(hidden, delta_o)
    new_w1 = w1 - eta * np.multiply.outer(x, delta_h)
    return new_w1, new_w2


def train(x, t, w1, w2, eta, beta, epochs, rng):
    w1 = np.array(w1, dtype=float)
    w2 = np.array(w2, dtype=float)
    errors = np.zeros(epochs)
    n = len(x)
    for epoch in range(epochs):
        for i in rng.choice(n, n, replace=False):
            w1, w2 = backprop(x[i], t[i], w1, w2, eta, beta)
        for i in range(n):
            y = forward(x[i:i + 1], w1, w2, beta)[1][0]
            errors[epoch] += 0.5 * np.dot(y - t[i], y - t[i])
    return w1, w2, errors


def predict(x, w1, w2, beta):
    y = forward(x, w1, w2, beta)[1]
    if y.shape[1] == 1:
        return (y > 0.5).astype(int).ravel()
    return np.argmax(y, axis=1, keepdims=True).ravel()


def confusion_matrix(y, t):
    k = max(np.shape(t)[1], 2)
    if np.shape(t)[1] == 1:
        p = (np.ravel(y) > 0.5).astype(int)
        q = (np.ravel(t) > 0.5).astype(int)
    else:
        p = np.argmax(y, axis=1)
        q = np.argmax(t, axis=1)
    return np.bincount(p * k + q, minlength=k * k).reshape(k, k)


def class_scores(cm):
    cm = np.asarray(cm)
    diag = np.diagonal(cm).astype(float)
    col, row = cm.sum(axis=0), cm.sum(axis=1)
    recall = np.divide(diag, col, out=np.zeros(len(cm)), where=col != 0)
    precision = np.divide(diag, row, out=np.zeros(len(cm)), where=row != 0)
    return recall, precision, diag.sum() / cm.sum()
