"""Recording the examples of a passing check once, and replaying them instead of generating them again.

Every student gets the same examples (fixed seed, no database), and generating them
costs most of a check's time.  After a check passes, the examples Hypothesis fed it
are written to a cache; the next run of the same check (the next student of a class,
the next ``grader check``) calls the check on those examples directly, in the same
order, and only runs Hypothesis when an example does not behave as recorded.

Why replaying gives exactly the verdict and counterexample of a Hypothesis run.
With a fixed seed, the examples Hypothesis generates depend only on what it sees of
the earlier examples: their choices (with their kinds and constraints), spans and
status (valid, invalid, stopped, failing).  The arguments of an example are drawn
before the test runs, so they cannot depend on the student's code; a draw the test
makes itself (``st.data()``) may (it can come after a call), so it is replayed by
drawing its strategy again from its recorded choices, and accepted only when what
Hypothesis would see of it is identical to the recording.  A replay also checks
that every example ends with its recorded status.  If all do, Hypothesis would
have generated the same examples and seen them pass; at the first example that
does not (a failure, a different ``assume``, a different draw), the full
Hypothesis run takes over from scratch and finds and shrinks the same failure as
without the cache (the student's code is first loaded again, as it is at the start of
every check: the calls the replay made, and those it sent ahead, leave no state behind).  An aborted call (timeout, crash) or an unimplemented function
ends a Hypothesis run at once without shrinking, so it ends a replay with the same
verdict.

A recording also notes the calls each example made of the student's code.  A replay
sends those calls ahead, several examples' worth in one round trip to the student's
worker, and hands each to the check when it makes exactly that call (same function,
arguments of the same types and bits, in the same order): the worker runs the same calls
in the same order as one by one, so the check sees the same answers.  At the first call
the check makes differently (another student's results led it elsewhere), the calls
sent ahead and not taken are forgotten (their time is given back to the submission's
budget) and every call from there on is made one by one.  When the student's code printed
during such a replay, what the calls run for nothing printed would be in the report, and
not in one made without the cache: the replay is then set aside (what it printed is
forgotten, the code loaded again) and made again from its first example with every call
made one by one, as Hypothesis would make them; only an example that behaves otherwise
than recorded has Hypothesis run the check again.  So is a replay whose batch was cut
short at a call that could not finish while the code printed (a call judged too slow is
stopped with its worker, which may have started the next call).  Code that the worker no
longer loads again before a check (slow to load, or keeping threads) gets no call sent
ahead: the state calls run for nothing leave would stay.  The calls sent ahead grow
from a few to many as the replay stays on the recorded path, so a submission that
leaves it early runs few calls for nothing.  Where the worker can tell its processor
time (Linux), the next batch is sent before the check uses the answers of the current
one, so that the student's code runs while the grader checks.  Those answers could not
each be timed on their own: they are used only when the whole batch took less processor
time than the floor under which no call is judged against the reference (and less
wall-clock time than a call's limit), so that none of its calls, made alone, could have
been judged too slow or stopped; otherwise the replay is set aside and made again with
its calls made one by one, each timed and judged on its own.  A batch that took long stops the
sending ahead, and so does a machine with no idle core (there it would only cost
processor time).

A recording also notes a fingerprint of each call's answer (its types and bits all the way down; none for an
exception), what the example noted in the exercise's context, and a hash of that context (its precision policy,
the submission's language, its data files' contents).  An example whose calls, sent ahead, all answer with the
fingerprints recorded, its test given the same context, is not run: its test is a function of its example, those
answers and its context (checks are deterministic, see :mod:`grader.authoring`), so it would make the same calls,
see the same, end with its recorded status and note the same, which is noted for it.  The answers are taken as the test would have taken
them, so the examples after it stay on the recorded path.  An example that is run, on the path, and ends as
recorded teaches the cache its answers (each fingerprinted when the test took it, before it could change it) and
notes: when the whole replay holds, the recording is saved with them (a few per example), so that the next
submission answering the same way (the same student's next run, a classmate who computes alike) is not run
either.  The submission that recorded the examples, and any whose answers are bit for bit the same, is then
graded at the cost of its own calls.

The cache is an optimisation, never an authority: each file is keyed by everything
that decides the examples (grader, Hypothesis, numpy and Python versions, seed,
number of examples, check id and function, source of the grader, of the check's
folder and of every module of the course folder the check imports) and carries a
checksum; a missing, stale or corrupt file is ignored.  Files are written
atomically, so concurrent runs (parallel grading jobs) never read half a file.
Set ``GRADER_CACHE_DIR`` to move the cache, ``GRADER_NO_CACHE=1`` to turn it off.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import functools
import hashlib
import inspect
import json
import platform
import re
import struct
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Literal, Optional

import numpy as np

from grader import __version__, _atomic, wire
from grader._cache import cache_enabled, cache_folder
from grader._modules import course_modules, course_of

__all__ = ["ExampleStore", "Recorder", "Recording", "Unrecordable", "cache_folder", "default_store", "replay"]

_FORMAT = 4


class Unrecordable(Exception):
    """This run's examples cannot be recorded faithfully (an unencodable value, a draw after a call...)."""


# --- where the cache lives --------------------------------------------------------------------------------------


def default_store() -> Optional[ExampleStore]:
    """The example cache of this user, or ``None`` when ``GRADER_NO_CACHE`` is set."""
    if not cache_enabled():
        return None
    return ExampleStore(cache_folder() / "examples")


# --- encoding examples as plain, exact JSON ---------------------------------------------------------------------


