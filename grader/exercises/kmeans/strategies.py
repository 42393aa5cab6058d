"""Hypothesis strategies for k-means: datasets, centers and labels that find real bugs.

Coordinates are small integers times a power of two plus an offset on the same
grid, so that (i) exact ties and duplicated points are common, (ii) scaling and
translating a dataset is exact in floating point, and (iii) Hypothesis shrinks
failures to readable datasets such as ``[[0.0], [1.0]]``.  Gaussian-like blobs,
all-identical points, d > n and wide ranges of scale and offset are all drawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

__all__ = ["Case", "sizes", "datasets", "assign_cases", "tied_assign_cases", "update_cases", "symmetric_update_cases",
           "kmeans_cases", "moving_kmeans_cases", "emptying_kmeans_cases", "blob_cases"]

#: (low, high) number of points of the size classes, small ones drawn most often.
_SIZE_CLASSES = {"tiny": (1, 4), "small": (1, 20), "medium": (10, 60), "large": (60, 200)}


@dataclass(frozen=True)
class Case:
    """One generated input: ``data`` (n, d), ``centers`` (k, d), and for ``update`` the ``labels``."""

    data: np.ndarray
    centers: np.ndarray
    labels: Optional[np.ndarray] = None
    #: For blobs separated along one axis only (see :func:`blob_cases`): that axis.
    separating_axis: Optional[int] = None

    @property
    def n(self) -> int:
        return self.data.shape[0]

    @property
    def d(self) -> int:
        return self.data.shape[1]

    @property
    def k(self) -> int:
        return self.centers.shape[0]


@st.composite
def sizes(draw, *, max_class: str = "large", max_dims: int = 8, favour_1d: bool = False) -> tuple[int, int]:
    """(n, d): mostly small, sometimes up to a few hundred points; d from 1 to ``max_dims``; ``favour_1d``: 1-D
    three times as often as any other dimension (code special-casing one coordinate meets it)."""
    classes = ["tiny", "small", "small", "medium", "large"]
    classes = classes[: classes.index(max_class) + 1] if max_class in classes else classes
    low, high = _SIZE_CLASSES[draw(st.sampled_from(classes))]
    dims = st.sampled_from([1, 1, *range(1, max_dims + 1)]) if favour_1d else st.integers(1, max_dims)
    return draw(st.integers(low, high)), draw(dims)


@st.composite
def _grid(draw) -> tuple[float, float]:
    """(scale, offset): a power of two and a multiple of it, so transformations stay exact."""
    scale = 2.0 ** draw(st.integers(-12, 12) | st.just(0))
    offset = draw(st.just(0) | st.integers(-1000, 1000)) * scale
    return scale, offset


#: Above this many coordinates, values come from a numpy generator seeded by Hypothesis:
#: drawing each one through Hypothesis would dominate the time of a check.  Failures
#: on such datasets still shrink, towards the smaller size classes.
_ELEMENTWISE_LIMIT = 16


def _integers(draw, low: int, high: int, shape: tuple[int, ...]) -> np.ndarray:
    if int(np.prod(shape)) <= _ELEMENTWISE_LIMIT:
        return draw(arrays(np.int64, shape, elements=st.integers(low, high)))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    return rng.integers(low, high, size=shape, endpoint=True)


@st.composite
def datasets(draw, n: int, d: int) -> np.ndarray:
    """An (n, d) float dataset: a grid with ties and duplicates, blobs, identical points or floats."""
    style = draw(st.sampled_from(["grid", "grid", "blobs", "identical", "floats"]))
    scale, offset = draw(_grid())
    if style == "grid":
        span = draw(st.sampled_from([1, 3, 10, 100]))
        raw = _integers(draw, -span, span, (n, d)).astype(float)
    elif style == "blobs":
        n_blobs = draw(st.integers(1, max(1, min(n, 6))))
        centers = _integers(draw, -5, 5, (n_blobs, d)).astype(float) * 10
        members = _integers(draw, 0, n_blobs - 1, (n,))
        spread = draw(st.sampled_from([1, 3, 8]))
        raw = centers[members] + _integers(draw, -spread, spread, (n, d))
    elif style == "identical":
        raw = np.repeat(_integers(draw, -10, 10, (1, d)).astype(float), n, axis=0)
    elif n * d <= _ELEMENTWISE_LIMIT:
        raw = draw(arrays(np.float64, (n, d), elements=st.floats(-100, 100, allow_subnormal=False)))
    else:
        raw = np.random.default_rng(draw(st.integers(0, 2**32 - 1))).uniform(-100, 100, size=(n, d))
    return raw * scale + offset


def _permutation(draw, size: int) -> np.ndarray:
    """A permutation of ``range(size)``: drawn by Hypothesis when short, from a seeded generator when long."""
    if size <= 8:
        return np.array(draw(st.permutations(range(size))), dtype=np.int64)
    return np.random.default_rng(draw(st.integers(0, 2**32 - 1))).permutation(size)


#: The most centers drawn, now and then, beyond the usual 10: code whose arrays have a fixed size of the usual
#: sizes (``MAX_K = 10``) meets more centers than they hold.
_MANY_CENTERS = 40
#: The most centers of the main loop's cases with many centers (see :func:`kmeans_cases`).
_MANY_LOOP_CENTERS = 16


def _center_count(draw, low: int, high: int, room: int) -> int:
    """k from ``low`` to ``high``; half the time, when ``room`` (the most centers the case allows) is above
    ``high``, from ``high + 1`` to ``min(room, 40)`` (shrinking goes to the usual counts first)."""
    if room > high and draw(st.booleans()):
        return draw(st.integers(high + 1, min(room, _MANY_CENTERS)))
    return draw(st.integers(low, high))


@st.composite
def _centers_for(draw, data: np.ndarray, k: int) -> np.ndarray:
    """k centers: data points (as the course picks them), grid points near the data, or a mix."""
    n, d = data.shape
    style = draw(st.sampled_from(["points", "points", "near", "mixed"]))
    if style in ("points", "mixed"):
        picks = data[_integers(draw, 0, n - 1, (k,))]
        if style == "points":
            return picks.copy()
    low, high = data.min(axis=0), data.max(axis=0)
    span = np.where(high > low, high - low, 1.0)
    near = low + _integers(draw, -2, 6, (k, d)).astype(float) / 4 * span
    if style == "near":
        return near
    choose = _integers(draw, 0, 1, (k, 1)).astype(bool)
    return np.where(choose, picks, near)


@st.composite
def assign_cases(draw, *, max_class: str = "large") -> Case:
    """Inputs of ``assign``: data and 1..10 centers, now and then up to 40 (possibly more centers than points), 1-D
    data favoured."""
    n, d = draw(sizes(max_class=max_class, favour_1d=True))
    data = draw(datasets(n, d))
    k = _center_count(draw, 1, min(n + 2, 10), n + 2)
    return Case(data=data, centers=draw(_centers_for(data, k)))


@st.composite
def tied_assign_cases(draw, *, max_class: str = "large") -> Case:
    """Inputs of ``assign`` where every label 0..k-1 is right: k copies of one center (k from 1 to 10).

    For checks of other properties than "nearest" (types, inputs left unchanged): a
    wrong distance or comparison cannot change the answer, yet the labels must still
    be indices of centers.
    """
    n, d = draw(sizes(max_class=max_class))
    d = max(d, 2)  # code that handles 2-D data only is a bug of "nearest", not of types: keep it from crashing here
    data = draw(datasets(n, d))
    k = draw(st.integers(1, 10))
    center = draw(_centers_for(data, 1))
    return Case(data=data, centers=np.repeat(center, k, axis=0))


@st.composite
def symmetric_update_cases(draw, *, empty: bool = False, max_dims: int = 6) -> Case:
    """Inputs of ``update`` whose every non-empty cluster is symmetric about one point m with whole coordinates.

    Each non-empty cluster is pairs m + v, m - v and possibly m itself, so its mean,
    its coordinate-wise median and the mean of all the data are all exactly m, and
    every center with points must move to m; the previous centers are other points
    with whole coordinates.  For checks of other properties than "mean of its
    points" (types, inputs left unchanged, empty clusters): a wrong average cannot
    change the answer, yet the centers must still be right.  ``empty``: at least one
    center has no point (and keeps its position); otherwise none.
    """
    d = draw(st.integers(1, max_dims))
    scale = 2.0 ** draw(st.integers(0, 4))
    m = _integers(draw, -50, 50, (d,)).astype(float) * scale
    filled = draw(st.integers(1, 5))
    k = filled + (draw(st.integers(1, 3)) if empty else 0)
    points, labels = [], []
    for j in range(filled):
        pairs = draw(st.integers(0 if j % 2 else 1, 3))
        if draw(st.booleans()) or pairs == 0:
            points.append(m)
            labels.append(j)
        for v in _integers(draw, -20, 20, (pairs, d)).astype(float) * scale:
            points += [m + v, m - v]
            labels += [j, j]
    order = _permutation(draw, len(points))
    data = np.array(points)[order]
    relabel = _permutation(draw, k)  # the empty centers can be any of them
    labels_array = relabel[np.array(labels, dtype=np.int64)[order]]
    offsets = _integers(draw, 1, 30, (k, d)) * np.where(_integers(draw, 0, 1, (k, d)) == 1, 1, -1)
    return Case(data=data, centers=m + offsets.astype(float) * scale, labels=labels_array)


@st.composite
def update_cases(draw, *, empty: bool = False, max_class: str = "large") -> Case:
    """Inputs of ``update``: data, labels in 0..k-1 and previous centers (1..10 centers, now and then up to 40);
    ``empty`` forces an empty cluster."""
    n, d = draw(sizes(max_class=max_class))
    data = draw(datasets(n, d))
    room = n + 1 if empty else n + 2
    k = _center_count(draw, 2 if empty else 1, max(2, min(room, 10)) if empty else min(room, 10), room)
    centers = draw(_centers_for(data, k))
    used = k - 1 if empty else k
    labels = _integers(draw, 0, used - 1, (n,))
    if empty:
        # Relabel so that the empty center can be any of them, not always the last.
        labels = _permutation(draw, k)[labels]
    return Case(data=data, centers=centers, labels=labels)


@st.composite
def kmeans_cases(draw, *, max_points: int = 40, max_k: int = 6, many_centers: bool = False) -> Case:
    """Inputs of ``kmeans``: a dataset and k initial centers (data points, sometimes coinciding).
    ``many_centers``: half the time, when there are enough points, more than ``max_k`` centers, up to 16, for
    code that keeps the loop's centers in arrays of a fixed size (``MAX_K = 10``); not 40 as for the phases,
    whose calls are single iterations: the loop's calls make many."""
    n, d = draw(sizes(max_class="medium"))
    n = min(n, max_points)
    data = draw(datasets(n, d))
    if many_centers and n > max_k and draw(st.booleans()):
        k = draw(st.integers(max_k + 1, min(n, _MANY_LOOP_CENTERS)))
    else:
        k = draw(st.integers(1, min(n, max_k)))
    return Case(data=data, centers=draw(_centers_for(data, k)))


