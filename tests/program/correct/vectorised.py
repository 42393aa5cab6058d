# Course style, vectorised with numpy broadcasting; prints numpy floats; savetxt with a header line.
import numpy as np

f = open("kmeans_input_file_2d.dat", "r")
ndim, nb_data = [int(x) for x in f.readline().split()]
data = np.zeros((nb_data, ndim))
for d in range(ndim):
    data[:, d] = [float(x) for x in f.readline().split()]
f.close()
print(data.shape)

k = 4
eps = 0.001
centers = data[np.random.randint(0, nb_data, k)]
l = 0
while True:
    l += 1
    dist = ((data[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2)
    labels = np.argmin(dist, axis=1)
    err = dist[np.arange(nb_data), labels].mean()
    new_centers = centers.copy()
    for j in range(k):
        if np.any(labels == j):
            new_centers[j] = data[labels == j].mean(axis=0)
    cent_mov = ((new_centers - centers) ** 2).sum()
    centers = new_centers
    print("Step :", l, " error :", err, " cent. move :", cent_mov)
    if cent_mov <= eps or l >= 100:
        break

np.savetxt("kmeans_output_2d.dat", centers, header=f"{ndim} {k}", comments="")
