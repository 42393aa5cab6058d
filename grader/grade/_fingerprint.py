"""Content hashes that decide whether a stored report can be reused.

A report is reused only when the student's graded files, the notes on how they were
read, the grader's version, the exercise's files (configuration, check modules and the
helpers beside them, hidden checks, reference, data) and the way of running them are all
unchanged.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path
from typing import Iterable, Mapping

import grader
from grader.config import CourseConfig
from grader.grade._discover import Submission
from grader.grade._prepare import Prepared

__all__ = ["course_fingerprint", "student_fingerprint"]


def _feed_file(digest: "hashlib._Hash", label: str, path: Path | None) -> None:
    digest.update(f"\0{label}\0".encode("utf-8", "surrogateescape"))
    try:
        digest.update(path.read_bytes() if path is not None else b"\0absent")
    except OSError:
        digest.update(b"\0absent")


def _check_files(config: CourseConfig, exercise_id: str) -> Iterable[tuple[str, Path | None]]:
    exercise = config.exercise(exercise_id)
    for source in (*exercise.checks, *exercise.hidden_checks):
        if source.endswith(".py"):
            yield source, exercise.root / source
        else:
            # A check module's strategies and helpers live beside it: the whole folder counts.
            spec = importlib.util.find_spec(source)
            if spec is None or not spec.origin:
                yield source, None
                continue
            folder = Path(spec.origin).parent
            for path in sorted(folder.glob("*.py")):
                yield f"{source}: {path.name}", path
    if exercise.reference is not None:
        yield "reference", exercise.reference
    for path in exercise.data:
        yield f"data {path.name}", path


def course_fingerprint(config: CourseConfig, exercise_ids: Iterable[str], *, sandbox: bool) -> str:
    """Hash of what grading depends on besides the submission itself."""
    digest = hashlib.sha256()
    digest.update(f"grader {grader.__version__} sandbox={sandbox}".encode())
    _feed_file(digest, "config", config.path)
    for exercise_id in exercise_ids:
        digest.update(f"\0exercise {exercise_id}".encode())
        for label, path in _check_files(config, exercise_id):
            _feed_file(digest, label, path)
    return digest.hexdigest()


def student_fingerprint(course: str, submission: Submission, prepared: Prepared,
                        exercise_ids: Iterable[str]) -> str:
    """Hash of one student's grading: the course's hash, who they are, exactly what was graded, and the notes on
    how it was read (which change with the class folder around it: a twin entry removed since)."""
    content: Mapping[str, object] = {
        "course": course,
        "student": submission.id,
        "name": submission.name,
        "notes": list(prepared.notes),
        "exercises": {exercise_id: {"digest": prepared.digests.get(exercise_id, ""),
                                    "problem": list(prepared.problems.get(exercise_id, ("", "")))}
                      for exercise_id in exercise_ids},
    }
    text = json.dumps(content, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()  # names of any bytes
