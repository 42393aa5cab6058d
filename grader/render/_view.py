"""What every rendering shows the same way: failures grouped, counterexamples split, values printed compactly.

A counterexample is a plain dict written by a check (see :mod:`grader.authoring`):
the inputs of the failing call (``data``, ``x``, ``eps``...),
``returned`` (what the student's code gave back), ``expected`` (what it should
have), and for an exception the ``function`` called with its ``args`` and the
student's ``traceback``.  Renderers show these groups with the course's words.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Optional

from grader.plugin import DEFAULT_PLUGIN, ExercisePlugin
from grader.results import GRADER_ERROR_NOTE, NOT_IMPLEMENTED_YET, CheckResult, ExerciseResult

__all__ = ["LANGUAGE_NAMES", "Missing", "Example", "ShowcaseView", "missing_functions", "failures", "consequences",
           "cause_text", "consequences_text", "split_example", "example_lines", "showcase_view", "format_value",
           "clean", "clean_line", "points_text", "verdict_mark", "grader_error_note"]

_NON_FINITE = ("nan", "inf", "-inf")
# Control characters (terminal escapes...) and the invisible marks that reorder text on screen (bidirectional
# overrides, as in "Trojan Source"): what the student controls never rearranges what the reader sees.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile("[\n\t\u2028\u2029\x85]")


#: How reports name the languages of submissions.
LANGUAGE_NAMES = {"python": "Python", "c": "C", "fortran": "Fortran"}


def _visible(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(text: str) -> str:
    """``text`` with control characters (terminal escapes...) and bidirectional marks made visible, so printing
    it is harmless; line breaks and tabs are kept."""
    return _CONTROL.sub(_visible, str(text))


def clean_line(text: str) -> str:
    """``text`` made harmless (see :func:`clean`) on one line: line breaks and tabs are shown as escapes too, so a
    name or note cannot start a line of its own (a fake line of a log or summary)."""
    return _LINE_BREAKS.sub(_visible, clean(text))


def points_text(value: float) -> str:
    return f"{value:g}"


def verdict_mark(check: CheckResult) -> str:
    """PASS, FAIL, TODO for a function not implemented yet, or ERROR when the check itself broke (``grader_error``:
    the exercise's fault, never shown as the student's failure)."""
    if check.passed:
        return "PASS"
    if check.verdict == "grader_error":
        return "ERROR"
    return "TODO" if check.verdict == "not_implemented" else "FAIL"


def grader_error_note(exercise: ExerciseResult) -> str:
    """The sentence every report says once when checks of ``exercise`` broke ("" when none did)."""
    count = len(exercise.grader_errors)
    return GRADER_ERROR_NOTE.format(count=count) if count else ""


@dataclass(frozen=True)
class Missing:
    """A function not implemented yet, and the checks that wait for it."""

    function: str
    checks: tuple[CheckResult, ...]

    @property
    def points(self) -> float:
        return float(sum(check.max_points for check in self.checks))

    def sentence(self) -> str:
        count = len(self.checks)
        # Why, as the checks said it in parentheses ("fit calls it", "delete its NOT_IMPLEMENTED; statement
        # once you have written it"), each once.
        why = dict.fromkeys(check.message[len(self.function + NOT_IMPLEMENTED_YET + " ("):-1] for check in self.checks
                            if check.message.startswith(self.function + NOT_IMPLEMENTED_YET + " (")
                            and check.message.endswith(")"))
        return (f"{self.function} is not implemented yet: {count} check{'s' if count != 1 else ''} "
                f"({points_text(self.points)} point{'s' if self.points != 1 else ''}) wait for it"
                + "".join(f"; {reason}" for reason in why))



def missing_functions(exercise: ExerciseResult) -> tuple[Missing, ...]:
    """One entry per function not implemented yet, in the order of the checks."""
    grouped: dict[str, list[CheckResult]] = {}
    for check in exercise.checks:
        if check.verdict == "not_implemented":
            # What is missing, as the check said it ("X is not implemented yet", then why in parentheses):
            # usually the check's function; a function it calls that is still to write; for a whole program,
            # the part of it that is not written (its main loop).
            subject = check.message.split(NOT_IMPLEMENTED_YET, 1)[0] if NOT_IMPLEMENTED_YET in check.message else ""
            grouped.setdefault(subject or check.function, []).append(check)
    return tuple(Missing(function, tuple(checks)) for function, checks in grouped.items())


def _explained(exercise: ExerciseResult) -> list[CheckResult]:
    return [check for check in exercise.checks if not check.passed and check.verdict != "not_implemented"]


def failures(exercise: ExerciseResult) -> tuple[CheckResult, ...]:
    """Failed checks worth explaining one by one (not-implemented ones are said once per function), root causes
    first: each failure probably caused by another (``caused_by``) comes right after it."""
    explained = _explained(exercise)
    shown = {check.id for check in explained}
    ordered: list[CheckResult] = []
    for check in explained:
        if check.caused_by in shown:
            continue
        ordered.append(check)
        ordered += [other for other in explained if other.caused_by == check.id]
    return tuple(ordered)


def consequences(exercise: ExerciseResult, check: CheckResult) -> tuple[CheckResult, ...]:
    """The failures probably caused by ``check`` failing."""
    return tuple(other for other in _explained(exercise) if other.caused_by == check.id)


def cause_text(check: CheckResult) -> str:
    """"probably caused by `assign.nearest_center` failing", or "" when the failure has no known cause."""
    return f"probably caused by `{check.caused_by}` failing" if check.caused_by else ""


def hint_label(check: CheckResult, *, capital: bool = False) -> str:
    """What introduces the hint of a failure: "hint", or for a failure probably caused by another, "hint, if
    fixing `assign.nearest_center` does not fix this" (its hint is about its own property, which the cause
    breaks anyway: read alone, it would send the student to the wrong place)."""
    word = "Hint" if capital else "hint"
    return f"{word}, if fixing `{check.caused_by}` does not fix this" if check.caused_by else word


def consequences_text(exercise: ExerciseResult, check: CheckResult) -> str:
    """What else probably fails because of ``check`` ("" when nothing)."""
    others = consequences(exercise, check)
    if not others:
        return ""
    names = ", ".join(f"`{other.id}`" for other in others)
    return (f"{len(others)} other failing check{'s' if len(others) > 1 else ''} probably fail{'' if len(others) > 1 else 's'} "
            f"because of this one: {names} (shown after it); fix this one first")


@dataclass(frozen=True)
class Example:
    """A counterexample split for display: ``(name, value)`` pairs per group."""

    call: str
    inputs: tuple[tuple[str, Any], ...]
    returned: tuple[tuple[str, Any], ...]
    expected: tuple[tuple[str, Any], ...]
    traceback: str

    def __bool__(self) -> bool:
        return bool(self.call or self.inputs or self.returned or self.expected or self.traceback)


def returned_label(name: str) -> str:
    """How a returned-value key reads: 'your code returned', 'your code left data as'..."""
    if name == "returned":
        return "your code returned"
    if name.endswith("_afterwards"):
        return f"your code left {name[: -len('_afterwards')]} as"
    return f"your code returned ({name.replace('returned_', '')})"


def expected_label(name: str) -> str:
    return "expected" if name == "expected" else f"expected ({name.replace('expected_', '')})"


def _call_text(counterexample: dict[str, Any], limit: Optional[int]) -> str:
    args = [format_value(arg, limit=limit) for arg in counterexample.get("args") or []]
    kwargs = counterexample.get("kwargs") or {}
    if isinstance(kwargs, dict):
        args += [f"{key}={format_value(value, limit=limit)}" for key, value in kwargs.items()]
    return f"{counterexample.get('function')}({', '.join(args)})"


def split_example(counterexample: Optional[dict[str, Any]], *, limit: Optional[int] = None) -> Example:
    """Group the keys of a counterexample into the call, the inputs, what came back and what was expected."""
    counterexample = counterexample or {}
    call = _call_text(counterexample, limit) if "function" in counterexample and "args" in counterexample else ""
    inputs, returned, expected = [], [], []
    for key, value in counterexample.items():
        if key in ("traceback", "function", "args", "kwargs") and (call or key == "traceback"):
            continue
        if key.startswith("returned") or key.endswith("_afterwards"):
            returned.append((key, value))
        elif key.startswith("expected"):
            expected.append((key, value))
        else:
            inputs.append((key, value))
    return Example(call=call, inputs=tuple(inputs), returned=tuple(returned), expected=tuple(expected),
                   traceback=str(counterexample.get("traceback") or ""))


#: Significant digits a computed float is shown with at first: more only when two values would look the same.
_FEW_DIGITS = 6


def _format(value: Any, nested: bool, digits: Optional[int] = None) -> str:
    if value is None:
        return "None"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and digits is not None:
        return _short_float(value, digits)
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        # Non-finite numbers are stored as strings in JSON; inside arrays they read as numbers.
        return value if (value in _NON_FINITE or not nested) else repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_format(item, True, digits) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_format(item, True, digits)}" for key, item in value.items()) + "}"
    return repr(value)


def _short_float(value: float, digits: int) -> str:
    """``value`` with at most ``digits`` significant digits (and never fewer than its whole part and one decimal, so
    that a rounded number does not read as a whole one), as Python would print the rounded number."""
    if math.isfinite(value) and 1 <= abs(value) < 1e15:
        digits = max(digits, len(str(int(abs(value)))) + 1)
    text = f"{value:.{digits}g}"
    text = repr(float(text)) if "e" not in text and math.isfinite(value) else text
    return repr(value) if len(repr(value)) <= len(text) else text  # exact when no longer


def _floats(value: Any) -> list[float]:
    if isinstance(value, float):
        return [value]
    if isinstance(value, (list, tuple)):
        return [item for inner in value for item in _floats(inner)]
    if isinstance(value, dict):
        return [item for inner in value.values() for item in _floats(inner)]
    return []


def _digits(example: "Example") -> int:
    """The fewest significant digits (from a few) that keep every two different floats of the example apart: what
    came back, what was expected, and the inputs (shown exactly), so that no difference becomes invisible."""
    shown = [value for group in (example.returned, example.expected) for _, value in group]
    computed = sorted(set(_floats(shown)))
    exact = {repr(value) for _, value in example.inputs for value in _floats(value)}
    for digits in range(_FEW_DIGITS, 17):
        texts = [_short_float(value, digits) for value in computed]
        if len(set(texts)) == len(texts) and not any(
                text in exact and text != repr(value) for text, value in zip(texts, computed)):
            return digits
    return 17


def format_value(value: Any, *, limit: Optional[int] = None, digits: Optional[int] = None) -> str:
    """``value`` on one line, like Python prints it (floats with ``digits`` significant digits when given); cut to
    ``limit`` characters when given."""
    text = clean(_format(value, False, digits))
    if limit is not None and len(text) > limit:
        return f"{text[: max(limit - 30, 10)]} ... ({len(text)} characters in all)"
    return text


def example_lines(example: Example, *, limit: Optional[int] = None, fixed: bool = False) -> list[str]:
    """The counterexample as aligned text lines: the inputs, what came back, what was expected.  ``fixed``: the
    check's only example (see :attr:`CheckResult.fixed_example`), not the smallest found."""
    lines: list[str] = []
    if example.call or example.inputs:
        lines.append("the check's example:" if fixed else "smallest example found:")
        if example.call:
            lines.append(f"  call: {example.call}")
        width = max((len(name) for name, _ in example.inputs), default=0)
        lines += [f"  {name.ljust(width)} = {format_value(value, limit=limit)}" for name, value in example.inputs]
    pairs = [(returned_label(name), value) for name, value in example.returned]
    pairs += [(expected_label(name), value) for name, value in example.expected]
    width = max((len(label) for label, _ in pairs), default=0)
    # Inputs are shown exactly (to run the example again); computed values with the digits that tell them apart.
    digits = _digits(example)
    lines += [f"{(label + ':').ljust(width + 1)} {format_value(value, limit=limit, digits=digits)}"
              for label, value in pairs]
    return lines


