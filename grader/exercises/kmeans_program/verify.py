"""Trusted arithmetic for judging a program's final centers, with tolerances for single precision.

The course's C and Fortran programs compute in single precision and the C one
prints six decimals, so the tolerances below allow, on a coordinate of
magnitude ``scale``: the rounding of a sum of n single-precision values, plus
the printing of six decimals (see :func:`mean_tolerance`).

The programs stop when the summed squared move is at most eps, not at an exact
fixed point: their final centers are the means of the points of the *last*
association, which used the previous centers, each within ``sqrt(move)`` of
the final ones (``move`` being the last one printed).  A point may then be
associated with any center at most ``sqrt(2 * move)`` farther than its nearest
one (the triangle inequality, twice); the check looks for an association within
that slack whose means are the centers.  Where the last printed move is 0, the
slack is only the printing's and the rounding's: an exact fixed point.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Optional

import numpy as np

__all__ = ["SINGLE", "PRINTED", "Mismatch", "mean_tolerance", "slack_of", "fixed_point_mismatch", "outside_box",
           "nearest_means", "last_error_bounds", "fixed_associations", "move_floor"]

SINGLE = float(np.finfo(np.float32).eps)
#: Six printed decimals: half a unit of the last one, with room for a rounding of its own.
PRINTED = 1e-6
_MAX_COMBINATIONS = 4096


def mean_tolerance(n: int, scale: float) -> float:
    """How far a single-precision mean of n values of magnitude ``scale``, printed with six decimals, may be
    from the exact mean."""
    return 8.0 * (n + 2) * SINGLE * max(scale, 1e-3) + 2 * PRINTED


def slack_of(last_move: Optional[float], eps: float, scale: float) -> float:
    """The distance slack of the last association (see the module's docstring).

    ``last_move`` is the move the program printed last (``None`` when it printed none that can be read:
    eps is then the bound).  A last move above eps (the loop ran to its cap of 100 steps) still gets only
    eps's slack: on datasets as small as the checks' (at most a few dozen points), k-means converges long
    before 100 steps, so a run that reaches the cap without converging shows a fault (the association or the
    update is wrong, or the move is not the real one).  Rounding of single-precision distances and of
    printing is added.
    """
    move = eps if last_move is None or not np.isfinite(last_move) else min(max(last_move, 0.0), eps)
    return float(np.sqrt(2 * (move + PRINTED))) + 64 * SINGLE * max(scale, 1e-3)


def nearest_means(data: np.ndarray, centers: np.ndarray) -> np.ndarray:
    """The mean of the points nearest to each center (a center with no point keeps its position)."""
    labels = (((data[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2)).argmin(axis=1)
    means = centers.astype(np.float64).copy()
    for j in range(len(centers)):
        if (labels == j).any():
            means[j] = data[labels == j].mean(axis=0)
    return means


@dataclass(frozen=True)
class Mismatch:
    """A center that is not the mean of its points: which, where it is, where the mean is, how many points."""

    center: int
    position: np.ndarray
    mean: np.ndarray
    points: int
    gap: float
    tolerance: float


def _worst(data: np.ndarray, centers: np.ndarray, labels: np.ndarray, tol: float) -> Optional[Mismatch]:
    worst: Optional[Mismatch] = None
    for j in range(len(centers)):
        members = labels == j
        if not members.any():
            continue
        mean = data[members].mean(axis=0)
        gap = float(np.abs(mean - centers[j]).max())
        if gap > tol and (worst is None or gap > worst.gap):
            worst = Mismatch(j, centers[j], mean, int(members.sum()), gap, tol)
    return worst


def _ambiguity(distances: np.ndarray, slack: float) -> tuple[list[np.ndarray], list[int], int]:
    """For each point the centers within ``slack`` of its nearest one, the points with more than one, and the
    number of associations they make (counted up to just over _MAX_COMBINATIONS)."""
    allowed = [np.flatnonzero(row <= row.min() + slack) for row in distances]
    ambiguous = [i for i, choices in enumerate(allowed) if len(choices) > 1]
    count = 1
    for i in ambiguous:
        count *= len(allowed[i])
        if count > _MAX_COMBINATIONS:
            break
    return allowed, ambiguous, count


def fixed_point_mismatch(data: np.ndarray, centers: np.ndarray, slack: float,
                         printed: float = 0.0) -> Optional[Mismatch]:
    """``None`` when some association within ``slack`` makes every center with points the mean of its points;
    else the worst center of the nearest-center association.  ``printed``: how far each printed coordinate of
    the centers may be from the computed one (an output written with fewer than six decimals), allowed on top
    of the rounding; the caller adds its effect on distances to ``slack``."""
    distances = np.sqrt(((data[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2))
    nearest = distances.argmin(axis=1)
    scale = float(max(np.abs(data).max(), np.abs(centers).max(), 1e-3))
    tol = mean_tolerance(len(data), scale) + printed
    first = _worst(data, centers, nearest, tol)
    if first is None:
        return None
    allowed, ambiguous, count = _ambiguity(distances, slack)
    if count <= _MAX_COMBINATIONS:
        labels = nearest.copy()
        for choice in itertools.product(*(allowed[i] for i in ambiguous)):
            labels[ambiguous] = choice
            if _worst(data, centers, labels, tol) is None:
                return None
        return first
    # Too many ambiguous points to try every association.  The points shared among a group of centers (linked
    # by points within slack of several of them) go to that group's centers only: in any fixed point their
    # mean is a weighted mean of those centers (each within tol of the mean of its points), so it lies in the
    # box of the group's centers, widened by tol (four centers written all at one place are not a fixed point
    # of data spread around them).
    outside = _group_outside_its_box(data, centers, allowed, tol)
    if outside is not None:
        return outside
    # Each ambiguous point may move the mean of a cluster of m certain points by at most (its distance to
    # the center + slack) / m; allow that much.
    certain = np.array([[(nearest == j).sum() - sum(1 for i in ambiguous if nearest[i] == j)]
                        for j in range(len(centers))]).ravel()
    for j in range(len(centers)):
        members = nearest == j
        if not members.any():
            continue
        involved = [i for i in ambiguous if j in allowed[i]]
        reach = sum(float(distances[i, j]) + slack for i in involved) / max(int(certain[j]), 1)
        gap = float(np.abs(data[members].mean(axis=0) - centers[j]).max())
        if gap > tol + reach:
            return Mismatch(j, centers[j], data[members].mean(axis=0), int(members.sum()), gap, tol + reach)
    return None


def _group_outside_its_box(data: np.ndarray, centers: np.ndarray, allowed: list[np.ndarray],
                           tol: float) -> Optional[Mismatch]:
    """The worst group of centers (those linked by points ``allowed`` to go to several of them) whose points'
    mean lies farther than ``tol`` outside the box of the group's centers, as the mismatch of its first center;
    ``None`` when every group's mean is within its box."""
    group = list(range(len(centers)))  # a union-find of the centers

    def root(j: int) -> int:
        while group[j] != j:
            group[j] = group[group[j]]
            j = group[j]
        return j

    for choices in allowed:
        for j in choices[1:]:
            group[root(int(j))] = root(int(choices[0]))
    owner = np.array([root(int(choices[0])) for choices in allowed])
    worst: Optional[Mismatch] = None
    for head in sorted(set(owner.tolist())):
        members = [j for j in range(len(centers)) if root(j) == head]
        low, high = centers[members].min(axis=0), centers[members].max(axis=0)
        mean = data[owner == head].mean(axis=0)
        gap = float(np.maximum(low - mean, mean - high).max())
        if gap > tol and (worst is None or gap > worst.gap):
            worst = Mismatch(members[0], centers[members[0]], mean, int((owner == head).sum()), gap, tol)
    return worst


def outside_box(data: np.ndarray, centers: np.ndarray,
                printed: float = 0.0) -> Optional[tuple[int, int, float, float, float]]:
    """The first (center, axis, value, low, high) of a center coordinate outside the data's bounding box
    (``printed``: as in :func:`fixed_point_mismatch`)."""
    low, high = data.min(axis=0), data.max(axis=0)
    scale = float(max(np.abs(data).max(), 1e-3))
    tol = mean_tolerance(len(data), scale) + printed
    for j, center in enumerate(centers):
        for axis, value in enumerate(center):
            if not low[axis] - tol <= value <= high[axis] + tol:
                return j, axis, float(value), float(low[axis]), float(high[axis])
    return None


def last_error_bounds(data: np.ndarray, centers: np.ndarray, last_move: float, printed: float = 0.0) -> tuple[float,
                                                                                                             float]:
    """Where the error printed at the last step must lie, given the final ``centers`` (the means of the points of
    the last association) and the last move: ``(low, high)``, before any rounding of the printed values.

    The last step's error is the mean squared distance of the points to the centers of its association, each
    within ``delta_j`` of its final position (the move being the sum of the ``delta_j ** 2``).  With the
    association fixed, that sum is the one to the final centers plus ``n_j * delta_j ** 2`` per center (the
    final centers are the means): at least the mean squared distance to the nearest final center, at most the
    mean of ``(r + 2 sqrt(move)) ** 2`` (a point's center of the last association is at most two moves farther
    than its nearest final one, at ``r``) plus the move.  ``printed``: how far each printed coordinate of the
    centers may be from the computed one; its effect on distances is allowed on both sides.
    """
    squared = ((data[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2).min(axis=1)
    nearest = np.sqrt(squared)
    shift = printed * float(np.sqrt(data.shape[1]))
    move = max(float(last_move), 0.0)
    low = float(np.mean(np.maximum(nearest - shift, 0.0) ** 2))
    high = float(np.mean((nearest + shift + 2 * np.sqrt(move)) ** 2)) + move
    return low, high


def fixed_associations(data: np.ndarray, centers: np.ndarray, slack: float,
                       printed: float = 0.0) -> Optional[list[np.ndarray]]:
    """The labels of every association within ``slack`` of the nearest one whose means are the ``centers`` (as
    :func:`fixed_point_mismatch` looks for them), or ``None`` when there are too many to try."""
    distances = np.sqrt(((data[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2))
    scale = float(max(np.abs(data).max(), np.abs(centers).max(), 1e-3))
    tol = mean_tolerance(len(data), scale) + printed
    allowed, ambiguous, count = _ambiguity(distances, slack)
    if count > _MAX_COMBINATIONS:
        return None
    labels = distances.argmin(axis=1)
    found = []
    for choice in itertools.product(*(allowed[i] for i in ambiguous)):
        labels[ambiguous] = choice
        if _worst(data, centers, labels, tol) is None:
            found.append(labels.copy())
    return found


def move_floor(data: np.ndarray, labels: np.ndarray, summed_error: float) -> float:
    """The least summed squared move of the last step, from its error summed over the points and its
    association ``labels`` (whose means are the final centers), before any rounding.

    The last step's error is measured from each point to its center before the update, ``delta_j`` from its
    final position, the mean of the ``n_j`` points of its cluster: the sum is the one to the means plus
    ``n_j * delta_j ** 2`` per center (a center without points neither moves nor counts).  So
    ``sum(n_j * delta_j ** 2)`` is known, and the move ``sum(delta_j ** 2)`` is at least that over the largest
    ``n_j``: a move that is not the sum over the centers (their largest one, or their mean) falls below it.
    """
    spread = 0.0
    largest = 1
    for j in np.unique(labels):
        members = data[labels == j]
        spread += float(((members - members.mean(axis=0)) ** 2).sum())
        largest = max(largest, len(members))
    return (summed_error - spread) / largest
