"""Grading one submission: the library function behind ``grader check`` and ``grader grade``."""

from __future__ import annotations

import functools
import hashlib
import json
import time
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any, Callable, Mapping, Optional, Sequence

from grader import __version__
from grader._timing import Stopwatch, TimedStudent
from grader.authoring import CheckContext
from grader.config import DEFAULT_SHRINK_CALLS, CourseConfig
from grader.exercise import Exercise, load_exercise
from grader.replay import ExampleStore, default_store
from grader.results import NOT_IMPLEMENTED_YET, CheckResult, ExerciseResult, Report, link_causes
from grader.runner import RunSettings, attempt_check, explain_unsatisfiable
from grader.showcase import run_showcase
from grader.sources import still_marked
from grader.errors import ConfigError
from grader.student import ExerciseLoadError, Student, StudentLoadError, StudentOpening, open_student

__all__ = ["CheckProgress", "grade_exercise", "grade_submission", "config_fingerprint"]

#: Told before each check runs: ``(i, n, check_id)``, the check being the i-th of n (from 1).
CheckProgress = Callable[[int, int, str], None]


def _score(results: Sequence[CheckResult]) -> float:
    return round(sum(result.points for result in results), 6)


def _hidden_not_run(exercise: Exercise) -> tuple[int, float]:
    if exercise.hidden_available:
        return 0, 0.0
    hidden = [spec for spec in exercise.config.points.values() if spec.hidden]
    return len(hidden), float(sum(spec.points for spec in hidden))


def _run_checks(exercise: Exercise, student: Student, run: RunSettings,
                examples: Optional[ExampleStore] = None,
                progress: Optional[CheckProgress] = None,
                context: Optional[CheckContext] = None) -> tuple[CheckResult, ...]:
    """Every check of ``exercise``, then each failure linked to its probable cause (see :func:`link_causes`)."""
    results = []
    stopped: dict[str, str] = {}  # function -> why its remaining checks are not run
    set_aside: list[str] = []  # checks whose every example was set aside
    for index, bound in enumerate(exercise.checks, start=1):
        if progress is not None:
            progress(index, len(exercise.checks), bound.check.id)
        function = bound.check.function
        skip = stopped.get("*") or stopped.get(function)
        result, aborted, unsatisfiable = attempt_check(bound, student, run, skip_reason=skip, examples=examples,
                                                       context=context)
        if unsatisfiable:
            set_aside.append(result.id)
        if skip is None and aborted == "budget":
            # The whole submission's time is spent: nothing else can run, whatever its function.
            spent = result.message[len("stopped: "):] if result.message.startswith("stopped: ") else result.message
            stopped["*"] = f"not run: {spent}, during an earlier check"
        elif skip is None and result.verdict == "timeout":
            # One timeout is enough: the function's other checks would each wait as long again.
            stopped[function] = f"not run: {function} already ran out of time in an earlier check"
        results.append(result)
    return link_causes(explain_unsatisfiable(results, set_aside))


def _told_what_is_not_written(results: tuple[CheckResult, ...], path: Path,
                               functions: Sequence[str]) -> tuple[CheckResult, ...]:
    """The checks a compiled function did not run because the ``not_implemented`` flag was set, told with the
    function that set it, as its source shows (the flag does not say): the function called when it still holds
    its marking statement (written but the statement left in: the student deletes it), else those it may call
    that still hold theirs."""
    marked, mark = still_marked(path, functions)
    if not marked:
        return results
    told = []
    for result in results:
        called = result.function
        if result.verdict == "not_implemented" and result.message == f"{called}{NOT_IMPLEMENTED_YET}":
            others = [function for function in marked if function != called]
            if called in marked:
                result = replace(result, message=f"{called}{NOT_IMPLEMENTED_YET} (delete its {mark} statement once you have "
                                                 "written it)")
            elif len(others) == 1:
                result = replace(result, message=f"{others[0]}{NOT_IMPLEMENTED_YET} ({called} calls it)")
            elif others:
                result = replace(result, message=f"one of {', '.join(others[:-1])} and {others[-1]}{NOT_IMPLEMENTED_YET} "
                                                 f"({called} calls one of them)")
        told.append(result)
    return tuple(told)



class _Unloaded:
    """What is left of a module that failed to load: its protections and output (nothing to call)."""

    def __init__(self, error: StudentLoadError) -> None:
        self.protections = dict(error.protections)
        self._output = error.output

    def output(self) -> str:
        return self._output

    def close(self) -> None:
        pass


def _index_arguments(exercise: Any) -> dict[str, dict[str, int]]:
    """The contract's arguments holding indices, as ``exercise``'s binding declares them (none in Python: its
    calls count from 0 as the checks do)."""
    if exercise.binding is None:
        return {}
    from grader.student._languages import binding_index_arguments

    return binding_index_arguments(exercise)


