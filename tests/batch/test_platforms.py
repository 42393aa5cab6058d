"""Learning platforms' exports: one row per student, whose id is the platform's identifier, whatever its layout."""

from __future__ import annotations

import pytest

from grader import load_config
from grader.grade import discover
from grader.grade._discover import accepted_files, discover_class
from grader.grade._prepare import prepare
from grader.grade._run import grade_class

from .helpers import ROOT, gradebook, make_zip, solution, write

ACCEPTED = accepted_files(load_config(ROOT / "config.yaml").exercises.values())
SKELETONS = ROOT / "exercises" / "kmeans"


def _ids(students) -> list[tuple[str, str]]:
    return [(student.id, student.name) for student in students]


def _prepared(student, tmp_path, config):
    folder = tmp_path / "scratch" / student.id
    folder.mkdir(parents=True)
    return prepare(student, folder, {"kmeans": config.exercise("kmeans")})


def _canvas_zip(path):
    """Canvas's "Download submissions": flat files lastfirst[_LATE]_userid_fileid_name, a file handed in again
    renamed name-1, name-2..., an online text as lastfirst_userid_text.html."""
    return make_zip(path, {
        "smithjane_23456_78901_kmeans.py": solution(),
        # John handed in the untouched C skeleton, then his completed Python (Canvas renamed it kmeans-1.py).
        "doejohn_LATE_12345_67890_kmeans.c": (SKELETONS / "kmeans.c").read_text(),
        "doejohn_LATE_12345_67891_kmeans-1.py": solution(),
        # Lee handed kmeans.py in three times: the highest number is the latest.
        "leeann_34567_11111_kmeans.py": "x = 1\n",
        "leeann_34567_11112_kmeans-1.py": "x = 2\n",
        "leeann_34567_11113_kmeans-2.py": "x = 3\n",
        "leeann_34567_11114_notes.txt": "my notes\n",
        "parkmin_45678_text.html": "<p>my code is in the text</p>",  # an online text only
        "anon_Xy7Qz_55555_kmeans.py": "x = 4\n",  # anonymous grading: no name, the anonymous id
    })


@pytest.mark.quick
def test_a_canvas_export_gives_one_row_per_student_under_the_canvas_user_id(tmp_path, config):
    students = {student.id: student for student in discover(_canvas_zip(tmp_path / "submissions.zip"),
                                                            accepted=ACCEPTED)}
    assert _ids(students.values()) == [("12345", "doejohn"), ("23456", "smithjane"), ("34567", "leeann"),
                                       ("45678", "parkmin"), ("anon_Xy7Qz", "anon_Xy7Qz")]
    assert all(student.participant and not student.conflict for student in students.values())
    assert sorted(part.target for part in students["12345"].parts) == ["kmeans.c", "kmeans.py"]
    # John's completed Python is graded, not the skeleton left beside it.
    prepared = _prepared(students["12345"], tmp_path, config)
    assert prepared.used["kmeans"] == "kmeans.py" and prepared.modules["kmeans"].read_text() == solution()
    # Lee's latest kmeans-2.py is graded as kmeans.py; the first kmeans.py is left out, and a note says so.
    assert sorted(part.target for part in students["34567"].parts) == ["kmeans-1.py", "kmeans.py", "notes.txt"]
    assert _prepared(students["34567"], tmp_path, config).modules["kmeans"].read_text() == "x = 3\n"
    assert students["34567"].notes == ("kmeans-2.py graded as kmeans.py: Canvas numbers a file handed in again under "
                                       "the same name, the highest number being the latest (kmeans.py left out)",)


def test_an_unpacked_canvas_export_beside_the_instructors_files(tmp_path):
    root = tmp_path / "class"
    write(root / "smithjane_23456_78901_kmeans.py", "")
    write(root / "doejohn_12345_67890_kmeans.c", "")
    write(root / "doejohn_12345_67891_kmeans-1.py", "")
    write(root / "roster.csv", "id,name\n")
    found = discover_class(root, accepted=ACCEPTED)
    assert _ids(found.students) == [("12345", "doejohn"), ("23456", "smithjane")]
    assert found.ignored == ("roster.csv",)


