"""Running checks: Hypothesis drives each property against a :class:`~grader.student.Student`.

Grading must be reproducible, so every check runs with the course's seed, no
example database, and the same settings whatever machine or job count.  A failure
keeps Hypothesis's shrunk minimal counterexample.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import time
import traceback
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, NamedTuple, Optional, Sequence

from hypothesis import HealthCheck, Phase, Verbosity, given, seed, settings
from hypothesis import errors as hypothesis_errors

from grader.authoring import Check, CheckContext, CheckFailed, count_from, indices, plain
from grader.config import DEFAULT_SHRINK_CALLS
from grader.exercise import BoundCheck
from grader.replay import ExampleStore, Recorder, Recording, ReplayEnd, replay
from grader.results import CheckResult, Verdict
from grader.student import TIME_LIMITS, AbortKind, CallAborted, NotImplementedYet, Student, StudentRaised, call_each
from grader.wire import WireError

__all__ = ["CheckRun", "RunSettings", "attempt_check", "grader_error_text", "in_language", "run_check", "where_raised"]


@dataclass(frozen=True)
class RunSettings:
    seed: int
    max_examples: int
    shrink_limit: int = DEFAULT_SHRINK_CALLS  # calls of the student's code spent shrinking a failure


def _without_local_constants() -> None:
    """Stop Hypothesis from mixing constants found in "local" source files into its examples.

    Hypothesis reads the source of every non-library module in ``sys.modules`` (the
    student's module in process, the grader's own modules in an editable install)
    and sometimes draws those constants.  Examples would then depend on what happens
    to be imported, and a student could steer them from their own code.  Grading must
    give everyone the same examples, so the pool of local constants is kept empty.
    """
    try:
        from hypothesis.internal.conjecture import providers
    except ImportError:  # a Hypothesis without this feature needs nothing
        return
    if hasattr(providers, "_get_local_constants") and hasattr(providers, "Constants"):
        empty = providers.Constants()
        providers._get_local_constants = lambda: empty
        cache = getattr(getattr(providers, "CONSTANTS_CACHE", None), "cache", None)
        if cache is not None and hasattr(cache, "clear"):
            cache.clear()


_without_local_constants()


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


def _fixed_data(bound: BoundCheck) -> bool:
    """Whether every argument of the check has one possible value (``st.just``, a one-value ``st.sampled_from``):
    its example is fixed data, never the smallest of several."""
    try:
        from hypothesis.strategies._internal.strategies import SampledFromStrategy
    except ImportError:  # a Hypothesis that keeps it elsewhere: the example reads as found, as before
        return False

    def single(strategy: Any) -> bool:
        inner = getattr(strategy, "wrapped_strategy", strategy)
        return isinstance(inner, SampledFromStrategy) and len(inner.elements) == 1

    strategies = bound.check.strategies.values()
    return bool(strategies) and all(single(strategy) for strategy in strategies)


def _call_inputs(call: Any, context: Optional[CheckContext] = None) -> dict[str, Any]:
    """The call shown with a crash or an error: its function and arguments, those the exercise declares as indices
    (``context.index_arguments``) marked so, so that a report counts them as the student's language does."""
    if call is None:
        return {}
    declared = context.index_arguments.get(call.function, {}) if context is not None else {}
    positions = set(declared.values())
    args = [indices(arg) if position in positions else arg for position, arg in enumerate(call.args)]
    inputs: dict[str, Any] = {"function": call.function, "args": plain(args)}
    if call.kwargs:
        inputs["kwargs"] = plain({name: indices(value) if name in declared else value
                                  for name, value in call.kwargs.items()})
    return inputs


class _ShrinkingCapped(BaseException):
    """Raised through Hypothesis to end shrinking once it has cost enough calls (see ``_Shrinking``)."""

    def __init__(self, best: BaseException) -> None:
        super().__init__("shrinking capped")
        self.best = best


class _Absent(BaseException):
    """Raised through Hypothesis when the student's code has no such function: every example would end the same
    way, so the run ends at once, as for a function not implemented yet, with no example to shrink or show."""

    def __init__(self, error: StudentRaised) -> None:
        super().__init__(str(error))
        self.error = error


