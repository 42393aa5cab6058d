"""The perceptron's pictures: decision boundaries of 2-D counterexamples and of the OR gate, confusion matrices.

Drawn in the grader's process from a report's plain data only; anything that is
not what a correct report holds gives no figure rather than a guess.
"""

from __future__ import annotations

from typing import Any, Optional, Sequence

import numpy as np
from matplotlib.figure import Figure

__all__ = ["array_of", "counterexample_figure", "course_figure", "draw_boundaries", "draw_confusion"]

_NON_FINITE = {"nan": np.nan, "inf": np.inf, "-inf": -np.inf}


def array_of(value: Any, ndim: int) -> Optional[np.ndarray]:
    """``value`` (plain report data) as a finite float array of ``ndim`` dimensions, or ``None``."""
    def numeric(item: Any) -> Any:
        if isinstance(item, list):
            return [numeric(inner) for inner in item]
        if isinstance(item, str) and item in _NON_FINITE:
            return _NON_FINITE[item]
        if isinstance(item, bool) or not isinstance(item, (int, float)):
            raise ValueError("not a number")
        return item

    if not isinstance(value, list) or not value:
        return None
    try:
        array = np.array(numeric(value), dtype=float)
    except (ValueError, TypeError):
        return None
    return array if array.ndim == ndim and np.isfinite(array).all() else None


def draw_boundaries(ax, points: np.ndarray, colours: Optional[np.ndarray], weights: Sequence[tuple[str, np.ndarray, str]],
                    wrong: Optional[np.ndarray] = None) -> None:
    """2-D points coloured by class, and the line w0 x0 + w1 x1 - w2 = 0 of each output of each weight matrix."""
    ax.scatter(points[:, 0], points[:, 1], c=colours if colours is not None else "grey", cmap="coolwarm",
               vmin=0, vmax=1, s=60, edgecolors="k", zorder=3)
    if wrong is not None and wrong.any():
        ax.scatter(points[wrong, 0], points[wrong, 1], marker="x", c="k", s=140, zorder=4, label="wrong output")
    low, high = points.min(axis=0) - 1, points.max(axis=0) + 1
    grid = np.linspace(low[0], high[0], 2)
    for label, w, style in weights:
        for column in range(w.shape[1]):
            a, b, c = w[:, column]
            name = label if w.shape[1] == 1 else f"{label}, output {column}"
            if b != 0:
                ax.plot(grid, (c - a * grid) / b, style, label=name)
            elif a != 0:
                ax.axvline(c / a, linestyle=style[-1:] if style[-1:] in "-:" else "-", color=style[0], label=name)
    ax.set(xlim=(low[0], high[0]), ylim=(low[1], high[1]), xlabel="input 0", ylabel="input 1")
    # A weight vector of zeros draws no line: a legend of nothing would only warn.
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize="small", loc="best")


def _weights(counterexample: dict[str, Any], outputs: bool) -> list[tuple[str, np.ndarray, str]]:
    keys = [("w", "w given", "k-"), ("w0", "initial w", "k:"), ("separating_w", "a separating w", "b:")]
    if not outputs:
        keys += [("returned", "yours", "r-"), ("expected", "expected", "g--")]
    found = []
    for key, label, style in keys:
        array = array_of(counterexample.get(key), 2)
        if array is not None and array.shape[0] == 3:
            found.append((label, array, style))
    return found


def counterexample_figure(counterexample: Optional[dict[str, Any]], function: str) -> Optional[Figure]:
    """A 2-D counterexample (samples with 2 inputs and the bias): its points and decision boundaries.

    For ``forward``, ``returned`` and ``expected`` are outputs (wrong ones are crossed); for the other
    functions they are weights (drawn as boundaries).
    """
    if not isinstance(counterexample, dict):
        return None
    x = array_of(counterexample.get("x"), 2)
    if x is None or x.shape[1] != 3:
        return None
    points = x[:, :2]
    colours = None
    outputs = function == "forward"
    for key in ("t", "expected") if outputs else ("t",):
        target = array_of(counterexample.get(key), 2)
        if target is not None and target.shape[0] == len(x):
            colours = target[:, 0]
            break
    wrong = None
    returned, expected = array_of(counterexample.get("returned"), 2), array_of(counterexample.get("expected"), 2)
    if (outputs and returned is not None and expected is not None and returned.shape == expected.shape
            and len(returned) == len(x)):
        wrong = np.any(returned != expected, axis=1)
    weights = _weights(counterexample, outputs)
    if not weights and wrong is None:
        return None
    figure = Figure(figsize=(5, 4.5))
    ax = figure.add_subplot()
    draw_boundaries(ax, points, colours, weights, wrong)
    ax.set_title("the counterexample: samples and decision boundaries")
    return figure


def draw_confusion(ax, cm: np.ndarray, title: str) -> None:
    ax.imshow(cm, cmap="Blues")
    for (i, j), value in np.ndenumerate(cm):
        ax.text(j, i, int(value), ha="center", va="center")
    ax.set(xlabel="target class", ylabel="predicted class", title=title, xticks=range(len(cm)),
           yticks=range(len(cm)))


def course_figure(runs: Sequence[dict[str, Any]], *, figure: Optional[Figure] = None) -> Optional[Figure]:
    """Each run drawn: the OR gate with the student's decision boundary, iris as its confusion matrix."""
    boundaries: list[tuple[int, dict[str, Any], np.ndarray, Optional[np.ndarray], np.ndarray]] = []
    confusions: list[tuple[int, dict[str, Any], np.ndarray]] = []
    for position, run in enumerate(runs):
        if not isinstance(run, dict) or run.get("error"):
            continue
        x, t, w = array_of(run.get("x"), 2), array_of(run.get("t"), 1), array_of(run.get("w"), 2)
        cm = array_of(run.get("confusion"), 2)
        if x is not None and w is not None and w.shape[0] == 3 and x.shape[1] == 2:
            boundaries.append((position, run, x, t, w))
        elif cm is not None and cm.shape[0] == cm.shape[1]:
            confusions.append((position, run, cm))
    count = len(boundaries) + len(confusions)
    if not count:
        return None
    figure = figure or Figure(figsize=(5 * count, 4.5))
    axes = {position: figure.add_subplot(1, count, index)
            for index, position in enumerate(sorted([b[0] for b in boundaries] + [c[0] for c in confusions]), start=1)}
    for position, run, x, t, w in boundaries:
        colours = t if t is not None and len(t) == len(x) else None
        draw_boundaries(axes[position], x, colours, [("your decision boundary", w, "k-")])
        axes[position].set_title(f"{run.get('file')}: your decision boundary")
    for position, run, cm in confusions:
        draw_confusion(axes[position], cm, f"{run.get('file')}: confusion matrix (training set)")
    return figure
