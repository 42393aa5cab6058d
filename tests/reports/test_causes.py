"""Failures probably caused by another failing check: linked once all checks ran, shown under their root cause.

The link (``caused_by``) is decided from the suspects each failure names; every
format lists the root cause first and marks its consequences; points never change.
"""

from __future__ import annotations

import json

import jsonschema
import pytest

from grader.grade._overview import class_overview_html
from grader.render.html import render_html
from grader.render.markdown import render_markdown
from grader.render.terminal import render_text
from grader.results import CheckResult, ExerciseResult, Report, link_causes

MARK = "probably caused by `assign.nearest_center` failing"


def _check(check_id: str, passed: bool, suspects: tuple[str, ...] = ()) -> CheckResult:
    return CheckResult(id=check_id, function=check_id.split(".")[0], title=f"title of {check_id}", passed=passed,
                       points=2.0 if passed else 0.0, max_points=2.0, verdict="passed" if passed else "failed",
                       message="" if passed else f"says {check_id.replace('_', ' ')}", suspects=suspects)


def _report() -> Report:
    checks = link_causes([
        _check("kmeans.lloyd_iterations", False, ("assign.nearest_center", "update.centroids")),
        _check("assign.nearest_center", False),
        _check("update.centroids", True),
        _check("kmeans.stops_at_eps", False, ("update.inputs_untouched",)),
        _check("kmeans.fixed_point", False, ("kmeans.lloyd_iterations",)),
    ])
    exercise = ExerciseResult(id="kmeans", title="k-means", score=2.0, max_score=10.0, status="graded",
                              checks=checks, notes=("computed in single precision",))
    return Report(student="ann", score=2.0, max_score=10.0, exercises=(exercise,), grader_version="test", seed=1)


def test_a_failure_is_linked_to_its_first_failing_suspect_followed_to_the_root():
    causes = {check.id: check.caused_by for check in _report().exercises[0].checks}
    assert causes == {"kmeans.lloyd_iterations": "assign.nearest_center", "assign.nearest_center": None,
                      "update.centroids": None, "kmeans.stops_at_eps": None,
                      "kmeans.fixed_point": "assign.nearest_center"}


def test_a_cycle_of_suspicions_names_no_cause():
    checks = link_causes([_check("kmeans.a", False, ("kmeans.b",)), _check("kmeans.b", False, ("kmeans.a",))])
    assert [check.caused_by for check in checks] == [None, None]


def test_json_records_the_link_and_the_schema_accepts_it(schema):
    data = json.loads(_report().to_json())
    jsonschema.validate(data, schema)
    lloyd = next(c for c in data["exercises"][0]["checks"] if c["id"] == "kmeans.lloyd_iterations")
    assert lloyd["caused_by"] == "assign.nearest_center"
    assert data["exercises"][0]["notes"] == ["computed in single precision"]
    assert Report.from_json(_report().to_json()) == _report()


def _order(text: str, *ids: str) -> list[int]:
    return [text.index(check_id) for check_id in ids]


@pytest.mark.quick
def test_terminal_markdown_and_html_show_consequences_under_their_root_cause_first():
    report = _report()
    # The page shows the backticks' code as code.
    marks = (MARK, MARK, MARK.replace("`assign.nearest_center`", "<code>assign.nearest_center</code>"))
    for text, mark in zip((render_text(report), render_markdown(report), render_html(report)), marks):
        root, lloyd, fixed, stops = _order(text, "says assign.nearest center", "says kmeans.lloyd iterations",
                                           "says kmeans.fixed point", "says kmeans.stops at eps")
        assert root < lloyd < stops and root < fixed < stops
        assert text.count(mark) == 2
        assert text.count("computed in single precision") == 1


def test_points_do_not_depend_on_the_link():
    assert _report().score == 2.0 and all(check.points == 0 for check in _report().exercises[0].checks
                                          if not check.passed)


def test_the_class_overview_says_which_failures_are_consequences():
    page = class_overview_html([_report()])
    assert "probably caused by another check failing" in page and "assign.nearest_center" in page
    # Root causes first among the most failed checks.
    assert page.index("<code>assign.nearest_center</code> —") < page.index("<code>kmeans.lloyd_iterations</code> —")


def test_the_hint_of_a_consequence_says_it_comes_after_fixing_the_cause():
    """A consequence's hint is about its own property, which its cause breaks anyway: read alone, it would send the
    student elsewhere ("shuffle with the generator" under a failure caused by the count of mistakes)."""
    from dataclasses import replace

    from grader.render._details import check_details
    from grader.render.github import render_github

    checks = tuple(replace(check, hint=f"hint of {check.id}") for check in _report().exercises[0].checks)
    report = replace(_report(), exercises=(replace(_report().exercises[0], checks=checks),))
    after = "if fixing `assign.nearest_center` does not fix this"
    consequence = next(check for check in checks if check.id == "kmeans.lloyd_iterations")
    root = next(check for check in checks if check.id == "assign.nearest_center")
    assert check_details(consequence).endswith(f"hint, {after}: hint of kmeans.lloyd_iterations")
    assert check_details(root).endswith("\nhint: hint of assign.nearest_center")
    assert render_text(report).count(f"hint, {after}: ") == 2
    assert render_markdown(report).count(f"**Hint, {after}:**") == 2
    assert render_html(report).count("Hint, if fixing <code>assign.nearest_center</code> does not fix this:") == 2
    annotations = render_github(report).log.split("::error ", 1)[1]  # after the log of the text report
    assert annotations.count(f"hint, {after}: ") == 2
