"""Correct: association in chunks of points written into views of one preallocated array; np.where update."""
import numpy as np

CHUNK = 7


def distance(a, b):
    return float(np.sum((np.asarray(a, dtype=float) - b) ** 2))


def init_centers(data, k, rng):
    n = data.shape[0]
    if k not in range(1, n + 1):
        raise ValueError("k must be in 1..n")
    return data[rng.choice(n, size=k, replace=False)].astype(float, copy=True)


def assign(data, centers):
    labels = np.empty(data.shape[0], dtype=np.int32)
    for start in range(0, data.shape[0], CHUNK):
        block = data[start:start + CHUNK]
        out = labels[start:start + CHUNK]  # a view: writing it fills labels
        out[:] = ((block[:, None, :] - centers[None]) ** 2).sum(-1).argmin(-1)
    return labels


def update(data, labels, centers):
    k = centers.shape[0]
    counts = np.bincount(labels, minlength=k)[:, None]
    sums = np.zeros((k, data.shape[1]))
    for j in range(k):
        sums[j] = data[labels == j].sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / counts, centers)


def kmeans(data, centers, eps=1e-3, max_iter=100):
    centers = np.array(centers, dtype=float)
    n_iter, move = 0, None
    while move is None or (move > eps and n_iter < max_iter):
        labels = assign(data, centers)
        new = update(data, labels, centers)
        move = float(((new - centers) ** 2).sum())
        centers = new
        n_iter += 1
    return centers, labels, n_iter
