"""grader: a property-based autograder for the hands-on exercises of a machine-learning course.

The public API is small::

    from grader import load_config, grade_submission, Report

Everything else lives in modules of its own; names starting with an underscore
are internal.
"""

__version__ = "0.1.0"

from grader.config import CourseConfig, load_config  # noqa: E402
from grader.errors import ConfigError, GraderError, UsageError  # noqa: E402
from grader.grading import grade_exercise, grade_submission  # noqa: E402
from grader.results import CheckResult, ExerciseResult, Report  # noqa: E402

__all__ = [
    "__version__",
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
