"""References, skeletons, correct course-style programs and buggy ones, in Python, C and Fortran."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from grader.grading import grade_exercise
from grader.results import ExerciseResult
from grader.student._build import language_of
from tests.program.conftest import HERE, ROOT, by_id, needs_compilers
from tests.conftest import quick_if
from tests.program.mutants import CLOCK_SEEDED, EDITED_CORRECT, MUTANTS

slow = pytest.mark.slow


def _param(path: Path):
    # Python scripts start an interpreter and import numpy on every run: the slow part of this suite.
    return pytest.param(path, id=path.name, marks=[slow] if path.suffix == ".py" else [])


REFERENCES = [ROOT / "reference" / f"kmeans_program{suffix}" for suffix in (".py", ".c", ".f90")]
SKELETONS = [ROOT / "exercises" / "kmeans_program" / f"kmeans_program{suffix}" for suffix in (".py", ".c", ".f90")]
CORRECT = sorted((HERE / "correct").iterdir())


@pytest.mark.parametrize("path", [_param(path) for path in REFERENCES + CORRECT])
def test_correct_programs_get_full_marks(grade_program, path):
    needs_compilers(language_of(path))
    result = grade_program(path)
    assert result.status == "graded", result.error
    failing = {check.id: check.message for check in result.checks if not check.passed}
    assert not failing
    assert result.score == result.max_score


@pytest.mark.parametrize("path", [_param(path) for path in SKELETONS])
def test_skeletons_get_zero_and_say_the_main_loop_is_missing(grade_program, path):
    needs_compilers(language_of(path))
    result = grade_program(path)
    assert result.status == "graded", "the skeletons compile and run as handed out: " + result.error
    assert result.score == 0
    assert {check.verdict for check in result.checks} == {"not_implemented"}
    assert all("main loop" in check.message and "does not iterate" in check.message for check in result.checks)


_MUTANT_FILES: dict[str, Path] = {}


def _mutant_file(tmp_path_factory, name: str) -> Path:
    """The mutant's program, written once per session (so that it is graded once, whichever test asks)."""
    if name not in _MUTANT_FILES:
        mutant = next(m for m in MUTANTS + CLOCK_SEEDED + EDITED_CORRECT if m.name == name)
        path = tmp_path_factory.mktemp(mutant.name) / f"kmeans_program{mutant.suffix}"
        path.write_text(mutant.source(), encoding="utf-8")
        _MUTANT_FILES[name] = path
    return _MUTANT_FILES[name]


@pytest.mark.parametrize("name", [pytest.param(m.name, marks=[slow] if m.suffix == ".py" else [])
                                  for m in CLOCK_SEEDED + EDITED_CORRECT])
def test_correct_programs_seeded_from_a_clock_or_edited_as_students_do_get_full_marks(grade_program, tmp_path_factory,
                                                                                     name):
    needs_compilers(language_of(Path(next(m for m in CLOCK_SEEDED + EDITED_CORRECT if m.name == name).base)))
    result = grade_program(_mutant_file(tmp_path_factory, name))
    assert result.status == "graded", result.error
    assert result.score == result.max_score, {check.id: check.message for check in result.checks if not check.passed}


@pytest.mark.parametrize("mutant", [pytest.param(m, id=m.name, marks=[slow] if m.suffix == ".py" else
                                                  quick_if(m.name == "c_farthest")) for m in MUTANTS])
def test_buggy_programs_lose_the_right_checks(grade_program, mutant, tmp_path_factory):
    needs_compilers(language_of(Path(mutant.base)))
    result = grade_program(_mutant_file(tmp_path_factory, mutant.name))
    assert result.status == "graded", result.error
    checks = by_id(result)
    wrong = {check_id: (checks[check_id].verdict, checks[check_id].message) for check_id in mutant.fails
             if checks[check_id].passed}
    assert not wrong, f"{mutant.name} should fail {mutant.fails}"
    assert result.score < result.max_score


