"""A ``train`` that does its own back-propagation, without calling ``backprop``: it is judged on what it does,
whatever the state of the student's ``backprop`` (wrong or not written yet), which loses only its own points."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT
from tests.perceptron.corpus import grade_checks

REFERENCE = (ROOT / "reference" / "mlp.py").read_text(encoding="utf-8")

# The course's loop, written inline: forward pass and deltas of each sample in train itself.
SELF_CONTAINED_TRAIN = '''
def train(x, t, w1, w2, eta, beta, epochs, rng):
    w1 = np.array(w1, dtype=float)
    w2 = np.array(w2, dtype=float)
    x = np.asarray(x, dtype=float)
    t = np.asarray(t, dtype=float)
    errors = np.zeros(epochs)
    for epoch in range(epochs):
        for i in rng.permutation(len(x)):
            hid = np.append(1.0 / (1.0 + np.exp(-beta * (x[i] @ w1))), -1.0)
            y = 1.0 / (1.0 + np.exp(-beta * (hid @ w2)))
            d_o = beta * (y - t[i]) * y * (1 - y)
            d_h = beta * hid[:-1] * (1 - hid[:-1]) * (w2[:-1] @ d_o)
            w1 = w1 - eta * np.outer(x[i], d_h)
            w2 = w2 - eta * np.outer(hid, d_o)
        _, y = forward(x, w1, w2, beta)
        errors[epoch] = 0.5 * float(np.sum((y - t) ** 2))
    return w1, w2, errors
'''

BACKPROPS = {
    # One realistic bug: the learning rate applied twice to w2.
    "wrong": ("return w1 - eta * np.outer(x, delta_h), w2 - eta * np.outer(hidden, delta_o)",
              "return w1 - eta * np.outer(x, delta_h), w2 - 2 * eta * np.outer(hidden, delta_o)"),
    "not_written": ('    """One on-line step of back-propagation on one sample; returns the new (w1, w2)."""\n',
                    '    """One on-line step of back-propagation on one sample; returns the new (w1, w2)."""\n'
                    '    raise NotImplementedError("backprop")\n'),
}


def _source(backprop: str) -> str:
    old, new = BACKPROPS[backprop]
    assert old in REFERENCE
    head, _ = REFERENCE.replace(old, new, 1).split("\ndef train(", 1)
    rest = REFERENCE.split("\ndef train(", 1)[1].split("\ndef predict(", 1)[1]
    return head + SELF_CONTAINED_TRAIN + "\n\ndef predict(" + rest


@pytest.mark.parametrize("backprop", sorted(BACKPROPS))
def test_a_self_contained_train_keeps_its_points_whatever_backprop_does(config, tmp_path, backprop):
    path = tmp_path / "mlp.py"
    path.write_text(_source(backprop), encoding="utf-8")
    report = grade_checks(config, "mlp", path, hidden=False)
    lost = {c.id: c.verdict for c in report.exercises[0].checks if not c.passed}
    assert lost and all(check.startswith("backprop.") for check in lost), lost
    assert all(c.passed for c in report.exercises[0].checks if c.id.startswith("train.")), lost
    if backprop == "not_written":
        assert set(lost.values()) == {"not_implemented"}, lost


def test_a_self_contained_train_beside_an_unwritten_backprop_is_its_own_root(config, tmp_path):
    """A train that does its own back-propagation, wrong (the derivative of the hidden layer taken on h, not on
    its output), beside a backprop not written yet: its failures are linked to its own epoch, not to backprop."""
    path = tmp_path / "mlp.py"
    wrong = _source("not_written").replace("d_h = beta * hid[:-1] * (1 - hid[:-1])",
                                           "d_h = beta * (x[i] @ w1) * (1 - x[i] @ w1)")
    assert wrong != _source("not_written")
    path.write_text(wrong, encoding="utf-8")
    checks = {c.id: c for c in grade_checks(config, "mlp", path, hidden=False).exercises[0].checks}
    failed = {check_id: c.caused_by for check_id, c in checks.items() if check_id.startswith("train.") and not c.passed}
    assert failed.get("train.online_epoch", "passed") is None, failed
    assert not [cause for cause in failed.values() if cause and cause.startswith("backprop.")], failed


def test_a_backprop_that_never_returns_costs_train_one_time_limit_not_the_whole_budget(config, tmp_path):
    """Each example of a train check calls the student's backprop first: one that runs forever stops train's
    checks at the first time limit, as any call would, and leaves the other functions their time."""
    import dataclasses

    from tests.perceptron.corpus import checks_only
    from grader import grade_submission

    path = tmp_path / "mlp.py"
    path.write_text(_source("not_written").replace('raise NotImplementedError("backprop")', "while True:\n        pass"),
                    encoding="utf-8")
    limits = dataclasses.replace(config.limits, call_timeout=1.0, total_timeout=8.0)
    course = dataclasses.replace(checks_only(config, "mlp"), limits=limits, max_examples=3)
    checks = grade_submission(course, {"mlp": path}, hidden=False).exercises[0].checks
    assert not [c.id for c in checks if "time budget" in c.message], [(c.id, c.message) for c in checks]
    assert all(c.passed for c in checks if c.function in ("predict", "confusion_matrix", "class_scores"))


def test_the_notes_of_an_attempt_set_aside_are_forgotten_by_the_example_cache_too():
    """When the student's backprop does not explain train's weights and the contract's step does, what the first
    attempt noted (single precision seen) is forgotten: in the report, and in what the example cache records of
    the example (an example it vouches for later notes what the example noted in the end)."""
    from grader.authoring import CheckContext, CheckFailed
    from grader.exercises.mlp.checks import _ContractBackprop, _own_backprop_or_the_contracts

    def body(student, context):
        if not isinstance(student, _ContractBackprop):
            context.note("computed in single precision")
            raise CheckFailed("the weights differ from your backprop's")

    context = CheckContext()
    with context.listening() as heard:
        _own_backprop_or_the_contracts(body)(object(), context=context)
    assert context.notes == [] and heard == []