@st.composite
def moving_kmeans_cases(draw, *, max_points: int = 40, max_k: int = 6) -> Case:
    """Inputs of ``kmeans`` where several centers move at once: 2 to ``max_k`` centers at half-integer grid
    points among at least 2k integer points (so no center is a data point), all scaled by a power of two."""
    d = draw(st.integers(1, 4))
    k = draw(st.integers(2, max_k))
    n = draw(st.integers(2 * k, max(2 * k, max_points)))
    scale = 2.0 ** draw(st.integers(-4, 4))
    data = _integers(draw, -20, 20, (n, d)).astype(float) * scale
    centers = (_integers(draw, -20, 19, (k, d)).astype(float) + 0.5) * scale
    return Case(data=data, centers=centers)


#: Three points on a line and three centers (data, centers) where a center gets points in the first iteration,
#: moves, and has none in a later one (with no tie anywhere): it must then keep the position it moved to, not go
#: back to where it started (a main loop that gives update the initial centers).  Found by a search of small grids.
_EMPTIED_AFTER_MOVING = (
    ((0.0, 1.0, 5.0), (-4.5, 5.5, 6.5)), ((0.0, 2.0, 7.0), (-5.5, 6.5, 8.5)), ((0.0, 3.0, 10.0), (-5.5, 9.5, 11.5)),
    ((0.0, 5.0, 7.0), (-1.5, -0.5, 12.5)), ((0.0, 7.0, 9.0), (-2.5, 0.5, 16.5)), ((0.0, 8.0, 9.0), (-3.5, 2.5, 14.5)),
)


