"""Reference solution of the k-means exercise (instructors only; never shipped to students)."""

import sys

import numpy as np


def distance(a, b):
    """Squared Euclidean distance between two points."""
    diff = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    return float(np.dot(diff, diff))


def init_centers(data, k, rng):
    """Rows of ``data`` at k distinct indices drawn with ``rng``."""
    data = np.asarray(data, dtype=float)
    n = len(data)
    if k < 1 or k > n:
        raise ValueError(f"k must be between 1 and the number of points ({n}), got {k}")
    indices = rng.choice(n, size=k, replace=False)
    return data[indices].copy()


def assign(data, centers):
    """Association phase: index of the nearest center of each point."""
    data = np.asarray(data, dtype=float)
    centers = np.asarray(centers, dtype=float)
    squared = ((data[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2)
    labels = squared.argmin(axis=1)
    return labels


def update(data, labels, centers):
    """Update phase: each center moves to the mean of its points; an empty one stays."""
    data = np.asarray(data, dtype=float)
    labels = np.asarray(labels)
    new_centers = np.array(centers, dtype=float, copy=True)
    for j in range(len(new_centers)):
        members = data[labels == j]
        if len(members) > 0:
            new_centers[j] = members.mean(axis=0)
    return new_centers


def kmeans(data, centers, eps=1e-3, max_iter=100, *, verbose=False):
    """Main loop: association, update, and stop when ``move <= eps`` or after ``max_iter`` iterations."""
    data = np.asarray(data, dtype=float)
    centers = np.array(centers, dtype=float, copy=True)
    n_iter = 0
    labels = np.zeros(len(data), dtype=int)
    while n_iter < max_iter:
        labels = assign(data, centers)
        new_centers = update(data, labels, centers)
        move = float(((new_centers - centers) ** 2).sum())
        centers = new_centers
        n_iter += 1
        if verbose:
            error = float(((data - centers[labels]) ** 2).sum(axis=1).mean())
            print(f"step {n_iter:3d}  error {error:.6f}  move {move:.6g}")
        if move <= eps:
            break
    return centers, labels, n_iter


if __name__ == "__main__":
    from grader.exercises.kmeans.coursefile import read_points, write_centers

    ndim = sys.argv[1] if len(sys.argv) > 1 else "2d"
    points = read_points(f"kmeans_input_file_{ndim}.dat")
    start = init_centers(points, 4, np.random.default_rng())
    final, _, steps = kmeans(points, start, verbose=True)
    write_centers(f"kmeans_output_{ndim}.dat", final)
    print(f"converged in {steps} steps")
