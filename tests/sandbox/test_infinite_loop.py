"""An endless loop is stopped at the call timeout, its other checks are skipped, the rest is graded."""

from __future__ import annotations

import re

from tests.sandbox.helpers import attack, check, full_marks


def test_endless_loop_in_assign_times_out_once(course):
    code = """
        def assign(data, centers):
            while True:
                pass
    """
    report = course.grade(attack(code))
    first = check(report, "assign.nearest_center")
    assert first.verdict == "timeout"
    assert re.fullmatch(r"timed out after 2 s in assign on a \d+ x \d array", first.message), \
        first.message
    others = [c for c in report.exercises[0].checks if c.function == "assign" and c.id != first.id]
    assert others and all(c.message == "not run: assign already ran out of time in an earlier check" for c in others)
    assert full_marks(report, but=("assign",))