def _encode(value: Any) -> Any:
    """``value`` as JSON data that decodes to an equal value of the same types; :class:`Unrecordable` if not."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if type(value) is int:
        return value
    if type(value) is float:
        return {"f": value.hex()}
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biuf" or value.dtype.byteorder not in "=|<":
            raise Unrecordable(f"array of dtype {value.dtype}")
        if value.flags.c_contiguous:
            order = "C"
        elif value.flags.f_contiguous:
            order = "F"
        else:
            raise Unrecordable("array that is a strided view")
        raw = value.tobytes(order=order)  # type: ignore[arg-type]
        return {"a": [value.dtype.str, list(value.shape), order, base64.b64encode(raw).decode("ascii")]}
    if isinstance(value, np.generic) and value.dtype.kind in "biuf":
        return {"n": [value.dtype.str, base64.b64encode(value.tobytes()).decode("ascii")]}
    if type(value) is tuple:
        return {"t": [_encode(item) for item in value]}
    if type(value) is list:
        return {"l": [_encode(item) for item in value]}
    if type(value) is dict:
        return {"d": [[_encode(key), _encode(item)] for key, item in value.items()]}
    if isinstance(value, wire.Rng):
        return {"r": value.seed}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        cls = type(value)
        fields = dataclasses.fields(value)
        if hasattr(cls, "__post_init__") or any(not field.init for field in fields):
            raise Unrecordable(f"dataclass {cls.__qualname__} with computed fields")
        return {"c": [cls.__module__, cls.__qualname__,
                      [[field.name, _encode(getattr(value, field.name))] for field in fields]]}
    raise Unrecordable(f"value of type {type(value).__qualname__}")


def _decode(data: Any) -> Any:
    if data is None or isinstance(data, (bool, str, int)):
        return data
    if not isinstance(data, dict) or len(data) != 1:
        raise ValueError("malformed example")
    (tag, body), = data.items()
    if tag == "f":
        return float.fromhex(body)
    if tag == "a":
        dtype, shape, order, raw = body
        flat = np.frombuffer(base64.b64decode(raw), dtype=np.dtype(dtype))
        return flat.reshape(tuple(shape), order=order).copy(order=order)
    if tag == "n":
        dtype, raw = body
        return np.frombuffer(base64.b64decode(raw), dtype=np.dtype(dtype))[0]
    if tag == "t":
        return tuple(_decode(item) for item in body)
    if tag == "l":
        return [_decode(item) for item in body]
    if tag == "d":
        return {_decode(key): _decode(item) for key, item in body}
    if tag == "r":
        return wire.Rng(int(body))
    if tag == "c":
        module, qualname, fields = body
        # Only classes already imported by the checks themselves: reading a cache never imports anything.
        owner: Any = sys.modules.get(module)
        for part in qualname.split("."):
            owner = getattr(owner, part, None)
        if not (isinstance(owner, type) and dataclasses.is_dataclass(owner)):
            raise ValueError(f"unknown example type {module}.{qualname}")
        return owner(**{name: _decode(item) for name, item in fields})
    raise ValueError(f"unknown tag {tag!r}")


def _feed(digest: Any, value: Any) -> None:
    """Feed ``value`` to ``digest``: its types all the way down and its bits; :class:`Unrecordable` for a value
    whose type says too little of what a check could see of it."""
    kind = type(value)
    digest.update(f"{kind.__module__}.{kind.__qualname__}(".encode("utf-8"))
    if value is None or kind in (bool, int, str):
        digest.update(repr(value).encode("utf-8"))
    elif kind is float:
        digest.update(struct.pack("<d", value))  # every bit, a NaN's sign and payload too
    elif kind is bytes:
        digest.update(value)
    elif kind is np.ndarray and value.dtype.kind in "biufc":
        digest.update(f"{value.dtype.str}{value.shape}".encode("ascii"))
        digest.update(np.ascontiguousarray(value).tobytes())
    elif isinstance(value, np.generic) and value.dtype.kind in "biufc":
        digest.update(value.dtype.str.encode("ascii") + value.tobytes())
    elif kind in (tuple, list):
        digest.update(str(len(value)).encode("ascii"))
        for item in value:
            _feed(digest, item)
    elif kind is dict:
        for key, item in value.items():
            _feed(digest, key)
            _feed(digest, item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            digest.update(field.name.encode("utf-8"))
            _feed(digest, getattr(value, field.name))
    else:
        raise Unrecordable(f"answer of type {kind.__qualname__}")
    digest.update(b")")


def _fingerprint(answer: Any) -> Optional[str]:
    """A hash of everything a check can see of an answer of the student's code (a value, not an exception), or
    None when it cannot tell that much (see :func:`_feed`)."""
    if isinstance(answer, BaseException):
        return None
    digest = hashlib.blake2b(digest_size=16)
    try:
        _feed(digest, answer)
    except (Unrecordable, RecursionError):
        return None
    return digest.hexdigest()


# --- recording a Hypothesis run -----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Recording:
    """The examples of one passing run of a check, in order: each its arguments, its own draws and status.

    ``examples`` items are ``{"args": {name: encoded}, "draws": [[label, choices, signature], ...],
    "status": "valid" | "invalid" | "stopped", "calls": [[function, echo, encoded args, encoded kwargs], ...]
    or None, "answers": [fingerprint or None, ...] or None, "notes": [text, ...], "given": context hash,
    "also": [[answers, notes, given], ...]}``; ``draws`` are the choices
    each ``data.draw`` of the test consumed, in order, with the signature of what Hypothesis saw of the draw;
    ``calls`` the calls of the student's code the example made, in order (None when they cannot be noted: an
    unencodable argument, another use of the student); ``answers`` the fingerprint of what each call gave the
    check (None for an exception or a value it cannot tell); ``notes`` what the example noted in the exercise's
    :class:`~grader.authoring.CheckContext`, in order; ``given`` a hash of that context (see :func:`given_to`);
    ``also`` the same three of other submissions' replays that ended as recorded (learnt later, optional).
    """

    examples: tuple[dict[str, Any], ...]


def _is_data_object(value: Any) -> bool:
    return type(value).__name__ == "DataObject" and hasattr(value, "conjecture_data")


def _signature(data: Any, *, spans: bool) -> str:
    """Hash of what Hypothesis sees of a draw: its choices with their kinds and constraints, and its spans.

    Span labels hash the strategies' parts with Python's per-process string hash: only which spans
    share a label is stable (and all that Hypothesis uses), so labels are numbered in order of appearance.
    """
    nodes = [(node.type, node.value, sorted(node.constraints.items()), node.was_forced) for node in data.nodes]
    extents: list = []
    if spans:
        data.freeze()
        labels: dict[int, int] = {}
        extents = [(labels.setdefault(span.label, len(labels)), span.start, span.end, span.depth)
                   for span in data.spans]
    return hashlib.sha256(repr((nodes, extents)).encode("utf-8")).hexdigest()


def _redraw(strategy: Any, choices: Sequence[Any]) -> tuple[Any, str]:
    """Draw ``strategy`` from ``choices`` alone: (value, signature), or :class:`_Stopped` when it stops there."""
    from hypothesis.errors import StopTest
    from hypothesis.internal.conjecture.data import ConjectureData

    data = ConjectureData.for_choices(list(choices))
    try:
        value = data.draw(strategy)
    except StopTest:
        if data.misaligned_at is not None or len(data.nodes) != len(choices):
            raise _Mismatch() from None
        raise _Stopped(f"stop:{data.status.name}:{_signature(data, spans=False)}") from None
    if data.misaligned_at is not None or len(data.nodes) != len(choices):
        raise _Mismatch()
    return value, _signature(data, spans=True)


class _RecordingData:
    """Wraps Hypothesis's ``data`` object: records the choices and signature of each draw of the test.

    A draw that ends the example (out of choices, or rejected by a filter) is recorded with the
    choices it consumed and how it stopped.
    """

    def __init__(self, data: Any, draws: list) -> None:
        self._data, self._draws = data, draws

    def draw(self, strategy: Any, label: Any = None) -> Any:
        from hypothesis.errors import StopTest

        nodes = self._data.conjecture_data.nodes
        start = len(nodes)
        name = None if label is None else str(label)
        try:
            value = self._data.draw(strategy, label=label)
        except StopTest:
            choices = [node.value for node in self._data.conjecture_data.nodes[start:]]
            self._draws.append([name, choices, self._stop_signature(strategy, choices)])
            raise
        choices = [node.value for node in self._data.conjecture_data.nodes[start:]]
        try:
            _, signature = _redraw(strategy, choices)
        except (_Mismatch, _Stopped):
            signature = None  # not reproducible from its choices alone: the run is not recorded
        self._draws.append([name, choices, signature])
        return value

    @staticmethod
    def _stop_signature(strategy: Any, choices: list) -> Optional[str]:
        try:
            _redraw(strategy, choices)
        except _Stopped as stop:
            return stop.signature
        except _Mismatch:
            return None
        return None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._data, name)


class _CallLog:
    """Stands for the student while an example is recorded: every call passes through, noted in ``calls`` as
    ``[function, echo, encoded args, encoded kwargs]``.  Any other use of the student (its output, a restart, a
    whole-program run) makes the example's calls unplannable: ``calls`` becomes None."""

    def __init__(self, student: Any) -> None:
        self._student = student
        self.calls: Optional[list] = []
        #: The fingerprint of each call's answer (None: an exception, or a value that cannot be fingerprinted).
        self.answers: list[Optional[str]] = []
        self.protections = getattr(student, "protections", {})

    def _answered(self, call: Callable[[], Any]) -> Any:
        try:
            answer = call()
        except BaseException:
            self.answers.append(None)
            raise
        self.answers.append(_fingerprint(answer))  # before the check can change the answer
        return answer

    def _note(self, function: str, args: tuple, kwargs: dict, echo: bool) -> None:
        if self.calls is None:
            return
        try:
            self.calls.append([function, echo, _encode(tuple(args)), _encode(dict(kwargs))])
        except Unrecordable:
            self.calls = None

    def call(self, function: str, *args: Any, **kwargs: Any) -> Any:
        self._note(function, args, kwargs, False)
        return self._answered(lambda: self._student.call(function, *args, **kwargs))

    def call_with_args(self, function: str, *args: Any, **kwargs: Any) -> Any:
        self._note(function, args, kwargs, True)
        return self._answered(lambda: self._student.call_with_args(function, *args, **kwargs))

    def call_each(self, function: str, calls: Sequence[Any]) -> Iterator[Any]:
        """Each call noted when its result is taken: those after one that raised are never made."""
        from grader.student import call_each

        results = call_each(self._student, function, calls)
        for args, kwargs in calls:
            self._note(function, args, kwargs, False)
            yield self._answered(lambda: next(results))

    def __getattr__(self, name: str) -> Any:
        self.calls = None
        return getattr(self._student, name)