def test_fortran_index_zero_is_explained(grade_program, tmp_path_factory):
    needs_compilers("fortran")
    result = grade_program(_mutant_file(tmp_path_factory, "f90_index_zero"))
    crashed = [check for check in result.checks if "lower bound" in check.message]
    assert crashed, [check.message for check in result.checks if not check.passed]
    message = crashed[0].message
    assert "Fortran arrays start at 1" in message and "1 + int(r * n)" in message
    assert "Fortran runtime error" in message  # the tail of what it printed
    example = crashed[0].counterexample or {}
    assert example.get("input_file", "").split("\n")[0].split()[1].isdigit()  # runnable: the course's format


@pytest.mark.quick
def test_counterexample_is_a_course_file_with_output_and_figure_data(grade_program, tmp_path_factory):
    needs_compilers("c")
    check = by_id(grade_program(_mutant_file(tmp_path_factory, "c_farthest")))["result.fixed_point"]
    example = check.counterexample
    assert example is not None
    header, *rows = example["input_file"].strip().split("\n")
    ndim, npoints = (int(value) for value in header.split())
    assert len(rows) == ndim and all(len(row.split()) == npoints for row in rows)
    assert len(example["data"]) == npoints
    assert example["output_file"].split()[:2] == [str(ndim), "4"]
    assert example["steps"] and all(step.startswith("Step : ") for step in example["steps"])  # the last ones
    assert len(example["returned"]) == len(example["expected"]) == 4  # their centers, and the means
    assert "mean of the" in check.message


def test_a_move_printed_smaller_than_the_centers_moved_is_named_with_the_error(grade_program, tmp_path_factory):
    """The last error printed is above what the last move printed allows: the error, or the move, is wrong; the
    message names both (here the move, assigned instead of added up, is)."""
    needs_compilers("c")
    check = by_id(grade_program(_mutant_file(tmp_path_factory, "c_move_last_center_only")))["stopping.printed_steps"]
    assert not check.passed
    assert "the last move printed" in check.message and "reset to 0 at each step" in check.message, check.message


@pytest.mark.quick
def test_compile_error_is_a_clear_status(grade_program, tmp_path_factory):
    needs_compilers("c")
    folder = tmp_path_factory.mktemp("broken")
    path = folder / "kmeans_program.c"
    source = (ROOT / "exercises" / "kmeans_program" / "kmeans_program.c").read_text(encoding="utf-8")
    path.write_text(source.replace("float *data", "float *data = error;\n    float *unused"), encoding="utf-8")
    result = grade_program(path)
    assert result.status == "error"
    assert result.error.startswith("compile error:")
    assert "'error' undeclared" in result.error and "kmeans_program.c:" in result.error
    assert "used without being declared" in result.error


def test_fortran_undeclared_variable_is_explained(grade_program, tmp_path_factory):
    needs_compilers("fortran")
    folder = tmp_path_factory.mktemp("undeclared")
    path = folder / "kmeans_program.f90"
    source = (ROOT / "exercises" / "kmeans_program" / "kmeans_program.f90").read_text(encoding="utf-8")
    # As in the course's incomplete Fortran code: 'centers' used, never declared (nor allocated).
    source = source.replace("data(:,:), centers(:,:), sums(:,:)", "data(:,:), sums(:,:)")
    path.write_text(source.replace("centers(ndim, k), ", ""), encoding="utf-8")
    result = grade_program(path)
    assert result.status == "error" and result.error.startswith("compile error:")
    assert "Unclassifiable statement" in result.error and "used without being declared" in result.error


#: Bugs whose message must name the cause: (mutant, check, what its message must say).
EXPLAINED = [
    ("c_point_major_read", "result.fixed_point", "read point by point"),
    ("f90_read_whole_array", "result.fixed_point", "read point by point"),
    ("f90_output_column_major", "result.fixed_point", "written coordinate by coordinate"),
    ("c_output_reversed", "result.fixed_point", "written in reverse order"),
    ("c_output_first_center_k_times", "result.fixed_point", "centers written are all the same point"),
    ("py_output_transposed", "output.format", "one line per coordinate, like the input file"),
    ("f90_exit_before_print", "stopping.printed_steps", "print the step before testing whether to stop"),
    ("c_error_after_update", "stopping.printed_steps", "measured in its association phase"),
    ("c_steps_unlabelled", "stopping.printed_steps", "none holds the word 'Step'"),
    ("c_laptop_path", "output.format", "It could not open a file"),
    ("f90_integer_err", "stopping.printed_steps", "The printed errors are whole numbers"),
    ("c_header_no_newline", "output.format", "it must hold two whole numbers, 'ndim k'"),
    ("c_error_over_k", "stopping.printed_steps", "the error is the mean of the squared distances of the points"),
    ("py_drops_empty_centers", "robustness.duplicates", "never removed"),
]


