"""The k-means pictures of a report: each failing check's counterexample, and the student's run on the course data.

A counterexample figure shows the smallest dataset found (1-D, 2-D or 3-D) twice:
the points coloured by the student's labels with the student's centers, and
coloured by the expected labels with the expected centers.  Figures are drawn in
the grader's process from the report's plain data; a figure that cannot be drawn
becomes a note, never an error of the report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional, Sequence

import numpy as np
from matplotlib.figure import Figure

from grader.exercises.kmeans.plots import draw_clustering

__all__ = ["counterexample_figure", "course_figure", "showcase_figure"]

_NON_FINITE = {"nan": np.nan, "inf": np.inf, "-inf": -np.inf}


# --- reading plain data back as arrays ------------------------------------------------------------------------


def _numeric(value: Any) -> Any:
    if isinstance(value, list):
        return [_numeric(item) for item in value]
    if isinstance(value, str) and value in _NON_FINITE:
        return _NON_FINITE[value]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError("not a number")
    return value


def _array(value: Any, ndim: int) -> Optional[np.ndarray]:
    """``value`` as a float array of ``ndim`` dimensions, or ``None`` when it is something else."""
    if not isinstance(value, list) or not value:
        return None
    try:
        array = np.array(_numeric(value), dtype=float)
    except (ValueError, TypeError):
        return None
    return array if array.ndim == ndim else None


def _as_labels(value: Any, n: int, base: int = 0) -> Optional[np.ndarray]:
    """``value`` as labels indexing the centers (counted from ``base`` in the report), or ``None``."""
    array = _array(value, 1)
    if array is None or len(array) != n or not np.isfinite(array).all() or not np.all(array == np.round(array)):
        return None
    return array.astype(int) - base


def _as_centers(value: Any, d: int) -> Optional[np.ndarray]:
    array = _array(value, 2)
    return array if array is not None and array.shape[1] == d else None


@dataclass(frozen=True)
class _Panel:
    title: str
    centers: Optional[np.ndarray]
    labels: Optional[np.ndarray]


def _result_parts(value: Any, n: int, d: int, base: int) -> tuple[Optional[np.ndarray], Optional[np.ndarray]]:
    """(centers, labels) found in a returned or expected value: labels, centers, or kmeans' (centers, labels, n)."""
    if isinstance(value, list) and len(value) == 3 and not all(isinstance(x, (int, float)) for x in value):
        centers, labels = _as_centers(value[0], d), _as_labels(value[1], n, base)
        if centers is not None or labels is not None:
            return centers, labels
    return _as_centers(value, d), _as_labels(value, n, base)


def _nothing(parts: tuple[Optional[np.ndarray], Optional[np.ndarray]]) -> bool:
    return all(part is None for part in parts)


def _panels(counterexample: dict[str, Any],
            base: int = 0) -> Optional[tuple[np.ndarray, Optional[np.ndarray], list[_Panel]]]:
    """(data, given centers, panels) of a counterexample, or ``None`` when it has no 1-3-D dataset.  Its labels
    are counted from ``base`` (the check's :attr:`~grader.results.CheckResult.index_base`), those of a call's
    ``args`` too (the binding declares update's labels as indices: see ``INDEX_ARGUMENTS``)."""
    found = counterexample.get("args")
    args: list[Any] = found if isinstance(found, list) else []
    data = _array(counterexample.get("data", args[0] if args else None), 2)
    if data is None or not 1 <= data.shape[1] <= 3 or not np.isfinite(data).all():
        return None
    n, d = data.shape
    others = [(counterexample.get("centers"), base), (counterexample.get("labels"), base)] + [
        (arg, base) for arg in args[1:]]
    given = next((c for c in (_as_centers(v, d) for v, _ in others) if c is not None), None)
    labels = next((l for l in (_as_labels(v, n, b) for v, b in others) if l is not None), None)
    returned = _result_parts(counterexample.get("returned"), n, d, base)
    expected = _result_parts(counterexample.get("expected"), n, d, base)
    if _nothing(returned) and _nothing(expected):
        return data, given, [_Panel("the example", given, labels)]
    panels = [_Panel("yours", returned[0] if returned[0] is not None else given,
                     returned[1] if returned[1] is not None else labels)]
    if not _nothing(expected):
        panels.append(_Panel("expected", expected[0] if expected[0] is not None else given,
                             expected[1] if expected[1] is not None else labels))
    return data, given, panels


# --- drawing --------------------------------------------------------------------------------------------------


