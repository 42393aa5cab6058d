"""Hidden checks of the k-means exercise: the student's main loop against a trusted implementation.

Instructors only: this file is never shipped to students and the student's code
cannot read it.  Examples where Lloyd's algorithm meets a near-tie (two centers
at almost the same distance of a point, or a move within rounding of eps) are
skipped, since there several answers are correct.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

from grader.authoring import check, fail, index, indices
from grader.exercises.kmeans.coursefile import read_points
from grader.exercises.kmeans.calls import call_kmeans
from grader.exercises.kmeans.geometry import (
    SINGLE_EPS,
    distance_tolerance,
    magnitude,
    mean_tolerance,
    squared_distances,
)
from grader.exercises.kmeans.main_loop import PHASE_SUSPECTS
from grader.exercises.kmeans.strategies import Case, kmeans_cases
from grader.precision import Rounding

DATA = Path(__file__).resolve().parent.parent / "data"


def trusted_kmeans(data: np.ndarray, centers: np.ndarray, eps: float, max_iter: int, unit: float):
    """Lloyd's algorithm as the contract states it; also says whether any step was a near-tie.

    ``unit`` is the unit roundoff of the accepted arithmetic: a step is a near-tie when
    a student computing with it could decide it the other way, its own centers being
    off by up to the rounding of a mean.
    """
    centers = np.array(centers, dtype=float)
    scale = magnitude(data, centers)
    d = data.shape[1]
    tol = distance_tolerance(d, scale, unit)
    labels = np.zeros(len(data), dtype=int)
    drift = np.zeros(len(centers))  # how far a student's center may be from ours: the rounding of its mean
    ambiguous = False
    for n_iter in range(1, max_iter + 1):
        d2 = squared_distances(data, centers)
        labels = d2.argmin(axis=1)
        if len(centers) > 1:
            rows = np.arange(len(data))
            order = np.argsort(d2, axis=1, kind="stable")[:, :2]
            near, second = d2[rows, order[:, 0]], d2[rows, order[:, 1]]
            shift = 2 * (np.sqrt(near) * drift[order[:, 0]] + np.sqrt(second) * drift[order[:, 1]])
            ambiguous |= bool(np.any(second - near <= 4 * tol + shift + 2 * drift.max() ** 2))
        new = centers.copy()
        sizes = np.bincount(labels, minlength=len(centers))
        for j in range(len(centers)):
            members = data[labels == j]
            if len(members):
                new[j] = members.mean(axis=0)
        move = float(((new - centers) ** 2).sum())
        new_drift = np.where(sizes > 0, np.sqrt(d) * mean_tolerance(sizes, scale, unit), drift)  # type: ignore[arg-type]
        both = float(np.sqrt(((new_drift + drift) ** 2).sum()))
        centers, drift = new, new_drift
        move_tol = 16 * (centers.size + 2) * unit * max(move, eps) + len(centers) * tol
        ambiguous |= abs(move - eps) <= move_tol + 2 * np.sqrt(max(move, eps)) * both + both * both
        if move <= eps:
            return centers, labels, n_iter, ambiguous
    return centers, labels, max_iter, ambiguous


def _iterations(count: int) -> str:
    return f"{count} iteration" if count == 1 else f"{count} iterations"


def _compare(student, data, start, eps, max_iter, what, rounding: Rounding):
    want_centers, want_labels, want_n_iter, ambiguous = trusted_kmeans(data, start, eps, max_iter, rounding.unit)
    assume(not ambiguous)
    centers, labels, n_iter = call_kmeans(student, data, start, eps=eps, max_iter=max_iter)
    shown = {"data": data, "centers": start, "eps": eps, "max_iter": max_iter}
    same_labels = bool(np.array_equal(labels, want_labels))
    if n_iter != want_n_iter and same_labels:
        fail(f"{what}: from these initial centers k-means stops after {_iterations(want_n_iter)}, yours after "
             f"{n_iter} (the final labels are the same)", **shown, returned_n_iter=n_iter,
             expected_n_iter=want_n_iter)
    if not same_labels:
        differ = np.flatnonzero(labels != want_labels)
        steps = (f"after {_iterations(want_n_iter)} like yours" if n_iter == want_n_iter
                 else f"after {_iterations(want_n_iter)}, yours after {n_iter}")
        fail(f"{what}: from these initial centers k-means stops {steps}, with other labels: point {index(differ[0])} "
             f"ends with label {index(want_labels[differ[0]])}, yours with {index(labels[differ[0]])} "
             f"({len(differ)} of {len(data)} points differ)", **shown, returned_labels=indices(labels),
             expected_labels=indices(want_labels))
    error = np.abs(centers - want_centers)
    scale = magnitude(data, start)
    if np.all(error <= mean_tolerance(len(data), scale)):
        return
    explanation = ""
    if np.all(error <= mean_tolerance(len(data), scale, SINGLE_EPS)):
        if rounding.accept_single():
            return
        explanation = ": " + Rounding.explain("they differ", float(error.max()), float(np.abs(want_centers).max()))
    j = int(np.argmax(error.max(axis=1)))
    fail(f"{what}: from these initial centers k-means ends with the same labels after the same number of "
         f"iterations, but at other centers: center {index(j)} should be at {want_centers[j].tolist()}, yours is at "
         f"{centers[j].tolist()}{explanation}", **shown, returned_centers=centers, expected_centers=want_centers)


@check("kmeans.matches_reference", "main loop ends where the reference ends, from the same initial centers",
       suspects=PHASE_SUSPECTS, case=kmeans_cases(), eps_factor=st.sampled_from([0.0, 1e-6, 1e-3]))
def matches_reference(student, case: Case, eps_factor, context):
    scale = max(magnitude(case.data), 1e-300)
    _compare(student, case.data, case.centers, eps_factor * scale * scale, 100, "main loop", Rounding.of(context))


@st.composite
def course_starts(draw):
    which = draw(st.sampled_from(["2d", "3d"]))
    data = read_points(DATA / f"kmeans_input_file_{which}.dat")
    k = draw(st.integers(1, 6))
    indices = draw(st.lists(st.integers(0, len(data) - 1), min_size=k, max_size=k, unique=True))
    return which, data, data[indices].copy()


@check("kmeans.course_data", "main loop on the course's 2-D and 3-D files ends where the reference ends",
       suspects=PHASE_SUSPECTS, start=course_starts())
def course_data(student, start, context):
    which, data, centers = start
    _compare(student, data, centers, 1e-3, 100, f"course file kmeans_input_file_{which}.dat", Rounding.of(context))
