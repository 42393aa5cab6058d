"""The report as JUnit XML, the test-result format CI services read (GitHub test reporters, GitLab, Jenkins).

One ``<testsuite>`` per exercise and one ``<testcase>`` per check.  A check that
does not hold is a ``<failure>``; one where the student's code raised, timed out
or crashed (or the grader itself failed) is an ``<error>``; both carry the
message, the shrunk counterexample and the hint.  An exercise that could not be
graded at all is a single errored test case, and hidden checks that did not run
are one skipped test case.  The document follows the strict Ant form of the
format (every required attribute and element present), which the more lenient
readers accept as well.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime
from typing import Optional

from grader.render._details import check_details, check_name, exercise_problem, points
from grader.results import CheckResult, ExerciseResult, Report

__all__ = ["render_junit", "ERROR_VERDICTS"]

#: Verdicts reported as ``<error>`` (the code did not run to an answer); the others are ``<failure>``.
ERROR_VERDICTS = frozenset({"error", "timeout", "crashed", "grader_error"})

# Characters XML 1.0 cannot carry at all, even escaped: student output may contain them.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_MESSAGE_LIMIT = 500


def _xml_text(text: str) -> str:
    return _NOT_XML.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


def _element(parent: ET.Element, tag: str, text: Optional[str] = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {key: _xml_text(value) for key, value in attributes.items()})
    if text is not None:
        element.text = _xml_text(text)
    return element


def _short(message: str) -> str:
    first = message.strip().splitlines()[0] if message.strip() else ""
    return first if len(first) <= _MESSAGE_LIMIT else first[: _MESSAGE_LIMIT - 3] + "..."


def _testcase(suite: ET.Element, exercise: ExerciseResult, check: CheckResult) -> tuple[int, int]:
    case = _element(suite, "testcase", name=check_name(check), classname=f"{exercise.id}.{check.function}",
                    time=f"{check.duration:.3f}")
    if check.passed:
        return 0, 0
    details = f"{check_details(check)}\npoints: {points(check.points)}/{points(check.max_points)}"
    tag = "error" if check.verdict in ERROR_VERDICTS else "failure"
    _element(case, tag, details, message=_short(check.message or check.verdict), type=check.verdict)
    return (0, 1) if tag == "error" else (1, 0)


def _suite(root: ET.Element, index: int, exercise: ExerciseResult, report: Report, *, timestamp: str,
           hostname: str, output: str) -> None:
    suite = _element(root, "testsuite", name=exercise.id, package=exercise.id, id=str(index), timestamp=timestamp,
                     hostname=hostname)
    properties = _element(suite, "properties")
    for name, value in (("title", exercise.title), ("student", report.student), ("score", points(exercise.score)),
                        ("max_score", points(exercise.max_score)), ("status", exercise.status),
                        ("grader_version", report.grader_version), ("seed", str(report.seed))):
        _element(properties, "property", name=name, value=value)
    tests = failures = errors = skipped = 0
    if exercise.status != "graded":
        case = _element(suite, "testcase", name=f"{exercise.id}: load the submission", classname=exercise.id,
                        time="0.000")
        problem = exercise_problem(exercise)
        _element(case, "error", problem, message=_short(problem), type=exercise.status)
        tests, errors = 1, 1
    for check in exercise.checks:
        failed, errored = _testcase(suite, exercise, check)
        tests, failures, errors = tests + 1, failures + failed, errors + errored
    if exercise.hidden_not_run:
        case = _element(suite, "testcase", name=f"{exercise.id}: hidden checks", classname=exercise.id, time="0.000")
        _element(case, "skipped", message=f"{exercise.hidden_not_run} hidden check(s) worth "
                                          f"{points(exercise.hidden_points_not_run)} point(s) run at grading time")
        tests, skipped = tests + 1, skipped + 1
    _element(suite, "system-out", output)
    _element(suite, "system-err", "")
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("skipped", str(skipped))
    suite.set("time", f"{sum(check.duration for check in exercise.checks):.3f}")


def render_junit(report: Report, *, timestamp: Optional[datetime] = None, hostname: str = "localhost") -> str:
    """The report as a JUnit XML document; ``timestamp`` (default: now) is when the grading ran."""
    when = (timestamp or datetime.now()).strftime("%Y-%m-%dT%H:%M:%S")
    root = ET.Element("testsuites")
    for index, exercise in enumerate(report.exercises):
        # The student's printed output is one stream for the whole submission: shown once, in the first suite.
        _suite(root, index, exercise, report, timestamp=when, hostname=hostname or "localhost",
               output=report.output if index == 0 else "")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
