"""The perceptron's checks against its corpus: each mutant fails the check that owns its bug, every correct
variant gets full marks.  The corpus is our own trusted code, graded in this process with the checks only, for
speed; the mutants with a small shrinking budget (``capped_shrink_config``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.perceptron.corpus import grade_checks
from tests.conftest import quick_if
from tests.perceptron.mutants import DIAGNOSED, MUTANTS, VARIANTS

VARIANT_FILES = sorted(VARIANTS.glob("*.py"))


def grade(config, path: Path):
    return grade_checks(config, "perceptron", path)


@pytest.mark.parametrize("variant", [pytest.param(path, id=path.stem, marks=quick_if(path.stem == "loops"))
                                     for path in VARIANT_FILES])
def test_correct_variant_gets_full_marks(config, variant):
    report = grade(config, variant)
    failed = {c.id: c.message for e in report.exercises for c in e.checks if not c.passed}
    assert failed == {}
    assert report.score == report.max_score == 100
    assert report.exercises[0].notes in ((), ("computed in single precision",))


@pytest.mark.parametrize("mutant", [pytest.param(m, id=m.name, marks=quick_if(m.name == "bias_plus_one"))
                                    for m in MUTANTS])
def test_mutant_is_caught_by_its_check(capped_shrink_config, tmp_path, mutant):
    path = tmp_path / "perceptron.py"
    path.write_text(mutant.source(), encoding="utf-8")
    exercise = grade(capped_shrink_config, path).exercises[0]
    assert exercise.status == "graded"
    failed = {c.id: c for c in exercise.checks if not c.passed}
    assert not [c for c in failed.values() if c.verdict == "grader_error"], [c.message for c in failed.values()]
    assert mutant.owner in failed, f"{mutant.name} passed {mutant.owner}; failed: {sorted(failed)}"
    # Caught by the property itself, with its message, not by an exception the bug happens to raise.
    assert failed[mutant.owner].verdict == "failed", failed[mutant.owner].message
    # Every mutant is deterministic: no check may report it as depending on global state (the grader's own limits
    # on shrinking must never read as a flaky submission).
    assert not [c.id for c in failed.values() if "different results on the same input" in c.message and
                "rng" not in mutant.name and "generator" not in mutant.name]
    if mutant.name == "eta_of_its_own":
        assert "does train update with the eta it is given" in failed[mutant.owner].message, \
            failed[mutant.owner].message
    if mutant.name == "eta_decays":
        message = failed[mutant.owner].message
        assert "not one that changes from epoch to epoch" in message, message
    if mutant.name == "train_returns_mistakes_first":
        assert "return the weights first" in failed[mutant.owner].message
    if mutant.name == "mistakes_cumulative" and "train.learns_or" in failed:
        # Its weights learn OR: the message blames the count, not outputs that are right.
        message = failed["train.learns_or"].message
        assert "train learnt OR" in message and "start each epoch's count at 0" in message, message
    # A training check failing because forward or update is wrong says so (it is linked to that check).
    for rule in ("forward.threshold", "update.rule"):
        if mutant.owner == rule:
            for check in failed.values():
                if check.id.startswith("train.") and check.id != "train.reproducible":
                    assert check.caused_by == rule, (check.id, check.message)


@pytest.mark.parametrize("mutant", DIAGNOSED, ids=lambda m: m.name)
def test_the_owner_is_the_root_and_every_other_failure_is_linked_to_it(config, tmp_path, mutant):
    """A shape error in forward: forward's other checks and train's (which calls forward) are linked to it."""
    path = tmp_path / "perceptron.py"
    path.write_text(mutant.source(), encoding="utf-8")
    failed = {c.id: c for c in grade(config, path).exercises[0].checks if not c.passed}
    assert mutant.owner in failed and failed[mutant.owner].caused_by is None, sorted(failed)
    unlinked = {c.id: c.message for c in failed.values() if c.id != mutant.owner and c.caused_by != mutant.owner}
    assert not unlinked, unlinked
    if mutant.name == "mistakes_one_epoch_short":
        assert failed[mutant.owner].message.startswith("train (its mistakes per epoch, value 2 of 2) returned")