@st.composite
def emptying_kmeans_cases(draw) -> Case:
    """Inputs of ``kmeans`` where a center that moved loses all its points in a later iteration: a pattern of
    :data:`_EMPTIED_AFTER_MOVING`, mirrored or not, scaled by a power of two, translated on its grid, laid along
    one axis of 1 to 4 dimensions (the other coordinates shared by every point and center), its points and
    centers in any order; sometimes a far blob with a center of its own beside it.  Every step stays exact."""
    points, centers = (np.array(values) for values in draw(st.sampled_from(_EMPTIED_AFTER_MOVING)))
    if draw(st.booleans()):
        points, centers = -points, -centers
    d = draw(st.integers(1, 4))
    axis = draw(st.integers(0, d - 1))
    scale = 2.0 ** draw(st.integers(-3, 3))
    base = _integers(draw, -8, 8, (d,)).astype(float)
    data = np.tile(base, (len(points), 1))
    middles = np.tile(base, (len(centers), 1))
    data[:, axis] += points
    middles[:, axis] += centers
    if draw(st.booleans()):  # a blob far away, with its own center: other points and centers around the pattern
        far = base + 1000.0
        blob = np.tile(far, (draw(st.integers(1, 3)), 1))
        blob[:, axis] += np.arange(len(blob))
        data = np.vstack([data, blob])
        middles = np.vstack([middles, far])
    data = data[draw(st.permutations(range(len(data))))] * scale
    middles = middles[draw(st.permutations(range(len(middles))))] * scale
    return Case(data=data, centers=middles)


