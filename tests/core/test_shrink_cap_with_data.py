"""A check that draws during its test (``st.data()``) and whose shrinking is capped still reports the student's
failure: never Hypothesis's "inconsistent data generation", which would read as code depending on global state."""

from __future__ import annotations

from hypothesis import strategies as st

from grader.authoring import check, fail
from grader.config import CheckSpec
from grader.exercise import BoundCheck
from grader.runner import RunSettings, run_check
from grader.student import InProcessStudent


@check("halve.exact", "halve returns half of its argument", size=st.integers(0, 50), data=st.data())
def halve_exact(student, size, data):
    value = data.draw(st.integers(0, 10**6), label="value")
    # Draws that depend on what the student returned: an example cut short by the cap draws fewer.
    for _ in range(size):
        returned = student.call("halve", value)
        if returned != value / 2:
            fail(f"halve({value}) returned {returned}", value=value, returned=returned)
        value = data.draw(st.integers(0, 10**6), label="next value")


def test_a_capped_shrink_reports_the_failure(tmp_path):
    module = tmp_path / "halve.py"
    module.write_text("def halve(x):\n    return x // 2 if x > 7 else x / 2\n", encoding="utf-8")
    bound = BoundCheck(halve_exact, CheckSpec(points=1))
    results = [run_check(bound, InProcessStudent(module), RunSettings(seed=1, max_examples=50, shrink_limit=limit))
               for limit in (0, 1, 3, 10)]
    for result in results:
        assert result.verdict == "failed", result.message
        assert result.message.startswith("halve("), result.message
        assert "different results on the same input" not in result.message
