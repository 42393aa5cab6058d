"""The main loop's trajectory read to its stop: the same states as one run per max_iter, from fewer iterations.

The checks of the main loop observe the state after t iterations as ``kmeans(max_iter=t)``. Once a run
ends by itself (eps = 0: no center moved) after n_iter iterations, the state after any t >= n_iter is its
final one: those runs are not made again. Whether that changes what a check catches is the corpus's
question (``tests/kmeans/test_corpus.py``, ``tests/languages/test_corpus.py``); here, the states and the
calls.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from grader.exercises.kmeans.main_loop import _trajectory, _trajectory_to_its_stop
from grader.exercises.kmeans.strategies import Case, kmeans_cases, moving_kmeans_cases
from grader.student import InProcessStudent
from tests.conftest import REFERENCE


class _Counting:
    """The reference in process, counting the iterations its runs make."""

    def __init__(self, student) -> None:
        self._student = student
        self.iterations = 0

    def call(self, function, *args, **kwargs):
        result = self._student.call(function, *args, **kwargs)
        self.iterations += result[2]
        return result


@pytest.fixture(scope="module")
def reference():
    student = InProcessStudent(REFERENCE)
    yield student
    student.close()


@settings(max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(kmeans_cases() | moving_kmeans_cases())
def test_the_states_are_those_of_one_run_per_max_iter(reference, case):
    every, to_stop = _Counting(reference), _Counting(reference)
    for steps in (8, 12):
        expected, states = _trajectory(every, case, steps), _trajectory_to_its_stop(to_stop, case, steps)
        assert len(states) == len(expected) == steps
        for (centers, labels, n_iter), (want_centers, want_labels, want_n_iter) in zip(states, expected):
            assert n_iter == want_n_iter
            assert np.array_equal(centers, want_centers) and np.array_equal(labels, want_labels)
    assert to_stop.iterations <= every.iterations


def test_a_run_that_stops_early_spares_the_longer_runs(reference):
    data = np.array([[0.0, 0.0], [0.0, 1.0], [10.0, 10.0], [10.0, 11.0]])
    case = Case(data=data, centers=np.array([[0.0, 0.0], [10.0, 10.0]]))  # stops after 2 iterations
    every, to_stop = _Counting(reference), _Counting(reference)
    _trajectory(every, case, 12)
    _trajectory_to_its_stop(to_stop, case, 12)
    assert to_stop.iterations < every.iterations / 2



class _SumsNeverReset:
    """A main loop whose sums and counts start at 0 once, before the loop (a bug): each iteration depends on
    the ones before it, not on its centers alone; its states must still be those of its own runs (a way of reading
    them one iteration at a time, from the centers alone, would see another loop)."""

    def call(self, function, data, centers, *, eps, max_iter):
        assert function == "kmeans"
        centers = np.array(centers, dtype=float)
        sums, counts = np.zeros_like(centers), np.zeros(len(centers))
        made = 0
        while made < max_iter:
            made += 1
            labels = ((data[:, None, :] - centers[None]) ** 2).sum(axis=2).argmin(axis=1)
            np.add.at(sums, labels, data)
            np.add.at(counts, labels, 1)
            new = np.where(counts[:, None] > 0, sums / np.maximum(counts, 1)[:, None], centers)
            move = float(((new - centers) ** 2).sum())
            centers = new
            if move <= eps:
                break
        return centers, labels, made


@settings(max_examples=30, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(moving_kmeans_cases())
def test_a_loop_that_carries_more_than_its_centers_is_read_from_its_own_runs(case):
    student = _SumsNeverReset()
    expected, states = _trajectory(student, case, 12), _trajectory_to_its_stop(student, case, 12)
    for (centers, labels, n_iter), (want_centers, want_labels, want_n_iter) in zip(states, expected):
        assert n_iter == want_n_iter
        assert np.array_equal(centers, want_centers) and np.array_equal(labels, want_labels)
