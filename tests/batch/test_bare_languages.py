"""A class folder of bare files in Python, C and Fortran, named after the students: each is matched to the
exercise it is for (by the functions it defines: parsed, never run) and graded in its language, whether or
not ``--exercise`` is given; a file that cannot be told says, once, to pass ``--exercise``."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from tests.conftest import ROOT
from tests.languages.conftest import needs

from .helpers import fast_config, gradebook, run_grade, write

pytestmark = [needs("c"), needs("fortran")]

_UNKNOWN = "int helper(int x)\n{\n    return x + 1;\n}\n"


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return fast_config(tmp_path_factory.mktemp("course"), max_examples=1,
                       exercises=("kmeans", "perceptron", "kmeans_program"))


@pytest.fixture(scope="module")
def bare_class(tmp_path_factory):
    root = tmp_path_factory.mktemp("class") / "submissions"
    for student, source in {"erin.c": "kmeans.c", "fred.f90": "kmeans.f90", "gina.py": "kmeans.py"}.items():
        write(root / student, (ROOT / "reference" / source).read_text(encoding="utf-8"))
    write(root / "zed.c", _UNKNOWN)
    import nbformat

    # A notebook with IPython syntax and a first attempt that does not parse, defined again below it.
    cells = ["import numpy as np\nnp.argmin?", "def kmeans(data, centers:\n    return None",
             (ROOT / "reference" / "kmeans.py").read_text(encoding="utf-8"), "files = !ls",
             'print("Step : %d, error : %g"\n      % (1, 0.5))']
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(cell) for cell in cells]),
                   str(root / "hana.ipynb"))
    return root


@pytest.mark.parametrize("exercise", [(), ("--exercise", "kmeans")], ids=["all exercises", "kmeans"])
def test_bare_files_in_any_language_get_one_row_each(course, bare_class, tmp_path, exercise):
    out = tmp_path / "out"
    done = run_grade(str(bare_class), "--out", str(out), "--config", str(course), "--jobs", "2", *exercise,
                     cwd=tmp_path, tmp=tmp_path / "tmp")
    assert done.returncode in (0, 1), done.stderr
    rows = gradebook(out)
    assert set(rows) == {"erin", "fred", "gina", "hana", "zed"}
    completed = ("erin", "fred", "gina", "hana")
    assert {student: (rows[student]["language"], rows[student]["kmeans"]) for student in completed} \
        == {"erin": ("c", "100"), "fred": ("fortran", "100"), "gina": ("python", "100"), "hana": ("python", "100")}
    if exercise:
        assert all(rows[student]["status"] == "graded" for student in completed)
        return
    assert all(rows[student]["status"] == "incomplete" for student in completed)  # kmeans only
    erin = json.loads((out / "erin" / "report.json").read_text(encoding="utf-8"))
    assert any("erin.c is graded as k-means (kmeans), by the functions it defines" in note for note in erin["notes"])
    perceptron = next(item for item in erin["exercises"] if item["id"] == "perceptron")
    assert "name your file" not in perceptron["error"] and "erin.c is graded as k-means" in perceptron["error"]
    assert rows["zed"]["status"] == "missing"
    (line,) = [line for line in done.stderr.splitlines() if " zed:" in line]
    assert line.count("--exercise") == 1 and "name your file" not in line


@pytest.mark.quick
def test_a_program_and_a_stranger_are_told_apart(tmp_path):
    from grader import load_config
    from grader.sources import exercise_of

    config = load_config(fast_config(tmp_path, exercises=("kmeans", "perceptron", "mlp", "kmeans_program")))
    cases = {"a.c": "kmeans_program.c", "b.f90": "kmeans_program.f90", "c.py": "perceptron.py", "d.f90": "mlp.f90",
             "e.c": "perceptron.c"}
    for name, source in cases.items():
        shutil.copy(ROOT / "reference" / source, tmp_path / name)
    found = {name: exercise_of(tmp_path / name, config.exercises).exercise for name in cases}
    assert found == {"a.c": "kmeans_program", "b.f90": "kmeans_program", "c.py": "perceptron", "d.f90": "mlp",
                     "e.c": "perceptron"}
    write(tmp_path / "z.c", _UNKNOWN)
    assert exercise_of(tmp_path / "z.c", config.exercises).exercise is None


def test_c_and_fortran_definitions_are_found_however_they_are_laid_out(tmp_path):
    """The return type on the line above the name (GNU style: ``void\nforward (...)``, ``int\nmain (...)``), a
    Fortran ``function`` or ``subroutine`` continued on the next line: the file is still its exercise's."""
    from grader import load_config
    from grader.sources import exercise_of

    config = load_config(fast_config(tmp_path, exercises=("kmeans", "perceptron", "mlp", "kmeans_program")))
    gnu = re.compile(r"^((?:static )?\w+ \**)(\w+)\(", re.MULTILINE)
    for name, source in {"mona.c": "perceptron.c", "nils.c": "kmeans_program.c"}.items():
        text = gnu.sub(r"\1\n\2 (", (ROOT / "reference" / source).read_text(encoding="utf-8"))
        assert "void \nforward (" in text or "int \nmain (void)" in text
        write(tmp_path / name, text)
    continued = re.sub(r"^([ \t]*)(subroutine|function) (\w+)\(", r"\1\2 &\n\1    & \3(",
                       (ROOT / "reference" / "mlp.f90").read_text(encoding="utf-8"), flags=re.MULTILINE)
    write(tmp_path / "olaf.f90", continued)
    found = {name: exercise_of(tmp_path / name, config.exercises) for name in ("mona.c", "nils.c", "olaf.f90")}
    assert {name: (match.exercise, match.how) for name, match in found.items()} == {
        "mona.c": ("perceptron", "by the functions it defines"), "nils.c": ("kmeans_program", "being a whole program"),
        "olaf.f90": ("mlp", "by the functions it defines")}


