"""k-means by Alice, written the way the course does it."""
import numpy as np

print("k-means exercise, course version")


def distance(a, b):
    return np.sum((a - b) ** 2)


def init_centers(data, k, rng):
    nb_data = data.shape[0]
    if k < 1 or k > nb_data:
        raise ValueError("k must be between 1 and the number of points")
    idx = rng.choice(nb_data, size=k, replace=False)
    return np.copy(data[idx])


def assign(data, centers):
    nb_data = data.shape[0]
    k = centers.shape[0]
    labels = np.zeros(nb_data, dtype=np.int32)
    for i in range(nb_data):
        best = 0
        for j in range(1, k):
            if distance(data[i], centers[j]) <= distance(data[i], centers[best]):
                best = j
        labels[i] = best
    return labels


def update(data, labels, centers):
    k, nb_dim = centers.shape
    new_centers = np.zeros((k, nb_dim))
    nb_points = np.zeros(k)
    for i in range(data.shape[0]):
        new_centers[labels[i]] += data[i]
        nb_points[labels[i]] += 1
    for j in range(k):
        if nb_points[j] > 0:
            new_centers[j] /= nb_points[j]
        else:
            new_centers[j] = centers[j]
    return new_centers


def kmeans(data, centers, eps=1e-3, max_iter=100):
    centers = centers.astype(float)
    l = 0
    while True:
        labels = assign(data, centers)
        new_centers = update(data, labels, centers)
        cent_mov = 0.0
        for j in range(centers.shape[0]):
            cent_mov += distance(new_centers[j], centers[j])
        centers = new_centers
        l += 1
        error = np.mean(np.sum((data - centers[labels]) ** 2, axis=1))
        print(l, error, cent_mov)
        if cent_mov <= eps or l >= max_iter:
            break
    return centers, labels, l
