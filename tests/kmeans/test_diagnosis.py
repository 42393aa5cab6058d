"""The diagnosis corpus: each bug is reported by the check that owns it, its consequences grouped under it.

For every single-bug mutant of ``diagnosis.py``: the checks it declares fail; every
other failing public check is a consequence linked to one of them (``caused_by``),
so no check of another phase fails on its own because of the bug; and the reports
list each consequence after its root cause.  The corpus is trusted code, graded in
process, each mutant once per run: the public checks of the grading with the hidden
ones that ``test_corpus.py`` makes (the public checks run first, whether the hidden
ones follow or not; ``test_public_view_is_a_grading_without_the_hidden_checks``).
"""

from __future__ import annotations

import dataclasses
import statistics

import pytest

from grader import grade_submission
from grader.render._view import failures
from grader.results import ExerciseResult, link_causes
from tests import graded_once
from tests.conftest import quick_if
from tests.kmeans.diagnosis import DIAGNOSES, Diagnosis
from tests.kmeans.mutants import Mutant

#: Mean number of failing public checks per mutant of this corpus before checks owned one property each and
#: failures were linked to their root cause (measured on the same corpus; see benchmarks/RESULTS.md).
MEAN_FAILING_BEFORE = 5.2


def public_checks(exercise: ExerciseResult) -> ExerciseResult:
    """``exercise`` graded with its hidden checks, as graded without them: its public checks (which run first),
    their failures linked to their causes among the public checks alone."""
    public = [dataclasses.replace(check, caused_by=None) for check in exercise.checks if not check.hidden]
    return dataclasses.replace(exercise, checks=link_causes(public))


@pytest.fixture(scope="session")
def graded(corpus_config, tmp_path_factory):
    """Each mutant's public checks, from its grading with the hidden checks (once per run, on first use; graded
    like the corpus, without shrinking: which checks fail and why does not depend on it)."""
    folder = tmp_path_factory.mktemp("diagnosis")
    results = {}

    def grade(diagnosis: Diagnosis):
        if diagnosis.name not in results:
            path = folder / diagnosis.name / "kmeans.py"
            path.parent.mkdir()
            path.write_text(diagnosis.mutant.source(), encoding="utf-8")
            report = graded_once.grade_submission(corpus_config, {"kmeans": path}, hidden=True, sandbox=False)
            results[diagnosis.name] = public_checks(report.exercises[0])
        return results[diagnosis.name]

    return grade


def test_public_view_is_a_grading_without_the_hidden_checks(capped_shrink_config, tmp_path):
    """The public checks of a grading with the hidden ones are those of a grading without: same verdicts,
    messages, shrunk counterexamples and causes (a mutant whose failures in the main loop are grouped under
    assign).  Shrunk with a small budget (``capped_shrink_config``): a dozen checks fail, each shrunk twice, and a
    budget reached in the middle of shrinking must give the same counterexample both ways too."""
    config = capped_shrink_config
    diagnosis = next(d for d in DIAGNOSES if d.name == "assign_first_two_coordinates")
    path = tmp_path / "kmeans.py"
    path.write_text(diagnosis.mutant.source(), encoding="utf-8")
    alone = grade_submission(config, {"kmeans": path}, hidden=False, sandbox=False).exercises[0]
    view = public_checks(grade_submission(config, {"kmeans": path}, hidden=True, sandbox=False).exercises[0])
    assert any(check.caused_by for check in alone.checks)

    def timeless(checks):
        return [dataclasses.replace(check, duration=0.0) for check in checks]

    assert timeless(view.checks) == timeless(alone.checks)


@pytest.mark.parametrize("diagnosis", [pytest.param(d, id=d.name, marks=quick_if(d.name in ("float_labels", "empty_cluster_raises")))
                                       for d in DIAGNOSES])
def test_the_owning_checks_report_the_bug(graded, diagnosis):
    exercise = graded(diagnosis)
    failed = {check.id: check for check in exercise.checks if not check.passed}
    assert not [check.message for check in failed.values() if check.verdict == "grader_error"]
    missing = (diagnosis.owners | diagnosis.also) - set(failed)
    assert not missing, f"{diagnosis.name}: {sorted(missing)} should fail; failed: {sorted(failed)}"
    for check in failed.values():
        if check.id in diagnosis.owners:
            continue
        # Anything else is a consequence of an owner, grouped under it.
        assert check.caused_by in diagnosis.owners, (
            f"{diagnosis.name}: {check.id} fails on its own ({check.message!r}), not as a consequence of "
            f"{sorted(diagnosis.owners)}")
    for check in failed.values():
        if check.id in diagnosis.also:
            assert check.caused_by in diagnosis.owners, (check.id, check.caused_by)


@pytest.mark.parametrize("diagnosis", [d for d in DIAGNOSES if d.also], ids=lambda d: d.name)
def test_reports_show_consequences_after_their_root_cause(graded, diagnosis):
    shown = [check.id for check in failures(graded(diagnosis))]
    for position, check_id in enumerate(shown):
        check = next(c for c in graded(diagnosis).checks if c.id == check_id)
        if check.caused_by:
            assert shown.index(check.caused_by) < position


#: The next center read for the move: an IndexError in kmeans itself, on every call, before it returns anything.
_MOVE_READS_PAST_THE_LAST_CENTER = Mutant("move_reads_past_the_last_center", (
    ("move += distance(new[j], centers[j])", "move += distance(new[j], centers[j + 1])"),))


def test_an_error_raised_by_the_main_loop_is_owned_by_the_loop_not_by_its_inputs_check(corpus_config, tmp_path):
    """Every check calling kmeans fails with the error it raises.  The check of inputs left unchanged never got
    to its property: it owns none of these failures (its hint, about copying the initial centers, would send the
    student to the wrong place); the loop's own check is their root, with its hint about the loop and the error at
    the student's line, and the inputs check is listed under it."""
    path = tmp_path / "kmeans.py"
    path.write_text(_MOVE_READS_PAST_THE_LAST_CENTER.source(), encoding="utf-8")
    checks = {check.id: check for check in grade_submission(corpus_config, {"kmeans": path}, hidden=False,
                                                            sandbox=False).exercises[0].checks}
    loop, inputs = checks["kmeans.lloyd_iterations"], checks["kmeans.inputs_untouched"]
    assert loop.verdict == inputs.verdict == "error" and "IndexError" in loop.message, loop.message
    assert loop.caused_by is None and "association" in loop.hint, loop.hint
    assert "centers[j + 1]" in loop.counterexample["traceback"]
    assert inputs.caused_by == "kmeans.lloyd_iterations"
    consequences = {check.id: check.caused_by for check in checks.values()
                    if check.function == "kmeans" and not check.passed and check is not loop}
    assert len(consequences) > 5 and set(consequences.values()) == {"kmeans.lloyd_iterations"}, consequences


def test_mean_number_of_failing_public_checks(graded, capsys):
    counts = {d.name: sum(not c.passed and not c.hidden for c in graded(d).checks) for d in DIAGNOSES}
    mean = statistics.mean(counts.values())
    own = statistics.mean(sum(not c.passed and not c.hidden and not c.caused_by for c in graded(d).checks)
                          for d in DIAGNOSES)
    with capsys.disabled():
        print(f"\ndiagnosis corpus: {len(counts)} single-bug mutants; failing public checks per mutant: "
              f"mean {mean:.2f} (before: {MEAN_FAILING_BEFORE:.2f}); not counting consequences grouped under "
              f"their root cause: {own:.2f}")
    assert mean < MEAN_FAILING_BEFORE
