"""Correct?: sigmoid as exp(h)/(1+exp(h)) with clipping; predict returns a boolean array with one output;
the deltas of the whole hidden layer computed then the bias node's dropped; error from np.linalg.norm."""
import numpy as np


def sig(h, beta):
    z = np.clip(beta * h, -500, 500)
    return np.exp(z) / (1.0 + np.exp(z))


def forward(x, w1, w2, beta):
    hid = sig(x @ w1, beta)
    hid = np.concatenate([hid, np.full((hid.shape[0], 1), -1.0)], axis=1)
    return hid, sig(hid @ w2, beta)


def backprop(x, t, w1, w2, eta, beta):
    hid, y = forward(x.reshape(1, -1), w1, w2, beta)
    do = beta * (y - t) * y * (1 - y)                      # (1, out)
    dh = beta * hid * (1 - hid) * (do @ w2.T)              # (1, hid + 1)
    return w1 - eta * x.reshape(-1, 1) @ dh[:, :-1], w2 - eta * hid.T @ do


def train(x, t, w1, w2, eta, beta, epochs, rng):
    idx = np.arange(x.shape[0])
    errs = np.empty(epochs)
    for e in range(epochs):
        rng.shuffle(idx)
        for i in idx:
            w1, w2 = backprop(x[i], t[i], w1, w2, eta, beta)
        errs[e] = 0.5 * np.linalg.norm(forward(x, w1, w2, beta)[1] - t) ** 2
    return w1, w2, errs


def predict(x, w1, w2, beta):
    y = forward(x, w1, w2, beta)[1]
    if y.shape[1] == 1:
        return y[:, 0] > 0.5
    return np.argmax(y, axis=1)


def confusion_matrix(y, t):
    k = max(t.shape[1], 2)
    if t.shape[1] == 1:
        p, q = (y[:, 0] > 0.5).astype(int), (t[:, 0] > 0.5).astype(int)
    else:
        p, q = y.argmax(1), t.argmax(1)
    cm = np.zeros((k, k), dtype=int)
    np.add.at(cm, (p, q), 1)
    return cm


def class_scores(cm):
    cm = np.asarray(cm, dtype=float)
    d = np.diag(cm)
    with np.errstate(all="ignore"):
        r = np.nan_to_num(d / cm.sum(0))
        p = np.nan_to_num(d / cm.sum(1))
    return r, p, np.trace(cm) / cm.sum()
