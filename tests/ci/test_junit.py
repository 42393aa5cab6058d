"""JUnit XML: valid against the strict Ant/Jenkins schema, one test case per check, failures that explain."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from lxml import etree

from grader.render.junit import _xml_text, render_junit

from .support import HERE, INJECTIONS

SCHEMA = etree.XMLSchema(etree.parse(str(HERE / "junit.xsd")))
WHEN = datetime(2026, 11, 25, 14, 30, 5)


def _valid(text: str) -> etree._Element:
    document = etree.fromstring(text.encode("utf-8"))
    if not SCHEMA.validate(document):
        pytest.fail("JUnit XML not valid:\n" + "\n".join(str(error) for error in SCHEMA.error_log))
    return document


@pytest.mark.parametrize("kind", ["good", "skeleton", "injector", "broken", "missing"])
def test_every_kind_of_report_is_valid_junit(reports, kind):
    _valid(render_junit(reports[kind], timestamp=WHEN))


def test_the_schema_rejects_what_reporters_reject(reports):
    """The schema is strict enough to matter: a suite without its counts, or a failure without a type, is refused."""
    document = _valid(render_junit(reports["injector"], timestamp=WHEN))
    suite = document.find("testsuite")
    del suite.attrib["failures"]
    assert not SCHEMA.validate(document)
    document = _valid(render_junit(reports["injector"], timestamp=WHEN))
    next(document.iter("error")).attrib.pop("type")
    assert not SCHEMA.validate(document)


@pytest.mark.quick
def test_one_test_case_per_check_with_counts(reports):
    report = reports["injector"]
    exercise = report.exercises[0]
    suite = _valid(render_junit(report, timestamp=WHEN)).find("testsuite")
    cases = suite.findall("testcase")
    checks = [c for c in exercise.checks]
    # One case per check, plus one skipped case for the hidden checks this run did not include.
    assert len(cases) == len(checks) + 1 == int(suite.get("tests"))
    names = [case.get("name") for case in cases]
    for check in checks:
        assert sum(name.startswith(check.id + ":") for name in names) == 1
    failed = [c for c in checks if not c.passed and c.verdict not in ("error", "timeout", "crashed", "grader_error")]
    errored = [c for c in checks if c.verdict in ("error", "timeout", "crashed", "grader_error")]
    assert int(suite.get("failures")) == len(failed) == len(suite.findall("testcase/failure"))
    assert int(suite.get("errors")) == len(errored) == len(suite.findall("testcase/error")) > 0
    assert int(suite.get("skipped")) == 1
    assert suite.get("timestamp") == "2026-11-25T14:30:05"


def test_failures_carry_message_and_counterexample(reports):
    report = reports["injector"]
    failing = [c for c in report.exercises[0].checks if not c.passed and c.counterexample]
    assert failing
    cases = {case.get("name").split(":")[0]: case for case in
             _valid(render_junit(report, timestamp=WHEN)).iter("testcase")}
    for check in failing:
        problem = cases[check.id][0]
        assert problem.tag in ("failure", "error")
        assert problem.get("type") == check.verdict
        assert problem.get("message") == _xml_text(check.message.strip().splitlines()[0][:500])
        assert _xml_text(check.message) in problem.text
        for key in check.counterexample:
            if key != "traceback":
                assert f"{key} = " in problem.text
        assert check.hint in problem.text


def test_student_output_and_control_characters_survive_as_valid_xml(reports):
    report = replace(reports["injector"], output=reports["injector"].output + "\x00\x07bell\x1b[31mred\ufffe")
    suite = _valid(render_junit(report, timestamp=WHEN)).find("testsuite")
    system_out = suite.find("system-out").text
    for line in INJECTIONS[:2]:
        assert line in system_out
    assert "\\x00\\x07bell\\x1b[31mred\\xfffe" in system_out  # shown, not dropped, and still valid XML


def test_an_exercise_that_cannot_be_graded_is_one_errored_case(reports):
    suite = _valid(render_junit(reports["broken"], timestamp=WHEN)).find("testsuite")
    case, hidden = suite.findall("testcase")  # the load error, and the hidden checks not run
    assert case.find("error").get("type") == "error"
    assert "cannot start" in case.find("error").text
    assert hidden.find("skipped") is not None
    assert (suite.get("tests"), suite.get("errors"), suite.get("skipped")) == ("2", "1", "1")


def test_grader_check_writes_junit_to_a_file(grader_cli, fast_course, submissions, tmp_path):
    out = tmp_path / "results" / "junit.xml"
    done = grader_cli("check", "kmeans", "--config", str(fast_course), "--path", str(submissions["injector"]),
                      "--format", "junit", "--output", str(out))
    assert done.returncode == 1, done.stderr
    assert done.stdout == ""
    suite = _valid(out.read_text(encoding="utf-8")).find("testsuite")
    assert int(suite.get("errors")) > 0
    assert not list(Path(tmp_path / "results").glob("*.partial"))
