"""Correct: a Network class keeps weights transposed internally (one row per neuron); expit from scipy."""
import numpy as np
from scipy.special import expit


class Network:
    def __init__(self, w1, w2, beta):
        self.v1 = np.array(w1, dtype=float).T     # (hid, in + 1)
        self.v2 = np.array(w2, dtype=float).T     # (out, hid + 1)
        self.beta = beta

    def run(self, x):
        a = expit(self.beta * (self.v1 @ x.T)).T
        hidden = np.c_[a, -np.ones(len(a))]
        return hidden, expit(self.beta * (self.v2 @ hidden.T)).T

    def step(self, x, t, eta):
        hidden, y = self.run(x[None, :])
        hidden, y = hidden[0], y[0]
        d_o = self.beta * (y - t) * y * (1 - y)
        a = hidden[:-1]
        d_h = self.beta * a * (1 - a) * (self.v2[:, :-1].T @ d_o)
        self.v2 = self.v2 - eta * np.outer(d_o, hidden)
        self.v1 = self.v1 - eta * np.outer(d_h, x)

    def weights(self):
        return self.v1.T.copy(), self.v2.T.copy()


def forward(x, w1, w2, beta):
    return Network(w1, w2, beta).run(np.asarray(x, dtype=float))


def backprop(x, t, w1, w2, eta, beta):
    net = Network(w1, w2, beta)
    net.step(np.asarray(x, dtype=float), np.asarray(t, dtype=float), eta)
    return net.weights()


def train(x, t, w1, w2, eta, beta, epochs, rng):
    net = Network(w1, w2, beta)
    errors = np.zeros(epochs)
    for e in range(epochs):
        for i in rng.permutation(len(x)):
            net.step(x[i], t[i], eta)
        errors[e] = 0.5 * np.sum((net.run(x)[1] - t) ** 2)
    return (*net.weights(), errors)


def predict(x, w1, w2, beta):
    y = forward(x, w1, w2, beta)[1]
    return np.argmax(y, axis=1) if y.shape[1] > 1 else (y[:, 0] > 0.5).astype(int)


def confusion_matrix(y, t):
    k = max(t.shape[1], 2)
    if t.shape[1] == 1:
        p, q = (y[:, 0] > 0.5).astype(int), (t[:, 0] > 0.5).astype(int)
    else:
        p, q = y.argmax(1), t.argmax(1)
    return np.eye(k, dtype=int)[p].T @ np.eye(k, dtype=int)[q]


def class_scores(cm):
    cm = np.asarray(cm, dtype=float)
    d = np.diag(cm)
    c, r = cm.sum(0), cm.sum(1)
    return (np.divide(d, c, out=np.zeros_like(d), where=c > 0), np.divide(d, r, out=np.zeros_like(d), where=r > 0),
            float(d.sum() / cm.sum()))
