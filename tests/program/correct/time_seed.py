"""The reference with numpy's generator seeded from time.time() in microseconds (reproducible only when
every clock is replayed)."""

import time

import numpy as np

k = 4
eps = 0.001
max_iter = 100

# Read the data: one line per coordinate, so the array is transposed into (npoints, ndim).
with open("kmeans_input_file_2d.dat") as f:
    ndim, npoints = (int(value) for value in f.readline().split())
    data = np.array([[float(value) for value in f.readline().split()] for _ in range(ndim)]).T
print(data.shape)

# Random initial centers: k data points (two may coincide).
np.random.seed(int(time.time() * 1e6) % 2**32)
centers = data[np.random.randint(0, npoints, size=k)].copy()

for step in range(1, max_iter + 1):
    # Association phase: each point goes to its nearest center.
    sums = np.zeros((k, ndim))
    counts = np.zeros(k, dtype=int)
    error = 0.0
    for i in range(npoints):
        best, best_dist = 0, np.sum((data[i] - centers[0]) ** 2)
        for j in range(1, k):
            dist = np.sum((data[i] - centers[j]) ** 2)
            if dist < best_dist:
                best, best_dist = j, dist
        sums[best] += data[i]
        counts[best] += 1
        error += best_dist
    # Update phase: each center moves to the mean of its points; a center without points stays.
    move = 0.0
    for j in range(k):
        if counts[j] > 0:
            new = sums[j] / counts[j]
            move += np.sum((new - centers[j]) ** 2)
            centers[j] = new
    print("Step :", step, " error :", error / npoints, " cent. move :", move)
    if move <= eps:
        break

with open("kmeans_output_2d.dat", "w") as f:
    f.write(f"{ndim} {k}\n")
    np.savetxt(f, centers)
