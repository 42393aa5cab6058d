"""Running checks: Hypothesis drives each property against a :class:`~grader.student.Student`.

Grading must be reproducible, so every check runs with the course's seed, no
example database, and the same settings whatever machine or job count.  A failure
keeps Hypothesis's shrunk minimal counterexample.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Callable, Optional

from hypothesis import HealthCheck, Phase, Verbosity, given, seed, settings
from hypothesis import errors as hypothesis_errors

from grader.authoring import CheckFailed, plain
from grader.exercise import BoundCheck
from grader.results import CheckResult
from grader.student import CallAborted, NotImplementedYet, Student, StudentRaised
from grader.wire import WireError

__all__ = ["RunSettings", "run_check"]


@dataclass(frozen=True)
class RunSettings:
    seed: int
    max_examples: int


def _hypothesis_settings(run: RunSettings) -> settings:
    return settings(
        database=None,
        max_examples=run.max_examples,
        deadline=None,
        derandomize=False,
        suppress_health_check=list(HealthCheck),
        verbosity=Verbosity.quiet,
        phases=(Phase.explicit, Phase.generate, Phase.shrink),
        report_multiple_bugs=False,
        print_blob=False,
    )


def _call_inputs(call: Any) -> dict[str, Any]:
    if call is None:
        return {}
    inputs: dict[str, Any] = {"function": call.function, "args": plain(list(call.args))}
    if call.kwargs:
        inputs["kwargs"] = plain(call.kwargs)
    return inputs


def _outcome(bound: BoundCheck, student: Student, run: RunSettings) -> tuple[str, str, Optional[dict[str, Any]]]:
    """(verdict, message, counterexample) of one check."""
    item = bound.check
    test = given(**item.strategies)(item.test)
    test = seed(run.seed)(_hypothesis_settings(run)(test))
    try:
        test(student)
    except CheckFailed as failure:
        return "failed", failure.message, failure.counterexample or None
    except StudentRaised as error:
        message = f"{error.call.function} raised {error.type_name}: {error.message}".rstrip(": ")
        counterexample = _call_inputs(error.call)
        if error.traceback:
            counterexample["traceback"] = error.traceback
        return "error", message, counterexample
    except NotImplementedYet as error:
        return "not_implemented", f"{error.call.function} is not implemented yet", None
    except CallAborted as error:
        verdict = "timeout" if error.kind in ("timeout", "budget") else "crashed"
        return verdict, error.verdict, _call_inputs(error.call) or None
    except hypothesis_errors.Flaky:
        return "failed", (
            f"{item.function} gave different results on the same input: it must not depend on global state, "
            "the clock or an unseeded random generator"
        ), None
    except WireError as error:
        return "crashed", f"the student's process sent a malformed reply ({error})", None
    except hypothesis_errors.Unsatisfiable:
        return "grader_error", "the grader could not generate valid examples for this check", None
    except Exception as error:  # a fault in a check itself: shown, never blamed on the student silently
        return "grader_error", f"internal error in the check ({type(error).__name__}: {error})", None
    return "passed", "", None


def run_check(
    bound: BoundCheck,
    student: Student,
    run: RunSettings,
    *,
    skip_reason: Optional[str] = None,
    clock: Callable[[], float] = time.perf_counter,
) -> CheckResult:
    """Run one check and score it: full points when the property holds, none otherwise."""
    start = clock()
    if skip_reason is not None:
        verdict, message, counterexample = "timeout", skip_reason, None
    else:
        verdict, message, counterexample = _outcome(bound, student, run)
    passed = verdict == "passed"
    return CheckResult(
        id=bound.check.id,
        function=bound.check.function,
        title=bound.check.title,
        passed=passed,
        points=bound.spec.points if passed else 0.0,
        max_points=bound.spec.points,
        hidden=bound.spec.hidden,
        verdict=verdict,
        message=message,
        hint="" if passed else bound.check.hint,
        counterexample=counterexample,
        duration=round(clock() - start, 4),
    )
