"""Correct: vectorised with numpy broadcasting, first tie wins, for-else loop."""
import numpy as np


def distance(a, b):
    return float(((np.asarray(a) - np.asarray(b)) ** 2).sum())


def init_centers(data, k, rng):
    if not 1 <= k <= len(data):
        raise ValueError(f"impossible k={k}")
    return np.asarray(data)[rng.permutation(len(data))[:k]].astype(float)


def assign(data, centers):
    d2 = ((data[:, np.newaxis, :] - centers[np.newaxis, :, :]) ** 2).sum(axis=-1)
    return np.argmin(d2, axis=1)


def update(data, labels, centers):
    new = centers.astype(float).copy()
    for j in np.unique(labels):
        new[j] = data[labels == j].mean(axis=0)
    return new


def kmeans(data, centers, eps=1e-3, max_iter=100):
    centers = centers.copy().astype(float)
    for it in range(1, max_iter + 1):
        labels = assign(data, centers)
        new = update(data, labels, centers)
        move = np.sum((new - centers) ** 2)
        centers = new
        if move <= eps:
            break
    return centers, labels, it
