"""Every entry of the submissions folder is one student; Moodle's exports give names and participant ids."""

from __future__ import annotations

import tarfile

import pytest

from grader.errors import UsageError
from grader import load_config
from grader.grade import discover, student_folder
from grader.grade._discover import accepted_files, discover_class
from grader.grade._prepare import prepare

from .helpers import ROOT, make_zip, write

ACCEPTED = accepted_files(load_config(ROOT / "config.yaml").exercises.values())


def _ids(students) -> list[tuple[str, str]]:
    return [(student.id, student.name) for student in students]


@pytest.mark.quick
def test_each_entry_is_a_student_named_after_it(tmp_path):
    root = tmp_path / "class"
    write(root / "Ana Lima" / "kmeans.py", "")
    write(root / "ben.py", "")
    make_zip(root / "carla.zip", {"carla/kmeans.py": ""})
    with tarfile.open(write(root / "dan.tar.gz", b"").with_name("dan.tar.gz"), "w:gz") as tar:
        tar.add(root / "ben.py", arcname="kmeans.py")
    write(root / "emil.txt", "I could not finish\n")
    for junk in (".DS_Store", "Thumbs.db", "__MACOSX/._ben.py", ".hidden/kmeans.py", "~$notes.docx"):
        write(root / junk, "junk")
    assert _ids(discover(root)) == [("Ana Lima", "Ana Lima"), ("ben", "ben"), ("carla", "carla"), ("dan", "dan")]
    # A file that cannot be a submission is no student: it is listed once as ignored, as is every entry left out.
    assert discover_class(root).ignored == (".DS_Store", ".hidden", "__MACOSX", "emil.txt", "Thumbs.db",
                                            "~$notes.docx")


@pytest.mark.quick
def test_stray_files_are_ignored_not_students(tmp_path):
    root = tmp_path / "class"
    write(root / "alice" / "kmeans.py", "")
    write(root / "bob.py", "")
    write(root / "notebook.ipynb", "{}")  # a notebook is a submission (a Python one)
    write(root / "carl.c", "")  # the exercise is offered in C and Fortran too
    write(root / "fran.f90", "")
    for stray in ("roster.csv", "README.md", "grades.xlsx", "instructions.pdf"):
        write(root / stray, "x")
    make_zip(root / "class-extras.zip", {"roster.csv": "", "README.md": ""})
    found = discover_class(root, accepted=ACCEPTED)
    assert _ids(found.students) == [("alice", "alice"), ("bob", "bob"), ("carl", "carl"),
                                    ("class-extras", "class-extras"), ("fran", "fran"), ("notebook", "notebook")]
    assert found.ignored == ("grades.xlsx", "instructions.pdf", "README.md", "roster.csv")
    assert not found.single


def test_an_archive_the_grader_does_not_open_gets_its_row_with_what_to_hand_in(tmp_path, config):
    # A .rar or .7z is a student's work the grader cannot read: a row in error that says what to hand in instead,
    # never an entry left out unseen.
    root = tmp_path / "class"
    write(root / "alice" / "kmeans.py", "")
    write(root / "emil.7z", b"7z\xbc\xaf\x27\x1c")
    write(root / "finn.rar", b"Rar!\x1a\x07\x00")
    found = discover_class(root, accepted=ACCEPTED)
    assert _ids(found.students) == [("alice", "alice"), ("emil", "emil"), ("finn", "finn")]
    assert found.ignored == ()
    finn = next(student for student in found.students if student.id == "finn")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    (status, message), = prepare(finn, scratch, {"kmeans": config.exercise("kmeans")}).problems.values()
    assert status == "error" and message.startswith("finn.rar is a RAR archive, which the grader does not open")
    assert "hand in a .zip" in message
    # Inside a student's folder too (or an export's, or a Gradescope upload, prepared the same way).
    write(root / "gus" / "kmeans.rar", b"Rar!\x1a\x07\x00")
    gus = next(student for student in discover_class(root, accepted=ACCEPTED).students if student.id == "gus")
    (tmp_path / "scratch-gus").mkdir()
    (status, message), = prepare(gus, tmp_path / "scratch-gus", {"kmeans": config.exercise("kmeans")}).problems.values()
    assert status == "error" and "kmeans.rar is a RAR archive" in message and "name your file" not in message


