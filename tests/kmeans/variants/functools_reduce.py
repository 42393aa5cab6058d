"""Correct: functools.reduce finds the nearest center, itertools.count drives the loop, generator sums."""
import functools
import itertools

import numpy as np


def distance(a, b):
    return sum((x - y) ** 2 for x, y in zip(a, b))


def init_centers(data, k, rng):
    if not 0 < k <= len(data):
        raise ValueError("k must satisfy 0 < k <= n")
    picked = rng.choice(len(data), k, replace=False).tolist()
    return np.array([[float(v) for v in data[i]] for i in picked])


def _closer(point, centers):
    def pick(best, j):
        return j if distance(point, centers[j]) <= distance(point, centers[best]) else best
    return pick


def assign(data, centers):
    return np.fromiter((functools.reduce(_closer(p, centers), range(len(centers)), 0) for p in data),
                       dtype=np.int64, count=len(data))


def update(data, labels, centers):
    new = []
    for j, old in enumerate(centers):
        members = [p for p, l in zip(data, labels) if l == j]
        if members:
            new.append([sum(col) / len(members) for col in zip(*members)])
        else:
            new.append([float(v) for v in old])
    return np.array(new, dtype=float)


def kmeans(data, centers, eps=1e-3, max_iter=100):
    centers = np.array(centers, dtype=float)
    for n_iter in itertools.count(1):
        labels = assign(data, centers)
        new = update(data, labels, centers)
        move = sum(distance(a, b) for a, b in zip(new, centers))
        centers = new
        if move <= eps or n_iter >= max_iter:
            return centers, labels, n_iter
