"""The student's k-means on the course's data files, as the course's own program runs it.

For each data file: ``init_centers(points, 4, rng)`` with a generator seeded by the
course's seed, then ``kmeans(points, centers, eps=1e-3, max_iter=100)``.  The
results (or what went wrong) are plain data for the reports' course-style figures.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from grader.authoring import CheckFailed, expect_array, plain
from grader.config import ExerciseConfig
from grader.exercises.kmeans.coursefile import CourseFileError, read_points
from grader.exercises.kmeans.calls import kmeans_result
from grader.showcase import describe_problem
from grader.student import CallAborted, NotImplementedYet, Student, StudentRaised
from grader.wire import Rng

__all__ = ["K", "EPS", "MAX_ITER", "run"]

#: The course's program fixes k = 4 for both files, and stops at move <= 1e-3 or after about 100 iterations.
K = 4
EPS = 1e-3
MAX_ITER = 100

_STUDENT_PROBLEMS = (CheckFailed, StudentRaised, NotImplementedYet, CallAborted)


def _start(student: Student, points: np.ndarray, k: int, seed: int) -> tuple[np.ndarray, str]:
    """The student's initial centers or, when init_centers fails, k distinct points picked by the grader."""
    try:
        centers = expect_array(student.call("init_centers", points, k, Rng(seed)), "init_centers",
                               shape=(k, points.shape[1]), kind="number")
        if np.isfinite(centers).all():
            return centers, ""
        problem = "init_centers returned centers that are not finite numbers"
    except _STUDENT_PROBLEMS as error:
        problem = describe_problem(error)
    # The main loop can still be shown: start it from points the grader picks with the same seed.
    picks = np.random.default_rng(seed).choice(len(points), size=k, replace=False)
    return points[picks].copy(), f"{problem}; kmeans started from {k} data points picked by the grader"


def _run_file(student: Student, path: Path, seed: int) -> dict[str, Any]:
    entry: dict[str, Any] = {"file": path.name, "points": None, "k": K, "centers": None, "labels": None,
                             "n_iter": None, "note": "", "error": ""}
    try:
        points = read_points(path)
    except (OSError, CourseFileError) as error:
        entry["error"] = f"cannot read the course file: {error}"
        return entry
    k = min(K, len(points))
    entry.update(points=plain(points), k=k)
    start, entry["note"] = _start(student, points, k, seed)
    try:
        result = student.call("kmeans", points, start, eps=EPS, max_iter=MAX_ITER)
        centers, labels, n_iter = kmeans_result(result, points, start, eps=EPS, max_iter=MAX_ITER)
    except _STUDENT_PROBLEMS as error:
        entry["error"] = describe_problem(error)
        return entry
    entry.update(centers=plain(centers), labels=plain(labels), n_iter=n_iter)
    return entry


def run(student: Student, exercise: ExerciseConfig, *, seed: int) -> dict[str, Any]:
    """The student's k-means on each of the exercise's data files."""
    return {"title": f"your k-means on the course data (k = {K})",
            "runs": [_run_file(student, Path(path), seed) for path in exercise.data]}
