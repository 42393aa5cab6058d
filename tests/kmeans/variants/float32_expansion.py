"""Correct: everything in float32, squared distances by the expansion |x|^2 - 2 x.c + |c|^2, float32 results."""
import numpy as np


def distance(a, b):
    d = np.asarray(a, dtype=np.float32) - np.asarray(b, dtype=np.float32)
    return float(np.sum(d * d))


def init_centers(data, k, rng):
    if k < 1 or k > len(data):
        raise ValueError("k must be between 1 and n")
    return np.asarray(data, dtype=np.float32)[rng.choice(len(data), size=k, replace=False)]


def assign(data, centers):
    x = np.asarray(data, dtype=np.float32)
    c = np.asarray(centers, dtype=np.float32)
    d2 = (x * x).sum(axis=1)[:, None] - np.float32(2) * (x @ c.T) + (c * c).sum(axis=1)[None, :]
    return d2.argmin(axis=1)


def update(data, labels, centers):
    x = np.asarray(data, dtype=np.float32)
    new = np.array(centers, dtype=np.float32)
    counts = np.bincount(labels, minlength=len(new))
    for j in np.flatnonzero(counts):
        new[j] = x[labels == j].mean(axis=0, dtype=np.float32)
    return new


def kmeans(data, centers, eps=1e-3, max_iter=100):
    centers = np.array(centers, dtype=np.float32)
    n_iter = 0
    labels = np.zeros(len(data), dtype=np.int64)
    while n_iter < max_iter:
        labels = assign(data, centers)
        new = update(data, labels, centers)
        move = np.sum(np.square(new - centers), dtype=np.float32)
        centers = new
        n_iter += 1
        if move <= eps:
            break
    return centers, labels, n_iter
