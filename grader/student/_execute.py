"""Calling one student function and describing the outcome as plain data.

``execute`` runs on the student's side (in the worker, or in process when
trusted); ``interpret`` runs in the grader and turns the reply back into a value
or an exception.  Both ways of running student code share these two functions,
so a submission gets the same outcome with and without the sandbox.
"""

from __future__ import annotations

import contextlib
import os
import random
import inspect
import traceback as _traceback
import types
from typing import Any, Iterator, Optional

import numpy as np
from numpy.random import bit_generator as _numpy_bit_generator

from grader import wire
from grader.student._base import CallRecord, NotImplementedYet, StudentRaised

_MAX_TRACEBACK = 4000


def _build(value: Any) -> Any:
    if type(value) is wire.Rng:
        return value.build()
    if type(value) is list:
        return [_build(item) for item in value]
    if type(value) is tuple:
        return tuple(_build(item) for item in value)
    return value


def _student_traceback(error: BaseException, module_file: str) -> str:
    """The traceback lines that belong to the student's file (grader frames say nothing useful), named by the
    file's name alone: the folder it runs from (the worker's private one) means nothing to the student."""
    frames = [
        _traceback.FrameSummary(os.path.basename(frame.filename), frame.lineno, frame.name, line=frame.line)
        for frame in _traceback.extract_tb(error.__traceback__) if frame.filename == module_file
    ]
    text = "".join(_traceback.format_list(frames)) if frames else ""
    return text[-_MAX_TRACEBACK:]


def _cells_traceback(error: BaseException, cells: frozenset) -> str:
    """The traceback lines of a notebook's cells, each named as the student sees it: ``cell 4, line 3``."""
    lines = []
    for frame in _traceback.extract_tb(error.__traceback__):
        if frame.filename in cells:
            lines.append(f"  {frame.filename}, line {frame.lineno}, in {frame.name}\n")
            if frame.line:
                lines.append(f"    {frame.line.strip()}\n")
    return "".join(lines)[-_MAX_TRACEBACK:]


def _traceback_of(error: BaseException, module: Any) -> str:
    cells = getattr(module, "__notebook_cells__", None)  # a notebook's module (see _inprocess.load_cells)
    if type(cells) is frozenset:
        return _cells_traceback(error, cells)
    return _student_traceback(error, getattr(module, "__file__", "") or "")


def _not_written(error: NotImplementedError, module: Any, function: str) -> dict[str, str]:
    """Where a ``NotImplementedError`` comes from, for the report: ``in``, the function of the student's code that
    raised it when it is not the one called (``fit`` calling ``predict``, still to write); ``said``, its message
    when it says more than the function's name (``"only 2-D data for now"``: a case the student left out)."""
    cells = getattr(module, "__notebook_cells__", None)
    theirs = cells if type(cells) is frozenset else {getattr(module, "__file__", "") or ""}
    frames = [frame for frame in _traceback.extract_tb(error.__traceback__) if frame.filename in theirs]
    if not frames:  # raised by a binding of compiled code, for the function called: nothing more to say
        return {}
    found: dict[str, str] = {}
    if frames[-1].name != function and frames[-1].name.isidentifier():
        found["in"] = frames[-1].name[:100]
    said = _message(error).strip()
    if said and said not in (function, found.get("in")):
        found["said"] = said[:300]
    return found


def _refused_call(error: BaseException, target: Any, args: tuple, kwargs: dict) -> bool:
    """Whether ``error`` is the call itself refused: a TypeError raised before any line of the function ran
    (no frame below the caller's), for arguments its own signature (not a wrapped one's) does not take."""
    if not isinstance(error, TypeError) or error.__traceback__ is None or error.__traceback__.tb_next is not None:
        return False
    try:
        inspect.signature(target, follow_wrapped=False).bind(*args, **kwargs)
    except TypeError:
        return True
    except (ValueError, RecursionError):  # a callable whose signature cannot be read: say nothing more
        return False
    return False


def _call_shape(args: tuple, kwargs: dict) -> str:
    """The arguments of a call as the grader passes them, values left out: ``..., ..., eps=..., max_iter=...``."""
    return ", ".join(["..."] * len(args) + [f"{name}=..." for name in kwargs])


