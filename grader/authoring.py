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
shows this failure as probably caused by it.  ``@check(..., suspects=...)`` says the
same for a failure that is not a ``fail()``: an exception, a crash or a time-out of
the student's code while the check calls it.  Both take the same values (one id, or
a sequence of ids, each a function's name, a dot and a property) and are checked alike.

**Counterexample keys** (the keyword arguments of :func:`fail`; every report reads them the same way):

* ``returned`` and ``returned_<what>``: what the student's code gave back ("your code returned (labels)");
* ``<input>_afterwards``: an input as the student's code left it ("your code left data as");
* ``expected`` and ``expected_<what>``: what it should have been;
* ``function`` with ``args`` (and ``kwargs``): the call that went wrong, shown as ``f(1, 2)``;
* any other name: an input of the failing example, shown as ``name = value``.

``traceback`` is the grader's own (the student's traceback of an exception), and names that look like the
keys above but are not (``result``, ``actual``, ``expect``, ``x_after``...) would be shown as inputs: such
keys are refused when the configuration loads (see :func:`counterexample_key_problem`).

**Numbers counted from 0** (a row, a sample, a class; a label whose value is an index) are told the way the
student's language counts them: in a message, write ``index(i)`` where the number goes (``f"point {index(i)}"``
reads "point 3" in Python and C, "point 4" in Fortran); in a counterexample, pass ``indices(labels)`` for a value
whose whole numbers are such indices (``returned=indices(labels)``), so a Fortran student sees the values their
code returned, not the 0-based ones the binding gave the check.  An element written ``name[i, j]`` needs no
marking: it is written in the language's syntax anyway (``w(2, 1)`` in Fortran).

A check's hint speaks to its property: what a check needs before it can test that
property (a correct result before "leaves its inputs unchanged") is checked inside
``with precondition():``, and a failure there is reported without the hint.

