"""The report as the student reads it in a terminal: one line per check, then what failed and why."""

from __future__ import annotations

from typing import Optional

from grader.render._view import (
    LANGUAGE_NAMES,
    cause_text,
    clean,
    consequences_text,
    example_lines,
    failures,
    hint_label,
    grader_error_note,
    missing_functions,
    points_text,
    split_example,
    verdict_mark,
)
from grader.results import CheckResult, ExerciseResult, Report

__all__ = ["render_text"]

_TINTS = {"PASS": "green", "FAIL": "red", "TODO": "yellow", "ERROR": "cyan"}
_COLOURS = {"green": "32", "red": "31", "yellow": "33", "bold": "1", "dim": "2", "cyan": "36"}
#: Longest value printed without --verbose: a minimal counterexample fits, a 200-point dataset does not.
_SHORT = 300


def _paint(text: str, colour: str, enabled: bool) -> str:
    return f"\033[{_COLOURS[colour]}m{text}\033[0m" if enabled else text


def _indented(text: str, prefix: str) -> list[str]:
    return [prefix + line for line in clean(text).splitlines()] or [prefix]


def _failure_lines(exercise: ExerciseResult, check: CheckResult, *, colour: bool, verbose: bool) -> list[str]:
    lines = _one_failure(exercise, check, colour=colour, verbose=verbose)
    # A consequence of another failure is shown indented under it.
    return ["  " + line if check.caused_by and line else line for line in lines]


def _one_failure(exercise: ExerciseResult, check: CheckResult, *, colour: bool, verbose: bool) -> list[str]:
    limit: Optional[int] = None if verbose else _SHORT
    mark = verdict_mark(check)
    header = f"  {_paint(mark, _TINTS[mark], colour)} {check.title}"
    lines = [header + _paint(f"  [{check.id}]", "dim", colour)]
    if check.caused_by:
        lines.append(_paint(f"    ({cause_text(check)})", "yellow", colour))
    lines += _indented(check.message or check.verdict, "    ")
    example = split_example(check.counterexample, limit=limit)
    lines += ["    " + line for line in example_lines(example, limit=limit, fixed=check.fixed_example)]
    if example.traceback:
        if verbose:
            lines.append("    traceback (your code):")
            lines += _indented(example.traceback, "      ")
        else:
            lines.append(_paint("    (--verbose shows where in your code)", "dim", colour))
    if check.hint:
        lines.append(_paint(f"    {hint_label(check)}: ", "cyan", colour) + clean(check.hint))
    if verbose:
        lines.append(_paint(f"    verdict: {check.verdict}, {check.duration:g} s", "dim", colour))
    after = consequences_text(exercise, check)
    if after:
        lines += _indented(after, "    ")
    return lines


def _exercise_lines(exercise: ExerciseResult, *, colour: bool, verbose: bool) -> list[str]:
    language = f", {LANGUAGE_NAMES.get(exercise.language, exercise.language)}" if exercise.language != "python" else ""
    lines = [_paint(f"{exercise.title} ({exercise.id}{language})", "bold", colour)]
    if exercise.status != "graded":
        what = "not submitted" if exercise.status == "missing" else "your code could not be loaded"
        lines.append("  " + _paint(what + ":", "red", colour))
        lines += _indented(exercise.error or exercise.status, "    ")
    lines += [_paint(f"  note: {clean(note)}", "dim", colour) for note in exercise.notes]
    broken = grader_error_note(exercise)
    if broken:
        lines.append("  " + _paint(f"GRADER ERROR: {broken}", "cyan", colour))
    width = max((len(check.title) for check in exercise.checks), default=0)
    marks = max((len(verdict_mark(check)) for check in exercise.checks), default=4)
    for check in exercise.checks:
        mark = verdict_mark(check)
        hidden = " [hidden]" if check.hidden else ""
        lines.append(f"  {_paint(mark.ljust(marks), _TINTS[mark], colour)}  {check.title.ljust(width)}  "
                     f"{points_text(check.points)}/{points_text(check.max_points)}{hidden}")
    missing = missing_functions(exercise)
    if missing:
        lines.append("")
        lines += ["  " + _paint("TODO", "yellow", colour) + " " + item.sentence() for item in missing]
    for check in failures(exercise):
        lines.append("")
        lines += _failure_lines(exercise, check, colour=colour, verbose=verbose)
    if exercise.advice:
        shown = exercise.advice.splitlines()
        cut = [] if verbose or len(shown) <= 12 else [f"[... {len(shown) - 12} more lines: --verbose shows them]"]
        lines.append("")
        lines.append("  " + _paint("compiler warnings (advice, not scored):", "yellow", colour))
        lines += _indented("\n".join((shown if verbose else shown[:12]) + cut), "  | ")
    lines.append("")
    lines.append(f"  score: {points_text(exercise.score)}/{points_text(exercise.max_score)}")
    if exercise.hidden_not_run:
        count = exercise.hidden_not_run
        lines.append(_paint(
            f"  + {count} hidden check{'s' if count != 1 else ''} worth {points_text(exercise.hidden_points_not_run)} "
            "point(s) will also run at grading time", "dim", colour))
    return lines


def _details(report: Report) -> list[str]:
    lines = [f"grader {report.grader_version}, seed {report.seed}"]
    lines += [f"  sandbox {key}: {clean(str(value))}" for key, value in report.sandbox.items()]
    lines += [f"  time {key}: {value:g} s" for key, value in report.timing.items()]
    return lines


def render_text(report: Report, *, colour: bool = False, verbose: bool = False) -> str:
    """The whole report as text; ``colour`` adds ANSI colours, ``verbose`` full values, tracebacks and output."""
    lines: list[str] = [_paint("note: ", "cyan", colour) + clean(note) for note in report.notes]
    if lines:
        lines.append("")
    for exercise in report.exercises:
        lines += _exercise_lines(exercise, colour=colour, verbose=verbose)
        lines.append("")
    if verbose:
        if report.output:
            lines += ["output of your code:"] + _indented(report.output, "  | ") + [""]
        lines += _details(report) + [""]
    total = f"total: {points_text(report.score)}/{points_text(report.max_score)}"
    lines.append(_paint(total, "green" if report.passed else "red", colour))
    return "\n".join(lines)
