"""The student's own k-means on the course data files, run at grading time and kept in the report."""

from __future__ import annotations

import dataclasses
import sys
from types import MappingProxyType

import numpy as np
import pytest

from grader import grade_submission
from grader.exercises.kmeans.coursefile import read_points
from grader.exercises.kmeans import showcase as kmeans_showcase
from grader.showcase import run_showcase
from grader.student import CallAborted, CallRecord
from tests.reports.conftest import ROOT


def runs_of(report: dict) -> list[dict]:
    return report["exercises"][0]["showcase"]["runs"]


@pytest.mark.slow
def test_the_reference_clusters_both_course_files(graded):
    showcase = graded["reference"].report["exercises"][0]["showcase"]
    assert showcase["error"] == ""
    runs = {run["file"]: run for run in showcase["runs"]}
    assert set(runs) == {"kmeans_input_file_2d.dat", "kmeans_input_file_3d.dat"}
    for name, run in runs.items():
        points = np.array(run["points"])
        assert np.array_equal(points, read_points(ROOT / "data" / name))
        centers, labels = np.array(run["centers"]), np.array(run["labels"])
        assert centers.shape == (kmeans_showcase.K, points.shape[1]) and labels.shape == (len(points),)
        assert 1 <= run["n_iter"] <= kmeans_showcase.MAX_ITER and run["error"] == run["note"] == ""
        # The final association phase: every point with its nearest center.
        nearest = ((points[:, None, :] - centers[None]) ** 2).sum(axis=2).argmin(axis=1)
        assert np.array_equal(nearest, labels)


def test_the_skeleton_run_says_what_is_missing(graded):
    for run in runs_of(graded["skeleton"].report):
        assert run["error"] == "kmeans is not implemented yet"
        assert run["note"].startswith("init_centers is not implemented yet")
        assert run["centers"] is None and run["points"] is not None


def test_no_run_when_the_code_does_not_load(graded):
    assert graded["crash_at_import"].report["exercises"][0]["showcase"] is None


@pytest.fixture
def broken_showcase(config, tmp_path, monkeypatch):
    """The course configuration with a showcase module that fails."""
    (tmp_path / "broken_showcase.py").write_text(
        "def run(student, exercise, *, seed):\n    raise RuntimeError('the showcase itself is broken')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield _with_showcase(config, "broken_showcase")
    sys.modules.pop("broken_showcase", None)


def _with_showcase(config, module: str):
    exercise = dataclasses.replace(config.exercise("kmeans"), plugin=None, showcase=module)
    return dataclasses.replace(config, exercises=MappingProxyType({"kmeans": exercise}))


def test_a_failing_showcase_never_breaks_grading(broken_showcase):
    skeleton = ROOT / "exercises" / "kmeans" / "kmeans.py"
    report = grade_submission(broken_showcase, {"kmeans": skeleton}, student="s", sandbox=False)
    (exercise,) = report.exercises
    assert exercise.status == "graded" and len(exercise.checks) == 21
    assert exercise.showcase["runs"] == []
    # The showcase's own error is the exercise's, said with its file and line, never the student's run failing.
    assert exercise.showcase["error"] == ("the run on the course data could not be shown: the exercise's showcase "
                                          "raised RuntimeError: the showcase itself is broken in broken_showcase.py "
                                          "line 2, an error in the exercise, not in the student's code")


def test_a_showcase_module_that_does_not_exist_is_an_error_in_the_field(config):
    class Unused:
        protections: dict = {}

    result = run_showcase(_with_showcase(config, "grader.no_such_showcase").exercise("kmeans"), Unused(), seed=1)
    assert result["runs"] == [] and "ModuleNotFoundError" in result["error"]


class Aborting:
    """A student whose every call hits a time limit (CallAborted is a BaseException)."""

    protections: dict = {}

    def call(self, function, *args, **kwargs):
        raise CallAborted(CallRecord(function, args, kwargs), f"{function} ran out of time (10 s)", kind="timeout")


def test_a_call_that_times_out_is_an_error_of_that_run(config):
    result = run_showcase(config.exercise("kmeans"), Aborting(), seed=3)
    assert result["error"] == ""
    for run in result["runs"]:
        assert run["error"] == "kmeans ran out of time (10 s)"
        assert run["note"].startswith("init_centers ran out of time")


class WrongShapes:
    """init_centers returns garbage, kmeans returns NaN centers: still a picture, with honest notes."""

    protections: dict = {}

    def call(self, function, data, *args, **kwargs):
        if function == "init_centers":
            return "four centers"
        centers = np.array(args[0], dtype=float)
        centers[0] = np.nan
        labels = np.zeros(len(data), dtype=int)
        return centers, labels, 7


def test_invalid_results_are_described_not_trusted(config):
    result = run_showcase(config.exercise("kmeans"), WrongShapes(), seed=3)
    for run in result["runs"]:
        assert run["note"].startswith("init_centers returned a str")
        assert run["error"] == "" and run["n_iter"] == 7
        assert run["centers"][0] == ["nan"] * len(run["centers"][0])  # JSON has no NaN: strings, as everywhere
