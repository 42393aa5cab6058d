"""The interface between checks and student code, and what can go wrong in a call or in reading the code."""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass, field
from typing import Any, Iterator, Literal, Optional, Protocol, Sequence

#: Why a call of the student's code could not finish: a time limit (``timeout`` for the call, ``budget`` for
#: the whole submission), too much memory or output, the process crashed or exited, or it broke the protocol;
#: or why its answer is not taken: ``slow``, far slower than the reference on the same input (see
#: :mod:`grader.student._pace`).
AbortKind = Literal["timeout", "budget", "memory", "crash", "exit", "output", "protocol", "slow"]
#: The kinds that are time limits (the check's verdict is ``timeout``; every other kind gives ``crashed``).
TIME_LIMITS: tuple[AbortKind, ...] = ("timeout", "budget")


@dataclass(frozen=True)
class CallRecord:
    """One call of a student function: its name, plain arguments, and (when done) what came back."""

    function: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)


class StudentLoadError(Exception):
    """The student's module could not be loaded (syntax error, exception at import, missing file...)."""

    def __init__(self, message: str, *, details: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.details = details
        #: Set by the worker: the protections it had, and what the code printed before it failed.
        self.protections: dict[str, Any] = {}
        self.output = ""


class ExerciseLoadError(StudentLoadError):
    """The exercise's own trusted code that loads the submission (a compiled language's binding) failed: the
    instructor's error, never the student's.  A :class:`StudentLoadError`, so every place that gives up on a
    submission gives up on this one too; grading gives each check the verdict ``grader_error`` instead of
    blaming the student's code."""


class StudentRaised(Exception):
    """The student's function raised an exception.  An ordinary check failure, shrunk by Hypothesis.

    ``mro`` names the exception's classes, so a check can accept subclasses of what it expects.  ``absent``: the
    submission has no such function (or its name holds another value), whatever its language: a fact of the
    student's code, never an error of the exercise's binding.
    """

    def __init__(
        self, call: CallRecord, type_name: str, message: str, traceback: str = "", *, mro: tuple[str, ...] = (),
        absent: bool = False,
    ) -> None:
        super().__init__(f"{call.function} raised {type_name}: {message}")
        self.call = call
        self.type_name = type_name
        self.mro = mro or (type_name,)
        self.message = message
        self.traceback = traceback
        self.absent = absent


# The next two derive from BaseException on purpose: Hypothesis lets them through
# at once instead of shrinking, which would only repeat the same outcome (or wait
# for the same timeout) hundreds of times.


class NotImplementedYet(BaseException):
    """The student's function raised ``NotImplementedError``: the skeleton is not filled in yet.

    ``inner``: the function of the student's that raised it, when it is not the one called (a finished function
    calling one still to write); ``said``: its message, when it says more than the function's name."""

    def __init__(self, call: CallRecord, *, inner: Optional[str] = None, said: Optional[str] = None) -> None:
        super().__init__(f"{inner or call.function} is not implemented yet")
        self.call = call
        self.inner = inner
        self.said = said

    @property
    def sentence(self) -> str:
        """What the report says: "X is not implemented yet", then why in parentheses."""
        called = self.call.function
        why = [f"{called} calls it"] if self.inner else []
        why += [f"it raised NotImplementedError: {self.said}"] if self.said else []
        return f"{self.inner or called} is not implemented yet" + (f" ({'; '.join(why)})" if why else "")


class CallAborted(BaseException):
    """The call could not finish: timeout, crash, exit, memory... ``verdict`` says what happened."""

    def __init__(self, call: Optional[CallRecord], verdict: str, *, kind: AbortKind) -> None:
        super().__init__(verdict)
        self.call = call
        self.verdict = verdict
        self.kind: AbortKind = kind


class Student(Protocol):
    """Anything that can call a student's functions by name and return plain data."""

    #: What isolation protects this student's code ("none" in process; see the sandbox).
    protections: dict[str, Any]

    def call(self, function: str, *args: Any, **kwargs: Any) -> Any:
        """Call ``function(*args, **kwargs)``; returns plain data."""

    def call_with_args(self, function: str, *args: Any, **kwargs: Any) -> tuple[Any, tuple[Any, ...]]:
        """Like :meth:`call`, also returning the arguments as the function left them."""

    def output(self) -> str:
        """What the student's code printed so far (capped)."""

    def close(self) -> None:
        """Release the student's process or module."""


#: One call of a batch: the positional and the keyword arguments.
Call = tuple[tuple[Any, ...], dict[str, Any]]


def call_each(student: Any, function: str, calls: Sequence[Call]) -> Iterator[Any]:
    """The values of ``function(*args, **kwargs)`` for each ``(args, kwargs)`` of ``calls``, in order.

    Consumed like the calls made one by one: a call's exception is raised when its turn comes, and the
    calls after it are never examined.  For independent calls only (none may depend on what an earlier
    one returned or left behind): a student that supports it (``student.call_each``) may run them all in
    one round trip before their results are examined, stopping at the first that raises.
    """
    method = getattr(student, "call_each", None)
    if method is not None:
        return iter(method(function, calls))
    return (student.call(function, *args, **kwargs) for args, kwargs in calls)


#: What a source too deeply nested for Python's parser is, told to the student with what to do about it.
#: A line break as Python's tokenizer (and ``ast``'s line numbers) counts them: not the form feeds, vertical tabs
#: and Unicode separators ``str.splitlines`` also breaks at (a U+2028 pasted from a PDF into a comment).
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def source_lines(source: str, *, keepends: bool = False) -> list[str]:
    """The lines of ``source`` as Python numbers them (``ast`` line numbers index this list from 1)."""
    if keepends:
        return [line for line in re.split(r"(?<=\n)|(?<=\r)(?!\n)", source) if line]
    lines = _LINE_BREAK.split(source)
    if lines[-1] == "":  # a last line break ends the last line, as for str.splitlines
        lines.pop()
    return lines


#: A load of the submission that takes more processor time than this is not made again for a fresh state before
#: each check (see ``fresh_state`` of the students): module-level work would be paid again at every check.  The
#: first load, which also imports the libraries the submission uses (scipy, matplotlib...), is allowed
#: :data:`FRESH_FIRST_LOAD_MOST`: a submission whose first load took longer is never loaded again.
FRESH_LOAD_MOST = 0.25
FRESH_FIRST_LOAD_MOST = 2.0

TOO_DEEP = "nested too deeply for Python to read it: split that expression into several statements"


def parse_source(source: str | bytes, filename: str = "<unknown>") -> ast.Module:
    """``ast.parse``, raising SyntaxError (or ValueError, for a null byte) for every source Python cannot parse:
    for one nested too deeply (``a+a+...`` of 300,000 terms, 100,000 ``-`` signs) the parser raises
    RecursionError or MemoryError, which must not read as the grader's own failure or memory.  Python 3.10's
    crashes instead (a segmentation fault, on 8 MB of stack, from about 150,000 terms): there a statement of more
    than :data:`_MOST_OPERATORS` operators is refused before it is parsed."""
    if sys.version_info < (3, 11) and _too_many_operators(source):
        raise SyntaxError(TOO_DEEP)
    try:
        return ast.parse(source, filename=filename)
    except (RecursionError, MemoryError):
        raise SyntaxError(TOO_DEEP) from None


#: The most operators one statement may hold for :func:`parse_source` on Python 3.10 (each may nest the tree one
#: level deeper: ``a + a + ...``, ``a.b.c...``); no code written by hand comes near it.
_MOST_OPERATORS = 10_000
#: The operators that nest nothing: brackets, separators and assignments (a long list of numbers is flat).
_FLAT = frozenset({"(", ")", "[", "]", "{", "}", ",", ":", ";", "=", "->"})


def _too_many_operators(source: str | bytes) -> bool:
    """Whether a statement of ``source`` holds more than :data:`_MOST_OPERATORS` operators (a source whose
    tokens cannot be read is left to the parser, which names the error)."""
    import io
    import tokenize

    if len(source) < _MOST_OPERATORS:
        return False
    if isinstance(source, bytes):
        tokens = tokenize.tokenize(io.BytesIO(source).readline)
    else:
        tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    count = 0
    try:
        for token in tokens:
            if token.type == tokenize.NEWLINE:
                count = 0
            elif token.type == tokenize.OP and token.string not in _FLAT:
                count += 1
                if count > _MOST_OPERATORS:
                    return True
    except (tokenize.TokenError, SyntaxError, ValueError):
        pass
    return False
