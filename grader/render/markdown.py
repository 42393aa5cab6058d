"""The report as Markdown (``report.md``), its figures as PNG files next to it.

Everything the student controls (their output, exception messages, returned
values) is escaped: prose with backslashes and entities, values in code fences
longer than any run of backticks they contain.
"""

from __future__ import annotations

import re
from typing import Optional

from grader.plugin import plugin_of
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
    showcase_view,
    split_example,
    verdict_mark,
)
from grader.render.figures import Image, ReportFigures
from grader.results import CheckResult, ExerciseResult, Report

__all__ = ["render_markdown", "escape_markdown"]

#: Longest value printed in full: a minimal counterexample always fits, a huge return value does not.
_LONGEST = 5000
_MARKS = {"PASS": "✅ pass", "FAIL": "❌ fail", "TODO": "⏳ todo", "ERROR": "⚠️ grader error"}
# Characters that start emphasis, code, links, HTML, tables, entities or maths anywhere in a line...
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&$])")
# ... and those that only matter at the start of a line (headings, lists, quotes, rules).
_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])")


def escape_markdown(text: str) -> str:
    """``text`` shown literally in Markdown prose: no emphasis, link, HTML or line structure survives."""
    text = _SPECIAL.sub(r"\\\1", clean(text).replace("\r", " ").replace("\n", " "))
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2) if m.group(2)[0] in "#>+=-"
                           else m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], text)


def _fence(text: str, info: str = "text") -> list[str]:
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence + info, clean(text), fence]


def _example_block(check: CheckResult) -> list[str]:
    example = split_example(check.counterexample)
    body = example_lines(example, limit=_LONGEST, fixed=check.fixed_example)
    lines = _fence("\n".join(body)) if body else []
    if example.traceback:
        lines += ["", "Where in your code:", ""] + _fence(example.traceback)
    return lines


def _image(image: Optional[Image], folder: str) -> list[str]:
    if image is None:
        return []
    lines = ["", f"![{escape_markdown(image.alt)}]({folder}/{image.name})"]
    if image.caption:
        lines += ["", f"*{escape_markdown(image.caption)}*"]
    return lines


def _failure(exercise: ExerciseResult, check: CheckResult, figures: ReportFigures, folder: str) -> list[str]:
    # A consequence of another failure is a sub-heading of it, marked as such.
    level = "#####" if check.caused_by else "####"
    lines = ["", f"{level} ❌ {escape_markdown(check.title)} (`{check.id}`)", ""]
    if check.caused_by:
        lines += [f"*{cause_text(check)}*", ""]
    lines += [escape_markdown(check.message or check.verdict), ""]
    lines += _example_block(check)
    lines += _image(figures.checks.get((exercise.id, check.id)), folder)
    if check.hint:
        lines += ["", f"> **{hint_label(check, capital=True)}:** {escape_markdown(check.hint)}"]
    after = consequences_text(exercise, check)
    if after:
        lines += ["", f"**{after}**"]
    return lines


def _showcase(exercise: ExerciseResult, figures: ReportFigures, folder: str) -> list[str]:
    view = showcase_view(exercise.showcase, plugin_of(exercise))
    if view is None:
        return []
    lines = ["", f"### {escape_markdown(view.title)}"]
    lines += [line for message in view.messages for line in ("", escape_markdown(message))]
    for run, messages in view.runs:
        name = str(run.get("file", ""))
        lines += ["", f"**{escape_markdown(name)}**"]
        lines += [line for message in messages for line in ("", escape_markdown(message))]
        lines += _image(figures.showcase.get((exercise.id, name)), folder)
    return lines


def _exercise(exercise: ExerciseResult, figures: ReportFigures, folder: str) -> list[str]:
    language = f" ({LANGUAGE_NAMES.get(exercise.language, exercise.language)})" if exercise.language != "python" else ""
    lines = ["", f"## {escape_markdown(exercise.title)}{language}: {points_text(exercise.score)}/"
                 f"{points_text(exercise.max_score)}"]
    if exercise.status != "graded":
        what = "Not submitted" if exercise.status == "missing" else "Your code could not be loaded"
        lines += ["", f"**{what}:**", ""] + _fence(exercise.error or exercise.status)
    lines += [line for note in exercise.notes for line in ("", f"*Note: {escape_markdown(note)}.*")]
    broken = grader_error_note(exercise)
    if broken:
        lines += ["", f"**Grader error:** {escape_markdown(broken)}."]
    if exercise.checks:
        lines += ["", "| | check | points |", "|---|---|---:|"]
        for check in exercise.checks:
            hidden = " (hidden)" if check.hidden else ""
            lines.append(f"| {_MARKS[verdict_mark(check)]} | {escape_markdown(check.title)}{hidden} | "
                         f"{points_text(check.points)}/{points_text(check.max_points)} |")
    if exercise.hidden_not_run:
        lines += ["", escape_markdown(f"{exercise.hidden_not_run} hidden checks worth "
                                      f"{points_text(exercise.hidden_points_not_run)} points will also run "
                                      "at grading time.")]
    missing = missing_functions(exercise)
    if missing:
        lines += ["", "### Not implemented yet", ""] + [f"- {escape_markdown(item.sentence())}" for item in missing]
    wrong = failures(exercise)
    if wrong:
        lines += ["", "### What went wrong"]
        for check in wrong:
            lines += _failure(exercise, check, figures, folder)
    if exercise.advice:
        lines += ["", "### Compiler warnings (advice, not scored)", ""] + _fence(exercise.advice)
    return lines + _showcase(exercise, figures, folder)


def render_markdown(report: Report, figures: Optional[ReportFigures] = None, *, image_folder: str = "figures") -> str:
    """``report`` as Markdown; figures are referenced as ``image_folder/NAME.png`` (written by the caller)."""
    figures = figures or ReportFigures()
    who = report.name or report.student or "your submission"
    lines = [f"# Report: {escape_markdown(who)}", "",
             f"**Score: {points_text(report.score)}/{points_text(report.max_score)}**"]
    lines += [f"\n> Note: {escape_markdown(note)}" for note in report.notes]
    for exercise in report.exercises:
        lines += _exercise(exercise, figures, image_folder)
    if report.output:
        lines += ["", "## Output of your code", ""] + _fence(report.output)
    if figures.notes:
        lines += ["", "## Notes", ""] + [f"- {escape_markdown(note)}" for note in figures.notes]
    lines += ["", "---", "", escape_markdown(f"grader {report.grader_version}, seed {report.seed}, "
                                             f"total time {report.timing.get('total', 0):g} s")]
    return "\n".join(lines) + "\n"
