"""The grader's own network computations: the finite-difference epochs that stand for exact gradient descent
end within their derived margin of the exact on-line back-propagation (the reference's, never shipped)."""

from __future__ import annotations

import importlib.util
import itertools

import numpy as np
import pytest

from grader.exercises.mlp import network
from tests.conftest import ROOT


def _reference():
    spec = importlib.util.spec_from_file_location("reference_mlp", ROOT / "reference" / "mlp.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("seed", range(6))
def test_numerical_epochs_end_within_their_margin_of_exact_back_propagation(seed):
    reference = _reference()
    rng = np.random.default_rng(seed)
    n, in_dim, hid_dim, out_dim = 1 + seed % 4, 1 + seed % 3, 2 + seed % 4, 1 + seed % 3
    x = np.hstack([rng.integers(-16, 17, (n, in_dim)) / 16, -np.ones((n, 1))])
    t = rng.integers(0, 2, (n, out_dim)).astype(float)
    w1, w2 = rng.integers(-24, 25, (in_dim + 1, hid_dim)) / 16, rng.integers(-24, 25, (hid_dim + 1, out_dim)) / 16
    beta, eta = [1.0, 0.5, 2.0, 1.5][seed % 4], 0.1
    results = network.numerical_epochs(x, t, w1, w2, eta, beta)
    assert len(results) == len(list(itertools.permutations(range(n))))
    for order, (after, margin) in zip(itertools.permutations(range(n)), results):
        v1, v2 = w1, w2
        for i in order:
            v1, v2 = reference.backprop(x[i], t[i], v1, v2, eta, beta)
        exact = reference.error(x, t, v1, v2, beta)
        assert abs(after - exact) <= margin
        assert margin < 1e-4 * (1 + exact)  # small enough to leave the decrease it bounds meaningful


@pytest.mark.parametrize("seed", range(6))
def test_the_gradient_step_by_complex_steps_is_the_references_back_propagation_step(seed):
    """network.gradient_step, which judges a train that does its own back-propagation, moves every weight by -eta
    times the finite-difference gradient, and matches the reference's step to rounding."""
    reference = _reference()
    rng = np.random.default_rng(100 + seed)
    in_dim, hid_dim, out_dim = 1 + seed % 3, 2 + seed % 4, 1 + seed % 3
    x = np.append(rng.integers(-16, 17, in_dim) / 16, -1.0)
    t = rng.integers(0, 2, out_dim).astype(float)
    w1, w2 = rng.integers(-24, 25, (in_dim + 1, hid_dim)) / 16, rng.integers(-24, 25, (hid_dim + 1, out_dim)) / 16
    beta, eta = [1.0, 0.5, 2.0, 1.5][seed % 4], 0.25
    new_w1, new_w2 = network.gradient_step(x, t, w1, w2, eta, beta)
    (g1, g2), (tol1, tol2) = network.numerical_gradient(x, t, w1, w2, beta)
    assert np.all(np.abs(new_w1 - (w1 - eta * g1)) <= eta * tol1 + 1e-12)
    assert np.all(np.abs(new_w2 - (w2 - eta * g2)) <= eta * tol2 + 1e-12)
    ref_w1, ref_w2 = reference.backprop(x, t, w1, w2, eta, beta)
    np.testing.assert_allclose(new_w1, ref_w1, rtol=0, atol=16 * network.EPS * (1 + np.abs(w1).max()))
    np.testing.assert_allclose(new_w2, ref_w2, rtol=0, atol=16 * network.EPS * (1 + np.abs(w2).max()))


def test_a_wrong_step_shows_the_exact_step_so_the_entries_the_student_got_right_look_right():
    # A backprop that forgets to update the bias weights of w2: the other entries of w2 are right, and were shown
    # as "expected -0.015624999999" beside the student's exact -0.015625 (the finite differences' rounding).
    from grader.exercises.mlp.checks import _wrong_step
    from grader.precision import Rounding

    reference = _reference()
    x, t = np.array([0.5, -1.0]), np.array([1.0])
    w1, w2 = np.array([[0.25, -0.5], [0.125, 0.75]]), np.array([[0.5], [-0.25], [0.375]])
    new_w1, new_w2 = reference.backprop(x, t, w1, w2, 0.5, 1.0)
    new_w2[-1] = w2[-1]  # the bias weight left as it was
    wrong = _wrong_step(x, t, w1, w2, new_w1, new_w2, 0.5, 1.0, Rounding(single=False))
    assert wrong is not None and "w2[2, 0]" in wrong.what
    exact = network.gradient_step(x, t, w1, w2, 0.5, 1.0)[1]
    assert np.array_equal(wrong.expected, exact)
    assert np.allclose(wrong.expected[:2], new_w2[:2], rtol=0, atol=1e-15)
