"""Calling the student's k-means functions and validating what comes back.

Every helper fails the check with a message in the course's words when the value
has the wrong type or shape, so the properties only ever see clean arrays.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from grader.authoring import CheckFailed, describe, expect_array, expect_int, fail, index, indices
from grader.exercises.kmeans.geometry import (
    SINGLE_EPS,
    centroid_errors,
    misassigned,
)
from grader.precision import Rounding
from grader.student import Student


def call_assign(student: Student, data: np.ndarray, centers: np.ndarray, *, kind: str = "index") -> np.ndarray:
    """The labels of ``assign``; a value that is no such array is suspected to come from the check of its type
    (unless that is the calling check, ``kind="integer"``)."""
    labels = student.call("assign", data, centers)
    try:
        return expect_array(labels, "assign", shape=(len(data),), kind=kind, inputs={"data": data, "centers": centers})
    except CheckFailed as failure:
        suspects = () if kind == "integer" else ("assign.integer_array",)
        raise CheckFailed(failure.message, failure.counterexample, suspects) from None


#: What a C or Fortran binding's label arrays hold before the call (the smallest C int, less 1 in Fortran's
#: 1-based labels): a label still equal to one of them was never written.
UNSET_LABELS = (-(2**31), -(2**31) - 1)


def check_labels_range(labels: np.ndarray, k: int, function: str, *, suspects: tuple[str, ...] = (),
                       **inputs: Any) -> None:
    outside = np.flatnonzero((labels < 0) | (labels >= k))
    if len(outside):
        i = int(outside[0])
        unset = ""
        if labels[i] in UNSET_LABELS:
            unset = ("; that is the value the labels held before the call: your code never set the label of "
                     f"point {index(i)}")
        fail(f"{function}: label {index(labels[i])} of point {index(i)} is not the index of a center (there are "
             f"{k}, numbered {index(0)} to {index(k - 1)}){unset}", suspects=suspects, **inputs,
             returned=indices(labels))


#: Checks whose failure can break any step of the main loop: a phase that modifies what it is given or
#: returns the wrong type, a main loop that modifies its own data or whose iterations are wrong (then its
#: final state is wrong as a consequence).
GENERAL_SUSPECTS = ("update.inputs_untouched", "assign.inputs_untouched", "assign.integer_array",
                    "update.float_array", "kmeans.inputs_untouched", "kmeans.lloyd_iterations")
#: Checks that own the association and update properties, suspected first when the main loop breaks them.
ASSIGN_SUSPECTS = ("assign.nearest_center",) + GENERAL_SUSPECTS
UPDATE_SUSPECTS = {"filled": ("update.centroids",) + GENERAL_SUSPECTS,
                   "empty": ("update.empty_cluster_keeps_center",) + GENERAL_SUSPECTS}
#: Centers that are not finite numbers come from an update phase (0/0 for a center without points).
NONFINITE_SUSPECTS = ("update.empty_cluster_keeps_center", "update.centroids")
#: The main loop's own result check, suspected when what kmeans returned is not (centers, labels, n_iter).
RESULT_SUSPECTS = ("kmeans.result_types",)


def check_nearest(data: np.ndarray, centers: np.ndarray, labels: np.ndarray, *, phase: str,
                  rounding: Optional[Rounding] = None, slack: float = 0.0, lead: str = "",
                  shown: Optional[dict[str, Any]] = None, main_loop: bool = False, owner: bool = True,
                  **inputs: Any) -> None:
    """Fail unless every point is associated with a nearest center (ties either way).

    ``rounding``: the precision policy (double only by default).  ``lead`` starts the
    message, as in "kmeans stopped after 3 iterations, yet in " + ``phase``; ``shown`` replaces the default display of the inputs (data, centers and
    ``inputs``) and ``returned``/``expected`` are then named after the labels shown
    (e.g. "labels after iteration 2").  ``main_loop``: the labels come from the main
    loop, so a failure is suspected to come from the association phase.  ``owner=False``: the calling check
    owns another property of ``assign`` (its type, its inputs left unchanged) and only requires nearest
    centers, so a failure is suspected to come from the check of nearest centers.
    """
    rounding = rounding or Rounding()
    suspects: tuple[str, ...] = () if owner else ("assign.nearest_center",)
    if main_loop:
        suspects = ASSIGN_SUSPECTS if np.isfinite(centers).all() else NONFINITE_SUSPECTS + ASSIGN_SUSPECTS
    display = shown if shown is not None else {"data": data, "centers": centers, **inputs}
    name = display.get("_labels_name", "")
    display = {key: value for key, value in display.items() if not key.startswith("_")}
    check_labels_range(labels, len(centers), phase, suspects=suspects, **display)
    wrong = misassigned(data, centers, labels, slack=slack)
    if not wrong:
        return
    coarse = misassigned(data, centers, labels, slack=slack, unit=SINGLE_EPS)
    explanation = ""
    if coarse:
        wrong = coarse
    elif rounding.accept_single():
        return
    else:
        _, _, _, d_label, d_best = wrong[0]
        explanation = "; " + Rounding.explain("the squared distances differ", d_label - d_best, d_best)
    i, label, best, d_label, d_best = wrong[0]
    # Expected: the student's labels with each wrong one moved to a nearest center, comparable with returned.
    expected = labels.copy()
    for point, _, nearest, _, _ in wrong:
        expected[point] = nearest
    results = {f"returned_{name}" if name else "returned": indices(labels),
               f"expected_{name}" if name else "expected": indices(expected)}
    fail(f"{lead}{phase}{', ' if lead else ': '}point {index(i)} was associated with center {index(label)} at squared "
         f"distance {d_label:.6g}, but center {index(best)} is nearer (squared distance {d_best:.6g}){explanation}", suspects=suspects,
         **display, **results)


def call_update(student: Student, data: np.ndarray, labels: np.ndarray, centers: np.ndarray, *,
                kind: str = "number", rounding: Optional[Rounding] = None) -> np.ndarray:
    """The new centers of ``update``; with ``kind="float"`` also a float dtype the precision policy accepts."""
    result = student.call("update", data, labels, centers)
    inputs = {"data": data, "labels": indices(labels), "centers": centers}
    try:
        array = expect_array(result, "update", shape=centers.shape, kind=kind, inputs=inputs)
    except CheckFailed as failure:  # suspected to come from the check of its type, unless that is the caller
        raise CheckFailed(failure.message, failure.counterexample,
                          () if kind == "float" else ("update.float_array",)) from None
    if kind == "float":
        check_float_precision(result, "update", rounding or Rounding(), inputs)
    return array


def check_float_precision(value: Any, function: str, rounding: Rounding, inputs: dict[str, Any]) -> None:
    """Fail unless a float array's dtype is as precise as the policy requires: float64, or float32 when single
    precision is accepted (then noted once)."""
    if not isinstance(value, np.ndarray) or value.dtype.kind != "f" or value.dtype.itemsize >= 8:
        return
    if value.dtype.itemsize == 4 and rounding.accept_single():
        return
    required = "float64 or float32" if rounding.single else "float64: this exercise requires double precision"
    fail(f"{function} returned a {value.dtype} array; its dtype must be {required}", **inputs, returned=value)


def check_centroids(data: np.ndarray, labels: np.ndarray, before: np.ndarray, after: np.ndarray, *,
                    phase: str, only: str = "all", rounding: Optional[Rounding] = None, lead: str = "",
                    shown: Optional[dict[str, Any]] = None, main_loop: bool = False, owns: str = "all",
                    **inputs: Any) -> None:
    """Fail unless each center is the mean of its points, or unchanged when it has none.

    ``only`` restricts the check to centers with points ("filled") or without ("empty").
    ``rounding``, ``lead``, ``shown`` and ``main_loop`` as for :func:`check_nearest`
    (``shown`` names the centers with ``_centers_name``).  ``owns``: which centers' property the calling
    check owns ("all", "filled", "empty" or "none", for a check of types or of inputs left unchanged); a wrong
    center of another kind is suspected to come from the check that owns it.
    """
    rounding = rounding or Rounding()

    def selected(errors: list[Any]) -> list[Any]:
        return [error for error in errors if not ((only == "filled" and error[1] == 0) or
                                                  (only == "empty" and error[1] > 0))]

    wrong = selected(centroid_errors(data, labels, before, after))
    if not wrong:
        return
    coarse = selected(centroid_errors(data, labels, before, after, unit=SINGLE_EPS))
    explanation = ""
    if coarse:
        wrong = coarse
    elif rounding.accept_single():
        return
    j, size, expected, got = wrong[0]
    if not coarse:
        difference = float(np.max(np.abs(got - expected)))
        what = "it differs from the mean" if size else "it differs from that position"
        explanation = ": " + Rounding.explain(what, difference, float(np.max(np.abs(expected))))
    # Expected: every center where the update phase puts it, comparable with returned.
    name = (shown or {}).get("_centers_name", "")
    display = shown if shown is not None else {"data": data, "labels": indices(labels), "centers": before, **inputs}
    display = {key: value for key, value in display.items() if not key.startswith("_")}
    display[f"returned_{name}" if name else "returned"] = after
    display[f"expected_{name}" if name else "expected"] = _updated_centers(data, labels, before)
    kind = "empty" if size == 0 else "filled"
    suspects = UPDATE_SUSPECTS[kind] if main_loop else () if owns in ("all", kind) else UPDATE_SUSPECTS[kind][:1]
    if size == 0:
        fail(f"{lead}{phase}{', ' if lead else ': '}center {index(j)} has no point, so it must keep its position {expected.tolist()}; "
             f"yours became {got.tolist()}{explanation}", suspects=suspects, **display)
    fail(f"{lead}{phase}{', ' if lead else ': '}center {index(j)} has {size} point{'s' if size > 1 else ''}, so it must move to their mean "
         f"{expected.tolist()}; yours is at {got.tolist()}{explanation}", suspects=suspects, **display)


def _updated_centers(data: np.ndarray, labels: np.ndarray, before: np.ndarray) -> np.ndarray:
    """Each center at the mean of its points, or where it was when it has none."""
    updated = np.array(before, dtype=float)
    for j in range(len(updated)):
        members = data[labels == j]
        if len(members):
            updated[j] = members.mean(axis=0)
    return updated


def kmeans_result(result: Any, data: np.ndarray, centers: np.ndarray, *, eps: float, max_iter: int,
                  strict: bool = False, rounding: Optional[Rounding] = None) -> tuple[np.ndarray, np.ndarray, int]:
    """Validate what ``kmeans`` returned: (centers, labels, n_iter); ``strict`` also demands exact dtypes
    (float centers as precise as the ``rounding`` policy requires, integer labels)."""
    inputs = {"data": data, "centers": centers, "eps": eps, "max_iter": max_iter}
    if not isinstance(result, (tuple, list)) or len(result) != 3:
        fail(f"kmeans returned {describe(result, whole=True)}, expected a tuple (centers, labels, n_iter)", **inputs,
             returned=result, suspects=RESULT_SUSPECTS)
    try:
        final = expect_array(result[0], "kmeans", shape=centers.shape, kind="float" if strict else "number",
                             inputs=inputs)
        if strict:
            check_float_precision(result[0], "kmeans", rounding or Rounding(), inputs)
    except CheckFailed as failure:
        # The centers come from the student's update phase.
        raise CheckFailed(failure.message, failure.counterexample, ("update.float_array",) + RESULT_SUSPECTS) from None
    try:
        labels = expect_array(result[1], "kmeans", shape=(len(data),), kind="integer" if strict else "index",
                              inputs=inputs)
        n_iter = expect_int(result[2], "kmeans", what="n_iter", inputs=inputs)
    except CheckFailed as failure:
        # The labels come from the student's association phase.
        raise CheckFailed(failure.message, failure.counterexample, ("assign.integer_array",) + RESULT_SUSPECTS) from None
    check_labels_range(labels, len(centers), "kmeans", suspects=ASSIGN_SUSPECTS, **inputs)
    return final, labels, n_iter


def call_kmeans(student: Student, data: np.ndarray, centers: np.ndarray, *, eps: float, max_iter: int,
                strict: bool = False, rounding: Optional[Rounding] = None) -> tuple[np.ndarray, np.ndarray, int]:
    """(centers, labels, n_iter) of ``kmeans``, validated by :func:`kmeans_result`."""
    result = student.call("kmeans", data, centers, eps=eps, max_iter=max_iter)
    return kmeans_result(result, data, centers, eps=eps, max_iter=max_iter, strict=strict, rounding=rounding)
