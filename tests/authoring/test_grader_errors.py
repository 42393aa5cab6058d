"""A check that raises is the exercise's error, never the student's failure; what can be known before running
is refused when the configuration loads."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from grader.cli import main
from grader.config import load_config
from grader.dist import build_student_repo
from grader.errors import EXIT_GRADER_ERROR, ConfigError
from grader.exercise import load_exercise
from grader.grade import gradebook_csv
from grader.grading import grade_submission

CONFIG = """\
seed: 1
max_examples: 5
exercises:
  square:
    module: square.py
    skeleton: square/square.py
    checks: [checks/square.py]
    points: {points}
"""
SOLUTION = "def square(x):\n    return x * x\n"
GOOD = '''\
from hypothesis import strategies as st
from grader.authoring import check, fail, expect_float

@check("square.value", "square returns x * x", hint="multiply x by itself", x=st.integers(-5, 5))
def square_value(student, x):
    if expect_float(student.call("square", x), "square", what="the square") != x * x:
        fail("wrong square", x=x, returned=student.call("square", x), expected=x * x)
'''
BROKEN = GOOD + '''
@check("square.broken", "a check whose own code divides by zero", hint="the student's hint", x=st.integers(0, 3))
def square_broken(student, x):
    student.call("square", x)
    return 1 / 0
'''
POINTS = "{square.value: 3, square.broken: 2}"


def _course(folder: Path, checks: str, points: str = POINTS) -> Path:
    for name, text in {"config.yaml": CONFIG.format(points=points), "checks/square.py": checks,
                       "square/square.py": "def square(x):\n    raise NotImplementedError\n",
                       "mine/square.py": SOLUTION}.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def _check(capsys: pytest.CaptureFixture[str], course: Path, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as ended:
        main(["check", "square", "--config", str(course / "config.yaml"), "--path", str(course / "mine/square.py"),
              "--no-sandbox", *args])
    out, err = capsys.readouterr()
    return int(ended.value.code or 0), out, err


@pytest.mark.quick
def test_a_check_that_raises_is_the_exercises_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    course = _course(tmp_path, BROKEN)
    code, out, _ = _check(capsys, course)
    assert code == EXIT_GRADER_ERROR == 3
    broken = [line for line in out.splitlines() if "divides by zero" in line]
    assert broken and all("FAIL" not in line for line in broken) and broken[0].lstrip().startswith("ERROR")
    assert "the check square.broken raised ZeroDivisionError" in out
    assert "checks/square.py line 12" in out  # the check's own file and line
    assert "not in your code" in out and "the student's hint" not in out
    code, out, _ = _check(capsys, course, "--format", "json")
    verdicts = {check["id"]: check["verdict"] for check in json.loads(out)["exercises"][0]["checks"]}
    assert verdicts == {"square.value": "passed", "square.broken": "grader_error"}


def test_the_gradebook_shows_the_grader_error(tmp_path: Path) -> None:
    course = _course(tmp_path, BROKEN)
    report = grade_submission(load_config(course / "config.yaml"), {"square": course / "mine/square.py"},
                              student="ann", sandbox=False)
    row = gradebook_csv([report]).splitlines()[1].split(",")
    assert row[-3] == "grader_error"
    # Named as the course names it, whatever folder the grader runs in: never a path of the grading machine.
    (message,) = [c.message for c in report.exercises[0].checks if c.verdict == "grader_error"]
    assert " in checks/square.py line 12" in message and str(tmp_path) not in message, message


def test_grade_ends_with_the_exercises_error_code_when_a_student_met_it(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """A class graded with a broken check: every report and the gradebook are written, and the run ends with exit
    code 3 saying who met the exercise's error (a CI job of the course fails there, not with a silent 0)."""
    course = _course(tmp_path / "course", BROKEN)
    for student in ("ann", "bob"):
        (tmp_path / "class" / student).mkdir(parents=True)
        (tmp_path / "class" / student / "square.py").write_text(SOLUTION, encoding="utf-8")
    with pytest.raises(SystemExit) as ended:
        main(["grade", str(tmp_path / "class"), "--out", str(tmp_path / "out"), "--config",
              str(course / "config.yaml"), "--no-sandbox", "--jobs", "1"])
    out, err = capsys.readouterr()
    assert ended.value.code == EXIT_GRADER_ERROR, out + err
    assert (tmp_path / "out" / "gradebook.csv").read_text(encoding="utf-8").count("grader_error") == 2
    assert "2 students met an error of the exercise itself (grader_error): ann, bob" in err, err


