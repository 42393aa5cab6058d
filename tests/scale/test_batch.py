"""Independent calls made in one round trip (``call_each``) give exactly what the calls made one by one give.

The worker answers a batch call by call and stops at the first call that does not return a value, so
the values, the exception and the worker's state afterwards are those of the calls made alone; in process
the calls are made one by one.  Whole reports of one-bug submissions are the same in both modes.
"""

from __future__ import annotations

import dataclasses

import pytest

from grader import grade_submission
from grader.config import Limits
from grader.student import CallAborted, InProcessStudent, StudentRaised, call_each, open_student
from tests.kmeans.mutants import MUTANTS

_MODULE = """
calls = 0

def step(x):
    global calls
    calls += 1
    if x == 3:
        raise ValueError(f"no {x}")
    return [x, calls]

def calls_so_far():
    return calls

def leaves(x):
    global calls
    calls += 1
    if x == 1:
        raise SystemExit(3)
    return x
"""


@pytest.fixture(params=["worker", "in process"])
def student(request, tmp_path, config):
    path = tmp_path / "kmeans.py"
    path.write_text(_MODULE, encoding="utf-8")
    if request.param == "in process":
        opened = InProcessStudent(path)
    else:
        opened = open_student(path, config.exercise("kmeans"), Limits(call_timeout=30), sandbox=True)
    yield opened
    opened.close()


def _each(student, function, values):
    return call_each(student, function, [((value,), {}) for value in values])


def test_values_come_in_order(student):
    assert list(_each(student, "step", [0, 1, 2])) == [[0, 1], [1, 2], [2, 3]]
    assert list(_each(student, "step", [])) == []
    assert student.call("calls_so_far") == 3


def test_an_exception_comes_at_its_turn_and_the_later_calls_are_never_made(student):
    results = _each(student, "step", [0, 1, 3, 4, 5])
    assert next(results) == [0, 1]
    assert next(results) == [1, 2]
    with pytest.raises(StudentRaised) as raised:
        next(results)
    assert (raised.value.type_name, raised.value.message, raised.value.call.args) == ("ValueError", "no 3", (3,))
    # The same process goes on, with exactly the three calls made: none after the one that raised.
    assert student.call("calls_so_far") == 3
    assert list(_each(student, "step", [7])) == [[7, 4]]


def test_results_left_unexamined_do_not_disturb_the_next_call(student):
    results = _each(student, "step", [0, 1, 2])
    assert next(results) == [0, 1]
    del results
    assert student.call("step", 9)[0] == 9  # its own answer, not a stale one


def test_a_call_that_ends_the_process_aborts_at_its_turn(tmp_path, config):
    """As a call made alone: the worker is replaced, the earlier values stand."""
    path = tmp_path / "kmeans.py"
    path.write_text(_MODULE, encoding="utf-8")
    student = open_student(path, config.exercise("kmeans"), Limits(call_timeout=30), sandbox=True)
    try:
        with pytest.raises(CallAborted) as alone:
            student.call("leaves", 1)
        assert student.call("calls_so_far") == 0  # a fresh worker: the module imported again
        results = _each(student, "leaves", [0, 1, 2])
        assert next(results) == 0
        with pytest.raises(CallAborted) as aborted:
            next(results)
        assert (aborted.value.kind, aborted.value.verdict) == (alone.value.kind, alone.value.verdict)
        assert aborted.value.kind == "exit"
        assert student.call("calls_so_far") == 0
    finally:
        student.close()


def _results(report):
    return [dataclasses.replace(result, duration=0.0) for exercise in report.exercises for result in exercise.checks]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["farthest_center", "init_ignores_generator"])
def test_one_bug_submissions_get_the_same_report_in_the_worker_and_in_process(capped_shrink_config, tmp_path, name,
                                                                             monkeypatch):
    """The main loop's trajectory and the 16 initialisations of a check go in one round trip in the worker,
    one by one in process: same verdicts, messages and shrunk counterexamples.  With a small shrinking budget,
    reached in the middle of shrinking: the calls of a batch count as many in both modes."""
    monkeypatch.setenv("GRADER_NO_CACHE", "1")
    path = tmp_path / "kmeans.py"
    path.write_text(next(m for m in MUTANTS if m.name == name).source(), encoding="utf-8")
    isolated = grade_submission(capped_shrink_config, {"kmeans": path}, hidden=True)
    trusted = grade_submission(capped_shrink_config, {"kmeans": path}, hidden=True, sandbox=False)
    assert isolated.score < isolated.max_score
    assert _results(isolated) == _results(trusted)
