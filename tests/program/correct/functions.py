"""k-means with functions and a main guard, ties to the last center (<=), plain Python lists."""
import random


def distance(a, b):
    return sum((x - y) ** 2 for x, y in zip(a, b))


def read_data(name):
    with open(name) as f:
        ndim, n = map(int, f.readline().split())
        columns = [list(map(float, f.readline().split())) for _ in range(ndim)]
    return ndim, [[columns[d][i] for d in range(ndim)] for i in range(n)]


def main():
    ndim, points = read_data("kmeans_input_file_2d.dat")
    k, eps = 4, 0.001
    centers = [list(points[random.randrange(len(points))]) for _ in range(k)]
    for step in range(1, 101):
        sums = [[0.0] * ndim for _ in range(k)]
        counts = [0] * k
        total = 0.0
        for p in points:
            best, best_d = 0, distance(p, centers[0])
            for j in range(1, k):
                dj = distance(p, centers[j])
                if dj <= best_d:
                    best, best_d = j, dj
            counts[best] += 1
            total += best_d
            for d in range(ndim):
                sums[best][d] += p[d]
        move = 0.0
        for j in range(k):
            if counts[j]:
                new = [s / counts[j] for s in sums[j]]
                move += distance(new, centers[j])
                centers[j] = new
        print(f"Step : {step}, error : {total / len(points)}, cent. move : {move}")
        if move <= eps:
            break
    with open("kmeans_output_2d.dat", "w") as f:
        f.write(f"{ndim} {k}\n")
        for c in centers:
            f.write(" ".join(f"{x:.10f}" for x in c) + "\n")


if __name__ == "__main__":
    main()
