"""Correct: scipy.spatial.distance.cdist like the course's vectorised variant, with a working empty-cluster guard."""
import numpy as np
from scipy.spatial.distance import cdist


def distance(a, b):
    return float(np.sum((np.asarray(a) - np.asarray(b)) ** 2))


def init_centers(data, k, rng):
    if k < 1 or k > data.shape[0]:
        raise ValueError("k out of range")
    idx = rng.choice(data.shape[0], k, replace=False)
    return data[idx, :].copy()


def assign(data, centers):
    return np.argmin(cdist(data, centers, "sqeuclidean"), axis=1)


def update(data, labels, centers):
    new = np.empty_like(centers, dtype=float)
    for j in range(centers.shape[0]):
        members = data[labels == j]
        new[j] = members.mean(axis=0) if members.shape[0] > 0 else centers[j]
    return new


def kmeans(data, centers, eps=1e-3, max_iter=100):
    cent = np.copy(centers).astype(float)
    l = 0
    while True:
        labels = assign(data, cent)
        new = update(data, labels, cent)
        cent_mov = float(np.sum(cdist(new, cent, "sqeuclidean").diagonal()))
        cent = new
        l += 1
        if cent_mov <= eps or l >= max_iter:
            break
    return cent, labels, l
