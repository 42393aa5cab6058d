"""The MLP's plugin: its run on iris, drawn as the error curve and the test set's confusion matrix."""

from __future__ import annotations

import json

from matplotlib.figure import Figure

from grader import grade_submission
from grader.exercises.mlp.showcase import EPOCHS
from grader.plugin import load_plugin
from tests.conftest import ROOT

PLUGIN = load_plugin("grader.exercises.mlp")


def test_showcase_of_the_reference_learns_iris_and_draws(config):
    showcase = grade_submission(config, {"mlp": ROOT / "reference" / "mlp.py"}, sandbox=False).exercises[0].showcase
    json.dumps(showcase, allow_nan=False)
    (run,) = showcase["runs"]
    assert run["error"] == "" and len(run["errors"]) == EPOCHS
    assert run["errors"][-1] < run["errors"][0]
    assert sum(map(sum, run["confusion"])) == 50 and run["accuracy"] >= 0.9
    figure = PLUGIN.showcase_figure(showcase["runs"])
    assert isinstance(figure, Figure) and len(figure.axes) == 2
    assert "accuracy" in PLUGIN.summary_lines(showcase)[0]


def test_showcase_of_the_skeleton_says_not_implemented(config):
    showcase = grade_submission(config, {"mlp": ROOT / "exercises" / "mlp" / "mlp.py"},
                                sandbox=False).exercises[0].showcase
    assert showcase["runs"][0]["error"] == "train is not implemented yet"
    assert PLUGIN.showcase_figure(showcase["runs"]) is None
