"""The MLP in C and Fortran: the references get full marks with every check, the skeletons 0 ("not implemented
yet"), the course program reaches the course's accuracy on iris, mutants are caught by the check that owns their
bug (the gradient check for back-propagation bugs), and a variant computing in single precision is graded."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT
from tests.languages.conftest import VARIANTS, needs
from tests.languages.neural import Mutant, course_program, failed_checks, skeleton_program

LANGUAGES = [pytest.param("c", ".c", marks=needs("c")), pytest.param("fortran", ".f90", marks=needs("fortran"))]
EXERCISE = "mlp"


@pytest.mark.parametrize("language, suffix", LANGUAGES)
def test_reference_gets_full_marks(graded, language, suffix):
    report = graded((ROOT / "reference" / f"{EXERCISE}{suffix}").read_text(), language, EXERCISE)
    exercise = report.exercises[0]
    assert exercise.language == language and exercise.status == "graded"
    assert failed_checks(report) == {}
    assert any(check.hidden for check in exercise.checks)
    assert report.score == report.max_score == 100


@pytest.mark.parametrize("language, suffix", LANGUAGES)
def test_skeleton_is_not_implemented_yet(graded, language, suffix):
    report = graded((ROOT / "exercises" / EXERCISE / f"{EXERCISE}{suffix}").read_text(), language, EXERCISE)
    exercise = report.exercises[0]
    assert exercise.status == "graded" and report.score == 0
    assert {check.verdict for check in exercise.checks} == {"not_implemented"}
    assert all("not implemented yet" in check.message for check in exercise.checks)


@pytest.mark.parametrize("language, suffix", LANGUAGES)
def test_course_program(tmp_path, language, suffix):
    (tmp_path / "skeleton").mkdir()
    untouched = skeleton_program(EXERCISE, language, tmp_path / "skeleton")
    assert untouched.returncode != 0 and "not implemented yet" in untouched.stdout
    (tmp_path / "done").mkdir()
    done = course_program(EXERCISE, language, tmp_path / "done")
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert sum(line.startswith("epoch ") for line in lines) == 20  # a confusion matrix every 50 of 1000 epochs
    assert any(line.startswith("epoch 1000: training error") for line in lines)
    accuracy = [float(line.split()[1]) for line in lines if line.startswith("accuracy")][-1]
    assert accuracy >= 0.92  # the course: about 49 of the 50 test samples


MUTANTS = [
    Mutant("no_y_one_minus_y", EXERCISE, "c", "backprop.gradient_step",
           (("delta_o[k] = beta * (y[k] - t[k]) * y[k] * (1.0 - y[k]);", "delta_o[k] = beta * (y[k] - t[k]);"),)),
    Mutant("hidden_deltas_with_updated_w2", EXERCISE, "c", "backprop.gradient_step",
           (("sum += w2[h * out_dim + k] * delta_o[k];",
             "sum += (w2[h * out_dim + k] - eta * a[h] * delta_o[k]) * delta_o[k];"),)),
    Mutant("no_bias_node", EXERCISE, "c", "forward.bias_node", (("a[hid_dim] = -1.0;", "a[hid_dim] = 1.0;"),)),
    Mutant("error_not_halved", EXERCISE, "c", "train.error_curve", (("return 0.5 * sum;", "return sum;"),)),
    Mutant("no_beta_in_delta_o", EXERCISE, "fortran", "backprop.gradient_step",
           (("delta_o = beta * (y(1, :) - t)", "delta_o = (y(1, :) - t)"),)),
    Mutant("zero_based_classes", EXERCISE, "fortran", "predict.classes",
           (("classes(i) = class_of(y(i, :), out_dim)", "classes(i) = class_of(y(i, :), out_dim) - 1"),)),
    Mutant("loop_from_2", EXERCISE, "fortran", "train.online_epoch",
           (("      do s = 1, n\n        i = order(s)", "      do s = 2, n\n        i = order(s)"),)),
    Mutant("modifies_w1", EXERCISE, "fortran", "train.inputs_untouched",
           (("    real(c_double), intent(in) :: x(n, in_dim + 1), t(n, out_dim), w1(in_dim + 1, hid_dim), "
             "w2(hid_dim + 1, out_dim)\n    real(c_double), value :: eta, beta\n    integer(c_int64_t), value :: seed",
             "    real(c_double), intent(in) :: x(n, in_dim + 1), t(n, out_dim), w2(hid_dim + 1, out_dim)\n"
             "    real(c_double), intent(inout) :: w1(in_dim + 1, hid_dim)\n"
             "    real(c_double), value :: eta, beta\n    integer(c_int64_t), value :: seed"),
            ("      call forward(x, n, in_dim, new_w1, hid_dim, new_w2, out_dim, beta, hidden, y)\n",
             "      call forward(x, n, in_dim, new_w1, hid_dim, new_w2, out_dim, beta, hidden, y)\n      w1 = new_w1\n"))),
]


@pytest.mark.slow
@pytest.mark.parametrize("mutant", [pytest.param(m, id=str(m), marks=needs(m.language)) for m in MUTANTS])
def test_mutant_is_caught_by_its_check(graded, mutant):
    report = graded(mutant.source(), mutant.language, EXERCISE)
    failed = failed_checks(report)
    assert mutant.owner in failed, f"{mutant} passed {mutant.owner}; failed: {sorted(failed)}"
    assert report.score < report.max_score


#: Checks whose tolerances do not depend on the precision of the arithmetic: a correct program computing in single
#: precision passes them.  The others derive their tolerances for double precision (unit roundoff 2^-53), so a
#: single-precision program fails them until the exercise adopts a precision policy accepting it.
PRECISION_FREE = {"forward.shapes", "forward.bias_node", "forward.zero_weights", "forward.inputs_untouched",
                  "backprop.inputs_untouched", "train.decreases_error", "train.reproducible", "train.inputs_untouched",
                  "confusion_matrix.counts", "confusion_matrix.single_output", "class_scores.recall_precision",
                  "class_scores.accuracy", "train.iris_accuracy"}


@pytest.mark.slow
@pytest.mark.parametrize("language, suffix", LANGUAGES)
def test_single_precision_variant_passes_the_precision_free_checks(graded, language, suffix):
    report = graded((VARIANTS / f"mlp_float{suffix}").read_text(), language, EXERCISE)
    failed = failed_checks(report)
    assert not PRECISION_FREE & set(failed), failed


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason="the MLP's tolerances allow double-precision rounding only")
@pytest.mark.parametrize("language, suffix", LANGUAGES)
def test_single_precision_variant_gets_full_marks(graded, language, suffix):
    report = graded((VARIANTS / f"mlp_float{suffix}").read_text(), language, EXERCISE)
    assert report.score == report.max_score == 100
