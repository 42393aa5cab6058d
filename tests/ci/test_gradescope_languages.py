"""The Gradescope bundle grades Python, C and Fortran submissions, at the top of the upload or in the course's
layout, out of the exercise the bundle is for.

A temporary folder stands for ``/autograder`` (``GRADER_AUTOGRADER_ROOT``); ``setup.sh`` runs with
``GRADER_PYTHON`` (a Python that has the grader's dependencies: no virtual environment), so on a machine with
gcc and gfortran it installs nothing; then ``run_autograder`` grades each submission into
``results/results.json``, checked against Gradescope's format.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import course_copy
from .support import ROOT, run_grader, unpack_autograder
from .test_gradescope_results import _exact

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None or shutil.which("gfortran") is None,
                                reason="gcc and gfortran are needed")


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """A copy of the course with two exercises (few examples per check)."""
    return course_copy(tmp_path_factory.mktemp("course"), max_examples=4, exercises=("kmeans", "kmeans_program"))


def _bundle(course: Path, folder: Path, exercise: str) -> tuple[Path, str]:
    out = folder / f"{exercise}.zip"
    done = run_grader("dist", "--gradescope", str(out), "--config", str(course), "--exercise", exercise)
    assert done.returncode == 0, done.stderr
    return out, done.stdout


@pytest.fixture(scope="module")
def kmeans_bundle(course, tmp_path_factory) -> Path:
    return _bundle(course, tmp_path_factory.mktemp("bundle"), "kmeans")[0]


def _env(root: Path) -> dict[str, str]:
    env = {**os.environ, "GRADER_AUTOGRADER_ROOT": str(root), "GRADER_PYTHON": sys.executable}
    env.pop("GRADER_RESULTS", None)
    return env


def _autograder(bundle: Path, root: Path) -> Path:
    """``root`` laid out as /autograder: the bundle in source/, set up by its setup.sh, empty submission/."""
    unpack_autograder(bundle, root)
    (root / "results").mkdir()
    done = subprocess.run(["bash", str(root / "source" / "setup.sh")], cwd=root / "source", env=_env(root),
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert not (root / "venv").exists()  # GRADER_PYTHON: nothing installed
    return root


def _grade(root: Path) -> dict:
    done = subprocess.run([str(root / "source" / "run_autograder")], cwd=root, env=_env(root), capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    results = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    _exact(results)
    return results


def test_setup_installs_the_compilers_it_lacks(kmeans_bundle):
    with zipfile.ZipFile(kmeans_bundle) as archive:
        setup = archive.read("setup.sh").decode("utf-8")
    assert "command -v gcc" in setup and "command -v gfortran" in setup and "apt-get install" in setup
    assert setup.index("command -v gcc") < setup.index('if [ -n "${GRADER_PYTHON:-}" ]')  # also when tried out


@pytest.mark.parametrize("suffix", ["py", "c", "f90"])
def test_every_language_at_the_top_and_in_the_layout(kmeans_bundle, tmp_path, suffix):
    for where, place in (("top", "."), ("layout", "exercises/kmeans")):
        root = _autograder(kmeans_bundle, tmp_path / where)
        (root / "submission" / place).mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "reference" / f"kmeans.{suffix}", root / "submission" / place / f"kmeans.{suffix}")
        if where == "layout":  # a whole repository: the other languages' skeletons are there too
            for other in {"py", "c", "f90"} - {suffix}:
                shutil.copy(ROOT / "exercises" / "kmeans" / f"kmeans.{other}", root / "submission" / place)
        results = _grade(root)
        assert results["score"] == 100.0, (where, results["output"])
        public = sum(test["max_score"] for test in results["tests"] if test["visibility"] == "visible")
        assert f"k-means (kmeans): {public:g}/{public:g} on the visible checks" in results["output"]
        assert sum(test["max_score"] for test in results["tests"]) == 100.0
        assert all(test["status"] == "passed" for test in results["tests"]), where


def test_nothing_in_any_language_names_them_all(kmeans_bundle, tmp_path):
    root = _autograder(kmeans_bundle, tmp_path)
    (root / "submission" / "notes.txt").write_text("hello", encoding="utf-8")
    results = _grade(root)
    assert results["score"] == 0.0
    assert "no kmeans.py (nor kmeans.c, kmeans.f90, kmeans.ipynb) in the submission (it holds notes.txt)" \
        in results["tests"][0]["output"]


@pytest.fixture(scope="module")
def program_bundle(course, tmp_path_factory) -> tuple[Path, str]:
    return _bundle(course, tmp_path_factory.mktemp("bundle"), "kmeans_program")


def test_a_c_program_at_the_top(program_bundle, tmp_path):
    bundle, said = program_bundle
    assert "note:" not in said  # one exercise: nothing to warn about
    root = _autograder(bundle, tmp_path / "autograder")
    shutil.copy(ROOT / "reference" / "kmeans_program.c", root / "submission" / "kmeans_program.c")
    results = _grade(root)
    maximum = sum(test["max_score"] for test in results["tests"])
    assert maximum == 52.0 and results["score"] == maximum, results["output"]


def test_a_bundle_of_several_exercises_says_how_it_scores(course, tmp_path):
    done = run_grader("dist", "--gradescope", str(tmp_path / "all.zip"), "--config", str(course))
    assert done.returncode == 0, done.stderr
    assert "scored out of all 2 exercises (152 points)" in done.stdout and "--exercise" in done.stdout


def test_a_program_beside_the_skeletons_of_the_other_languages(program_bundle, tmp_path):
    # The starter repository hands out the program in every language: the one completed is graded, as grader check
    # chooses it; skeletons all left as handed out, the first language's is; a skeleton beside a program under
    # another name is graded, and the student is told to rename theirs.
    root = _autograder(program_bundle[0], tmp_path)
    skeletons, submission = ROOT / "exercises" / "kmeans_program", root / "submission"
    shapes = {
        "one completed": (".", {"kmeans_program.c": ROOT / "reference" / "kmeans_program.c",
                                "kmeans_program.py": skeletons / "kmeans_program.py",
                                "kmeans_program.f90": skeletons / "kmeans_program.f90"}),
        "all untouched": ("exercises/kmeans_program", {f"kmeans_program.{suffix}": skeletons / f"kmeans_program.{suffix}"
                                                       for suffix in ("c", "f90", "py")}),
        "another name": (".", {"kmeans_program.py": skeletons / "kmeans_program.py",
                               "main.c": ROOT / "reference" / "kmeans_program.c"}),
    }
    outputs = {}
    for shape, (place, files) in shapes.items():
        shutil.rmtree(submission)
        (submission / place).mkdir(parents=True)
        for name, source in files.items():
            shutil.copy(source, submission / place / name)
        results = _grade(root)
        outputs[shape] = (results["score"], results["output"])
    score, output = outputs["one completed"]
    assert score == 52.0, output
    assert "note: graded kmeans_program.c (c); also found kmeans_program.py, kmeans_program.f90, not graded" in output
    score, output = outputs["all untouched"]
    assert score == 0.0 and "several programs" not in output
    assert ("note: graded exercises/kmeans_program/kmeans_program.py (python); also found "
            "exercises/kmeans_program/kmeans_program.c, exercises/kmeans_program/kmeans_program.f90, not graded"
            in output)
    score, output = outputs["another name"]
    assert score == 0.0 and ("note: also found main.c, not graded: the file graded is kmeans_program.py; rename "
                             "yours kmeans_program.c") in output
