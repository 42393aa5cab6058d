"""Correct: the state in a small class, squared distances with np.einsum, n_iter a numpy integer."""
import numpy as np


def distance(a, b):
    diff = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    return float(np.einsum("i,i->", diff, diff))


class _Clustering:
    def __init__(self, data, centers):
        self.data = np.asarray(data, dtype=float)
        self.centers = np.array(centers, dtype=float)
        self.labels = np.zeros(len(self.data), dtype=np.intp)
        self.steps = np.int64(0)

    def associate(self):
        diff = self.data[:, None, :] - self.centers[None, :, :]
        self.labels = np.einsum("nkd,nkd->nk", diff, diff).argmin(axis=1)

    def move_centers(self):
        old = self.centers
        self.centers = update(self.data, self.labels, old)
        self.steps += 1
        return float(np.einsum("kd,kd->", self.centers - old, self.centers - old))


def init_centers(data, k, rng):
    data = np.asarray(data)
    if not (1 <= k <= data.shape[0]):
        raise ValueError(f"k = {k} must be between 1 and {data.shape[0]}")
    return data[rng.choice(data.shape[0], size=k, replace=False)].copy()


def assign(data, centers):
    state = _Clustering(data, centers)
    state.associate()
    return state.labels


def update(data, labels, centers):
    new = np.array(centers, dtype=float)
    onehot = np.zeros((len(data), len(new)))
    onehot[np.arange(len(data)), labels] = 1.0
    counts = onehot.sum(axis=0)
    sums = np.einsum("nk,nd->kd", onehot, np.asarray(data, dtype=float))
    filled = counts > 0
    new[filled] = sums[filled] / counts[filled, None]
    return new


def kmeans(data, centers, eps=1e-3, max_iter=100):
    state = _Clustering(data, centers)
    while state.steps < max_iter:
        state.associate()
        if state.move_centers() <= eps:
            break
    return state.centers, state.labels, state.steps
