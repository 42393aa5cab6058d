"""The report as the student reads it in a terminal: one line per check, then what failed and why."""

from __future__ import annotations

import json
from typing import Any

from grader.results import CheckResult, ExerciseResult, Report

__all__ = ["render_text"]

_MARKS = {True: ("PASS", "green"), False: ("FAIL", "red")}
_COLOURS = {"green": "32", "red": "31", "yellow": "33", "bold": "1", "dim": "2"}


def _paint(text: str, colour: str, enabled: bool) -> str:
    return f"\033[{_COLOURS[colour]}m{text}\033[0m" if enabled else text


def _points(value: float) -> str:
    return f"{value:g}"


def _compact(value: Any, limit: int = 400) -> str:
    text = json.dumps(value, separators=(", ", ": "), ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _failure_details(check: CheckResult, *, verbose: bool) -> list[str]:
    lines = [f"    {check.message}"]
    for key, value in (check.counterexample or {}).items():
        if key == "traceback":
            if verbose:
                lines += ["    traceback (your code):"] + [f"      {line}" for line in str(value).splitlines()]
            continue
        lines.append(f"      {key} = {_compact(value, limit=10_000 if verbose else 400)}")
    if check.hint:
        lines.append(f"    hint: {check.hint}")
    return lines


def _exercise_lines(exercise: ExerciseResult, *, colour: bool, verbose: bool) -> list[str]:
    lines = [_paint(f"{exercise.title} ({exercise.id})", "bold", colour)]
    if exercise.status != "graded":
        lines.append("  " + _paint(exercise.error or exercise.status, "red", colour))
    width = max((len(check.title) for check in exercise.checks), default=0)
    for check in exercise.checks:
        mark, tint = _MARKS[check.passed]
        hidden = " [hidden]" if check.hidden else ""
        lines.append(f"  {_paint(mark, tint, colour)}  {check.title.ljust(width)}  "
                     f"{_points(check.points)}/{_points(check.max_points)}{hidden}")
    failures = [check for check in exercise.checks if not check.passed]
    if failures:
        lines.append("")
        for check in failures:
            lines.append(_paint(f"  {check.id}", "yellow", colour) + f" — {check.title}")
            lines += _failure_details(check, verbose=verbose)
    lines.append(f"  score: {_points(exercise.score)}/{_points(exercise.max_score)}")
    if exercise.hidden_not_run:
        lines.append(_paint(
            f"  + {exercise.hidden_not_run} hidden check(s) worth {_points(exercise.hidden_points_not_run)} "
            "point(s) will also run at grading time", "dim", colour))
    return lines


def render_text(report: Report, *, colour: bool = False, verbose: bool = False) -> str:
    """The whole report as text; ``colour`` adds ANSI colours."""
    lines: list[str] = []
    for exercise in report.exercises:
        lines += _exercise_lines(exercise, colour=colour, verbose=verbose)
        lines.append("")
    if report.output and verbose:
        lines += ["output of your code:"] + [f"  | {line}" for line in report.output.splitlines()] + [""]
    total = f"total: {_points(report.score)}/{_points(report.max_score)}"
    lines.append(_paint(total, "green" if report.passed else "red", colour))
    return "\n".join(lines)