def _nearest(points: np.ndarray, centers: np.ndarray) -> np.ndarray:
    squared = ((points[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2)
    squared[~np.isfinite(squared)] = np.inf
    labels = squared.argmin(axis=1)
    labels[~np.isfinite(squared.min(axis=1))] = -1  # no finite center: drawn grey
    return labels


def _coords(points: np.ndarray) -> list[np.ndarray]:
    """Plot coordinates of points as draw_clustering places them: 1-D points on the line y = 0."""
    d = points.shape[1]
    return [points[:, 0], points[:, 1] if d >= 2 else np.zeros(len(points))] + ([points[:, 2]] if d == 3 else [])


def _text(ax, three_d: bool, x: float, y: float, text: str, **style: Any) -> None:
    if three_d:
        ax.text2D(x, y, text, transform=ax.transAxes, **style)
    else:
        ax.text(x, y, text, transform=ax.transAxes, **style)


def _draw_panel(ax, data: np.ndarray, given: Optional[np.ndarray], panel: _Panel,
                highlight: Optional[np.ndarray] = None, base: int = 0) -> None:
    """One panel; its centers named as the student's language counts them (from ``base``)."""
    d = data.shape[1]
    three_d = d == 3
    centers = panel.centers
    if centers is None:
        centers = np.empty((0, d))
    labels = panel.labels
    if labels is None:
        labels = _nearest(data, centers) if len(centers) else np.full(len(data), -1)
    draw_clustering(ax, data, centers if len(centers) else np.zeros((1, d)) * np.nan, labels, title=panel.title)
    finite = np.isfinite(centers).all(axis=1) if len(centers) else np.zeros(0, dtype=bool)
    if given is not None and (panel.centers is None or given.shape != centers.shape
                              or not np.array_equal(given, centers, equal_nan=True)):
        shown = given[np.isfinite(given).all(axis=1)]
        if len(shown):
            ax.scatter(*_coords(shown), s=220, facecolors="none", edgecolors="grey", linewidths=1.5,
                       label="given centers")
            ax.legend(loc="lower right", fontsize="small")
    if highlight is not None and highlight.any():
        ax.scatter(*_coords(data[highlight]), s=90, facecolors="none", edgecolors="black", linewidths=1.2,
                   label="not the expected label")
        ax.legend(loc="lower right", fontsize="small")
    at: dict[tuple[float, ...], list[str]] = {}  # centers at the same place share one label: "0, 1"
    for j in np.flatnonzero(finite):
        at.setdefault(tuple(centers[j].tolist()), []).append(str(j + base))
    for position, names in at.items():
        ax.text(*(float(x[0]) for x in _coords(np.array([position]))), "  " + ", ".join(names), fontsize=9,
                fontweight="bold")
    if not finite.all():
        lost = ", ".join(f"center {j + base} = {centers[j].tolist()}" for j in np.flatnonzero(~finite)[:4])
        _text(ax, three_d, 0.02, 0.97, f"not drawn: {lost}", fontsize=8, color="red", va="top")


def counterexample_figure(counterexample: Optional[dict[str, Any]], index_base: int = 0) -> Optional[Figure]:
    """Side-by-side panels of a counterexample's dataset, or ``None`` when it has none in 1-D to 3-D; its labels
    counted from ``index_base`` (1 in a Fortran student's report)."""
    found = _panels(counterexample or {}, index_base)
    if found is None:
        return None
    data, given, panels = found
    three_d = data.shape[1] == 3
    figure = Figure(figsize=(4.6 * len(panels), 4.0))
    differ = None  # the points whose labels are not the expected ones, ringed in the student's panel
    if len(panels) == 2 and panels[0].labels is not None and panels[1].labels is not None:
        differ = panels[0].labels != panels[1].labels
    for index, panel in enumerate(panels, 1):
        ax = figure.add_subplot(1, len(panels), index, projection="3d" if three_d else None)
        _draw_panel(ax, data, given, panel, highlight=differ if index == 1 else None, base=index_base)
    figure.tight_layout()
    return figure


def _clustering(run: dict[str, Any]) -> Optional[tuple[np.ndarray, np.ndarray, Optional[np.ndarray]]]:
    """(points, centers, labels) of a run on a data file, or ``None`` when it gave no clustering."""
    points = _array(run.get("points"), 2)
    if points is None or run.get("error") or not 1 <= points.shape[1] <= 3:
        return None
    centers = _as_centers(run.get("centers"), points.shape[1])
    if centers is None:
        return None
    return points, centers, _as_labels(run.get("labels"), len(points))


def course_figure(runs: Sequence[dict[str, Any]], *, figure: Optional[Figure] = None) -> Optional[Figure]:
    """The course's picture of runs on data files, one panel each (3-D data in 3-D); ``None`` if none drew.

    ``figure`` (e.g. a pyplot figure, to show it in a window) is drawn on when given.
    """
    drawable = [(run, found) for run in runs if (found := _clustering(run)) is not None]
    if not drawable:
        return None
    figure = figure if figure is not None else Figure()
    figure.set_size_inches(5.5 * len(drawable), 5.0)
    for index, (run, (points, centers, labels)) in enumerate(drawable, 1):
        ax = figure.add_subplot(1, len(drawable), index, projection="3d" if points.shape[1] == 3 else None)
        title = f"{run.get('file', '')}: k = {len(centers)}, {run.get('n_iter')} iteration{'' if run.get('n_iter') == 1 else 's'}"
        draw_clustering(ax, points, centers, labels, title=title)
        if not np.isfinite(centers).all():
            _text(ax, points.shape[1] == 3, 0.02, 0.02, "some centers are not finite numbers: not drawn",
                  fontsize=8, color="red")
    figure.tight_layout()
    return figure


def showcase_figure(run: dict[str, Any]) -> Optional[Figure]:
    """The course's picture of one run on a data file, or ``None`` when the run gave no clustering."""
    return course_figure([run])
