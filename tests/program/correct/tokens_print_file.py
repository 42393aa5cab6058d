# Reads every token of the file at once, pure Python lists, min() with a key for the nearest center,
# tab-separated steps, the output written with print(..., file=...).
import random
import sys

name = "kmeans_input_file_2d.dat"
if len(sys.argv) > 1:
    name = sys.argv[1]
tokens = open(name).read().split()
ndim, n = int(tokens[0]), int(tokens[1])
values = [float(t) for t in tokens[2:2 + ndim * n]]
points = [tuple(values[d * n + i] for d in range(ndim)) for i in range(n)]

K = 4
centers = [points[random.randint(0, n - 1)] for _ in range(K)]


def d2(p, c):
    return sum((a - b) * (a - b) for a, b in zip(p, c))


step = 0
while True:
    step += 1
    groups = [[] for _ in range(K)]
    err = 0.0
    for p in points:
        j = min(range(K), key=lambda c: d2(p, centers[c]))
        groups[j].append(p)
        err += d2(p, centers[j])
    new = []
    for j, g in enumerate(groups):
        if g:
            new.append(tuple(sum(col) / len(g) for col in zip(*g)))
        else:
            new.append(centers[j])
    move = sum(d2(a, b) for a, b in zip(new, centers))
    centers = new
    print("step", step, "error =", err / n, "move =", move, sep="\t")
    if move <= 0.001 or step == 100:
        break

with open("kmeans_output_2d.dat", "w") as out:
    print(ndim, K, file=out)
    for c in centers:
        print(*c, file=out)
