"""Fixtures of the language tests: graded reports shared by the whole session (each file compiled once)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Callable

import pytest

from grader.results import Report
from grader.sandbox.compile import find_compiler
from tests.graded_once import grade_submission

ROOT = Path(__file__).resolve().parents[2]
VARIANTS = Path(__file__).parent / "variants"  # correct k-means variants
NEURAL_VARIANTS = Path(__file__).parent / "neural_variants"  # correct perceptron and MLP variants

SUFFIX = {"c": ".c", "fortran": ".f90"}
COMPILERS = {"c": find_compiler("c"), "fortran": find_compiler("fortran")}


def needs(language: str):
    """Skip when the compiler of ``language`` is not installed (CI installs both: see .ci/run)."""
    return pytest.mark.skipif(COMPILERS.get(language, "python") is None, reason=f"no compiler for {language}")


@pytest.fixture(scope="session")
def graded(corpus_config, tmp_path_factory) -> Callable[..., Report]:
    """``graded(source, language, exercise="kmeans", suffix="")``: the report of ``source`` graded as ``exercise`` in the
    sandbox with the hidden checks, computed once per run for each distinct source (by the first worker that
    needs it: ``tests/graded_once.py``), without shrinking like every bug corpus (``corpus_config``).

    Every report of a C or Fortran submission is also checked to speak its language: no Python exception name,
    no numpy idiom, in any of its views (see :mod:`tests.languages.terms`)."""
    from tests.languages.terms import python_terms

    cache: dict[str, Report] = {}
    folder = tmp_path_factory.mktemp("languages")

    def grade(source: str, language: str, exercise: str = "kmeans", suffix: str = "") -> Report:
        suffix = suffix or SUFFIX.get(language, ".py")  # a Fortran file in fixed form keeps its .f, .for or .ftn
        key = hashlib.sha256(f"{exercise}\0{language}\0{suffix}\0{source}".encode()).hexdigest()
        if key not in cache:
            path = folder / key[:16] / f"{exercise}{suffix}"
            path.parent.mkdir()
            path.write_text(source, encoding="utf-8")
            report = grade_submission(corpus_config, {exercise: path}, student=key[:8], hidden=True)
            if language in ("c", "fortran"):
                assert python_terms(report) == [], f"a {language} report speaks Python"
            cache[key] = report
        return cache[key]

    return grade


def failed(report: Report) -> dict[str, str]:
    """check id -> message of every check that did not pass."""
    return {c.id: c.message for e in report.exercises for c in e.checks if not c.passed}


@pytest.fixture
def course(tmp_path: Path):
    """A private copy of the course with small limits and two other students' submissions (as in the sandbox
    tests)."""
    from tests.sandbox.helpers import make_course

    return make_course(tmp_path / "course")
