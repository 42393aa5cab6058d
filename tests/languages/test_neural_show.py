"""``grader show`` runs the perceptron and the MLP written in C or Fortran through their bindings."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT, run_grader
from tests.languages.conftest import needs


@pytest.mark.parametrize("exercise, name", [pytest.param("perceptron", "perceptron.c", marks=needs("c")),
                                            pytest.param("mlp", "mlp.f90", marks=needs("fortran"))])
def test_show_runs_the_compiled_reference(tmp_path, exercise, name):
    figure = tmp_path / "figure.png"
    done = run_grader("show", exercise, "--path", str(ROOT / "reference" / name), "--output", str(figure))
    assert done.returncode == 0, done.stdout + done.stderr
    assert figure.stat().st_size > 0 and "iris.data" in done.stdout


@needs("c")
def test_show_says_what_the_skeleton_lacks(tmp_path):
    done = run_grader("show", "mlp", "--path", str(ROOT / "exercises" / "mlp" / "mlp.c"), "--output",
                      str(tmp_path / "figure.png"))
    assert "train is not implemented yet" in done.stdout + done.stderr
