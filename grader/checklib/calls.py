"""Properties checked by calling the student's code: inputs left untouched, the same result for the same seed,
invariance under a change of the inputs.

Each helper calls ``student`` as a check does (``student.call``...), fails with a message in the student's
terms and a counterexample the reports read, and returns what the student's code returned, so that the check
can go on to require a correct result as well.
"""

from __future__ import annotations

from typing import Any, Callable, Optional, Sequence

import numpy as np

from grader.authoring import CheckContext, fail
from grader.checklib.numeric import expect_close, same_values
from grader.student import call_each

__all__ = ["expect_inputs_untouched", "expect_reproducible", "expect_invariant"]


def _names(args: Sequence[Any], names: Optional[Sequence[str]]) -> list[str]:
    given = list(names or ())
    return given + [f"argument {i + 1}" for i in range(len(given), len(args))]


def expect_inputs_untouched(student: Any, function: str, *args: Any, names: Optional[Sequence[str]] = None,
                            suspects: Sequence[str] = (), **kwargs: Any) -> Any:
    """Call ``function(*args, **kwargs)`` and fail when it modified one of its array or list arguments; return
    what it returned.  ``names`` name the positional arguments in messages and in the counterexample (the
    modified one also as ``<name>_afterwards``).  NaN in an input left as NaN is untouched."""
    returned, after = student.call_with_args(function, *args, **kwargs)
    labels = _names(args, names)
    inputs = {label.replace(" ", "_"): value for label, value in zip(labels, args)}
    for label, sent, now in zip(labels, args, after):
        if isinstance(sent, (np.ndarray, list)) and not same_values(np.asarray(now) if isinstance(sent, np.ndarray)
                                                                    and isinstance(now, list) else now, sent):
            fail(f"{function} modified the {label} it was given: work on a copy (e.g. {label.split()[0]}.copy())",
                 **inputs, **{f"{label.replace(' ', '_')}_afterwards": now}, suspects=tuple(suspects))
    return returned


def expect_reproducible(student: Any, function: str, *args: Any, inputs: Optional[dict[str, Any]] = None,
                        suspects: Sequence[str] = (), **kwargs: Any) -> Any:
    """Call ``function(*args, **kwargs)`` twice (the arguments hold a :class:`grader.wire.Rng`: a generator
    seeded alike both times) and fail unless both results are the same values, NaN equal to NaN; return the
    first."""
    first, second = call_each(student, function, [(args, kwargs), (args, kwargs)])
    if not same_values(first, second):
        fail(f"{function} gave different results for two generators made with the same seed: draw every random "
             "number from the generator you are given, never from np.random or the clock",
             **(inputs or {}), returned=first, returned_second_time=second, suspects=tuple(suspects))
    return first


def expect_invariant(student: Any, function: str, args: Sequence[Any], changed: Sequence[Any], *, what: str,
                     expected: Callable[[Any], Any] = lambda value: value, terms: float = 1,
                     scale: Optional[float] = None, context: Optional[CheckContext] = None, inputs: Optional[dict[str, Any]] = None,
                     suspects: Sequence[str] = ()) -> tuple[Any, Any]:
    """Call ``function(*args)`` and ``function(*changed)`` (the same inputs after a change that must not matter:
    ``what`` says which, e.g. "the rows of x permuted") and fail unless the second result is ``expected(first)``
    within the derived tolerance (see :func:`grader.checklib.numeric.expect_close`: ``terms`` and ``scale``, the
    magnitude of the values computed with, e.g. of the changed inputs); return both results.

    Results are compared as float arrays: check their type and shape first (``expect_array``...).
    """
    first, second = call_each(student, function, [(tuple(args), {}), (tuple(changed), {})])
    want = expected(np.asarray(first, dtype=float))
    expect_close(np.asarray(second, dtype=float), want, function, terms=terms, scale=scale, context=context,
                 what=f"after {what}, the result", inputs=inputs, suspects=suspects)
    return first, second
