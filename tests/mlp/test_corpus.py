"""The MLP's checks against its corpus: each mutant fails the check that owns its bug (each back-propagation bug
the gradient check), every correct variant gets full marks.  The corpus is our own trusted code, graded in this
process with the checks only; hidden checks (the iris run takes a while) only where a mutant's owner is hidden.
Mutants are graded under both precision policies: the default ``single-or-double`` (tolerances derived for
float32) and ``double``."""

from __future__ import annotations

import re

import pytest

from tests.kmeans.policies import with_precision
from tests.conftest import quick_if
from tests.perceptron.corpus import grade_checks
from tests.mlp.mutants import DIAGNOSED, GRADIENT, GRADIENT_BUGS, MUTANTS, VARIANTS

VARIANT_FILES = sorted(VARIANTS.glob("*.py"))
OTHER_MUTANTS = [m for m in MUTANTS if m not in GRADIENT_BUGS]
FORWARD = ("forward.bias_node", "forward.logistic")


def _with_policies(mutants):
    """Each mutant under the default policy (the repository's), and a third of them, spread over the corpus, under
    double precision only (slow): every tolerance of ``double`` is at most that of the default, so those show that
    grading under ``double`` works on buggy code. Those are graded without shrinking (``corpus_config``): every
    mutant is shrunk once, under the default policy (the back-propagation bugs with the course's budget, the others
    with a small one, ``capped_shrink_config``), where a capped shrink is also shown never to read as code that
    depends on global state."""
    return ([pytest.param(m, "single-or-double", id=f"{m.name}-single-or-double",
                          marks=quick_if(m.name in ("missing_beta_output_delta", "trains_only_two_epochs"))) for m in mutants]
            + [pytest.param(m, "double", id=f"{m.name}-double", marks=pytest.mark.slow) for m in mutants[::3]])


def _failed(shrinking_config, corpus_config, tmp_path, mutant, policy="single-or-double"):
    """The failed checks of ``mutant``: graded with ``shrinking_config`` under the default policy, without shrinking
    (``corpus_config``) under ``double``."""
    path = tmp_path / "mlp.py"
    path.write_text(mutant.source(), encoding="utf-8")
    hidden = corpus_config.exercise("mlp").points[mutant.owner].hidden
    config = shrinking_config if policy == "single-or-double" else corpus_config
    exercise = grade_checks(with_precision(config, policy, "mlp"), "mlp", path, hidden=hidden).exercises[0]
    assert exercise.status == "graded"
    failed = {c.id: c for c in exercise.checks if not c.passed}
    assert not [c for c in failed.values() if c.verdict == "grader_error"], [c.message for c in failed.values()]
    _deterministic(mutant, failed)
    return failed


@pytest.mark.slow
@pytest.mark.parametrize("variant", VARIANT_FILES, ids=lambda p: p.stem)
def test_correct_variant_gets_full_marks(config, variant):
    report = grade_checks(config, "mlp", variant)
    failed = {c.id: c.message for e in report.exercises for c in e.checks if not c.passed}
    assert failed == {}
    assert report.score == report.max_score == 100


@pytest.mark.parametrize("mutant, policy", _with_policies(GRADIENT_BUGS))
def test_gradient_check_catches_backprop_bug(config, corpus_config, tmp_path, mutant, policy):
    # The course's shrinking: tests/mlp/test_precision.py measures the shrunk counterexamples of the same reports.
    failed = _failed(config, corpus_config, tmp_path, mutant, policy)
    assert GRADIENT in failed, f"the gradient check missed {mutant.name}; failed: {sorted(failed)}"
    # Caught by the property itself (a wrong step), not by an exception the bug happens to raise, and as a wrong
    # step, never as single-precision rounding.
    assert failed[GRADIENT].verdict == "failed", failed[GRADIENT].message
    assert "moved by" in failed[GRADIENT].message
    assert "single-precision" not in failed[GRADIENT].message


