"""A plugin for any exercise whose functions return numbers or sequences of numbers (a loss curve, an error per
epoch, a score): ``plugin: grader.checklib.curves`` in ``config.yaml``, no plugin code to write.

It draws a failing check's counterexample: every ``returned*`` and ``expected*`` value that is a number or a
flat list of numbers (a curve), yours and the expected one on the same axes.  Non-finite values (``"nan"``,
``"inf"``, ``"-inf"`` in reports) are drawn as marks on the edge of the axes, labelled, rather than dropped or
breaking the picture; a counterexample with nothing numeric gets no figure.  It has no showcase.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Optional

from grader.plugin import ExercisePlugin, FigureText

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from grader.results import CheckResult

__all__ = ["CurvePlugin", "plugin", "numbers_of"]

_NON_FINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


def _number(value: Any) -> Optional[float]:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str) and value in _NON_FINITE:
        return _NON_FINITE[value]
    return None


def numbers_of(value: Any) -> Optional[list[float]]:
    """A report's value as a list of floats (one for a number), NaN and infinities included; ``None`` when it is
    not a number or a flat, non-empty list of numbers."""
    single = _number(value)
    if single is not None:
        return [single]
    if isinstance(value, list) and value:
        numbers = [_number(item) for item in value]
        if all(number is not None for number in numbers):
            return [float(number) for number in numbers if number is not None]
    return None


def _series(counterexample: dict[str, Any]) -> list[tuple[str, list[float]]]:
    return [(key, numbers) for key, value in counterexample.items()
            if key.startswith(("returned", "expected")) for numbers in [numbers_of(value)] if numbers is not None]


def _draw(ax: Axes, name: str, numbers: list[float]) -> None:
    label = "yours" if name.startswith("returned") else "expected"
    label += f" ({name.split('_', 1)[1]})" if "_" in name else ""
    steps = list(range(1, len(numbers) + 1))
    finite = [(step, y) for step, y in zip(steps, numbers) if math.isfinite(y)]
    style = "o-" if name.startswith("returned") else "s--"
    line = ax.plot([s for s, _ in finite], [y for _, y in finite], style, label=label)[0] if finite else None
    colour = line.get_color() if line is not None else None
    for step, y in zip(steps, numbers):
        if not math.isfinite(y):
            edge = 1.0 if y > 0 else 0.0 if y < 0 else 0.5
            word = "nan" if math.isnan(y) else "inf" if y > 0 else "-inf"
            ax.annotate(word, (step, edge), xycoords=("data", "axes fraction"), ha="center", va="center",
                        color=colour or "black", fontweight="bold")


class CurvePlugin(ExercisePlugin):
    """Draws the numbers and curves of counterexamples (see the module's docstring); subclass it to add a
    showcase."""

    def counterexample_figure(self, check: CheckResult) -> Optional[Figure]:
        counterexample = check.counterexample if isinstance(check.counterexample, dict) else {}
        series = _series(counterexample)
        if not series:
            return None
        from matplotlib.figure import Figure

        figure = Figure(figsize=(6, 4))
        ax = figure.add_subplot(1, 1, 1)
        for name, numbers in series:
            _draw(ax, name, numbers)
        longest = max(len(numbers) for _, numbers in series)
        ax.set(xlabel="position" if longest > 1 else "", title=check.id)
        ax.set_xlim(0.5, longest + 0.5)
        if longest == 1:  # single numbers: the position means nothing
            ax.set_xticks([])
        if ax.get_legend_handles_labels()[0]:
            ax.legend()
        figure.tight_layout()
        return figure

    def counterexample_text(self, check: CheckResult) -> FigureText:
        names = ", ".join(name for name, _ in _series(check.counterexample or {}))
        return FigureText(alt=f"the values of {check.id}: {names}, yours and expected; nan and inf marked")


plugin = CurvePlugin()
