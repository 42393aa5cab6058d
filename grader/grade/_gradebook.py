"""The class gradebook: one CSV row per student, for the learning platform's grade import.

Plain UTF-8 CSV with a header row and a point as decimal separator, which both
Moodle's and Canvas's grade imports read (the instructor maps the ``id`` column
to the platform's identifier and the score columns to grade items).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Iterable, Literal, Optional, Sequence

from grader import _atomic
from grader.render._view import clean_line
from grader.results import Report

__all__ = ["GRADEBOOK", "Coverage", "StudentStatus", "class_counts", "counts_text", "coverage", "student_status",
           "student_languages", "exercise_ids", "number", "gradebook_csv", "write_gradebook",
           "sorted_reports"]

GRADEBOOK = "gradebook.csv"
# Spreadsheets run cells starting with these as formulas: such names are kept as text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

#: One student over all the exercises graded (the gradebook's ``status`` column).  ``grader_error``: a check of the
#: exercise itself raised while grading this student (the instructor's to fix; the score is provisional).
StudentStatus = Literal["graded", "error", "missing", "incomplete", "grader_error"]
#: Which checks a gradebook's scores come from (its ``checks`` column): ``grader grade`` runs the hidden
#: checks too; ``grader collect`` gathers CI runs, of the public checks only unless made with ``check --all``.
Coverage = Literal["public+hidden", "public"]


def sorted_reports(reports: Iterable[Report]) -> list[Report]:
    return sorted(reports, key=lambda report: (report.student.casefold(), report.student))


def student_status(report: Report) -> StudentStatus:
    """``graded``, ``error`` (something could not be graded), ``missing`` (nothing submitted), ``incomplete``, or
    ``grader_error`` (a check of an exercise broke while grading: first, since only the instructor can act on it)."""
    if any(exercise.grader_errors for exercise in report.exercises):
        return "grader_error"
    statuses = [exercise.status for exercise in report.exercises]
    if "error" in statuses:
        return "error"
    if statuses and all(status == "missing" for status in statuses):
        return "missing"
    if "missing" in statuses:
        return "incomplete"
    return "graded"


def class_counts(reports: Iterable[Report]) -> dict[StudentStatus, int]:
    """How many students are in each status: each student counted once, in one status."""
    counts: dict[StudentStatus, int] = {"graded": 0, "incomplete": 0, "error": 0, "missing": 0, "grader_error": 0}
    for report in reports:
        counts[student_status(report)] += 1
    return counts


def counts_text(reports: Sequence[Report]) -> str:
    """``4 students: 2 graded, 1 error, 1 missing``: the same words in the terminal and the class overview."""
    counts = class_counts(reports)
    parts = [f"{counts[status]} {status.replace('_', ' ')}" for status in counts
             if counts[status] or status not in ("incomplete", "grader_error")]
    return f"{len(reports)} student{'s' if len(reports) != 1 else ''}: {', '.join(parts)}"


def coverage(reports: Iterable[Report]) -> Coverage:
    """Which checks a class's scores come from: ``public+hidden`` when hidden checks ran for any student
    (``grader grade`` runs them for everyone whose code loads), else ``public``."""
    ran_hidden = any(check.hidden for report in reports for exercise in report.exercises for check in exercise.checks)
    return "public+hidden" if ran_hidden else "public"


def student_languages(report: Report) -> str:
    """The languages of the student's submitted exercises (``python``, ``c``, ``fortran``), ``+``-joined."""
    return "+".join(dict.fromkeys(exercise.language for exercise in report.exercises if exercise.status != "missing"))


def exercise_ids(reports: Iterable[Report]) -> list[str]:
    """Every exercise of the reports, in the order they first appear."""
    return list(dict.fromkeys(exercise.id for report in reports for exercise in report.exercises))


def number(value: float) -> str:
    """A score as a plain decimal: ``87.5``, ``100``, never an exponent."""
    text = f"{round(float(value), 4):.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _text(value: str) -> str:
    """A cell from a student's names: on one line, no control or bidirectional character, no formula."""
    value = clean_line(value)
    return "'" + value if value.startswith(_FORMULA_START) else value


def gradebook_csv(reports: Sequence[Report], *, checks: Optional[Coverage] = None, each: bool = False) -> str:
    """The gradebook of ``reports`` as CSV text, sorted by student id.

    The ``checks`` column says which checks the scores come from: ``checks`` when given (a class run's own, as
    ``grader merge`` reads it), else :func:`coverage` of the class, or with ``each`` of each student's report
    (``grader collect``: each CI run ran the public checks, or the hidden ones too with ``grader check --all``).
    """
    ordered = sorted_reports(reports)
    covered = checks or coverage(ordered)
    exercises = exercise_ids(ordered)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["id", "name", *exercises, "total", "max", "status", "language", "checks"])
    for report in ordered:
        scores = {exercise.id: number(exercise.score) for exercise in report.exercises}
        writer.writerow([_text(report.student), _text(report.name), *(scores.get(e, "") for e in exercises),
                         number(report.score), number(report.max_score), student_status(report),
                         student_languages(report), coverage([report]) if each else covered])
    return buffer.getvalue()


def write_gradebook(reports: Sequence[Report], path: Path, *, checks: Optional[Coverage] = None,
                    each: bool = False) -> Path:
    """Write the gradebook of ``reports`` to ``path`` (a file, or a folder to hold ``gradebook.csv``), atomically
    (``checks``, ``each``: see :func:`gradebook_csv`)."""
    path = Path(path)
    if path.is_dir():
        path = path / GRADEBOOK
    _atomic.write_text(path, gradebook_csv(reports, checks=checks, each=each))
    return path
