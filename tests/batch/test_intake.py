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


def test_students_zips_beside_a_stray_skeleton_are_each_graded(tmp_path, course):
    # The skeleton left in the download folder at the top of a class of zips (or of the class's zip) used to make
    # the whole folder one student, graded 0 on the skeleton, every zip left without a row or a word.
    root = tmp_path / "class19"
    make_zip(root / "bob.zip", {"bob/kmeans.py": solution("correct"), "__MACOSX/bob/._kmeans.py": b"\0"})
    make_zip(root / "Élodie Müller.zip", {"kmeans.py": solution("correct")})
    write(root / "kmeans.py", _CODE)
    make_zip(tmp_path / "class23.zip", {"kmeans.py": _CODE, "alice/kmeans.py": solution("correct")})
    for given in (root, tmp_path / "class23.zip"):
        out = tmp_path / f"out-{given.stem}"
        result = grade_class(load_config(course), given, out, jobs=2, sandbox=False)
        book = gradebook(out)
        assert not result.single and "kmeans" in book and book["kmeans"]["total"] == "0"
        students = sorted(set(book) - {"kmeans"})
        assert students == (["bob", "Élodie Müller"] if given == root else ["alice"])
        assert all(book[student]["total"] == "100" for student in students)
        stray = json.loads((out / "kmeans" / "report.json").read_text(encoding="utf-8"))
        assert any(note.startswith("kmeans.py is at the top of the class folder") for note in stray["notes"])
        assert "remove it from the class folder" in result.summary()


def test_an_export_folder_and_its_zip_still_give_participant_rows(tmp_path):
    root = tmp_path / "export"
    write(root / "Ana B_7_assignsubmission_file_" / "kmeans.py", "")
    make_zip(root / "more.zip", {"Cid D_8_assignsubmission_file_/kmeans.py": ""})
    found = discover_class(root)
    assert [(student.id, student.name, student.notes) for student in found.students] == [
        ("7", "Ana B", ()), ("8", "Cid D", ())]
