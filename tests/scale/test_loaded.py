"""The same grade idle or loaded: correct code written with loops, as the course writes it, in every language.

The corpus: k-means per point and per center, the perceptron per sample and per weight, the MLP per sample and
per neuron (its inner sums with ``np.sum``, as in the course's program), and the course's own module style, in
Python, C and Fortran.  It is graded
twice with ``grader grade`` and the hidden checks: one student at a time (idle), then all four at once
(``--jobs 4``: on two cores, loaded, their workers compete for the cores).  Idle, every submission gets
full marks; loaded, every score, verdict and message is the same.  Few examples per check keep the two runs
cheap (the time limits do not depend on their number).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, run_grader
from tests.languages.conftest import needs

pytestmark = [needs("c"), needs("fortran"), pytest.mark.slow]

TESTS = ROOT / "tests"
#: student -> exercise -> the correct loop-style submission they hand in.
CORPUS = {
    "python_loops": {"kmeans": TESTS / "kmeans" / "variants" / "loops.py",
                     "perceptron": TESTS / "perceptron" / "variants" / "loops.py",
                     "mlp": TESTS / "mlp" / "variants" / "per_neuron.py"},
    "python_course": {"kmeans": TESTS / "kmeans" / "variants" / "course_style.py",
                      "perceptron": TESTS / "perceptron" / "variants" / "course_style.py",
                      "mlp": TESTS / "mlp" / "variants" / "course_style.py"},
    "c": {"kmeans": TESTS / "languages" / "variants" / "loops.c",
          "perceptron": TESTS / "languages" / "neural_variants" / "perceptron_float.c",
          "mlp": TESTS / "languages" / "neural_variants" / "mlp_float.c"},
    "fortran": {"kmeans": TESTS / "languages" / "variants" / "loops.f90",
                "perceptron": TESTS / "languages" / "neural_variants" / "perceptron_float.f90",
                "mlp": TESTS / "languages" / "neural_variants" / "mlp_float.f90"},
}
#: exercise -> a hidden check of its that runs calls long enough to be judged (the course's data).
EXERCISES = {"kmeans": "kmeans.course_data", "perceptron": "train.iris_setosa", "mlp": "train.iris_accuracy"}


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> tuple[Path, Path]:
    """A copy of the course (its three function exercises, 3 examples per check) and the class folder."""
    folder = tmp_path_factory.mktemp("loaded")
    for name in ("data", "reference", "exercises"):
        shutil.copytree(ROOT / name, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
    raw = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    raw["exercises"] = {key: value for key, value in raw["exercises"].items() if key in EXERCISES}
    raw["max_examples"] = 3
    (folder / "config.yaml").write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    for student, sources in CORPUS.items():
        (folder / "class" / student).mkdir(parents=True)
        for exercise, source in sources.items():
            shutil.copy(source, folder / "class" / student / f"{exercise}{source.suffix}")
    return folder / "config.yaml", folder / "class"


def _grades(course: tuple[Path, Path], out: Path, jobs: int) -> dict[str, dict[str, tuple]]:
    """student -> exercise -> (score, max, ((check id, verdict), ...)) of a `grader grade` run with ``jobs``."""
    config, submissions = course
    done = run_grader("grade", str(submissions), "--out", str(out), "--config", str(config), "--jobs", str(jobs),
                      "--force", timeout=900)
    assert done.returncode == 0, done.stderr
    grades = {}
    for student in CORPUS:
        report = json.loads((out / student / "report.json").read_text(encoding="utf-8"))
        grades[student] = {exercise["id"]: (exercise["score"], exercise["max_score"],
                                            tuple((c["id"], c["verdict"], c["message"]) for c in exercise["checks"]))
                           for exercise in report["exercises"]}
    return grades


@pytest.fixture(scope="module")
def idle(course, tmp_path_factory):
    return _grades(course, tmp_path_factory.mktemp("idle"), jobs=1)


def test_loop_style_code_gets_full_marks_in_every_language(idle):
    for student, exercises in idle.items():
        assert set(exercises) == set(EXERCISES)
        for exercise, (score, max_score, checks) in exercises.items():
            assert EXERCISES[exercise] in {check_id for check_id, _, _ in checks}, "the hidden checks ran"
            assert score == max_score > 0, (student, exercise, [c for c in checks if c[1] != "passed"])


def test_four_gradings_at_once_give_the_same_grades(course, idle, tmp_path):
    assert _grades(course, tmp_path / "loaded", jobs=len(CORPUS)) == idle
