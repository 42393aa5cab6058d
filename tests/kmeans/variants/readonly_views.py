"""Correct: returns read-only, non-contiguous views (transposed copies, strided labels) of its own arrays."""
import numpy as np


def distance(a, b):
    return float(np.sum((np.asarray(a, dtype=float) - np.asarray(b, dtype=float)) ** 2))


def _frozen(array):
    array.setflags(write=False)
    return array


def init_centers(data, k, rng):
    if k < 1 or k > len(data):
        raise ValueError("k must be between 1 and n")
    return _frozen(np.asfortranarray(np.array(data, dtype=float)[rng.choice(len(data), size=k, replace=False)]))


def assign(data, centers):
    d2 = ((data[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2)
    both = np.repeat(d2.argmin(axis=1), 2)
    return _frozen(both[::2])


def update(data, labels, centers):
    new_t = np.array(centers, dtype=float).T.copy()  # (d, k)
    for j in range(new_t.shape[1]):
        members = data[labels == j]
        if len(members):
            new_t[:, j] = members.mean(axis=0)
    return _frozen(new_t.T)


def kmeans(data, centers, eps=1e-3, max_iter=100):
    n_iter = 0
    while n_iter < max_iter:
        labels = assign(data, centers)
        new = update(data, labels, centers)
        move = float(((new - centers) ** 2).sum())
        centers = new
        n_iter += 1
        if move <= eps:
            break
    return centers, labels, n_iter
