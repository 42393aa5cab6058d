"""Grading the new exercises is reproducible: the same submission gets the same verdicts, messages and
counterexamples on every run."""

from __future__ import annotations

import pytest

from grader import grade_submission
from tests.mlp.mutants import MUTANTS as MLP_MUTANTS
from tests.perceptron.corpus import checks_only
from tests.perceptron.mutants import MUTANTS as PERCEPTRON_MUTANTS


def _outcome(config, exercise, path):
    # Graded afresh each time (not through tests/graded_once.py, which would give the first report again).
    report = grade_submission(checks_only(config, exercise), {exercise: path}, hidden=False, sandbox=False)
    checks = report.exercises[0].checks
    return [(c.id, c.verdict, c.points, c.message, c.counterexample) for c in checks]


@pytest.mark.parametrize("exercise, mutant", [
    ("perceptron", next(m for m in PERCEPTRON_MUTANTS if m.name == "batch_not_online")),
    ("mlp", next(m for m in MLP_MUTANTS if m.name == "hidden_deltas_with_updated_w2")),
], ids=["perceptron", "mlp"])
def test_same_submission_same_report(config, tmp_path, exercise, mutant):
    path = tmp_path / f"{exercise}.py"
    path.write_text(mutant.source(), encoding="utf-8")
    first = _outcome(config, exercise, path)
    assert any(verdict == "failed" for _, verdict, *_ in first)
    assert _outcome(config, exercise, path) == first
