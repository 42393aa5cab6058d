"""A reply larger than the grader accepts stops the call; nothing that large is read."""

from __future__ import annotations

from tests.sandbox.helpers import attack, check, full_marks


def test_huge_return_value(course):
    code = """
        def assign(data, centers):
            return np.zeros(10_000_000)  # 80 MB: more than a reply may hold
    """
    report = course.grade(attack(code))
    result = check(report, "assign.nearest_center")
    assert result.verdict == "crashed"
    assert result.message == "stopped: assign returned 76 MiB of data, more than the 64 MiB a reply may hold"
    assert full_marks(report, but=("assign",))