@pytest.mark.parametrize("name, kind", [("hana.py.gz", "gzip"), ("ivan.zipx", "ZIPX"), ("jo.tar.zst", "Zstandard"),
                                        ("kim.tar.lzma", "LZMA"), ("lee.bz2", "bzip2"), ("mo.xz", "xz")])
def test_a_file_compressed_in_a_form_the_grader_does_not_open_gets_its_row(tmp_path, config, name, kind):
    """A file compressed on its own, or a zip of a newer method: a row in error saying what to hand in (it was
    left out as no submission); the archives the grader opens are still opened."""
    root = tmp_path / "class"
    write(root / "alice" / "kmeans.py", "")
    write(root / name, b"\x1f\x8b\x08\x00")
    make_zip(root / "nia.zip", {"kmeans.py": ""})
    found = discover_class(root, accepted=ACCEPTED)
    stem = name.split(".")[0]
    assert _ids(found.students) == [("alice", "alice"), (stem, stem), ("nia", "nia")]
    assert found.ignored == ()
    student = next(student for student in found.students if student.id == stem)
    (tmp_path / "scratch").mkdir()
    (status, message), = prepare(student, tmp_path / "scratch", {"kmeans": config.exercise("kmeans")}).problems.values()
    assert status == "error" and message.startswith(f"{name} is a {kind} archive, which the grader does not open")


@pytest.mark.parametrize("layout", ["kmeans.py", "exercises/kmeans/kmeans.py", "kmeans.c",
                                    "exercises/kmeans/kmeans.f90"])
def test_one_students_folder_is_a_class_of_one(tmp_path, layout):
    write(tmp_path / "class" / "dave" / layout, "")
    write((tmp_path / "class" / "dave" / layout).parent / "notes.txt", "")
    found = discover_class(tmp_path / "class" / "dave", accepted=ACCEPTED)
    assert found.single and _ids(found.students) == [("dave", "dave")]
    assert found.students[0].parts[0].path == tmp_path / "class" / "dave"


def test_a_class_with_a_stray_exercise_file_at_its_top_stays_a_class(tmp_path):
    root = tmp_path / "class"
    write(root / "alice" / "kmeans.py", "")
    write(root / "bob.py", "")
    write(root / "kmeans.py", "")  # the instructor's copy of the skeleton, left there
    found = discover_class(root, accepted=ACCEPTED)
    assert not found.single and _ids(found.students) == [("alice", "alice"), ("bob", "bob"), ("kmeans", "kmeans")]


def test_a_class_of_archives_with_a_stray_exercise_file_at_its_top_stays_a_class(tmp_path):
    # The skeleton left in the download folder beside the students' zips and tars: each archive is a student, and
    # the stray file gets its own row, as beside students' folders; never one student named after the class.
    root = tmp_path / "class19"
    make_zip(root / "bob.zip", {"bob/kmeans.py": "", "bob/.DS_Store": "", "__MACOSX/bob/._kmeans.py": ""})
    make_zip(root / "gina.zip", {"kmeans.py": "", "notes.txt": ""})
    make_zip(root / "Élodie Müller.zip", {"TP/exercises/kmeans/kmeans.py": ""})
    write(tmp_path / "dan" / "kmeans.py", "")
    with tarfile.open(root / "dan.tar.gz", "w:gz") as tar:
        tar.add(tmp_path / "dan", arcname="dan")
    write(root / "kmeans.py", "")
    found = discover_class(root, accepted=ACCEPTED)
    assert not found.single
    assert _ids(found.students) == [("bob", "bob"), ("dan", "dan"), ("gina", "gina"), ("kmeans", "kmeans"),
                                    ("Élodie Müller", "Élodie Müller")]
    # The stray file's row says what it probably is, for the instructor to remove it; the students' say nothing.
    notes = {student.id: student.notes for student in found.students}
    (note,) = notes.pop("kmeans")
    assert note.startswith("kmeans.py is at the top of the class folder and named as the exercise's file, not after "
                           "a student: it is graded as a student of its own; if it is no student's submission")
    assert "remove it from the class folder" in note and not any(notes.values())


