"""The class overview: score distribution, checks worst first, typical counterexamples, every report linked."""

from __future__ import annotations

import re
from urllib.parse import unquote

from grader.grade import student_folder, write_class_overview
from grader.results import CheckResult, ExerciseResult, Report


def _check(check_id: str, passed: bool, message: str = "", counterexample=None) -> CheckResult:
    return CheckResult(id=check_id, function=check_id.split(".")[0], title=f"title of {check_id}", passed=passed,
                       points=1.0 if passed else 0.0, max_points=1.0, verdict="passed" if passed else "failed",
                       message=message, counterexample=counterexample)


def _report(student: str, *checks: CheckResult, name: str = "", status: str = "graded", error: str = "") -> Report:
    score = sum(check.points for check in checks)
    exercise = ExerciseResult(id="kmeans", title="k-means", score=score, max_score=3.0, status=status, error=error,
                              checks=checks)
    return Report(student=student, name=name or student, score=score, max_score=3.0, exercises=(exercise,),
                  grader_version="0.1.0", seed=7)


def _class() -> list[Report]:
    big = {"data": [[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]], "returned": [0, 0, 1]}
    small = {"data": [[0.0]], "returned": [1], "traceback": "Traceback: secret"}
    return [
        _report("ana", _check("assign.a", True), _check("update.b", False, "center moved", big),
                _check("kmeans.c", True)),
        _report("Bé Noël", _check("assign.a", True), _check("update.b", False, "center moved", small),
                _check("kmeans.c", False, "too many iterations")),
        _report("<script>alert(1)</script>", _check("assign.a", True),
                _check("update.b", False, "<b>NaN</b>", {"x": "<img src=x onerror=alert(1)>"}),
                _check("kmeans.c", True), name="<i>evil</i>"),
        _report("dan", _check("assign.a", True), _check("update.b", True), _check("kmeans.c", True)),
        _report("eve", status="error", error="the archive eve.zip is damaged"),
    ]


def test_checks_are_listed_worst_first_with_a_typical_smallest_counterexample(tmp_path):
    page = write_class_overview(_class(), tmp_path).read_text(encoding="utf-8")
    table = page[page.index("Checks, worst first"):page.index("Most failed")]
    assert table.index("update.b") < table.index("kmeans.c") < table.index("assign.a")
    assert "1/4 (25%)" in table and "3/4 (75%)" in table and "4/4 (100%)" in table
    failed = page[page.index("Most failed"):]
    # "center moved" is the most common message; the smallest counterexample with it is shown, no traceback.
    assert "2 of them with this message" in failed and "center moved" in failed
    assert 'data = [[0.0]]' in failed and "[[0.0, 1.0]" not in failed and "secret" not in failed
    assert "the archive eve.zip is damaged" in page


def test_the_score_distribution_counts_every_student(tmp_path):
    page = write_class_overview(_class(), tmp_path).read_text(encoding="utf-8")
    bars = re.findall(r"<title>(\d+) student\(s\)</title>", page)
    assert len(bars) == 10 and sum(map(int, bars)) == 5
    assert "5 students: " in page and "1 passed every check" in page


def test_everything_from_submissions_is_escaped_and_the_page_is_self_contained(tmp_path):
    page = write_class_overview(_class(), tmp_path).read_text(encoding="utf-8")
    assert "<script" not in page and "<img" not in page and "<i>evil" not in page and "<b>NaN" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;i&gt;evil&lt;/i&gt;" in page
    assert not re.search(r'(src|href)="(https?:)?//', page)


def test_links_point_at_each_students_report_whatever_their_name(tmp_path):
    reports = _class()
    for report in reports[:3]:
        folder = tmp_path / student_folder(report.student)
        folder.mkdir()
        (folder / "report.html").write_text("<html></html>", encoding="utf-8")
    (tmp_path / student_folder("dan")).mkdir()
    (tmp_path / student_folder("dan") / "report.json").write_text("{}", encoding="utf-8")
    page = write_class_overview(reports, tmp_path).read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]+)"', page)
    assert len(links) == 4 and "B%C3%A9%20No%C3%ABl/report.html" in links
    assert all((tmp_path / unquote(link)).is_file() for link in links)
    assert student_folder("a/b\\c") == "a_b_c" and student_folder("..") == "_" and student_folder(".x") == "_.x"


def test_not_graded_shows_the_source_line_of_an_error_on_a_line_of_its_own(tmp_path):
    error = "kmeans.py is not valid Python: invalid syntax (line 1)\n    def assign(:\n               ^"
    page = write_class_overview([_report("fay", status="error", error=error)], tmp_path).read_text(encoding="utf-8")
    row = page[page.index("Not graded"):]
    assert "invalid syntax (line 1)<pre>    def assign(:\n               ^</pre>" in row