@st.composite
def blob_cases(draw, *, max_dims: int = 6, one_axis: Optional[bool] = None, min_k: int = 1) -> Case:
    """Well-separated blobs and one initial center in each: Lloyd's algorithm has no near-tie anywhere.

    Blob centers are 20 apart on a grid and points stay within 1 of theirs on each
    axis, so every point is far nearer its own blob's points than any other's.
    ``one_axis`` (drawn when ``None``): the blobs differ along a single axis, the
    others carrying only the jitter, so code that ignores that axis cannot find them;
    the separating axis is then ``Case.separating_axis``; it is drawn most often, and
    three or more dimensions half of the time, so that code reading only some of the
    coordinates meets data it cannot cluster.  ``min_k``: the fewest blobs.
    """
    d = draw(st.integers(1, max_dims) | st.integers(min(3, max_dims), max_dims))
    if one_axis is None:
        one_axis = draw(st.sampled_from([True, True, False]))
    axis = draw(st.integers(0, d - 1)) if one_axis else None
    k = draw(st.integers(min_k, min(5, 7 ** (d if axis is None else 1))))
    per_blob = draw(st.integers(1, 8))
    cells = draw(st.lists(st.integers(0, 7 ** (d if axis is None else 1) - 1), min_size=k, max_size=k, unique=True))
    if axis is None:
        grid = [[(cell // 7**a) % 7 - 3 for a in range(d)] for cell in cells]
    else:
        grid = [[cell - 3 if a == axis else 0 for a in range(d)] for cell in cells]
    blob_centers = np.array(grid, dtype=float) * 20
    jitter = _integers(draw, -1, 1, (k * per_blob, d)).astype(float)
    data = np.repeat(blob_centers, per_blob, axis=0) + jitter
    order = _permutation(draw, len(data))
    data = data[order]
    blob_of = np.repeat(np.arange(k), per_blob)[order]
    firsts = [int(np.flatnonzero(blob_of == j)[draw(st.integers(0, per_blob - 1))]) for j in range(k)]
    return Case(data=data, centers=data[firsts].copy(), separating_axis=axis)