def _encode_choice(value: Any) -> Any:
    if isinstance(value, float):
        return {"f": value.hex()}
    if isinstance(value, bytes):
        return {"b": base64.b64encode(value).decode("ascii")}
    if isinstance(value, (bool, int, str)):
        return value
    raise Unrecordable(f"choice of type {type(value).__name__}")


def _decode_choice(data: Any) -> Any:
    if isinstance(data, dict):
        if "f" in data:
            return float.fromhex(data["f"])
        return base64.b64decode(data["b"])
    return data


class Recorder:
    """Wraps a check's test to record every example Hypothesis feeds it (see the module docstring)."""

    def __init__(self, context: Any = None) -> None:
        self.examples: list[dict[str, Any]] = []
        self.problem: Optional[str] = None
        self._context = context  # the CheckContext the test is given, whose notes each example records
        self._given = given_to(context)

    def wrap(self, test: Callable[..., None]) -> Callable[..., None]:
        from hypothesis.errors import StopTest, UnsatisfiedAssumption

        # Hypothesis may pass the example's arguments by position: name them as the test's signature does.
        names = list(inspect.signature(test).parameters)[1:]

        @functools.wraps(test)
        def recorded(student: Any, *args: Any, **kwargs: Any) -> None:
            kwargs = {**dict(zip(names, args)), **kwargs}
            draws: list = []
            log = _CallLog(student)
            entry: dict[str, Any] = {"args": {}, "draws": draws, "status": "valid"}
            passed: dict[str, Any] = {}
            for name, value in kwargs.items():
                if _is_data_object(value):
                    entry["args"][name] = {"data": True}
                    passed[name] = _RecordingData(value, draws)
                else:
                    if self.problem is None:
                        try:  # encoded before the test: student code in process may change the arrays
                            entry["args"][name] = _encode(value)
                        except Unrecordable as why:
                            self.problem = str(why)
                    passed[name] = value
            with contextlib.ExitStack() as stack:
                heard = stack.enter_context(self._context.listening()) if self._context is not None else []
                try:
                    test(log, **passed)
                except UnsatisfiedAssumption:
                    entry["status"] = "invalid"
                    raise
                except StopTest:
                    entry["status"] = "stopped"
                    raise
                finally:
                    entry["calls"] = log.calls
                    entry["answers"] = list(log.answers) if log.calls is not None else None
                    entry["notes"] = list(heard)
                    entry["given"] = self._given
                    self._keep(entry)

        return recorded

    def _keep(self, entry: dict[str, Any]) -> None:
        if self.problem is not None:
            return
        if any(signature is None for _, _, signature in entry["draws"]):
            self.problem = "a draw of the test cannot be reproduced from its choices"
            return
        try:
            entry["draws"] = [[label, [_encode_choice(c) for c in choices], signature]
                              for label, choices, signature in entry["draws"]]
        except Unrecordable as why:
            self.problem = str(why)
            return
        self.examples.append(entry)

    def recording(self) -> Optional[Recording]:
        if self.problem is not None or not self.examples:
            return None
        return Recording(tuple(self.examples))


