"""Course configurations that differ only by the k-means exercise's precision policy, for the corpus tests."""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

from grader.config import CourseConfig


def with_precision(config: CourseConfig, precision: str) -> CourseConfig:
    """``config`` with the k-means exercise's ``precision:`` set to ``precision``."""
    exercise = replace(config.exercise("kmeans"), precision=precision)
    return replace(config, exercises=MappingProxyType({**config.exercises, "kmeans": exercise}))