def test_plain_class_folders_are_not_read_as_canvas_exports(tmp_path):
    # A student's file named with an underscore stays that student's, as always.
    root = tmp_path / "class"
    write(root / "alice_kmeans.py", "")
    write(root / "bob" / "kmeans.py", "")
    write(root / "carl_2024_1_kmeans.py", "")  # numbers where Canvas puts them, but most entries are not Canvas's
    assert _ids(discover(root, accepted=ACCEPTED)) == [("alice_kmeans", "alice_kmeans"), ("bob", "bob"),
                                                       ("carl_2024_1_kmeans", "carl_2024_1_kmeans")]
    # A class folder named with numbers is still a class, not one student's Canvas file.
    klass = tmp_path / "ML_2024_1_tp"
    write(klass / "alice" / "kmeans.py", "")
    write(klass / "bob.py", "")
    assert _ids(discover(klass, accepted=ACCEPTED)) == [("alice", "alice"), ("bob", "bob")]


def test_a_canvas_class_is_graded_one_row_per_student(tmp_path, course):
    """The gradebook of a Canvas export: a row per Canvas user id, graded on the file the student completed."""
    archive = make_zip(tmp_path / "submissions.zip", {
        "doejohn_12345_67890_kmeans.c": (SKELETONS / "kmeans.c").read_text(),
        "doejohn_12345_67891_kmeans-1.py": solution(),
        "smithjane_LATE_23456_78901_kmeans.py": (SKELETONS / "kmeans.py").read_text(),
    })
    grade_class(load_config(course), archive, tmp_path / "out", jobs=1, sandbox=False)
    rows = gradebook(tmp_path / "out")
    assert sorted(rows) == ["12345", "23456"]
    assert (rows["12345"]["name"], rows["12345"]["kmeans"], rows["12345"]["language"]) == ("doejohn", "100",
                                                                                          "python")
    assert rows["23456"]["name"] == "smithjane" and float(rows["23456"]["kmeans"]) < 100


@pytest.mark.quick
def test_a_brightspace_export_gives_one_row_per_student_graded_on_the_latest_submission(tmp_path, config):
    """Brightspace's "Download all": a folder per submission, "<id>-<id> - First Last - Mon D, YYYY HMM AM/PM",
    and an index.html."""
    archive = make_zip(tmp_path / "TP1 Download Sep 6, 2026 1002 AM.zip", {
        "12345-67890 - Jane Doe - Sep 3, 2026 1002 PM/kmeans.py": "x = 1\n",
        "12345-67890 - Jane Doe - Sep 4, 2026 1100 AM/kmeans.py": "x = 3\n",  # the latest
        "12345-67890 - Jane Doe - Sep 4, 2026 1205 AM/kmeans.py": "x = 2\n",  # just after midnight
        "23456-78901 - Omar Ali-Ben - Oct 1, 2026 1159 PM/rendu.zip": b"PK\x05\x06" + bytes(18),
        "index.html": "<html>the submissions' comments</html>",
    })
    found = discover_class(archive, accepted=ACCEPTED)
    students = {student.id: student for student in found.students}
    assert _ids(students.values()) == [("12345-67890", "Jane Doe"), ("23456-78901", "Omar Ali-Ben")]
    assert found.ignored == ("index.html",)
    jane = students["12345-67890"]
    assert jane.source == "12345-67890 - Jane Doe - Sep 4, 2026 1100 AM" and not jane.conflict
    assert _prepared(jane, tmp_path, config).modules["kmeans"].read_text() == "x = 3\n"
    (note,) = jane.notes
    assert note.startswith("graded the latest submission, 12345-67890 - Jane Doe - Sep 4, 2026 1100 AM; earlier "
                           "ones left out: ") and "Sep 3, 2026 1002 PM" in note and "Sep 4, 2026 1205 AM" in note


