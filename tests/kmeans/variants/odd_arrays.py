"""Correct, returning arrays in layouts numpy allows: big-endian, Fortran order, strided views, read-only,
small integer types, and the iteration count as a 0-d array (a number numpy computed, as in
``n_iter = np.array(0); n_iter += 1``)."""
import numpy as np


def distance(a, b):
    diff = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    return np.dot(diff, diff)


def init_centers(data, k, rng):
    data = np.asarray(data, dtype=float)
    if k < 1 or k > len(data):
        raise ValueError("k must be between 1 and the number of points")
    chosen = np.asfortranarray(data[rng.choice(len(data), size=k, replace=False)])
    chosen.flags.writeable = False
    return chosen


def assign(data, centers):
    data = np.asarray(data, dtype=float)
    centers = np.asarray(centers, dtype=float)
    nearest = ((data[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2).argmin(axis=1)
    # Every other item of a doubled array: a strided view, in big-endian 16-bit integers.
    return np.repeat(nearest, 2)[::2].astype(">i2")


def update(data, labels, centers):
    data = np.asarray(data, dtype=float)
    labels = np.asarray(labels)
    new = np.array(centers, dtype=">f8", order="F")
    for j in range(len(new)):
        members = data[labels == j]
        if len(members):
            new[j] = members.mean(axis=0)
    new[new == 0] = -0.0
    return new


def kmeans(data, centers, eps=1e-3, max_iter=100, *, verbose=False):
    data = np.asarray(data, dtype=float)
    centers = np.array(centers, dtype=float)
    labels = np.zeros(len(data), dtype=np.uint8)
    n_iter = np.array(0)
    while n_iter < max_iter:
        labels = assign(data, centers)
        new = update(data, labels, centers)
        move = ((new - centers) ** 2).sum()
        centers = new
        n_iter += 1
        if move <= eps:
            break
    return centers, labels.astype(np.uint8) if len(centers) < 256 else labels, n_iter
