"""Correct, computed in single precision: data and centers as float32 (like C float or Fortran real)."""
import numpy as np


def distance(a, b):
    diff = np.asarray(a, dtype=np.float32) - np.asarray(b, dtype=np.float32)
    return np.float32(np.dot(diff, diff))


def init_centers(data, k, rng):
    if k < 1 or k > len(data):
        raise ValueError("k must be between 1 and the number of points")
    return np.array(data[rng.choice(len(data), size=k, replace=False)])


def assign(data, centers):
    data = np.asarray(data, dtype=np.float32)
    centers = np.asarray(centers, dtype=np.float32)
    diff = data[:, None, :] - centers[None, :, :]
    return (diff * diff).sum(axis=2).argmin(axis=1)


def update(data, labels, centers):
    data = np.asarray(data, dtype=np.float32)
    new = np.array(centers, dtype=np.float32)
    for j in range(len(new)):
        members = data[labels == j]
        if len(members):
            new[j] = members.sum(axis=0) / np.float32(len(members))
    return new


def kmeans(data, centers, eps=1e-3, max_iter=100):
    centers = np.array(centers, dtype=np.float32)
    labels = np.zeros(len(data), dtype=int)
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
