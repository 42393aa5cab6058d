"""Content hashes that decide whether a stored report can be reused.

A report is reused only when the student's graded files, the notes on how they were
read, the grader's version, the exercise's files (configuration, check modules, bindings
and plugins with the helpers beside them, hidden checks, references, data) and the way of
running them are all unchanged.
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


def _module_files(root: Path, source: str) -> Iterable[tuple[str, Path | None]]:
    """The files a trusted module of the exercise (checks, a binding, a plugin) may read: every Python file of its
    folder, where its strategies and helpers live (``from checks.helpers import ...``)."""
    if source.endswith(".py"):
        path = root / source
        folder = path.parent
    else:
        spec = importlib.util.find_spec(source)
        if spec is None or not spec.origin:
            yield source, None
            return
        path, folder = Path(spec.origin), Path(spec.origin).parent
    yield source, path
    for other in sorted(folder.glob("*.py")):
        if other != path:
            yield f"{source}: {other.name}", other


def _check_files(config: CourseConfig, exercise_id: str) -> Iterable[tuple[str, Path | None]]:
    exercise = config.exercise(exercise_id)
    modules = [*exercise.checks, *exercise.hidden_checks, exercise.plugin, exercise.showcase,
               *(language.binding for language in exercise.languages.values())]
    for source in dict.fromkeys(module for module in modules if module):
        yield from _module_files(exercise.root, source)
    if exercise.reference is not None:
        yield "reference", exercise.reference
    for name, language in exercise.languages.items():
        if language.reference is not None:
            yield f"{name} reference", language.reference
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
