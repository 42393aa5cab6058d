"""Correct: the main loop written as a recursion, nearest center found by a recursive minimum."""
import numpy as np


def distance(a, b):
    d = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    return float(np.dot(d, d))


def init_centers(data, k, rng):
    if k <= 0 or k > len(data):
        raise ValueError("k must be in 1..n")
    return np.array(data, dtype=float)[rng.choice(len(data), k, replace=False)]


def _nearest(point, centers, j=0):
    if j == len(centers) - 1:
        return j
    other = _nearest(point, centers, j + 1)
    return j if distance(point, centers[j]) <= distance(point, centers[other]) else other


def assign(data, centers):
    return np.array([_nearest(p, centers) for p in data], dtype=int)


def update(data, labels, centers):
    out = np.array(centers, dtype=float, copy=True)
    for j in range(len(out)):
        mask = labels == j
        if mask.any():
            out[j] = np.mean(data[mask], axis=0)
    return out


def _loop(data, centers, eps, max_iter, done):
    labels = assign(data, centers)
    new = update(data, labels, centers)
    move = float(((new - centers) ** 2).sum())
    if move <= eps or done + 1 >= max_iter:
        return new, labels, done + 1
    return _loop(data, new, eps, max_iter, done + 1)


def kmeans(data, centers, eps=1e-3, max_iter=100):
    return _loop(np.asarray(data, dtype=float), np.array(centers, dtype=float), eps, max_iter, 0)
