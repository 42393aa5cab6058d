"""One class, three languages: one run of grader grade, one gradebook, each row with its language."""

from __future__ import annotations

import csv
import json
import shutil

import pytest

from tests.conftest import ROOT, run_grader
from tests.languages.conftest import needs

pytestmark = [needs("c"), needs("fortran"), pytest.mark.slow]


def test_a_class_mixing_languages(tmp_path):
    submissions = tmp_path / "submissions"
    for student, files in {"alice": ["reference/kmeans.py"], "bob": ["reference/kmeans.c"],
                           "carol": ["reference/kmeans.f90"], "dave": ["exercises/kmeans/kmeans.c"],
                           "erin": ["exercises/kmeans/kmeans.py", "reference/kmeans.c"]}.items():
        (submissions / student).mkdir(parents=True)
        for name in files:
            shutil.copy(ROOT / name, submissions / student)
    (submissions / "frank").mkdir()
    (submissions / "frank" / "kmeans.f90").write_text("module broken\n  integer :: \nend module\n")
    out = tmp_path / "out"
    done = run_grader("grade", str(submissions), "--out", str(out), "--exercise", "kmeans", "--jobs", "2")
    assert done.returncode in (0, 1), done.stderr
    with open(out / "gradebook.csv", newline="", encoding="utf-8") as handle:
        rows = {row["id"]: row for row in csv.DictReader(handle)}
    assert {student: (row["language"], row["total"], row["status"]) for student, row in rows.items()} == {
        "alice": ("python", "100", "graded"), "bob": ("c", "100", "graded"), "carol": ("fortran", "100", "graded"),
        "dave": ("c", "0", "graded"), "erin": ("c", "100", "graded"), "frank": ("fortran", "0", "error")}
    # Several languages in one submission (erin left the Python skeleton beside her C): the completed one is
    # graded, as grader check chooses it, and the record says so.
    note = json.dumps(json.loads((out / "erin" / "submission.json").read_text()))
    assert "also found" in note and "kmeans.py" in note and "fewest functions left to write" in note
    frank = json.loads((out / "frank" / "report.json").read_text())["exercises"][0]
    assert frank["language"] == "fortran" and "does not compile with gfortran" in frank["error"]
    assert "kmeans.f90:2" in frank["error"]
    overview = (out / "index.html").read_text(encoding="utf-8")
    assert "<th>language</th>" in overview and "<td>fortran</td>" in overview
