"""Reports and ``grader show`` through the default mode: the student's code in the sandboxed worker."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import jsonschema
import pytest

import grader
from tests.reports import submissions
from tests.reports.conftest import ROOT, grader_command, grader_env

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (Path(grader.__file__).parent / "student" / "_worker.py").is_file(),
                       reason="the sandboxed worker (grader/student/_worker.py) does not exist yet"),
]


def test_a_sandboxed_check_writes_valid_reports_with_the_course_data_run(tmp_path, schema):
    path = submissions.write("empty_cluster_nan", tmp_path)
    folder = tmp_path / "report"
    result = subprocess.run(grader_command("check", "kmeans", "--path", str(path), "--report-dir", str(folder)),
                            cwd=ROOT, env=grader_env(NO_COLOR="1"), capture_output=True, text=True, timeout=600)
    assert result.returncode == 1, result.stderr
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(report)
    assert report["sandbox"] and "none (in-process" not in json.dumps(report["sandbox"])
    (exercise,) = report["exercises"]
    failing = {check["id"] for check in exercise["checks"] if not check["passed"]}
    assert "update.empty_cluster_keeps_center" in failing
    assert "[update.empty_cluster_keeps_center]" in result.stdout and "your code returned:" in result.stdout
    runs = exercise["showcase"]["runs"]
    assert [run["file"] for run in runs] == ["kmeans_input_file_2d.dat", "kmeans_input_file_3d.dat"]
    assert all(run["error"] == "" and run["n_iter"] >= 1 for run in runs)
    figures = sorted(path.name for path in (folder / "figures").glob("*.png"))
    assert "kmeans-update.empty_cluster_keeps_center.png" in figures
    assert "kmeans-course-kmeans_input_file_3d.dat.png" in figures
    assert (folder / "report.html").read_text(encoding="utf-8").count("<img ") == len(figures)


def test_show_through_the_sandbox(tmp_path):
    output = tmp_path / "course.png"
    result = subprocess.run(grader_command("show", "--path", str(submissions.REFERENCE), "-o", str(output)), cwd=ROOT,
                            env=grader_env(), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert output.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "kmeans_input_file_3d.dat: 250 points in 3-D" in result.stdout
