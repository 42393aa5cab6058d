"""k-means, the whole program, printing steps whose labels hold digits: an exponent, a count, a unit.

Reads kmeans_input_file_2d.dat (first line "ndim npoints", then one line per
coordinate), clusters the points around k = 4 centers picked at random among
them, prints one line per step and writes kmeans_output_2d.dat (first line
"ndim k", then one center per line).  Works in any dimension.
"""

import time

import numpy as np

k = 4
eps = 0.001

with open("kmeans_input_file_2d.dat") as f:
    ndim, n = map(int, f.readline().split())
    data = np.array([f.readline().split() for _ in range(ndim)], dtype=float).T
centers = data[np.random.choice(n, k, replace=False)].copy()
start = time.perf_counter()
for step in range(1, 101):
    old = centers.copy()
    # Association phase: squared distances of every point to every center.
    d2 = ((data[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2)
    nearest = d2.argmin(axis=1)
    err = d2[np.arange(n), nearest].sum()
    # Update phase: a center without points stays where it is.
    for j in range(k):
        if np.any(nearest == j):
            centers[j] = data[nearest == j].mean(axis=0)
    move = ((centers - old) ** 2).sum()
    elapsed = time.perf_counter() - start
    print(f"Step {step} (k={k}, t={elapsed:.2f}s): {ndim}D error (mean of d^2 for {n} points) = {err / n:.6f} ; "
          f"||dC||^2 = {move:.6f}")
    if move <= eps:
        break
with open("kmeans_output_2d.dat", "w") as f:
    f.write(f"{ndim} {k}\n")
    np.savetxt(f, centers)
