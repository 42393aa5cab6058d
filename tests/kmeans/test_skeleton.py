"""The student skeleton: its contract, and the course workflow once it is completed."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

from grader.exercises.kmeans.coursefile import read_centers, read_points
from tests.conftest import REFERENCE, ROOT, SKELETON

STUDENT_FUNCTIONS = ("init_centers", "assign", "update", "kmeans")


def _functions(source: str) -> dict[str, ast.FunctionDef]:
    return {node.name: node for node in ast.parse(source).body if isinstance(node, ast.FunctionDef)}


def completed_skeleton() -> str:
    """The skeleton with the student's functions filled in from the reference, everything else untouched."""
    skeleton = SKELETON.read_text(encoding="utf-8")
    reference = REFERENCE.read_text(encoding="utf-8")
    lines = skeleton.splitlines(keepends=True)
    ref_lines = reference.splitlines(keepends=True)
    ref_functions = _functions(reference)
    for name, node in sorted(_functions(skeleton).items(), key=lambda item: -item[1].lineno):
        if name in STUDENT_FUNCTIONS:
            ref = ref_functions[name]
            lines[node.lineno - 1 : node.end_lineno] = ref_lines[ref.lineno - 1 : ref.end_lineno]
    return "".join(lines)


@pytest.mark.quick
def test_skeleton_states_the_contract_in_the_course_words():
    functions = _functions(SKELETON.read_text(encoding="utf-8"))
    assert set(STUDENT_FUNCTIONS) | {"distance"} <= set(functions)
    docs = {name: ast.get_docstring(functions[name]) or "" for name in STUDENT_FUNCTIONS}
    assert "association phase" in docs["assign"].lower()
    assert "update phase" in docs["update"].lower()
    assert "main loop" in docs["kmeans"].lower()
    assert "move <= eps" in docs["kmeans"] and "max_iter" in docs["kmeans"]
    assert "ValueError" in docs["init_centers"] and "distinct" in docs["init_centers"]
    for name in STUDENT_FUNCTIONS:
        body = functions[name].body[-1]
        assert isinstance(body, ast.Raise), f"{name} should be left to the student"


@pytest.mark.quick
def test_distance_is_given():
    namespace: dict = {}
    exec(compile(SKELETON.read_text(encoding="utf-8"), str(SKELETON), "exec"), namespace)
    assert namespace["distance"](np.array([0.0, 0.0, 0.0]), np.array([1.0, 2.0, 2.0])) == pytest.approx(9.0)


@pytest.mark.parametrize("which, ndim, npoints", [("2d", 2, 200), ("3d", 3, 250)])
def test_completed_skeleton_runs_the_course_workflow(tmp_path, which, ndim, npoints):
    script = tmp_path / "kmeans.py"
    script.write_text(completed_skeleton(), encoding="utf-8")
    shutil.copy(ROOT / "data" / f"kmeans_input_file_{which}.dat", tmp_path)
    env = {**os.environ, "MPLBACKEND": "Agg"}
    args = [sys.executable, str(script)] + ([] if which == "2d" else ["3d"])
    result = subprocess.run(args, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    steps = [line for line in result.stdout.splitlines() if line.startswith("step")]
    assert steps and "error" in steps[0] and "move" in steps[0]
    centers = read_centers(tmp_path / f"kmeans_output_{which}.dat")
    assert centers.shape == (4, ndim)
    # The saved centers are a fixed point of k-means on the course data: each is the mean of its points.
    data = read_points(tmp_path / f"kmeans_input_file_{which}.dat")
    assert data.shape == (npoints, ndim)
    labels = ((data[:, None, :] - centers[None]) ** 2).sum(axis=2).argmin(axis=1)
    for j in range(4):
        if np.any(labels == j):
            assert np.allclose(centers[j], data[labels == j].mean(axis=0), atol=0.05)


def test_completed_skeleton_finds_the_data_from_the_repository(tmp_path):
    # In a clone of the course repository, run from another folder: the script finds data/ itself.
    repo = tmp_path / "repo"
    (repo / "exercises" / "kmeans").mkdir(parents=True)
    shutil.copytree(ROOT / "data", repo / "data")
    script = repo / "exercises" / "kmeans" / "kmeans.py"
    script.write_text(completed_skeleton(), encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run([sys.executable, str(script)], cwd=elsewhere, env={**os.environ, "MPLBACKEND": "Agg"},
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (elsewhere / "kmeans_output_2d.dat").exists()


def test_completed_skeleton_gets_full_marks(config, tmp_path):
    from grader import grade_submission

    path = tmp_path / "kmeans.py"
    path.write_text(completed_skeleton(), encoding="utf-8")
    report = grade_submission(config, {"kmeans": path}, hidden=True, sandbox=False)
    assert report.score == report.max_score
