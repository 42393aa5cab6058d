"""The ``languages`` section of config.yaml, the choice of language by extension, and a missing compiler."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from grader import grade_submission, load_config
from grader.errors import ConfigError
from grader.student._languages import runner_for
from tests.conftest import ROOT


@pytest.mark.quick
def test_languages_of_the_kmeans_exercise(config):
    exercise = config.exercise("kmeans")
    assert list(exercise.languages) == ["python", "c", "fortran"]
    assert exercise.language_of(Path("x/kmeans.c")) == "c"
    assert exercise.language_of(Path("solution.F90")) == "fortran"
    assert exercise.language_of(Path("kmeans.py")) == "python"
    assert exercise.language_of(Path("notes.txt")) == "python"  # unknown extension: the exercise's own language
    # An extension added to a file's own (Windows hides extensions): the language of the one before it.
    assert exercise.language_of(Path("kmeans.c.txt")) == "c"
    assert exercise.language_of(Path("kmeans.f90.TXT")) == "fortran"
    assert exercise.language_of(Path("my.notes.txt")) == "python"
    c = exercise.for_language("c")
    assert (c.module, c.skeleton.name, c.language) == ("kmeans.c", "kmeans.c", "c")
    assert c.reference == exercise.reference  # hidden checks compare with the trusted Python reference
    assert c.binding_file() == ROOT / "grader" / "exercises" / "kmeans" / "binding.py"


def test_a_whole_programs_language_comes_from_its_suffix_the_one_before_an_added_one_or_the_option(config):
    """A program saved as kmeans_program.c.txt is C; one whose suffix tells nothing is in the language it is graded
    in (``--language``); a notebook is refused, whatever the option."""
    from grader.student._program import program_language

    program = config.exercise("kmeans_program")
    assert program.language_of(Path("kmeans_program.c.txt")) == "c"
    assert program.language_of(Path("kmeans_program.f90.txt")) == "fortran"
    assert program.language_of(Path("mine.txt")) == program.language
    assert program_language(Path("mine.txt"), program.for_language("fortran")) == "fortran"
    assert program_language(Path("mine.c"), program.for_language("fortran")) == "c"  # the suffix first
    with pytest.raises(ValueError, match="not a whole program"):
        program_language(Path("mine.ipynb"), program.for_language("python"))
    with pytest.raises(ValueError, match="cannot tell its language"):  # another language's suffix
        program_language(Path("mine.rs"), program.for_language("c"))


def _config_with(tmp_path: Path, languages) -> Path:
    raw = yaml.safe_load((ROOT / "config.yaml").read_text())
    raw["exercises"]["kmeans"]["languages"] = languages
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(raw))
    return path


@pytest.mark.parametrize("languages, message", [
    ({"cobol": {"module": "kmeans.cob", "skeleton": "x"}}, "unknown language"),
    ({"c": {"module": "kmeans.c", "skeleton": "x"}}, "missing required key 'binding'"),
    ({"c": {"module": "kmeans.f90", "skeleton": "x", "binding": "b"}}, "is not a c file name"),
    ({"python": {"module": "kmeans.py", "skeleton": "x"}}, "already given"),
    (["c"], "'languages' must map"),
])
def test_bad_languages_section(tmp_path, languages, message):
    with pytest.raises(ConfigError, match=message):
        load_config(_config_with(tmp_path, languages))


def test_a_language_the_exercise_does_not_offer(tmp_path):
    config = load_config(_config_with(tmp_path, None))
    with pytest.raises(ConfigError, match="not offered in c"):
        config.exercise("kmeans").language_of(Path("kmeans.c"))


def test_missing_compiler_is_a_clear_load_error(config, tmp_path, monkeypatch):
    path = tmp_path / "kmeans.c"
    path.write_text((ROOT / "reference" / "kmeans.c").read_text())
    monkeypatch.setenv("PATH", str(tmp_path / "no-compilers-here"))
    report = grade_submission(config, {"kmeans": path})
    exercise = report.exercises[0]
    assert exercise.status == "error" and exercise.language == "c"
    assert exercise.error.startswith("C submissions need gcc: install it")


@pytest.mark.quick
def test_runner_factory():
    assert runner_for("c") is runner_for("c")
    assert runner_for("fortran").language == "fortran" and runner_for("python").language == "python"
    with pytest.raises(ValueError, match="no runner"):
        runner_for("cobol")
    fortran = runner_for("fortran")
    assert fortran.explain_death("x\nAt line 7 of file kmeans.f90\nFortran runtime error: Index '0' of dimension 1 "
                                 "of array 'c' below lower bound of 1\n") == (
        "Fortran runtime error at line 7 of kmeans.f90: Index '0' of dimension 1 of array 'c' below lower bound of 1")
    assert fortran.explain_death("nothing special") is None
    assert runner_for("c").describe_signal("SIGSEGV").startswith("SIGSEGV (a segmentation fault")


def test_doctor_reports_the_compilers(monkeypatch, tmp_path):
    from grader.sandbox.compile import find_compiler, self_test

    if find_compiler("c") is not None:
        assert self_test("c").startswith(f"c: {find_compiler('c')} (") and "a confined build took" in self_test("c")
    monkeypatch.setenv("PATH", str(tmp_path))
    assert self_test("fortran") == ("fortran: not found. Fortran submissions need gfortran: install it "
                                    "(Debian/Ubuntu: 'apt-get install gfortran'; macOS: 'brew install gcc'; "
                                    "Windows: MSYS2's 'pacman -S mingw-w64-ucrt-x86_64-gcc-fortran' or WSL)")


@pytest.mark.slow
def test_dist_ships_every_language_without_references(tmp_path):
    from tests.conftest import run_grader

    out = tmp_path / "repo"
    done = run_grader("dist", str(out))
    assert done.returncode == 0, done.stderr
    for name in ("kmeans.py", "kmeans.c", "kmeans.f90"):
        assert (out / "exercises" / "kmeans" / name).is_file()
    shipped = [path for path in out.rglob("*") if path.is_file()]
    references = {(ROOT / "reference" / name).read_bytes() for name in ("kmeans.c", "kmeans.f90", "kmeans.py")}
    assert not [path for path in shipped if path.read_bytes() in references]
    config = yaml.safe_load((out / "config.yaml").read_text())
    languages = config["exercises"]["kmeans"]["languages"]
    assert set(languages) == {"c", "fortran"} and all("reference" not in entry for entry in languages.values())
