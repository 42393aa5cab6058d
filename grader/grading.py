"""Grading one submission: the library function behind ``grader check`` and ``grader grade``."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Optional, Sequence

from grader import __version__
from grader.config import CourseConfig
from grader.exercise import Exercise, load_exercise
from grader.results import CheckResult, ExerciseResult, Report
from grader.runner import RunSettings, run_check
from grader.student import Student, StudentLoadError, open_student

__all__ = ["grade_exercise", "grade_submission"]


def _score(results: Sequence[CheckResult]) -> float:
    return round(sum(result.points for result in results), 6)


def _hidden_not_run(exercise: Exercise) -> tuple[int, float]:
    if exercise.hidden_available:
        return 0, 0.0
    hidden = [spec for spec in exercise.config.points.values() if spec.hidden]
    return len(hidden), float(sum(spec.points for spec in hidden))


def _run_checks(exercise: Exercise, student: Student, run: RunSettings) -> tuple[CheckResult, ...]:
    results = []
    stopped: dict[str, str] = {}  # function -> why its remaining checks are not run
    for bound in exercise.checks:
        function = bound.check.function
        result = run_check(bound, student, run, skip_reason=stopped.get(function) or stopped.get("*"))
        if result.verdict == "timeout" and function not in stopped:
            # One timeout is enough: the function's other checks would each wait as long again.
            stopped[function] = f"not run: {function} already ran out of time in an earlier check"
            if "budget" in result.message:
                stopped["*"] = result.message
        results.append(result)
    return tuple(results)


def grade_exercise(
    config: CourseConfig,
    exercise_id: str,
    module_path: Optional[Path],
    *,
    hidden: bool = False,
    sandbox: bool = True,
) -> tuple[ExerciseResult, Student | None]:
    """Run one exercise's checks on the module at ``module_path`` (``None``: not submitted).

    Returns the result and the student (still open, so its output can be read; close it).
    """
    exercise = load_exercise(config.exercise(exercise_id), hidden=hidden)
    hidden_count, hidden_points = _hidden_not_run(exercise)
    max_score = float(sum(bound.spec.points for bound in exercise.checks))
    common = dict(id=exercise.id, title=exercise.config.title, max_score=max_score,
                  hidden_not_run=hidden_count, hidden_points_not_run=hidden_points)
    if module_path is None:
        return ExerciseResult(score=0.0, status="missing", error=f"no {exercise.config.module} submitted",
                              **common), None
    try:
        student = open_student(Path(module_path), exercise.config, config.limits, sandbox=sandbox)
    except StudentLoadError as error:
        message = error.message + (f"\n{error.details}" if error.details else "")
        return ExerciseResult(score=0.0, status="error", error=message, **common), None
    results = _run_checks(exercise, student, RunSettings(seed=config.seed, max_examples=config.max_examples))
    return ExerciseResult(score=_score(results), status="graded", checks=results, **common), student


def grade_submission(
    config: CourseConfig,
    modules: dict[str, Optional[Path]],
    *,
    student: str = "",
    name: str = "",
    hidden: bool = False,
    sandbox: bool = True,
) -> Report:
    """Grade a student's modules (exercise id -> path, or ``None`` when missing) into a :class:`Report`."""
    started = time.perf_counter()
    exercises, outputs, protections = [], [], {}
    for exercise_id, path in modules.items():
        result, opened = grade_exercise(config, exercise_id, path, hidden=hidden, sandbox=sandbox)
        exercises.append(result)
        if opened is not None:
            protections = dict(opened.protections)
            text = opened.output()
            if text:
                outputs.append(text if len(modules) == 1 else f"--- {exercise_id} ---\n{text}")
            opened.close()
    return Report(
        student=student,
        name=name,
        score=round(sum(e.score for e in exercises), 6),
        max_score=float(sum(e.max_score for e in exercises)),
        exercises=tuple(exercises),
        grader_version=__version__,
        seed=config.seed,
        sandbox=protections,
        timing={"total": round(time.perf_counter() - started, 3)},
        output="\n".join(outputs),
    )
