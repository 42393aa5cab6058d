"""Ending the process while being imported: sys.exit and os._exit become a clear load error."""

from __future__ import annotations

from tests.sandbox.helpers import attack


def test_sys_exit_at_import_is_a_load_error(course):
    report = course.grade(attack("print('about to leave')\nsys.exit(3)\n"))
    exercise = report.exercises[0]
    assert exercise.status == "error" and exercise.score == 0
    line = attack("").count("\n") + 2
    assert exercise.error == f"importing student.py failed with SystemExit: 3 (student.py, line {line})"
    assert "about to leave" in report.output  # what it printed, and the protections, are still reported
    assert report.sandbox["mode"] == "sandbox" and report.sandbox["isolation"].startswith("active")


def test_os_exit_at_import_is_a_load_error(course):
    report = course.grade(attack("os._exit(0)\n"))
    exercise = report.exercises[0]
    assert exercise.status == "error" and exercise.score == 0
    assert exercise.error == "your code ended the process (exit code 0) while importing student.py"


def test_a_script_ending_successfully_at_import_keeps_what_it_defined(course):
    """``sys.exit(0)`` (or ``sys.exit()``) at the end of a script that defines every function: ``python
    student.py`` succeeds, so does loading it; its functions are graded."""
    for ending in ("sys.exit(0)\n", "sys.exit()\n"):
        report = course.grade(attack("print('done')\n" + ending))
        exercise = report.exercises[0]
        assert exercise.status == "graded" and exercise.score == exercise.max_score, exercise.error
        assert "done" in report.output
