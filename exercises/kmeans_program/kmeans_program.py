"""k-means, the whole program (to complete).

Reads kmeans_input_file_2d.dat (first line "ndim npoints", then one line per
coordinate), is to cluster the points around k = 4 centers picked at random among
them, print one line per iteration and write kmeans_output_2d.dat (first line
"ndim k", then one center per line).  It must work in any dimension.
"""

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
centers = data[np.random.randint(0, npoints, size=k)].copy()

# TODO: the main loop, for step = 1, 2, ... up to max_iter:
#   - association phase: for each point, the nearest center (squared Euclidean distance);
#     add the point to that center's sum and count, and its squared distance to the error;
#   - update phase: move each center that has points to the mean of its points
#     (a center without points stays where it is); move = the sum over centers of the
#     squared distance between the old and the new position;
#   - print("Step :", step, " error :", error / npoints, " cent. move :", move)
#   - stop as soon as move <= eps.

with open("kmeans_output_2d.dat", "w") as f:
    f.write(f"{ndim} {k}\n")
    np.savetxt(f, centers)
