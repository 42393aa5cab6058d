"""Correct: float32 everywhere with loops over neurons (as the course's C code with float), lists for the order."""
import numpy as np

F = np.float32


def _s(h, beta):
    return F(1) / (F(1) + np.exp(-F(beta) * F(h)))


def forward(x, w1, w2, beta):
    x = np.asarray(x, F)
    w1 = np.asarray(w1, F)
    w2 = np.asarray(w2, F)
    n, hid, out = x.shape[0], w1.shape[1], w2.shape[1]
    hidden = np.empty((n, hid + 1), F)
    y = np.empty((n, out), F)
    for s in range(n):
        for j in range(hid):
            hidden[s, j] = _s(np.dot(x[s], w1[:, j]), beta)
        hidden[s, hid] = F(-1)
        for k in range(out):
            y[s, k] = _s(np.dot(hidden[s], w2[:, k]), beta)
    return hidden, y


def backprop(x, t, w1, w2, eta, beta):
    x = np.asarray(x, F)
    t = np.asarray(t, F)
    w1 = np.array(w1, F)
    w2 = np.array(w2, F)
    hidden, y = forward(x[None], w1, w2, beta)
    a, y = hidden[0], y[0]
    b, e = F(beta), F(eta)
    do = b * (y - t) * y * (F(1) - y)
    dh = np.array([b * a[j] * (F(1) - a[j]) * np.dot(w2[j], do) for j in range(w1.shape[1])], F)
    for i in range(w2.shape[0]):
        w2[i] -= e * a[i] * do
    for i in range(w1.shape[0]):
        w1[i] -= e * x[i] * dh
    return w1, w2


def train(x, t, w1, w2, eta, beta, epochs, rng):
    order = list(range(len(x)))
    errors = []
    for _ in range(epochs):
        rng.shuffle(order)
        for i in order:
            w1, w2 = backprop(x[i], t[i], w1, w2, eta, beta)
        y = forward(x, w1, w2, beta)[1]
        errors.append(F(0.5) * np.sum((y - np.asarray(t, F)) ** 2))
    return w1, w2, np.array(errors, F)


def predict(x, w1, w2, beta):
    y = forward(x, w1, w2, beta)[1]
    return np.array([int(r[0] > 0.5) if len(r) == 1 else int(np.argmax(r)) for r in y])


def confusion_matrix(y, t):
    k = max(len(t[0]), 2)
    cm = np.zeros((k, k), np.int32)
    for a, b in zip(y, t):
        p = int(a[0] > 0.5) if len(a) == 1 else int(np.argmax(a))
        q = int(b[0] > 0.5) if len(b) == 1 else int(np.argmax(b))
        cm[p, q] += 1
    return cm


def class_scores(cm):
    cm = np.asarray(cm, F)
    d = np.diag(cm)
    c, r = cm.sum(0), cm.sum(1)
    recall = np.where(c > 0, d / np.maximum(c, 1), 0).astype(F)
    precision = np.where(r > 0, d / np.maximum(r, 1), 0).astype(F)
    return recall, precision, F(d.sum() / cm.sum())
