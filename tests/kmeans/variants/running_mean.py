"""Correct: each center's mean computed incrementally (running mean, one point at a time), tuples of floats."""
import numpy as np


def distance(a, b):
    return float(sum((float(x) - float(y)) ** 2 for x, y in zip(a, b)))


def init_centers(data, k, rng):
    if k < 1 or k > len(data):
        raise ValueError("k must be between 1 and len(data)")
    chosen = set()
    order = []
    while len(order) < k:
        i = int(rng.integers(0, len(data)))
        if i not in chosen:
            chosen.add(i)
            order.append(i)
    return np.array([tuple(data[i]) for i in order], dtype=float)


def assign(data, centers):
    out = np.zeros(len(data), dtype=int)
    for i, p in enumerate(data):
        ds = [distance(p, c) for c in centers]
        out[i] = ds.index(min(ds))
    return out


def update(data, labels, centers):
    means = [np.array(c, dtype=float) for c in centers]
    seen = [0] * len(centers)
    for point, label in zip(data, labels):
        seen[label] += 1
        if seen[label] == 1:
            means[label] = np.array(point, dtype=float)
        else:
            means[label] = means[label] + (point - means[label]) / seen[label]
    return np.array(means)


def kmeans(data, centers, eps=1e-3, max_iter=100):
    centers = np.array(centers, dtype=float)
    labels = np.zeros(len(data), dtype=int)
    n_iter = 0
    while n_iter < max_iter:
        labels = assign(data, centers)
        new = update(data, labels, centers)
        move = sum(distance(new[j], centers[j]) for j in range(len(centers)))
        centers = new
        n_iter += 1
        if move <= eps:
            break
    return centers, labels, n_iter
