"""Correct: works on float32-free copies, labels built as a Python list of ints, returns tuples as lists."""
import numpy as np


def distance(a, b):
    return float(np.linalg.norm(np.asarray(a, float) - np.asarray(b, float)) ** 2)


def init_centers(data, k, rng):
    if isinstance(k, bool) or k < 1 or k > len(data):
        raise ValueError("invalid number of centers")
    picks = rng.choice(np.arange(len(data)), size=k, replace=False)
    return np.stack([np.array(data[p], dtype=float) for p in picks])


def assign(data, centers):
    labels = []
    for point in data:
        dists = np.array([distance(point, c) for c in centers])
        labels.append(int(np.flatnonzero(dists == dists.min())[-1]))
    return np.asarray(labels, dtype=np.int64)


def update(data, labels, centers):
    result = np.array(centers, dtype=np.float64)
    for j in set(int(l) for l in labels):
        result[j] = np.average(data[np.asarray(labels) == j], axis=0)
    return result


def kmeans(data, centers, eps=1e-3, max_iter=100):
    c = np.array(centers, dtype=float)
    it = 0
    labels = np.zeros(len(data), dtype=int)
    converged = False
    while not converged and it < max_iter:
        labels = assign(data, c)
        nc = update(data, labels, c)
        move = float(np.sum((nc - c) ** 2))
        c, it = nc, it + 1
        converged = move <= eps
    return [c, labels, it]
