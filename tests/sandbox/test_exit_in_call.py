"""Ending the process during a call: the check says how, and a fresh worker runs the next checks."""

from __future__ import annotations

import pytest

from tests.sandbox.helpers import attack, check, full_marks

EXITS = {
    "sys.exit": "sys.exit(0)",
    "SystemExit": "raise SystemExit('bye')",
    "KeyboardInterrupt": "raise KeyboardInterrupt",
}


@pytest.mark.parametrize("how", sorted(EXITS))
def test_exit_during_update(course, how):
    code = f"""
        _update = update

        def update(data, labels, centers):
            {EXITS[how]}
    """
    report = course.grade(attack(code))
    result = check(report, "update.centroids")
    assert result.verdict == "crashed"
    assert result.message == f"your code ended the process ({'sys.exit' if how != 'KeyboardInterrupt' else how}) " \
                             "during update"
    assert full_marks(report, but=("update",))


@pytest.mark.quick
def test_os_exit_during_assign(course):
    code = """
        def assign(data, centers):
            os._exit(7)
    """
    report = course.grade(attack(code))
    result = check(report, "assign.nearest_center")
    assert result.verdict == "crashed"
    assert result.message == "your code ended the process (exit code 7) during assign"
    assert full_marks(report, but=("assign",))
