"""Correct: points sorted by label, cluster sums with np.add.reduceat, cdist 'euclidean' (not squared) for the nearest."""
import numpy as np
from scipy.spatial import distance as spd


def distance(a, b):
    return float(spd.sqeuclidean(np.asarray(a, dtype=float), np.asarray(b, dtype=float)))


def init_centers(data, k, rng):
    if k < 1 or k > data.shape[0]:
        raise ValueError("k must be between 1 and the number of points")
    return data[np.sort(rng.choice(data.shape[0], size=k, replace=False))].astype(float)


def assign(data, centers):
    return spd.cdist(data, centers).argmin(axis=1)


def update(data, labels, centers):
    new = np.array(centers, dtype=float)
    order = np.argsort(labels, kind="stable")
    sorted_labels = labels[order]
    present, starts, counts = np.unique(sorted_labels, return_index=True, return_counts=True)
    sums = np.add.reduceat(data[order], starts, axis=0)
    new[present] = sums / counts[:, None]
    return new


def kmeans(data, centers, eps=1e-3, max_iter=100):
    centers = np.array(centers, dtype=float)
    history = []
    for _ in range(max_iter):
        labels = assign(data, centers)
        new = update(data, labels, centers)
        history.append(float(np.sum(spd.cdist(new, centers, "sqeuclidean").diagonal())))
        centers = new
        if history[-1] <= eps:
            break
    return centers, labels, len(history)