@pytest.mark.parametrize("name, check_id, fragment", [
    pytest.param(*case, id=case[0], marks=[slow] if case[0].startswith("py_") else []) for case in EXPLAINED])
def test_buggy_programs_are_told_the_cause(grade_program, tmp_path_factory, name, check_id, fragment):
    needs_compilers(language_of(Path(next(m for m in MUTANTS if m.name == name).base)))
    check = by_id(grade_program(_mutant_file(tmp_path_factory, name)))[check_id]
    assert not check.passed and fragment in check.message, check.message


def test_a_fault_of_the_steps_seen_on_other_data_is_linked_to_the_check_of_the_steps(grade_program, tmp_path_factory):
    # The loop never stops on eps: the checks on duplicated points and on the course's files see the same steps.
    needs_compilers("c")
    checks = by_id(grade_program(_mutant_file(tmp_path_factory, "c_no_eps_stop")))
    failing = {check_id: check.caused_by for check_id, check in checks.items() if not check.passed}
    assert failing == {"stopping.printed_steps": None, "robustness.duplicates": "stopping.printed_steps",
                       "course_data.fixed_point": "stopping.printed_steps"}


def test_a_step_printed_before_its_phases_is_told_so_and_linked_to_the_check_of_the_steps(grade_program,
                                                                                          tmp_path_factory):
    # Step 1 prints the inf the loop starts with: no NaN of an empty cluster, and the results are fixed points.
    checks = by_id(grade_program(_mutant_file(tmp_path_factory, "py_print_at_top")))
    message = checks["stopping.printed_steps"].message
    assert "printed before its association and update phases" in message and "count of 0" not in message, message
    failing = {check_id: check.caused_by for check_id, check in checks.items() if not check.passed}
    assert failing == {"stopping.printed_steps": None, "robustness.duplicates": "stopping.printed_steps",
                       "course_data.fixed_point": "stopping.printed_steps"}


def test_a_header_of_real_numbers_fails_the_output_format_only(grade_program, tmp_path_factory):
    # " 2.000000 4.000000" says ndim and k all the same: the centers, the steps and the input are judged as they are.
    needs_compilers("c")
    checks = by_id(grade_program(_mutant_file(tmp_path_factory, "c_header_reals")))
    assert {check_id for check_id, check in checks.items() if not check.passed} == {"output.format"}
    assert "write ndim and k as whole numbers" in checks["output.format"].message


@pytest.mark.parametrize("name, said", [("c_steps_unlabelled", "none holds the word 'Step'"),
                                        ("py_move_on_its_own_line", "all three on one line")])
def test_steps_printed_in_another_form_fail_the_check_of_the_steps_only(grade_program, tmp_path_factory, name,
                                                                        said):
    # Step lines that cannot be read (no word 'Step', or the move on a line of its own) say so in the check of the
    # steps; the output file and the result are judged as they are: the program is not graded as if it did nothing.
    needs_compilers(language_of(Path(next(m for m in MUTANTS if m.name == name).base)))
    checks = by_id(grade_program(_mutant_file(tmp_path_factory, name)))
    assert {check_id for check_id, check in checks.items() if not check.passed} == {"stopping.printed_steps"}
    assert said in checks["stopping.printed_steps"].message


def test_compiler_warnings_of_a_program_are_in_the_report(grade_program, tmp_path_factory):
    needs_compilers("c")
    result = grade_program(_mutant_file(tmp_path_factory, "c_int_error"))
    assert "-Wformat" in result.advice and "error / npoints" in result.advice


def _outcomes(result: ExerciseResult) -> dict:
    """What a report says of each check: its verdict, points, message and counterexample."""
    return {check.id: (check.verdict, check.points, check.message, check.counterexample) for check in result.checks}


@pytest.mark.parametrize("name", ["c_gettimeofday_empty_to_origin", "f90_system_clock_empty_to_origin",
                                  pytest.param("py_time_empty_to_origin", marks=slow),
                                  "c_getpid_empty_to_origin", "f90_init_random_seed_empty_to_origin",
                                  pytest.param("py_getpid_empty_to_origin", marks=slow)])