# --- replaying -------------------------------------------------------------------------------------------------


class _Mismatch(BaseException):
    """The replay left the recorded path: only a full Hypothesis run can tell what happens next.

    A ``BaseException``, so that a check's own ``except Exception`` cannot swallow it.
    """


class _Stopped(BaseException):
    """A replayed draw ended its example as it did in the recording (no test code may catch this)."""

    def __init__(self, signature: str) -> None:
        super().__init__(signature)
        self.signature = signature


class _ReplayData:
    """Stands for Hypothesis's ``data`` object: each draw redrawn from the choices recorded for it.

    A draw whose strategy depends on the student's results (made after a call) is accepted only
    when Hypothesis would see exactly what it saw in the recording: the same signature.
    """

    def __init__(self, draws: Sequence[Any]) -> None:
        self._draws = list(draws)
        self._next = 0
        self.left_path = False  # set for good at the first mismatch, even if the test swallowed it

    def draw(self, strategy: Any, label: Any = None) -> Any:
        try:
            return self._draw(strategy, label)
        except _Mismatch:
            self.left_path = True
            raise

    def _draw(self, strategy: Any, label: Any) -> Any:
        if self._next >= len(self._draws):
            raise _Mismatch()
        recorded_label, encoded, signature = self._draws[self._next]
        self._next += 1
        if recorded_label != (None if label is None else str(label)):
            raise _Mismatch()
        try:
            value, seen = _redraw(strategy, [_decode_choice(choice) for choice in encoded])
        except _Stopped as stop:
            if stop.signature != signature:
                raise _Mismatch() from None
            raise
        if seen != signature:
            raise _Mismatch()
        return value

    def finished(self) -> bool:
        return self._next == len(self._draws)


def _same(value: Any, planned: Any) -> bool:
    """Whether ``value`` is ``planned`` exactly: the same types all the way down, the same bits (a call with it
    sends the student's code the same message)."""
    if type(value) is not type(planned):
        return False
    if isinstance(value, np.ndarray):
        return value.dtype == planned.dtype and value.shape == planned.shape and value.tobytes() == planned.tobytes()
    if isinstance(value, np.generic):
        return value.dtype == planned.dtype and value.tobytes() == planned.tobytes()
    if type(value) is float:
        return value.hex() == planned.hex()
    if type(value) in (tuple, list):
        return len(value) == len(planned) and all(_same(a, b) for a, b in zip(value, planned))
    if type(value) is dict:
        return list(value) == list(planned) and all(_same(value[key], planned[key]) for key in value)
    if dataclasses.is_dataclass(value):
        return all(_same(getattr(value, field.name), getattr(planned, field.name))
                   for field in dataclasses.fields(value))
    return bool(value == planned)


