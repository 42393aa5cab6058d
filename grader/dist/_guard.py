"""The last check before a distribution is written: nothing of the instructor's secrets is inside."""

from __future__ import annotations

from typing import Iterable

from grader._modules import module_file
from grader.config import ExerciseConfig
from grader.dist._files import Plan
from grader.errors import ConfigError

__all__ = ["assert_no_leak"]


def assert_no_leak(plan: Plan, exercises: Iterable[ExerciseConfig], *, hidden_allowed: bool) -> None:
    """Raise :class:`ConfigError` when ``plan`` holds a reference solution or, unless ``hidden_allowed``,
    a hidden check's file or id."""
    forbidden: dict[bytes, str] = {}
    hidden_ids: list[str] = []
    for exercise in exercises:
        if exercise.reference is not None and exercise.reference.is_file():
            forbidden[exercise.reference.read_bytes()] = f"the reference solution of {exercise.id}"
        for language in exercise.languages.values():
            if language.reference is not None and language.reference.is_file():
                forbidden[language.reference.read_bytes()] = (f"the {language.name} reference solution of "
                                                              f"{exercise.id}")
        if not hidden_allowed:
            for source in exercise.hidden_checks:
                # By path, or by dotted name of a module of the course folder.
                path = exercise.root / source if source.endswith(".py") else module_file(source, exercise.root)
                if path is not None and path.is_file():
                    forbidden[path.read_bytes()] = f"the hidden checks of {exercise.id} ({source})"
            hidden_ids += [check_id for check_id, spec in exercise.points.items() if spec.hidden]
    for name, entry in plan.items():
        what = forbidden.get(entry.data)
        if what is not None:
            raise ConfigError(f"refusing to distribute {name}: it is {what}")
        if name.startswith("grader/") and not name.startswith("grader/exercises/"):
            continue  # the core knows no course's checks: an id there (a scaffold's example) is a coincidence
        for check_id in hidden_ids:
            if check_id.encode("utf-8") in entry.data:
                raise ConfigError(f"refusing to distribute {name}: it names the hidden check {check_id!r}; "
                                  "remove the mention or make the check public")