def test_a_strategy_that_raises_is_the_exercises_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    checks = GOOD.replace("x=st.integers(-5, 5)", "x=st.integers(-5, 5).map(lambda x: x // 0)")
    code, out, _ = _check(capsys, _course(tmp_path, checks, "{square.value: 3}"))
    assert code == 3 and "raised ZeroDivisionError" in out and "square.py line 4" in out


def test_a_check_without_strategies_is_refused_when_the_configuration_loads(tmp_path: Path) -> None:
    course = _course(tmp_path, GOOD.replace(', x=st.integers(-5, 5))', ')'), "{square.value: 3}")
    with pytest.raises(ConfigError, match="square.value.*has no strategies"):
        load_exercise(load_config(course / "config.yaml").exercise("square"))


@pytest.mark.parametrize("key, instead", [("result", "returned"), ("expect", "expected"), ("x_after", "x_afterwards"),
                                          ("traceback", "the grader's own")])
def test_a_counterexample_key_no_report_reads_is_refused(tmp_path: Path, key: str, instead: str) -> None:
    course = _course(tmp_path, GOOD.replace("expected=x * x", f"{key}=x * x"), "{square.value: 3}")
    with pytest.raises(ConfigError, match=f"line 7.*{key!r}.*{instead}"):
        load_exercise(load_config(course / "config.yaml").exercise("square"))


def test_points_that_do_not_match_the_checks_are_refused(tmp_path: Path) -> None:
    course = _course(tmp_path, GOOD, "{square.value: 3, square.other: 1}")
    with pytest.raises(ConfigError, match="square.other"):
        load_exercise(load_config(course / "config.yaml").exercise("square"))


def test_a_check_module_that_cannot_import_is_a_configuration_error(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    course = _course(tmp_path, "from checks.nowhere import helper\n" + GOOD, "{square.value: 3}")
    code, _, err = _check(capsys, course)
    assert code == 2
    assert "cannot import the check module checks/square.py: ModuleNotFoundError" in err
    assert "square.py, line 1" in err and "Traceback" not in err
    assert "imported by its dotted name from the folder of config.yaml" in err  # checks/ is the course's folder
    # A library the grader's environment lacks is said to be one, not a helper of the course.
    _course(tmp_path, "import sklearn_nowhere_to_be_found\n" + GOOD, "{square.value: 3}")
    code, _, err = _check(capsys, course)
    assert code == 2 and "sklearn_nowhere_to_be_found is not installed where the grader runs" in err, err
    assert "dotted name" not in err


def test_dist_refuses_a_starter_that_cannot_load_its_configuration(tmp_path: Path) -> None:
    # A helper imported in a way no reading of the imports can see is left out: the starter's self-check says so.
    checks = "import importlib\nimportlib.import_module('checks.' + 'hidden_helper')\n" + GOOD
    course = _course(tmp_path / "course", checks, "{square.value: 3}")
    (course / "checks" / "hidden_helper.py").write_text("VALUE = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot load its own configuration.*hidden_helper"):
        build_student_repo(load_config(course / "config.yaml"), tmp_path / "starter")


def test_a_check_id_without_a_dot_is_refused_at_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """As docs/authoring.md says: the id is the function's name, a dot and the property; the error names the line of
    the check module's ``@check``, not the grader's own."""
    course = _course(tmp_path, GOOD.replace('"square.value"', '"value"'), "{square.value: 3}")
    code, _, err = _check(capsys, course)
    assert code == 2 and "check id 'value' must start with the student function's name and a dot" in err, err
    assert "checks/square.py, line 4)" in err, err


def test_two_checks_with_one_function_name_in_a_module_are_refused(tmp_path: Path) -> None:
    """A copied check whose function keeps its name would replace the first in the module: refused, not lost."""
    copied = GOOD + "\n" + GOOD.split("\n", 2)[2].replace("square.value", "square.positive")
    course = _course(tmp_path, copied, "{square.value: 3, square.positive: 2}")
    with pytest.raises(ConfigError) as refused:
        load_exercise(load_config(course / "config.yaml").exercise("square"))
    message = str(refused.value)
    assert "checks/square.py" in message and "'square_value'" in message, message
    assert "'square.value'" in message and "'square.positive'" in message, message


def test_a_hidden_check_marked_public_is_named_as_such_with_or_without_the_hidden_checks(tmp_path: Path) -> None:
    """Without the hidden checks (``grader check`` without ``--all``) as with them, the configuration error says the
    check is hidden but marked public, never that it does not exist."""
    course = _course(tmp_path, GOOD, "{square.value: 3, square.secret: 2}")
    (course / "hidden").mkdir()
    (course / "hidden" / "square.py").write_text(GOOD.replace("square.value", "square.secret").replace(
        "def square_value", "def square_secret"), encoding="utf-8")
    config = course / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "    hidden_checks: [hidden/square.py]\n", encoding="utf-8")
    for hidden in (False, True):
        with pytest.raises(ConfigError, match="'square.secret' is in hidden_checks but config.yaml marks it public"):
            load_exercise(load_config(config).exercise("square"), hidden=hidden)


