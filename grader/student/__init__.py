"""How checks call student code: one small interface, several ways to run it.

Checks only ever see a :class:`Student`: ``student.call("normalize", x)``
returns plain data (see :mod:`grader.wire`) or raises one of the exceptions
below.  :class:`InProcessStudent` imports the module into the grader's own
process (trusted code only); the sandboxed worker runs it in another process.
"""

from grader.student._base import (
    TIME_LIMITS,
    AbortKind,
    CallAborted,
    CallRecord,
    ExerciseLoadError,
    NotImplementedYet,
    Student,
    StudentLoadError,
    StudentRaised,
    call_each,
)
from grader.student._inprocess import InProcessStudent
from grader.student._open import StudentOpening, open_student

__all__ = [
    "AbortKind",
    "TIME_LIMITS",
    "Student",
    "CallRecord",
    "StudentRaised",
    "NotImplementedYet",
    "CallAborted",
    "StudentLoadError",
    "ExerciseLoadError",
    "InProcessStudent",
    "open_student",
    "StudentOpening",
    "call_each",
]
