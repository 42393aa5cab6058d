"""What exercise authors use to write checks.

A check is a property of one student function, tested by Hypothesis::

    @check("normalize.unit_rows", "normalize: every row gets length 1", x=matrices())
    def unit_rows(student, x):
        rows = expect_array(student.call("normalize", x), "normalize", shape=x.shape, kind="number")
        if ...:
            fail("row 2 has length 3.0, not 1", x=x, returned=rows)

The id starts with the function's name and a dot.  The keyword arguments of
``check`` are the Hypothesis strategies of the test's arguments; the grader adds
its own settings (seed, number of examples) when it runs the check.  A test with
a parameter named ``context`` also receives the exercise's :class:`CheckContext`
(its precision policy, the submission's language, and where to note facts worth
one line in the report).

A hint is for every language (a string), or, where it names the language's own
tools, one per language (a mapping, language -> hint)::

    @check("assign.integer_array", "...", hint={
        "python": "Create the labels with an integer dtype, e.g. np.zeros(n, dtype=int).",
        "c": "Write an int label for every point into labels[0..n-1].",
    })

A language the mapping does not name gets no hint (never another language's).
Messages that depend on the language read ``context.language`` (``python``, ``c``,
``fortran``): a compiled submission is told in its own terms (array bounds,
``malloc``, 1-based Fortran indices), never a Python exception or a numpy call.

``fail(..., suspects=("assign.nearest_center",))`` says which other checks own the
property this counterexample breaks: when one of them fails as well, the report
shows this failure as probably caused by it.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, NoReturn, Optional

import numpy as np

from grader import wire

__all__ = ["Check", "CheckContext", "CheckFailed", "check", "fail", "describe", "expect_array", "expect_int", "plain"]


@dataclass(frozen=True)
class Check:
    """A property of one student function."""

    id: str
    title: str
    test: Callable[..., None] = field(repr=False)
    strategies: Mapping[str, Any] = field(repr=False)
    #: Shown when the check fails: one text for every language, or one per language (see the module docstring).
    hint: str | Mapping[str, str] = ""
    #: Checks suspected when this one ends in an exception or a crash of the student's code (the function under
    #: test calls the student's other functions, whose own checks may explain it); see :func:`fail`.
    suspects: tuple[str, ...] = ()
    #: Caps on the course's settings for this check: examples, and calls spent shrinking a failure
    #: (``None``: the course's).  For checks whose every example is costly, e.g. a whole program run.
    max_examples: Optional[int] = None
    shrink_limit: Optional[int] = None

    @property
    def function(self) -> str:
        return self.id.split(".", 1)[0]

    def hint_for(self, language: str) -> str:
        """The hint shown to a submission in ``language``: the hint, or its entry for ``language`` ("" if none)."""
        if isinstance(self.hint, str):
            return self.hint
        return self.hint.get(language, "")

    @property
    def wants_context(self) -> bool:
        """Whether the test takes the exercise's :class:`CheckContext` (a parameter named ``context``)."""
        return "context" in inspect.signature(self.test).parameters


@dataclass(frozen=True)
class CheckContext:
    """What the grader tells the checks of one exercise, and what they tell the report once.

    ``precision`` is the exercise's precision policy (see :data:`grader.config.Precision`); ``language`` the
    submission's language.
    ``notes`` collects exercise-level remarks (e.g. "computed in single precision"):
    each is recorded once, in the order first seen, and shown once in the report.
    One context serves one submission's exercise, so grading stays reproducible.
    """

    precision: str = "double"
    #: The language of the submission (``python``, ``c``, ``fortran``): messages speak in its terms.
    language: str = "python"
    notes: list[str] = field(default_factory=list, compare=False)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)


def check(check_id: str, title: str, *, hint: str | Mapping[str, str] = "", suspects: tuple[str, ...] = (),
          max_examples: Optional[int] = None, shrink_limit: Optional[int] = None,
          **strategies: Any) -> Callable[[Callable[..., None]], Check]:
    """Declare the decorated function as the check ``check_id``; ``strategies`` feed its arguments.

    ``suspects``: checks that probably explain an exception or crash in this one (see :class:`Check`).
    ``max_examples`` and ``shrink_limit`` cap the course's settings for this check (see :class:`Check`).
    """
    if "." not in check_id:
        raise ValueError(f"check id {check_id!r} must start with the student function's name and a dot")

    def decorate(test: Callable[..., None]) -> Check:
        return Check(id=check_id, title=title, test=test, strategies=dict(strategies), hint=hint,
                     suspects=tuple(suspects), max_examples=max_examples, shrink_limit=shrink_limit)

    return decorate


