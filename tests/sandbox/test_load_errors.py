"""A module that cannot be imported gives a load error that says where and why."""

from __future__ import annotations

from tests.sandbox.helpers import SOLUTION


def test_syntax_error_names_the_line(course):
    report = course.grade(SOLUTION + "\ndef broken(:\n    pass\n")
    exercise = report.exercises[0]
    assert exercise.status == "error"
    line = (SOLUTION + "\n").count("\n") + 1
    assert exercise.error.startswith(f"student.py is not valid Python (invalid syntax, line {line})"), exercise.error


def test_exception_at_import(course):
    report = course.grade(SOLUTION + "\nraise RuntimeError('data file missing')\n")
    assert report.exercises[0].error == "importing student.py failed with RuntimeError: data file missing"
