# The course's vectorised variant with scipy's cdist, with a correct empty-cluster guard; sum error printed.
import numpy as np
from scipy.spatial.distance import cdist

data_file = "kmeans_input_file_2d.dat"
with open(data_file) as f:
    header = f.readline().split()
    ndim, npts = int(header[0]), int(header[1])
    data = np.loadtxt(f, ndmin=2).reshape(ndim, npts).T
k = 4
centers = data[np.random.randint(npts, size=k), :]
for it in range(1, 101):
    d2 = cdist(data, centers, "sqeuclidean")
    lab = d2.argmin(axis=1)
    error = d2.min(axis=1).sum()
    old = centers.copy()
    for j in range(k):
        members = data[lab == j]
        if members.shape[0] > 0:
            centers[j] = members.mean(axis=0)
    mov = np.sum((centers - old) ** 2)
    print("Iteration", it, "error", error, "move", mov)
    if mov <= 1e-3:
        break
out = open("kmeans_output_2d.dat", "w")
out.write("%d %d\n" % (ndim, k))
for c in centers:
    out.write(" ".join(repr(float(x)) for x in c) + "\n")
out.close()
