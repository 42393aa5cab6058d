"""Correct: the last of equidistant centers wins by argmin over the reversed centers; move via np.linalg.norm."""
import numpy as np


def distance(a, b):
    return float(np.linalg.norm(np.asarray(a, dtype=float) - np.asarray(b, dtype=float)) ** 2)


def init_centers(data, k, rng):
    n = len(data)
    if k < 1:
        raise ValueError("need at least one center")
    if k > n:
        raise ValueError("more centers than points")
    return np.array(data, dtype=float)[rng.permutation(n)[:k]]


def assign(data, centers):
    k = len(centers)
    d2 = ((data[:, None, :] - centers[None, ::-1, :]) ** 2).sum(axis=-1)
    return (k - 1) - np.argmin(d2, axis=1)


def update(data, labels, centers):
    new = np.array(centers, dtype=float)
    for j in np.unique(labels):
        new[j] = data[labels == j].mean(axis=0)
    return new


def kmeans(data, centers, eps=1e-3, max_iter=100):
    centers = np.array(centers, dtype=float)
    n_iter = 0
    while n_iter < max_iter:
        labels = assign(data, centers)
        new = update(data, labels, centers)
        move = np.linalg.norm(new - centers) ** 2
        centers = new
        n_iter += 1
        if move <= eps:
            break
    return centers, labels, n_iter
