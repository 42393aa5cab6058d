"""Gradescope's results.json: exactly the keys and types of Gradescope's specification."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from grader.render.gradescope import render_gradescope, render_gradescope_json

TOP_KEYS = {"score": float, "execution_time": int, "output": str, "tests": list}
TEST_KEYS = {"name": str, "score": float, "max_score": float, "status": str, "output": str, "visibility": str}


def _exact(results: dict) -> None:
    assert set(results) == set(TOP_KEYS)
    for key, kind in TOP_KEYS.items():
        assert type(results[key]) is kind, key
    for test in results["tests"]:
        assert set(test) == set(TEST_KEYS)
        for key, kind in TEST_KEYS.items():
            assert type(test[key]) is kind, (key, test)
        assert test["status"] in ("passed", "failed")
        assert test["visibility"] in ("visible", "after_published")
        assert 0 <= test["score"] <= test["max_score"]


@pytest.mark.parametrize("kind", ["good", "skeleton", "injector", "broken", "missing"])
def test_exact_keys_and_types(reports, kind):
    results = json.loads(render_gradescope_json(reports[kind]))
    _exact(results)
    assert results["score"] == pytest.approx(sum(test["score"] for test in results["tests"]))
    assert results["score"] == reports[kind].score


@pytest.mark.quick
def test_one_test_per_check_hidden_ones_after_published(reports):
    report = reports["good"]
    results = render_gradescope(report)
    checks = report.exercises[0].checks
    assert len(results["tests"]) == len(checks)
    assert any(check.hidden for check in checks) and any(not check.hidden for check in checks)
    for check, test in zip(checks, results["tests"]):
        assert check.id in test["name"]
        assert test["visibility"] == ("after_published" if check.hidden else "visible")
        assert test["status"] == "passed" and test["score"] == test["max_score"] == check.max_points
    assert results["score"] == report.max_score == 100


def test_a_failing_check_explains_itself(reports):
    report = reports["injector"]
    results = render_gradescope(report)
    failing = [check for check in report.exercises[0].checks if not check.passed]
    tests = {test["name"]: test for test in results["tests"]}
    for check in failing:
        test = next(test for name, test in tests.items() if check.id in name)
        assert test["status"] == "failed" and test["score"] == 0.0
        assert check.message in test["output"] and check.hint in test["output"]
    assert "Output of your code" in results["output"] and "fake error line" in results["output"]


def test_code_that_cannot_be_graded_is_a_failed_test_worth_the_exercise(reports):
    results = render_gradescope(reports["broken"])
    (test,) = results["tests"]
    assert test["status"] == "failed" and test["max_score"] == reports["broken"].max_score
    assert "cannot start" in test["output"]


def test_grader_check_prints_gradescope_json(grader_cli, fast_course, submissions):
    done = grader_cli("check", "kmeans", "--config", str(fast_course), "--path", str(submissions["good"]), "--all",
                      "--format", "gradescope", "--no-sandbox")
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    _exact(results)
    assert results["score"] == 100.0


@pytest.mark.quick
def test_what_students_read_at_once_tells_no_hidden_result(reports):
    """A failed hidden check shows in the gradebook's score, never in the output students read before publication."""
    good = reports["good"]
    exercise = good.exercises[0]
    hidden = next(check for check in exercise.checks if check.hidden)
    failed = replace(hidden, passed=False, points=0.0, verdict="failed", message="wrong centers")
    checks = tuple(failed if check is hidden else check for check in exercise.checks)
    lost = hidden.max_points
    report = replace(good, score=good.score - lost,
                     exercises=(replace(exercise, checks=checks, score=exercise.score - lost),))
    results = render_gradescope(report)
    visible = [test for test in results["tests"] if test["visibility"] == "visible"]
    public = sum(test["score"] for test in visible), sum(test["max_score"] for test in visible)
    assert public[0] == public[1] < report.max_score
    assert results["score"] == report.score == report.max_score - lost  # the gradebook's total, hidden included
    text = results["output"]
    assert f"{report.score:g}" not in text and "total" not in text
    assert f"{public[0]:g}/{public[1]:g} on the visible checks" in text
    assert f"visible checks: {public[0]:g}/{public[1]:g}" in text
    # What the code printed while the hidden checks ran (their inputs, say) is published with them.
    printing = render_gradescope(replace(report, output="hidden input: [[0.5, 0.25]]\n"))
    assert "hidden input" not in printing["output"] and "shown when the grades are published" in printing["output"]
    printed = [test for test in printing["tests"] if "hidden input" in test["output"]]
    assert [(test["visibility"], test["max_score"]) for test in printed] == [("after_published", 0.0)]
    public_only = replace(report, output="hello\n", exercises=(replace(exercise, checks=tuple(
        check for check in exercise.checks if not check.hidden)),))
    assert "Output of your code:\nhello" in render_gradescope(public_only)["output"]