def test_a_start_seeded_from_a_clock_gets_the_same_report_in_every_grading(grade_program, program_config, name,
                                                                           tmp_path_factory):
    """Whether a run meets an empty cluster depends on its random start, seeded from gettimeofday, system_clock,
    time.time() or the process id (getpid, gfortran's init_random_seed, os.getpid()): two gradings agree on the
    score, the failing checks and their counterexamples."""
    path = _mutant_file(tmp_path_factory, name)
    needs_compilers(language_of(path))
    first = grade_program(path)  # the grading test_buggy_programs_lose_the_right_checks makes
    again, student = grade_exercise(program_config, "kmeans_program", path, hidden=True)
    assert student is not None, again.error
    active = student.protections["random_start"]
    student.close()
    if not active.startswith("active"):
        pytest.skip(active)
    assert first.status == again.status == "graded", again.error
    assert again.score == first.score < first.max_score
    assert _outcomes(again) == _outcomes(first)


@slow
def test_an_unreadable_output_file_costs_the_checks_of_the_output_not_that_of_the_input(grade_program,
                                                                                        tmp_path_factory):
    # The input file check reads no output: "unreadable output file" there would send the student to the input.
    needs_compilers("fortran")
    result = grade_program(_mutant_file(tmp_path_factory, "f90_centers_not_written"))
    checks = by_id(result)
    assert not checks["output.format"].passed
    assert checks["output.input_untouched"].passed, checks["output.input_untouched"].message


@slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the crash handler is preloaded on Linux")
def test_a_compiled_program_that_crashes_is_told_the_line_it_crashed_at(grade_program, tmp_path):
    needs_compilers("c")
    source = (ROOT / "reference" / "kmeans_program.c").read_text(encoding="utf-8")
    anchor = "    float *sums = malloc(sizeof(float) * ndim * K);\n"
    assert anchor in source
    source = source.replace(anchor, anchor + "    if (ndim > 2) { int *nowhere = NULL; nowhere[ndim] = 1; }\n", 1)
    line = source.splitlines().index("    if (ndim > 2) { int *nowhere = NULL; nowhere[ndim] = 1; }") + 1
    path = tmp_path / "kmeans_program.c"
    path.write_text(source, encoding="utf-8")
    crashed = [check for check in grade_program(path).checks if "killed by SIGSEGV" in check.message]
    assert crashed
    for check in crashed:
        assert f"killed by SIGSEGV at line {line} of kmeans_program.c on a dataset" in check.message, check.message
        assert "grader-crash" not in check.message


def _edited_reference(tmp_path: Path, name: str, after: str, added: str) -> Path:
    """The C reference program with ``added`` inserted after its first line holding ``after``."""
    source = (ROOT / "reference" / "kmeans_program.c").read_text(encoding="utf-8")
    assert after in source
    path = tmp_path / name / "kmeans_program.c"
    path.parent.mkdir()
    path.write_text(source.replace(after, after + added, 1), encoding="utf-8")
    return path


@slow
def test_a_program_that_removes_its_input_fails_the_input_check_alone(grade_program, tmp_path):
    needs_compilers("c")
    result = grade_program(_edited_reference(tmp_path, "removes", "    fclose(f);\n",
                                             '    remove("kmeans_input_file_2d.dat");\n'))
    failing = {check.id: check.message for check in result.checks if not check.passed}
    assert list(failing) == ["output.input_untouched"], failing
    assert "removed its input file kmeans_input_file_2d.dat" in failing["output.input_untouched"]


@slow
def test_a_program_that_writes_many_files_of_its_own_has_its_output_read(grade_program, tmp_path):
    needs_compilers("c")
    many = ('    for (int n = 0; n < 60; n++) { char name[32]; sprintf(name, "aux_%02d.txt", n);\n'
            '        FILE *aux = fopen(name, "w"); fputs("x\\n", aux); fclose(aux); }\n')
    result = grade_program(_edited_reference(tmp_path, "many", "    fclose(f);\n", many))
    assert result.score == result.max_score, {c.id: c.message for c in result.checks if not c.passed}
