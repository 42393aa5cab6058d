"""A module that cannot be imported gives a load error that says where and why."""

from __future__ import annotations

import pytest

from grader import grade_submission
from tests.sandbox.helpers import SOLUTION


@pytest.mark.quick
def test_syntax_error_names_the_line(course):
    report = course.grade(SOLUTION + "\ndef broken(:\n    pass\n")
    exercise = report.exercises[0]
    assert exercise.status == "error"
    line = (SOLUTION + "\n").count("\n") + 1
    assert exercise.error.startswith(f"student.py is not valid Python (invalid syntax, line {line})"), exercise.error


def test_exception_at_import(course):
    report = course.grade(SOLUTION + "\nraise RuntimeError('data file missing')\n")
    assert report.exercises[0].error == "importing student.py failed with RuntimeError: data file missing"


def test_a_file_python_cannot_decode_says_why_without_a_made_up_place(course):
    """``grader check`` reads the file as Python does: saved as UTF-16 it is told to save it as UTF-8 (``grader
    grade`` converts such a file itself); a NUL byte or an unknown coding declaration is named, with no line."""
    path = course.write("")
    path.write_bytes(SOLUTION.encode("utf-16"))
    exercise = grade_submission(course.config, {"kmeans": path}, student="student", hidden=False).exercises[0]
    assert exercise.status == "error"
    assert exercise.error == ("student.py is not valid Python: it is saved as UTF-16 (\"Unicode\" in some Windows "
                              "editors), which Python cannot read; save it as UTF-8 so that 'python student.py' starts")
    unknown = course.grade("# -*- coding: klingon -*-\n" + SOLUTION).exercises[0].error
    assert unknown == "student.py is not valid Python (unknown encoding: klingon): fix it so that 'python student.py' starts"
    nul = course.grade(SOLUTION + "# \0\n").exercises[0].error  # a SyntaxError from Python 3.11, a ValueError before
    assert "null bytes" in nul and "line" not in nul and "somewhere" not in nul, nul


@pytest.mark.parametrize("sandbox", [True, False], ids=["worker", "in-process"])
def test_a_dataclass_under_postponed_annotations_loads_as_python_imports_it(course, sandbox):
    """``@dataclass`` looks its module up in ``sys.modules`` when annotations are strings (``from __future__ import
    annotations``, or a quoted type): the module is registered while it runs, as ``import`` does."""
    from tests.sandbox.helpers import full_marks

    source = ("from __future__ import annotations\nfrom dataclasses import dataclass\n\n\n@dataclass\nclass Run:\n"
              "    steps: int = 0\n    label: 'str' = ''\n\n\n" + SOLUTION.replace("from __future__ import annotations\n", ""))
    report = course.grade(source, sandbox=sandbox)
    assert report.exercises[0].status != "error", report.exercises[0].error
    assert full_marks(report)
