"""Pictures of a report: each failing check's counterexample, and the student's run on the course data.

The core draws nothing itself: each exercise's plugin (see :mod:`grader.plugin`)
draws its own figures from the report's plain data, in the grader's process.
A figure that cannot be drawn becomes a note, never an error of the report.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional, Sequence

from grader.plugin import DEFAULT_PLUGIN, ExercisePlugin, load_plugin
from grader.results import CheckResult, ExerciseResult, Report

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["Image", "ReportFigures", "report_figures", "to_png", "MAX_FIGURES"]

#: More figures than this in one report would only make it heavy; the rest are left out with a note.
MAX_FIGURES = 40


@dataclass(frozen=True)
class Image:
    """A rendered figure: ``name`` is its file name in a report folder."""

    name: str
    png: bytes = field(repr=False)
    alt: str
    caption: str = ""


@dataclass(frozen=True)
class ReportFigures:
    """The figures of one report, by (exercise id, check id) and (exercise id, showcase run's name)."""

    checks: dict[tuple[str, str], Image] = field(default_factory=dict)
    showcase: dict[tuple[str, str], Image] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


def to_png(figure: Figure, *, dpi: int = 80) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def _file_name(*parts: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", "-".join(parts)) + ".png"


def _failing(report: Report) -> Sequence[tuple[ExerciseResult, CheckResult]]:
    return [(exercise, check) for exercise in report.exercises for check in exercise.checks
            if not check.passed and check.counterexample]


def report_figures(report: Report, *, dpi: int = 80) -> ReportFigures:
    """Every figure of ``report``, drawn by the plugins of its exercises; drawing errors become notes."""
    checks: dict[tuple[str, str], Image] = {}
    showcase: dict[tuple[str, str], Image] = {}
    notes: list[str] = []
    plugins: dict[str, ExercisePlugin] = {}

    def plugin_of(exercise: ExerciseResult) -> ExercisePlugin:
        """The exercise's plugin; when it cannot be loaded, the default one (no figures) and a note."""
        if exercise.id not in plugins:
            try:
                plugins[exercise.id] = load_plugin(exercise.plugin) if exercise.plugin else DEFAULT_PLUGIN
            except Exception as error:
                notes.append(f"the figures of {exercise.id} are left out: {error}")
                plugins[exercise.id] = DEFAULT_PLUGIN
        return plugins[exercise.id]

    def attempt(what: str, draw) -> Optional[bytes]:
        if len(checks) + len(showcase) >= MAX_FIGURES:
            notes.append(f"figure of {what} left out: a report holds at most {MAX_FIGURES} figures")
            return None
        try:
            figure = draw()
            return None if figure is None else to_png(figure, dpi=dpi)
        except Exception as error:  # a figure must never cost the student their report
            notes.append(f"figure of {what} could not be drawn ({type(error).__name__}: {error})")
            return None

    for exercise, check in _failing(report):
        plugin = plugin_of(exercise)
        png = attempt(f"check {check.id}", lambda: plugin.counterexample_figure(check))  # noqa: B023 (called at once)
        if png is not None:
            text = plugin.counterexample_text(check)
            checks[(exercise.id, check.id)] = Image(_file_name(exercise.id, check.id), png, alt=text.alt,
                                                    caption=text.caption)
    for exercise in report.exercises:
        plugin = plugin_of(exercise)
        for run in (exercise.showcase or {}).get("runs", []):
            if not isinstance(run, dict):
                continue
            name = str(run.get("file", ""))
            png = attempt(f"the run on {name}", lambda: plugin.showcase_figure([run]))  # noqa: B023 (called at once)
            if png is not None:
                text = plugin.showcase_text(run)
                showcase[(exercise.id, name)] = Image(_file_name(exercise.id, "course", name), png, alt=text.alt,
                                                      caption=text.caption)
    return ReportFigures(checks=checks, showcase=showcase, notes=tuple(notes))
