"""Grading the new exercises is reproducible: the same submission gets the same verdicts, messages and
counterexamples on every run."""

from __future__ import annotations

import pytest

from tests.mlp.mutants import MUTANTS as MLP_MUTANTS
from tests.perceptron.corpus import grade_checks
from tests.perceptron.mutants import MUTANTS as PERCEPTRON_MUTANTS


def _outcome(config, exercise, path):
    checks = grade_checks(config, exercise, path, hidden=False).exercises[0].checks
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
