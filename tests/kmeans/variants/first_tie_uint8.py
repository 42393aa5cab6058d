"""Correct: ties go to the first center (strict <), labels in an unsigned uint8 array, means by np.mean of a boolean mask."""
import numpy as np


def distance(a, b):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    return float(np.dot(a - b, a - b))


def init_centers(data, k, rng):
    if k < 1 or k > len(data):
        raise ValueError("bad number of centers")
    return np.take(data, rng.choice(len(data), k, replace=False), axis=0).astype(float)


def assign(data, centers):
    labels = np.empty(len(data), dtype=np.uint8)
    for i, point in enumerate(data):
        best, best_d = 0, np.inf
        for j, center in enumerate(centers):
            d = distance(point, center)
            if d < best_d:
                best, best_d = j, d
        labels[i] = best
    return labels


def update(data, labels, centers):
    new = np.array(centers, dtype=float)
    for j in range(len(centers)):
        mask = labels == j
        if np.count_nonzero(mask):
            new[j] = np.mean(data[mask], axis=0)
    return new


def kmeans(data, centers, eps=1e-3, max_iter=100):
    centers = np.array(centers, dtype=float)
    n_iter = 0
    converged = False
    while not converged:
        labels = assign(data, centers)
        new = update(data, labels, centers)
        converged = np.sum((new - centers) ** 2) <= eps
        centers = new
        n_iter += 1
        if n_iter == max_iter:
            break
    return centers, labels, n_iter
