"""Messages on C and Fortran mutants say what the compiled code did: a label never written, a function whose
results depend on memory it never initialised (reported under the phase that reads it); their points, samples,
centers and classes numbered as the student's code numbers them (from 1 in Fortran), and the values returned
shown as the code returned them."""

from __future__ import annotations

import re

import numpy as np
import pytest

from grader.authoring import CheckFailed

from grader.student._languages import binding_notes
from tests.languages.conftest import needs
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


@needs("c")
def test_the_initial_centers_modified_are_named_as_the_skeleton_names_them(graded):
    """In C and Fortran kmeans gets the initial centers as ``init`` and leaves its result in ``centers``."""
    check = _checks(graded(_mutant("c", "kmeans_modifies_init").source(), "c"))["kmeans.inputs_untouched"]
    assert not check.passed and check.message.startswith("main loop modified the init array it was given"), \
        check.message


@needs("c")
def test_a_center_sent_back_to_its_initial_position_is_told_where_the_loop_went_wrong(graded):
    """update given the initial centers: a center that moved, then lost its points, goes back where it started."""
    check = _checks(graded(_mutant("c", "update_from_init").source(), "c"))["kmeans.lloyd_iterations"]
    assert not check.passed and "went back to its initial position" in check.message, check.message


@needs("c")
def test_centers_written_before_refusing_an_impossible_k_are_named(graded):
    """The skeleton asks for -1 and nothing written when k is impossible."""
    check = _checks(graded(_mutant("c", "init_writes_before_refusing").source(), "c"))[
        "init_centers.rejects_impossible_k"]
    assert not check.passed and "but wrote centers first" in check.message, check.message


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


def test_fortran_reports_need_no_note_on_how_they_count(config):
    kmeans = config.exercise("kmeans")
    for language in ("fortran", "c", "python"):  # every report counts as the student's language does
        assert binding_notes(kmeans.for_language(language)) == ()


@pytest.mark.quick
def test_marked_numbers_are_counted_as_the_language_counts():
    from grader.authoring import fail, index, indices
    from grader.runner import in_language

    with pytest.raises(CheckFailed) as caught:
        fail(f"sample {index(0)} is in class {index(2)}, not {index(-1)}; w[1, 0] is 3", returned=indices(np.array([-1])),
             expected=indices([[2, 0]]), x=[0, 1], shown=indices(["nan", 1.5, True]))
    failure = caught.value
    said = {language: (in_language(failure.message, language), in_language(failure.counterexample, language))
            for language in ("python", "c", "fortran")}
    assert said["python"][0] == "sample 0 is in class 2, not -1; w[1, 0] is 3"
    assert said["c"][0] == "sample 0 is in class 2, not -1; w[1][0] is 3"
    assert said["fortran"][0] == "sample 1 is in class 3, not 0; w(2, 1) is 3"
    assert said["python"][1] == said["c"][1] == {"returned": [-1], "expected": [[2, 0]], "x": [0, 1],
                                                 "shown": ["nan", 1.5, True]}
    assert said["fortran"][1] == {"returned": [0], "expected": [[3, 1]], "x": [0, 1], "shown": ["nan", 1.5, True]}


def _numbers(pattern: str, message: str) -> list[int]:
    found = re.search(pattern, message)
    assert found, message
    return [int(number) for number in found.groups()]


@pytest.mark.slow
@pytest.mark.parametrize("language, base", [pytest.param("c", 0, marks=needs("c")),
                                            pytest.param("fortran", 1, marks=needs("fortran"))])
def test_points_centers_and_labels_are_numbered_as_the_code_numbers_them(graded, language, base):
    # Each point goes to a farthest center: the message's numbers, read as the language counts, must name the
    # point and centers whose distances it gives, and the labels shown must be those the code wrote.
    check = _checks(graded(_mutant(language, "farthest_center").source(), language))["assign.nearest_center"]
    point, label, nearer = _numbers(r"point (-?\d+) was associated with center (-?\d+) .* but center (-?\d+) is "
                                    r"nearer", check.message)
    data, centers = (np.array(check.counterexample[name], dtype=float) for name in ("data", "centers"))
    k = len(centers)
    distances = ((data[point - base] - centers) ** 2).sum(axis=1)
    assert f"squared distance {distances[label - base]:.6g}, " in check.message, check.message
    assert f"(squared distance {distances[nearer - base]:.6g})" in check.message, check.message
    returned, expected = check.counterexample["returned"], check.counterexample["expected"]
    assert returned[point - base] == label and expected[point - base] == nearer
    assert all(base <= value < k + base for value in returned + expected), (returned, expected)
    assert check.index_base == base  # what the report's figures take off to index the centers


