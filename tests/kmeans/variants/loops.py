"""Correct: explicit loops over points and centers, like the course's own solution (last tie wins)."""
import numpy as np


def distance(a, b):
    s = 0.0
    for i in range(len(a)):
        s += (a[i] - b[i]) ** 2
    return s


def init_centers(data, k, rng):
    n = len(data)
    if k < 1 or k > n:
        raise ValueError("k must be between 1 and n")
    indices = rng.choice(n, size=k, replace=False)
    return np.array([data[i] for i in indices], dtype=float)


def assign(data, centers):
    labels = np.zeros(len(data), dtype=int)
    for i in range(len(data)):
        best = 0
        best_d = distance(data[i], centers[0])
        for j in range(len(centers)):
            d = distance(data[i], centers[j])
            if d <= best_d:
                best_d = d
                best = j
        labels[i] = best
    return labels


def update(data, labels, centers):
    k, ndim = centers.shape
    sums = np.zeros((k, ndim))
    counts = np.zeros(k, dtype=int)
    for i in range(len(data)):
        sums[labels[i]] += data[i]
        counts[labels[i]] += 1
    new = np.array(centers, dtype=float)
    for j in range(k):
        if counts[j] > 0:
            new[j] = sums[j] / counts[j]
    return new


def kmeans(data, centers, eps=1e-3, max_iter=100):
    centers = np.array(centers, dtype=float)
    labels = np.zeros(len(data), dtype=int)
    n_iter = 0
    while n_iter < max_iter:
        labels = assign(data, centers)
        new = update(data, labels, centers)
        move = 0.0
        for j in range(len(centers)):
            move += distance(new[j], centers[j])
        centers = new
        n_iter += 1
        if move <= eps:
            break
    return centers, labels, n_iter