#: Calls sent ahead in the first round trip of a replay; each next one sends twice as many, up to the most.
_FIRST_AHEAD, _MOST_AHEAD = 4, 4096


class _Abandoned(BaseException):
    """The replay cannot be used, whatever follows (answers sent ahead that cannot be vouched for, see
    :meth:`grader.student.WorkerStudent.collect`; calls run for nothing while the code printed): it ends at once
    as one that left the recorded path.  A BaseException: no check's handling of the student's errors may take it."""


class _PlannedStudent:
    """Stands for the student during a replay: the recorded calls sent ahead (see the module docstring).

    Invariant: the calls the worker ran ahead are the first ``len(_answers)`` of the plan (a batch cut short by a
    call that could not finish cuts the plan there too), and ``_pending`` the next ones, sent and not read yet
    (the first :attr:`_sent` in all); those the check took are the first ``_taken``; once the check makes a call the
    plan does not hold next, ``_off`` is set for good, nothing is pending, and every call goes to the student one
    by one.
    """

    def __init__(self, student: Any, plan: list[tuple[str, bool, tuple, dict]]) -> None:
        self._student = student
        self._plan = plan
        self._answers: list[tuple[Any, float]] = []  # (value or exception, seconds charged) of the calls read
        self._pending: Any = None  # a batch sent ahead, its answers not read yet (see WorkerStudent.send_ahead)
        self._taken = 0
        #: The fingerprint of each answer taken or looked at, by its index in the plan (taken before the check uses it).
        self._fingerprints: dict[int, Optional[str]] = {}
        self._ahead = _FIRST_AHEAD
        self._off = False
        #: Calls were run ahead, never taken, and the student's code printed during the replay: what they printed
        #: may be in the output, where the check's calls one by one would not have put it.
        self.wasted = False
        #: Answers sent ahead could not be used (the worker's time over them could hide a call too slow).
        self.unvouched = False
        #: The replay was ended for one of these reasons (:class:`_Abandoned`), not by an example.
        self.abandoned = False
        #: A batch was cut short at a call that could not finish while the student's code printed (see :meth:`_add`).
        self.overran = False
        self._printed = self._output_now()
        self.protections = getattr(student, "protections", {})

    @property
    def _sent(self) -> int:
        """How many calls of the plan were sent: those read, and those pending."""
        return len(self._answers) + (len(self._pending.records) if self._pending is not None else 0)

    def _batch(self) -> list[tuple[Any, bool]]:
        """The next calls of the plan to send, as many as the batch size (which doubles each time, up to the most)."""
        from grader.student import CallRecord

        batch = self._plan[self._sent:self._sent + self._ahead]
        return [(CallRecord(function, args, kwargs), echo) for function, echo, args, kwargs in batch]

    def _add(self, answers: list[tuple[Any, float]], size: int) -> None:
        self._answers += answers
        if len(answers) < size:  # cut short at a call that could not finish: the calls after it never ended
            del self._plan[len(self._answers):]
            # A call judged too slow once answered is stopped with its worker, which may have started the next
            # call by then: what that one printed would be in the report, and not in one made without the cache.
            self.overran = self.overran or self._output_now() != self._printed

    def _more(self) -> None:
        """The answers of the next batch: those sent ahead, else a batch sent and read now; then the batch after it
        sent ahead, where the student can take it, so that its calls run while the check uses these answers."""
        if self._pending is not None:
            pending, self._pending = self._pending, None
            answers, vouched = self._student.collect(pending)
            self._add(answers, len(pending.records))
            if not vouched:
                self.unvouched = True
                self.leave()
                self.abandoned = True
                raise _Abandoned()
        else:
            batch = self._batch()
            self._ahead = min(self._ahead * 2, _MOST_AHEAD)
            self._add(self._student.prefetch(batch), len(batch))
        self._send_next()

    def _send_next(self) -> None:
        send = getattr(self._student, "send_ahead", None)
        if send is None or self._sent >= len(self._plan):
            return
        batch = self._batch()
        self._pending = send(batch)
        if self._pending is not None:
            self._ahead = min(self._ahead * 2, _MOST_AHEAD)

    def _take(self, function: str, args: tuple, kwargs: dict, echo: bool) -> Any:
        if not self._off and self._taken == len(self._answers) and self._taken < len(self._plan):
            self._more()
        if not self._off and self._taken < len(self._answers):
            planned = self._plan[self._taken]
            if planned[0] == function and planned[1] == echo and _same(args, planned[2]) and _same(kwargs, planned[3]):
                answer = self._answers[self._taken][0]
                self._fingerprint_of(self._taken)
                self._taken += 1
                if isinstance(answer, BaseException):
                    raise answer
                return answer
        self.leave()
        if self.wasted:
            self.abandoned = True
            raise _Abandoned()  # the replay will be set aside: going on one call at a time would be for nothing
        method = self._student.call_with_args if echo else self._student.call
        return method(function, *args, **kwargs)

    def fingerprints_at(self, start: int, count: int) -> Optional[list[str]]:
        """The fingerprints of the answers of the plan's calls ``start`` to ``start + count`` (one example's), read
        from the worker as needed; None when the check is not at ``start`` on the recorded path, or when one of them
        is an exception or cannot be fingerprinted."""
        end = start + count
        if self._off or self._taken != start or end > len(self._plan):
            return None
        while len(self._answers) < end and len(self._answers) < len(self._plan):
            self._more()
        return self.fingerprints_taken(start, min(end, len(self._answers)), count)

    def _fingerprint_of(self, index: int) -> Optional[str]:
        if index not in self._fingerprints:
            self._fingerprints[index] = _fingerprint(self._answers[index][0])
        return self._fingerprints[index]

    def fingerprints_taken(self, start: int, end: int, count: int) -> Optional[list[str]]:
        """The fingerprints of the ``count`` answers from ``start`` (read already, up to ``end``), or None when
        there are fewer, or one is an exception or cannot be fingerprinted."""
        fingerprints = [self._fingerprint_of(index) for index in range(start, end)]
        if len(fingerprints) != count or any(fingerprint is None for fingerprint in fingerprints):
            return None
        return [fingerprint for fingerprint in fingerprints if fingerprint is not None]

    def on_path_at(self, end: int) -> bool:
        """Whether the check took exactly the plan's calls before ``end``, and is still on it."""
        return not self._off and self._taken == end

    def take_through(self, end: int) -> None:
        """Take the answers up to the plan's call ``end`` (excluded) as the check would have (see :meth:`fingerprints_at`)."""
        self._taken = end

    def leave(self) -> None:
        """Go on one call at a time: the calls sent ahead and not taken are forgotten (those still pending read
        first: the worker answers in turn), their time given back."""
        if not self._off:
            self._off = True
            if self._pending is not None:
                pending, self._pending = self._pending, None
                self._answers += self._student.collect(pending)[0]
            self.wasted = self._taken < len(self._answers) and self._output_now() != self._printed
            self._student.refund(sum(seconds for _, seconds in self._answers[self._taken:]))

    def _output_now(self) -> Any:
        """What the student's output holds now (everything printed before the last answer), to tell whether
        anything was printed since; ``None`` for a student that keeps no output."""
        mark = getattr(self._student, "output_mark", None)
        return mark() if mark is not None else None

    def call(self, function: str, *args: Any, **kwargs: Any) -> Any:
        return self._take(function, args, kwargs, False)

    def call_with_args(self, function: str, *args: Any, **kwargs: Any) -> Any:
        return self._take(function, args, kwargs, True)

    def call_each(self, function: str, calls: Sequence[Any]) -> Iterator[Any]:
        for args, kwargs in calls:
            yield self._take(function, tuple(args), dict(kwargs), False)

    def __getattr__(self, name: str) -> Any:
        self.leave()
        return getattr(self._student, name)


