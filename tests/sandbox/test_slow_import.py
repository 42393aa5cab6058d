"""An import that takes longer than the import timeout (the call timeout, at least 10 s) is a load error."""

from __future__ import annotations

from tests.sandbox.helpers import attack


def test_slow_import_times_out(course):
    report = course.grade(attack("import time\ntime.sleep(600)\n"))
    exercise = report.exercises[0]
    assert exercise.status == "error" and exercise.score == 0
    assert exercise.error.startswith("importing student.py timed out after 10 s")