def test_brightspace_folders_unpacked_and_its_older_flat_files(tmp_path):
    root = tmp_path / "class"
    write(root / "12345-67890 - Jane Doe - Sep 3, 2026 10:02 PM" / "kmeans.py", "")  # older exports: a colon
    write(root / "12345-67890 - Jane Doe - Sep 4, 2026 9:15 AM" / "kmeans.py", "")
    write(root / "index.html", "")
    assert _ids(discover(root, accepted=ACCEPTED)) == [("12345-67890", "Jane Doe")]
    # Older exports name each file: "<id>-<id> - First Last - date - file".
    flat = tmp_path / "flat"
    write(flat / "23456-78901 - Omar Ali - Oct 1, 2026 1159 PM - kmeans.py", "x = 1\n")
    write(flat / "23456-78901 - Omar Ali - Oct 2, 2026 801 AM - kmeans.py", "x = 2\n")
    (omar,) = discover(flat, accepted=ACCEPTED)
    assert (omar.id, omar.name, [part.path.name for part in omar.parts]) == (
        "23456-78901", "Omar Ali", ["23456-78901 - Omar Ali - Oct 2, 2026 801 AM - kmeans.py"])
    # One student's Brightspace folder alone is a class of one, under the id.
    found = discover_class(root / "12345-67890 - Jane Doe - Sep 3, 2026 10:02 PM", accepted=ACCEPTED)
    assert found.single and _ids(found.students) == [("12345-67890", "Jane Doe")]


def test_a_blackboard_export_gives_one_row_per_username_graded_on_the_latest_attempt(tmp_path, config):
    """Blackboard's "Assignment File Download": Assignment_username_attempt_YYYY-MM-DD-HH-MM-SS_file, with an
    information file ..._attempt_....txt per attempt."""
    archive = make_zip(tmp_path / "gradebook_ML101_TP1.zip", {
        "TP1 k-means_jdoe_attempt_2026-09-03-22-02-11_kmeans.py": "x = 1\n",
        "TP1 k-means_jdoe_attempt_2026-09-03-22-02-11.txt": "Name: Jane Doe (jdoe)\n",
        "TP1 k-means_jdoe_attempt_2026-09-05-08-00-00_kmeans.py": "x = 2\n",
        "TP1 k-means_jdoe_attempt_2026-09-05-08-00-00.txt": "Name: Jane Doe (jdoe)\n",
        "TP1 k-means_bwu_attempt_2026-09-04-10-00-00_kmeans.c": "int x;\n",
        "TP1 k-means_bwu_attempt_2026-09-04-10-00-00.txt": "Name: Bo Wu (bwu)\n",
        "TP1 k-means_asmith_attempt_2026-09-04-11-00-00.txt": "Name: Ann Smith (asmith)\n",  # a text only
    })
    found = discover_class(archive, accepted=ACCEPTED)
    students = {student.id: student for student in found.students}
    assert _ids(students.values()) == [("asmith", "asmith"), ("bwu", "bwu"), ("jdoe", "jdoe")]
    jdoe = students["jdoe"]
    assert [part.target for part in jdoe.parts] == ["kmeans.py"] and not jdoe.conflict
    assert _prepared(jdoe, tmp_path, config).modules["kmeans"].read_text() == "x = 2\n"
    assert jdoe.notes == ("graded the latest attempt; earlier ones left out: "
                          "TP1 k-means_jdoe_attempt_2026-09-03-22-02-11_kmeans.py",)
    # The information files beside a student's files are no code: ignored, and listed.
    assert len(found.ignored) == 3 and all(name.endswith(".txt") for name in found.ignored)
    assert _prepared(students["asmith"], tmp_path, config).modules == {"kmeans": None}


