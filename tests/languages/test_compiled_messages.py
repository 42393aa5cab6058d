"""Messages on C and Fortran mutants say what the compiled code did: a label never written, a function whose
results depend on memory it never initialised (reported under the phase that reads it)."""

from __future__ import annotations

import pytest

from grader.student._languages import binding_notes
from tests.languages.conftest import VARIANTS, needs
from tests.languages.mutants import MUTANTS


def _mutant(language: str, name: str):
    return next(m for m in MUTANTS if m.language == language and m.name == name)


def _checks(report):
    return {c.id: c for e in report.exercises for c in e.checks}


@pytest.mark.slow
@pytest.mark.parametrize("language, name", [pytest.param("c", "first_center_label_unset", marks=needs("c")),
                                            pytest.param("fortran", "misses_last_point", marks=needs("fortran"))])
def test_a_label_never_written_is_called_so(graded, language, name):
    mutant = _mutant(language, name)
    check = _checks(graded(mutant.source(), language))["assign.nearest_center"]
    assert not check.passed
    assert "is not the index of a center" in check.message
    assert "your code never set the label of point" in check.message, check.message


@pytest.mark.slow
@needs("fortran")
def test_uninitialised_accumulators_are_named_and_blamed_on_the_update_phase(graded):
    mutant = _mutant("fortran", "accumulator_not_zeroed")
    checks = _checks(graded(mutant.source(), "fortran"))
    assert not checks["update.centroids"].passed
    varying = [c for c in checks.values() if "different results on the same input" in c.message]
    for check in varying:
        assert "uninitialised" in check.message
        assert "update.centroids" in check.suspects, (check.id, check.suspects)


def test_fortran_reports_say_once_that_their_numbers_count_from_0(config):
    kmeans = config.exercise("kmeans")
    (note,) = binding_notes(kmeans.for_language("fortran"))
    assert "count from 0" in note and "data(1, :)" in note and "label 0 your label 1" in note
    assert binding_notes(kmeans.for_language("c")) == ()  # C counts from 0 like the report
    assert binding_notes(kmeans.for_language("python")) == ()


@pytest.mark.slow
@needs("fortran")
def test_the_note_is_in_the_fortran_report(graded):
    report = graded((VARIANTS / "loops.f90").read_text(), "fortran")
    assert any("count from 0" in note for note in report.exercises[0].notes)
