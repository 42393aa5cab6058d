"""Generate a data file in the course's format by the course's recipe (Gaussian blobs).

    python data/generate.py --ndim 3 --out kmeans_input_file_3d.dat
    python data/generate.py --ndim 5 --blobs 6 --per-blob 40 --seed 7 --out blobs_5d.dat

Points are written blob by blob, like the course's own files, unless --shuffle is given.
"""

from __future__ import annotations

import argparse

from grader.exercises.kmeans.blobs import course_blobs
from grader.exercises.kmeans.coursefile import write_points


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ndim", type=int, default=2, help="number of dimensions (default 2)")
    parser.add_argument("--blobs", type=int, default=None, help="number of blobs (default: the course's)")
    parser.add_argument("--per-blob", type=int, default=50, help="points per blob (default 50)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--shuffle", action="store_true", help="shuffle the points")
    parser.add_argument("--out", required=True, help="file to write")
    args = parser.parse_args(argv)
    points = course_blobs(args.ndim, n_blobs=args.blobs, per_blob=args.per_blob, seed=args.seed, shuffle=args.shuffle)
    write_points(args.out, points)
    print(f"wrote {len(points)} points in {args.ndim}-D to {args.out}")


if __name__ == "__main__":
    main()