def _not_judged(exercise: Exercise, message: str, common: dict[str, Any]) -> ExerciseResult:
    """``exercise`` whose own code that loads a submission failed: nothing of the student's could be judged, so
    every check is the exercise's error (``grader_error``), as a check of it that raised would be."""
    checks = tuple(CheckResult(id=bound.check.id, function=bound.check.function, title=bound.check.title,
                               passed=False, points=0.0, max_points=bound.spec.points, hidden=bound.spec.hidden,
                               verdict="grader_error", message=message) for bound in exercise.checks)
    return ExerciseResult(score=0.0, status="graded", checks=checks, **common)


def grade_exercise(
    config: CourseConfig,
    exercise_id: str,
    module_path: Optional[Path],
    *,
    hidden: bool = False,
    sandbox: bool = True,
    stopwatch: Optional[Stopwatch] = None,
    language: Optional[str] = None,
    cache: bool = True,
    progress: Optional[CheckProgress] = None,
) -> tuple[ExerciseResult, Student | _Unloaded | None]:
    """Run one exercise's checks on the module at ``module_path`` (``None``: not submitted).

    ``language`` (``python``, ``c``, ``fortran``) defaults to the one the file's extension names.

    Returns the result and the student (still open, so its output can be read; close it).
    ``stopwatch`` collects where the time went (see :mod:`grader._timing`).  ``cache``: replay the
    recorded examples of passing checks (see :mod:`grader.replay`); the result is the same without.
    ``progress`` is told before each check runs.
    """
    stopwatch = stopwatch or Stopwatch()
    with stopwatch.measure("load"):
        opening = _early_opening(config, exercise_id, module_path, language, sandbox)
    try:
        return _grade_opening(config, exercise_id, module_path, opening, hidden=hidden, sandbox=sandbox,
                              stopwatch=stopwatch, language=language, cache=cache, progress=progress)
    finally:
        if opening is not None:
            opening.cancel()  # nothing to end once the grading took its student


def _early_opening(config: CourseConfig, exercise_id: str, module_path: Optional[Path], language: Optional[str],
                   sandbox: bool) -> Optional[StudentOpening]:
    """The submission's worker, started before the exercise's checks load (see :class:`StudentOpening`); None
    with nothing to start, or when the exercise or the file's language is wrong: the grading says so in its
    own order."""
    if module_path is None:
        return None
    try:
        exercise = config.exercise(exercise_id)
        seen_as = exercise.for_language(language or exercise.language_of(Path(module_path)))
    except ConfigError:
        return None
    return StudentOpening(Path(module_path), seen_as, config.limits, sandbox=sandbox)


def _grade_opening(config: CourseConfig, exercise_id: str, module_path: Optional[Path],
                   opening: Optional[StudentOpening], *, hidden: bool, sandbox: bool, stopwatch: Stopwatch,
                   language: Optional[str], cache: bool, progress: Optional[CheckProgress],
                   ) -> tuple[ExerciseResult, Student | _Unloaded | None]:
    exercise = load_exercise(config.exercise(exercise_id), hidden=hidden)
    hidden_count, hidden_points = _hidden_not_run(exercise)
    max_score = float(sum(bound.spec.points for bound in exercise.checks))
    if module_path is not None and language is None:
        language = exercise.config.language_of(Path(module_path))
    in_language = replace(exercise.config.for_language(language or exercise.config.language),
                          functions=exercise.functions)
    common: dict[str, Any] = dict(id=exercise.id, title=exercise.config.title, max_score=max_score,
                                  hidden_not_run=hidden_count, hidden_points_not_run=hidden_points,
                                  language=in_language.language, plugin=exercise.config.plugin or "")
    if module_path is None:
        from grader.grade._discover import submission_files
        from grader.sources import module_names

        others = list(dict.fromkeys([*(module for _, module, _ in module_names(exercise.config)),
                                     *(name for name, _ in submission_files(exercise.config))]))
        others = [other for other in others if other != exercise.config.module]
        nor = f" (nor {', '.join(others)})" if others else ""
        return ExerciseResult(score=0.0, status="missing", error=f"no {exercise.config.module}{nor} submitted",
                              **common), None
    try:
        with stopwatch.measure("load"):
            student = (opening.student(in_language) if opening is not None else
                       open_student(Path(module_path), in_language, config.limits, sandbox=sandbox))
    except ExerciseLoadError as error:
        return _not_judged(exercise, error.message, common), None
    except StudentLoadError as error:
        message = error.message + (f"\n{error.details}" if error.details else "")
        # The report still records the worker's protections and what the code printed before it failed.
        unloaded = _Unloaded(error) if error.protections or error.output else None
        return ExerciseResult(score=0.0, status="error", error=message, **common), unloaded
    advice = str(getattr(student, "advice", "") or "")
    read_notes = tuple(getattr(student, "notes", ()))  # how the file was read (a notebook's dropped magics)
    student = TimedStudent(student, stopwatch)
    context = CheckContext(precision=exercise.config.precision, language=in_language.language,
                           data=tuple(exercise.config.data), index_arguments=_index_arguments(in_language))
    for note in read_notes:
        context.note(note)
    if in_language.binding is not None:  # a compiled language: its binding may say how to read the report
        from grader.student._languages import binding_notes

        for note in binding_notes(in_language):
            context.note(note)
    settings = RunSettings(seed=config.seed, max_examples=config.max_examples, shrink_limit=config.shrink_calls)
    with stopwatch.measure("checks"):
        results = _run_checks(exercise, student, settings, default_store() if cache else None, progress, context)
    if module_path is not None:
        results = _told_what_is_not_written(results, Path(module_path), exercise.functions)
    with stopwatch.measure("showcase"):
        showcase = run_showcase(in_language, student, seed=config.seed, plugin=exercise.plugin)  # never raises
    pace = getattr(student, "pace", None)
    if pace is not None:  # the reference's calls timed to judge the student's (see grader.student._pace)
        stopwatch.add("reference_timing", pace.spent)
    return ExerciseResult(score=_score(results), status="graded", checks=results, showcase=showcase,
                          advice=advice, notes=tuple(context.notes), **common), student