class _CountingStudent:
    """Passes calls through to the student and counts them for :class:`_Shrinking`."""

    def __init__(self, student: Student, shrinking: "_Shrinking") -> None:
        self._student = student
        self._shrinking = shrinking
        self.protections = student.protections

    def call(self, function: str, *args: Any, **kwargs: Any) -> Any:
        self._shrinking.calls += 1
        return self._student.call(function, *args, **kwargs)

    def call_with_args(self, function: str, *args: Any, **kwargs: Any) -> Any:
        self._shrinking.calls += 1
        return self._student.call_with_args(function, *args, **kwargs)

    def call_each(self, function: str, calls: Any) -> Iterator[Any]:
        """Each call counts when its result is taken, as if made alone (the same shrinking on either way)."""
        results = call_each(self._student, function, calls)
        for _ in range(len(calls)):
            self._shrinking.calls += 1
            yield next(results)

    def run(self, *args: Any, **kwargs: Any) -> Any:
        """One run of a whole program counts as one call."""
        self._shrinking.calls += 1
        student: Any = self._student  # a program student (grader.student._program.ProgramStudent)
        return student.run(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._student, name)


class _Shrinking:
    """Ends shrinking once it has cost ``limit`` calls of the student's code after the first failure.

    Shrinking a slow student's failure can take thousands of calls.  A cap counted in
    calls (not seconds) keeps grading fast *and* reproducible: the same submission is
    shrunk to the same counterexample on every machine.  Counting calls rather than
    runs gives cheap checks (one call per example) more shrinking steps than costly
    ones (a whole training run per example).  Each failure the shrinker accepts
    is smaller than the one before, so the latest is the best so far.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.best: Optional[BaseException] = None
        self.calls = 0
        self.calls_at_failure = 0

    @property
    def capped(self) -> bool:
        """Whether shrinking has cost more than ``limit`` calls since the first failure."""
        return self.best is not None and self.calls - self.calls_at_failure > self.limit

    def wrap(self, test: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(test)
        def counted(student: Student, *args: Any, **kwargs: Any) -> None:
            if self.best is not None and self.capped:
                raise _ShrinkingCapped(self.best)
            try:
                test(_CountingStudent(student, self), *args, **kwargs)
            except StudentRaised as failure:
                if failure.absent:
                    raise _Absent(failure) from None
                self._failed(failure)
                raise
            except CheckFailed as failure:
                self._failed(failure)
                raise

        return counted

    def _failed(self, failure: BaseException) -> None:
        if self.best is None:
            self.calls_at_failure = self.calls
        self.best = failure


def _test_of(bound: BoundCheck, context: Optional[CheckContext]) -> Callable[..., None]:
    """The check's test, given the exercise's :class:`CheckContext` when it takes one (a parameter ``context``):
    Hypothesis, recording and replay then see only the student and the example's arguments."""
    test = bound.check.test
    if not bound.check.wants_context:
        return test
    shared = context or CheckContext()

    @functools.wraps(test)
    def with_context(student: Any, **kwargs: Any) -> None:
        test(student, context=shared, **kwargs)

    # The student first, then the example's arguments by keyword only (as Hypothesis then passes them).
    signature = inspect.signature(test)
    student, *rest = [p for name, p in signature.parameters.items() if name != "context"]
    with_context.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[student] + [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in rest])
    return with_context


def _or(own: Optional[int], course: int) -> int:
    """A check's own cap, or the course's when it has none (0 is a cap: no shrinking at all)."""
    return course if own is None else own


def _run_test(bound: BoundCheck, student: Student, run: RunSettings, recorder: Optional[Recorder] = None,
              context: Optional[CheckContext] = None) -> None:
    item = bound.check
    # A check may cap its own budget (a whole program run per example is costly): the smaller wins.
    if item.max_examples is not None or item.shrink_limit is not None:
        run = replace(run, max_examples=min(run.max_examples, _or(item.max_examples, run.max_examples)),
                      shrink_limit=min(run.shrink_limit, _or(item.shrink_limit, run.shrink_limit)))
    inner = _test_of(bound, context)
    inner = inner if recorder is None else recorder.wrap(inner)
    shrinking = _Shrinking(run.shrink_limit)
    test = given(**item.strategies)(shrinking.wrap(inner))
    test = seed(run.seed)(_hypothesis_settings(run)(test))
    try:
        test(student)
    except _ShrinkingCapped as capped:
        raise capped.best from None
    except _Absent as absent:
        raise absent.error from None
    except hypothesis_errors.Flaky:
        # Ending an example before it draws what the same example drew before (a check drawing as it goes,
        # with st.data()) reads to Hypothesis as inconsistent data generation: once the cap is reached, the
        # failure found so far is the answer, not "the student's code is not deterministic".
        if shrinking.best is not None and shrinking.capped:
            raise shrinking.best from None
        raise