def _planned(student: Any, recording: Recording) -> Any:
    """``student`` with the recorded calls sent ahead, or ``student`` itself when they cannot be: a student
    that cannot take calls ahead (in process, a whole program: neither has ``prefetch``), or whose code is no
    longer loaded again (``loads_afresh``: the state that calls run ahead for nothing leave would stay), an example
    whose calls were not noted."""
    if getattr(student, "prefetch", None) is None or not getattr(student, "loads_afresh", True):
        return student  # code not loaded again before a check or a new search keeps what calls run for nothing did
    plan: list[tuple[str, bool, tuple, dict]] = []
    try:
        for example in recording.examples:
            calls = example.get("calls")
            if type(calls) is not list:
                return student
            for function, echo, args, kwargs in calls:
                args, kwargs = _decode(args), _decode(kwargs)
                if type(function) is not str or type(echo) is not bool or type(args) is not tuple \
                        or type(kwargs) is not dict:
                    return student
                plan.append((function, echo, args, kwargs))
    except (ValueError, TypeError, KeyError, AttributeError):
        return student
    return _PlannedStudent(student, plan)


#: How a replay ended: every example behaved as recorded (the check passes); an example did not (Hypothesis runs
#: the check); or the calls sent ahead could not be used (see :class:`_Abandoned`): no example was seen to behave
#: otherwise, and the replay may be made again with every call made one by one (``ahead=False``).
ReplayEnd = Literal["held", "left", "set_aside"]


def replay(test: Callable[..., None], student: Any, recording: Recording, *,
           failed: Optional[Callable[[BaseException], None]] = None, context: Any = None,
           improved: Optional[Callable[[Recording], None]] = None, ahead: bool = True) -> ReplayEnd:
    """Run ``test`` on the recorded examples; how it ended (see :data:`ReplayEnd`).

    Exceptions that a Hypothesis run lets through at once without shrinking (aborted calls, unimplemented
    functions) propagate.  ``ahead``: send the recorded calls ahead where the student can take them.
    ``failed`` is given what the test raised when the replay ends on an example recorded as passing that failed:
    the student's code gave that answer after the very calls a run without the cache makes first, so a Hypothesis
    run that then never fails has met code whose results depend on its past calls (see the runner).
    ``context``: the :class:`~grader.authoring.CheckContext` the test is given, where an example whose answers
    were those recorded notes what it noted in the recording.  ``improved`` is given the recording with the answers
    of examples that were run and ended as recorded, when the replay holds (so that a next replay with the same
    answers need not run them).
    """
    from grader.student import CallAborted, NotImplementedYet

    planned = _planned(student, recording) if ahead else student
    if not isinstance(planned, _PlannedStudent):
        return "held" if _replay_examples(test, student, recording, failed) else "left"
    learnt: list[tuple[int, list[str], list[str]]] = []
    try:
        passed = _replay_examples(test, planned, recording, failed, context, learnt)
    except (CallAborted, NotImplementedYet):
        planned.leave()
        if planned.wasted or planned.overran:
            return "set_aside"  # what the calls run for nothing printed would be in the report
        raise
    planned.leave()
    if planned.abandoned or (passed and (planned.wasted or planned.unvouched)):
        return "set_aside"
    better = _with_variants(recording, learnt, given_to(context)) if passed and learnt and improved is not None \
        else None
    if better is not None and improved is not None:
        improved(better)
    return "held" if passed else "left"


