"""Correct: plain Python lists everywhere inside, numpy only at the boundary."""
import numpy as np


def distance(a, b):
    return sum((x - y) ** 2 for x, y in zip(a, b))


def init_centers(data, k, rng):
    rows = [list(map(float, row)) for row in data]
    if k < 1 or k > len(rows):
        raise ValueError("bad k")
    order = list(rng.choice(len(rows), size=k, replace=False))
    return np.array([rows[i] for i in order])


def assign(data, centers):
    points = [list(p) for p in data]
    cs = [list(c) for c in centers]
    result = []
    for p in points:
        dists = [distance(p, c) for c in cs]
        result.append(dists.index(min(dists)))
    return np.array(result)


def update(data, labels, centers):
    cs = [list(map(float, c)) for c in centers]
    for j in range(len(cs)):
        members = [list(p) for p, l in zip(data, labels) if l == j]
        if members:
            cs[j] = [sum(col) / len(members) for col in zip(*members)]
    return np.array(cs, dtype=float)


def kmeans(data, centers, eps=1e-3, max_iter=100):
    current = np.array(centers, dtype=float)
    count = 0
    labels = None
    while count < max_iter:
        labels = assign(data, current)
        new = update(data, labels, current)
        move = sum(distance(a, b) for a, b in zip(new, current))
        current = new
        count += 1
        if move <= eps:
            break
    return current, labels, count
