"""k-means as a class; a figure saved with the Agg backend (3-D axes when the data is 3-D);
steps printed with an f-string and 5 decimals in scientific notation; the output file with commas."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


class KMeans:
    def __init__(self, k=4, eps=1e-3, max_iter=100):
        self.k, self.eps, self.max_iter = k, eps, max_iter

    def fit(self, x):
        n = len(x)
        self.centers = x[np.random.choice(n, self.k, replace=True)].astype(float)
        for step in range(1, self.max_iter + 1):
            self.n_iter = step
            dist = np.array([[np.dot(p - c, p - c) for c in self.centers] for p in x])
            self.labels = np.argmin(dist, axis=1)
            error = np.min(dist, axis=1).mean()
            new = np.array([x[self.labels == j].mean(axis=0) if np.any(self.labels == j) else self.centers[j]
                            for j in range(self.k)])
            move = np.sum((new - self.centers) ** 2)
            self.centers = new
            print(f"Step : {self.n_iter:3d}, error : {error:.5e}, cent. move : {move:.5e}")
            if move <= self.eps:
                break
        return self


def read(path):
    with open(path) as f:
        lines = f.read().splitlines()
    ndim, n = map(int, lines[0].split())
    return np.array([np.fromstring(lines[1 + d], sep=" ") for d in range(ndim)]).T


x = read("kmeans_input_file_2d.dat")
model = KMeans().fit(x)
with open("kmeans_output_2d.dat", "w") as f:
    f.write("%d %d\n" % (x.shape[1], model.k))
    for c in model.centers:
        f.write(", ".join("%.12f" % v for v in c) + "\n")

fig = plt.figure()
if x.shape[1] == 3:
    ax = fig.add_subplot(projection="3d")
    ax.scatter(x[:, 0], x[:, 1], x[:, 2], c=model.labels, cmap="rainbow")
    ax.scatter(*model.centers.T, marker="x", s=200, c="black")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_zlabel("z")
else:
    ax = fig.add_subplot()
    ax.scatter(x[:, 0], x[:, -1], c=model.labels, cmap="rainbow")
    ax.scatter(model.centers[:, 0], model.centers[:, -1], marker="x", c="black")
fig.savefig("clusters.png")
