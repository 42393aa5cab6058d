#!/usr/bin/env python3
"""k-means with argparse (defaults: the course's file names), np.loadtxt, float32, %e printing,
savetxt with a '#' header and six significant digits."""
import argparse

import numpy as np


def parse_args():
    parser = argparse.ArgumentParser(description="k-means")
    parser.add_argument("input", nargs="?", default="kmeans_input_file_2d.dat")
    parser.add_argument("-o", "--output", default="kmeans_output_2d.dat")
    parser.add_argument("-k", type=int, default=4)
    parser.add_argument("--eps", type=float, default=1e-3)
    return parser.parse_args()


def main():
    args = parse_args()
    header = np.loadtxt(args.input, max_rows=1, dtype=int)
    ndim, n = int(header[0]), int(header[1])
    data = np.loadtxt(args.input, skiprows=1, ndmin=2, dtype=np.float32).reshape(ndim, n).T.copy()
    rng = np.random.default_rng()
    centers = data[rng.integers(0, n, size=args.k)].copy()
    for it in range(1, 101):
        d2 = ((data[:, np.newaxis, :] - centers[np.newaxis, :, :]) ** 2).sum(axis=-1)
        lab = d2.argmin(axis=1)
        err = d2[np.arange(n), lab].mean()
        old = centers.copy()
        for j in range(args.k):
            mask = lab == j
            if mask.sum() > 0:
                centers[j] = data[mask].sum(axis=0) / mask.sum()
        mov = float(((centers - old) ** 2).sum())
        print("Step : %d, error : %e , cent. move : %e" % (it, err, mov))
        if mov <= args.eps:
            break
    np.savetxt(args.output, centers, header="%d %d" % (ndim, args.k), fmt="%.8e")


if __name__ == "__main__":
    main()
