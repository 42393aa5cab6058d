"""``grader show``: the student's code on the course data, drawn like the course's visualisation script.

The student's code runs through the same exercise *showcase* as the reports
(see :mod:`grader.showcase`), so in the sandbox by default; the exercise's plugin
(see :mod:`grader.plugin`) says what happened and draws the figure, in the
grader's process.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Sequence

from grader import _atomic
from grader.config import CourseConfig
from grader.errors import UsageError
from grader.grade._source import readable, scratch_folder
from grader.plugin import DEFAULT_PLUGIN, ExercisePlugin, plugin_for
from grader.showcase import run_showcase
from grader.student import StudentLoadError, open_student

__all__ = ["CourseRun", "run_on_course_data", "summary_lines", "require_window", "save_or_show"]


@dataclass(frozen=True)
class CourseRun:
    """What :func:`run_on_course_data` found: the showcase data, the code's output, or why it could not load;
    ``plugin`` describes and draws it."""

    showcase: dict[str, Any]
    output: str = ""
    load_error: str = ""
    plugin: ExercisePlugin = DEFAULT_PLUGIN

    @property
    def ok(self) -> bool:
        runs = self.showcase.get("runs", [])
        return not self.load_error and not self.showcase.get("error") and bool(runs) and not any(
            run.get("error") for run in runs)


def _select(files: Sequence[Path], wanted: Sequence[str]) -> tuple[Path, ...]:
    if not wanted:
        return tuple(files)
    chosen = tuple(path for path in files if any(text in path.name for text in wanted))
    if not chosen:
        names = ", ".join(path.name for path in files) or "none"
        raise UsageError(f"no data file of this exercise matches {', '.join(wanted)} (its files: {names})")
    return chosen


def run_on_course_data(config: CourseConfig, exercise_id: str, module_path: Path, *, data: Sequence[str] = (),
                       sandbox: bool = True, language: Optional[str] = None) -> CourseRun:
    """Run the student's module at ``module_path`` on the exercise's data files (those whose name contains one
    of ``data``, default all)."""
    exercise = config.exercise(exercise_id)
    plugin = plugin_for(exercise)
    if not plugin.has_showcase:
        raise UsageError(f"exercise {exercise_id!r} has no run on the course data: its plugin (under "
                         f"exercises.{exercise_id}.plugin in {config.path.name}) has no showcase")
    exercise = exercise.for_language(language or exercise.language_of(Path(module_path)))
    exercise = dataclasses.replace(exercise, data=_select(exercise.data, data))
    with scratch_folder() as converted:
        # Read as grader check reads it: a file not saved as UTF-8 is run as its converted copy.
        module_path, _ = readable(Path(module_path), converted)
        try:
            student = open_student(module_path, exercise, config.limits, sandbox=sandbox)
        except StudentLoadError as error:
            message = error.message + (f"\n{error.details}" if error.details else "")
            return CourseRun(showcase={"runs": [], "error": ""}, load_error=message, plugin=plugin)
        try:
            showcase = run_showcase(exercise, student, seed=config.seed, plugin=plugin) or {"runs": [], "error": ""}
            return CourseRun(showcase=showcase, output=student.output(), plugin=plugin)
        finally:
            student.close()


def summary_lines(result: CourseRun) -> list[str]:
    """What the student's code did on the course data, in the exercise's words (one line per run)."""
    if result.load_error:
        return [f"your code could not be loaded: {result.load_error}"]
    return result.plugin.summary_lines(result.showcase)


def window_available() -> bool:
    """Whether matplotlib can open a window here (a display, an interactive backend)."""
    import matplotlib

    return matplotlib.get_backend().lower() not in {"agg", "cairo", "pdf", "pgf", "ps", "svg", "template"}


def require_window() -> None:
    """Raise a :class:`UsageError` unless matplotlib can open a window here."""
    if not window_available():
        raise UsageError("no window can be opened here: save the figure with --output FILE.png")


def save_or_show(result: CourseRun, output: Optional[Path]) -> Optional[Path]:
    """Draw the runs; save them to ``output`` (format from its extension) or open a window when ``None``."""
    runs = result.showcase.get("runs", [])
    if output is not None:
        figure = result.plugin.showcase_figure(runs)
        if figure is None:
            return None
        try:
            _atomic.save_figure(output, figure, dpi=100)
        except ValueError as error:  # an extension matplotlib cannot write
            raise UsageError(f"cannot save {output}: {error}; use .png, .svg or .pdf") from None
        return output
    require_window()
    import matplotlib.pyplot as plt

    figure = plt.figure()
    if result.plugin.showcase_figure(runs, figure=figure) is not None:
        plt.show()
    return None
