"""Finding the module in a submission, and reading it the way a teacher would."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.grade import discover
from grader.grade._discover import Part, Submission
from grader.grade._prepare import prepare

from .helpers import REFERENCE, ROOT, make_zip, write

CODE = "def distance(a, b):\n    return 0.0  # écart\n"


def _prepare(tmp_path: Path, config, build, *, python: bool = True) -> tuple:
    root = tmp_path / "class"
    root.mkdir()
    build(root)
    (student,) = discover(root)
    folder = tmp_path / "scratch"
    folder.mkdir()
    prepared = prepare(student, folder, {"kmeans": config.exercise("kmeans")})
    module = prepared.modules["kmeans"]
    if module is not None and python:
        assert module.name in ("kmeans.py", "kmeans.ipynb") and folder in module.parents
        compile(module.read_bytes(), str(module), "exec")  # what is graded is valid Python
    return prepared, module


@pytest.mark.parametrize("layout", [
    "kmeans.py", "exercises/kmeans/kmeans.py", "repo-main/exercises/kmeans/kmeans.py", "a/b/kmeans.py",
    "KMeans.py", "wrap/repo-main/kmeans.py",
])
def test_the_module_is_found_where_students_put_it(tmp_path, config, layout):
    def build(root):
        write(root / "ana" / layout, CODE)
        write(root / "ana" / "README.md", "hello\n")
        write(root / "ana" / "other" / "notes.py", "x = 1\n")
    prepared, module = _prepare(tmp_path, config, build)
    assert module is not None and module.read_text(encoding="utf-8") == CODE
    assert prepared.used["kmeans"] == f"ana/{layout}"


@pytest.mark.quick
def test_the_module_at_its_place_wins_over_copies_deeper_down(tmp_path, config):
    def build(root):
        write(root / "ana" / "exercises" / "kmeans" / "kmeans.py", CODE)
        write(root / "ana" / "exercises" / "kmeans" / "old" / "kmeans.py", "x = 'old'\n")
    prepared, module = _prepare(tmp_path, config, build)
    assert module.read_text(encoding="utf-8") == CODE


def test_two_candidates_at_the_same_depth_are_an_error(tmp_path, config):
    def build(root):
        write(root / "ana" / "v1" / "kmeans.py", CODE)
        write(root / "ana" / "v2" / "kmeans.py", CODE)
    prepared, module = _prepare(tmp_path, config, build)
    assert module is None
    status, message = prepared.problems["kmeans"]
    assert status == "error" and "several kmeans.py" in message and "ana/v1/kmeans.py" in message


def test_the_only_python_file_is_graded_whatever_its_name(tmp_path, config):
    prepared, module = _prepare(tmp_path, config, lambda root: write(root / "ana" / "mon_kmeans.py", CODE))
    assert module.read_text(encoding="utf-8") == CODE
    assert any("mon_kmeans.py as kmeans.py" in note for note in prepared.notes)


def test_a_notebook_instead_of_a_module_is_graded(tmp_path, config):
    def build(root):
        write(root / "ana" / "kmeans.ipynb", "{}")
        write(root / "ana" / "data.dat", "1 2\n")
    prepared, module = _prepare(tmp_path, config, build)
    assert module is not None and module.name == "kmeans.ipynb" and not prepared.problems
    assert prepared.used["kmeans"] == "ana/kmeans.ipynb"


def test_a_module_wins_over_a_notebook_of_the_same_name(tmp_path, config):
    def build(root):
        write(root / "ana" / "kmeans.ipynb", "{}")
        write(root / "ana" / "kmeans.py", CODE)
    prepared, module = _prepare(tmp_path, config, build)
    assert module is not None and module.name == "kmeans.py"


def test_a_notebook_wins_over_its_own_export_as_a_script(tmp_path, config):
    """Jupyter's "Download as Python" holds the notebook's workflow at its top level (``# In[3]:`` cells), which
    a module's grading runs and a notebook's leaves out: beside its notebook, the notebook is graded."""
    import nbformat

    exported = "#!/usr/bin/env python\n# coding: utf-8\n\n# In[1]:\n\n\n" + REFERENCE.read_text(encoding="utf-8") + \
        "\n\n# In[2]:\n\n\ndata = np.loadtxt('kmeans_input_file_2d.dat')\n"

    def build(root):
        cells = [nbformat.v4.new_code_cell(REFERENCE.read_text(encoding="utf-8")),
                 nbformat.v4.new_code_cell("data = np.loadtxt('kmeans_input_file_2d.dat')")]
        (root / "ana").mkdir(parents=True)
        nbformat.write(nbformat.v4.new_notebook(cells=cells), str(root / "ana" / "kmeans.ipynb"))
        write(root / "ana" / "kmeans.py", exported)
    prepared, module = _prepare(tmp_path, config, build)
    assert module is not None and module.name == "kmeans.ipynb", prepared.notes
    assert any("also found ana/kmeans.py, not graded" in note for note in prepared.notes), prepared.notes
    # An export whose functions were edited after (a fix made in the script) is the student's latest work.
    edited = exported.replace("def assign(", "def assign(  ", 1).replace("return labels", "return labels.copy()", 1)
    assert edited != exported

    def build_edited(root):
        build(root)
        write(root / "ana" / "kmeans.py", edited)
    (tmp_path / "edited").mkdir()
    prepared, module = _prepare(tmp_path / "edited", config, build_edited)
    assert module is not None and module.name == "kmeans.py", prepared.notes


def test_a_zip_inside_a_folder_is_unpacked(tmp_path, config):
    def build(root):
        make_zip(root / "ana" / "rendu.zip", {"rendu/kmeans.py": CODE, "__MACOSX/rendu/._kmeans.py": b"\0"})
    prepared, module = _prepare(tmp_path, config, build)
    assert module.read_text(encoding="utf-8") == CODE


def test_latin1_without_declaration_is_converted(tmp_path, config):
    prepared, module = _prepare(tmp_path, config, lambda root: write(root / "ana.py", CODE.encode("latin-1")))
    assert module.read_text(encoding="utf-8") == CODE
    assert any("read as Windows-1252" in note for note in prepared.notes)


def test_a_coding_declaration_is_honoured_and_kept(tmp_path, config):
    source = ("# -*- coding: latin-1 -*-\n" + CODE).encode("latin-1")
    prepared, module = _prepare(tmp_path, config, lambda root: write(root / "ana.py", source))
    assert module.read_bytes() == source and not [note for note in prepared.notes if "UTF-8" in note]


def test_a_bad_coding_declaration_is_corrected_when_converting(tmp_path, config):
    source = ("# coding: utf-8\n" + CODE).encode("latin-1")  # says UTF-8, is not
    prepared, module = _prepare(tmp_path, config, lambda root: write(root / "ana.py", source))
    assert module.read_text(encoding="utf-8") == "# coding: utf-8\n" + CODE


def test_bom_and_windows_line_endings_are_graded_as_they_are(tmp_path, config):
    source = b"\xef\xbb\xbf" + CODE.replace("\n", "\r\n").encode("utf-8")
    prepared, module = _prepare(tmp_path, config, lambda root: write(root / "ana.py", source))
    assert module.read_bytes() == source


def test_utf16_from_a_windows_editor_is_converted(tmp_path, config):
    prepared, module = _prepare(tmp_path, config, lambda root: write(root / "ana.py", CODE.encode("utf-16")))
    assert module.read_text(encoding="utf-8") == CODE


@pytest.mark.parametrize("content, message", [
    (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)), "not a text file"),
    (b"\x03\xf3\r\n" + bytes(range(1, 32)) * 40, "not a text file"),
    (b"   \n\n", "is empty"),
])
def test_binary_and_empty_files_are_refused_with_a_message(tmp_path, config, content, message):
    prepared, module = _prepare(tmp_path, config, lambda root: write(root / "ana" / "kmeans.py", content))
    status, problem = prepared.problems["kmeans"]
    assert module is None and status == "error" and message in problem


def test_a_submission_too_large_is_an_error_not_a_crash(tmp_path, config):
    from grader.grade import Caps

    root = tmp_path / "class"
    write(root / "ana" / "kmeans.py", CODE)
    write(root / "ana" / "big.dat", bytes(2 * 1024 * 1024))
    (student,) = discover(root)
    folder = tmp_path / "scratch"
    folder.mkdir()
    prepared = prepare(student, folder, {"kmeans": config.exercise("kmeans")}, caps=Caps(max_bytes=1024 * 1024))
    status, message = prepared.problems["kmeans"]
    assert status == "error" and "larger than 1 MiB" in message


def test_the_completed_language_wins_over_a_skeleton_left_beside_it(tmp_path, config):
    # A starter repository holds the exercise's skeleton in every language: the student completed the C one.
    skeletons = ROOT / "exercises" / "kmeans"

    def build(root):
        write(root / "ana" / "exercises" / "kmeans" / "kmeans.py", (skeletons / "kmeans.py").read_text())
        write(root / "ana" / "exercises" / "kmeans" / "kmeans.f90", (skeletons / "kmeans.f90").read_text())
        write(root / "ana" / "exercises" / "kmeans" / "kmeans.c", (ROOT / "reference" / "kmeans.c").read_text())

    prepared, _ = _prepare(tmp_path, config, build, python=False)
    assert prepared.used["kmeans"].endswith("exercises/kmeans/kmeans.c") and prepared.modules["kmeans"].suffix == ".c"
    assert any("exercises/kmeans/kmeans.c (c); also found" in note for note in prepared.notes), prepared.notes


PLOTTING_SCRIPT = "import numpy as np\nimport matplotlib.pyplot as plt\ncenters = np.loadtxt('kmeans_output_2d.dat')\n"


@pytest.mark.parametrize("language, plot", [("c", "plot_kmeans.py"), ("fortran", "visu.py"), ("c", "plots/kmeans.py"),
                                            ("python", "plots/kmeans.py")])
def test_a_file_defining_none_of_the_exercises_functions_never_outranks_the_students_work(tmp_path, config,
                                                                                          language, plot):
    # The course's visualisation script beside a completed C or Fortran file (it was graded as "the only Python
    # file": 0/100), or named like the module in a folder of plots beside a completed notebook.
    import nbformat

    def build(root):
        if language == "python":
            cells = [nbformat.v4.new_code_cell((ROOT / "reference" / "kmeans.py").read_text(encoding="utf-8"))]
            (root / "ana").mkdir(parents=True)
            nbformat.write(nbformat.v4.new_notebook(cells=cells), str(root / "ana" / "kmeans.ipynb"))
        else:
            name = {"c": "kmeans.c", "fortran": "kmeans.f90"}[language]
            write(root / "ana" / name, (ROOT / "reference" / name).read_text())
        write(root / "ana" / plot, PLOTTING_SCRIPT)

    prepared, _ = _prepare(tmp_path, config, build, python=False)
    graded = {"c": "ana/kmeans.c", "fortran": "ana/kmeans.f90", "python": "ana/kmeans.ipynb"}[language]
    assert prepared.used["kmeans"] == graded, (prepared.used, prepared.notes)
    assert any(f"also found ana/{plot}, not graded" in note for note in prepared.notes), prepared.notes


def test_a_c_file_whose_definitions_are_not_all_recognised_still_wins_over_an_untouched_skeleton(tmp_path, config):
    # Pointers to arrays as parameters, ``const double (*centers)[d]``: the reader does not recognise those
    # definitions, yet the file defines the exercise's other functions: it is not set aside as a plotting script.
    c_source = (ROOT / "reference" / "kmeans.c").read_text()
    for name in ("assign", "update"):
        start = c_source.index(f"void {name}(")
        signature = c_source[start:c_source.index(")", start) + 1]
        c_source = c_source.replace(signature, signature.replace("const double *centers", "const double (*centers)[d]"))

    def build(root):
        write(root / "ana" / "kmeans.py", (ROOT / "exercises" / "kmeans" / "kmeans.py").read_text())
        write(root / "ana" / "kmeans.c", c_source)

    assert "(*centers)[d]" in c_source
    prepared, _ = _prepare(tmp_path, config, build, python=False)
    assert prepared.used["kmeans"] == "ana/kmeans.c", (prepared.used, prepared.notes)


def test_the_headers_a_c_source_includes_go_with_it_and_count_in_what_was_graded(tmp_path, config):
    # Compiled with the source (see grader.sandbox.compile.local_includes): a changed header is a new grading.
    digests = []
    for run, factor in enumerate((2, 3)):
        def build(root, factor=factor):
            write(root / "quinn" / "kmeans.c", '#include "util.h"\nint twice(int x) { return FACTOR * x; }\n')
            write(root / "quinn" / "util.h", f"#define FACTOR {factor}\n")
        (tmp_path / str(run)).mkdir()
        prepared, module = _prepare(tmp_path / str(run), config, build, python=False)
        assert module.name == "kmeans.c" and (module.parent / "util.h").read_text() == f"#define FACTOR {factor}\n"
        digests.append(prepared.digests["kmeans"])
    assert digests[0] != digests[1]


def test_a_file_inside_a_students_archive_is_named_inside_it(tmp_path, config):
    # Notes and messages name the file as the student knows it (leo.zip/Lab1/...), never the scratch folder the
    # archive was unpacked into.
    def build(root):
        write(root / "leo" / "README.md", "my work is in the zip\n")
        make_zip(root / "leo" / "leo.zip", {"Lab1/my_kmeans.py": CODE, "Lab1/notes.txt": "tp1\n"})
    prepared, module = _prepare(tmp_path, config, build)
    assert module is not None and module.read_text(encoding="utf-8") == CODE
    said = " ".join([*prepared.notes, *prepared.used.values()])
    assert "leo.zip/Lab1/my_kmeans.py" in said and ".contents" not in said, said


def test_a_converted_c_source_keeps_the_files_it_includes_beside_it(tmp_path):
    # grader check grades the converted copy of a file not saved as UTF-8: a C source's own headers go with it,
    # as they do in grader grade's copy of the whole submission.
    from grader.grade._source import readable, scratch_folder

    write(tmp_path / "quinn" / "util.h", "#define FACTOR 2\n")
    write(tmp_path / "quinn" / "kmeans.c", '/* écart */\n#include "util.h"\n'.encode("latin-1"))
    with scratch_folder() as converted:
        copy, note = readable(tmp_path / "quinn" / "kmeans.c", converted)
        assert note and copy.parent != tmp_path / "quinn"
        assert (copy.parent / "util.h").read_text(encoding="utf-8") == "#define FACTOR 2\n"
        assert copy.read_text(encoding="utf-8").startswith("/* écart */")


@pytest.mark.parametrize("copy", ["kmeans (1).py", "sub/kmeans-2.py"])
def test_a_numbered_copy_alone_is_graded_and_said_so(tmp_path, config, copy):
    # Downloaded again, the file got a number; another Python file beside it keeps it from being the only one.
    def build(root):
        write(root / "zed" / copy, CODE)
        write(root / "zed" / "perceptron.py", "x = 1\n")
    prepared, module = _prepare(tmp_path, config, build)
    assert module is not None and module.read_text(encoding="utf-8") == CODE
    assert prepared.used["kmeans"] == f"zed/{copy}"
    assert any(f"graded zed/{copy} as kmeans.py (a copy of that name: no kmeans.py in the submission)" in note
               for note in prepared.notes)


@pytest.mark.parametrize("copy", ["KMeans.py", "kmeans (1).py", "kmeans-1.py"])
def test_a_completed_copy_beside_the_untouched_skeleton_is_graded(tmp_path, config, copy):
    # A second download (kmeans (1).py) or a renamed copy beside the skeleton left as handed out: the completed
    # one is graded, by grader grade (and Gradescope, which prepares as it does) and by grader check.
    import shutil

    from grader import load_config
    from grader.sources import default_submission

    def build(root):
        write(root / "ana" / "kmeans.py", (ROOT / "exercises" / "kmeans" / "kmeans.py").read_text(encoding="utf-8"))
        write(root / "ana" / copy, (ROOT / "reference" / "kmeans.py").read_text(encoding="utf-8"))
    prepared, module = _prepare(tmp_path, config, build)
    assert prepared.used["kmeans"] == f"ana/{copy}" and "def init_centers" in module.read_text(encoding="utf-8")
    course = tmp_path / "course"
    for part in ("exercises", "reference", "data"):
        shutil.copytree(ROOT / part, course / part)
    shutil.copy(ROOT / "config.yaml", course / "config.yaml")
    shutil.copy(ROOT / "reference" / "kmeans.py", course / "exercises" / "kmeans" / copy)
    chosen = default_submission(load_config(course / "config.yaml"), load_config(course / "config.yaml")
                                .exercise("kmeans"))
    assert chosen is not None and chosen.path.name == copy


def test_a_skeleton_left_beside_the_students_work_under_another_name_is_graded_with_a_note(tmp_path, config):
    # The exercise's file name wins (my_kmeans.py is not a copy of kmeans.py), but the student is told to rename.
    skeleton = (ROOT / "exercises" / "kmeans" / "kmeans.py").read_text(encoding="utf-8")
    reference = (ROOT / "reference" / "kmeans.py").read_text(encoding="utf-8")

    def build(root):
        write(root / "erin" / "kmeans.py", skeleton)
        write(root / "erin" / "my_kmeans.py", reference)
        write(root / "erin" / "plot.py", "import matplotlib\n")  # defines none of the exercise's functions
    prepared, _ = _prepare(tmp_path, config, build)
    assert prepared.used["kmeans"] == "erin/kmeans.py"
    assert ("also found erin/my_kmeans.py, not graded: the file graded is erin/kmeans.py; rename yours kmeans.py"
            in prepared.notes)

    def completed(root):  # the student's file done: a helper file defining the same functions is no matter
        write(root / "fay" / "kmeans.py", reference)
        write(root / "fay" / "old_kmeans.py", reference)
    (tmp_path / "fay").mkdir()
    prepared, _ = _prepare(tmp_path / "fay", config, completed)
    assert prepared.used["kmeans"] == "fay/kmeans.py" and not prepared.notes


@pytest.mark.parametrize("exercise_id", ["kmeans", "kmeans_program"])
def test_an_archive_whose_every_file_was_left_out_says_so_not_that_it_is_empty(tmp_path, config, exercise_id):
    # A zip made on Windows by a tool that wrote drive paths: its one file is left out (never unpacked outside),
    # and the status points at that note rather than calling the submission empty.
    make_zip(tmp_path / "class" / "leo.zip", {"C:\\Users\\leo\\Desktop\\TP\\kmeans.py": CODE})
    (student,) = discover(tmp_path / "class")
    (tmp_path / "scratch").mkdir()
    prepared = prepare(student, tmp_path / "scratch", {exercise_id: config.exercise(exercise_id)})
    status, message = prepared.problems[exercise_id]
    assert prepared.modules[exercise_id] is None and status == "missing"
    assert "empty" not in message and message.startswith("nothing to grade: every file of the submission was left "
                                                         "out (C:\\Users\\leo\\Desktop\\TP\\kmeans.py: path outside")
    assert any("path outside the archive's folder, left out" in note for note in prepared.notes)


@pytest.mark.parametrize("name, exercise_id, graded", [
    ("kmeans.F90", "kmeans", "kmeans.F90"), ("KMEANS.f", "kmeans", "kmeans.f"), ("Kmeans.C", "kmeans", "kmeans.C"),
    ("kmeans_program.F", "kmeans_program", "kmeans_program.F"),
    ("kmeans_program.PY", "kmeans_program", "kmeans_program.py"),
])
def test_a_compiled_source_keeps_its_suffix_as_grader_check_compiles_it(tmp_path, config, name, exercise_id,
                                                                         graded):
    # gfortran preprocesses a .F90 and reads a .f in fixed form: graded under the exercise's name, the source
    # keeps its own suffix, so grader grade compiles it as grader check does (which compiles C as C whatever
    # the case of its suffix).
    write(tmp_path / "class" / "ana" / name, "! a source\n")
    (student,) = discover(tmp_path / "class")
    (tmp_path / "scratch").mkdir()
    prepared = prepare(student, tmp_path / "scratch", {exercise_id: config.exercise(exercise_id)})
    assert prepared.modules[exercise_id] is not None and prepared.modules[exercise_id].name == graded


def test_programs_so_named_in_different_folders_are_an_error_and_side_by_side_a_choice(tmp_path, config):
    # Side by side (a starter repository's skeletons, one completed), grader check's choice; in two folders at the
    # same depth, which one is meant cannot be told.
    skeleton = (ROOT / "exercises" / "kmeans_program" / "kmeans_program.py").read_text(encoding="utf-8")
    completed = (ROOT / "reference" / "kmeans_program.f90").read_text(encoding="utf-8")
    write(tmp_path / "class" / "ana" / "tp" / "kmeans_program.py", skeleton)
    write(tmp_path / "class" / "ana" / "tp" / "kmeans_program.f90", completed)
    write(tmp_path / "class" / "ana" / "v1" / "x.txt", "")
    write(tmp_path / "class" / "bo" / "v1" / "kmeans_program.py", skeleton)
    write(tmp_path / "class" / "bo" / "v2" / "kmeans_program.f90", completed)
    students = {student.id: student for student in discover(tmp_path / "class")}
    found = {}
    for name, student in students.items():
        (tmp_path / name).mkdir()
        found[name] = prepare(student, tmp_path / name, {"kmeans_program": config.exercise("kmeans_program")})
    assert found["ana"].used["kmeans_program"] == "ana/tp/kmeans_program.f90"
    assert found["bo"].modules["kmeans_program"] is None
    assert found["bo"].problems["kmeans_program"] == (
        "error", "the submission holds several programs named kmeans_program (bo/v1/kmeans_program.py, "
                 "bo/v2/kmeans_program.f90): keep only the one to grade")


def test_a_program_beside_a_plotting_script_is_graded_and_two_copies_are_an_error_not_missing(tmp_path, config):
    # kmeans.c beside the course's visualisation script: the one named after the exercise's first word; a _2d and
    # a _3d copy of the program: which one is meant cannot be told, but the student handed work in.
    program = (ROOT / "reference" / "kmeans_program.c").read_text(encoding="utf-8")
    script = (ROOT / "reference" / "kmeans_program.py").read_text(encoding="utf-8")
    write(tmp_path / "class" / "ivan" / "kmeans.c", program)
    write(tmp_path / "class" / "ivan" / "plot.py", PLOTTING_SCRIPT)
    write(tmp_path / "class" / "jo" / "kmeans_2d.py", script)
    write(tmp_path / "class" / "jo" / "kmeans_3d.py", script.replace("_2d.dat", "_3d.dat"))
    found = {}
    for student in discover(tmp_path / "class"):
        found[student.id] = prepare(student, _scratch(tmp_path, student.id),
                                    {"kmeans_program": config.exercise("kmeans_program")})
    assert found["ivan"].used["kmeans_program"] == "ivan/kmeans.c"
    assert any("also found ivan/plot.py, not graded" in note for note in found["ivan"].notes), found["ivan"].notes
    status, message = found["jo"].problems["kmeans_program"]
    assert status == "error" and "jo/kmeans_2d.py, jo/kmeans_3d.py" in message, message


def _scratch(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    return folder


def test_a_lone_file_is_said_graded_as_the_module_unless_named_after_the_student(tmp_path, config):
    # A Gradescope upload of one file is named by the student's choice: they are told how it was read.  A bare file
    # of a class folder named after the student (alice.py) is the student's id, not their choice: no note.
    exercises = {"kmeans": config.exercise("kmeans")}
    write(tmp_path / "upload" / "lab.py", CODE)
    upload = Submission(id="submission", name="", parts=(Part(tmp_path / "upload" / "lab.py", "lab.py"),),
                        source="upload")
    prepared = prepare(upload, _scratch(tmp_path, "a"), exercises)
    assert prepared.modules["kmeans"] is not None
    assert prepared.notes == ("graded lab.py as kmeans.py (the only Python file)",)
    write(tmp_path / "class" / "alice.py", CODE)
    (alice,) = discover(tmp_path / "class")
    prepared = prepare(alice, _scratch(tmp_path, "b"), exercises)
    assert prepared.modules["kmeans"] is not None and prepared.notes == ()


@pytest.mark.parametrize("where", ["ana/perceptron.py", "perceptron.py"])
def test_the_only_file_named_after_another_exercise_is_missing_not_graded(tmp_path, config, where):
    # Handed in for another exercise of the course: graded as this one, it would fail every check for functions it
    # never defines, without saying why.
    write(tmp_path / "class" / where, "def predict(w, x):\n    return 0\n")
    (student,) = discover(tmp_path / "class")
    prepared = prepare(student, _scratch(tmp_path, "scratch"), {"kmeans": config.exercise("kmeans")},
                       course=config.exercises)
    assert prepared.modules["kmeans"] is None and prepared.notes == ()
    status, message = prepared.problems["kmeans"]
    assert status == "missing"
    assert message == (f"no kmeans.py in the submission: {where} is the file of another exercise, "
                       f"{config.exercise('perceptron').title} (perceptron), so it was not graded as kmeans.py; "
                       "hand in kmeans.py or kmeans.ipynb")


@pytest.mark.parametrize("name, exercise_id, source", [
    ("Perceptron (1).py", "kmeans", None),  # named after no exercise exactly: the student's file, graded
    ("alice_perceptron.py", "kmeans", None),
    ("perceptron.py", "kmeans", REFERENCE),  # this exercise's work, misnamed
    ("kmeans.py", "kmeans_program", ROOT / "reference" / "kmeans_program.py"),  # a whole program, misnamed
])
def test_a_lone_file_of_another_name_or_written_for_the_exercise_is_graded_with_a_note(tmp_path, config, name,
                                                                                       exercise_id, source):
    write(tmp_path / "class" / "ana" / name, CODE if source is None else source.read_text(encoding="utf-8"))
    (student,) = discover(tmp_path / "class")
    prepared = prepare(student, _scratch(tmp_path, "scratch"), {exercise_id: config.exercise(exercise_id)},
                       course=config.exercises)
    assert prepared.modules[exercise_id] is not None and not prepared.problems
    assert any(note.startswith(f"graded ana/{name} as ") for note in prepared.notes)


def test_a_submission_whose_every_file_was_left_out_names_no_other_languages_file():
    from grader.grade._archive import Unpacked
    from grader.grade._prepare import _empty

    unpacked = Unpacked()
    unpacked.leave_out("kmeans.c: a symbolic link (links are not followed)")
    status, message = _empty("kmeans.py", unpacked)  # a C student: the exercise's Python file is not theirs
    assert status == "missing"
    assert "kmeans.py" not in message and "hand in your file itself (not a link to it)" in message


def test_several_files_named_after_no_exercise_are_each_graded_as_the_exercise_they_define(tmp_path, config):
    """A Moodle folder holding TP2.ipynb (the perceptron) and TP3_MLP.ipynb (the MLP), beside an empty
    Untitled1.ipynb: each graded as its exercise, the empty one noted; two files for one exercise stay missing."""
    import nbformat

    def notebook(path: Path, *modules: str) -> None:
        cells = [nbformat.v4.new_code_cell((ROOT / "reference" / module).read_text(encoding="utf-8"))
                 for module in modules]
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nbformat.v4.new_notebook(cells=cells), str(path))

    root = tmp_path / "class"
    notebook(root / "ana" / "TP2.ipynb", "perceptron.py")
    notebook(root / "ana" / "TP3_MLP.ipynb", "mlp.py")
    notebook(root / "ana" / "Untitled1.ipynb")
    notebook(root / "ben" / "v1.ipynb", "perceptron.py")
    notebook(root / "ben" / "v2.ipynb", "perceptron.py")
    # A notebook and its script of the same name: one work, chosen as a module and its notebook are.
    notebook(root / "cyd" / "work.ipynb", "mlp.py")
    write(root / "cyd" / "work.py", (ROOT / "reference" / "mlp.py").read_text(encoding="utf-8"))
    exercises = {key: config.exercise(key) for key in ("kmeans", "perceptron", "mlp")}
    for student in discover(root):
        folder = tmp_path / "scratch" / student.id
        folder.mkdir(parents=True)
        prepared = prepare(student, folder, exercises)
        if student.id == "ana":
            assert prepared.used == {"perceptron": "ana/TP2.ipynb", "mlp": "ana/TP3_MLP.ipynb"}, prepared.used
            assert prepared.modules["kmeans"] is None
            assert any("TP2.ipynb is graded as" in note and "also found ana/Untitled1.ipynb, not graded" in note
                       for note in prepared.notes), prepared.notes
        elif student.id == "cyd":
            assert prepared.used == {"mlp": "cyd/work.py"}, prepared.used
        else:
            assert not any(prepared.modules.values()), prepared.modules
