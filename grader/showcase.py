"""The student's own run on the course data, kept in the report for its pictures.

An exercise may name a *showcase* module in ``config.yaml``: its
``run(student, exercise, *, seed)`` calls the student's code through the
:class:`~grader.student.Student` interface (so in the sandbox by default) on the
exercise's data files and returns plain JSON data.  Renderers draw from that data
in the grader's process.  Nothing here may break grading: any failure becomes an
``error`` message in the returned record.
"""

from __future__ import annotations

import importlib
import json
from typing import Any, Optional

from grader.authoring import CheckFailed
from grader.config import ExerciseConfig
from grader.student import CallAborted, NotImplementedYet, Student, StudentRaised

__all__ = ["run_showcase", "describe_problem"]


def describe_problem(error: BaseException) -> str:
    """What went wrong in a call of student code, in one sentence."""
    if isinstance(error, CheckFailed):
        return error.message
    if isinstance(error, StudentRaised):
        return f"{error.call.function} raised {error.type_name}: {error.message}".rstrip(": ")
    if isinstance(error, NotImplementedYet):
        return f"{error.call.function} is not implemented yet"
    if isinstance(error, CallAborted):
        return error.verdict
    message = getattr(error, "message", None) or str(error)
    return f"{type(error).__name__}: {message}".rstrip(": ")


def run_showcase(exercise: ExerciseConfig, student: Student, *, seed: int) -> Optional[dict[str, Any]]:
    """Run ``exercise``'s showcase on ``student``; ``None`` when the exercise has none."""
    if not exercise.showcase:
        return None
    try:
        module = importlib.import_module(exercise.showcase)
        result = module.run(student, exercise, seed=seed)
        json.dumps(result, allow_nan=False)  # only plain, finite JSON data may enter a report
        if not isinstance(result, dict) or not isinstance(result.get("runs"), list):
            raise TypeError(f"{exercise.showcase}.run must return a dict with a list of runs")
    # NotImplementedYet and CallAborted are BaseExceptions: they must not escape either.
    except (Exception, NotImplementedYet, CallAborted) as error:
        return {"title": exercise.title, "runs": [], "error": f"the run on the course data failed: "
                                                              f"{describe_problem(error)}"}
    result.setdefault("error", "")
    return result
