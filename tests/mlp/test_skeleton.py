"""The MLP skeleton: an untouched copy scores 0 with "not implemented yet"; completed, it runs the course's iris
program (confusion matrix every 50 epochs, figures saved) and gets full marks."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from grader import grade_submission
from tests.conftest import ROOT
from tests.perceptron.skeletons import completed, left_to_student

SKELETON = ROOT / "exercises" / "mlp" / "mlp.py"
REFERENCE = ROOT / "reference" / "mlp.py"


@pytest.mark.quick
def test_skeleton_leaves_the_contract_to_the_student():
    todo = left_to_student(SKELETON.read_text(encoding="utf-8"))
    assert todo == ["forward", "backprop", "train", "predict", "confusion_matrix", "class_scores"]


@pytest.mark.quick
def test_untouched_skeleton_scores_zero_with_not_implemented_yet(config):
    exercise = grade_submission(config, {"mlp": SKELETON}, hidden=True, sandbox=False).exercises[0]
    assert exercise.status == "graded" and exercise.score == 0
    assert {c.verdict for c in exercise.checks} == {"not_implemented"}
    assert all(c.message.endswith("is not implemented yet") for c in exercise.checks)


@pytest.mark.slow
def test_completed_skeleton_runs_the_course_program_and_gets_full_marks(config, tmp_path):
    script = tmp_path / "mlp.py"
    script.write_text(completed(SKELETON, REFERENCE), encoding="utf-8")
    (tmp_path / "iris.data").write_bytes((ROOT / "data" / "iris.data").read_bytes())
    result = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env={**os.environ, "MPLBACKEND": "Agg"},
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("confusion matrix") == 20
    accuracy = float(re.findall(r"accuracy\s+([0-9.]+)", result.stdout)[-1])
    assert accuracy >= 0.9
    assert (tmp_path / "mlp_iris.png").stat().st_size > 0
    report = grade_submission(config, {"mlp": script}, hidden=True, sandbox=False)
    assert report.score == report.max_score == 100


def test_no_skeleton_demands_more_precision_than_its_exercise_accepts(config):
    """Every skeleton of an exercise that accepts single precision says nothing that rules it out."""
    for exercise_id, exercise in config.exercises.items():
        if exercise.precision != "single-or-double":
            continue
        for skeleton in sorted((ROOT / "exercises" / exercise_id).glob(f"{exercise.module.split('.')[0]}.*")):
            text = " ".join(skeleton.read_text(encoding="utf-8").split()).lower()
            assert "checks to double precision" not in text, skeleton
