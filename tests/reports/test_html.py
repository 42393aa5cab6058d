"""report.html stands alone: figures embedded, no script, nothing fetched, the student's text escaped."""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser

import pytest

from tests.reports.conftest import RUNS


class Elements(HTMLParser):
    """Every start tag with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {key: value or "" for key, value in attrs}))


def elements(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = Elements()
    parser.feed(html)
    return parser.tags


@pytest.mark.slow
@pytest.mark.parametrize("name", list(RUNS))
def test_the_page_is_self_contained(graded, name):
    html = graded[name].text("report.html")
    tags = elements(html)
    names = [tag for tag, _ in tags]
    assert "script" not in names and "link" not in names and "iframe" not in names and "object" not in names
    policy = next(attrs["content"] for tag, attrs in tags
                  if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in policy and "img-src data:" in policy
    for tag, attrs in tags:
        for key in ("src", "href", "srcset", "action", "poster"):
            if key in attrs:
                assert attrs[key].startswith("data:image/png;base64,"), (tag, key, attrs[key][:80])
    for tag, attrs in tags:
        if tag == "img":
            png = base64.b64decode(attrs["src"].split(",", 1)[1], validate=True)
            assert png[:8] == b"\x89PNG\r\n\x1a\n" and attrs["alt"]
    assert not re.search(r"url\(", html)  # no stylesheet fetch either


@pytest.mark.slow
def test_one_embedded_figure_per_figure_file(graded):
    for name in ("empty_cluster_nan", "reference", "hostile"):
        run = graded[name]
        count = sum(tag == "img" for tag, _ in elements(run.text("report.html")))
        assert count == len(list((run.folder / "figures").glob("*.png"))) > 0


@pytest.mark.slow
def test_what_the_student_controls_is_escaped(graded):
    html = graded["hostile"].text("report.html")
    assert "<script>" not in html and "example.invalid/x.png\">" not in html
    assert "&lt;script&gt;document.title=&#x27;pwned&#x27;&lt;/script&gt;" in html
    assert "\x1b" not in html
    crash = graded["crash_at_import"].text("report.html")
    assert "&lt;b&gt;boom&lt;/b&gt;" in crash and "<b>boom</b>" not in crash


@pytest.mark.quick
def test_backticks_in_messages_and_hints_are_code():
    from grader.render.html import render_html
    from grader.results import CheckResult, ExerciseResult, Report

    failed = CheckResult(id="kmeans.stops_at_eps", function="kmeans", title="t", passed=False, points=0.0,
                         max_points=1.0, verdict="failed", message="set `move` to <the sum>",
                         hint="stop when `move <= eps`", caused_by="kmeans.respects_max_iter")
    owner = CheckResult(id="kmeans.respects_max_iter", function="kmeans", title="t", passed=False, points=0.0,
                        max_points=1.0, verdict="failed", message="too many")
    exercise = ExerciseResult(id="kmeans", title="k-means", score=0.0, max_score=2.0, status="graded",
                              checks=(owner, failed))
    html = render_html(Report(student="s", name="s", score=0.0, max_score=2.0, exercises=(exercise,),
                              grader_version="0", seed=1))
    assert "set <code>move</code> to &lt;the sum&gt;" in html
    assert "stop when <code>move &lt;= eps</code>" in html
    assert "probably caused by <code>kmeans.respects_max_iter</code> failing" in html
    assert "`" not in html.split("<style>")[0] + html.split("</style>")[1]
