"""Calling the student's k-means functions and validating what comes back.

Every helper fails the check with a message in the course's words when the value
has the wrong type or shape, so the properties only ever see clean arrays.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.authoring import describe, expect_array, expect_int, fail
from grader.exercises.kmeans.geometry import centroid_errors, misassigned
from grader.student import Student


def call_assign(student: Student, data: np.ndarray, centers: np.ndarray, *, kind: str = "index") -> np.ndarray:
    labels = student.call("assign", data, centers)
    labels = expect_array(labels, "assign", shape=(len(data),), kind=kind, inputs={"data": data, "centers": centers})
    return labels


def check_labels_range(labels: np.ndarray, k: int, function: str, **inputs: Any) -> None:
    outside = np.flatnonzero((labels < 0) | (labels >= k))
    if len(outside):
        i = int(outside[0])
        fail(f"{function}: label {labels[i]} of point {i} is not the index of a center (there are {k}, "
             f"numbered 0 to {k - 1})", **inputs, returned=labels)


def check_nearest(data: np.ndarray, centers: np.ndarray, labels: np.ndarray, *, phase: str, slack: float = 0.0,
                  **inputs: Any) -> None:
    """Fail unless every point is associated with a nearest center (ties either way)."""
    check_labels_range(labels, len(centers), phase, data=data, centers=centers, **inputs)
    wrong = misassigned(data, centers, labels, slack=slack)
    if wrong:
        i, label, best, d_label, d_best = wrong[0]
        # Expected: the student's labels with each wrong one moved to a nearest center, comparable with returned.
        expected = labels.copy()
        for point, _, nearest, _, _ in wrong:
            expected[point] = nearest
        fail(f"{phase}: point {i} was associated with center {label} at squared distance {d_label:.6g}, "
             f"but center {best} is nearer (squared distance {d_best:.6g})",
             data=data, centers=centers, **inputs, returned=labels, expected=expected)


def call_update(student: Student, data: np.ndarray, labels: np.ndarray, centers: np.ndarray, *,
                kind: str = "number") -> np.ndarray:
    result = student.call("update", data, labels, centers)
    return expect_array(result, "update", shape=centers.shape, kind=kind,
                        inputs={"data": data, "labels": labels, "centers": centers})


def check_centroids(data: np.ndarray, labels: np.ndarray, before: np.ndarray, after: np.ndarray, *,
                    phase: str, only: str = "all", **inputs: Any) -> None:
    """Fail unless each center is the mean of its points, or unchanged when it has none.

    ``only`` restricts the check to centers with points ("filled") or without ("empty").
    """
    for j, size, expected, got in centroid_errors(data, labels, before, after):
        if (only == "filled" and size == 0) or (only == "empty" and size > 0):
            continue
        # Expected: every center where the update phase puts it, comparable with returned.
        shown = {"data": data, "labels": labels, "centers": before, **inputs, "returned": after,
                 "expected": _updated_centers(data, labels, before)}
        if size == 0:
            fail(f"{phase}: center {j} has no point, so it must keep its position {expected.tolist()}; "
                 f"yours became {got.tolist()}", **shown)
        fail(f"{phase}: center {j} has {size} point{'s' if size > 1 else ''}, so it must move to their mean "
             f"{expected.tolist()}; yours is at {got.tolist()}", **shown)


def _updated_centers(data: np.ndarray, labels: np.ndarray, before: np.ndarray) -> np.ndarray:
    """Each center at the mean of its points, or where it was when it has none."""
    updated = np.array(before, dtype=float)
    for j in range(len(updated)):
        members = data[labels == j]
        if len(members):
            updated[j] = members.mean(axis=0)
    return updated


def kmeans_result(result: Any, data: np.ndarray, centers: np.ndarray, *, eps: float, max_iter: int,
                  strict: bool = False) -> tuple[np.ndarray, np.ndarray, int]:
    """Validate what ``kmeans`` returned: (centers, labels, n_iter); ``strict`` also demands exact dtypes."""
    inputs = {"data": data, "centers": centers, "eps": eps, "max_iter": max_iter}
    if not isinstance(result, (tuple, list)) or len(result) != 3:
        fail(f"kmeans returned {describe(result)}, expected a tuple (centers, labels, n_iter)", **inputs,
             returned=result)
    final = expect_array(result[0], "kmeans", shape=centers.shape, kind="float" if strict else "number",
                         inputs=inputs)
    labels = expect_array(result[1], "kmeans", shape=(len(data),), kind="integer" if strict else "index",
                          inputs=inputs)
    check_labels_range(labels, len(centers), "kmeans", **inputs)
    n_iter = expect_int(result[2], "kmeans", what="n_iter", inputs=inputs)
    return final, labels, n_iter


def call_kmeans(student: Student, data: np.ndarray, centers: np.ndarray, *, eps: float, max_iter: int,
                strict: bool = False) -> tuple[np.ndarray, np.ndarray, int]:
    """(centers, labels, n_iter) of ``kmeans``, validated by :func:`kmeans_result`."""
    result = student.call("kmeans", data, centers, eps=eps, max_iter=max_iter)
    return kmeans_result(result, data, centers, eps=eps, max_iter=max_iter, strict=strict)
