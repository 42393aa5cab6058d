"""The student's own run on the course data, kept in the report for its pictures.

An exercise's plugin may have a *showcase* (see :class:`grader.plugin.ExercisePlugin`):
its ``run_showcase(student, exercise, *, seed)`` calls the student's code through the
:class:`~grader.student.Student` interface (so in the sandbox by default) on the
exercise's data files and returns plain JSON data in a documented envelope.
Renderers draw from that data in the grader's process.  Nothing here may break
grading: any failure becomes an ``error`` message in the returned record.
"""

from __future__ import annotations

import contextvars
import json
from typing import Any, Optional

from grader.authoring import CheckFailed
from grader.config import ExerciseConfig
from grader.plugin import ExercisePlugin, plugin_for
from grader.results import NOT_IMPLEMENTED_YET
from grader.student import CallAborted, NotImplementedYet, Student, StudentRaised
from grader.wire import WireError

__all__ = ["run_showcase", "describe_problem"]

#: The language of the submission whose showcase runs (set by :func:`run_showcase`), for :func:`describe_problem`.
_LANGUAGE: contextvars.ContextVar[str] = contextvars.ContextVar("showcase_language", default="python")


def describe_problem(error: BaseException) -> str:
    """What went wrong in a call of student code, in one sentence, in the terms of the submission's language."""
    if isinstance(error, CheckFailed):
        from grader.runner import in_language

        return str(in_language(error.message, _LANGUAGE.get()))
    if isinstance(error, StudentRaised):
        from grader.student._languages import runner_for

        try:
            runner = runner_for(_LANGUAGE.get())
        except ValueError:  # a language without a runner of its own: said as Python says it
            runner = runner_for("python")
        return runner.describe_raised(error.call.function, error.type_name, error.message)
    if isinstance(error, NotImplementedYet):
        return error.call.function + NOT_IMPLEMENTED_YET
    if isinstance(error, CallAborted):
        return error.verdict
    message = getattr(error, "message", None) or str(error)
    return f"{type(error).__name__}: {message}".rstrip(": ")


def run_showcase(exercise: ExerciseConfig, student: Student, *, seed: int,
                 plugin: Optional[ExercisePlugin] = None) -> Optional[dict[str, Any]]:
    """Run the showcase of ``exercise`` (of ``plugin``, default the exercise's) on ``student``; ``None`` when
    the exercise has none."""
    token = _LANGUAGE.set(exercise.language)
    try:
        return _showcase(exercise, student, seed=seed, plugin=plugin)
    finally:
        _LANGUAGE.reset(token)


def _showcase(exercise: ExerciseConfig, student: Student, *, seed: int,
              plugin: Optional[ExercisePlugin]) -> Optional[dict[str, Any]]:
    try:
        plugin = plugin if plugin is not None else plugin_for(exercise)
        if not plugin.has_showcase:
            return None
        result = plugin.run_showcase(student, exercise, seed=seed)
        if result is None:
            return None
        json.dumps(result, allow_nan=False)  # only plain, finite JSON data may enter a report
        if not isinstance(result, dict) or not isinstance(result.get("runs"), list):
            raise TypeError("the showcase must be a dict with a list of runs")
        if not all(isinstance(run, dict) and isinstance(run.get("file"), str) for run in result["runs"]):
            raise TypeError("each run of the showcase must be a dict with a 'file' name")
        for run in result["runs"]:
            run.setdefault("error", "")
        result.setdefault("title", exercise.title)
    # NotImplementedYet and CallAborted are BaseExceptions: they must not escape either.
    except (Exception, NotImplementedYet, CallAborted) as error:
        return {"title": exercise.title, "runs": [], "error": _failed_run(error)}
    result.setdefault("error", "")
    return result


def _failed_run(error: BaseException) -> str:
    """Why the run on the course data has nothing to show: the student's code (a call that raised, could not
    finish, or returned what the showcase could not use), or the showcase's own error, which is the exercise's."""
    if isinstance(error, (CheckFailed, StudentRaised, NotImplementedYet, CallAborted, WireError)):
        return f"the run on the course data failed: {describe_problem(error)}"
    from grader.runner import where_raised

    detail = str(error).strip().splitlines()
    said = f"{type(error).__name__}: {detail[0]}" if detail else type(error).__name__
    return (f"the run on the course data could not be shown: the exercise's showcase raised {said}"
            f"{where_raised(error)}, an error in the exercise, not in the student's code")
