"""Grading a corpus fast: the course configuration with an exercise's run on the course data left out.

The corpus tests are about the checks; the showcase (training on iris for the
report's pictures) would only repeat a slow run for every mutant.  The showcase
has its own tests.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from types import MappingProxyType

from grader.config import CourseConfig
from tests.graded_once import grade_submission


def checks_only(config: CourseConfig, exercise_id: str) -> CourseConfig:
    exercises = dict(config.exercises)
    exercises[exercise_id] = dataclasses.replace(exercises[exercise_id], plugin=None, showcase=None)
    return dataclasses.replace(config, exercises=MappingProxyType(exercises))


def grade_checks(config: CourseConfig, exercise_id: str, path: Path, *, hidden: bool = True):
    """The report of ``path`` graded in this process with the checks only (public, and hidden when asked), once per
    run (``tests/graded_once.py``)."""
    return grade_submission(checks_only(config, exercise_id), {exercise_id: path}, hidden=hidden, sandbox=False)
