"""A module that cannot be imported gives a load error that says where and why."""

from __future__ import annotations

import sys

import pytest

from grader import grade_submission, load_config
from grader.sandbox.compile import find_compiler
from grader.sources import marks
from tests.conftest import ROOT
from tests.sandbox.helpers import SOLUTION


@pytest.mark.quick
def test_syntax_error_names_the_line(course):
    report = course.grade(SOLUTION + "\ndef broken(:\n    pass\n")
    exercise = report.exercises[0]
    assert exercise.status == "error"
    line = (SOLUTION + "\n").count("\n") + 1
    assert exercise.error.startswith(f"student.py is not valid Python (invalid syntax, line {line})"), exercise.error
    # Syntax of a newer Python than the grader's reads as an error: the version it is graded with is said.
    assert f"with Python {sys.version_info.major}.{sys.version_info.minor}, the version it is graded with" in \
        exercise.error


@pytest.mark.parametrize("sandbox", [True, False], ids=["worker", "in-process"])
def test_exception_at_import_names_the_line(course, sandbox):
    """An error raised while the module is imported names the line of the student's file it was raised at (the
    innermost in that file: in a function called at import, or calling a library), under the name it was
    submitted as, as a syntax error does."""
    line = SOLUTION.count("\n") + 2
    report = course.grade(SOLUTION + "\nraise RuntimeError('data file missing')\n", sandbox=sandbox)
    assert report.exercises[0].error == ("importing student.py failed with RuntimeError: data file missing "
                                         f"(student.py, line {line})")
    source = SOLUTION + "\nSCALE = [1, 2, 3]\n\n\ndef last():\n    return SCALE[3]\n\n\nLAST = last()\n"
    report = course.grade(source, sandbox=sandbox)
    # Raised in a function called at the top level: both lines, and where tests go (a test left there calling a
    # function still to write is the usual case).
    assert report.exercises[0].error == ("importing student.py failed with IndexError: list index out of range "
                                         f"(student.py, line {line + 4} in last, called at line {line + 7}: the top "
                                         "level of your file runs when it is graded; tests and experiments go under "
                                         "'if __name__ == \"__main__\":')")
    report = course.grade(SOLUTION + "\nDATA = np.loadtxt('no_such_points.dat')\n", sandbox=sandbox)
    error = report.exercises[0].error
    assert error.startswith("importing student.py failed with FileNotFoundError: no_such_points.dat not found"), error
    assert error.endswith(f" (student.py, line {line})") and "grader-worker" not in error, error


def test_multiprocessing_at_import_refused_by_the_sandbox_says_why(course):
    line = SOLUTION.count("\n") + 3
    report = course.grade(SOLUTION + "\nimport multiprocessing\nLOCK = multiprocessing.Lock()\n")
    if not str(report.sandbox.get("filesystem", "")).startswith("active"):
        return  # nothing refuses the shared memory
    assert report.exercises[0].error == (
        f"importing student.py failed with PermissionError: [Errno 13] Permission denied (student.py, line {line}): "
        "the grader runs your code isolated and refuses this (files outside its folder, /tmp, multiprocessing's "
        "shared memory, its ThreadPool's too...); compute in the process itself (threads are fine: threading, "
        "concurrent.futures.ThreadPoolExecutor)")


def test_a_file_saved_as_utf16_is_converted_as_every_channel_converts_it(course):
    """``grader check``, Gradescope and ``grader grade`` read a file as one policy says (see
    grader.grade._source.read_source): saved as UTF-16 (Windows Notepad's "Unicode"), or with a coding declaration
    Python does not know, it is converted, and a note says so; a NUL byte is named, with no line."""
    path = course.write("")
    path.write_bytes(SOLUTION.encode("utf-16"))
    report = grade_submission(course.config, {"kmeans": path}, student="student", hidden=False)
    (exercise,) = report.exercises
    assert exercise.status == "graded" and exercise.score == exercise.max_score, exercise.error
    assert report.notes == ("student.py was not UTF-8: read as UTF-16 and converted to UTF-8",)
    assert path.read_bytes() == SOLUTION.encode("utf-16")  # the student's file is left as it is
    skeleton = ROOT / "exercises" / "kmeans" / "kmeans.py"  # choosing the student's file reads it the same way
    path.write_bytes(skeleton.read_text(encoding="utf-8").encode("utf-16"))
    assert marks(path) == marks(skeleton) > 0
    unknown = course.grade("# -*- coding: klingon -*-\n" + SOLUTION)
    assert unknown.exercises[0].status == "graded" and "read as Windows-1252" in unknown.notes[0], unknown.notes
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


@pytest.mark.parametrize("sandbox", [True, False], ids=["worker", "in-process"])
def test_a_function_name_given_to_another_value_is_said_so(course, sandbox):
    """A function the module has but a later line rebinds (``assign = assign(data, centers)`` at module level) is
    not "missing": the message says what the name holds and what to do; a name the module lacks is missing."""
    report = course.grade(SOLUTION + "\nassign = 3\n", sandbox=sandbox)
    messages = {c.message for e in report.exercises for c in e.checks if c.id.startswith("assign.") and not c.passed}
    assert any("'assign' in your module is a value of type 'int', not a function" in m and "use another name" in m
               for m in messages), messages
    report = course.grade(SOLUTION + "\ndel assign\n", sandbox=sandbox)
    messages = {c.message for e in report.exercises for c in e.checks if c.id.startswith("assign.") and not c.passed}
    assert any("your module has no function named 'assign'" in m for m in messages), messages


@pytest.mark.skipif(find_compiler("fortran") is None, reason="gfortran is not installed")
def test_a_compiled_file_that_cannot_be_loaded_is_named_as_submitted(tmp_path):
    """The worker loads a copy named after the exercise's module (kmeans.f90): the message names the file the
    student handed in."""
    source = (ROOT / "reference" / "kmeans.f90").read_text(encoding="utf-8")
    end = source.index("end subroutine assign")
    path = tmp_path / "my_kmeans.f90"
    path.write_text(source[:end] + "    call helper_not_written()\n" + source[end:], encoding="utf-8")
    report = grade_submission(load_config(ROOT / "config.yaml"), {"kmeans": path}, student="student")
    error = report.exercises[0].error
    assert error.startswith("the compiled my_kmeans.f90 cannot be loaded: it uses helper_not_written_, which it "
                            "does not define"), error
