"""grader: a property-based autograder for the hands-on exercises of a machine-learning course.

The public API is small::

    from grader import load_config, grade_submission, Report

and, in a Jupyter notebook, ``grader.check("ID")`` (see :mod:`grader.notebook`).

Everything else lives in modules of its own; names starting with an underscore
are internal.
"""

import importlib
from typing import TYPE_CHECKING, Any, Optional

__version__ = "0.1.0"

if TYPE_CHECKING:
    from grader.config import CourseConfig, load_config
    from grader.errors import ConfigError, GraderError, UsageError
    from grader.grading import grade_exercise, grade_submission
    from grader.results import CheckResult, ExerciseResult, Report

#: Where each name of the public API is defined: imported when first used, so that the ``grader`` command
#: starts its worker before the checks' libraries (Hypothesis, numpy) are imported.
_PUBLIC = {
    "CourseConfig": "grader.config", "load_config": "grader.config",
    "ConfigError": "grader.errors", "GraderError": "grader.errors", "UsageError": "grader.errors",
    "grade_exercise": "grader.grading", "grade_submission": "grader.grading",
    "CheckResult": "grader.results", "ExerciseResult": "grader.results", "Report": "grader.results",
}


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'grader' has no attribute {name!r}")
    value = getattr(importlib.import_module(_PUBLIC[name]), name)
    globals()[name] = value
    return value


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
