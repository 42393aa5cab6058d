"""Counterexample figures in 1-D, 2-D and 3-D; a figure that cannot be drawn is a note, never a broken report."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib import image

from grader.exercises.kmeans import figures
from grader.exercises.kmeans.figures import counterexample_figure
from grader.render import figures as report_figures_module
from grader.render import write_reports
from grader.render.figures import report_figures, to_png
from grader.results import CheckResult, ExerciseResult, Report


def update_example(d: int) -> dict:
    """update on 3 points, center 1 left without a point: the student's NaN against the rule."""
    data = [[float(i)] * d for i in range(3)]
    return {"data": data, "labels": [0, 0, 2], "centers": [[0.0] * d, [5.0] * d, [2.0] * d],
            "returned": [[0.5] * d, ["nan"] * d, [2.0] * d], "expected": [[0.5] * d, [5.0] * d, [2.0] * d]}


def report_with(*checks: CheckResult) -> Report:
    exercise = ExerciseResult(id="kmeans", title="k-means", score=0.0, max_score=float(len(checks)), status="graded",
                              checks=checks, plugin="grader.exercises.kmeans")
    return Report(student="bob", score=0.0, max_score=float(len(checks)), exercises=(exercise,),
                  grader_version="test", seed=1)


def failed(check_id: str, counterexample) -> CheckResult:
    return CheckResult(id=check_id, function=check_id.split(".")[0], title=check_id, passed=False, points=0.0,
                       max_points=1.0, verdict="failed", message="wrong", counterexample=counterexample)


