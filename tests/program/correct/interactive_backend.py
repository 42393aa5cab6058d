"""k-means, the whole program, written on a laptop: it chooses the TkAgg backend and shows a plot at the end.

Reads kmeans_input_file_2d.dat (first line "ndim npoints", then one line per
coordinate), clusters the points around k = 4 centers picked at random among
them, prints one line per step, writes kmeans_output_2d.dat (first line
"ndim k", then one center per line), then plots 2-D data.  Works in any dimension.
"""

import matplotlib

matplotlib.use("TkAgg")  # a window on the student's screen; graded without a display, the plot goes nowhere
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

k = 4
eps = 0.001

with open("kmeans_input_file_2d.dat") as f:
    ndim, n = map(int, f.readline().split())
    data = np.array([f.readline().split() for _ in range(ndim)], dtype=float).T
centers = data[np.random.choice(n, k, replace=False)].copy()
for step in range(1, 101):
    old = centers.copy()
    # Association phase: squared distances of every point to every center.
    d2 = ((data[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2)
    nearest = d2.argmin(axis=1)
    error = d2[np.arange(n), nearest].mean()
    # Update phase: a center without points stays where it is.
    for j in range(k):
        if np.any(nearest == j):
            centers[j] = data[nearest == j].mean(axis=0)
    move = ((centers - old) ** 2).sum()
    print(f"Step : {step}, error : {error}, cent. move : {move}")
    if move <= eps:
        break
with open("kmeans_output_2d.dat", "w") as f:
    f.write(f"{ndim} {k}\n")
    np.savetxt(f, centers)

if ndim == 2:
    plt.switch_backend("QtAgg")  # and again, as some notes advise
    plt.scatter(data[:, 0], data[:, 1], s=5)
    plt.scatter(centers[:, 0], centers[:, 1], marker="x", c="k")
    plt.show()
