"""Checking a collected report against the course configuration before it counts.

A report made by a CI run is data the student's repository produced: it is
read as untrusted JSON, and flagged when its exercise is unknown, when another
grader version or another configuration (seed, examples, limits, checks,
points) produced it, or when its scores do not add up from its checks.  A
flag never changes a score: it tells the instructor which grades to look at.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, replace
from typing import Any, Optional

from grader import __version__
from grader.config import CourseConfig
from grader.grading import config_fingerprint
from grader.results import SCHEMA_VERSION, ExerciseResult, Report

__all__ = ["Checked", "parse_report", "verify_report"]

_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Checked:
    """A report as it will count (its exercises restricted to those asked for), and what is wrong with it."""

    report: Report
    flags: tuple[str, ...]
    #: Produced with this grader version and this configuration (fingerprint present and equal).
    same_configuration: bool = False
    #: Its scores add up from its checks and the configuration's points (nothing says it was edited).
    consistent: bool = True


def parse_report(data: bytes) -> Report:
    """The report in ``data``; raises ``ValueError`` with the reason when it is not a readable report."""
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"not JSON ({error})") from None
    if not isinstance(raw, dict):
        raise ValueError("not a report (expected a JSON object)")
    if raw.get("schema_version") != SCHEMA_VERSION:
        raise ValueError(f"report format {raw.get('schema_version')!r}, this grader reads {SCHEMA_VERSION}")
    try:
        report = Report.from_dict(raw)
        _types(report)
    except (TypeError, KeyError, AttributeError, ValueError) as error:
        raise ValueError(f"not a report of this grader ({type(error).__name__}: {error})") from None
    return report


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _types(report: Report) -> None:
    """The fields the gradebook relies on have the right types (``from_dict`` checks only the keys)."""
    if not isinstance(report.student, str) or not isinstance(report.name, str):
        raise ValueError("student and name must be strings")
    if not (_number(report.score) and _number(report.max_score)):
        raise ValueError("score and max_score must be numbers")
    for exercise in report.exercises:
        if not isinstance(exercise.id, str) or not (_number(exercise.score) and _number(exercise.max_score)):
            raise ValueError("each exercise needs an id and numeric scores")
        for check in exercise.checks:
            if not isinstance(check.id, str) or not (_number(check.points) and _number(check.max_points)):
                raise ValueError("each check needs an id and numeric points")


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= _TOLERANCE * max(1.0, abs(a), abs(b))


def _consistency(config: CourseConfig, exercise: ExerciseResult) -> Optional[str]:
    """Why the exercise's scores cannot be trusted to come from its checks, or ``None``."""
    spec = config.exercise(exercise.id)
    hidden_ran = any(check.hidden for check in exercise.checks)
    expected = {check_id: s.points for check_id, s in spec.points.items() if hidden_ran or not s.hidden}
    if exercise.status == "graded":
        found = {check.id: check for check in exercise.checks}
        if set(found) != set(expected) or len(found) != len(exercise.checks):
            return "its checks are not the checks of config.yaml"
        for check in exercise.checks:
            if not _close(check.max_points, expected[check.id]):
                return f"{check.id} is worth {check.max_points:g} in the report, {expected[check.id]:g} in config.yaml"
            if not (_close(check.points, check.max_points) if check.passed else _close(check.points, 0.0)):
                return f"{check.id} has {check.points:g} points although it {'passed' if check.passed else 'failed'}"
    elif exercise.checks or not _close(exercise.score, 0.0):
        return f"it has a score although its status is {exercise.status!r}"
    if not _close(exercise.score, sum(check.points for check in exercise.checks)):
        return "its score is not the sum of its checks' points"
    maxima = {sum(expected.values())}
    if exercise.status != "graded":  # no check ran: the maximum may count the hidden checks or not
        maxima.add(sum(s.points for s in spec.points.values()))
    if not any(_close(exercise.max_score, maximum) for maximum in maxima):
        return f"its maximum is {exercise.max_score:g}, config.yaml gives {min(maxima):g}"
    return None


def verify_report(config: CourseConfig, report: Report, *, exercises: Optional[set[str]] = None) -> Checked:
    """``report`` restricted to ``exercises`` (default: all of config.yaml), with every reason to doubt it."""
    flags = []
    same = report.grader_version == __version__ and report.seed == config.seed
    if report.grader_version != __version__:
        flags.append(f"made by grader {report.grader_version}, this is grader {__version__}")
    unknown = [e.id for e in report.exercises if e.id not in config.exercises]
    if unknown:
        flags.append(f"exercise {', '.join(map(repr, unknown))} is not in {config.path.name}: left out")
    if report.seed != config.seed:
        flags.append(f"graded with seed {report.seed}, {config.path.name} has {config.seed}")
    if not report.config_fingerprint or unknown:
        same = False
    if not report.config_fingerprint:
        flags.append("no configuration fingerprint (made by an older grader): its configuration cannot be verified")
    elif not unknown:
        expected = config_fingerprint(config, {e.id: any(c.hidden for c in e.checks) for e in report.exercises})
        same = same and report.config_fingerprint == expected
        if report.config_fingerprint != expected:
            flags.append(f"graded with another configuration than {config.path.name} "
                         "(examples, limits, checks or points differ)")
    # The plugin that draws an exercise is the one config.yaml names, whatever the report says.
    kept = tuple(replace(e, plugin=config.exercise(e.id).plugin or "") for e in report.exercises
                 if e.id in config.exercises and (exercises is None or e.id in exercises))
    edited = len(flags)
    for exercise in kept:
        problem = _consistency(config, exercise)
        if problem:
            flags.append(f"{exercise.id}: {problem}; the report may have been edited")
    if not _close(report.score, sum(e.score for e in report.exercises)):
        flags.append("its total is not the sum of its exercises' scores; the report may have been edited")
    restricted = replace(report, exercises=kept, score=round(sum(e.score for e in kept), 6),
                         max_score=float(sum(e.max_score for e in kept)))
    return Checked(restricted, tuple(flags), same, consistent=len(flags) == edited)
