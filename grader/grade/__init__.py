"""Grading a whole class: ``grader grade SUBMISSIONS --out OUT``.

The library API::

    from grader.grade import grade_class, write_gradebook, write_class_overview

``grade_class`` grades every submission of a folder in parallel and resumably;
``write_gradebook`` and ``write_class_overview`` build the gradebook CSV and the
``index.html`` overview from any list of :class:`~grader.results.Report`, with
each student's files in ``OUT/<student_folder(id)>/``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from grader import _lazy

if TYPE_CHECKING:
    from grader.grade._archive import Caps, SubmissionProblem
    from grader.grade._discover import Submission, discover
    from grader.grade._gradebook import (
        GRADEBOOK,
        Coverage,
        StudentStatus,
        class_counts,
        counts_text,
        gradebook_csv,
        student_status,
        write_gradebook,
    )
    from grader.grade._overview import OVERVIEW, class_overview_html, write_class_overview
    from grader.grade._paths import folder_name as student_folder
    from grader.grade._progress import make_progress
    from grader.grade._run import ClassResult, default_jobs, grade_class

#: Each name from its module when first used: ``grader check`` reads one module of this package, not all.
__getattr__ = _lazy.exports(__name__, {
    **dict.fromkeys(("Caps", "SubmissionProblem"), "grader.grade._archive"),
    **dict.fromkeys(("Submission", "discover"), "grader.grade._discover"),
    **dict.fromkeys(("GRADEBOOK", "Coverage", "StudentStatus", "class_counts", "counts_text", "gradebook_csv",
                     "student_status", "write_gradebook"), "grader.grade._gradebook"),
    **dict.fromkeys(("OVERVIEW", "class_overview_html", "write_class_overview"), "grader.grade._overview"),
    "student_folder": "grader.grade._paths:folder_name",
    "make_progress": "grader.grade._progress",
    **dict.fromkeys(("ClassResult", "default_jobs", "grade_class"), "grader.grade._run"),
})

__all__ = [
    "grade_class",
    "default_jobs",
    "ClassResult",
    "discover",
    "Submission",
    "Caps",
    "SubmissionProblem",
    "write_gradebook",
    "gradebook_csv",
    "student_status",
    "class_counts",
    "counts_text",
    "Coverage",
    "StudentStatus",
    "write_class_overview",
    "class_overview_html",
    "student_folder",
    "make_progress",
    "GRADEBOOK",
    "OVERVIEW",
]
