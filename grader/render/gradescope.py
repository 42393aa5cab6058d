"""The report as Gradescope's ``results.json``.

Gradescope's autograder specification: top-level ``score``, ``execution_time``
(seconds) and ``output`` (shown to the student), and ``tests``, each with ``name``,
``score``, ``max_score``, ``status`` (``passed`` or ``failed``), ``output`` and
``visibility``.  Public checks are ``visible``; hidden checks are
``after_published``, so students see them only once the instructor publishes the
grades.  Nothing else is written: the keys are exactly these.

Invariant: what a student reads at once — the top-level ``output`` and the visible tests —
speaks of the public checks only (their points and totals), so that no hidden check's
result can be worked out before the grades are published; the top-level ``score`` stays
the full total, public and hidden, which is what Gradescope's gradebook records.  What the
code printed goes in the top-level ``output`` only when no hidden check ran; otherwise it is
a test of no points published with the hidden checks (it may show their inputs).
"""

from __future__ import annotations

import json
import math
from typing import Any

from grader.render._details import check_details, check_name, exercise_problem, points
from grader.results import ExerciseResult, Report

__all__ = ["render_gradescope", "render_gradescope_json", "PUBLIC", "HIDDEN"]

PUBLIC = "visible"
HIDDEN = "after_published"


def _test(name: str, score: float, max_score: float, passed: bool, output: str, visibility: str) -> dict[str, Any]:
    return {"name": name, "score": float(score), "max_score": float(max_score),
            "status": "passed" if passed else "failed", "output": output, "visibility": visibility}


def _public_lines(exercise: ExerciseResult) -> tuple[float, float, list[str]]:
    """The exercise's score and maximum on its public checks, and the lines that say them."""
    line = f"{exercise.title} ({exercise.id}): "
    if exercise.status != "graded":
        return 0.0, exercise.max_score, [line + f"{points(0)}/{points(exercise.max_score)} — not graded ({exercise.status})"]
    public = [check for check in exercise.checks if not check.hidden]
    hidden = [check for check in exercise.checks if check.hidden]
    score = sum(check.points for check in public)
    maximum = sum(check.max_points for check in public)
    lines = [line + f"{points(score)}/{points(maximum)} on the visible checks"]
    if hidden:
        lines.append(f"  + {len(hidden)} hidden check(s) worth {points(sum(c.max_points for c in hidden))} point(s):"
                     " their results are shown when the grades are published")
    if exercise.hidden_not_run:
        lines.append(f"  + {exercise.hidden_not_run} hidden check(s) worth "
                     f"{points(exercise.hidden_points_not_run)} point(s) run at grading time")
    return score, maximum, lines


def _output(report: Report) -> str:
    """The top-level ``output``: the notes, then the public checks' scores, exercise by exercise."""
    lines = [f"note: {note}" for note in report.notes]
    score = maximum = 0.0
    for exercise in report.exercises:
        got, out_of, said = _public_lines(exercise)
        score, maximum = score + got, maximum + out_of
        lines += said
    lines.append(f"visible checks: {points(score)}/{points(maximum)}")
    return "\n".join(lines)


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
    output = _output(report)
    if report.output and any(check.hidden for exercise in report.exercises for check in exercise.checks):
        # It printed while the hidden checks ran too (their inputs, perhaps): published with them.
        tests.append(_test("Output of your code", 0.0, 0.0, True, report.output, HIDDEN))
        output += "\n\nWhat your code printed is shown when the grades are published (it ran the hidden checks too)."
    elif report.output:
        output += "\n\nOutput of your code:\n" + report.output
    return {
        "score": float(report.score),
        "execution_time": int(math.ceil(report.timing.get("total", 0.0))),
        "output": output,
        "tests": tests,
    }


def render_gradescope_json(report: Report) -> str:
    return json.dumps(render_gradescope(report), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