def test_a_students_folder_holding_archives_of_no_submission_stays_one_student(tmp_path):
    # A data set or a library zipped beside the exercise's file is the student's own, not another student.
    dave = tmp_path / "dave"
    write(dave / "kmeans.py", "")
    write(dave / "helpers.py", "")
    make_zip(dave / "data.zip", {"data/points.csv": "1,2\n"})
    with tarfile.open(dave / "lib.tar.gz", "w:gz") as tar:
        tar.add(dave / "helpers.py", arcname="lib/helpers.py")
    write(dave / "broken.zip", b"not a zip")
    found = discover_class(dave, accepted=ACCEPTED)
    assert found.single and _ids(found.students) == [("dave", "dave")]


def test_a_zipped_class_with_a_stray_exercise_file_at_its_top_is_read_as_unzipped(tmp_path):
    members = {"kmeans.py": "", "bob/kmeans.py": "", "alice/kmeans.py": ""}
    for name, content in members.items():
        write(tmp_path / "class18" / name, content)
    unzipped = discover_class(tmp_path / "class18", accepted=ACCEPTED)
    assert not unzipped.single and _ids(unzipped.students) == [("alice", "alice"), ("bob", "bob"),
                                                                ("kmeans", "kmeans")]
    for wrap in ("", "class23/"):
        archive = make_zip(tmp_path / f"class23-{len(wrap)}.zip", {wrap + name: text for name, text in members.items()})
        found = discover_class(archive, accepted=ACCEPTED)
        assert not found.single and _ids(found.students) == _ids(unzipped.students)
        stray = next(student for student in found.students if student.id == "kmeans")
        assert len(stray.notes) == 1 and stray.notes[0].startswith(f"{wrap}kmeans.py is at the top of the class folder")
    # A zip of one student, wrapped or not and with helpers in a subfolder, stays a class of one.
    archive = make_zip(tmp_path / "erin.zip", {"erin/kmeans.py": "", "erin/lib/helpers.py": ""})
    assert discover_class(archive, accepted=ACCEPTED).single


def test_one_students_file_or_archive_is_a_class_of_one(tmp_path):
    erin = write(tmp_path / "erin.py", "")
    found = discover_class(erin, accepted=ACCEPTED)
    assert found.single and _ids(found.students) == [("erin", "erin")]
    archive = make_zip(tmp_path / "fred.zip", {"fred/exercises/kmeans/kmeans.py": "", "fred/README.md": ""})
    found = discover_class(archive, accepted=ACCEPTED)
    assert found.single and _ids(found.students) == [("fred", "fred")]
    # A zip of several students stays a class.
    archive = make_zip(tmp_path / "class.zip", {"gus/kmeans.py": "", "hana.py": ""})
    found = discover_class(archive, accepted=ACCEPTED)
    assert not found.single and _ids(found.students) == [("gus", "gus"), ("hana", "hana")]


def test_moodle_folders_flat_files_and_archives(tmp_path):
    root = tmp_path / "class"
    write(root / "Élise Roy_101_assignsubmission_file_" / "kmeans.py", "")
    # Older exports: one flat file per uploaded file, the prefix naming the student.
    write(root / "Marc Dubois_102_assignsubmission_file_kmeans.py", "")
    write(root / "Marc Dubois_102_assignsubmission_file_notes.txt", "")
    write(root / "Marc Dubois_102_assignsubmission_onlinetext_onlinetext.html", "")
    make_zip(root / "export.zip", {
        "Nora Ba_201_assignsubmission_file_/kmeans.py": "",
        "Omar Ali_202_assignsubmission_file_/rendu.zip": b"",
        "__MACOSX/Nora Ba_201_assignsubmission_file_/._kmeans.py": b"",
    })
    students = {student.id: student for student in discover(root)}
    assert _ids(students.values()) == [("101", "Élise Roy"), ("102", "Marc Dubois"), ("201", "Nora Ba"),
                                       ("202", "Omar Ali")]
    assert sorted(part.target for part in students["102"].parts) == ["kmeans.py", "notes.txt", "onlinetext.html"]


