"""An import that takes longer than the call timeout is a load error that says so."""

from __future__ import annotations

from tests.sandbox.helpers import attack


def test_slow_import_times_out(course):
    report = course.grade(attack("import time\ntime.sleep(60)\n"))
    exercise = report.exercises[0]
    assert exercise.status == "error" and exercise.score == 0
    assert exercise.error.startswith("importing kmeans.py timed out after 2 s")
