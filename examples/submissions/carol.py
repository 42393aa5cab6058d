"""k-means by Carol: not finished, and does not even parse yet."""
import numpy as np


def distance(a, b):
    return float(np.sum((a - b) ** 2))


def assign(data, centers)
    return np.array([np.argmin([distance(p, c) for c in centers]) for p in data])