class _Outcome(NamedTuple):
    verdict: Verdict
    message: str = ""
    counterexample: Optional[dict[str, Any]] = None
    aborted: Optional[AbortKind] = None  # why the student's code could not finish a call, if it could not
    suspects: tuple[str, ...] = ()  # checks whose property the failure breaks (see grader.authoring.fail)
    precondition: bool = False  # failed before its property was tested: the hint does not apply
    unsatisfiable: bool = False  # every example drawn was set aside (``assume``): see explain_unsatisfiable


class _FromCache(NamedTuple):
    """What replaying a check's recorded examples found (see :func:`_passes_from_cache`)."""

    passed: bool
    recorder: Optional[Recorder] = None  # records the Hypothesis run, when nothing was recorded yet
    key: Optional[str] = None
    failure: Optional[BaseException] = None  # the check's failure on an example recorded as passing


def _passes_from_cache(bound: BoundCheck, student: Student, run: RunSettings, store: Optional[ExampleStore],
                       context: Optional[CheckContext] = None) -> _FromCache:
    """Replay the recorded examples of the check (see :mod:`grader.replay`)."""
    if store is None:
        return _FromCache(False)
    key = store.key(bound.check.id, bound.check.test, seed=run.seed, max_examples=run.max_examples)
    if key is None:
        return _FromCache(False)
    recording = store.load(key)
    if recording is None:
        return _FromCache(False, Recorder(context), key)
    failures: list[BaseException] = []
    end = _replay_afresh(bound, student, recording, failures, context, improved=functools.partial(store.save, key))
    if end == "set_aside":
        # The calls sent ahead could not be used; no example behaved otherwise: the same examples again, each call
        # made and timed one by one (what Hypothesis would make), rather than Hypothesis generating them again.
        failures.clear()
        end = _replay_afresh(bound, student, recording, failures, context, ahead=False)
    failure = next((error for error in failures if isinstance(error, (CheckFailed, StudentRaised))), None)
    return _FromCache(end == "held", None, key, failure)


def _replay_afresh(bound: BoundCheck, student: Student, recording: Recording, failures: list[BaseException],
                   context: Optional[CheckContext], *, improved: Optional[Callable[[Recording], None]] = None,
                   ahead: bool = True) -> ReplayEnd:
    """One replay of the check's recorded examples (see :func:`grader.replay.replay`).  Unless every example held,
    what it did is undone: the code is loaded again (as a run without the cache starts from the state the check
    started from: the calls the replay made, and those it sent ahead, leave nothing behind in code that keeps
    state), what it printed is forgotten and its warnings will be shown again, so that the report holds the same
    output with the cache as without."""
    mark = getattr(student, "output_mark", None)
    printed = mark() if mark is not None else None
    keep_warnings = getattr(student, "keep_warnings", None)
    if keep_warnings is not None:
        keep_warnings()  # a warning shown during a replay forgotten must be shown again: see restore_warnings
    end = replay(_test_of(bound, context), student, recording, failed=failures.append, context=context,
                 improved=improved, ahead=ahead)
    if end != "held":
        _fresh_state(student)
        if printed is not None:
            student.output_restore(printed)  # type: ignore[attr-defined]
        if keep_warnings is not None:
            student.restore_warnings()  # type: ignore[attr-defined]
    return end


def _first_failure(error: BaseException) -> Optional[CheckFailed]:
    """The check's failure that a later run of the same input did not repeat (Hypothesis keeps it inside its
    ``Flaky`` error): what the student needs to see to find the state their code depends on."""
    for inner in getattr(error, "exceptions", ()) or ():
        if isinstance(inner, CheckFailed):
            return inner
        found = _first_failure(inner)
        if found is not None:
            return found
    return None