@dataclass(frozen=True)
class ShowcaseView:
    """The run on the course data as shown: general messages, then each run with its own messages."""

    title: str
    messages: tuple[str, ...]
    runs: tuple[tuple[dict[str, Any], tuple[str, ...]], ...]


def showcase_view(showcase: Optional[dict[str, Any]],
                  plugin: ExercisePlugin = DEFAULT_PLUGIN) -> Optional[ShowcaseView]:
    """What to say about the student's run on the course data (each run in ``plugin``'s words); one message
    when every run failed the same way."""
    if not showcase:
        return None
    title = str(showcase.get("title") or "your code on the course data")
    title = title[:1].upper() + title[1:]
    runs = [run for run in showcase.get("runs", []) if isinstance(run, dict)]
    if showcase.get("error"):
        return ShowcaseView(title, (str(showcase["error"]),), ())
    errors = {str(run.get("error")) for run in runs if run.get("error")}
    if runs and len(errors) == 1 and all(run.get("error") for run in runs):
        return ShowcaseView(title, (f"Could not run your code on the course data: {errors.pop()}",), ())
    shown = []
    for run in runs:
        if run.get("error"):
            messages: tuple[str, ...] = (f"Could not run your code on this file: {run['error']}",)
        else:
            messages = tuple(plugin.showcase_lines(run))
        shown.append((run, messages))
    return ShowcaseView(title, (), tuple(shown))