#: The most answer fingerprints an example keeps besides the recording's own (those of other passing submissions).
_MOST_VARIANTS = 3


@functools.lru_cache(maxsize=64)
def _file_digest(path: str, modified: int, size: int) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return "?"


def _described(value: Any) -> Any:
    """``value`` as plain data for :func:`given_to`: a path with its file's contents."""
    if isinstance(value, (tuple, list)):
        return tuple(_described(item) for item in value)
    if isinstance(value, Path):
        try:
            status = value.stat()
        except OSError:
            return (str(value), "?")
        return (str(value), _file_digest(str(value), status.st_mtime_ns, status.st_size))
    return repr(value)


def given_to(context: Any) -> str:
    """A hash of what a test is given besides its example and the student's answers: the exercise's
    :class:`~grader.authoring.CheckContext` (its precision policy, the submission's language, its data files and
    their contents; not the notes it collects).  "" without one."""
    if context is None:
        return ""
    fields = [(field.name, _described(getattr(context, field.name))) for field in dataclasses.fields(context)
              if field.compare]
    return hashlib.sha256(repr(fields).encode("utf-8")).hexdigest()


def _variants(example: dict[str, Any]) -> list[tuple[list, list, str]]:
    """The (answer fingerprints, notes, :func:`given_to`) an example is known to end as recorded with: the
    recording's own, then those a replay learnt since (see :func:`_with_variants`); only well-formed ones."""
    found = [(example.get("answers"), example.get("notes"), example.get("given")),
             *[tuple(item) if type(item) is list and len(item) == 3 else (None, None, None)
               for item in example.get("also", [])]]
    return [(answers, notes, given) for answers, notes, given in found
            if type(answers) is list and all(type(item) is str for item in answers)
            and type(notes) is list and all(type(item) is str for item in notes) and type(given) is str]


def _notes_if_answered(example: dict[str, Any], fingerprints: list[str], given: str) -> Optional[list[str]]:
    """What the example noted when its calls gave answers with these fingerprints, its test given the same context,
    or None when it is not known: the test would see what it saw then and, being a function of its example, the
    answers and its context, end the same way and note the same."""
    return next((notes for answers, notes, then in _variants(example) if answers == fingerprints and then == given),
                None)


def _with_variants(recording: Recording, learnt: Sequence[tuple[int, list[str], list[str]]],
                   given: str) -> Optional[Recording]:
    """``recording`` with the answers other submissions passed its examples with (index, fingerprints, notes), their
    test given the context ``given``; None when it has no room for them (see :data:`_MOST_VARIANTS`)."""
    examples = [dict(example) for example in recording.examples]
    added = False
    for index, fingerprints, notes in learnt:
        example = examples[index]
        also = list(example.get("also", []))
        if len(also) < _MOST_VARIANTS and _notes_if_answered(example, fingerprints, given) is None:
            example["also"] = also + [[fingerprints, notes, given]]
            added = True
    return Recording(tuple(examples)) if added else None


def _replay_examples(test: Callable[..., None], student: Any, recording: Recording,
                     failed: Optional[Callable[[BaseException], None]] = None, context: Any = None,
                     learnt: Optional[list[tuple[int, list[str], list[str]]]] = None) -> bool:
    from hypothesis.control import BuildContext
    from hypothesis.errors import UnsatisfiedAssumption
    from hypothesis.internal.conjecture.data import ConjectureData

    from grader.student import CallAborted, NotImplementedYet

    given = given_to(context)
    start = 0  # where the example's calls begin in the plan
    for index, example in enumerate(recording.examples):
        calls = example.get("calls")
        count = len(calls) if type(calls) is list else 0
        fingerprints = None
        if isinstance(student, _PlannedStudent) and type(calls) is list and _variants(example):
            try:
                fingerprints = student.fingerprints_at(start, count)
            except _Abandoned:  # answers that cannot be vouched for: as if the test had taken them
                return False
        notes = _notes_if_answered(example, fingerprints, given) if fingerprints is not None else None
        first, start = start, start + count
        if notes is not None:
            student.take_through(start)
            for text in notes:
                if context is not None:
                    context.note(text)
            continue
        try:
            kwargs = {}
            data_object: Optional[_ReplayData] = None
            for name, encoded in example["args"].items():
                if encoded == {"data": True}:
                    data_object = _ReplayData(example["draws"])
                    kwargs[name] = data_object
                else:
                    kwargs[name] = _decode(encoded)
        except (ValueError, TypeError, KeyError, AttributeError):
            return False
        heard: list[str] = []
        try:
            with contextlib.ExitStack() as stack:
                if context is not None:
                    heard = stack.enter_context(context.listening())
                stack.enter_context(BuildContext(ConjectureData.for_choices([]), wrapped_test=test))
                test(student, **kwargs)
            status = "valid"
        except UnsatisfiedAssumption:
            status = "invalid"
        except _Stopped:
            status = "stopped"
        except (CallAborted, NotImplementedYet):
            raise
        except BaseException as error:  # a failure: Hypothesis must find and shrink it
            if isinstance(error, (KeyboardInterrupt, SystemExit)):
                raise
            if failed is not None and example["status"] == "valid":
                failed(error)
            return False
        if status != example["status"] or (data_object is not None and (data_object.left_path
                                                                         or not data_object.finished())):
            return False
        if learnt is not None and isinstance(student, _PlannedStudent) and student.on_path_at(start):
            taken = student.fingerprints_taken(first, start, count)  # each taken before the test used it
            if taken is not None:
                learnt.append((index, taken, list(heard)))
    return True