class CheckFailed(AssertionError):
    """A property does not hold.  ``counterexample`` holds the inputs and what came back, as plain data;
    ``suspects`` the ids of other checks whose property the counterexample breaks (see :func:`fail`)."""

    def __init__(self, message: str, counterexample: Optional[dict[str, Any]] = None,
                 suspects: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.counterexample = counterexample or {}
        self.suspects = tuple(suspects)


def fail(message: str, *, suspects: Any = (), **counterexample: Any) -> NoReturn:
    """Fail the check with ``message``; keyword arguments describe the counterexample.

    ``suspects``: ids of checks (of other functions) that own the property this
    counterexample breaks, most likely first; when one of them fails too, this
    failure is reported as probably caused by it.  (Typed ``Any`` so that checks may
    pass their counterexample as ``**dict[str, object]``; it must be strings.)
    """
    raise CheckFailed(message, {key: plain(value) for key, value in counterexample.items()},
                      tuple(str(item) for item in suspects))


def plain(value: Any) -> Any:
    """A JSON-ready copy of ``value``: arrays become lists, non-finite floats become strings."""
    if isinstance(value, np.ndarray):
        return plain(value.tolist())
    if isinstance(value, np.generic):
        return plain(value.item())
    if isinstance(value, float):
        return value if np.isfinite(value) else repr(value)
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (wire.Rng, wire.Unsupported)):
        return str(value)
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return repr(value)


_KIND_NAMES = {"b": "boolean", "i": "integer", "u": "integer", "f": "float"}


def describe(value: Any) -> str:
    """A short description of a returned value, for messages: 'a list of 3 str', 'None'..."""
    if value is None:
        return "None"
    if isinstance(value, wire.Unsupported):
        return str(value)
    if isinstance(value, np.ndarray):
        return f"a{'n' if value.dtype.kind in 'iu' else ''} {_KIND_NAMES.get(value.dtype.kind, str(value.dtype))} array of shape {value.shape}"
    if isinstance(value, (list, tuple)):
        kinds = sorted({type(item).__name__ for item in value})
        inner = f" of {'/'.join(kinds)}" if kinds else ""
        return f"a {type(value).__name__} of {len(value)} item{'s' if len(value) != 1 else ''}{inner}"
    if isinstance(value, bool):
        return f"the bool {value}"
    if isinstance(value, (int, float)):
        return f"the {type(value).__name__} {value!r}"
    if isinstance(value, str):
        return f"a str ({value[:40]!r})"
    return f"a {type(value).__name__}"


def _shape_text(shape: tuple[int, ...]) -> str:
    return "(" + ", ".join(str(size) for size in shape) + ("," if len(shape) == 1 else "") + ")"


def expect_array(
    value: Any, function: str, *, shape: tuple[int, ...], kind: str = "float", inputs: Optional[dict[str, Any]] = None
) -> np.ndarray:
    """``value`` as a numpy array of ``shape``, or fail with a message saying what came back.

    ``kind`` is ``"float"`` (a float dtype, strictly), ``"number"`` (any real
    numbers: lenient, for checks about values rather than types), ``"integer"``
    (an integer dtype, strictly) or ``"index"`` (whole numbers in any numeric
    dtype: lenient).  Lists and tuples of numbers are accepted as arrays; the
    result is float64 for float and number, int64 for integer and index.
    """
    wanted = {"float": "a float", "number": "a float", "integer": "an integer", "index": "an integer"}[kind]
    expectation = f"expected {wanted} array of shape {_shape_text(shape)}"

    def bad(reason: str = "") -> NoReturn:
        fail(f"{function} returned {describe(value)}{reason}, {expectation}", **(inputs or {}), returned=value)

    if isinstance(value, np.ndarray):
        array = value
    elif isinstance(value, (list, tuple)):
        try:
            array = np.array(value)
        except (ValueError, TypeError):
            bad(" (rows of different lengths)")
        if array.dtype.kind not in "biuf":
            bad()
    else:
        bad()
    if array.shape != tuple(shape):
        bad()
    if kind == "integer" and array.dtype.kind not in "iu":
        bad()
    if kind == "float" and array.dtype.kind != "f":
        bad()
    if kind == "index":
        if array.dtype.kind == "b" or (array.dtype.kind == "f" and not np.all(np.isfinite(array))):
            bad()
        if array.dtype.kind == "f" and not np.all(array == np.round(array)):
            bad(" (not whole numbers)")
    if kind in ("integer", "index"):
        # Beyond int64 a value would wrap around on conversion (2**63 read as -2**63): say what it really is.
        if array.dtype.kind == "u" and array.dtype.itemsize == 8:
            beyond = np.flatnonzero(array > np.iinfo(np.int64).max)
        elif array.dtype.kind == "f":
            beyond = np.flatnonzero((array >= 2.0 ** 63) | (array < -(2.0 ** 63)))
        else:
            beyond = np.flatnonzero(np.zeros(array.shape, dtype=bool))
        if len(beyond):
            bad(f" holding {array.flat[int(beyond[0])].item()!r}, beyond any index")
    if kind == "index":
        return array.astype(np.int64)
    if kind == "number" and array.dtype.kind == "b":
        bad()
    return array.astype(np.int64 if kind == "integer" else np.float64)


def expect_int(value: Any, function: str, *, what: str, inputs: Optional[dict[str, Any]] = None) -> int:
    """``value`` as a Python int (an integral float is accepted, and so is a 0-d numpy array of either: the number
    numpy computed), or fail saying what came back."""
    if isinstance(value, np.ndarray) and value.shape == () and value.dtype.kind in "iuf":
        value = value.item()
    if isinstance(value, int) and not isinstance(value, bool):
        return value  # any size: a Python int is always a whole number
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not np.isfinite(value) or value != int(value):
        fail(f"{function} returned {describe(value)} as {what}, expected a whole number", **(inputs or {}),
             returned=value)
    return int(value)
