"""The report for GitHub Actions: the job log, the step summary, annotations and GitHub Classroom's points.

A workflow's log is also a command channel: the runner acts on any line that
starts (after leading blanks) with ``::`` (``::error::``, ``::add-mask::``,
``::set-output``, ``::stop-commands::``...) or that contains ``##[``.  Everything
the student controls — what their code printed, exception messages, values in a
counterexample — passes through :func:`defuse` before it reaches the log or a
place that prints it, and the report is printed between ``::stop-commands::``
and a random resume token as a second wall.  Only the grader's own annotations
come after it.

* ``log``: the text report, then one ``::error`` annotation per failing check.
* ``summary``: Markdown for ``$GITHUB_STEP_SUMMARY`` (a score table and the details
  of each failure, HTML-escaped).
* ``outputs``: step outputs for ``$GITHUB_OUTPUT``: ``result``, the base64 JSON that
  GitHub Classroom's reporter (``autograding-grading-reporter``) reads
  (``{"version": 1, "status", "max_score", "tests": [{"name", "status", "score",
  "message"}]}``), and ``score`` / ``max-score``.
"""

from __future__ import annotations

import base64
import html
import json
import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Optional

from grader.render._details import check_details, check_name, exercise_problem, points
from grader.render._view import clean, hint_label
from grader.render.terminal import render_text
from grader.results import Report

__all__ = ["GithubOutput", "render_github", "defuse", "classroom_result", "append_to_workflow_files"]

# Line breaks as the runner and the browsers see them, not only "\n": a lone "\r" starts a new line too.
_LINE_BREAKS = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_ERROR_VERDICTS = frozenset({"error", "timeout", "crashed", "grader_error"})
_SUMMARY_DETAIL_LIMIT = 20_000


def _defuse_line(line: str) -> str:
    line = line.replace("##[", "##\\[")
    if line.lstrip().startswith("::") or line.lstrip().startswith("##"):
        return "> " + line
    return line


def defuse(text: str) -> str:
    """``text`` with no line the Actions runner would read as a workflow command.

    A line starting with ``::`` (after blanks) is quoted with ``> ``, and ``##[`` anywhere
    becomes ``##\\[``; every kind of line break becomes ``\\n``.
    """
    return "\n".join(_defuse_line(line) for line in _LINE_BREAKS.split(text))


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _annotation(level: str, title: str, message: str) -> str:
    # clean: no terminal escape or NUL of the student's reaches the log, where the runner prints annotations raw.
    return f"::{level} title={_escape_property(defuse(clean(title)))}::{_escape_data(defuse(clean(message)))}"


def _annotations(report: Report) -> list[str]:
    lines = []
    for exercise in report.exercises:
        if exercise.status != "graded":
            lines.append(_annotation("error", f"{exercise.title}: not graded", exercise_problem(exercise)))
        for check in exercise.checks:
            if not check.passed:
                message = check.message or check.verdict
                if check.hint:
                    message += f"\n{hint_label(check)}: {check.hint}"
                lines.append(_annotation(
                    "error", f"{check.id} ({points(check.points)}/{points(check.max_points)})", message))
    lines.append(_annotation("notice", "Score", f"{points(report.score)}/{points(report.max_score)} points"))
    return lines


def _cell(text: str) -> str:
    return html.escape(" ".join(text.split())).replace("|", "&#124;")


def _pre(text: str) -> str:
    if len(text) > _SUMMARY_DETAIL_LIMIT:
        text = text[:_SUMMARY_DETAIL_LIMIT] + "\n[...]"
    return f"<pre>{html.escape(clean(text))}</pre>"


def _summary(report: Report) -> str:
    lines = [f"## Grader: {points(report.score)}/{points(report.max_score)} points", ""]
    for exercise in report.exercises:
        lines += [f"### {_cell(exercise.title)}: {points(exercise.score)}/{points(exercise.max_score)}", ""]
        if exercise.status != "graded":
            lines += [f"**Not graded ({_cell(exercise.status)}):**", "", _pre(exercise_problem(exercise)), ""]
        if exercise.checks:
            lines += ["| | Check | Points |", "|---|---|---|"]
            for check in exercise.checks:
                mark = "✅" if check.passed else "❌"
                lines.append(f"| {mark} | {_cell(check_name(check))} | "
                             f"{points(check.points)}/{points(check.max_points)} |")
            lines.append("")
        for check in exercise.checks:
            if not check.passed:
                lines += [f"<details><summary>❌ {_cell(check_name(check))}</summary>", "",
                          _pre(check_details(check)), "", "</details>", ""]
        if exercise.hidden_not_run:
            lines += [f"_{exercise.hidden_not_run} hidden check(s) worth {points(exercise.hidden_points_not_run)} "
                      "point(s) run at grading time._", ""]
    if report.output:
        lines += ["<details><summary>Output of your code</summary>", "", _pre(report.output), "", "</details>", ""]
    return "\n".join(lines)


def _test_status(passed: bool, verdict: str) -> str:
    return "pass" if passed else ("error" if verdict in _ERROR_VERDICTS else "fail")


def classroom_result(report: Report) -> dict[str, Any]:
    """The result object of GitHub Classroom's autograding actions (before base64)."""
    tests = []
    for exercise in report.exercises:
        if exercise.status != "graded":
            tests.append({"name": f"{exercise.title}: load the submission", "status": "error", "score": 0,
                          "message": defuse(exercise_problem(exercise))})
        for check in exercise.checks:
            tests.append({"name": check_name(check), "status": _test_status(check.passed, check.verdict),
                          "score": check.points, "message": defuse(check_details(check, traceback=False))})
    statuses = {test["status"] for test in tests}
    status = "error" if "error" in statuses else ("fail" if "fail" in statuses else "pass")
    return {"version": 1, "status": status, "max_score": report.max_score, "tests": tests}


@dataclass(frozen=True)
class GithubOutput:
    """What ``--format github`` produces: the log text, the step summary, and the step outputs."""

    log: str
    summary: str
    outputs: Mapping[str, str] = field(default_factory=dict)


def render_github(report: Report, *, token: Optional[str] = None) -> GithubOutput:
    """The report for a GitHub Actions job; ``token`` (default: random) resumes workflow commands after the report."""
    token = token or secrets.token_hex(16)
    body = defuse(render_text(report, colour=False, verbose=True))
    log = "\n".join([f"::stop-commands::{token}", body, f"::{token}::", *_annotations(report)])
    encoded = json.dumps(classroom_result(report), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    outputs = {
        "result": base64.b64encode(encoded.encode("utf-8")).decode("ascii"),
        "score": points(report.score),
        "max-score": points(report.max_score),
    }
    return GithubOutput(log=log, summary=_summary(report), outputs=outputs)


def append_to_workflow_files(rendered: GithubOutput, environ: Mapping[str, str] = os.environ) -> None:
    """Append the summary and outputs to the files GitHub Actions names in ``environ`` (nothing outside Actions)."""
    summary_path = environ.get("GITHUB_STEP_SUMMARY")
    if summary_path:
        with Path(summary_path).open("a", encoding="utf-8") as stream:
            stream.write(rendered.summary + "\n")
    output_path = environ.get("GITHUB_OUTPUT")
    if output_path:
        with Path(output_path).open("a", encoding="utf-8") as stream:
            for name, value in rendered.outputs.items():
                stream.write(f"{name}={value}\n")  # values never hold a line break (base64, numbers)
