"""The gradebook: one row per student, plain CSV that grade imports read, the same from any list of reports."""

from __future__ import annotations

import csv
import io

from grader.grade import class_counts, counts_text, gradebook_csv, student_status, write_gradebook
from grader.results import CheckResult, ExerciseResult, Report


def _exercise(exercise_id: str, score: float, status: str = "graded", error: str = "") -> ExerciseResult:
    checks = () if status != "graded" else (
        CheckResult(id=f"{exercise_id}.a", function=exercise_id, title="a", passed=score > 0, points=score,
                    max_points=10.0),)
    return ExerciseResult(id=exercise_id, title=exercise_id, score=score, max_score=10.0, status=status,
                          error=error, checks=checks)


def _report(student: str, name: str, *exercises: ExerciseResult) -> Report:
    return Report(student=student, name=name, score=sum(e.score for e in exercises),
                  max_score=sum(e.max_score for e in exercises), exercises=exercises, grader_version="0.1.0",
                  seed=1)


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_one_row_per_student_sorted_with_scores_total_maximum_and_status():
    reports = [
        _report("zoé", "Zoé Lefèvre", _exercise("kmeans", 8.5), _exercise("perceptron", 0.0, "missing")),
        _report("12345", "Full Name", _exercise("kmeans", 10.0), _exercise("perceptron", 7.25)),
        _report("Ana", "Ana", _exercise("kmeans", 0.0, "error", "broken"), _exercise("perceptron", 1 / 3)),
        _report("bo", "Bo", _exercise("kmeans", 0.0, "missing"), _exercise("perceptron", 0.0, "missing")),
    ]
    rows = _rows(gradebook_csv(reports))
    assert rows == [
        ["id", "name", "kmeans", "perceptron", "total", "max", "status", "language", "checks"],
        ["12345", "Full Name", "10", "7.25", "17.25", "20", "graded", "python", "public"],
        ["Ana", "Ana", "0", "0.3333", "0.3333", "20", "error", "python", "public"],
        ["bo", "Bo", "0", "0", "0", "20", "missing", "", "public"],
        ["zoé", "Zoé Lefèvre", "8.5", "0", "8.5", "20", "incomplete", "python", "public"],
    ]
    # Each student counted once, in one status.
    assert class_counts(reports) == {"graded": 1, "incomplete": 1, "error": 1, "missing": 1, "grader_error": 0}
    assert counts_text(reports) == "4 students: 1 graded, 1 incomplete, 1 error, 1 missing"
    # The command that made the reports knows which checks they cover.
    assert {row[-1] for row in _rows(gradebook_csv(reports, checks="public+hidden"))[1:]} == {"public+hidden"}
    assert [student_status(report) for report in reports] == ["incomplete", "graded", "error", "missing"]
    # The order of the reports given does not matter.
    assert gradebook_csv(list(reversed(reports))) == gradebook_csv(reports)


def test_names_that_a_spreadsheet_would_run_as_formulas_stay_text():
    text = gradebook_csv([_report("=1+1", "@SUM(A1)", _exercise("kmeans", 1.0)),
                          _report("ok", 'Quote "q", comma', _exercise("kmeans", 2.0))])
    rows = _rows(text)
    assert rows[1][:2] == ["'=1+1", "'@SUM(A1)"]
    assert rows[2][:2] == ["ok", 'Quote "q", comma']


def test_written_atomically_as_utf8_into_a_file_or_a_folder(tmp_path):
    reports = [_report("élodie", "Élodie Dupont", _exercise("kmeans", 4.0))]
    path = write_gradebook(reports, tmp_path)
    assert path == tmp_path / "gradebook.csv"
    assert path.read_bytes().decode("utf-8").splitlines()[1] == "élodie,Élodie Dupont,4,4,10,graded,python,public"
    assert write_gradebook(reports, tmp_path / "other.csv").read_text(encoding="utf-8") == path.read_text(
        encoding="utf-8")
    assert sorted(item.name for item in tmp_path.iterdir()) == ["gradebook.csv", "other.csv"]