def test_an_unpacked_moodle_export_folder_inside_the_class_folder(tmp_path):
    """Inside an export, an unpacked export gives participant rows; inside a plain class folder, where a student
    could have made it, it is one entry's submission, with a note, and claims nobody's row."""
    root = tmp_path / "class"
    write(root / "moodle" / "Ana B_7_assignsubmission_file_" / "kmeans.py", "")
    write(root / "moodle" / "Cid D_8_assignsubmission_file_" / "kmeans.py", "")
    write(root / "zoe.py", "")
    students = discover(root)
    assert _ids(students) == [("moodle", "moodle"), ("zoe", "zoe")]
    assert students[0].notes[0].startswith("moodle is shaped like a learning-platform export (it names Ana B (7), "
                                           "Cid D (8))")
    write(root / "Eva F_9_assignsubmission_file_" / "kmeans.py", "")
    (root / "zoe.py").unlink()
    assert _ids(discover(root)) == [("7", "Ana B"), ("8", "Cid D"), ("9", "Eva F")]


def test_the_moodle_archive_itself_can_be_graded(tmp_path, config):
    archive = make_zip(tmp_path / "download-all.zip", {
        "Course-Assignment-123/Ana B_7_assignsubmission_file_/kmeans.py": "x = 1\n",
        "Course-Assignment-123/Cid D_8_assignsubmission_file_/sub/kmeans.py": "x = 2\n",
    })
    students = discover(archive)
    assert _ids(students) == [("7", "Ana B"), ("8", "Cid D")]
    folder = tmp_path / "scratch"
    folder.mkdir()
    prepared = prepare(students[1], folder, {"kmeans": config.exercise("kmeans")})
    assert prepared.modules["kmeans"].read_text() == "x = 2\n"
    assert prepared.used["kmeans"] == "Cid D_8_assignsubmission_file_/sub/kmeans.py"


def test_flat_moodle_files_are_graded_under_their_own_names(tmp_path, config):
    root = tmp_path / "class"
    write(root / "Marc Dubois_102_assignsubmission_file_kmeans.py", "x = 3\n")
    write(root / "Marc Dubois_102_assignsubmission_file_helper.py", "y = 1\n")
    (student,) = discover(root)
    folder = tmp_path / "scratch"
    folder.mkdir()
    prepared = prepare(student, folder, {"kmeans": config.exercise("kmeans")})
    assert prepared.used["kmeans"] == "kmeans.py" and prepared.modules["kmeans"].read_text() == "x = 3\n"


def test_a_students_archive_shaped_like_an_export_cannot_stand_in_for_another_student(tmp_path, config):
    """Mallory's zip, mixed with the export's folders, holds a folder (and a flat file) named with Alice's and Bob's
    participant numbers: neither entry is graded as theirs (their gradebook rows would get Mallory's grade); each
    says so, naming the entries that claim the number.  Mallory's own entry and everyone else are graded."""
    root = tmp_path / "class"
    write(root / "Alice Smith_12345_assignsubmission_file_" / "kmeans.py", "x = 1\n")
    write(root / "Bob Jones_12346_assignsubmission_file_kmeans.py", "x = 2\n")
    write(root / "Carl Li_12347_assignsubmission_file_" / "kmeans.py", "x = 3\n")
    make_zip(root / "!mallory.zip", {"Alice Smith_12345_assignsubmission_file_/kmeans.py": "def assign(:\n",
                                     "Bob Jones_12346_assignsubmission_file_kmeans.py": "def assign(:\n",
                                     "Mallory_99999_assignsubmission_file_/kmeans.py": "x = 4\n"})
    students = {student.id: student for student in discover(root)}
    assert sorted(students) == ["12345", "12345 (2)", "12346", "12347", "99999"]
    assert not students["12347"].conflict and not students["99999"].conflict
    for student_id in ("12345", "12345 (2)", "12346"):
        conflict = students[student_id].conflict
        assert conflict.startswith(f"participant {student_id[:5]} appears more than once in the class folder (")
        assert "!mallory.zip:" in conflict and "keep only the real one and grade again" in conflict
        folder = tmp_path / "scratch" / student_id
        folder.mkdir(parents=True)
        prepared = prepare(students[student_id], folder, {"kmeans": config.exercise("kmeans")})
        assert prepared.modules == {"kmeans": None} and prepared.problems == {"kmeans": ("error", conflict)}
    # One student's files in one place, flat or in a folder, claim nothing twice.
    assert not any(student.conflict for student in discover(root, skip=[root / "!mallory.zip"]))


