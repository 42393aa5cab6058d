"""Correct: extended precision (np.longdouble) inside and in the returned centers."""
import numpy as np


def distance(a, b):
    d = np.asarray(a, dtype=np.longdouble) - np.asarray(b, dtype=np.longdouble)
    return float(np.sum(d * d))


def init_centers(data, k, rng):
    if k < 1 or k > len(data):
        raise ValueError("k must be between 1 and n")
    return np.array(data, dtype=float)[rng.choice(len(data), size=k, replace=False)]


def assign(data, centers):
    x = np.asarray(data, dtype=np.longdouble)
    c = np.asarray(centers, dtype=np.longdouble)
    return ((x[:, None, :] - c[None, :, :]) ** 2).sum(axis=2).argmin(axis=1)


def update(data, labels, centers):
    x = np.asarray(data, dtype=np.longdouble)
    new = np.array(centers, dtype=np.longdouble)
    for j in range(len(new)):
        if np.any(labels == j):
            new[j] = x[labels == j].mean(axis=0)
    return new


def kmeans(data, centers, eps=1e-3, max_iter=100):
    centers = np.array(centers, dtype=np.longdouble)
    n_iter = 0
    while n_iter < max_iter:
        labels = assign(data, centers)
        new = update(data, labels, centers)
        move = ((new - centers) ** 2).sum()
        centers = new
        n_iter += 1
        if move <= eps:
            break
    return centers, labels, n_iter
