"""grader: a property-based autograder for the hands-on exercises of a machine-learning course.

The public API is small::

    from grader import load_config, grade_submission, Report

and, in a Jupyter notebook, ``grader.check("ID")`` (see :mod:`grader.notebook`).

Everything else lives in modules of its own; names starting with an underscore
are internal.
"""

from typing import TYPE_CHECKING, Any, Optional

__version__ = "0.1.0"

from grader import _lazy  # noqa: E402

if TYPE_CHECKING:
    from grader.config import CourseConfig, load_config
    from grader.errors import ConfigError, GraderError, UsageError
    from grader.grading import grade_exercise, grade_submission
    from grader.results import CheckResult, ExerciseResult, Report

#: Each name of the public API from its module when first used: the ``grader`` command starts its worker
#: before the checks' libraries (Hypothesis, numpy) are imported.
__getattr__ = _lazy.exports(__name__, {
    **dict.fromkeys(("CourseConfig", "load_config"), "grader.config"),
    **dict.fromkeys(("ConfigError", "GraderError", "UsageError"), "grader.errors"),
    **dict.fromkeys(("grade_exercise", "grade_submission"), "grader.grading"),
    **dict.fromkeys(("CheckResult", "ExerciseResult", "Report"), "grader.results"),
})


def check(exercise: Optional[str] = None, **options: Any) -> Any:
    """In a Jupyter notebook (or Colab, or IPython): grade the functions its cells define for ``exercise`` and
    show the report under the cell.  See :func:`grader.notebook.check` for the options."""
    from grader.notebook import check as check_notebook

    return check_notebook(exercise, **options)


__all__ = [
    "__version__",
    "check",
    "CourseConfig",
    "load_config",
    "grade_submission",
    "grade_exercise",
    "Report",
    "ExerciseResult",
    "CheckResult",
    "GraderError",
    "ConfigError",
    "UsageError",
]
