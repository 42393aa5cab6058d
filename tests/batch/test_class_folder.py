"""A whole class in every shape, graded in one run: every student reported, nothing else touched."""

from __future__ import annotations

import json
import re
from collections import Counter
from urllib.parse import unquote

import pytest

from grader import render
from grader.render.markdown import escape_markdown

from .helpers import gradebook, run_grade, snapshot


@pytest.mark.slow
def test_every_shape_graded_in_one_run_without_touching_anything_else(tmp_path, class_folder, course):
    root, expected = class_folder
    out, tmp, cwd = tmp_path / "out", tmp_path / "tmp", tmp_path / "cwd"
    cwd.mkdir()
    tmp.mkdir()
    before_input = snapshot(root)
    before_all = snapshot(tmp_path, skip=(out, tmp))
    assert len(before_input) > 20

    done = run_grade(str(root), "--out", str(out), "--config", str(course), "--no-sandbox", "--jobs", "2",
                     cwd=cwd, tmp=tmp)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    summary = next(line for line in lines if line.startswith(f"{len(expected)} students: "))
    # Each student counted once, in one status: the same counts in the terminal, the gradebook and the overview.
    statuses = Counter(want.status for want in expected.values())
    counts = f"{len(expected)} students: " + ", ".join(f"{statuses[s]} {s}" for s in ("graded", "error", "missing"))
    assert summary.startswith(counts + f" (graded now: {len(expected)}, reused: 0)"), summary
    assert Counter(row["status"] for row in gradebook(out).values()) == statuses
    assert counts in (out / "index.html").read_text(encoding="utf-8")
    # Stray files are listed once as ignored; notes on how a submission was read are shown everywhere.
    assert [line for line in lines if "ignored" in line] == ["ignored (not a submission): README.md, roster.csv"]
    note = "graded hank/my_kmeans.py as kmeans.py (the only Python file)"
    assert f"note: hank: {note}" in lines
    assert note in (out / "index.html").read_text(encoding="utf-8") and "roster.csv" in (out / "index.html").read_text()
    assert json.loads((out / "hank" / "report.json").read_text(encoding="utf-8"))["notes"] == [note]
    assert escape_markdown(note) in (out / "hank" / "report.md").read_text(encoding="utf-8")
    assert note in (out / "hank" / "report.html").read_text(encoding="utf-8")

    # The input is bit for bit what it was; nothing was written outside OUT; the scratch area is gone.
    assert snapshot(root) == before_input
    assert snapshot(tmp_path, skip=(out, tmp)) == before_all
    assert list(tmp.iterdir()) == []
    assert not any(path.name.endswith("evil.py") for path in tmp_path.rglob("*"))

    book = gradebook(out)
    assert set(book) == set(expected)
    for student, want in expected.items():
        row = book[student]
        assert row["status"] == want.status, (student, row)
        assert row["max"] == "100"
        if want.score is not None:
            assert float(row["kmeans"]) == want.score == float(row["total"]), (student, row)
        if want.name is not None:
            assert row["name"] == want.name
        folder = out / student
        report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
        assert report["student"] == student
        exercise = report["exercises"][0]
        assert want.message in exercise["error"], (student, exercise["error"])
        if want.status == "graded":
            assert exercise["status"] == "graded" and exercise["checks"], student
        if hasattr(render, "write_reports"):
            assert (folder / "report.html").is_file() and (folder / "report.md").is_file()
        # Only a failure of the run itself (the crashing student) is left unstamped, to be retried.
        assert (folder / "submission.json").is_file() == (student != "crasher")

    # A buggy submission loses points; the correct ones from every shape get full marks.
    assert float(book["20002"]["total"]) < 100 and float(book["bruno"]["total"]) < 100

    # The overview links every student's report, and every link works.
    overview = (out / "index.html").read_text(encoding="utf-8")
    links = [unquote(link) for link in re.findall(r'href="([^"]+)"', overview)]
    assert {link.split("/")[0] for link in links} == set(expected)
    assert all((out / link).is_file() for link in links)
    assert "Score distribution" in overview and "init_centers" in overview


def test_code_too_deeply_nested_for_python_is_graded_as_check_reads_it(tmp_path, course):
    """Python's parser raises RecursionError (``a+a+...`` of 300,000 terms) or MemoryError (100,000 ``-`` signs),
    not SyntaxError, on code nested too deeply: a notebook cell holding such code is left out with a note, as a
    cell with a syntax error is, and a .py file holding it is not valid Python; each student gets the report
    ``grader check`` gives them, never a submission the grader could not read."""
    from grader import load_config
    from grader.grade import grade_class

    from .helpers import solution, write

    deep = ["z = " + "+".join(["a"] * 300_000), "y = " + "-" * 100_000 + "1"]
    cells = [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": source}
             for source in [solution("correct"), *deep]]
    notebook = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 4}
    root = tmp_path / "class"
    write(root / "jack" / "kmeans.ipynb", json.dumps(notebook))
    write(root / "liam" / "kmeans.py", solution("correct") + f"\n\ndef _unused():\n    return {deep[1][4:]}\n")
    out = tmp_path / "out"
    grade_class(load_config(course), root, out, jobs=1)
    book = gradebook(out)
    assert (book["jack"]["status"], book["jack"]["total"]) == ("graded", "100"), book["jack"]
    (jack,) = json.loads((out / "jack" / "report.json").read_text(encoding="utf-8"))["exercises"]
    assert any("cell 2 (nested too deeply for Python to read it: split that expression into several statements); "
               "cell 3 (nested too deeply" in note for note in jack["notes"]), jack["notes"]
    (liam,) = json.loads((out / "liam" / "report.json").read_text(encoding="utf-8"))["exercises"]
    assert liam["status"] == "error" and liam["error"].startswith(
        "kmeans.py is not valid Python (nested too deeply for Python to read it: split that expression into several "
        "statements)"), liam["error"]