def test_a_binding_that_raises_is_the_exercises_error(tmp_path: Path) -> None:
    """A C binding raising anything but the exceptions that say what the student's code did (ValueError,
    RuntimeError, IndexError...) is the exercise's error: the student's points are not taken, the instructor is
    told."""
    import shutil

    import yaml

    from tests.conftest import ROOT, course_copy

    if shutil.which("gcc") is None:
        pytest.skip("gcc is not installed")
    config = course_copy(tmp_path, max_examples=3)
    (tmp_path / "bindings").mkdir()
    (tmp_path / "bindings" / "broken.py").write_text(textwrap.dedent('''\
        from grader.exercises.kmeans import binding


        def bind(library, language):
            functions = binding.bind(library, language)

            def assign(data, centers):
                return 0.5 + "a"  # the binding's own bug

            functions.assign = assign
            return functions
        '''), encoding="utf-8")
    raw = yaml.safe_load(config.read_text(encoding="utf-8"))
    raw["exercises"]["kmeans"]["languages"]["c"]["binding"] = "bindings/broken.py"
    config.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    report = grade_submission(load_config(config), {"kmeans": ROOT / "reference" / "kmeans.c"}, student="ann")
    checks = {check.id: check for check in report.exercises[0].checks}
    assert checks["assign.nearest_center"].verdict == "grader_error", checks["assign.nearest_center"].message
    assert "the exercise's binding raised TypeError" in checks["assign.nearest_center"].message
    assert "not in the student's code" in checks["assign.nearest_center"].message
    assert checks["update.centroids"].passed and checks["kmeans.lloyd_iterations"].passed


@pytest.mark.parametrize("suffix, compiler, said", [
    (".c", "gcc", "your code defines no function {f}: check its name"),
    (".f90", "gfortran", 'your code defines no procedure {f} callable from C: check its name and that it is declared '
                         'with bind(C, name="{f}")')])
def test_a_function_compiled_code_does_not_define_is_the_students_not_the_exercises_error(
        tmp_path: Path, suffix: str, compiler: str, said: str) -> None:
    """The binding leaves out what the library does not define: calling it is the student's missing function (a
    whole program handed in for the functions, a name misspelt, a Fortran procedure without its C name), never an
    error of the exercise, and said in the language's terms."""
    import shutil

    from tests.conftest import ROOT, course_copy

    if shutil.which(compiler) is None:
        pytest.skip(f"{compiler} is not installed")
    config = course_copy(tmp_path, max_examples=3, shrink_calls=0)
    program = ROOT / "reference" / f"kmeans_program{suffix}"
    report = grade_submission(load_config(config), {"kmeans": program}, student="ann")
    checks = report.exercises[0].checks
    assert {check.verdict for check in checks} == {"error"}, {check.id: check.message for check in checks}
    assert all(said.format(f=check.function) in check.message for check in checks), [c.message for c in checks]


def test_a_suspect_that_is_no_check_of_the_exercise_is_refused(tmp_path: Path) -> None:
    """A misspelt suspect would silently drop the "probably caused by" link of every failure it explains."""
    checks = GOOD.replace('hint="multiply x by itself",', 'hint="multiply x by itself", suspects=("square.valeu",),')
    course = _course(tmp_path, checks, "{square.value: 3}")
    with pytest.raises(ConfigError, match="names as suspects 'square.valeu', which are no checks of exercise"):
        load_exercise(load_config(course / "config.yaml").exercise("square"))


def test_dist_names_a_skeleton_that_is_not_there_as_a_configuration_error(tmp_path: Path,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """A mistyped ``skeleton:`` is the configuration's to correct, never advice to choose another output path."""
    course = _course(tmp_path / "course", GOOD, "{square.value: 3}")
    config = course / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("square/square.py", "square/sqaure.py"),
                      encoding="utf-8")
    with pytest.raises(SystemExit) as ended:
        main(["dist", str(tmp_path / "starter"), "--config", str(config)])
    err = capsys.readouterr().err
    assert ended.value.code == 2 and "the skeleton square/sqaure.py does not exist: correct its path" in err, err
    assert "choose another path" not in err and not (tmp_path / "starter").exists()
