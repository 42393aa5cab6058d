"""The course's helpers that the skeletons import (``grader.exercises.kmeans.coursefile``, ``plots``) load in the
worker wherever a submission imports them, at its top too, with the grader installed in editable mode (its
package inside the course folder, which is protected) or in site-packages alike; the reference and the hidden
checks stay unreadable.  A part of the grader that cannot be loaded there is said so, with what to do."""

from __future__ import annotations

import dataclasses

import pytest

from grader import load_config
from grader.student._base import StudentLoadError
from grader.student._worker import WorkerStudent
from tests.sandbox.helpers import ROOT, SOLUTION, full_marks, landlock_active

#: The skeleton's course helpers, imported where a student may move them: at the top of the file.
HELPERS = ("from grader.exercises.kmeans.coursefile import read_points, write_centers\n"
           "from grader.exercises.kmeans.plots import draw_clustering\n")
#: What the worker must never load for a helper: the checks, their strategies, Hypothesis.
GRADING = ("hypothesis", "grader.exercises.kmeans.plugin", "grader.exercises.kmeans.phases",
           "grader.exercises.kmeans.strategies", "grader.checklib", "grader.grading")


def _reading(*secrets) -> str:
    """Module-level code printing DENIED or LEAK for each of ``secrets``, and the grading code it has loaded."""
    return f"""
for _secret in {[str(path) for path in secrets]!r}:
    try:
        print("LEAK", _secret, open(_secret).read()[:40])
    except OSError as _error:
        print("DENIED", type(_error).__name__)
print("GRADING", sorted(_name for _name in sys.modules if _name.startswith({GRADING!r})))
"""


def _few_examples(config):
    """``config`` with the fewest examples that still run every check: what is tested is the module's loading."""
    return dataclasses.replace(config, max_examples=2, shrink_calls=0)


def _assert_helpers_loaded(report, secrets: int) -> None:
    exercise = report.exercises[0]
    assert exercise.status == "graded", exercise.error
    assert landlock_active(report), report.sandbox
    assert full_marks(report) and report.score == report.max_score
    assert "LEAK" not in report.output and report.output.count("DENIED PermissionError") == secrets, report.output
    assert "GRADING []" in report.output, report.output


def test_helpers_imported_at_the_top_with_the_grader_outside_the_course(course):
    """As installed in site-packages: the grader's package is not in the course folder."""
    reference = (ROOT / "reference" / "kmeans.py").read_text(encoding="utf-8")
    source = HELPERS + reference + _reading(course.root / "reference" / "kmeans.py",
                                            course.root / "reference" / "kmeans_hidden_checks.py")
    _assert_helpers_loaded(course.grade(source, config=_few_examples(course.config)), secrets=2)


@pytest.mark.quick
def test_helpers_imported_at_the_top_with_the_grader_inside_the_course(course):
    """As installed by the quick start's ``pip install -e .``: the course folder holds the grader's package."""
    assert (ROOT / "grader" / "__init__.py").is_file() and (ROOT / "reference" / "kmeans.py").is_file()
    config = dataclasses.replace(_few_examples(load_config(ROOT / "config.yaml")), limits=course.config.limits)
    reference = (ROOT / "reference" / "kmeans.py").read_text(encoding="utf-8")
    source = HELPERS + reference + _reading(ROOT / "reference" / "kmeans.py",
                                            ROOT / "reference" / "kmeans_hidden_checks.py", ROOT / "config.yaml")
    _assert_helpers_loaded(course.grade(source, config=config), secrets=3)


def _load_error(course, source: str, **options) -> str:
    path = course.write(source)
    with pytest.raises(StudentLoadError) as raised:
        WorkerStudent(path, exercise=course.config.exercise("kmeans"), limits=course.config.limits, **options)
    return raised.value.message


def test_a_part_of_the_grader_that_cannot_be_loaded_says_what_to_do(course):
    """Where the grader's package cannot be read (here: it holds a protected file), importing a helper is refused
    with what to do, never a PermissionError naming a path; so is a name of the grader's own ``__init__``."""
    line = SOLUTION.count("\n") + 1  # the first line of HELPERS
    secret = ROOT / "grader" / "exercises" / "kmeans" / "geometry.py"
    message = _load_error(course, SOLUTION + HELPERS, protected=(secret,))
    assert message.startswith(f"importing student.py failed (student.py, line {line}): your code imports "
                              "grader.exercises, which cannot be read where your code is graded; import it only "
                              "inside 'if __name__ == \"__main__\":', as the skeleton does"), message
    assert "PermissionError" not in message and str(ROOT) not in message, message
    message = _load_error(course, "from grader import load_config\n" + SOLUTION)
    assert message.startswith("importing student.py failed (student.py, line 1): your code imports a part of the "
                              "grader that is not available where your code is graded (cannot import name "
                              "'load_config' from 'grader'"), message
