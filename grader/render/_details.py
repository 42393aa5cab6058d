"""Plain-text details of one check or exercise, shared by the formats read outside a terminal (JUnit, Gradescope, GitHub)."""

from __future__ import annotations

import json
from typing import Any

from grader.render._view import hint_label
from grader.results import CheckResult, ExerciseResult, Report

__all__ = ["check_details", "check_name", "exercise_problem", "points", "summary_lines"]


def points(value: float) -> str:
    return f"{value:g}"


def _compact(value: Any, limit: int) -> str:
    text = value if isinstance(value, str) else json.dumps(value, separators=(", ", ": "), ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def check_name(check: CheckResult) -> str:
    """The name a CI tool shows for a check: stable id first (reporters match tests by name across runs)."""
    return f"{check.id}: {check.title}" + (" [hidden]" if check.hidden else "")


def check_details(check: CheckResult, *, limit: int = 2_000, traceback: bool = True) -> str:
    """What went wrong, the shrunk counterexample and the hint, as plain text ("" for a passed check)."""
    if check.passed:
        return ""
    lines = [check.message or check.verdict]
    if check.caused_by:
        lines.insert(0, f"(probably caused by `{check.caused_by}` failing)")
    for key, value in (check.counterexample or {}).items():
        if key == "traceback":
            if traceback:
                lines += ["traceback (your code):"] + [f"  {line}" for line in str(value).splitlines()]
            continue
        lines.append(f"  {key} = {_compact(value, limit)}")
    if check.hint:
        lines.append(f"{hint_label(check)}: {check.hint}")
    return "\n".join(lines)


def exercise_problem(exercise: ExerciseResult) -> str:
    """Why an exercise was not graded ("" when it was)."""
    if exercise.status == "graded":
        return ""
    return exercise.error or f"{exercise.title}: {exercise.status}"


def summary_lines(report: Report) -> list[str]:
    """One line per exercise with its score, then the total: the gist of a report."""
    lines = []
    for exercise in report.exercises:
        line = f"{exercise.title} ({exercise.id}): {points(exercise.score)}/{points(exercise.max_score)}"
        if exercise.status != "graded":
            line += f" — not graded ({exercise.status})"
        lines.append(line)
        if exercise.hidden_not_run:
            lines.append(f"  + {exercise.hidden_not_run} hidden check(s) worth "
                         f"{points(exercise.hidden_points_not_run)} point(s) run at grading time")
    lines.append(f"total: {points(report.score)}/{points(report.max_score)}")
    return lines