@pytest.mark.quick
def test_a_blackboard_username_holding_an_underscore_is_read_whole(tmp_path):
    """Every name of one export starts with the same assignment: what follows it up to _attempt_ is the username,
    "_" included (ann_lee and bob_lee are two students, not one lee)."""
    root = tmp_path / "bb"
    for username, when in (("ann_lee", "2026-03-01-10-00-00"), ("bob_lee", "2026-03-01-10-05-00"),
                           ("j_doe2", "2026-03-01-10-06-00")):
        write(root / f"ML_Lab1_{username}_attempt_{when}_kmeans.py", "x = 1\n")
        write(root / f"ML_Lab1_{username}_attempt_{when}.txt", f"Name: {username}\n")
    assert _ids(discover(root, accepted=ACCEPTED)) == [("ann_lee", "ann_lee"), ("bob_lee", "bob_lee"),
                                                       ("j_doe2", "j_doe2")]
    archive = make_zip(tmp_path / "bb.zip", {path.name: path.read_text() for path in root.iterdir()})
    assert [student.id for student in discover(archive, accepted=ACCEPTED)] == ["ann_lee", "bob_lee", "j_doe2"]
    # A single file of an export is still read as Blackboard names it.
    alone = make_zip(tmp_path / "one.zip", {"ML_Lab1_jdoe_attempt_2026-03-01-10-00-00_kmeans.py": "x = 1\n"})
    assert _ids(discover(alone, accepted=ACCEPTED)) == [("jdoe", "jdoe")]
    # The information file names the user: one student's export, or usernames starting alike (j_doe, j_roe).
    one = tmp_path / "one"
    write(one / "ML_Lab1_j_doe2_attempt_2026-03-01-10-00-00_kmeans.py", "x = 1\n")
    write(one / "ML_Lab1_j_doe2_attempt_2026-03-01-10-00-00.txt", "Name: Jo Doe (j_doe2)\nAssignment: ML_Lab1\n")
    assert _ids(discover(one, accepted=ACCEPTED)) == [("j_doe2", "j_doe2")]
    alike = make_zip(tmp_path / "alike.zip", {
        f"ML_Lab1_{user}_attempt_2026-03-01-10-00-00{rest}": text for user in ("j_doe", "j_roe")
        for rest, text in (("_kmeans.py", "x = 1\n"), (".txt", f"Name: J Doe ({user})\n"))})
    assert [student.id for student in discover(alike, accepted=ACCEPTED)] == ["j_doe", "j_roe"]


def test_a_file_handed_in_shaped_like_an_export_claims_no_other_students_row(tmp_path):
    """In an export, a student's own upload is theirs, even a zip holding names shaped like the export's: it neither
    creates nor takes another student's row."""
    mallory = make_zip(tmp_path / "staging" / "evil.zip", {"doejohn_12345_1_kmeans.py": "x = 1\n",
                                                           "Ana B_7_assignsubmission_file_/kmeans.py": "x = 2\n"})
    archive = make_zip(tmp_path / "submissions.zip", {
        "doejohn_12345_67890_kmeans.py": "x = 3\n",
        "malloryeve_99999_67891_evil.zip": mallory.read_bytes(),
    })
    students = {student.id: student for student in discover(archive, accepted=ACCEPTED)}
    assert _ids(students.values()) == [("12345", "doejohn"), ("99999", "malloryeve")]
    assert not any(student.conflict for student in students.values())
    # Eve's upload holds a folder named with Ana's participant number: it is Eve's, Ana gets no row from it.
    inner = make_zip(tmp_path / "staging" / "moodle.zip", {"Ana B_7_assignsubmission_file_/kmeans.py": "x = 2\n"})
    root = tmp_path / "class"
    write(root / "Cid D_8_assignsubmission_file_" / "kmeans.py", "")
    write(root / "Eve F_9_assignsubmission_file_rendu.zip", inner.read_bytes())
    found = discover(root, accepted=ACCEPTED)
    assert [(student.id, student.conflict) for student in found] == [("8", ""), ("9", "")]
    assert [part.target for part in found[1].parts] == ["rendu.zip"]
