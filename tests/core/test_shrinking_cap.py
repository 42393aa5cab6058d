"""The cap on shrinking ends it with the smallest failure found so far, also in checks that draw as they go."""

from __future__ import annotations

import pytest
from hypothesis import strategies as st

from grader.authoring import check, fail
from grader.config import CheckSpec
from grader.exercise import BoundCheck
from grader.runner import RunSettings, run_check


class _Counter:
    """A stand-in student: ``call`` returns its argument; the calls are counted."""

    protections: dict = {}

    def __init__(self) -> None:
        self.calls = 0

    def call(self, function: str, *args, **kwargs):
        self.calls += 1
        return args[0]


@check("f.interactive", "fails on large values, drawing more values once a failure is possible",
       n=st.integers(0, 1000), more=st.data())
def _interactive(student, n, more):
    value = student.call("f", n)
    if value < 10:
        return
    # Each failing example draws several more values: ending an example early (at the cap) stops these draws.
    extras = [more.draw(st.integers(0, 1000), label=f"extra {i}") for i in range(1 + n % 5)]
    for extra in extras:
        student.call("f", extra)
    fail(f"f({n}) is too large", n=n, extras=extras)


def _bound(item) -> BoundCheck:
    return BoundCheck(item, CheckSpec(points=1.0))


@pytest.mark.quick
def test_a_capped_shrink_of_an_interactive_check_reports_the_failure():
    # Caps that end shrinking at various points of its search (several of them mid-way through an example
    # whose prefix was seen before): the failure found is reported, never as non-deterministic code.
    for seed in range(3):
        for limit in (3, 9, 14, 15, 20, 24):
            result = run_check(_bound(_interactive), _Counter(),
                               RunSettings(seed=seed, max_examples=50, shrink_limit=limit))
            assert result.verdict == "failed", result.message
            assert result.message.startswith("f(") and "different results" not in result.message, (seed, limit)


def test_the_capped_result_is_reproducible():
    first = run_check(_bound(_interactive), _Counter(), RunSettings(seed=1, max_examples=50, shrink_limit=3))
    second = run_check(_bound(_interactive), _Counter(), RunSettings(seed=1, max_examples=50, shrink_limit=3))
    assert (first.message, first.counterexample) == (second.message, second.counterexample)