def _refused_start(error: BaseException) -> Optional[StudentRaised]:
    """The student's exception, ``error`` or one inside it (a ``Flaky`` error), that says the limit of processes
    and threads refused one (``limit``, set by the sandbox): the results differed because of it, not because of
    the code's state."""
    if isinstance(error, StudentRaised) and getattr(error, "limit", False) is True:
        return error
    for inner in getattr(error, "exceptions", ()) or ():
        found = _refused_start(inner)
        if found is not None:
            return found
    return None


def _fresh_state(student: Student) -> None:
    """The student's code loaded again, its state as after its first load (see ``WorkerStudent.fresh_state``):
    what a check sees depends only on its own calls, not on which checks ran before it nor on what the example
    cache held (a whole program, run afresh at every call, has no such state)."""
    fresh_state = getattr(student, "fresh_state", None)
    if fresh_state is not None:
        fresh_state()


def _outcome(bound: BoundCheck, student: Student, run: RunSettings, store: Optional[ExampleStore] = None,
             context: Optional[CheckContext] = None) -> _Outcome:
    """What one check found."""
    item = bound.check
    _fresh_state(student)
    try:
        replayed, recorder, key, replay_failure = _passes_from_cache(bound, student, run, store, context)
        if replayed:
            return _Outcome("passed")
        _run_test(bound, student, run, recorder, context)
    except CheckFailed as failure:
        return _Outcome("failed", failure.message, failure.counterexample or None, suspects=failure.suspects,
                        precondition=failure.precondition)
    except StudentRaised as error:
        from grader.student._languages import runner_for

        language = runner_for(context.language if context is not None else "python")
        if not error.absent and language.raised_by_exercise(error.mro):
            return _Outcome("grader_error", f"the exercise's binding raised {error.type_name}: {error.message} "
                            f"when {error.call.function} was called: an error in the exercise, not in the student's "
                            "code (the instructor must fix the binding; the points are not the student's)")
        missing = language.describe_missing(error.call.function) if error.absent else None
        message = missing or language.describe_raised(error.call.function, error.type_name, error.message)
        # A missing function fails on any input: the message says what to do, an example would only distract.
        counterexample = {} if error.absent else _call_inputs(error.call, context)
        if error.traceback and language.shows_traceback:
            counterexample["traceback"] = error.traceback
        return _Outcome("error", message, counterexample or None, precondition=getattr(error, "precondition", False))
    except NotImplementedYet as error:
        # The input matters only when the code raised for some inputs (its own message says which case is left).
        return _Outcome("not_implemented", error.sentence,
                        (_call_inputs(error.call, context) or None) if error.said and not error.inner else None)
    except CallAborted as error:
        verdict: Verdict = ("timeout" if error.kind in TIME_LIMITS else "too_slow" if error.kind == "slow"
                            else "crashed")
        return _Outcome(verdict, error.verdict, _call_inputs(error.call, context) or None, aborted=error.kind)
    except hypothesis_errors.Flaky as error:
        return _different_results(item, _first_failure(error), _refused_start(error), context)
    except WireError as error:
        return _Outcome("crashed", f"the student's process sent a malformed reply ({error})", aborted="protocol")
    except hypothesis_errors.Unsatisfiable:
        return _Outcome("grader_error", f"the check {item.id} could not generate valid examples (its strategies "
                        "reject almost everything they draw): an error in the exercise's checks, not in the "
                        "student's code", suspects=item.suspects, unsatisfiable=True)
    except MemoryError:
        # The grader's own memory ceiling (grader._ceiling), reached on what the student's code returned.
        return _Outcome("crashed", "the grader ran out of memory checking what your code returned: it is too large",
                        aborted="memory")
    except Exception as error:  # a fault in a check, a strategy or the plugin: the exercise's, never the student's
        return _Outcome("grader_error", grader_error_text(item.id, error))
    if replay_failure is not None:
        # The replay failed on an example after the very calls a run without the cache makes first; Hypothesis,
        # run again on the same code from the state the check started from, never failed: the results depend on
        # something besides the calls made (the clock, memory left uninitialised).  A run without the cache fails
        # there too, then sees the failure vanish when it tries the example again: the same verdict, whichever of
        # the class filled the cache.
        return _different_results(item, replay_failure if isinstance(replay_failure, CheckFailed) else None,
                                  _refused_start(replay_failure), context)
    recording = recorder.recording() if recorder is not None else None
    if store is not None and key is not None and recording is not None:
        store.save(key, recording)
    return _Outcome("passed")