@pytest.mark.parametrize("mutant, policy", _with_policies(OTHER_MUTANTS))
def test_mutant_is_caught_by_its_check(capped_shrink_config, corpus_config, tmp_path, mutant, policy):
    failed = _failed(capped_shrink_config, corpus_config, tmp_path, mutant, policy)
    assert mutant.owner in failed, f"{mutant.name} passed {mutant.owner}; failed: {sorted(failed)}"
    if mutant.name == "hidden_without_bias_node":
        # Every check of backprop and train raises in the student's code: each is linked to the forward shapes.
        assert "bias node -1" in failed[mutant.owner].message
        assert {c.caused_by for c in failed.values() if c.id.split(".")[0] in ("backprop", "train")} == {mutant.owner}
    if mutant.name in ("best_weights_kept", "eta_halved_when_error_rises"):
        message = failed[mutant.owner].message
        assert "the training error rises in the second epoch" in message, message
        assert ("those after epoch 1" in message) == (mutant.name == "best_weights_kept"), message
    if mutant.name == "one_epoch_too_many":
        assert "they are those of two epochs" in failed[mutant.owner].message, failed[mutant.owner].message
    if mutant.name == "beta_of_its_own":
        assert "does train use the beta it is given" in failed[mutant.owner].message, failed[mutant.owner].message
    if mutant.name == "backprop_returns_w2_first":
        assert "in the order (w2, w1)" in failed[GRADIENT].message
    if mutant.name == "forward_returns_y_first":
        assert "in the order (hidden, y)" in failed[mutant.owner].message, failed[mutant.owner].message
    if mutant.owner == "forward.bias_node":
        _bias_node_is_one_bug(mutant, failed)
    if mutant.name == "sattolo_shuffle":
        # A new order every epoch, but always a cyclic one: named as such, not as a first order presented again.
        assert "no sample is presented at its own place" in failed[mutant.owner].message, failed[mutant.owner].message
    if mutant.name == "predict_half_is_class_1":
        assert "0.5 exactly" in failed[mutant.owner].message, failed[mutant.owner].message
    if mutant.name in ("predict_last_of_ties", "predict_argmax_reversed"):
        assert "the first of equal outputs" in failed[mutant.owner].message, failed[mutant.owner].message
    if mutant.owner in FORWARD:
        # What the student's own forward pass feeds (their backprop, the error curve, predict) fails as a
        # consequence, and says so.
        for check in failed.values():
            if check.id in (GRADIENT, "train.error_curve", "predict.classes"):
                assert check.caused_by in FORWARD, (check.id, check.message)


def _bias_node_is_one_bug(mutant, failed) -> None:
    """A wrong bias node costs forward.bias_node: forward.logistic, which judges the logistic neurons, passes when
    they are right (outputs computed from the hidden layer returned), else is linked to it; no message says a
    logistic value is the bias node's -1."""
    logistic = failed.get("forward.logistic")
    if mutant.name.startswith("bias_node_plus_one"):
        assert logistic is None, logistic.message
    assert logistic is None or logistic.caused_by == mutant.owner, logistic.message
    assert not [c.message for c in failed.values() if re.search(r"sigma\(.*\) = -", c.message)]


def _deterministic(mutant, failed) -> None:
    """No check reports a deterministic mutant as depending on global state."""
    if "random" not in mutant.name:
        assert not [c.id for c in failed.values() if "different results on the same input" in c.message]


#: Diagnosed mutants whose bug reaches a hidden check: graded with the hidden checks too.
REACHES_HIDDEN = {"predict_argmin"}


@pytest.mark.parametrize("mutant", DIAGNOSED, ids=lambda m: m.name)
def test_the_owner_is_the_root_and_every_other_failure_is_linked_to_it(config, tmp_path, mutant):
    """One bug, one diagnosis: NaN outputs (compared as the same NaN by every check relating two results), a bug in
    predict alone (the hidden iris run goes through train and predict), a shape error in forward."""
    path = tmp_path / "mlp.py"
    path.write_text(mutant.source(), encoding="utf-8")
    exercise = grade_checks(config, "mlp", path, hidden=mutant.name in REACHES_HIDDEN).exercises[0]
    failed = {c.id: c for c in exercise.checks if not c.passed}
    assert mutant.owner in failed and failed[mutant.owner].caused_by is None, sorted(failed)
    unlinked = {c.id: c.message for c in failed.values() if c.id != mutant.owner and c.caused_by != mutant.owner}
    assert not unlinked, unlinked
    if mutant.name in REACHES_HIDDEN:
        assert failed["train.iris_accuracy"].caused_by == mutant.owner


def test_the_iris_run_names_a_check_of_every_function_it_goes_through(config):
    from grader.exercise import load_exercise

    exercise = load_exercise(config.exercise("mlp"), hidden=True)
    iris = next(bound.check for bound in exercise.checks if bound.id == "train.iris_accuracy")
    assert {suspect.split(".")[0] for suspect in iris.suspects} >= {"train", "predict", "backprop", "forward"}


#: predict, confusion_matrix and class_scores answering the same thing whatever they are given: they modify no input.
CONSTANT_ANSWERS = '''

def predict(x, w1, w2, beta):
    return np.zeros(len(x), dtype=int)


def confusion_matrix(y, t):
    return np.eye(max(len(t[0]), 2), dtype=int)


def class_scores(cm):
    return np.ones(len(cm)), np.ones(len(cm)), 1.0
'''


@pytest.mark.quick
def test_inputs_untouched_is_earned_only_with_the_right_answer(config, tmp_path):
    """A function that leaves its inputs alone but answers wrongly earns no point for leaving them alone: each of
    these checks fails on its precondition, linked to the check of the answer."""
    path = tmp_path / "mlp.py"
    path.write_text((VARIANTS / "loops.py").read_text(encoding="utf-8") + CONSTANT_ANSWERS, encoding="utf-8")
    checks = {c.id: c for c in grade_checks(config, "mlp", path, hidden=False).exercises[0].checks}
    for untouched, answer in (("predict.inputs_untouched", "predict.classes"),
                              ("confusion_matrix.inputs_untouched", "confusion_matrix.counts"),
                              ("class_scores.inputs_untouched", "class_scores.recall_precision")):
        assert not checks[untouched].passed and checks[untouched].points == 0, untouched
        assert checks[untouched].caused_by == answer, (untouched, checks[untouched].caused_by)
