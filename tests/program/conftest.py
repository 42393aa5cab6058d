"""Grading whole programs once per run: each corpus program is compiled and graded once, results shared."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from typing import Callable

import pytest

from grader.config import load_config
from grader.grading import grade_exercise
from grader.results import ExerciseResult
from tests import graded_once

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
#: Fewer examples than a real grading (the checks cap theirs at 12 or fewer), shorter runs: a fast suite.
TEST_EXAMPLES = 8


def needs_compilers(language: str) -> None:
    compiler = {"c": "gcc", "fortran": "gfortran"}.get(language)
    if compiler and shutil.which(compiler) is None:
        pytest.skip(f"{compiler} is not installed")


@pytest.fixture(scope="session")
def program_config():
    """The course configuration with fewer examples, shorter runs and no shrinking, like every bug corpus (see
    ``corpus_config`` in ``tests/conftest.py``): what the corpus asserts holds for the first failing run found."""
    config = load_config(ROOT / "config.yaml")
    limits = dataclasses.replace(config.limits, call_timeout=4.0, total_timeout=300.0)
    return dataclasses.replace(config, max_examples=TEST_EXAMPLES, shrink_calls=0, limits=limits)


def _grader(config) -> Callable[[Path], ExerciseResult]:
    """Grade the program at a path with ``config`` (once per run for the same program, whichever worker asks first:
    see ``tests/graded_once.py``), returning its result."""

    def run(path: Path) -> tuple[ExerciseResult, str]:
        result, student = grade_exercise(config, "kmeans_program", path, hidden=True)
        output = student.output() if student is not None else ""
        if student is not None:
            student.close()
        return result, output

    def grade(path: Path) -> ExerciseResult:
        path = Path(path).resolve()
        key = graded_once.key(config, {"kmeans_program": path}, {"hidden": True})
        return graded_once.once(key, lambda: run(path))[0]

    return grade


@pytest.fixture(scope="session")
def grade_program(program_config) -> Callable[[Path], ExerciseResult]:
    """Grade the program at a path with ``program_config``, once per run; returns its result."""
    return _grader(program_config)


@pytest.fixture(scope="session")
def grade_endless_program(program_config) -> Callable[[Path], ExerciseResult]:
    """Grade a program that never ends with ``program_config`` and runs of 1 s of processor time at most: each
    check waits for a run to time out."""
    limits = dataclasses.replace(program_config.limits, call_timeout=1.0)
    return _grader(dataclasses.replace(program_config, limits=limits))


def by_id(result: ExerciseResult) -> dict:
    return {check.id: check for check in result.checks}
