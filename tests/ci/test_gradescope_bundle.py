"""``grader dist --gradescope OUT.zip``: a bundle Gradescope accepts, whose run_autograder grades with the hidden
checks in the isolated worker and always writes results.json.  Run here as Gradescope runs it, in a folder
laid out like /autograder."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from grader import load_config

from .secrets_scan import body_windows, leaks
from .support import ROOT, run_grader, unpack_autograder


@pytest.fixture(scope="module")
def bundle(fast_course, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("gradescope") / "autograder.zip"
    done = run_grader("dist", "--gradescope", str(out), "--config", str(fast_course))
    assert done.returncode == 0, done.stderr
    return out


def _run(folder: Path) -> tuple[subprocess.CompletedProcess, dict]:
    env = {**os.environ, "GRADER_AUTOGRADER_ROOT": str(folder), "GRADER_PYTHON": sys.executable}
    env.pop("GRADER_RESULTS", None)
    done = subprocess.run([str(folder / "source" / "run_autograder")], cwd=folder, env=env, capture_output=True,
                          text=True, timeout=600)
    return done, json.loads((folder / "results" / "results.json").read_text(encoding="utf-8"))


def test_bundle_layout(bundle, tmp_path):
    with zipfile.ZipFile(bundle) as archive:
        infos = {info.filename: info for info in archive.infolist()}
    for name in ("setup.sh", "run_autograder"):  # at the root of the archive, executable
        assert (infos[name].external_attr >> 16) & stat.S_IXUSR
    assert "config.yaml" in infos and "pyproject.toml" in infos and "grader/cli.py" in infos
    assert "reference/kmeans_hidden_checks.py" in infos  # the hidden checks travel...
    assert "reference/kmeans.py" not in infos  # ...the reference solution never does
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(tmp_path / "unpacked")
        scripts = [archive.read(name).decode("utf-8") for name in ("setup.sh", "run_autograder")]
    assert leaks(tmp_path / "unpacked", body_windows(ROOT / "reference" / "kmeans.py"), set()) == []
    for script in scripts:
        subprocess.run(["bash", "-n", "-c", script], check=True)  # both scripts parse
    assert 'pip install "$root/source"' in scripts[0] and 'root="${GRADER_AUTOGRADER_ROOT:-/autograder}"' in scripts[0]


def test_run_autograder_grades_with_hidden_checks(bundle, tmp_path):
    folder = unpack_autograder(bundle, tmp_path)
    shutil.copy(ROOT / "reference" / "kmeans.py", folder / "submission" / "kmeans.py")
    done, results = _run(folder)
    assert done.returncode == 0, done.stderr
    assert set(results) == {"score", "execution_time", "output", "tests"}
    assert results["score"] == 100.0
    hidden = [test for test in results["tests"] if test["visibility"] == "after_published"]
    assert len(hidden) == 2 and all(test["status"] == "passed" for test in hidden)
    assert len(results["tests"]) == 23


def test_a_repository_upload_is_found_at_its_place(bundle, tmp_path):
    folder = unpack_autograder(bundle, tmp_path)
    place = folder / "submission" / "exercises" / "kmeans"
    place.mkdir(parents=True)
    shutil.copy(ROOT / "exercises" / "kmeans" / "kmeans.py", place / "kmeans.py")
    done, results = _run(folder)
    assert done.returncode == 0, done.stderr
    assert results["score"] == 0.0 and all(test["status"] == "failed" for test in results["tests"])
    assert "not implemented" in results["tests"][0]["output"]


def test_nothing_submitted_still_gives_results(bundle, tmp_path):
    folder = unpack_autograder(bundle, tmp_path)
    done, results = _run(folder)
    assert done.returncode == 0, done.stderr
    (test,) = results["tests"]
    assert test["status"] == "failed" and results["score"] == 0.0 and "kmeans.py" in test["output"]


def test_a_broken_bundle_still_writes_results_for_the_student(bundle, tmp_path):
    folder = unpack_autograder(bundle, tmp_path)
    (folder / "source" / "config.yaml").write_text("exercises: [", encoding="utf-8")
    done, results = _run(folder)
    assert done.returncode == 1
    assert results["score"] == 0.0 and "tell your instructor" in results["output"]


def test_results_path_can_be_chosen(bundle, tmp_path):
    folder = unpack_autograder(bundle, tmp_path / "ag")
    target = tmp_path / "elsewhere" / "results.json"
    env = {**os.environ, "GRADER_AUTOGRADER_ROOT": str(folder), "GRADER_PYTHON": sys.executable,
           "GRADER_RESULTS": str(target)}
    subprocess.run([str(folder / "source" / "run_autograder")], env=env, capture_output=True, check=True)
    assert json.loads(target.read_text(encoding="utf-8"))["score"] == 0.0


def test_gradescope_takes_the_completed_file_wherever_the_skeletons_are_left(tmp_path):
    # A clone of the starter uploaded whole: its skeletons stay in the course layout; the student wrote kmeans.c
    # at the top, or completed the notebook beside the Python skeleton.
    from grader import load_config
    from grader.dist.autograder import find_module

    from tests.conftest import ROOT as REPO

    exercise = load_config(REPO / "config.yaml").exercise("kmeans")
    upload = tmp_path / "upload"
    for name in ("kmeans.py", "kmeans.c", "kmeans.f90"):
        (upload / "exercises" / "kmeans").mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / "exercises" / "kmeans" / name, upload / "exercises" / "kmeans" / name)
    shutil.copy(REPO / "reference" / "kmeans.c", upload / "kmeans.c")
    choice = find_module(upload, exercise)
    assert (choice.path, choice.language) == (upload / "kmeans.c", "c")
    notebook = tmp_path / "nb"
    (notebook / "exercises" / "kmeans").mkdir(parents=True)
    shutil.copy(REPO / "exercises" / "kmeans" / "kmeans.py", notebook / "exercises" / "kmeans" / "kmeans.py")
    code = (REPO / "reference" / "kmeans.py").read_text(encoding="utf-8")
    cells = [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": code}]
    (notebook / "exercises" / "kmeans" / "kmeans.ipynb").write_text(json.dumps(
        {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
    assert find_module(notebook, exercise).path == notebook / "exercises" / "kmeans" / "kmeans.ipynb"


@pytest.mark.quick
def test_gradescope_finds_the_file_as_grader_grade_does(fast_course, tmp_path):
    """``KMeans.py`` and ``kmeans (1).py`` (a browser's second download) are graded, as ``grader grade`` grades
    them (a name matched whatever its case or numbered); with nothing to grade, the message names the
    files that were found."""
    from grader.dist.autograder import find_module, run

    exercise = load_config(fast_course).exercise("kmeans")
    for name in ("KMeans.py", "kmeans (1).py"):
        upload = tmp_path / name / "submission"
        upload.mkdir(parents=True)
        shutil.copy(ROOT / "reference" / "kmeans.py", upload / name)
        (upload / "notes.txt").write_text("my k-means\n", encoding="utf-8")
        assert find_module(upload, exercise).path == upload / name
    assert run(fast_course, tmp_path / "kmeans (1).py" / "submission", tmp_path / "results.json") == 0
    results = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert results["score"] == 100.0, results["output"]
    assert "graded kmeans (1).py as kmeans.py (a copy of that name: no kmeans.py in the submission)" \
        in results["output"]
    empty = tmp_path / "empty"
    (empty / "work").mkdir(parents=True)
    (empty / "work" / "kmeans.txt").write_text("def kmeans(): ...\n", encoding="utf-8")
    assert run(fast_course, empty, tmp_path / "empty.json") == 0
    (test,) = json.loads((tmp_path / "empty.json").read_text(encoding="utf-8"))["tests"]
    assert "no kmeans.py (nor kmeans.c, kmeans.f90, kmeans.ipynb) in the submission (it holds work/kmeans.txt)" in test["output"]


def test_a_lone_upload_of_another_name_is_graded_and_said_so(fast_course, tmp_path):
    # One file uploaded under a name of the student's choice (the file of another exercise, or their own name for
    # it): graded as the exercise's module, and the student is told, as when it is in a folder.
    from grader.dist.autograder import run

    upload = tmp_path / "submission"
    upload.mkdir()
    shutil.copy(ROOT / "reference" / "kmeans.py", upload / "lab1.py")
    assert run(fast_course, upload, tmp_path / "results.json") == 0
    results = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert results["score"] == 100.0, results["output"]
    assert "graded lab1.py as kmeans.py (the only Python file)" in results["output"]
