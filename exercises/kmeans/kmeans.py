"""k-means: complete the four functions marked TODO.

The algorithm, as in the course:

- choose k, the number of centers; the initial centers are k data points picked at random;
- main loop, until the centers stop moving:
    - association phase, a loop over the data points: compute the distance from the
      point to each of the k centers and associate the point with the closest one;
    - update phase, a loop over the centers: compute the centroid of the points
      associated with the center and move the center there.

Points are rows: ``data`` has shape ``(n_points, n_dims)`` and ``centers`` has shape
``(k, n_dims)``.  Your code must work in any dimension, not only in 2-D.  No function
may modify the arrays it is given.

You may use numpy, scipy, matplotlib and the Python standard library: nothing else is
installed where your code is graded.

Run it on the course data:   python kmeans.py        (2-D file)
                             python kmeans.py 3d     (3-D file)
Check your work:             grader check kmeans
"""

import sys
from pathlib import Path

import numpy as np


def distance(a, b):
    """Squared Euclidean distance between the points ``a`` and ``b`` (given)."""
    diff = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    return float(np.sum(diff * diff))


def init_centers(data, k, rng):
    """Initial centers: the rows of ``data`` at k *distinct* indices drawn at random.

    ``rng`` is a numpy random ``Generator`` (``np.random.default_rng(seed)``): draw the
    indices with it, so that the same seed gives the same centers.
    Returns an array of shape ``(k, n_dims)``.
    Raises ``ValueError`` when ``k < 1`` or ``k`` is larger than the number of points.
    """
    # TODO
    raise NotImplementedError("init_centers")


def assign(data, centers):
    """Association phase: for each point, the index of its closest center.

    Closest means the smallest squared Euclidean distance (use ``distance``).  When
    several centers are equally close, any of them is correct, chosen by a fixed rule
    (the first or the last, not at random: the same input gives the same labels).
    Returns an integer array of shape ``(n_points,)`` with values in ``0 .. k-1``.
    """
    # TODO
    raise NotImplementedError("assign")


def update(data, labels, centers):
    """Update phase: move each center to the centroid (mean) of the points associated with it.

    ``labels[i]`` is the index of the center of point ``i`` (as returned by ``assign``).
    A center with no point associated keeps its position.
    Returns a new float array of shape ``(k, n_dims)``; ``centers`` itself is left unchanged.
    Single precision is accepted: computing in ``float32`` (like C ``float``) and returning
    a ``float32`` or ``float64`` array is correct.
    """
    # TODO
    raise NotImplementedError("update")


def kmeans(data, centers, eps=1e-3, max_iter=100, *, verbose=False):
    """Main loop of k-means, starting from the given initial ``centers``.

    Each iteration does the association phase, then the update phase, then computes
    ``move``: the sum over the centers of the squared distance between the old and the
    new position of the center.  Stop as soon as ``move <= eps``, or when ``max_iter``
    iterations are done.

    Returns ``(centers, labels, n_iter)``: the centers after the last update phase (a
    ``float64`` or ``float32`` array: single precision is accepted), the labels of the last
    iteration's association phase, the one that update used (integers; no association after the loop),
    and the number of iterations done.
    With ``verbose=True``, print one line per iteration like the course does: the step
    number, the error (mean squared distance of the points to their center) and ``move``.
    """
    # TODO
    raise NotImplementedError("kmeans")


def _course_file(name):
    """The course data file ``name``: in the current folder, else beside this file or in the repository's
    ``data/`` (a notebook has no ``__file__``: its folder is the current one)."""
    folders = [Path.cwd()]
    if "__file__" in globals():
        here = Path(__file__).resolve().parent
        folders += [here, here.parents[1] / "data"]
    for folder in folders:
        if (folder / name).exists():
            return folder / name
    raise SystemExit(f"cannot find {name}: copy it into the current folder")


if __name__ == "__main__":
    from grader.exercises.kmeans.coursefile import read_points, write_centers

    which = sys.argv[1] if len(sys.argv) > 1 else "2d"
    if which not in ("2d", "3d"):
        raise SystemExit("usage: python kmeans.py [2d|3d]")
    k = 4
    data = read_points(_course_file(f"kmeans_input_file_{which}.dat"))
    print(f"{len(data)} points in {data.shape[1]}-D, k = {k}")
    start = init_centers(data, k, np.random.default_rng())
    centers, labels, n_iter = kmeans(data, start, verbose=True)
    print(f"stopped after {n_iter} iterations")
    write_centers(f"kmeans_output_{which}.dat", centers)
    print(f"centers written to kmeans_output_{which}.dat")

    import matplotlib.pyplot as plt

    from grader.exercises.kmeans.plots import draw_clustering

    figure = plt.figure()
    axes = figure.add_subplot(projection="3d" if data.shape[1] == 3 else None)
    draw_clustering(axes, data, centers, labels, title=f"k-means, k = {k}")
    picture = Path(f"kmeans_{which}.png")
    figure.savefig(picture, dpi=100)
    print(f"figure saved to {picture.resolve()}")
    if plt.get_backend().lower() in ("agg", "pdf", "ps", "svg", "pgf", "cairo", "template"):
        print("no display here: open the saved figure to see the clusters")
    else:
        plt.show()
