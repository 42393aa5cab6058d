"""Correct: squared distances accumulated one axis at a time, defaultdict groups, math.fsum means, a copy updated in place."""
import math
from collections import defaultdict

import numpy as np


def distance(a, b):
    return math.fsum((float(x) - float(y)) ** 2 for x, y in zip(a, b))


def init_centers(data, k, rng):
    if k < 1 or k > len(data):
        raise ValueError("k must be between 1 and the number of points")
    idx = rng.choice(len(data), size=k, replace=False)
    out = np.empty((k, data.shape[1]))
    out[:] = data[idx]
    return out


def assign(data, centers):
    d2 = np.zeros((data.shape[0], centers.shape[0]))
    for axis in range(data.shape[1]):
        d2 += (data[:, axis, None] - centers[None, :, axis]) ** 2
    return d2.argmin(axis=1)


def update(data, labels, centers):
    groups = defaultdict(list)
    for point, label in zip(data, labels):
        groups[int(label)].append(point)
    new = centers.astype(float)  # astype copies
    for j, members in groups.items():
        new[j] = [math.fsum(col) / len(members) for col in zip(*members)]
    return new


def kmeans(data, centers, eps=1e-3, max_iter=100):
    centers = centers.astype(float)
    done = 0
    while True:
        labels = assign(data, centers)
        new = update(data, labels, centers)
        move = math.fsum(distance(a, b) for a, b in zip(new, centers))
        centers, done = new, done + 1
        if move <= eps or done >= max_iter:
            return centers, labels, done