def _different_results(item: Check, first: Optional[CheckFailed], refused: Optional[StudentRaised] = None,
                       context: Optional[CheckContext] = None) -> _Outcome:
    """The verdict on code that failed an example and then passed it (or found no failure again): ``first`` is the
    check's failure the first time, when it is one (an exception the student's code raised is not shown);
    ``refused``, the code's exception when the limit of processes and threads refused one: that, not the code's
    state, is why the results differed, and the message says so."""
    if refused is not None:
        return _Outcome("error", f"{item.function} gave different results on the same input: the first time, "
                        f"{refused}", _call_inputs(refused.call, context) or None, suspects=item.suspects)
    message = (f"{item.function} gave different results on the same input: it must not depend on global state, "
               "uninitialised variables or arrays, the clock or an unseeded random generator")
    # The function under test may call the student's others: their checks are suspects, as for a crash.
    if first is None:
        return _Outcome("failed", message, suspects=item.suspects)
    return _Outcome("failed", f"{message}. The first time, on this input: {first.message}",
                    first.counterexample or None, suspects=first.suspects or item.suspects)


#: Files whose frames are the grader's own machinery, not the place where an exercise's check went wrong (the
#: authoring library included: a check that misuses it is told the line of the check).
_MACHINERY = tuple(str(Path(module.__file__ or "").resolve().parent) for module in (hypothesis_errors,)) + tuple(
    str(Path(__file__).resolve().parent / name)
    for name in ("runner.py", "replay.py", "_timing.py", "wire.py", "student", "authoring.py", "checklib"))


def where_raised(error: BaseException) -> str:
    """``checks/linreg.py line 42``: the innermost frame of the traceback outside the grader's machinery and
    Hypothesis (the check, its helper, its strategy), as its course names it (see :func:`_course_path`)."""
    frames = [frame for frame in traceback.extract_tb(error.__traceback__)
              if not str(Path(frame.filename).resolve()).startswith(_MACHINERY)]
    if not frames:
        return ""
    frame = frames[-1]
    return f" in {_course_path(Path(frame.filename))} line {frame.lineno}"


def _course_path(path: Path) -> str:
    """Where a check's file is, as its course names it: from the folder of the course's configuration (wherever the
    grader runs, ``grader grade``'s workers included), from ``site-packages`` for a library, else its name alone:
    never a path of the grading machine in a student's report."""
    from grader.config import CONFIG_NAME

    resolved = path.resolve()
    for folder in resolved.parents:
        if (folder / CONFIG_NAME).is_file():
            return resolved.relative_to(folder).as_posix()
    parts = resolved.parts
    if "site-packages" in parts:
        return "/".join(parts[parts.index("site-packages") + 1:])
    return resolved.name


def grader_error_text(check_id: str, error: BaseException) -> str:
    """What an instructor reads when a check's own code raised: which check, what, where; not the student's fault.

    ``the check fit.converges raised ZeroDivisionError: division by zero in checks/linreg.py line 42``.
    """
    detail = str(error).strip().splitlines()
    said = f"{type(error).__name__}: {detail[0]}" if detail else type(error).__name__
    return (f"the check {check_id} raised {said}{where_raised(error)}: an error in the exercise's checks, "
            "not in the student's code (the instructor must fix the check; the points are not the student's)")


def in_language(value: Any, language: str) -> Any:
    """``value`` (a check's message or counterexample, plain data) as a student of ``language`` reads it: in its
    terms (:meth:`grader.student.Runner.speak`), with the numbers the check marked as counted from 0 counted as
    the language counts (see :func:`grader.authoring.index`)."""
    runner = _runner(language)
    if runner.language != "python":
        value = _spoken(value, runner.speak)
    # After speak, which writes an element's indices the language's way: a marked number is never counted twice.
    return count_from(value, runner.index_base)


def _runner(language: str) -> Any:
    """The runner of ``language``; Python's for a language without a runner of its own (said as Python says it)."""
    from grader.student._languages import runner_for

    try:
        return runner_for(language)
    except ValueError:
        return runner_for("python")


