"""Correct: the main loop as tail recursion with a state tuple, statistics.fmean, a tuple returned from init."""
import statistics

import numpy as np


def distance(a, b):
    return float(np.sum(np.subtract(a, b) ** 2))


def init_centers(data, k, rng):
    if k < 1 or k > len(data):
        raise ValueError(f"cannot pick {k} centers among {len(data)} points")
    return np.vstack([data[i] for i in rng.choice(len(data), size=k, replace=False)]).astype(float)


def assign(data, centers):
    return np.asarray([min(range(len(centers)), key=lambda j: (distance(p, centers[j]), j)) for p in data])


def update(data, labels, centers):
    rows = []
    for j in range(len(centers)):
        members = data[labels == j]
        if len(members) == 0:
            rows.append(np.array(centers[j], dtype=float))
        else:
            rows.append(np.array([statistics.fmean(members[:, a]) for a in range(data.shape[1])]))
    return np.array(rows)


def _step(state, data, eps, max_iter):
    centers, labels, done = state
    labels = assign(data, centers)
    new = update(data, labels, centers)
    move = float(((new - centers) ** 2).sum())
    state = (new, labels, done + 1)
    if move <= eps or done + 1 == max_iter:
        return state
    return _step(state, data, eps, max_iter)


def kmeans(data, centers, eps=1e-3, max_iter=100):
    return _step((np.array(centers, dtype=float), None, 0), data, eps, max_iter)
