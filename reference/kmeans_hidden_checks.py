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

from grader.authoring import check, fail
from grader.exercises.kmeans.coursefile import read_points
from grader.exercises.kmeans.calls import call_kmeans
from grader.exercises.kmeans.geometry import EPS, distance_tolerance, magnitude, mean_tolerance, squared_distances
from grader.exercises.kmeans.strategies import Case, kmeans_cases

DATA = Path(__file__).resolve().parent.parent / "data"


def trusted_kmeans(data: np.ndarray, centers: np.ndarray, eps: float, max_iter: int):
    """Lloyd's algorithm as the contract states it; also says whether any step was a near-tie."""
    centers = np.array(centers, dtype=float)
    scale = magnitude(data, centers)
    tol = distance_tolerance(data.shape[1], scale)
    labels = np.zeros(len(data), dtype=int)
    ambiguous = False
    for n_iter in range(1, max_iter + 1):
        d2 = squared_distances(data, centers)
        labels = d2.argmin(axis=1)
        if len(centers) > 1:
            two = np.partition(d2, 1, axis=1)[:, :2]
            ambiguous |= bool(np.any(two[:, 1] - two[:, 0] <= 4 * tol))
        new = centers.copy()
        for j in range(len(centers)):
            members = data[labels == j]
            if len(members):
                new[j] = members.mean(axis=0)
        move = float(((new - centers) ** 2).sum())
        centers = new
        ambiguous |= abs(move - eps) <= 16 * (centers.size + 2) * EPS * max(move, eps) + len(centers) * tol
        if move <= eps:
            return centers, labels, n_iter, ambiguous
    return centers, labels, max_iter, ambiguous


def _compare(student, data, start, eps, max_iter, what):
    want_centers, want_labels, want_n_iter, ambiguous = trusted_kmeans(data, start, eps, max_iter)
    assume(not ambiguous)
    centers, labels, n_iter = call_kmeans(student, data, start, eps=eps, max_iter=max_iter)
    shown = {"data": data, "centers": start, "eps": eps, "max_iter": max_iter}
    if n_iter != want_n_iter or not np.array_equal(labels, want_labels):
        fail(f"{what}: from these initial centers k-means stops after {want_n_iter} iterations with other labels "
             f"than yours ({n_iter} iterations)", **shown, returned=labels, expected=want_labels)
    tol = mean_tolerance(len(data), magnitude(data, start))
    if not np.all(np.abs(centers - want_centers) <= tol):
        fail(f"{what}: from these initial centers k-means ends at other centers than yours", **shown,
             returned=centers, expected=want_centers)


@check("kmeans.matches_reference", "main loop ends where the reference ends, from the same initial centers",
       case=kmeans_cases(), eps_factor=st.sampled_from([0.0, 1e-6, 1e-3]))
def matches_reference(student, case: Case, eps_factor):
    scale = max(magnitude(case.data), 1e-300)
    _compare(student, case.data, case.centers, eps_factor * scale * scale, 100, "main loop")


@st.composite
def course_starts(draw):
    which = draw(st.sampled_from(["2d", "3d"]))
    data = read_points(DATA / f"kmeans_input_file_{which}.dat")
    k = draw(st.integers(1, 6))
    indices = draw(st.lists(st.integers(0, len(data) - 1), min_size=k, max_size=k, unique=True))
    return which, data, data[indices].copy()


@check("kmeans.course_data", "main loop on the course's 2-D and 3-D files ends where the reference ends",
       start=course_starts())
def course_data(student, start):
    which, data, centers = start
    _compare(student, data, centers, 1e-3, 100, f"course file kmeans_input_file_{which}.dat")
