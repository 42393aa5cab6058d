"""Course configurations that differ only by one exercise's precision policy, for the corpus tests."""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

from grader.config import CourseConfig


def with_precision(config: CourseConfig, precision: str, exercise_id: str = "kmeans") -> CourseConfig:
    """``config`` with the exercise ``exercise_id``'s ``precision:`` set to ``precision``."""
    exercise = replace(config.exercise(exercise_id), precision=precision)
    return replace(config, exercises=MappingProxyType({**config.exercises, exercise_id: exercise}))