def config_fingerprint(config: CourseConfig, hidden_ran: Mapping[str, bool]) -> str:
    """Hash of the configuration that decides a report's grades: seed, examples, limits, and for each exercise
    (id -> whether its hidden checks ran) its module, check sources and points.

    Hidden checks count only where they ran, so a report graded with the public checks alone has the same
    fingerprint with the instructor's configuration as with the students' copy (which has no hidden checks).
    """
    content: dict[str, Any] = {"seed": config.seed, "max_examples": config.max_examples,
                               "limits": asdict(config.limits), "exercises": {}}
    if config.shrink_calls != DEFAULT_SHRINK_CALLS:  # the counterexamples shown depend on it
        content["shrink_calls"] = config.shrink_calls
    for exercise_id, with_hidden in sorted(hidden_ran.items()):
        exercise = config.exercise(exercise_id)
        content["exercises"][exercise_id] = {
            "module": exercise.module,
            "precision": exercise.precision,
            "checks": list(exercise.checks) + (list(exercise.hidden_checks) if with_hidden else []),
            "points": {check_id: spec.points for check_id, spec in sorted(exercise.points.items())
                       if with_hidden or not spec.hidden},
        }
    return "sha256:" + hashlib.sha256(json.dumps(content, sort_keys=True).encode("utf-8")).hexdigest()


def _subfolder(folder: Callable[[], Path], name: str) -> Path:
    return folder() / name


def grade_submission(
    config: CourseConfig,
    modules: dict[str, Optional[Path]],
    *,
    student: str = "",
    name: str = "",
    hidden: bool = False,
    sandbox: bool = True,
    languages: Optional[Mapping[str, str]] = None,
    cache: bool = True,
    progress: Optional[CheckProgress] = None,
) -> Report:
    """Grade a student's modules (exercise id -> path, or ``None`` when missing) into a :class:`Report`.

    ``languages`` (exercise id -> language) overrides the language the files' extensions name.
    ``cache``: replay recorded examples where they behave as recorded (see :mod:`grader.replay`).
    ``progress`` is told before each check runs (for a display; it must not raise).
    """
    from grader.grade._source import readable, scratch_folder

    started = time.perf_counter()
    stopwatch = Stopwatch()
    exercises, outputs, protections, notes = [], [], {}, []
    # A file not saved as UTF-8 is graded as its converted copy, in every channel alike (see grader.grade._source).
    with scratch_folder() as converted:
        for exercise_id, path in modules.items():
            if path is not None:
                path, note = readable(Path(path), functools.partial(_subfolder, converted, exercise_id))
                notes += [note] if note else []
            result, opened = grade_exercise(config, exercise_id, path, hidden=hidden, sandbox=sandbox,
                                            stopwatch=stopwatch, language=(languages or {}).get(exercise_id),
                                            cache=cache, progress=progress)
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
        timing={"total": round(time.perf_counter() - started, 3), **stopwatch.rounded()},
        output="\n".join(outputs),
        notes=tuple(notes),
        config_fingerprint=config_fingerprint(
            config, {e.id: any(check.hidden for check in e.checks) for e in exercises}),
    )