def _spoken(value: Any, speak: Callable[[str], str]) -> Any:
    """``value`` (a counterexample, plain data) with each string passed through ``speak``."""
    if isinstance(value, str):
        return speak(value)
    if isinstance(value, dict):
        return {key: _spoken(item, speak) for key, item in value.items()}
    if isinstance(value, list):
        return [_spoken(item, speak) for item in value]
    return value


class CheckRun(NamedTuple):
    """A check's result, and why the student's code could not finish a call during it (``None``: it could);
    ``unsatisfiable``: every example it drew was set aside (see :func:`explain_unsatisfiable`)."""

    result: CheckResult
    aborted: Optional[AbortKind] = None
    unsatisfiable: bool = False


def explain_unsatisfiable(results: Sequence[CheckResult], unsatisfiable: Iterable[str]) -> list[CheckResult]:
    """``results`` with each check of ``unsatisfiable`` (every example set aside) that has a failing suspect
    turned into a failure of the student's: a check may set examples aside on what the student's other functions
    return (``assume`` on the results of their backprop), and a bug there can set every one aside.  Without a
    failing suspect it stays the exercise's error."""
    failed = {result.id for result in results if not result.passed and result.verdict != "grader_error"}
    explained = []
    for result in results:
        cause = next((suspect for suspect in result.suspects if suspect in failed), None) \
            if result.id in set(unsatisfiable) else None
        if cause is not None:
            result = dataclasses.replace(
                result, verdict="failed", hint="",
                message=f"could not be judged: every example it drew was set aside because of what your code "
                        f"returned, which {cause} finds wrong: fix that first")
        explained.append(result)
    return explained


def attempt_check(
    bound: BoundCheck,
    student: Student,
    run: RunSettings,
    *,
    skip_reason: Optional[str] = None,
    clock: Callable[[], float] = time.perf_counter,
    examples: Optional[ExampleStore] = None,
    context: Optional[CheckContext] = None,
) -> CheckRun:
    """Run one check and score it (see :func:`run_check`), also telling how a call was aborted, if one was.

    ``skip_reason``: do not run the check; it times out with this message (its function already ran out of time).
    ``examples``: where the examples of passing runs are recorded and replayed from (see :mod:`grader.replay`);
    the verdict and counterexample are the same with or without it.
    ``context``: the exercise's :class:`CheckContext` (default: double precision, notes discarded).
    """
    start = clock()
    if skip_reason is not None:
        outcome = _Outcome("timeout", skip_reason)
    else:
        noted = list(context.notes) if context is not None else []
        outcome = _outcome(bound, student, run, examples, context)
        if context is not None and outcome.verdict != "passed":
            # A note says how correct results were computed: what a failing check saw is no evidence of that.
            context.notes[:] = noted
    verdict, message, counterexample = outcome.verdict, outcome.message, outcome.counterexample
    language = context.language if context is not None else "python"
    message, counterexample = in_language(message, language), in_language(counterexample, language)
    # An exception or crash is blamed on the check's declared suspects (the function calls the student's others).
    suspects = outcome.suspects or (bound.check.suspects if verdict in ("error", "crashed") else ())
    passed = verdict == "passed"
    result = CheckResult(
        id=bound.check.id,
        function=bound.check.function,
        title=bound.check.title,
        passed=passed,
        points=bound.spec.points if passed else 0.0,
        max_points=bound.spec.points,
        hidden=bound.spec.hidden,
        verdict=verdict,
        message=message,
        hint="" if passed or verdict == "grader_error" or outcome.precondition else bound.check.hint_for(
            context.language if context is not None else "python"),
        counterexample=counterexample,
        duration=round(clock() - start, 4),
        suspects=tuple(item for item in suspects if item != bound.check.id),
        fixed_example=bool(counterexample) and _fixed_data(bound),
        index_base=_runner(language).index_base,
    )
    return CheckRun(result, outcome.aborted, outcome.unsatisfiable)


def run_check(
    bound: BoundCheck,
    student: Student,
    run: RunSettings,
    *,
    skip_reason: Optional[str] = None,
    clock: Callable[[], float] = time.perf_counter,
    examples: Optional[ExampleStore] = None,
    context: Optional[CheckContext] = None,
) -> CheckResult:
    """Run one check and score it: full points when the property holds, none otherwise."""
    return attempt_check(bound, student, run, skip_reason=skip_reason, clock=clock, examples=examples,
                         context=context).result