def test_ids_stay_unique_and_the_output_folder_is_not_a_student(tmp_path):
    root = tmp_path / "class"
    write(root / "alice" / "kmeans.py", "")
    make_zip(root / "alice.zip", {"kmeans.py": ""})
    write(root / "Alice.py", "")
    write(root / "a:b.py", "")
    write(root / "a_b.py", "")
    write(root / "results" / "alice" / "report.json", "{}")
    students = discover(root, skip=[root / "results"])
    assert [(student.id, student.source) for student in students] == [
        ("a:b", "a:b.py"), ("a_b (2)", "a_b.py"), ("Alice", "Alice.py"), ("alice (2)", "alice"),
        ("alice (3)", "alice.zip")]
    assert len({student_folder(student.id).casefold() for student in students}) == len(students)
    # Entries of one id are each graded, never merged or dropped unseen: a note on each names them all.
    notes = {student.id: student.notes for student in students}
    assert notes["a:b"] == notes["a_b (2)"] == (
        "a:b.py and a_b.py are both in the class folder: graded as a:b and a_b (2); remove one of them",)
    assert notes["Alice"] == notes["alice (3)"] == (
        "Alice.py, the folder alice/ and alice.zip are all in the class folder: graded as Alice, alice (2) and "
        "alice (3); remove all but one of them",)


@pytest.mark.quick
def test_a_students_folder_and_zip_both_graded_with_a_note_naming_them(tmp_path, config):
    # Unzipping an archive in place leaves sam/ beside sam.zip: both graded, each noted, in the student's report.
    root = tmp_path / "class"
    write(root / "pat" / "kmeans.py", "")
    write(root / "sam" / "kmeans.py", "")
    make_zip(root / "sam.zip", {"sam/kmeans.py": ""})
    students = discover(root)
    note = "the folder sam/ and sam.zip are both in the class folder: graded as sam and sam (2); remove one of them"
    assert [(student.id, student.notes) for student in students] == [
        ("pat", ()), ("sam", (note,)), ("sam (2)", (note,))]
    assert note in prepare(students[2], tmp_path / "scratch", {"kmeans": config.exercise("kmeans")}).notes


def test_an_earlier_output_of_the_grader_in_the_class_folder_is_ignored_not_a_student(tmp_path):
    # grader grade CLASS --out CLASS/graded1, then --out CLASS/graded2: graded1 is no phantom student.
    root = tmp_path / "class"
    write(root / "bo" / "kmeans.py", "")
    write(root / "cy" / "kmeans.py", "")
    for out in ("graded1", "graded2"):
        write(root / out / "gradebook.csv", "student\n")
        write(root / out / "index.html", "")
        for student in ("bo", "cy"):
            write(root / out / student / "report.json", "{}")
            write(root / out / student / "submission.json", "{}")
    # A student's folder once given as OUT holds their file: still theirs.
    write(root / "bo" / "gradebook.csv", "student\n")
    write(root / "bo" / "cy" / "submission.json", "{}")
    found = discover_class(root, skip=[root / "graded2"], accepted=ACCEPTED)
    assert [student.id for student in found.students] == ["bo", "cy"]
    assert found.ignored == ("graded1",)


def test_a_programs_single_files_in_any_language_are_students(tmp_path):
    """A whole program may be written in C or Fortran without the exercise listing its languages."""
    root = tmp_path / "class"
    for name in ("ana.c", "dee.f90", "eli.py", "notes.md"):
        write(root / name, "")
    found = discover_class(root, accepted=accepted_files([load_config(ROOT / "config.yaml").exercise("kmeans_program")]))
    assert _ids(found.students) == [("ana", "ana"), ("dee", "dee"), ("eli", "eli")]
    assert found.ignored == ("notes.md",)


