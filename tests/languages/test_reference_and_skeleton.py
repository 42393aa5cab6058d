"""The C and Fortran references get full marks with every check; the skeletons get 0, "not implemented yet"."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT, run_grader
from tests.languages.conftest import failed, needs

LANGUAGES = [pytest.param("c", "kmeans.c", marks=needs("c")),
             pytest.param("fortran", "kmeans.f90", marks=needs("fortran"))]


@pytest.mark.parametrize("language, name", LANGUAGES)
def test_reference_gets_full_marks(graded, language, name):
    report = graded((ROOT / "reference" / name).read_text(), language)
    exercise = report.exercises[0]
    assert exercise.language == language and exercise.status == "graded"
    assert failed(report) == {}
    assert any(check.hidden for check in exercise.checks)
    assert report.score == report.max_score == 100


@pytest.mark.parametrize("language, name", LANGUAGES)
def test_skeleton_is_not_implemented_yet(graded, language, name):
    report = graded((ROOT / "exercises" / "kmeans" / name).read_text(), language)
    exercise = report.exercises[0]
    assert exercise.status == "graded" and report.score == 0
    assert {check.verdict for check in exercise.checks} == {"not_implemented"}
    assert all("not implemented yet" in check.message for check in exercise.checks)


@pytest.mark.slow
@pytest.mark.parametrize("language, name", LANGUAGES)
def test_cli_reference_and_skeleton(language, name):
    done = run_grader("check", "kmeans", "--path", str(ROOT / "reference" / name), "--all")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "total: 100/100" in done.stdout and f"(kmeans, {'C' if language == 'c' else 'Fortran'})" in done.stdout
    done = run_grader("check", "kmeans", "--path", str(ROOT / "exercises" / "kmeans" / name))
    assert done.returncode == 1 and "total: 0/90" in done.stdout
    assert "not implemented yet" in done.stdout


@needs("c")
def test_language_option_overrides_the_extension(tmp_path):
    path = tmp_path / "solution.txt"
    path.write_text((ROOT / "reference" / "kmeans.c").read_text())
    done = run_grader("check", "kmeans", "--path", str(path), "--language", "c", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert '"language": "c"' in done.stdout


@pytest.mark.slow
@pytest.mark.parametrize("language, name", LANGUAGES)
def test_show_runs_the_compiled_kmeans_on_the_course_data(tmp_path, language, name):
    figure = tmp_path / "figure.png"
    done = run_grader("show", "kmeans", "--path", str(ROOT / "reference" / name), "-o", str(figure))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "kmeans_input_file_2d.dat: 200 points in 2-D, k = 4" in done.stdout
    assert figure.stat().st_size > 1000


@pytest.mark.slow
@needs("c")
def test_trusted_c_in_process(config):
    from grader import grade_submission

    report = grade_submission(config, {"kmeans": ROOT / "reference" / "kmeans.c"}, sandbox=False)
    assert report.exercises[0].language == "c" and failed(report) == {}


@needs("c")
def test_a_c_function_written_with_its_marking_statement_left_in_is_told_to_delete_it(graded):
    source = (ROOT / "reference" / "kmeans.c").read_text(encoding="utf-8")
    head = "void assign(const double *data, int n, int d, const double *centers, int k, int *labels)\n{\n"
    assert head in source
    source = "int not_implemented = 0;\n" + source.replace(head, head + "    not_implemented = 1;\n", 1)
    todo = _todo(graded(source, "c"))
    assert {message for check, message in todo.items() if check.startswith("assign.")} == {
        "assign is not implemented yet (delete its NOT_IMPLEMENTED; statement once you have written it)"}, todo
    assert {message for check, message in todo.items() if check.startswith("kmeans.")} == {
        "assign is not implemented yet (kmeans calls it)"}, todo
    assert not [check for check in todo if check.split(".")[0] not in ("assign", "kmeans")], todo



def _todo(report) -> dict[str, str]:
    return {check.id: check.message for check in report.exercises[0].checks if check.verdict == "not_implemented"}


@pytest.mark.parametrize("language, name", LANGUAGES)
def test_the_compiler_says_nothing_of_the_unused_parameters_of_functions_still_to_write(graded, language, name):
    """A skeleton as handed out would get a warning for every parameter of every function still to write: only
    the warnings about what the student wrote are shown (here assign, written with a variable left unused)."""
    source = (ROOT / "exercises" / "kmeans" / name).read_text(encoding="utf-8")
    if language == "c":
        written = ("    int unused_here;\n    for (int i = 0; i < n; i++) {\n        int best = 0;\n        for (int c = 1; c < k; c++) {\n"
                   "            double a = 0, b = 0;\n            for (int j = 0; j < d; j++) {\n"
                   "                a += (data[i*d+j] - centers[c*d+j]) * (data[i*d+j] - centers[c*d+j]);\n"
                   "                b += (data[i*d+j] - centers[best*d+j]) * (data[i*d+j] - centers[best*d+j]);\n"
                   "            }\n            if (a < b) best = c;\n        }\n        labels[i] = best;\n    }\n")
        old = "int k, int *labels)\n{\n    /* TODO */\n    NOT_IMPLEMENTED;\n}"
        new = "int k, int *labels)\n{\n" + written + "}"
    else:
        old = "    integer(c_int), intent(inout) :: labels(n)\n    ! TODO\n    not_implemented = 1\n  end subroutine assign"
        new = ("    integer(c_int), intent(inout) :: labels(n)\n    integer :: i, unused_here\n    do i = 1, n\n"
               "      labels(i) = int(minloc(sum((centers - spread(data(i, :), 1, k)) ** 2, dim=2), dim=1))\n"
               "    end do\n  end subroutine assign")
    assert old in source
    report = graded(source.replace(old, new, 1), language)
    advice = report.exercises[0].advice
    assert {c.function for c in report.exercises[0].checks if c.passed} == {"assign"}
    assert "unused_here" in advice, advice  # what the student wrote is still told
    assert "unused parameter" not in advice and "Unused dummy argument" not in advice, advice
    assert not [other for other in ("init_centers", "update", "function 'kmeans'") if other in advice], advice


def test_warnings_about_the_compilers_own_temporaries_are_not_advice(tmp_path):
    """gfortran -O2 warns that a temporary of its own (``__var_3_mmb`` for ``matmul`` of an expression) is used
    uninitialized: nothing the student wrote, so nothing to tell them; their own warnings stay."""
    from grader.student._languages import advice_of

    source = tmp_path / "mlp.f90"
    source.write_text("module m\ncontains\n  subroutine f(x)\n    real :: x(2), unused\n    x = matmul(x, x)\n"
                      "  end subroutine f\nend module m\n", encoding="utf-8")
    theirs = ("mlp.f90:4:22:\n\n    4 |     real :: x(2), unused\n      |                      1\n"
              "Warning: Unused variable 'unused' declared at (1) [-Wunused-variable]")
    compilers = ("mlp.f90:5:20:\n\n    5 |     x = matmul(x, x)\n      |                    ^\n"
                 "Warning: '__var_3_mmb.offset' is used uninitialized [-Wuninitialized]\nmlp.f90:7:12:\n\n"
                 "    7 | end module m\n      |            ^\nnote: '__var_3_mmb' declared here")
    assert advice_of(compilers + "\n" + theirs, source) == theirs