# --- the store -------------------------------------------------------------------------------------------------


def _files_digest(root: Path, paths: Iterable[Path]) -> str:
    """Hash of the files ``paths`` under ``root``: their names relative to it and their contents."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path.relative_to(root)).encode("utf-8") + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"?")
        digest.update(b"\0")
    return digest.hexdigest()


@functools.cache
def _tree_digest(folder: str) -> str:
    """Hash of every Python source under ``folder`` (names and contents)."""
    return _files_digest(Path(folder), Path(folder).rglob("*.py"))


@functools.cache
def _imports_digest(source: str, course: str) -> str:
    """Hash of every module of the course folder ``course`` that the file ``source`` imports, directly or not
    (names and contents), found by reading their ``import`` statements as ``grader dist`` does: a helper may
    live in another folder than the check (``checks/helpers.py`` for ``hidden/``)."""
    return _files_digest(Path(course), course_modules([Path(source)], Path(course)))


def _source_digest(test: Callable[..., Any]) -> str:
    """What decides a check's examples in code: the grader package, the folder of the check's module and every
    module of its course folder it imports (a hidden check in ``hidden/`` importing ``checks/helpers.py``)."""
    grader_root = str(Path(__file__).resolve().parent)
    parts = [_tree_digest(grader_root)]
    module = sys.modules.get(getattr(test, "__module__", ""), None)
    source = getattr(module, "__file__", None)
    if not source:
        raise Unrecordable("the check's source file is unknown")
    path = Path(source).resolve()
    if not str(path).startswith(grader_root):
        parts.append(_tree_digest(str(path.parent)))
        course = course_of(path)
        if course is not None:
            parts.append(_imports_digest(str(path), str(course)))
    return hashlib.sha256("\0".join(parts).encode("ascii")).hexdigest()


def _versions() -> dict[str, str]:
    import hypothesis

    return {"grader": __version__, "hypothesis": hypothesis.__version__, "numpy": np.__version__,
            "python": platform.python_version(), "format": str(_FORMAT)}


#: How a file of the store begins (see :meth:`ExampleStore.save`): its key and the checksum of its examples.
_HEAD = re.compile(r'\{"key":"([0-9a-f]{64})","sha256":"([0-9a-f]{64})","examples":')


#: Recordings already read by :meth:`ExampleStore.load` in this process, by file (path, inode, size, time); at most
#: :data:`_LOADED_MOST` (a few checks' worth of examples each).  Recordings are never modified once read.
_LOADED: dict[tuple[str, int, int, int], Optional[Recording]] = {}
_LOADED_MOST = 1024


class ExampleStore:
    """Recordings on disk, one file per check and key; see the module docstring for what is trusted."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def key(self, check_id: str, test: Callable[..., Any], *, seed: int, max_examples: int) -> Optional[str]:
        try:
            sources = _source_digest(test)
        except Unrecordable:
            return None
        # The check's function by name too: two exercises may have checks of the same id (``train.reproducible``
        # of two networks), whose examples are of different kinds.
        test_name = f"{getattr(test, '__module__', '')}.{getattr(test, '__qualname__', '')}"
        content = {"check": check_id, "test": test_name, "seed": seed, "max_examples": max_examples,
                   "sources": sources, **_versions()}
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode("utf-8")).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def load(self, key: str) -> Optional[Recording]:
        """The recording stored under ``key``, or ``None`` when missing, stale or corrupt.  A file read before, and
        not replaced since (same inode, size and modification time: :meth:`save` replaces files whole), is not read
        and checked again: a class graded in one process replays the same recordings for every student."""
        path = self._path(key)
        try:
            status = path.stat()
        except OSError:
            return None
        stamp = (str(path), status.st_ino, status.st_size, status.st_mtime_ns)
        if stamp not in _LOADED:
            if len(_LOADED) >= _LOADED_MOST:
                _LOADED.clear()
            _LOADED[stamp] = self._read(path, key)
        return _LOADED[stamp]

    def _read(self, path: Path, key: str) -> Optional[Recording]:
        try:
            text = path.read_text(encoding="utf-8")
            # The file is exactly what save() writes: its checksum is that of the examples' text as it stands.
            head = _HEAD.match(text)
            if head is None or head.group(1) != key or not text.endswith("}\n"):
                return None
            body = text[head.end():-2]
            if hashlib.sha256(body.encode()).hexdigest() != head.group(2):
                return None
            examples = json.loads(body)
            if not isinstance(examples, list) or not all(isinstance(e, dict) and isinstance(e.get("args"), dict)
                                                         and isinstance(e.get("draws"), list)
                                                         and e.get("status") in ("valid", "invalid", "stopped")
                                                         for e in examples):
                return None
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None
        return Recording(tuple(examples))

    def save(self, key: str, recording: Recording) -> None:
        """Store ``recording`` atomically; a cache that cannot be written is silently skipped."""
        body = json.dumps(list(recording.examples), sort_keys=True, separators=(",", ":"))
        document = '{"key":"%s","sha256":"%s","examples":%s}\n' % (
            key, hashlib.sha256(body.encode()).hexdigest(), body)
        try:
            _atomic.write_text(self._path(key), document)
        except OSError:
            pass
