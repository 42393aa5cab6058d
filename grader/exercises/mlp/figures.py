"""The MLP's pictures: the error curve of the student's training and the test set's confusion matrix."""

from __future__ import annotations

from typing import Any, Optional, Sequence

import numpy as np
from matplotlib.figure import Figure

from grader.exercises.perceptron.figures import array_of, draw_confusion

__all__ = ["course_figure"]


def course_figure(runs: Sequence[dict[str, Any]], *, figure: Optional[Figure] = None) -> Optional[Figure]:
    """For each run: its error curve and, when there is one, its confusion matrix."""
    panels: list[tuple[str, dict[str, Any], np.ndarray]] = []
    for run in runs:
        if not isinstance(run, dict):
            continue
        curve, cm = array_of(run.get("errors"), 1), array_of(run.get("confusion"), 2)
        if curve is not None:
            panels.append(("curve", run, curve))
        if cm is not None and cm.shape[0] == cm.shape[1] and not run.get("error"):
            panels.append(("confusion", run, cm))
    if not panels:
        return None
    figure = figure or Figure(figsize=(5 * len(panels), 4))
    for index, (kind, run, data) in enumerate(panels, start=1):
        ax = figure.add_subplot(1, len(panels), index)
        if kind == "curve":
            ax.plot(np.arange(1, len(data) + 1), data)
            ax.set(xlabel="epoch", ylabel="training error 1/2 sum (y - t)^2", title=f"{run.get('file')}: error curve")
        else:
            draw_confusion(ax, data, f"{run.get('file')}: confusion matrix (test set)")
    figure.tight_layout()
    return figure
