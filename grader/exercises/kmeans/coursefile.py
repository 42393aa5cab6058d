"""Read and write the course's data files.

The course stores points *dimension-major*: the first line is ``ndim npoints``,
then line ``i`` holds the ``i``-th coordinate of every point.  Output files hold
one center per line after a ``ndim k`` header.  Inside the grader and in the
exercise contract, points are rows: arrays of shape ``(n_points, n_dims)``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Union

import numpy as np

from grader import _atomic
PathLike = Union[str, "os.PathLike[str]"]

__all__ = ["CourseFileError", "read_points", "write_points", "read_centers", "write_centers"]


class CourseFileError(ValueError):
    """A file does not follow the course format; the message says where."""


def _header(line: str, path: PathLike, what: str) -> tuple[int, int]:
    fields = line.split()
    if len(fields) != 2 or not all(f.isdigit() for f in fields):
        raise CourseFileError(
            f"{os.fspath(path)}: the first line must be '{what}' (two whole numbers), found {line.strip()!r}"
        )
    return int(fields[0]), int(fields[1])


def _rows(lines: list[str], path: PathLike, expected_rows: int, expected_cols: int) -> np.ndarray:
    body = [line for line in lines if line.strip()]
    if len(body) != expected_rows:
        raise CourseFileError(
            f"{os.fspath(path)}: expected {expected_rows} lines of values after the header, found {len(body)}"
        )
    rows = []
    for number, line in enumerate(body, start=2):
        try:
            values = [float(v) for v in line.split()]
        except ValueError as error:
            raise CourseFileError(f"{os.fspath(path)}, line {number}: {error}") from None
        if len(values) != expected_cols:
            raise CourseFileError(
                f"{os.fspath(path)}, line {number}: expected {expected_cols} values, found {len(values)}"
            )
        rows.append(values)
    return np.array(rows, dtype=float).reshape(expected_rows, expected_cols)


def read_points(path: PathLike) -> np.ndarray:
    """Read a course input file; returns the points as rows, shape ``(n_points, n_dims)``."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    if not lines:
        raise CourseFileError(f"{os.fspath(path)}: the file is empty")
    ndim, npoints = _header(lines[0], path, "ndim npoints")
    return _rows(lines[1:], path, ndim, npoints).T.copy()


def write_points(path: PathLike, points: np.ndarray) -> None:
    """Write points given as rows, in the course's dimension-major input format."""
    points = np.asarray(points, dtype=float)
    if points.ndim != 2:
        raise ValueError(f"points must be a 2-D array (n_points, n_dims), got shape {points.shape}")
    npoints, ndim = points.shape
    lines = [f"{ndim} {npoints}"]
    lines += [" ".join(repr(float(v)) for v in coordinate) for coordinate in points.T]
    _atomic.write_text(path, "\n".join(lines) + "\n")


def read_centers(path: PathLike) -> np.ndarray:
    """Read a course output file; returns the centers as rows, shape ``(k, n_dims)``."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    if not lines:
        raise CourseFileError(f"{os.fspath(path)}: the file is empty")
    ndim, k = _header(lines[0], path, "ndim k")
    return _rows(lines[1:], path, k, ndim)


def write_centers(path: PathLike, centers: np.ndarray) -> None:
    """Write centers (rows) in the course's output format, one center per line."""
    centers = np.asarray(centers, dtype=float)
    if centers.ndim != 2:
        raise ValueError(f"centers must be a 2-D array (k, n_dims), got shape {centers.shape}")
    k, ndim = centers.shape
    lines = [f"{ndim} {k}"] + [" ".join(f"{v:.18e}" for v in center) for center in centers]
    _atomic.write_text(path, "\n".join(lines) + "\n")