def test_fortran_procedures_are_read_with_their_prefixes_in_free_and_fixed_form():
    from grader.sources import READERS

    free = ("module m\ncontains\n  pure elemental real(8) function scale(x) result(y)\n  end function scale\n"
            "  recursive subroutine walk(n)\n  end subroutine walk\n  subroutine reset  ! no arguments\n"
            "  end subroutine reset\n  integer function &\n\n  ! the count\n      count_of(a)\n"
            "  end function count_of\n"
            "end module m\nsubmodule (m) s\ncontains\n  module procedure peek\n  end procedure peek\nend submodule s\n")
    assert READERS[".f90"].defines(free) == {"scale", "walk", "reset", "count_of", "peek"}
    fixed = ("C     SUBROUTINE OLD(X)\n      SUBROUTINE FIT(X,\n     &               Y)\n      END\n"
             "      DOUBLE PRECISION FUNCTION\n     1    SCORE(A)\n      END\n")
    assert READERS[".f"].defines(fixed) == READERS[".for"].defines(fixed) == READERS[".ftn"].defines(fixed) == {
        "fit", "score"}


def test_whole_programs_defining_some_of_the_functions_exercises_functions_are_programs(tmp_path):
    """A course program often defines ``distance``, ``assign`` and ``update`` beside its ``main`` (run at the top
    level, from a ``__main__`` block, or C's ``main``): it is the whole-program exercise, while a module defining
    every function of the functions exercise stays that exercise, even with top-level prints or a demo block."""
    from grader import load_config
    from grader.sources import exercise_of

    config = load_config(fast_config(tmp_path, exercises=("kmeans", "perceptron", "mlp", "kmeans_program")))
    rosa = ("import numpy as np\n\ndef distance(a, b):\n    return float(np.sum((a - b) ** 2))\n\n"
            "def read_data(name):\n    return np.loadtxt(name).T\n\ndef assign(data, centers):\n    return 0\n\n"
            "def update(data, labels, k):\n    return 0\n\ndef main():\n    print('Step : 1, error : 0.1 , cent. move : 0')\n")
    write(tmp_path / "rosa.py", rosa + "\nmain()\n")
    write(tmp_path / "sami.py", rosa + "\nif __name__ == '__main__':\n    main()\n")
    write(tmp_path / "tom.c", "#include <stdio.h>\ndouble distance(double *a, double *b, int d) { return 0; }\n"
          "void assign(void) {}\nvoid update(void) {}\nint main(void) { puts(\"Step : 1\"); return 0; }\n")
    programs = ["rosa.py", "sami.py", "tom.c", *(path.name for path in (ROOT / "tests" / "program" / "correct")
                                                 .iterdir() if path.suffix in (".py", ".c", ".f90"))]
    for name in programs[3:]:
        shutil.copy(ROOT / "tests" / "program" / "correct" / name, tmp_path / name)
    modules = [path for path in (ROOT / "tests" / "kmeans" / "variants").iterdir() if path.suffix == ".py"]
    found = {name: exercise_of(tmp_path / name, config.exercises).exercise for name in programs}
    assert found == dict.fromkeys(programs, "kmeans_program")
    found = {path.name: exercise_of(path, config.exercises).exercise for path in modules}
    assert found == dict.fromkeys(found, "kmeans")  # course_style.py prints at the top level: still the module
    # The functions made from an object of the student's class (top-level work: the object is created) count.
    methods = "".join(f"    def {name}(self, *args):\n        return 0\n" for name in
                      ("add_bias", "forward", "backprop", "train", "predict", "confusion_matrix"))
    write(tmp_path / "frank.py", f"class MLP:\n{methods}\nnet = MLP()\nforward, backprop, train = net.forward, "
                                 "net.backprop, net.train\nadd_bias, predict = net.add_bias, net.predict\n"
                                 "confusion_matrix = net.confusion_matrix\n")
    assert exercise_of(tmp_path / "frank.py", config.exercises).exercise == "mlp"
