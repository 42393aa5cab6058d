"""The result model: what grading found, as frozen records that serialise to JSON.

Every output format (terminal, JSON, Markdown, HTML, JUnit, Gradescope, CSV) is
a rendering of a :class:`Report`; nothing here knows how it will be shown.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal, Optional, Sequence, get_args

__all__ = ["CheckResult", "ExerciseResult", "Report", "SCHEMA_VERSION", "Status", "Verdict", "STATUSES",
           "VERDICTS", "GRADER_ERROR_NOTE", "NOT_IMPLEMENTED_YET", "link_causes"]

SCHEMA_VERSION = 1

#: The outcome of one check (see :class:`CheckResult`); the strings are those of the JSON report.
Verdict = Literal["passed", "failed", "not_implemented", "error", "timeout", "too_slow", "crashed", "grader_error"]
#: How one exercise of one student went (see :class:`ExerciseResult`).
Status = Literal["graded", "error", "missing"]

VERDICTS: tuple[Verdict, ...] = get_args(Verdict)
STATUSES: tuple[Status, ...] = get_args(Status)


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check.

    ``verdict`` is ``passed``, ``failed`` (the property does not hold),
    ``not_implemented``, ``error`` (the code raised), ``timeout`` (a time limit: runaway code),
    ``too_slow`` (correct or not, it answered, far slower than the reference on the same input), ``crashed`` (crash, exit, memory, output flood...) or ``grader_error`` (a
    fault of the grader, not of the student).

    ``suspects`` are the checks whose property the counterexample of a failure
    breaks (the main loop calls the student's own phases); ``caused_by`` is the one
    of them that failed too, so this failure is probably its consequence (see
    :func:`link_causes`).  Points do not depend on either.
    """

    id: str
    function: str
    title: str
    passed: bool
    points: float
    max_points: float
    hidden: bool = False
    verdict: Verdict = "passed"
    message: str = ""
    hint: str = ""
    counterexample: Optional[dict[str, Any]] = None
    duration: float = 0.0
    suspects: tuple[str, ...] = ()
    caused_by: Optional[str] = None
    #: The counterexample is the check's one fixed example (e.g. the course's data), not the smallest found.
    fixed_example: bool = False
    #: What the numbers the check counted from 0 (rows, labels, classes: see :func:`grader.authoring.index`) are
    #: counted from in its message and counterexample, as the student's language counts (1 in Fortran): a figure
    #: drawn from the counterexample takes it off to index the check's arrays.
    index_base: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "suspects", tuple(self.suspects))  # a list when read back from JSON


@dataclass(frozen=True)
class ExerciseResult:
    """One exercise of one student.  ``status`` is ``graded``, ``error`` (could not load) or ``missing``."""

    id: str
    title: str
    score: float
    max_score: float
    status: Status
    error: str = ""
    checks: tuple[CheckResult, ...] = ()
    hidden_not_run: int = 0
    hidden_points_not_run: float = 0.0
    #: The student's own run on the course data, for the reports' pictures: the envelope
    #: ``{"title", "error", "runs": [{"file", "error", "note", ...}], ...}`` whose content beyond these keys
    #: belongs to the exercise (see :class:`grader.plugin.ExercisePlugin`), or ``None`` when the exercise has
    #: none or the code could not be loaded.
    showcase: Optional[dict[str, Any]] = None
    #: The language the submission is written in (``python``, ``c``, ``fortran``).
    language: str = "python"
    #: The compiler's warnings for a compiled language: advice for the student, never scored.
    advice: str = ""
    #: Dotted name of the exercise's plugin module, which draws its figures ('' for the default plugin).
    plugin: str = ""
    #: Remarks about the whole exercise, each said once (e.g. "computed in single precision").
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "notes", tuple(self.notes))  # a list when read back from JSON

    @property
    def passed(self) -> bool:
        return self.status == "graded" and all(check.passed for check in self.checks)

    @property
    def grader_errors(self) -> tuple[CheckResult, ...]:
        """Checks that could not judge the code because the exercise's own check (or strategy, or plugin)
        raised: the instructor's to fix, the score provisional until they are (verdict ``grader_error``)."""
        return tuple(check for check in self.checks if check.verdict == "grader_error")


def link_causes(checks: Sequence[CheckResult]) -> tuple[CheckResult, ...]:
    """``checks`` with ``caused_by`` set on each failure whose suspect failed too, followed to the root cause.

    Decided once every check has run: a failure's first suspect that failed (and is
    not itself a consequence of this failure) is its probable cause; a chain of
    causes is followed to its root.  Passed checks and failures without a failing
    suspect keep ``caused_by = None``.
    """
    # A check that could not run (a fault of the check itself) is evidence of nothing: no cause, no consequence.
    failed = {check.id: check for check in checks if not check.passed and check.verdict != "grader_error"}
    direct: dict[str, str] = {}
    for check in failed.values():
        cause = next((suspect for suspect in check.suspects if suspect in failed and suspect != check.id), None)
        if cause is not None:
            direct[check.id] = cause

    def root(check_id: str) -> Optional[str]:
        seen = [check_id]
        cause = direct.get(check_id)
        while cause is not None and cause not in seen:
            seen.append(cause)
            cause = direct.get(cause)
        return seen[-1] if cause is None else None  # a cycle of suspicions names no cause

    return tuple(replace(check, caused_by=root(check.id)) if check.id in direct else check for check in checks)


#: How a check whose function is not written yet says so ("fit is not implemented yet", then why in
#: parentheses): reports group those checks by the function it names.  (The worker side writes the same words
#: in grader.student._base, which imports nothing of the grader.)
NOT_IMPLEMENTED_YET = " is not implemented yet"

#: What a report says once about an exercise with a ``grader_error`` check (terminal, Markdown, HTML).
GRADER_ERROR_NOTE = ("not fully graded: {count} check(s) could not run because of an error in the exercise's own "
                     "checks, not in your code; the score is provisional until the instructor fixes them")


@dataclass(frozen=True)
class Report:
    """Everything known about one student's submission."""

    student: str
    score: float
    max_score: float
    exercises: tuple[ExerciseResult, ...]
    grader_version: str
    seed: int
    sandbox: dict[str, Any] = field(default_factory=dict)
    timing: dict[str, float] = field(default_factory=dict)
    output: str = ""
    name: str = ""
    #: Hash of the configuration the checks ran with (see :func:`grader.grading.config_fingerprint`), so that
    #: reports produced elsewhere (CI runs) can be told apart when the course configuration differs.
    config_fingerprint: str = ""
    #: How the submission was read, when it was not as expected: "graded hank/my_solution.py as MODULE.py",
    #: files left out of an archive...  Shown to the student and in the class overview.
    notes: tuple[str, ...] = ()
    schema_version: int = SCHEMA_VERSION

    @property
    def passed(self) -> bool:
        return all(exercise.passed for exercise in self.exercises)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self, *, indent: Optional[int] = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, allow_nan=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Report":
        exercises = tuple(
            ExerciseResult(**{**exercise, "checks": tuple(CheckResult(**c) for c in exercise["checks"])})
            for exercise in data["exercises"]
        )
        return cls(**{**data, "exercises": exercises, "notes": tuple(data.get("notes", ()))})

    @classmethod
    def from_json(cls, text: str) -> "Report":
        return cls.from_dict(json.loads(text))