@pytest.mark.quick
def test_a_folders_name_with_a_dot_is_its_students_id_whole(tmp_path):
    root = tmp_path / "class"
    for name in ("jean.dupont/kmeans.py", "jean.martin/kmeans.py", "anna.b/kmeans.c", "m.curie.py"):
        write(root / name, "")
    make_zip(root / "li.wei.zip", {"kmeans.py": ""})
    assert [student.id for student in discover(root, accepted=ACCEPTED)] == [
        "anna.b", "jean.dupont", "jean.martin", "li.wei", "m.curie"]
    # One student's folder alone keeps its whole name too; a file alone loses its suffix.
    assert _ids(discover(root / "jean.dupont", accepted=ACCEPTED)) == [("jean.dupont", "jean.dupont")]
    assert _ids(discover(root / "m.curie.py", accepted=ACCEPTED)) == [("m.curie", "m.curie")]


def test_a_missing_folder_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError):
        discover(tmp_path / "nowhere")


def test_long_names_alike_but_for_their_end_or_middle_get_folders_of_their_own(tmp_path):
    """A folder name is cut to fit; it keeps its end, so two long names differing only there (or a " (2)" added
    to tell two apart) still give two folders, and discovery ends (it looped for ever when the cut dropped it)."""
    root = tmp_path / "class"
    for name in ("a" * 130 + "1.py", "a" * 130 + "2.py", "b" * 100 + "x" + "b" * 40 + ".py",
                 "b" * 100 + "y" + "b" * 40 + ".py"):
        write(root / name, "")
    students = discover(root)
    folders = [student_folder(student.id) for student in students]
    assert len(students) == 4 and len(set(folders)) == 4 and all(len(folder) <= 120 for folder in folders)
    assert sum(student.id.endswith(" (2)") for student in students) == 1


def test_moodle_online_text_beside_the_files_is_not_a_second_student(tmp_path):
    # An assignment with online text on: Moodle writes a folder for each of a participant's plugins.
    root = tmp_path / "class"
    write(root / "Anna S_61_assignsubmission_file_" / "kmeans.py", "")
    write(root / "Anna S_61_assignsubmission_onlinetext_" / "onlinetext.html", "<p>done</p>")
    write(root / "Bo T_62_assignsubmission_onlinetext_" / "onlinetext.html", "<p>my code is in the text</p>")
    found = discover_class(root, accepted=ACCEPTED)
    assert [(student.id, student.name, student.conflict) for student in found.students] == [
        ("61", "Anna S", ""), ("62", "Bo T", "")]  # Bo handed in only a text: still a row, graded as missing
    assert [part.target for part in found.students[0].parts] == ["Anna S_61_assignsubmission_file_"]
    assert any("Anna S_61_assignsubmission_onlinetext_" in entry for entry in found.ignored), found.ignored


def test_an_export_zipped_again_with_its_folder_entries_is_still_an_export(tmp_path):
    # zip -r (and Finder) write an entry for each folder, the wrapping one too.
    archive = make_zip(tmp_path / "TP1.zip", {
        "TP1/Ana B_7_assignsubmission_file_/kmeans.py": "x = 1\n",
        "TP1/Cid D_8_assignsubmission_file_/kmeans.py": "x = 2\n",
    }, folders=("TP1", "TP1/Ana B_7_assignsubmission_file_", "TP1/Cid D_8_assignsubmission_file_"))
    assert _ids(discover(archive)) == [("7", "Ana B"), ("8", "Cid D")]


def test_utf8_names_in_a_zip_without_its_utf8_flag_are_read_as_utf8(tmp_path):
    # Linux's zip and macOS's Finder write UTF-8 names without the flag that says so (then read as cp437).
    written = make_zip(tmp_path / "class.zip", {"ZoXY/kmeans.py": "x = 1\n", "LiXYZ/kmeans.py": "x = 2\n"})
    data = written.read_bytes()
    assert b"ZoXY" in data
    written.write_bytes(data.replace(b"ZoXY", "Zoë".encode()).replace(b"LiXYZ", "Li李".encode()))
    assert sorted(_ids(discover(written))) == [("Li李", "Li李"), ("Zoë", "Zoë")]


def test_a_class_of_bare_programs_in_c_and_fortran_is_found_for_the_program_exercise(tmp_path, config):
    # A whole program's language comes from its suffix: each bare .c, .F90, .f file is a student, as is a .py.
    root = tmp_path / "class"
    for name in ("ana.c", "dee.F90", "fay.f", "cy.py"):
        write(root / name, "")
    found = discover_class(root, accepted=accepted_files([config.exercise("kmeans_program")]))
    assert _ids(found.students) == [(name, name) for name in ("ana", "cy", "dee", "fay")] and not found.ignored


