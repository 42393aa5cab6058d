"""The report as Gradescope's ``results.json``.

Gradescope's autograder specification: top-level ``score``, ``execution_time``
(seconds) and ``output`` (shown to the student), and ``tests``, each with ``name``,
``score``, ``max_score``, ``status`` (``passed`` or ``failed``), ``output`` and
``visibility``.  Public checks are ``visible``; hidden checks are
``after_published``, so students see them only once the instructor publishes the
grades.  Nothing else is written: the keys are exactly these.
"""

from __future__ import annotations

import json
import math
from typing import Any

from grader.render._details import check_details, check_name, exercise_problem, summary_lines
from grader.results import Report

__all__ = ["render_gradescope", "render_gradescope_json", "PUBLIC", "HIDDEN"]

PUBLIC = "visible"
HIDDEN = "after_published"


def _test(name: str, score: float, max_score: float, passed: bool, output: str, visibility: str) -> dict[str, Any]:
    return {"name": name, "score": float(score), "max_score": float(max_score),
            "status": "passed" if passed else "failed", "output": output, "visibility": visibility}


def render_gradescope(report: Report) -> dict[str, Any]:
    """The report as the ``results.json`` object Gradescope reads."""
    tests = []
    for exercise in report.exercises:
        if exercise.status != "graded":
            tests.append(_test(f"{exercise.title}: the submission could not be graded", 0.0, exercise.max_score,
                               False, exercise_problem(exercise), PUBLIC))
        for check in exercise.checks:
            tests.append(_test(f"{exercise.title} — {check_name(check)}", check.points, check.max_points,
                               check.passed, check_details(check), HIDDEN if check.hidden else PUBLIC))
    output = "\n".join([*(f"note: {note}" for note in report.notes), *summary_lines(report)])
    if report.output:
        output += "\n\nOutput of your code:\n" + report.output
    return {
        "score": float(report.score),
        "execution_time": int(math.ceil(report.timing.get("total", 0.0))),
        "output": output,
        "tests": tests,
    }


def render_gradescope_json(report: Report) -> str:
    return json.dumps(render_gradescope(report), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
