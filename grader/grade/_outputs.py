"""A student's files in OUT: the rendered reports, and the stamp that lets a later run reuse them.

Files are rendered in the scratch area, then copied into OUT one by one with an
atomic rename; the stamp (``submission.json``, holding the content hash) is
written last, so a report without its stamp is never trusted.
"""

from __future__ import annotations

import json
import shutil
import sys
import traceback
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional, Sequence

from grader.config import CourseConfig
from grader import _atomic
from grader.grade._prepare import Problem
from grader.results import Report

__all__ = ["STAMP", "REPORT", "render_student", "install", "write_stamp", "reusable", "with_problems",
           "failed_report", "stamp_of", "remove_departed"]

STAMP = "submission.json"
REPORT = "report.json"


def with_problems(report: Report, problems: Mapping[str, Problem]) -> Report:
    """The report, with each exercise that could not be graded given its status and message."""
    if not problems:
        return report
    exercises = tuple(
        replace(exercise, status=problems[exercise.id][0], error=problems[exercise.id][1], score=0.0, checks=())
        if exercise.id in problems and exercise.status != "graded" else exercise
        for exercise in report.exercises
    )
    return replace(report, exercises=exercises, score=round(sum(exercise.score for exercise in exercises), 6))


def failed_report(config: CourseConfig, exercise_ids: list[str], *, student: str, name: str,
                  problems: Mapping[str, Problem], notes: Sequence[str] = ()) -> Report:
    """A report for a submission that is not graded at all (nothing to grade, or grading it failed)."""
    from grader.grading import grade_submission

    report = grade_submission(config, {exercise_id: None for exercise_id in exercise_ids}, student=student,
                              name=name, hidden=True, sandbox=False)  # runs no student code
    return with_notes(with_problems(report, problems), notes)


def with_notes(report: Report, notes: Sequence[str]) -> Report:
    """The report, with the notes on how its submission was read."""
    return replace(report, notes=tuple(dict.fromkeys((*report.notes, *notes)))) if notes else report


def _writer() -> Optional[Any]:
    try:
        from grader import render
    except ImportError:
        return None
    return getattr(render, "write_reports", None)


def render_student(report: Report, folder: Path) -> None:
    """Write every report file of ``report`` into ``folder`` (in the scratch area)."""
    folder.mkdir(parents=True, exist_ok=True)
    writer = _writer()
    if writer is not None:
        try:
            writer(report, folder)
        except Exception:  # a rendering fault must not lose the grade: report.json is written below
            print(f"rendering the reports of {report.student!r} failed:\n{traceback.format_exc()}", file=sys.stderr)
    if not (folder / REPORT).is_file():
        (folder / REPORT).write_text(report.to_json(), encoding="utf-8")


def install(staging: Path, folder: Path) -> None:
    """Copy the files rendered in ``staging`` into the student's ``folder`` in OUT, each atomically."""
    folder.mkdir(parents=True, exist_ok=True)
    _atomic.sweep_temporaries(folder)
    for path in sorted(staging.rglob("*")):
        if path.is_file() and not path.is_symlink():
            _atomic.copy_file(path, folder / path.relative_to(staging))


def write_stamp(folder: Path, stamp: Mapping[str, Any]) -> None:
    _atomic.write_text(folder / STAMP, json.dumps(dict(stamp), indent=2, ensure_ascii=False) + "\n")


def reusable(folder: Path, fingerprint: str, student: str) -> Optional[Report]:
    """The stored report of ``folder`` if its stamp matches ``fingerprint``, else ``None``."""
    try:
        stamp = json.loads((folder / STAMP).read_text(encoding="utf-8"))
        if not isinstance(stamp, dict) or stamp.get("fingerprint") != fingerprint:
            return None
        report = Report.from_json((folder / REPORT).read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError, KeyError):
        return None
    return report if report.student == student else None


def remove_departed(out: Path, students: Iterable[str]) -> list[str]:
    """Remove from ``out`` the folders of students graded there before and no longer in the class (``students``:
    the ids graded now), whose reports would otherwise stay beside the gradebook; their ids, sorted.  Only a folder
    holding the grader's stamp is a student's: nothing else of ``out`` is touched."""
    from grader.grade._paths import folder_name

    kept = {folder_name(student) for student in students}
    removed = []
    for child in sorted(out.iterdir()) if out.is_dir() else ():
        if child.name in kept or child.is_symlink() or not child.is_dir() or not (child / STAMP).is_file():
            continue
        try:
            stamp = json.loads((child / STAMP).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            stamp = {}
        shutil.rmtree(child, ignore_errors=True)
        removed.append(str(stamp.get("student", child.name)) if isinstance(stamp, dict) else child.name)
    return sorted(removed, key=lambda name: (name.casefold(), name))


def stamp_of(fingerprint: str, *, student: str, name: str, source: str, used: Mapping[str, str],
             notes: tuple[str, ...], version: str) -> dict[str, Any]:
    return {"fingerprint": fingerprint, "student": student, "name": name, "source": source,
            "graded_files": dict(used), "notes": list(notes), "grader_version": version}
