"""Class intake: a student's archive cannot speak for another student, names reach no output raw, and every
entry left out is listed.

In a plain class folder (not a learning-platform export), ``bob.zip`` holding
``Carol Target_424242_assignsubmission_file_/kmeans.py`` used to give a row ``424242, Carol Target`` and no
row for bob.  It is bob's submission now, with a note; only an export's own entries create participant rows.
"""

from __future__ import annotations

import json


from grader import load_config
from grader.grade import grade_class, student_folder
from grader.grade._discover import discover_class
from grader.grade._gradebook import GRADEBOOK
from grader.grade._overview import OVERVIEW

from .helpers import gradebook, make_zip, solution, write

_RAW = ("\x1b", "\x07", "\u202e")
# Loads, and grades fast: what matters here is whose row each submission fills.
_CODE = "def assign(data, centers):\n    raise NotImplementedError\n"


def test_a_students_archive_never_creates_or_replaces_another_row(tmp_path, course):
    root = tmp_path / "class"
    write(root / "alice.py", _CODE)
    make_zip(root / "bob.zip", {"Carol Target_424242_assignsubmission_file_/kmeans.py": solution("correct")})
    write(root / "eve\x1b[2J\x07\u202egnp.py", _CODE)
    write(root / ".hidden.py", _CODE)
    write(root / ".DS_Store", b"\0\0\0\1Bud1")
    out = tmp_path / "out"
    result = grade_class(load_config(course), root, out, jobs=2, sandbox=False)

    book = gradebook(out)
    assert sorted(book) == ["alice", "bob", "eve\\x1b[2J\\x07\\u202egnp"]
    assert book["bob"]["name"] == "bob" and book["bob"]["total"] == "100"
    report = json.loads((out / "bob" / "report.json").read_text(encoding="utf-8"))
    (note,) = [note for note in report["notes"] if "learning-platform export" in note]
    assert note.startswith("bob.zip is shaped like a learning-platform export (it names Carol Target (424242))")
    # Names in every output without control or bidirectional characters; the entries left out listed.
    eve = out / student_folder("eve\\x1b[2J\\x07\\u202egnp")
    for written in (out / OVERVIEW, out / GRADEBOOK, eve / "report.html", eve / "report.md"):
        text = written.read_text(encoding="utf-8")
        assert not any(mark in text for mark in _RAW), written
    report = json.loads((eve / "report.json").read_text(encoding="utf-8"))
    assert not any(mark in report["student"] + report["name"] for mark in _RAW)
    assert result.ignored == (".DS_Store", ".hidden.py")
    assert ".hidden.py" in (out / OVERVIEW).read_text(encoding="utf-8")


def test_an_export_folder_and_its_zip_still_give_participant_rows(tmp_path):
    root = tmp_path / "export"
    write(root / "Ana B_7_assignsubmission_file_" / "kmeans.py", "")
    make_zip(root / "more.zip", {"Cid D_8_assignsubmission_file_/kmeans.py": ""})
    found = discover_class(root)
    assert [(student.id, student.name, student.notes) for student in found.students] == [
        ("7", "Ana B", ()), ("8", "Cid D", ())]
