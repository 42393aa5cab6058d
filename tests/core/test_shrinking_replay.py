"""The cap on shrinking never reads as a flaky submission.

Shrinking stops once it has cost a number of calls of the student's code; the best failure found so far is then
reported.  A check that draws inside its test (``st.data()``) used to see the cap end an example before its first
draw, which Hypothesis calls inconsistent data generation: the report then said that the (deterministic)
submission "gave different results on the same input".
"""

from __future__ import annotations

from hypothesis import strategies as st

from grader.authoring import check, fail
from grader.config import CheckSpec
from grader.exercise import BoundCheck
from grader.runner import RunSettings, run_check


class _Echo:
    """A deterministic student: ``f(v)`` returns ``v``."""

    protections = None

    def call(self, function, *args):
        return args[0]


@check("f.below_five", "f: every value drawn is below 5", data=st.data())
def _below_five(student, data):
    value = data.draw(st.integers(0, 1000), label="value")
    for _ in range(10):
        student.call("f", value)
    if value >= 5:
        fail(f"f returned {value}", value=value)


def test_a_capped_shrink_reports_the_best_failure_not_a_flaky_student():
    for limit in (5, 20, 50):
        result = run_check(BoundCheck(_below_five, CheckSpec(points=1)), _Echo(),
                           RunSettings(seed=1, max_examples=30, shrink_limit=limit))
        assert result.verdict == "failed"
        assert result.message.startswith("f returned "), result.message
        assert result.counterexample["value"] >= 5


def test_the_same_capped_shrink_gives_the_same_counterexample():
    results = [run_check(BoundCheck(_below_five, CheckSpec(points=1)), _Echo(),
                         RunSettings(seed=1, max_examples=30, shrink_limit=20)) for _ in range(2)]
    assert results[0].message == results[1].message
    assert results[0].counterexample == results[1].counterexample
