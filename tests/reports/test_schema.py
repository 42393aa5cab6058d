"""report.json follows the published JSON Schema: for the reference, the skeleton, buggy and crashing code."""

from __future__ import annotations

import copy
import dataclasses
import json
import subprocess

import jsonschema
import pytest

from grader.results import CheckResult, ExerciseResult, Report
from tests.reports import submissions
from tests.reports.conftest import ROOT, RUNS, grader_command, grader_env


def validator(schema):
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


@pytest.mark.quick
def test_the_schema_is_a_valid_draft_2020_12_schema(schema):
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("record, where", [(Report, None), (ExerciseResult, "exercise"), (CheckResult, "check")])
def test_the_schema_describes_every_field_of_the_result_model(schema, record, where):
    described = schema if where is None else schema["$defs"][where]
    fields = {field.name for field in dataclasses.fields(record)}
    assert set(described["properties"]) == fields, "update grader/report.schema.json with the result model"


@pytest.mark.slow
@pytest.mark.parametrize("name", list(RUNS))
def test_every_report_json_validates(graded, schema, name):
    run = graded[name]
    assert run.returncode == (0 if name == "reference" else 1), run.stderr
    report = run.report
    validator(schema).validate(report)
    assert json.loads(Report.from_dict(report).to_json()) == report  # the file reads back into the same model


def test_format_json_prints_a_valid_report_for_code_that_crashes_at_import(schema, tmp_path):
    path = submissions.write("crash_at_import", tmp_path)
    result = subprocess.run(grader_command("check", "kmeans", "--path", str(path), "--no-sandbox", "--format", "json"),
                            cwd=ROOT, env=grader_env(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    validator(schema).validate(report)
    (exercise,) = report["exercises"]
    assert exercise["status"] == "error" and exercise["checks"] == []
    assert "RuntimeError" in exercise["error"] and "<b>boom</b>" in exercise["error"]


def test_format_json_prints_a_valid_report_for_the_skeleton(schema):
    result = subprocess.run(grader_command("check", "kmeans", "--no-sandbox", "--format", "json"), cwd=ROOT,
                            env=grader_env(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    validator(schema).validate(report)
    verdicts = {check["verdict"] for exercise in report["exercises"] for check in exercise["checks"]}
    assert verdicts == {"not_implemented"}


@pytest.fixture(scope="module")
def skeleton_report(graded) -> dict:
    return graded["skeleton"].report


@pytest.mark.parametrize("tamper", [
    lambda r: r.pop("seed"),
    lambda r: r["exercises"][0].update(status="half-done"),
    lambda r: r["exercises"][0]["checks"][0].update(passed=True),  # passed, but its verdict says otherwise
    lambda r: r["exercises"][0]["checks"][0].update(points=1.0),  # points for a failed check
    lambda r: r["exercises"][0]["checks"][0].update(counterexample=[1, 2]),
    lambda r: r.update(surprise=1),
], ids=["missing-field", "unknown-status", "passed-inconsistent", "points-for-failure", "counterexample-list",
        "unknown-field"])
def test_the_schema_rejects_inconsistent_reports(schema, skeleton_report, tamper):
    report = copy.deepcopy(skeleton_report)
    validator(schema).validate(report)
    tamper(report)
    with pytest.raises(jsonschema.ValidationError):
        validator(schema).validate(report)
