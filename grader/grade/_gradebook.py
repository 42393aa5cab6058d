"""The class gradebook: one CSV row per student, for the learning platform's grade import.

Plain UTF-8 CSV with a header row and a point as decimal separator, which both
Moodle's and Canvas's grade imports read (the instructor maps the ``id`` column
to the platform's identifier and the score columns to grade items).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Iterable, Literal, Sequence

from grader import _atomic
from grader.results import Report

__all__ = ["GRADEBOOK", "StudentStatus", "student_status", "student_languages", "exercise_ids", "number", "gradebook_csv", "write_gradebook",
           "sorted_reports"]

GRADEBOOK = "gradebook.csv"
# Spreadsheets run cells starting with these as formulas: such names are kept as text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

#: One student over all the exercises graded (the gradebook's ``status`` column).
StudentStatus = Literal["graded", "error", "missing", "incomplete"]


def sorted_reports(reports: Iterable[Report]) -> list[Report]:
    return sorted(reports, key=lambda report: (report.student.casefold(), report.student))


def student_status(report: Report) -> StudentStatus:
    """``graded``, ``error`` (something could not be graded), ``missing`` (nothing submitted) or ``incomplete``."""
    statuses = [exercise.status for exercise in report.exercises]
    if "error" in statuses:
        return "error"
    if statuses and all(status == "missing" for status in statuses):
        return "missing"
    if "missing" in statuses:
        return "incomplete"
    return "graded"


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
    return "'" + value if value.startswith(_FORMULA_START) else value


def gradebook_csv(reports: Sequence[Report]) -> str:
    """The gradebook of ``reports`` as CSV text, sorted by student id."""
    ordered = sorted_reports(reports)
    exercises = exercise_ids(ordered)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["id", "name", *exercises, "total", "max", "status", "language"])
    for report in ordered:
        scores = {exercise.id: number(exercise.score) for exercise in report.exercises}
        writer.writerow([_text(report.student), _text(report.name), *(scores.get(e, "") for e in exercises),
                         number(report.score), number(report.max_score), student_status(report),
                         student_languages(report)])
    return buffer.getvalue()


def write_gradebook(reports: Sequence[Report], path: Path) -> Path:
    """Write the gradebook of ``reports`` to ``path`` (a file, or a folder to hold ``gradebook.csv``), atomically."""
    path = Path(path)
    if path.is_dir():
        path = path / GRADEBOOK
    _atomic.write_text(path, gradebook_csv(reports))
    return path
