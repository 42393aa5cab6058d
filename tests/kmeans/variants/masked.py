"""Correct: the update phase with numpy masked arrays (an empty cluster's mean is masked, then filled)."""
import numpy as np
import numpy.ma as ma


def distance(a, b):
    return float(((np.asarray(a) - np.asarray(b)) ** 2).sum())


def init_centers(data, k, rng):
    if k < 1 or k > len(data):
        raise ValueError("k out of range")
    indices = np.arange(len(data))
    rng.shuffle(indices)
    return np.asarray(data, dtype=float)[indices[:k]]


def assign(data, centers):
    return np.array([np.argmin([distance(x, c) for c in centers]) for x in data], dtype=int)


def update(data, labels, centers):
    k = len(centers)
    new = np.empty((k, data.shape[1]))
    for j in range(k):
        hidden = np.broadcast_to((labels != j)[:, None], data.shape)
        mean = ma.masked_array(data, mask=hidden).mean(axis=0)
        new[j] = ma.filled(mean, fill_value=np.nan)
        if np.all(labels != j):
            new[j] = centers[j]
    return new


def kmeans(data, centers, eps=1e-3, max_iter=100):
    centers = np.copy(centers).astype(float)
    it = 0
    while True:
        labels = assign(data, centers)
        new = update(data, labels, centers)
        it += 1
        move = ((new - centers) ** 2).sum()
        centers = new
        if not move > eps or it == max_iter:
            break
    return centers, labels, it
