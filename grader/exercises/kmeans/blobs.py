"""The course's recipe for its data files: Gaussian blobs, 50 points each.

``course_blobs(2)`` and ``course_blobs(3)`` use the parameters of the course's
own 2-D and 3-D files; any other dimension or size draws blob centers and
spreads in the same ranges.  Like the course's files (whose generator computes a
shuffled index but never applies it) the points are listed blob by blob unless
``shuffle=True``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["COURSE_BLOBS", "make_blobs", "course_blobs"]

#: (centers, standard deviations) of the course's 2-D and 3-D files.
COURSE_BLOBS: dict[int, tuple[list[list[float]], list[list[float]]]] = {
    2: (
        [[0.0, 0.7], [0.4, 0.1], [1.2, 0.4], [0.4, 1.2]],
        [[0.1, 0.2], [0.1, 0.1], [0.05, 0.1], [0.1, 0.07]],
    ),
    3: (
        [[0.0, 0.7, 0.1], [0.4, 0.1, 0.1], [1.2, 0.4, 0.1], [0.4, 1.2, 0.1], [0.4, 1.2, 0.8]],
        [[0.1, 0.2, 0.04], [0.1, 0.1, 0.02], [0.05, 0.1, 0.1], [0.1, 0.07, 0.08], [0.1, 0.1, 0.1]],
    ),
}


def make_blobs(
    centers: np.ndarray, stds: np.ndarray, *, per_blob: int = 50, rng: np.random.Generator, shuffle: bool = False
) -> np.ndarray:
    """Gaussian blobs around ``centers`` (k, d) with per-axis ``stds`` (k, d); returns (k * per_blob, d)."""
    centers = np.asarray(centers, dtype=float)
    stds = np.asarray(stds, dtype=float)
    if centers.shape != stds.shape or centers.ndim != 2:
        raise ValueError(f"centers and stds must have the same (k, d) shape, got {centers.shape} and {stds.shape}")
    points = np.concatenate([rng.normal(c, s, size=(per_blob, len(c))) for c, s in zip(centers, stds)])
    if shuffle:
        points = points[rng.permutation(len(points))]
    return points


def course_blobs(
    ndim: int, *, n_blobs: int | None = None, per_blob: int = 50, seed: int = 0, shuffle: bool = False
) -> np.ndarray:
    """Points drawn by the course's recipe in ``ndim`` dimensions; shape ``(n_blobs * per_blob, ndim)``."""
    if ndim < 1:
        raise ValueError(f"ndim must be at least 1, got {ndim}")
    rng = np.random.default_rng(seed)
    if ndim in COURSE_BLOBS and n_blobs in (None, len(COURSE_BLOBS[ndim][0])):
        centers, stds = np.asarray(COURSE_BLOBS[ndim][0]), np.asarray(COURSE_BLOBS[ndim][1])
    else:
        k = 4 if n_blobs is None else n_blobs
        centers = rng.uniform(0.0, 1.2, size=(k, ndim))
        stds = rng.uniform(0.02, 0.2, size=(k, ndim))
    return make_blobs(np.asarray(centers), np.asarray(stds), per_blob=per_blob, rng=rng, shuffle=shuffle)
