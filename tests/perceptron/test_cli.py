"""The perceptron and MLP exercises through the command line: grading a class, the students' repository."""

from __future__ import annotations

import csv
import shutil

import pytest

from tests.conftest import ROOT, run_grader


@pytest.mark.slow
def test_grade_a_class_on_the_perceptron(tmp_path):
    submissions = tmp_path / "submissions"
    (submissions / "ann").mkdir(parents=True)
    shutil.copy(ROOT / "reference" / "perceptron.py", submissions / "ann" / "perceptron.py")
    (submissions / "bob").mkdir()
    shutil.copy(ROOT / "exercises" / "perceptron" / "perceptron.py", submissions / "bob" / "perceptron.py")
    result = run_grader("grade", str(submissions), "--out", str(tmp_path / "out"), "--exercise", "perceptron")
    assert result.returncode == 0, result.stdout + result.stderr
    rows = {row["id"]: row for row in csv.DictReader((tmp_path / "out" / "gradebook.csv").open(encoding="utf-8"))}
    assert float(rows["ann"]["perceptron"]) == 100
    assert float(rows["bob"]["perceptron"]) == 0
    assert "not implemented yet" in (tmp_path / "out" / "bob" / "report.md").read_text(encoding="utf-8")


def test_student_repository_ships_both_exercises_without_their_answers(tmp_path):
    out = tmp_path / "repo"
    result = run_grader("dist", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    for exercise, module in (("perceptron", "perceptron.py"), ("mlp", "mlp.py")):
        assert (out / "exercises" / exercise / module).read_bytes() == \
            (ROOT / "exercises" / exercise / module).read_bytes()
        assert (out / "exercises" / exercise / "README.md").is_file()
    assert (out / "data" / "iris.data").is_file()
    assert not list(out.rglob("perceptron_hidden_checks.py")) and not list(out.rglob("mlp_hidden_checks.py"))
    assert not (out / "reference").exists()
    checked = run_grader("check", "perceptron", cwd=out, env={"PYTHONPATH": str(out)})
    assert checked.returncode == 1
    assert "not implemented yet" in checked.stdout
