"""Correct: np.argpartition picks the nearest center; a for loop that returns as soon as it has converged."""
import numpy as np


def distance(a, b):
    d = np.subtract(a, b, dtype=float)
    return float(d @ d)


def init_centers(data, k, rng):
    n = np.shape(data)[0]
    if k < 1 or k > n:
        raise ValueError("k must be at least 1 and at most the number of points")
    order = rng.random(n).argsort()
    return np.array(data, dtype=float)[np.sort(order[:k])]


def assign(data, centers):
    d2 = np.square(data[:, np.newaxis, :] - centers[np.newaxis, :, :]).sum(axis=2)
    if d2.shape[1] == 1:
        return np.zeros(len(data), dtype=int)
    return np.argpartition(d2, 0, axis=1)[:, 0]


def update(data, labels, centers):
    new = centers.copy().astype(np.float64)
    for j in range(new.shape[0]):
        picked = np.compress(labels == j, data, axis=0)
        if picked.size:
            new[j] = picked.sum(axis=0) / picked.shape[0]
    return new


def kmeans(data, centers, eps=1e-3, max_iter=100):
    current = np.array(centers, dtype=float)
    labels = np.zeros(len(data), dtype=int)
    for step in range(1, max_iter + 1):
        labels = assign(data, current)
        new = update(data, labels, current)
        move = np.sum((new - current) ** 2)
        current = new
        if move <= eps:
            return current, labels, step
    return current, labels, max_iter
