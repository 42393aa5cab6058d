"""By default every student's code runs in the isolated worker, inside the run's scratch area."""

from __future__ import annotations

import json

from .helpers import gradebook, run_grade, snapshot, solution, write


def test_grading_is_isolated_by_default_and_leaves_nothing_behind(tmp_path, course):
    root = tmp_path / "class"
    write(root / "ana" / "kmeans.py", solution("correct"))
    write(root / "quitter.py", "import os\nos._exit(7)\n")
    before = snapshot(root)
    done = run_grade(str(root), "--out", str(tmp_path / "out"), "--config", str(course), "--jobs", "2",
                     cwd=tmp_path, tmp=tmp_path / "tmp")
    assert done.returncode == 0, done.stderr
    book = gradebook(tmp_path / "out")
    assert (book["ana"]["total"], book["ana"]["status"]) == ("100", "graded")
    assert book["quitter"]["status"] == "error"
    report = json.loads((tmp_path / "out" / "ana" / "report.json").read_text(encoding="utf-8"))
    assert report["sandbox"] and "in-process" not in json.dumps(report["sandbox"])
    # Ending its process is the submission's failure, caught by the worker: the report is final (stamped).
    assert (tmp_path / "out" / "quitter" / "submission.json").is_file()
    assert snapshot(root) == before
    assert list((tmp_path / "tmp").iterdir()) == []
