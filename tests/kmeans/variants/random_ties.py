"""Correct: ties between equidistant centers broken at random with numpy's global generator (any tie is right)."""
import numpy as np


def distance(a, b):
    return float(np.sum((np.asarray(a, dtype=float) - np.asarray(b, dtype=float)) ** 2))


def init_centers(data, k, rng):
    if k < 1 or k > len(data):
        raise ValueError("k must be between 1 and n")
    return np.array(data[rng.choice(len(data), size=k, replace=False)], dtype=float)


def assign(data, centers):
    d2 = ((data[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2)
    labels = np.empty(len(data), dtype=int)
    for i, row in enumerate(d2):
        labels[i] = np.random.choice(np.flatnonzero(row == row.min()))
    return labels


def update(data, labels, centers):
    new = np.array(centers, dtype=float)
    for j in range(len(new)):
        if np.any(labels == j):
            new[j] = data[labels == j].mean(axis=0)
    return new


def kmeans(data, centers, eps=1e-3, max_iter=100):
    centers = np.array(centers, dtype=float)
    n_iter = 0
    while n_iter < max_iter:
        labels = assign(data, centers)
        new = update(data, labels, centers)
        move = float(((new - centers) ** 2).sum())
        centers = new
        n_iter += 1
        if move <= eps:
            break
    return centers, labels, n_iter
