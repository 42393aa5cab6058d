"""The perceptron's plugin: its run on the OR gate and iris, and its decision-boundary figures."""

from __future__ import annotations

import json

import pytest
from matplotlib.figure import Figure

from grader import grade_submission
from grader.exercises.perceptron.figures import counterexample_figure
from grader.plugin import load_plugin
from tests.conftest import ROOT

PLUGIN = load_plugin("grader.exercises.perceptron")


def test_showcase_of_the_reference_learns_or_and_draws(config):
    showcase = grade_submission(config, {"perceptron": ROOT / "reference" / "perceptron.py"},
                                sandbox=False).exercises[0].showcase
    json.dumps(showcase, allow_nan=False)
    runs = {run["file"]: run for run in showcase["runs"]}
    assert set(runs) == {"OR gate", "iris.data"} and not any(run["error"] for run in runs.values())
    assert runs["OR gate"]["mistakes"][-1] == 0 and runs["OR gate"]["accuracy"] == 1.0
    assert sum(map(sum, runs["iris.data"]["confusion"])) == 150
    assert isinstance(PLUGIN.showcase_figure(showcase["runs"]), Figure)
    assert PLUGIN.summary_lines(showcase)[0].startswith("OR gate: ")


def test_showcase_of_the_skeleton_says_not_implemented(config):
    showcase = grade_submission(config, {"perceptron": ROOT / "exercises" / "perceptron" / "perceptron.py"},
                                sandbox=False).exercises[0].showcase
    assert all(run["error"] == "train is not implemented yet" for run in showcase["runs"])
    assert PLUGIN.showcase_figure(showcase["runs"]) is None


@pytest.mark.quick
def test_two_input_counterexamples_are_drawn_with_their_boundaries():
    x = [[0.0, 0.0, -1.0], [1.0, 0.0, -1.0], [0.0, 1.0, -1.0]]
    forward = {"x": x, "w": [[1.0], [1.0], [0.5]], "returned": [[0], [1], [0]], "expected": [[0], [1], [1]]}
    figure = counterexample_figure(forward, "forward")
    assert isinstance(figure, Figure) and "wrong output" in [t.get_text() for t in figure.axes[0].get_legend().texts]
    trained = {"x": x, "t": [[0], [1], [1]], "w0": [[0.0], [0.0], [0.0]], "returned": [[1.0], [1.0], [0.5]],
               "expected": [[1.0], [2.0], [0.5]]}
    labels = [t.get_text() for t in counterexample_figure(trained, "train").axes[0].get_legend().texts]
    assert labels == ["yours", "expected"]


def test_weights_of_zeros_draw_no_line_and_no_legend_without_a_warning():
    """A train stuck at w = 0 (a sign error, say) draws no boundary: the figure has no legend, and matplotlib's
    "No artists with labels" warning does not reach the instructor's terminal."""
    import warnings

    x = [[0.0, 0.0, -1.0], [1.0, 0.0, -1.0], [0.0, 1.0, -1.0]]
    trained = {"x": x, "t": [[0], [1], [1]], "w0": [[0.0], [0.0], [0.0]], "returned": [[0.0], [0.0], [0.0]],
               "expected": [[0.0], [0.0], [0.0]]}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        figure = counterexample_figure(trained, "train")
    assert isinstance(figure, Figure) and figure.axes[0].get_legend() is None


def test_other_counterexamples_have_no_figure():
    assert counterexample_figure({"x": [[1.0, -1.0]], "w": [[1.0], [0.0]]}, "forward") is None  # one input
    assert counterexample_figure({"x": "garbage", "w": [[1.0]]}, "forward") is None
    assert counterexample_figure({"x": [[0.0, 0.0, -1.0]], "w": [["nan"], [1.0], [0.0]]}, "forward") is None
    assert counterexample_figure(None, "forward") is None
