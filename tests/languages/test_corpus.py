"""The C and Fortran corpora: every correct variant gets full marks, every mutant loses points on the check
that diagnoses its bug (and a public check fails, so a student sees it before grading)."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from grader.config import LANGUAGE_EXTENSIONS, ExerciseConfig
from tests.conftest import quick_if
from tests.languages.conftest import ROOT, VARIANTS, failed, needs
from tests.languages.mutants import MUTANTS

VARIANT_FILES = sorted(path for path in VARIANTS.iterdir()
                       if path.suffix in LANGUAGE_EXTENSIONS["c"] + LANGUAGE_EXTENSIONS["fortran"])
#: Variants that compute in single precision inside: correct under the precision policy that accepts float
#: arithmetic (the exercise's ``precision`` setting); without that policy the grader cannot tell them right.
SINGLE_PRECISION = {"float_course.c", "float_course.f90"}
_POLICY = any(field.name == "precision" for field in fields(ExerciseConfig))


def _marks(path):
    marks = [needs(_language(path.suffix))]
    if path.name in SINGLE_PRECISION and not _POLICY:
        marks.append(pytest.mark.skip(reason="needs the precision policy that accepts single precision"))
    return marks


def _language(suffix: str) -> str:
    return next(language for language in ("c", "fortran") if suffix in LANGUAGE_EXTENSIONS[language])


@pytest.mark.slow
@needs("c")
def test_the_reference_with_openmp_gets_full_marks(graded):
    # OpenMP, as "gcc -fopenmp" builds it: a parallel loop over the points and a call of its runtime.
    source = (ROOT / "reference" / "kmeans.c").read_text(encoding="utf-8")
    edits = (("#include <math.h>\n", "#include <math.h>\n#include <omp.h>\n"),
             ("int *labels)\n{\n    for (int i = 0; i < n; i++) {",
              "int *labels)\n{\n    if (omp_get_max_threads() < 1)\n        return;\n"
              "#pragma omp parallel for\n    for (int i = 0; i < n; i++) {"))
    for old, new in edits:
        assert old in source
        source = source.replace(old, new, 1)
    report = graded(source, "c")
    assert failed(report) == {}
    assert report.score == report.max_score == 100


@pytest.mark.slow
@pytest.mark.parametrize("variant", [pytest.param(path, marks=[*_marks(path), *quick_if(path.name == "loops.c")],
                                                  id=path.name) for path in VARIANT_FILES])
def test_correct_variant_gets_full_marks(graded, variant):
    report = graded(variant.read_text(), _language(variant.suffix), suffix=variant.suffix)
    assert failed(report) == {}
    assert report.score == report.max_score == 100


@pytest.mark.slow
@pytest.mark.parametrize("mutant", [pytest.param(m, marks=needs(m.language), id=f"{m.language}-{m.name}")
                                    for m in MUTANTS])
def test_mutant_is_caught_by_the_right_check(graded, mutant):
    report = graded(mutant.source(), mutant.language)
    exercise = report.exercises[0]
    assert exercise.status == "graded", exercise.error
    wrong = failed(report)
    assert report.score < report.max_score
    assert set(mutant.caught_by) & set(wrong), f"{mutant.name} lost points on {sorted(wrong)} only"
    assert not [c for c in exercise.checks if c.verdict == "grader_error"], wrong
    assert [c for c in exercise.checks if not c.passed and not c.hidden], f"only hidden checks catch {mutant.name}"


@pytest.mark.slow
@pytest.mark.parametrize("name", [pytest.param("loops.c", marks=needs("c")),
                                  pytest.param("loops.f90", marks=needs("fortran"))])
def test_what_the_code_prints_is_captured_apart(graded, name):
    report = graded((VARIANTS / name).read_text(), _language(Path(name).suffix))
    assert failed(report) == {}  # printing never garbles the replies
    assert "Step :" in report.output and "cent. move :" in report.output