def _text(value: Any) -> str:
    """``str(value)`` as a plain ``str``: a subclass of ``str`` (which ``__str__`` or ``__name__`` may give) could
    answer slicing or joining with anything, and the reply would be malformed."""
    return str.__str__(str(value))


def _message(error: BaseException) -> str:
    """``str(error)``, cut short; when the exception cannot even say that (its ``__str__`` fails), what went wrong."""
    try:
        return _text(error)[:1000]
    except Exception as failure:  # noqa: BLE001 - the student's __str__ may raise anything
        return f"(its message cannot be shown: str() of it raised {type(failure).__name__})"


#: The seed of the global random generators (``random``, ``numpy.random``) at the start of every call.
GLOBAL_SEED = 0
#: ``random``'s state once seeded with GLOBAL_SEED: set at every call (cheaper than seeding again, the same state).
_SEEDED_STATE = random.Random(GLOBAL_SEED).getstate()
#: The generator numpy's unseeded generators draw their entropy from, put back to _SEEDED_STATE at every call.
_ENTROPY = random.Random(GLOBAL_SEED)


@contextlib.contextmanager
def _seeded_global_generators(restore: bool = True) -> Iterator[None]:
    """Run one call with the global random generators seeded, and restore them afterwards.

    Code that draws from ``random`` or ``numpy.random``, or from a numpy generator it makes without a seed,
    instead of the generator it is given, then returns
    the same thing for the same arguments whatever ran before it: the calls a check makes, a fresh worker
    after a crash, or examples replayed from the cache.  Its grade stays reproducible (the "uses the
    generator it is given" checks still tell such code apart).  Restoring keeps the caller's own state
    untouched.  ``restore=False`` spares saving and restoring the generators' states, most of the cost of a
    short call: a worker, where only student calls draw and each starts seeded, has no state of its own to
    keep; a student in process keeps the caller's states once, from its first call to its closing (see
    :class:`CallersGenerators`).
    """
    saved = (random.getstate(), np.random.get_state()) if restore else None
    random.setstate(_SEEDED_STATE)
    np.random.seed(GLOBAL_SEED)
    # numpy's unseeded generators (np.random.default_rng(), SeedSequence()) take their entropy from this
    # function: drawn from a generator seeded at every call, they are the same in every run, and different
    # from one another within a call as they would be in a program.
    system_entropy = getattr(_numpy_bit_generator, "randbits", None)
    if system_entropy is not None:
        _ENTROPY.setstate(_SEEDED_STATE)
        _numpy_bit_generator.randbits = _ENTROPY.getrandbits  # type: ignore[attr-defined]
    try:
        yield
    finally:
        if saved is not None:
            random.setstate(saved[0])
            np.random.set_state(saved[1])
        if system_entropy is not None:
            _numpy_bit_generator.randbits = system_entropy  # type: ignore[attr-defined]


class CallersGenerators:
    """The global random generators' states of the process, saved before the first call of a student run in it and
    put back when it is closed: the caller (the grader, a notebook's kernel) finds them as it left them, while
    each call starts seeded at the cost of seeding alone (:func:`_seeded_global_generators` with
    ``restore=False``).  Nothing between two calls of a grading draws from them (checks draw from their own
    generators; Hypothesis puts them back around each example itself)."""

    def __init__(self) -> None:
        self._saved: Optional[tuple[Any, Any]] = None

    def keep(self) -> None:
        """Save the states, unless they are saved already (and not put back since)."""
        if self._saved is None:
            self._saved = (random.getstate(), np.random.get_state())

    def put_back(self) -> None:
        if self._saved is not None:
            random.setstate(self._saved[0])
            np.random.set_state(self._saved[1])
            self._saved = None


#: What ``getattr`` gives for a name the module does not have (``None`` may be a value the student gave it).
_ABSENT = object()


