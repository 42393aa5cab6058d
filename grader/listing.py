"""``grader list``: the exercises of a course, with their functions, checks and points.

Built from ``config.yaml`` and the check modules it names; hidden checks are listed by id and points (with
their function and title when their files are present, as on the instructor's machine).
"""

from __future__ import annotations

from dataclasses import dataclass

from grader.config import CourseConfig, ExerciseConfig
from grader.exercise import load_exercise

__all__ = ["ListedCheck", "exercise_checks", "listing_text"]


@dataclass(frozen=True)
class ListedCheck:
    id: str
    function: str  # "" when the check's file is not here (a hidden check on a student's machine)
    title: str
    points: float
    hidden: bool


def _points(value: float) -> str:
    return f"{value:g}"


def exercise_checks(exercise: ExerciseConfig) -> list[ListedCheck]:
    """Every check of ``exercise``, in the order they run; hidden ones last when their files are absent."""
    loaded = load_exercise(exercise, hidden=True)
    listed = [ListedCheck(bound.id, bound.check.function, bound.check.title, bound.spec.points, bound.spec.hidden)
              for bound in loaded.checks]
    known = {check.id for check in listed}
    listed += [ListedCheck(check_id, "", "", spec.points, spec.hidden)
               for check_id, spec in exercise.points.items() if check_id not in known]
    return listed


def _exercise_lines(config: CourseConfig, exercise: ExerciseConfig) -> list[str]:
    checks = exercise_checks(exercise)
    try:
        skeleton = exercise.skeleton.resolve().relative_to(config.root.resolve()).as_posix()
    except ValueError:
        skeleton = str(exercise.skeleton)
    lines = [f"{exercise.id}: {exercise.title} — complete {skeleton} (handed in as {exercise.module})"]
    functions = list(dict.fromkeys(check.function for check in checks if check.function))
    lines.append(f"  functions: {', '.join(functions)}")
    width = max(len(check.id) for check in checks) if checks else 0
    for function in [*functions, ""]:
        group = [check for check in checks if check.function == function]
        if not group:
            continue
        lines.append(f"  {function}" if function else "  hidden checks (their files are not here)")
        for check in group:
            hidden = "  [hidden]" if check.hidden else ""
            title = f"  {check.title}" if check.title else ""
            lines.append(f"    {check.id.ljust(width)}  {_points(check.points):>3} pt{hidden}{title}")
    public = sum(check.points for check in checks if not check.hidden)
    hidden_points = sum(check.points for check in checks if check.hidden)
    count = sum(check.hidden for check in checks)
    lines.append(f"  {len(checks)} checks, {_points(public + hidden_points)} points: {_points(public)} public"
                 + (f", {_points(hidden_points)} in {count} hidden check{'s' if count != 1 else ''}"
                    if count else ""))
    return lines


def listing_text(config: CourseConfig) -> str:
    """The exercises of ``config`` as text, one block each."""
    blocks = ["\n".join(_exercise_lines(config, exercise)) for exercise in config.exercises.values()]
    return "\n\n".join(blocks) if blocks else "no exercise in " + str(config.path)
