"""``grader list`` (or ``grader exercises``): what each exercise asks for and how it is graded."""

from __future__ import annotations

import re
import shutil

import pytest

from grader import load_config
from grader.listing import exercise_checks
from tests.conftest import ROOT, run_grader


@pytest.mark.quick
def test_every_check_is_listed_with_its_points_and_visibility():
    config = load_config(ROOT / "config.yaml")
    done = run_grader("list")
    assert done.returncode == 0, done.stderr
    assert run_grader("exercises").stdout == done.stdout
    blocks = {block.split(":", 1)[0]: block for block in done.stdout.split("\n\n")}
    assert list(blocks) == list(config.exercises)
    for exercise in config.exercises.values():
        block = blocks[exercise.id]
        assert block.startswith(f"{exercise.id}: {exercise.title}")
        for check_id, spec in exercise.points.items():
            line = next(line for line in block.splitlines() if line.strip().startswith(check_id + " "))
            assert re.search(rf"\b{spec.points:g} pt", line), line
            assert ("[hidden]" in line) == spec.hidden, line
        public = exercise.public_max_score
        assert f"{exercise.max_score:g} points: {public:g} public" in block
    assert "functions: init_centers, assign, update, kmeans" in blocks["kmeans"]


def test_hidden_checks_without_their_files_are_still_listed(tmp_path):
    for folder in ("exercises", "data"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    shutil.copy(ROOT / "config.yaml", tmp_path / "config.yaml")  # no reference/: the hidden checks are absent
    checks = exercise_checks(load_config(tmp_path / "config.yaml").exercise("kmeans"))
    hidden = [check for check in checks if check.hidden]
    assert hidden and all(check.function == "" for check in hidden)
    done = run_grader("list", "--config", str(tmp_path / "config.yaml"))
    assert done.returncode == 0 and "hidden checks (their files are not here)" in done.stdout