@pytest.mark.quick
def test_an_export_zip_beside_its_own_unpacked_entries_is_graded_once(tmp_path):
    """Unzipping a Moodle export in place leaves its zip beside its entries: each student once, no conflict, and the
    zip listed once as the export already unpacked; a zip whose files differ is still read as another export."""
    members = {"Ana B_7_assignsubmission_file_/kmeans.py": "x = 1\n",
               "Ana B_7_assignsubmission_file_/sub/util.py": "y = 1\n",
               "Cid D_8_assignsubmission_file_kmeans.py": "x = 2\n"}
    root = tmp_path / "class"
    for name, text in members.items():
        write(root / name, text)
    write(root / "Ana B_7_assignsubmission_file_" / ".DS_Store", b"\0")  # junk beside the files changes nothing
    for wrap in ("", "TP1/"):  # Moodle's zip, and the same zipped again within its folder
        make_zip(root / "TP1-export.zip", {f"{wrap}{name}": text for name, text in members.items()})
        found = discover_class(root, accepted=ACCEPTED)
        assert [(student.id, student.conflict, student.notes) for student in found.students] == [
            ("7", "", ()), ("8", "", ())]
        assert "TP1-export.zip (the export already unpacked here: remove one)" in found.ignored
    write(root / "Cid D_8_assignsubmission_file_kmeans.py", "x = 3\n")  # edited since: no longer the same
    conflicts = {student.id: student.conflict for student in discover(root)}
    assert sorted(conflicts) == ["7", "7 (2)", "8"]
    assert all("TP1-export.zip is the export again, but its files differ from the ones unpacked here" in conflict
               and "keep only one copy of the export" in conflict for conflict in conflicts.values()), conflicts


def test_a_browsers_second_download_of_a_student_is_noted_as_their_twin(tmp_path):
    """``alice (1).py`` beside ``alice.py`` (downloaded twice): both graded, each with the note naming both."""
    root = tmp_path / "class"
    write(root / "alice.py", "")
    write(root / "alice (1).py", "")
    write(root / "bob (2).py", "")  # alone: nothing to note
    note = "alice.py and alice (1).py are both in the class folder: graded as alice and alice (1); remove one of them"
    assert [(student.id, student.notes) for student in discover(root)] == [
        ("alice", (note,)), ("alice (1)", (note,)), ("bob (2)", ())]


def test_a_class_given_as_a_zip_lists_what_it_leaves_out_as_unpacked(tmp_path):
    """``__MACOSX`` and ``.DS_Store`` of a class's zip are listed as ignored, as they are for the class unpacked."""
    archive = make_zip(tmp_path / "TP1.zip", {
        "TP1/ana/kmeans.py": "", "TP1/ben.py": "", "TP1/.DS_Store": b"\0", "TP1/ana/.DS_Store": b"\0",
        "__MACOSX/TP1/._ben.py": b"", "__MACOSX/TP1/ana/._kmeans.py": b"",
    })
    found = discover_class(archive, accepted=ACCEPTED)
    assert _ids(found.students) == [("ana", "ana"), ("ben", "ben")]
    assert found.ignored == ("__MACOSX", "TP1/.DS_Store")


def test_a_suffix_given_to_a_duplicate_is_never_another_entrys_own_id(tmp_path):
    """Folders ``sam`` and ``sam (2)`` beside ``sam.zip``: the zip, a second entry of ``sam``, is numbered past
    ``sam (2)``, which stays the folder's: an import by id gives no student another's score."""
    root = tmp_path / "class"
    write(root / "sam" / "kmeans.py", "")
    write(root / "sam (2)" / "kmeans.py", "")
    make_zip(root / "sam.zip", {"kmeans.py": ""})
    students = discover_class(root, accepted=ACCEPTED).students
    ids = {student.id: student.parts[0].path.name for student in students}
    assert ids["sam (2)"] == "sam (2)", ids
    assert sorted(ids) == ["sam", "sam (2)", "sam (3)"], ids
