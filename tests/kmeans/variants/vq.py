"""Correct: scipy.cluster.vq.vq for the association phase, np.add.at for the update, rng.choice on rows."""
import numpy as np
from scipy.cluster.vq import vq


def distance(a, b):
    return float(np.sum((np.asarray(a, dtype=float) - np.asarray(b, dtype=float)) ** 2))


def init_centers(data, k, rng):
    data = np.asarray(data, dtype=float)
    if k < 1 or k > len(data):
        raise ValueError("k must be in 1..n")
    return rng.choice(data, size=k, replace=False, axis=0)


def assign(data, centers):
    codes, _ = vq(np.asarray(data, dtype=float), np.asarray(centers, dtype=float), check_finite=False)
    return codes.astype(np.int64)


def update(data, labels, centers):
    k = len(centers)
    sums = np.zeros((k, data.shape[1]))
    np.add.at(sums, labels, data)
    counts = np.zeros(k)
    np.add.at(counts, labels, 1)
    new = np.array(centers, dtype=float)
    nonempty = counts != 0
    new[nonempty] = sums[nonempty] / counts[nonempty][:, None]
    return new


def kmeans(data, centers, eps=1e-3, max_iter=100):
    centers = np.array(centers, dtype=float)
    move = np.inf
    n_iter = 0
    labels = None
    while move > eps and n_iter < max_iter:
        labels = assign(data, centers)
        new = update(data, labels, centers)
        move = float(np.sum((new - centers) ** 2))
        centers = new
        n_iter += 1
    return centers, labels, n_iter
