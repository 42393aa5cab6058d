"""Correct: squared distances by the expansion |x|^2 - 2 x.c + |c|^2, bincount-based update."""
import numpy as np


def distance(a, b):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    return float(a @ a - 2 * a @ b + b @ b)


def init_centers(data, k, rng):
    n = data.shape[0]
    if k < 1 or k > n:
        raise ValueError("need 1 <= k <= n")
    chosen = []
    while len(chosen) < k:
        i = int(rng.integers(n))
        if i not in chosen:
            chosen.append(i)
    return data[chosen].astype(float)


def assign(data, centers):
    d2 = (data ** 2).sum(1)[:, None] - 2 * data @ centers.T + (centers ** 2).sum(1)[None, :]
    return d2.argmin(1).astype(np.int64)


def update(data, labels, centers):
    k = len(centers)
    counts = np.bincount(labels, minlength=k)
    new = np.array(centers, dtype=float)
    for dim in range(data.shape[1]):
        sums = np.bincount(labels, weights=data[:, dim], minlength=k)
        filled = counts > 0
        new[filled, dim] = sums[filled] / counts[filled]
    return new


def kmeans(data, centers, eps=1e-3, max_iter=100):
    centers = np.array(centers, dtype=float)
    n_iter = 0
    for n_iter in range(1, max_iter + 1):
        labels = assign(data, centers)
        new = update(data, labels, centers)
        move = sum(distance(new[j], centers[j]) for j in range(len(centers)))
        centers = new
        if move <= eps:
            break
    return centers, labels, n_iter