**A check is deterministic**: what it does, and how it ends, depends only on its example's arguments, on what
the student's code answers and on its :class:`CheckContext` (no clock, no unseeded randomness, no file but
``context.data``, no state kept between examples but caches of its own results).  The grader relies on it: an example replayed from the example cache whose calls answer exactly as when it
was recorded is not run again (see :mod:`grader.replay`).
"""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, NoReturn, Optional

import numpy as np

from grader import wire
from grader.student import StudentRaised

__all__ = ["Check", "CheckContext", "CheckFailed", "check", "fail", "describe", "expect_array", "expect_int", "plain",
           "precondition", "StudentRaised", "index", "indices"]


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

    @property
    def line(self) -> Optional[int]:
        """The line of the test's definition in its file; None when unknown."""
        test = inspect.unwrap(self.test)  # a check wrapped by a decorator of its module: its own definition
        return getattr(getattr(test, "__code__", None), "co_firstlineno", None)

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
    submission's language; ``data`` the exercise's data files (``data:`` in config.yaml).
    ``notes`` collects exercise-level remarks (e.g. "computed in single precision"):
    each is recorded once, in the order first seen, and shown once in the report.
    One context serves one submission's exercise, so grading stays reproducible.
    """

    precision: str = "double"
    #: The language of the submission (``python``, ``c``, ``fortran``): messages speak in its terms.
    language: str = "python"
    notes: list[str] = field(default_factory=list, compare=False)
    #: The exercise's data files (``data:`` in config.yaml), where the course keeps them.
    data: tuple[Path, ...] = ()
    #: The arguments of the contract's functions that hold indices counted from 0 (function -> argument name ->
    #: position), as the exercise's binding declares them: a call shown in a report counts them as the student's
    #: language does, like the values a check marks with :func:`indices`.
    index_arguments: Mapping[str, Mapping[str, int]] = field(default_factory=dict, compare=False)
    #: Lists being told every note as it is made, repeats included (see :meth:`listening`).
    _listeners: list[list[str]] = field(default_factory=list, compare=False, repr=False, init=False)

    def note(self, text: str) -> None:
        for heard in self._listeners:
            heard.append(text)
        if text not in self.notes:
            self.notes.append(text)

    def saved_notes(self) -> tuple[list[str], list[list[str]]]:
        """The notes so far, for :meth:`restore_notes`: a check that tries two ways and keeps the notes of the
        one whose outcome it keeps."""
        return list(self.notes), [list(heard) for heard in self._listeners]

    def restore_notes(self, saved: tuple[list[str], list[list[str]]]) -> None:
        """The notes as :meth:`saved_notes` saw them: the lists :meth:`listening` hands out forget too, so that the
        example cache records what the example noted in the end."""
        notes, heard_lists = saved
        self.notes[:] = notes
        for heard, kept in zip(self._listeners, heard_lists):
            heard[:] = kept

    @contextmanager
    def listening(self) -> Iterator[list[str]]:
        """A list of every note made while the block runs, in order, repeats included: what one example of a
        check noted, so that an example the example cache vouches for notes the same (see :mod:`grader.replay`)."""
        heard: list[str] = []
        self._listeners.append(heard)
        try:
            yield heard
        finally:
            self._listeners.remove(heard)


def check(check_id: str, title: str, *, hint: str | Mapping[str, str] = "", suspects: tuple[str, ...] = (),
          max_examples: Optional[int] = None, shrink_limit: Optional[int] = None,
          **strategies: Any) -> Callable[[Callable[..., None]], Check]:
    """Declare the decorated function as the check ``check_id``; ``strategies`` feed its arguments.

    ``suspects``: checks that probably explain an exception or crash in this one (see :class:`Check`).
    ``max_examples`` and ``shrink_limit`` cap the course's settings for this check (see :class:`Check`).
    """
    if "." not in check_id:
        raise ValueError(f"check id {check_id!r} must start with the student function's name and a dot")
    named = suspect_ids(suspects)

    def decorate(test: Callable[..., None]) -> Check:
        made = Check(id=check_id, title=title, test=test, strategies=dict(strategies), hint=hint,
                     suspects=named, max_examples=max_examples, shrink_limit=shrink_limit)
        namespace = getattr(test, "__globals__", None)
        if isinstance(namespace, dict):
            namespace.setdefault(_DECLARED, []).append(made)
        return made

    return decorate


#: Where :func:`check` lists every check it declares, in the namespace of the module declaring it: a check whose
#: function has the name of an earlier one (a copied check) replaces it among the module's names, and only this
#: list still knows the earlier (see :func:`replaced_checks`).
_DECLARED = "__grader_checks__"


def replaced_checks(module: object) -> list[tuple[Check, Check]]:
    """(earlier, later): checks the module declared with top-level functions of the same name, the later replacing
    the earlier among its names.  A declaration run again at the same line (the module executed twice in one
    namespace) replaces nothing."""
    kept: dict[str, Check] = {}
    replaced = []
    for item in vars(module).get(_DECLARED, []):
        name = getattr(item.test, "__qualname__", "")
        if not name or "." in name:  # a function nested in another or in a class is no name of the module
            continue
        earlier = kept.get(name)
        if earlier is not None and earlier.line != item.line:
            replaced.append((earlier, item))
        kept[name] = item
    return replaced


class CheckFailed(AssertionError):
    """A property does not hold.  ``counterexample`` holds the inputs and what came back, as plain data;
    ``suspects`` the ids of other checks whose property the counterexample breaks (see :func:`fail`)."""

    def __init__(self, message: str, counterexample: Optional[dict[str, Any]] = None,
                 suspects: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.counterexample = counterexample or {}
        self.suspects = tuple(suspects)
        #: Raised inside :func:`precondition`: not the check's property, so not the check's hint.
        self.precondition = False


def fail(message: str, *, suspects: Any = (), **counterexample: Any) -> NoReturn:
    """Fail the check with ``message``; keyword arguments describe the counterexample.

    ``suspects``: ids of checks (of other functions) that own the property this
    counterexample breaks, most likely first; when one of them fails too, this
    failure is reported as probably caused by it.  (Typed ``Any`` so that checks may
    pass their counterexample as ``**dict[str, object]``; it must be strings.)
    """
    for key in counterexample:
        problem = counterexample_key_problem(key)
        if problem:
            raise ValueError(f"fail() was given the counterexample key {key!r}: {problem}")
    raise CheckFailed(message, {key: plain(value) for key, value in counterexample.items()},
                      suspect_ids(suspects))


def suspect_ids(suspects: Any) -> tuple[str, ...]:
    """``suspects`` as :func:`check` and :func:`fail` take them (one check id, or a sequence of ids) as a tuple;
    ``ValueError`` for anything that is not a check id."""
    items = (suspects,) if isinstance(suspects, str) else tuple(suspects)
    for item in items:
        if not isinstance(item, str) or "." not in item:
            raise ValueError(f"suspects must be check ids (a function's name, a dot and a property), got {item!r}")
    return items


#: Keys that read like the reports' own but are not: what to write instead.
_MISREAD_KEYS = {"result": "returned", "results": "returned", "returns": "returned", "return_value": "returned",
                 "actual": "returned", "got": "returned", "output": "returned", "outputs": "returned",
                 "expect": "expected", "expects": "expected", "expectation": "expected", "wanted": "expected",
                 "want": "expected", "correct": "expected", "after": "<input>_afterwards",
                 "afterwards": "<input>_afterwards"}


def counterexample_key_problem(key: str) -> str:
    """Why ``key`` cannot be a counterexample key of :func:`fail` ('' when it can; see the module's docstring)."""
    if key == "traceback":
        return "'traceback' is the grader's own (the student's traceback of an exception): choose another name"
    if key in _MISREAD_KEYS:
        return (f"reports would show it as an input; write {_MISREAD_KEYS[key]!r} for what it means "
                "(see the counterexample keys of grader.authoring)")
    if key.endswith("_after") or key.startswith(("return_", "returns_", "expect_", "expects_")):
        fixed = (key[: -len("_after")] + "_afterwards" if key.endswith("_after")
                 else "returned_" + key.split("_", 1)[1] if key.startswith("return") else
                 "expected_" + key.split("_", 1)[1])
        return f"reports would show it as an input; write {fixed!r} (see the counterexample keys of grader.authoring)"
    return ""


def fail_keys(test: Callable[..., Any]) -> Iterator[tuple[str, int]]:
    """The keyword names (with their line) that ``test``'s own source passes to ``fail(...)``: what
    configuration loading can know of a check's counterexamples before it runs."""
    try:
        lines, first = inspect.getsourcelines(test)
        tree = ast.parse(textwrap.dedent("".join(lines)))
    except (OSError, TypeError, SyntaxError):
        return
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "fail":
            for keyword in node.keywords:
                if keyword.arg is not None and keyword.arg != "suspects":
                    yield keyword.arg, first + node.lineno - 1


#: The most numbers, items or characters of one value a counterexample or report stores; larger is summarised.
SHOWN_LIMIT = 10_000


def _summary(value: Any) -> Optional[str]:
    """A short description standing for a value too large to store (``None``: store it)."""
    if isinstance(value, np.ndarray):
        slots = int(np.prod([max(size, 1) for size in value.shape], dtype=object))
        if value.size > SHOWN_LIMIT or slots > SHOWN_LIMIT:
            return f"<{describe(value)} with {value.size} elements: too large to show>"
    elif isinstance(value, (list, tuple)) and len(value) > SHOWN_LIMIT:
        return f"<a {type(value).__name__} of {len(value)} items: too large to show>"
    elif isinstance(value, dict) and len(value) > SHOWN_LIMIT:
        return f"<a dict of {len(value)} items: too large to show>"
    elif isinstance(value, str) and len(value) > SHOWN_LIMIT:
        return value[:SHOWN_LIMIT] + f"... ({len(value)} characters in all)"
    return None


#: The marks around a number counted from 0 in a message (private-use characters no text holds), and the key of a
#: counterexample value whose whole numbers are counted from 0: both resolved by :func:`count_from`.
_INDEX_MARK = re.compile("\ue000(-?\\d+)\ue001")
_INDICES_KEY = "\ue000indices"


def index(number: Any) -> str:
    """``number``, counted from 0 (a row, a sample, a class, a label's value), for a message: the report shows it
    the way the student's language counts (see the module docstring and :func:`count_from`)."""
    return f"\ue000{int(number)}\ue001"


@dataclass(frozen=True)
class Indices:
    """A counterexample value whose whole numbers are counted from 0 (see :func:`indices`)."""

    values: Any


def indices(values: Any) -> Indices:
    """``values`` (an array or list of labels, classes, rows...) marked as counted from 0, for a counterexample:
    the report shows them the way the student's language counts (see :func:`count_from`)."""
    return Indices(values)


def count_from(value: Any, base: int) -> Any:
    """``value`` (a message, or a plain counterexample) with what :func:`index` and :func:`indices` marked counted
    from ``base`` (0 in Python and C, 1 in Fortran: see :attr:`grader.student.Runner.index_base`) and unmarked."""
    if isinstance(value, str):
        return _INDEX_MARK.sub(lambda found: str(int(found[1]) + base), value)
    if isinstance(value, dict):
        if set(value) == {_INDICES_KEY}:
            return _shifted(value[_INDICES_KEY], base)
        return {key: count_from(item, base) for key, item in value.items()}
    if isinstance(value, list):
        return [count_from(item, base) for item in value]
    return value


def _shifted(value: Any, base: int) -> Any:
    """Every whole number of ``value`` (plain data) plus ``base``; anything else (a summary, "nan") as it is."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value + base
    if isinstance(value, list):
        return [_shifted(item, base) for item in value]
    return value


@contextmanager
def precondition() -> Iterator[None]:
    """Mark what fails inside as a failure of what the check needs before it tests its property (e.g. a correct
    result before "leaves its inputs unchanged"): the report then shows it without the check's hint, which
    speaks to the property.  Exceptions go through unchanged otherwise."""
    try:
        yield
    except Exception as failure:
        failure.precondition = True  # type: ignore[attr-defined]
        raise


def plain(value: Any) -> Any:
    """A JSON-ready copy of ``value``: arrays become lists, non-finite floats become strings.

    Bounded: an array, list, dict or string larger than :data:`SHOWN_LIMIT` (an empty array whose
    shape counts more slots, too) is stored as a short description, so a counterexample holding a
    huge value costs no more than one holding a small one.
    """
    if isinstance(value, Indices):
        return {_INDICES_KEY: plain(value.values)}
    summary = _summary(value)
    if summary is not None:
        return summary
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
    return repr(value)[:SHOWN_LIMIT]


_KIND_NAMES = {"b": "boolean", "i": "integer", "u": "integer", "f": "float"}


def describe(value: Any, *, whole: bool = False) -> str:
    """A short description of a returned value, for messages: 'a list of 3 str', 'None'...  ``whole``: the value
    is all a function returned, and ``None`` then says why it usually is (a function whose end has no ``return``)."""
    if value is None:
        return "None (nothing: does the function end with a `return` of its result?)" if whole else "None"
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
        fail(f"{function} returned {describe(value, whole=True)}{reason}, {expectation}", **(inputs or {}),
             returned=value)

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


def expect_float(value: Any, function: str, *, what: str, finite: bool = True,
                 inputs: Optional[dict[str, Any]] = None) -> float:
    """``value`` as a Python float (an int, a numpy number or a 0-d numpy array are accepted: the number
    computed), or fail saying what came back.  ``finite``: NaN and infinities fail too (``False`` lets them
    through, for checks that compare them, e.g. with :func:`same_values`)."""
    if isinstance(value, np.ndarray) and value.shape == () and value.dtype.kind in "iuf":
        value = value.item()
    if isinstance(value, np.generic) and not isinstance(value, np.bool_):
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        fail(f"{function} returned {describe(value)} as {what}, expected a number (a float)", **(inputs or {}),
             returned=value)
    number = float(value)
    if finite and not np.isfinite(number):
        fail(f"{function} returned {number!r} as {what}, expected a finite number", **(inputs or {}),
             returned=value)
    return number


def expect_bool(value: Any, function: str, *, what: str, inputs: Optional[dict[str, Any]] = None) -> bool:
    """``value`` as a Python bool (numpy's bool and a 0-d boolean array are accepted), or fail."""
    if isinstance(value, np.ndarray) and value.shape == () and value.dtype.kind == "b":
        value = value.item()
    if isinstance(value, np.bool_):
        value = bool(value)
    if not isinstance(value, bool):
        fail(f"{function} returned {describe(value)} as {what}, expected True or False", **(inputs or {}),
             returned=value)
    return value


def expect_tuple(value: Any, function: str, *, length: int, what: str = "its results",
                 inputs: Optional[dict[str, Any]] = None) -> tuple[Any, ...]:
    """``value`` as a tuple of ``length`` items (a list is accepted: ``return a, b`` and ``return [a, b]`` are the
    same contract), or fail saying what came back; check each item with the other ``expect_*``."""
    if not isinstance(value, (tuple, list)) or len(value) != length:
        fail(f"{function} returned {describe(value, whole=True)}, expected a tuple of {length} items ({what})",
             **(inputs or {}), returned=value)
    return tuple(value)


# The authoring library (grader/checklib/), one import away: ``from grader.authoring import design_matrices``.
from grader.checklib.calls import expect_inputs_untouched, expect_invariant, expect_reproducible  # noqa: E402
from grader.checklib.numeric import (  # noqa: E402
    Gradient,
    derived_tolerance,
    expect_close,
    finite_difference_gradient,
    first_difference,
    same_values,
)
from grader.checklib.strategies import design_matrices, float_arrays, grid_floats, labelled_datasets  # noqa: E402
from grader.precision import EPS, SINGLE_EPS, Rounding  # noqa: E402

__all__ += ["expect_float", "expect_bool", "expect_tuple", "suspect_ids", "counterexample_key_problem", "fail_keys",
            "expect_inputs_untouched", "expect_invariant", "expect_reproducible", "Gradient", "derived_tolerance",
            "expect_close", "finite_difference_gradient", "first_difference", "same_values", "design_matrices",
            "float_arrays", "grid_floats", "labelled_datasets", "EPS", "SINGLE_EPS", "Rounding"]
