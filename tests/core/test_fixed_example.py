"""A check on fixed data (every argument one value: the course's data, one seed) shows its example as the check's
example, never as "the smallest example found"; a property over generated data keeps that wording."""

from __future__ import annotations

from hypothesis import strategies as st

from grader.authoring import check, fail
from grader.config import CheckSpec
from grader.exercise import BoundCheck
from grader.render._view import example_lines, split_example
from grader.runner import RunSettings, run_check


class _Echo:
    protections = None

    def call(self, function, *args):
        return args[0]


@check("f.on_the_course_data", "f: on the course's data", seed=st.sampled_from([0]), data=st.just((1.0, 2.0)))
def _fixed(student, seed, data):
    fail("f is wrong on the course's data", seed=seed, data=list(data), returned=student.call("f", 3))


@check("f.below_five", "f: below five", value=st.integers(0, 100))
def _generated(student, value):
    if student.call("f", value) >= 5:
        fail("f returned 5 or more", value=value, returned=value)


def _shown(item):
    result = run_check(BoundCheck(item, CheckSpec(points=1)), _Echo(), RunSettings(seed=1, max_examples=20))
    assert not result.passed
    return result, example_lines(split_example(result.counterexample), fixed=result.fixed_example)


def test_fixed_data_is_not_called_the_smallest_example_found():
    result, lines = _shown(_fixed)
    assert result.fixed_example and lines[0] == "the check's example:"
    assert not any("smallest" in line for line in lines)
    result, lines = _shown(_generated)
    assert not result.fixed_example and lines[0] == "smallest example found:"
