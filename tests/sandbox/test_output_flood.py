"""Printing without end is stopped; what is kept of the output is its head and tail."""

from __future__ import annotations

from tests.sandbox.helpers import LIMITS, attack, check, full_marks, make_course


def test_output_flood(tmp_path):
    course = make_course(tmp_path / "course", limits={**LIMITS, "output_kb": 1})
    code = """
        def assign(data, centers):
            while True:
                print("spam " * 1000)
    """
    report = course.grade(attack(code))
    result = check(report, "assign.nearest_center")
    assert result.verdict == "crashed"
    assert result.message == "stopped: your code printed more than 1 MiB in assign"
    assert full_marks(report, but=("assign",))
    assert "characters not shown" in report.output and len(report.output) < 4000