@pytest.mark.parametrize("d", [1, 2, 3])
def test_yours_beside_expected_in_one_to_three_dimensions(d):
    figure = counterexample_figure(update_example(d))
    assert figure is not None and len(figure.axes) == 2
    titles = [ax.get_title() for ax in figure.axes]
    assert titles == ["yours", "expected"]
    assert (figure.axes[0].name == "3d") is (d == 3)
    # The student's NaN center cannot be drawn: the panel says so instead of hiding it.
    texts = [text.get_text() for text in figure.axes[0].texts]
    assert any("not drawn: center 1" in text for text in texts)
    assert to_png(figure)[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.quick
def test_mislabelled_points_are_ringed_in_the_students_panel():
    example = {"data": [[0.0, 0.0], [1.0, 0.0], [9.0, 0.0]], "centers": [[0.0, 0.0], [10.0, 0.0]],
               "returned": [0, 1, 1], "expected": [0, 0, 1]}
    figure = counterexample_figure(example)
    legend = figure.axes[0].get_legend()
    assert legend is not None and "not the expected label" in [text.get_text() for text in legend.get_texts()]
    assert figure.axes[1].get_legend() is None


@pytest.mark.quick
def _drawn_as_python_and_fortran(check_id: str, example: dict, fortran: dict) -> list:
    """The axes of the figures of ``example`` failing ``check_id`` for a Python student and of ``fortran`` (the same,
    counted from 1) for a Fortran student, in pairs; every pair colours its points alike."""
    from dataclasses import replace

    from grader.exercises.kmeans.plugin import plugin

    check = failed(check_id, example)
    drawn = [plugin.counterexample_figure(check),
             plugin.counterexample_figure(replace(check, counterexample=fortran, index_base=1))]
    pairs = list(zip(*(figure.axes for figure in drawn)))
    assert pairs, "no figure drawn"
    for python_ax, fortran_ax in pairs:
        for python_points, fortran_points in zip(python_ax.collections, fortran_ax.collections):
            assert np.array_equal(python_points.get_facecolors(), fortran_points.get_facecolors())
    return pairs


def test_a_fortran_counterexample_counted_from_1_is_drawn_as_the_same_clustering():
    example = {"data": [[0.0, 0.0], [1.0, 0.0], [9.0, 0.0]], "centers": [[0.0, 0.0], [10.0, 0.0]],
               "labels": [0, 1, 1], "returned": [0, 1, 1], "expected": [0, 0, 1]}
    fortran = {**example, "labels": [1, 2, 2], "returned": [1, 2, 2], "expected": [1, 1, 2]}
    for python_ax, fortran_ax in _drawn_as_python_and_fortran("assign.nearest_center", example, fortran):
        # The centers are named as each student's code numbers them.
        assert sorted(text.get_text().strip() for text in python_ax.texts) == ["0", "1"]
        assert sorted(text.get_text().strip() for text in fortran_ax.texts) == ["1", "2"]


def test_an_exception_shows_the_call_dataset_alone():
    example = {"function": "update", "args": [[[0.0], [1.0]], [0, 0], [[0.0], [3.0]]], "traceback": "..."}
    figure = counterexample_figure(example)
    assert figure is not None and [ax.get_title() for ax in figure.axes] == ["the example"]


@pytest.mark.quick
def test_the_call_of_a_fortran_crash_is_drawn_as_the_same_clustering():
    """The labels of a call shown with a crash are counted as the student's language counts them (1..k in Fortran),
    like every other label of a counterexample: the drawing takes the base off them too."""
    call = {"function": "update", "args": [[[0.0, 0.0], [1.0, 0.0], [9.0, 0.0]], [0, 0, 1], [[0.0, 0.0], [10.0, 0.0]]]}
    fortran = {**call, "args": [call["args"][0], [1, 1, 2], call["args"][2]]}
    for _, fortran_ax in _drawn_as_python_and_fortran("update.centroids", call, fortran):
        assert sorted(text.get_text().strip() for text in fortran_ax.texts) == ["1", "2"]


@pytest.mark.parametrize("example", [
    None, {}, {"data": [[0.0] * 4], "centers": [[0.0] * 4]},  # 4-D: no picture
    {"data": "not an array"}, {"data": [[0.0, "x"]]}, {"data": [[1.0], [2.0, 3.0]]},
])
def test_no_figure_without_a_dataset_in_one_to_three_dimensions(example):
    assert counterexample_figure(example) is None


def test_a_figure_that_fails_to_draw_becomes_a_note_and_the_reports_are_still_written(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("no ink left")

    monkeypatch.setattr(figures, "draw_clustering", broken)
    report = report_with(failed("update.empty_cluster_keeps_center", update_example(2)))
    written = write_reports(report, tmp_path)
    assert set(written) == {"json", "md", "html"}
    note = "figure of check update.empty_cluster_keeps_center could not be drawn (RuntimeError: no ink left)"
    assert note in written["md"].read_text(encoding="utf-8").replace("\\", "")
    assert note in written["html"].read_text(encoding="utf-8")
    assert "<img" not in written["html"].read_text(encoding="utf-8")


def test_a_report_holds_a_bounded_number_of_figures(monkeypatch):
    monkeypatch.setattr(report_figures_module, "MAX_FIGURES", 2)
    checks = [failed(f"update.case_{i}", update_example(2)) for i in range(5)]
    drawn = report_figures(report_with(*checks), dpi=20)
    assert len(drawn.checks) == 2
    assert len(drawn.notes) == 3 and all("at most" in note for note in drawn.notes)


def test_the_course_picture_of_a_run(tmp_path):
    rng = np.random.default_rng(0)
    points = rng.normal(size=(30, 3))
    run = {"file": "blobs_3d.dat", "points": points.tolist(), "k": 2, "centers": [[0, 0, 0], [1, 1, 1]],
           "labels": [i % 2 for i in range(30)], "n_iter": 3, "note": "", "error": ""}
    figure = figures.showcase_figure(run)
    assert figure is not None and figure.axes[0].name == "3d"
    assert figure.axes[0].get_title() == "blobs_3d.dat: k = 2, 3 iterations"
    assert figures.showcase_figure({}) is None
    assert figures.showcase_figure({**run, "error": "kmeans is not implemented yet", "centers": None}) is None
    path = tmp_path / "run.png"
    path.write_bytes(to_png(figure))
    assert image.imread(path).shape[1] > 100
