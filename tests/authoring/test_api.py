"""The authoring library is public API: every export of grader.authoring exists, is documented in
docs/authoring.md, and behaves as documented."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import grader.authoring as authoring
from grader.authoring import (CheckFailed, check, counterexample_key_problem, derived_tolerance, design_matrices,
                              expect_bool, expect_close, expect_float, expect_inputs_untouched, expect_invariant,
                              expect_reproducible, expect_tuple, fail, finite_difference_gradient, first_difference,
                              float_arrays, grid_floats, labelled_datasets, same_values)
from grader.checklib.curves import numbers_of, plugin
from grader.results import CheckResult
from grader.wire import Rng

DOC = Path(__file__).resolve().parents[2] / "docs" / "authoring.md"


def test_every_export_is_there_and_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    internal = {"Check", "CheckContext", "CheckFailed", "plain", "fail_keys", "suspect_ids", "Gradient"}
    for name in authoring.__all__:
        assert hasattr(authoring, name), name
        assert name in internal or f"`{name}" in text or f"{name}(" in text, f"{name} is not in docs/authoring.md"


class _Student:
    """Calls a Python module's functions in process, with the arguments as the function left them."""

    def __init__(self, **functions) -> None:
        self.functions = functions

    def call(self, function, *args, **kwargs):
        return self.functions[function](*args, **kwargs)

    def call_with_args(self, function, *args, **kwargs):
        copies = tuple(np.array(arg) if isinstance(arg, np.ndarray) else arg for arg in args)
        return self.functions[function](*copies, **kwargs), copies


def _failure(call) -> CheckFailed:
    with pytest.raises(CheckFailed) as failed:
        call()
    return failed.value


def test_expect_kinds() -> None:
    assert expect_float(np.float32(0.5), "f", what="x") == 0.5 and expect_float(np.array(3), "f", what="x") == 3.0
    assert math.isnan(expect_float(float("nan"), "f", what="x", finite=False))
    assert "expected a finite number" in _failure(lambda: expect_float(math.inf, "f", what="x")).message
    assert "expected a number" in _failure(lambda: expect_float("1", "f", what="x")).message
    assert expect_bool(np.bool_(True), "f", what="x") is True
    assert "True or False" in _failure(lambda: expect_bool(1, "f", what="x")).message
    assert expect_tuple([1, 2], "f", length=2) == (1, 2)
    assert "a tuple of 2 items" in _failure(lambda: expect_tuple((1,), "f", length=2)).message


def test_same_values_takes_nan_as_nan() -> None:
    assert same_values(np.array([1.0, np.nan]), np.array([1.0, np.nan]))
    assert same_values((np.array([np.nan]), [math.nan, 2]), (np.array([np.nan]), [math.nan, 2]))
    assert not same_values(np.array([1.0, np.nan]), np.array([1.0, 2.0]))
    assert not same_values(np.zeros(2), np.zeros(3))


def test_closeness_with_derived_tolerance() -> None:
    assert derived_tolerance([3.0, -8.0], terms=2) == pytest.approx(4 * 2 * np.finfo(float).eps * 8)
    assert first_difference([1.0, math.nan, math.inf], [1.0, math.nan, math.inf], 0.0) is None
    assert first_difference([1.0, 2.0], [1.0, 2.5], 0.1) == ((1,), 2.0, 2.5)
    expect_close(np.array([0.1 + 0.2]), np.array([0.3]), "f")  # one rounding apart
    failure = _failure(lambda: expect_close(np.array([1.0, 2.0]), np.array([1.0, 2.001]), "f", what="y",
                                            inputs={"x": 1}, suspects=("g.h",)))
    assert "y[1] is 2" in failure.message and failure.counterexample["x"] == 1 and failure.suspects == ("g.h",)
    single = _failure(lambda: expect_close(np.float32(1 / 3), 1 / 3, "f"))
    assert "single-precision" in single.message


