"""The perceptron skeleton: an untouched copy scores 0 with "not implemented yet"; completed, it runs the course
program and gets full marks."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from grader import grade_submission
from tests.conftest import ROOT
from tests.perceptron.skeletons import completed, left_to_student

SKELETON = ROOT / "exercises" / "perceptron" / "perceptron.py"
REFERENCE = ROOT / "reference" / "perceptron.py"


@pytest.mark.quick
def test_skeleton_leaves_the_contract_to_the_student():
    todo = left_to_student(SKELETON.read_text(encoding="utf-8"))
    assert todo == ["add_bias", "forward", "update", "train", "confusion_matrix", "class_scores"]


@pytest.mark.quick
def test_untouched_skeleton_scores_zero_with_not_implemented_yet(config):
    exercise = grade_submission(config, {"perceptron": SKELETON}, hidden=True, sandbox=False).exercises[0]
    assert exercise.status == "graded" and exercise.score == 0
    assert {c.verdict for c in exercise.checks} == {"not_implemented"}
    assert all(c.message.endswith("is not implemented yet") for c in exercise.checks)


def test_completed_skeleton_runs_the_course_program_and_gets_full_marks(config, tmp_path):
    script = tmp_path / "perceptron.py"
    script.write_text(completed(SKELETON, REFERENCE), encoding="utf-8")
    (tmp_path / "iris.data").write_bytes((ROOT / "data" / "iris.data").read_bytes())
    result = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env={**os.environ, "MPLBACKEND": "Agg"},
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("confusion matrix") == 2 and "accuracy" in result.stdout
    # The OR gate is learned: its confusion matrix is diagonal, accuracy 1.
    assert "accuracy  1.000" in result.stdout.split("--- iris")[0]
    assert (tmp_path / "perceptron_or.png").stat().st_size > 0
    report = grade_submission(config, {"perceptron": script}, hidden=True, sandbox=False)
    assert report.score == report.max_score == 100