def execute(module: Any, function: str, args: tuple, kwargs: dict, *, echo_args: bool = False,
            restore: bool = True) -> dict:
    """Call ``module.function`` on rebuilt arguments; returns a plain reply dict.  ``restore``: the global
    random generators are put back as they were after the call (see :func:`_seeded_global_generators`)."""
    target = getattr(module, function, _ABSENT)
    if target is _ABSENT:
        return {"missing": True}
    if not callable(target):
        # Defined, then given another value by a later line (``fit = fit(x, y)``): say what it is.
        return {"missing": True, "bound": type(target).__name__}
    args = _build(tuple(args))
    kwargs = {key: _build(value) for key, value in kwargs.items()}
    try:
        with _seeded_global_generators(restore):
            result = target(*args, **kwargs)
    except NotImplementedError as error:
        return {"not_implemented": True, **_not_written(error, module, function)}
    except (SystemExit, KeyboardInterrupt):
        raise  # the process is asked to end: the worker says so
    except BaseException as error:  # the student's bug, reported as data (a BaseException of their own too)
        raised: dict[str, Any] = {
            "raised": _text(type(error).__name__),
            "mro": [_text(cls.__name__) for cls in type(error).__mro__][:12],
            "message": _message(error),
            "traceback": _traceback_of(error, module),
        }
        if isinstance(module, types.ModuleType) and _refused_call(error, target, args, kwargs):
            raised["message"] += (f": the grader calls {function}({_call_shape(args, kwargs)}) as the skeleton defines "
                                 f"it; give {function} the skeleton's parameters (a decorator's wrapper must take "
                                 "and pass on every argument)")
            raised["refused"] = True
        return raised
    reply: dict[str, Any] = {"value": _plain(result)}
    if echo_args:
        reply["args"] = tuple(_plain(arg) for arg in args)
    return reply


def _plain(value: Any) -> Any:
    """``wire.to_plain(value)``; a ``WireError`` naming what went wrong when reading the value runs the student's
    code (a ``list`` subclass whose ``__iter__`` raises) and that code fails: the value cannot be sent back, the
    process did not end."""
    try:
        return wire.to_plain(value)
    except Exception as error:  # noqa: BLE001 - whatever the student's methods raise
        raise wire.WireError(f"reading it raised {_text(type(error).__name__)[:100]}: {_message(error)[:150]}") from None


def interpret(reply: Any, call: CallRecord, *, echo_args: bool = False) -> Any:
    """The value of a reply, or the exception it stands for.  ``reply`` is untrusted data."""
    if type(reply) is not dict:
        raise wire.WireError("reply is not a dict")
    if reply.get("missing") is True:
        bound = reply.get("bound")
        if type(bound) is str:
            raise StudentRaised(call, "TypeError", f"{call.function!r} in your module is a value of type {bound[:100]!r}, "
                                "not a function: a line gives the function's name to another value; use another "
                                "name for that value", absent=True)
        raise StudentRaised(call, "AttributeError", f"your module has no function named {call.function!r}",
                            absent=True)
    if reply.get("not_implemented") is True:
        inner, said = reply.get("in"), reply.get("said")
        raise NotImplementedYet(call, inner=inner[:100] if type(inner) is str else None,
                                said=said[:300] if type(said) is str else None)
    if "raised" in reply:
        type_name, message = reply.get("raised"), reply.get("message", "")
        tb = reply.get("traceback", "")
        if not (type(type_name) is str and type(message) is str and type(tb) is str):
            raise wire.WireError("malformed exception reply")
        mro = reply.get("mro", [type_name])
        if type(mro) is not list or not all(type(x) is str for x in mro):
            raise wire.WireError("malformed exception reply")
        raised = StudentRaised(call, type_name[:100], message[:1000], tb[-_MAX_TRACEBACK:], mro=tuple(mro[:12]))
        if reply.get("refused") is True:
            # The function could not be called at all: the check's property was never tested, its hint is moot.
            raised.precondition = True  # type: ignore[attr-defined]
        raise raised
    if "value" not in reply:
        raise wire.WireError("reply has no value")
    if echo_args:
        args = reply.get("args")
        if type(args) is not tuple or len(args) != len(call.args):
            raise wire.WireError("reply does not echo the arguments")
        return reply["value"], args
    return reply["value"]