def test_finite_difference_gradient_is_within_its_tolerance() -> None:
    x = np.array([0.3, -1.2, 2.0])
    found = finite_difference_gradient(lambda v: float(np.sum(np.sin(v)) * v[0]), x)
    exact = np.cos(x) * x[0] + np.eye(3)[0] * np.sum(np.sin(x))
    assert np.all(np.abs(found.value - exact) <= found.tolerance) and np.all(found.tolerance < 1e-6)
    batched = finite_difference_gradient(lambda vs: np.sum(vs ** 2, axis=1), x, batched=True)
    assert np.allclose(batched.value, 2 * x)


def test_calling_helpers() -> None:
    def sorts_in_place(a):
        a.sort()
        return a

    student = _Student(clean=lambda a: np.sort(a), dirty=sorts_in_place, shuffle=lambda a, rng: a[::-1],
                       random=lambda rng: np.random.random(), center=lambda a: a - np.mean(a))
    data = np.array([3.0, 1.0, 2.0])
    assert same_values(expect_inputs_untouched(student, "clean", data, names=("a",)), np.array([1.0, 2.0, 3.0]))
    failure = _failure(lambda: expect_inputs_untouched(student, "dirty", data, names=("a",)))
    assert "modified the a" in failure.message and "a_afterwards" in failure.counterexample
    expect_reproducible(student, "shuffle", data, Rng(1))
    assert "same seed" in _failure(lambda: expect_reproducible(student, "random", Rng(1))).message
    expect_invariant(student, "center", (data,), (data + 4.0,), what="a shift", scale=8.0)
    assert "after a scaling" in _failure(
        lambda: expect_invariant(student, "center", (data,), (2 * data,), what="a scaling")).message


def test_counterexample_keys_and_suspects_alike_on_check_and_fail() -> None:
    assert counterexample_key_problem("returned_w") == "" and counterexample_key_problem("x_afterwards") == ""
    assert "returned" in counterexample_key_problem("result")
    with pytest.raises(ValueError, match="actual"):
        fail("no", actual=1)
    assert check("f.g", "t", suspects="f.h", x=st.none())(lambda student, x: None).suspects == ("f.h",)
    assert _failure(lambda: fail("no", suspects="f.h")).suspects == ("f.h",)
    with pytest.raises(ValueError, match="check ids"):
        check("f.g", "t", suspects=("nodot",), x=st.none())


@settings(max_examples=40, database=None, deadline=None)
@given(st.data())
def test_strategies_build_what_they_promise(data: st.DataObject) -> None:
    value = data.draw(grid_floats(-1, 1, step=0.5))
    assert value in (-1.0, -0.5, 0.0, 0.5, 1.0)
    array = data.draw(float_arrays((2, 3)))
    assert array.shape == (2, 3) and array.dtype == np.float64 and np.all(array * 4 == np.round(array * 4))
    x = data.draw(design_matrices(max_rows=6, max_features=3))
    assert np.all(x[:, 0] == 1.0) and np.linalg.matrix_rank(x) == x.shape[1]
    assert np.linalg.cond(x) < 1e3
    for bias in (None, "last"):  # full rank too without a bias column, and with it last
        x = data.draw(design_matrices(max_rows=6, max_features=3, bias=bias))
        assert np.linalg.matrix_rank(x) == x.shape[1] and (bias is None or np.all(x[:, -1] == 1.0))
    points, labels = data.draw(labelled_datasets(max_classes=3, max_dims=2))
    assert len(points) == len(labels) and set(labels) == set(range(labels.max() + 1))


def test_the_curve_plugin_copes_with_nan_and_inf() -> None:
    assert numbers_of(["nan", 1, "inf"])[1:] == [1.0, math.inf] and numbers_of("text") is None
    failing = CheckResult(id="fit.loss_curve", function="fit", title="t", passed=False, points=0, max_points=1,
                          verdict="failed", counterexample={"x": [1], "returned": [3.0, "nan", "inf", 1.0],
                                                            "expected": [3.0, 2.0, 1.5, 1.2]})
    figure = plugin.counterexample_figure(failing)
    assert figure is not None and len(figure.axes[0].lines) == 2
    nothing = CheckResult(id="f.g", function="f", title="t", passed=False, points=0, max_points=1, verdict="failed",
                          counterexample={"returned": "a string"})
    assert plugin.counterexample_figure(nothing) is None
