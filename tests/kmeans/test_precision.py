"""The precision policy: single-precision results are correct by default, and explained when they are not.

A correct implementation computing in float32 gets full marks under the default
``single-or-double`` policy (checked with the other correct variants in
``test_corpus.py``), with one exercise-level note; under ``precision: double`` it
loses points, and every failure says in words that the difference looks like
single-precision arithmetic.  Mutants stay caught under both policies.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from grader import grade_submission, load_config
from grader.errors import ConfigError
from tests import graded_once
from tests.kmeans.mutants import MUTANTS, VARIANTS
from tests.kmeans.policies import with_precision
from tests.languages.conftest import VARIANTS as LANGUAGE_VARIANTS
from tests.languages.conftest import needs

FLOAT32 = VARIANTS / "float32.py"
EXPLANATION = "this looks like single-precision (float32) arithmetic; this exercise requires double precision"


def _grade(config, path: Path, precision: str, *, hidden: bool = True):
    report = graded_once.grade_submission(with_precision(config, precision), {"kmeans": path}, hidden=hidden,
                                          sandbox=False)
    return report.exercises[0]


@pytest.fixture(scope="session")  # graded once per run anyway: no need to share a worker
def float32_default(config):
    return _grade(config, FLOAT32, "single-or-double")


@pytest.fixture(scope="session")  # graded once per run anyway: no need to share a worker
def float32_double(config):
    return _grade(config, FLOAT32, "double")


def test_the_repository_accepts_single_precision_for_kmeans(config):
    assert config.exercise("kmeans").precision == "single-or-double"


def test_float32_gets_full_marks_by_default_with_one_note(float32_default):
    failed = {check.id: check.message for check in float32_default.checks if not check.passed}
    assert failed == {}
    assert float32_default.score == float32_default.max_score
    assert float32_default.notes == ("computed in single precision",)


def test_float32_loses_points_under_double_with_the_explanation(float32_double):
    failed = [check for check in float32_double.checks if not check.passed]
    assert float32_double.score < float32_double.max_score
    assert {"update.centroids", "update.float_array"} <= {check.id for check in failed}
    for check in failed:
        assert check.verdict == "failed", (check.id, check.message)
        assert EXPLANATION in check.message or "this exercise requires double precision" in check.message, (
            check.id, check.message)
    centroids = next(check for check in failed if check.id == "update.centroids")
    assert "it differs from the mean by" in centroids.message and "(relative " in centroids.message
    assert float32_double.notes == ()


def test_main_loop_failures_of_float32_under_double_are_grouped_under_the_update_phase(float32_double):
    main_loop = [check for check in float32_double.checks if not check.passed and check.function == "kmeans"
                 and not check.hidden and check.id != "kmeans.result_types"]
    assert main_loop
    # A center kept in float32 (one without points) is update.float_array's; one moved to a float32 mean,
    # update.centroids': either way a check of the update phase.
    roots = {check.caused_by for check in main_loop}
    assert "update.centroids" in roots and roots <= {"update.centroids", "update.float_array"}, roots


def test_a_double_implementation_gets_no_note(config):
    exercise = _grade(config, VARIANTS / "loops.py", "single-or-double", hidden=False)
    assert exercise.score == exercise.max_score and exercise.notes == ()


@pytest.mark.slow
# Every tolerance of ``double`` is at most that of ``single-or-double``, under which test_corpus.py grades every
# mutant: a third of them, spread over the corpus, show that grading under ``double`` works on buggy code.
@pytest.mark.parametrize("mutant", MUTANTS[::3], ids=lambda m: m.name)
def test_mutant_is_caught_under_double_precision(corpus_config, tmp_path, mutant):
    path = tmp_path / "kmeans.py"
    path.write_text(mutant.source(), encoding="utf-8")
    exercise = _grade(corpus_config, path, "double", hidden=False)
    failed = [check for check in exercise.checks if not check.passed]
    assert failed, f"mutant {mutant.name} passed every public check"
    assert not [check for check in failed if check.verdict == "grader_error"], [c.message for c in failed]


def _config_with(tmp_path, root, precision):
    raw = yaml.safe_load((root / "config.yaml").read_text(encoding="utf-8"))
    raw["exercises"]["kmeans"]["precision"] = precision
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return path


@pytest.mark.quick
def test_config_reads_the_precision_policy(tmp_path, root):
    assert load_config(_config_with(tmp_path, root, "double")).exercise("kmeans").precision == "double"


def test_config_rejects_an_unknown_precision(tmp_path, root):
    with pytest.raises(ConfigError, match="'precision' must be one of double, single-or-double"):
        load_config(_config_with(tmp_path, root, "half"))


@pytest.mark.slow
@pytest.mark.parametrize("name, language", [
    pytest.param("float_course.c", "c", marks=needs("c")),
    pytest.param("float_course.f90", "fortran", marks=needs("fortran")),
])
def test_compiled_code_computing_in_single_precision_gets_full_marks(config, tmp_path, name, language):
    """C ``float`` and Fortran ``real`` inside, doubles in and out: as correct as double precision."""
    path = tmp_path / f"kmeans{Path(name).suffix}"
    path.write_text((LANGUAGE_VARIANTS / name).read_text(encoding="utf-8"), encoding="utf-8")
    report = grade_submission(config, {"kmeans": path}, hidden=True, sandbox=False)
    exercise = report.exercises[0]
    assert exercise.language == language
    assert {check.id: check.message for check in exercise.checks if not check.passed} == {}
    assert report.score == report.max_score and "computed in single precision" in exercise.notes


def test_initial_centers_rounded_to_single_precision(config):
    """Data converted to float32 before picking the centers: the rows of the data in single precision, correct
    by default (one note); under ``precision: double`` a failure says so (the checks of other properties than
    the points picked accept single precision whatever the policy)."""
    variant = VARIANTS / "float32_expansion.py"
    default = _grade(config, variant, "single-or-double", hidden=False)
    assert {check.id for check in default.checks if not check.passed} == set()
    assert default.notes == ("computed in single precision",)
    double = _grade(config, variant, "double", hidden=False)
    init = [check for check in double.checks if check.function == "init_centers" and not check.passed]
    assert all(check.id == "init_centers.distinct_data_points" for check in init), [check.id for check in init]
    for check in init:
        assert "rounded to single precision" in check.message and EXPLANATION in check.message, check.message


@pytest.mark.parametrize("name", ["move_is_mean_not_sum"])
def test_a_double_implementation_with_a_bug_gets_no_note(config, tmp_path, name):
    """Its wrong results can fall within single-precision rounding of the right ones in some check that fails:
    that is no sign of single-precision arithmetic."""
    path = tmp_path / "kmeans.py"
    path.write_text(next(m for m in MUTANTS if m.name == name).source(), encoding="utf-8")
    exercise = _grade(config, path, "single-or-double", hidden=False)
    assert exercise.score < exercise.max_score and exercise.notes == ()


@pytest.mark.quick
def test_rows_rounded_to_single_precision_are_data_points_only_when_single_is_accepted():
    import numpy as np

    from grader.authoring import CheckFailed
    from grader.exercises.kmeans.phases import _chosen_centers
    from grader.precision import Rounding

    data = np.array([[0.1, 1 / 3], [2.0, 0.7], [5.0, 5.0]])
    picked = data[[1, 0]].astype(np.float32)
    assert np.array_equal(_chosen_centers(picked, data, 2, 0, rounding=Rounding(single=True)),
                          picked.astype(np.float64))
    with pytest.raises(CheckFailed, match="rounded to single precision") as failed:
        _chosen_centers(picked, data, 2, 0, rounding=Rounding())
    assert EXPLANATION in failed.value.message
    with pytest.raises(CheckFailed, match="is not a point of the data"):
        _chosen_centers(picked + 1, data, 2, 0, rounding=Rounding(single=True))


@pytest.mark.quick
def test_values_below_the_range_of_single_precision_are_allowed_the_error_storing_them_makes():
    """Data too small for single precision (1e-182 is stored as 0 by a C float, a Fortran real, a float32): what a
    correct single-precision phase computes on them is accepted when single precision is; not under double, whose
    range holds them."""
    import numpy as np

    from grader.exercises.kmeans.geometry import centroid_errors, misassigned
    from grader.precision import EPS, SINGLE_EPS

    def single(values):
        return np.asarray(values, dtype=np.float32).astype(np.float64)

    # The mean of one point of 1e-182 is 0 in single precision; of 1.4e-45 and 0, 0 or 1.4e-45.
    for data, labels in (([[1.3738643922139704e-182]], [0]), ([[1.4012984643e-45], [0.0]], [1, 1])):
        data, labels = np.array(data), np.array(labels)
        before = np.zeros((labels.max() + 1, 1))
        after = single([[data[labels == j].mean() if (labels == j).any() else 0.0] for j in range(len(before))])
        assert centroid_errors(data, labels, before, after, unit=SINGLE_EPS) == []
        assert centroid_errors(data, labels, before, after, unit=EPS) != []
    # 7.96e-56 and 0 are the same point in single precision: either center is nearest to both.
    data = np.array([[7.96e-56], [0.0]])
    assert misassigned(data, data, np.array([1, 1]), unit=SINGLE_EPS) == []
    assert misassigned(data, data, np.array([1, 1]), unit=EPS) != []
    # A point a whole unit away from its center is still wrong.
    assert misassigned(np.array([[1e-40], [1.0]]), np.array([[0.0], [1.0]]), np.array([1, 1]), unit=SINGLE_EPS) != []
