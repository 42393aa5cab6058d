"""A whole program in a clone of the starter repository, which hands it out in every language: the file the
student completed is graded, as ``grader check`` chooses it, with a note naming the others; all left as handed
out, the first language's skeleton is; a skeleton beside a program under another name is graded, and the note
says to rename theirs.  The class of clones is graded for every exercise (no ``--exercise``), in one run."""

from __future__ import annotations

import json
import shutil

import pytest

from grader import load_config
from grader.grade._run import grade_class
from tests.languages.conftest import needs

from .helpers import ROOT, fast_config, gradebook, write

pytestmark = needs("c")

_PLACE = "exercises/kmeans_program"
_SKELETONS = ROOT / _PLACE
_COMPLETED = ROOT / "reference" / "kmeans_program.c"


def _clone(root, files: dict[str, object]) -> None:
    """A student's clone: ``files`` (name -> source file) at the program's place in the course layout."""
    write(root / "README.md", "# k-means\n")
    write(root / ".git" / "config", "[core]\n")
    for name, source in files.items():
        write(root / _PLACE / name, "")
        shutil.copy(source, root / _PLACE / name)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The gradebook and each student's notes and exercise error, of the class graded once."""
    folder = tmp_path_factory.mktemp("programs")
    course = fast_config(folder / "course", max_examples=1, exercises=("kmeans", "kmeans_program"))
    skeletons = {f"kmeans_program.{suffix}": _SKELETONS / f"kmeans_program.{suffix}" for suffix in ("py", "c", "f90")}
    _clone(folder / "class" / "one", {**skeletons, "kmeans_program.c": _COMPLETED})
    _clone(folder / "class" / "none", skeletons)
    _clone(folder / "class" / "other", {"kmeans_program.py": skeletons["kmeans_program.py"], "main.c": _COMPLETED})
    grade_class(load_config(course), folder / "class", folder / "out", jobs=1, sandbox=False)
    reports = {}
    for student in ("one", "none", "other"):
        report = json.loads((folder / "out" / student / "report.json").read_text(encoding="utf-8"))
        program = next(item for item in report["exercises"] if item["id"] == "kmeans_program")
        reports[student] = (report["notes"], program["error"])
    return gradebook(folder / "out"), reports


@pytest.mark.quick
def test_the_completed_program_is_graded_beside_the_other_skeletons(graded):
    rows, reports = graded
    assert (rows["one"]["kmeans_program"], rows["one"]["language"], rows["one"]["status"]) == ("52", "c", "incomplete")
    notes, error = reports["one"]
    assert not error
    assert (f"graded one/{_PLACE}/kmeans_program.c (c); also found one/{_PLACE}/kmeans_program.py, "
            f"one/{_PLACE}/kmeans_program.f90, not graded (the file with the fewest TODO comments left wins, then "
            "the first language of the course's list: keep only the file to grade)") in notes


def test_skeletons_all_as_handed_out_grade_the_first_language(graded):
    rows, reports = graded
    assert (rows["none"]["kmeans_program"], rows["none"]["language"], rows["none"]["status"]) \
        == ("0", "python", "incomplete")
    notes, error = reports["none"]
    assert not error
    assert any(note.startswith(f"graded none/{_PLACE}/kmeans_program.py (python); also found ") for note in notes)


def test_a_program_under_another_name_is_told_to_rename(graded):
    rows, reports = graded
    assert (rows["other"]["kmeans_program"], rows["other"]["status"]) == ("0", "incomplete")
    notes, _ = reports["other"]
    assert (f"also found other/{_PLACE}/main.c, not graded: the file graded is other/{_PLACE}/kmeans_program.py; "
            "rename yours kmeans_program.c") in notes
