"""The MLP in C and Fortran: the references get full marks with every check, the skeletons 0 ("not implemented
yet"), the course program reaches the course's accuracy on iris, mutants are caught by the check that owns their
bug (the gradient check for back-propagation bugs) under both precision policies, and a variant computing in
single precision gets full marks by default and explained losses under ``precision: double``."""

from __future__ import annotations

import pytest

from tests import graded_once
from tests.conftest import ROOT
from tests.kmeans.policies import with_precision
from tests.languages.conftest import NEURAL_VARIANTS, needs
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
    Mutant("bias_node_plus_one", EXERCISE, "c", "forward.bias_node", (("a[hid_dim] = -1.0;", "a[hid_dim] = 1.0;"),)),
    # A single output of exactly 0.5 is not above 0.5: class 0.
    Mutant("half_is_class_1", EXERCISE, "c", "predict.classes",
           (("        classes[i] = class_of(y + i * out_dim, out_dim);",
             "        classes[i] = out_dim == 1 ? y[i] >= 0.5 : class_of(y + i * out_dim, out_dim);"),)),
    # Equal outputs: the class is the first of them, not the last (only w2 all zero makes outputs tie exactly).
    Mutant("last_of_ties", EXERCISE, "c", "predict.classes",
           (("    for (int i = 0; i < n; i++)\n        classes[i] = class_of(y + i * out_dim, out_dim);\n",
             "    for (int i = 0; i < n; i++) {\n        classes[i] = class_of(y + i * out_dim, out_dim);\n"
             "        for (int k = 1; k < out_dim; k++)\n"
             "            if (y[i * out_dim + k] >= y[i * out_dim + classes[i]])\n"
             "                classes[i] = k;\n    }\n"),)),
    Mutant("error_not_halved", EXERCISE, "c", "train.error_curve", (("return 0.5 * sum;", "return sum;"),)),
    Mutant("never_shuffles", EXERCISE, "c", "train.shuffles_with_rng",
           (("        shuffle(order, n, &state);\n", ""),)),
    Mutant("no_beta_in_delta_o", EXERCISE, "fortran", "backprop.gradient_step",
           (("delta_o = beta * (y(1, :) - t)", "delta_o = (y(1, :) - t)"),)),
    Mutant("zero_based_classes", EXERCISE, "fortran", "predict.classes",
           (("classes(i) = class_of(y(i, :), out_dim)", "classes(i) = class_of(y(i, :), out_dim) - 1"),)),
    Mutant("maxloc_back", EXERCISE, "fortran", "predict.classes",
           (("classes(i) = class_of(y(i, :), out_dim)",
             "classes(i) = class_of(y(i, :), out_dim)\n"
             "      if (out_dim > 1) classes(i) = maxloc(y(i, :), dim=1, back=.true.)"),)),
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
    Mutant("shuffles_once", EXERCISE, "c", "train.shuffles_with_rng",
           (("    for (int e = 0; e < epochs; e++) {\n        shuffle(order, n, &state);",
             "    shuffle(order, n, &state);\n    for (int e = 0; e < epochs; e++) {"),)),
    Mutant("tanh_derivative", EXERCISE, "c", "backprop.gradient_step",
           (("delta_h[h] = beta * a[h] * (1.0 - a[h]) * sum;", "delta_h[h] = beta * (1.0 - a[h] * a[h]) * sum;"),)),
    Mutant("shuffles_once", EXERCISE, "fortran", "train.shuffles_with_rng",
           (("    do e = 1, epochs\n      call shuffle(order, n, state)",
             "    call shuffle(order, n, state)\n    do e = 1, epochs"),)),
    # The generator restarted from the seed at every epoch, the order kept: every epoch the same swaps, a new order
    # that rng did not draw.
    Mutant("generator_restarted_every_epoch", EXERCISE, "c", "train.shuffles_with_rng",
           (("        shuffle(order, n, &state);\n        for (int s = 0; s < n; s++) {",
             "        state = seed;\n        shuffle(order, n, &state);\n        for (int s = 0; s < n; s++) {"),)),
    Mutant("generator_restarted_every_epoch", EXERCISE, "fortran", "train.shuffles_with_rng",
           (("    do e = 1, epochs\n      call shuffle(order, n, state)",
             "    do e = 1, epochs\n      state = seed\n      call shuffle(order, n, state)"),)),
]


@pytest.mark.slow
@pytest.mark.parametrize("mutant", [pytest.param(m, id=str(m), marks=needs(m.language)) for m in MUTANTS])
def test_mutant_is_caught_by_its_check(graded, mutant):
    report = graded(mutant.source(), mutant.language, EXERCISE)
    failed = failed_checks(report)
    assert mutant.owner in failed, f"{mutant} passed {mutant.owner}; failed: {sorted(failed)}"
    assert report.score < report.max_score
    if mutant.owner == "forward.bias_node":
        # The bias node +1, the sigmoid right: one bug, forward.bias_node's alone among forward's checks.
        assert "forward.logistic" not in failed, failed["forward.logistic"]


@pytest.fixture(scope="session")
def graded_double(corpus_config, tmp_path_factory):
    """``graded_double(source, language)``: the report of ``source`` graded as the MLP under ``precision: double``
    (with the hidden checks), once per source and run (``tests/graded_once.py``)."""
    cache: dict = {}
    folder = tmp_path_factory.mktemp("mlp_double")
    strict = with_precision(corpus_config, "double", EXERCISE)

    def grade(source: str, language: str):
        if (source, language) not in cache:
            path = folder / str(len(cache)) / f"{EXERCISE}{'.c' if language == 'c' else '.f90'}"
            path.parent.mkdir()
            path.write_text(source, encoding="utf-8")
            cache[source, language] = graded_once.grade_submission(strict, {EXERCISE: path}, hidden=True)
        return cache[source, language]

    return grade


@pytest.mark.slow
@pytest.mark.parametrize("mutant", [pytest.param(m, id=str(m), marks=needs(m.language)) for m in MUTANTS])
def test_mutant_is_caught_by_its_check_under_double_precision(graded_double, mutant):
    failed = failed_checks(graded_double(mutant.source(), mutant.language))
    assert mutant.owner in failed, f"{mutant} passed {mutant.owner}; failed: {sorted(failed)}"


@pytest.mark.slow
@pytest.mark.parametrize("language, suffix", LANGUAGES)
def test_single_precision_variant_gets_full_marks(graded, language, suffix):
    report = graded((NEURAL_VARIANTS / f"mlp_float{suffix}").read_text(), language, EXERCISE)
    assert failed_checks(report) == {}
    assert report.score == report.max_score == 100
    assert report.exercises[0].notes == ("computed in single precision",)


@pytest.mark.slow
@pytest.mark.parametrize("language, suffix", LANGUAGES)
def test_single_precision_variant_is_explained_under_double_precision(graded_double, language, suffix):
    report = graded_double((NEURAL_VARIANTS / f"mlp_float{suffix}").read_text(), language)
    failed = failed_checks(report)
    assert failed and report.score < report.max_score
    for check, message in failed.items():
        assert "this looks like single-precision (float32) arithmetic" in message, (check, message)