@pytest.mark.slow
@needs("fortran")
def test_a_fortran_label_never_written_shows_the_value_left_and_the_point(graded):
    # The last point is never labelled: its label keeps the value the binding filled the array with.
    check = _checks(graded(_mutant("fortran", "misses_last_point").source(), "fortran"))["assign.nearest_center"]
    n = len(check.counterexample["data"])
    assert f"label {-2**31} of point {n} is not" in check.message, check.message
    assert f"never set the label of point {n}" in check.message and "numbered 1 to" in check.message
    assert check.counterexample["returned"][-1] == -2**31


@pytest.mark.slow
@needs("fortran")
def test_fortran_classes_are_numbered_from_1_and_shown_as_returned(graded):
    from tests.languages.test_mlp_c_fortran import MUTANTS as MLP_MUTANTS

    # predict returns maxloc - 1: one less than the expected class, in every row, as Fortran numbers classes.
    mutant = next(m for m in MLP_MUTANTS if m.language == "fortran" and m.name == "zero_based_classes")
    check = _checks(graded(mutant.source(), "fortran", "mlp"))["predict.classes"]
    sample, want, got = _numbers(r"sample (-?\d+) has outputs .*, so its class is (-?\d+), not (-?\d+)",
                                 check.message)
    returned, expected = check.counterexample["returned"], check.counterexample["expected"]
    assert sample >= 1 and got == want - 1 and min(expected) >= 1, check.message
    assert returned == [value - 1 for value in expected] and returned[sample - 1] == got


@pytest.mark.slow
@needs("fortran")
def test_a_fortran_class_is_one_number_in_the_whole_sentence(graded):
    from tests.languages.test_perceptron_c_fortran import MUTANTS as PERCEPTRON_MUTANTS

    mutant = next(m for m in PERCEPTRON_MUTANTS if m.language == "fortran" and m.name == "recall_over_rows")
    check = _checks(graded(mutant.source(), "fortran", "perceptron"))["class_scores.recall_precision"]
    numbers = _numbers(r"the recall of class (-?\d+) should be cm\((-?\d+), (-?\d+)\) over the sum of column "
                       r"(-?\d+)", check.message)
    assert len(set(numbers)) == 1 and numbers[0] >= 1, check.message


@pytest.mark.slow
@needs("fortran")
def test_the_call_shown_with_a_fortran_crash_numbers_the_labels_from_1(graded):
    """The call shown with a crash (a runtime error in update) counts the labels it was given as the code counts
    them, as the binding passed them: 1..k in Fortran, never the 0-based labels of the Python contract."""
    check = _checks(graded(_mutant("fortran", "update_reads_label_n_plus_1").source(), "fortran"))["update.centroids"]
    assert check.verdict == "crashed" and check.counterexample["function"] == "update", check.message
    data, labels, centers = check.counterexample["args"]
    assert labels and all(1 <= label <= len(centers) for label in labels), check.counterexample


class _Crashing:
    """A student whose every call crashes, as a compiled function stopped by a runtime error does."""

    protections = None

    def call(self, function, *args, **kwargs):
        from grader.student._base import CallAborted, CallRecord

        raise CallAborted(CallRecord(function, args, kwargs), "crashed: a runtime error", kind="crash")


@pytest.mark.quick
@pytest.mark.parametrize("by_name", [False, True])
@pytest.mark.parametrize("language, shown", [("python", [0, 1, 1]), ("c", [0, 1, 1]), ("fortran", [1, 2, 2])])
def test_the_arguments_the_binding_declares_indices_are_counted_as_the_language_counts(config, language, shown,
                                                                                        by_name):
    from hypothesis import strategies as st

    from grader.authoring import CheckContext, check
    from grader.config import CheckSpec
    from grader.exercise import BoundCheck
    from grader.grading import _index_arguments
    from grader.runner import RunSettings, run_check

    @check("update.crash", "update: a crash", labels=st.just([0, 1, 1]))
    def crash(student, labels):
        data, centers = [[0.0], [1.0], [2.0]], [[0.0], [2.0]]
        student.call("update", data, labels=labels, centers=centers) if by_name else student.call(
            "update", data, labels, centers)

    kmeans = config.exercise("kmeans").for_language(language)
    context = CheckContext(language=language, index_arguments=_index_arguments(kmeans))
    result = run_check(BoundCheck(crash, CheckSpec(points=1)), _Crashing(), RunSettings(seed=1, max_examples=5),
                       context=context)
    assert result.verdict == "crashed"
    given = result.counterexample["kwargs"]["labels"] if by_name else result.counterexample["args"][1]
    assert given == shown, result.counterexample
    assert result.counterexample["args"][0] == [[0.0], [1.0], [2.0]]  # the points are no indices
