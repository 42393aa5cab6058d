"""Grading is reproducible: the same submission gets the same result on every run."""

from __future__ import annotations

from dataclasses import replace

from grader import grade_submission
from tests import graded_once
from tests.conftest import REFERENCE
from tests.kmeans.mutants import MUTANTS


def _without_timing(report):
    exercises = tuple(replace(e, checks=tuple(replace(c, duration=0.0) for c in e.checks)) for e in report.exercises)
    return replace(report, exercises=exercises, timing={})


def test_reference_scores_the_same_twice(config):
    first = grade_submission(config, {"kmeans": REFERENCE}, hidden=True, sandbox=False)
    second = grade_submission(config, {"kmeans": REFERENCE}, hidden=True, sandbox=False)
    assert _without_timing(first) == _without_timing(second)
    assert first.seed == config.seed


def test_buggy_submission_gets_the_same_score_and_counterexamples_twice(config, tmp_path):
    mutant = next(m for m in MUTANTS if m.name == "empty_cluster_nan")
    path = tmp_path / "kmeans.py"
    path.write_text(mutant.source(), encoding="utf-8")
    # The first grading is also the one the sandbox is compared with below (graded once per run); the second is
    # made here, whatever the first.
    first = graded_once.grade_submission(config, {"kmeans": path}, hidden=True, sandbox=False)
    second = grade_submission(config, {"kmeans": path}, hidden=True, sandbox=False)
    assert first.score < first.max_score
    assert _without_timing(first) == _without_timing(second)


def test_examples_do_not_depend_on_what_else_is_imported(config, tmp_path, monkeypatch):
    # Hypothesis can draw constants found in the source of loaded modules; grading must not.
    mutant = next(m for m in MUTANTS if m.name == "empty_cluster_nan")
    path = tmp_path / "kmeans.py"
    path.write_text(mutant.source(), encoding="utf-8")
    first = grade_submission(config, {"kmeans": path}, sandbox=False)
    noisy = tmp_path / "lib" / "noisy_constants.py"
    noisy.parent.mkdir()
    values = ", ".join(str(v) for v in [0, 1, 2, 3, 7, 13, 255, 1000, -1, 0.5, 1e-300, 3.25, 12345.678] * 3)
    noisy.write_text(f"VALUES = [{values}]\nNAMES = ['a', 'bb', 'ccc']\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(noisy.parent))
    __import__("noisy_constants")
    second = grade_submission(config, {"kmeans": path}, sandbox=False)
    assert _without_timing(first) == _without_timing(second)


def test_buggy_submission_gets_the_same_result_with_and_without_the_sandbox(config, tmp_path):
    mutant = next(m for m in MUTANTS if m.name == "empty_cluster_nan")
    path = tmp_path / "kmeans.py"
    path.write_text(mutant.source(), encoding="utf-8")
    inside = grade_submission(config, {"kmeans": path}, hidden=True, sandbox=True)
    outside = graded_once.grade_submission(config, {"kmeans": path}, hidden=True, sandbox=False)
    assert [(c.id, c.passed, c.message) for e in inside.exercises for c in e.checks] == \
           [(c.id, c.passed, c.message) for e in outside.exercises for c in e.checks]


def test_code_drawing_from_the_global_generator_gets_the_same_report_every_run(config, tmp_path, monkeypatch):
    # np.random.choice instead of the generator it is given: caught, and graded the same on every run and in
    # every mode, whatever calls came before (a fresh worker, examples replayed from the cache or not).
    mutant = next(m for m in MUTANTS if m.name == "init_global_numpy_random")
    path = tmp_path / "kmeans.py"
    path.write_text(mutant.source(), encoding="utf-8")
    monkeypatch.setenv("GRADER_NO_CACHE", "1")
    fresh = grade_submission(config, {"kmeans": path}, sandbox=True)
    monkeypatch.setenv("GRADER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("GRADER_NO_CACHE")
    grade_submission(config, {"kmeans": path}, sandbox=True)  # records what passes
    replayed = grade_submission(config, {"kmeans": path}, sandbox=True)
    in_process = grade_submission(config, {"kmeans": path}, sandbox=False)
    assert fresh.score < fresh.max_score
    assert _without_timing(fresh).exercises == _without_timing(replayed).exercises
    assert [(c.id, c.passed, c.message) for e in fresh.exercises for c in e.checks] == \
           [(c.id, c.passed, c.message) for e in in_process.exercises for c in e.checks]


def test_unseeded_numpy_generators_draw_the_same_numbers_in_every_call():
    # np.random.default_rng() without a seed, in place of the generator given: the same numbers on every run.
    import types

    import numpy as np

    from grader.student._execute import execute

    def draws():
        return np.random.default_rng().random(3), np.random.default_rng().random(3)

    module = types.SimpleNamespace(draws=draws)
    first, second = (execute(module, "draws", (), {})["value"] for _ in range(2))
    assert np.array_equal(first[0], second[0]) and np.array_equal(first[1], second[1])
    assert not np.array_equal(first[0], first[1])  # two generators of one call differ, as in a program
    # Outside a call, numpy's entropy is the system's again.
    assert not np.array_equal(np.random.default_rng().random(3), np.random.default_rng().random(3))


def test_calls_in_the_worker_start_seeded_without_restoring_the_generators():
    # The worker skips putting the global generators back after a call (it has no state of its own to keep):
    # each call still starts from the seed, as in process, where the caller's state is restored.
    import random
    import types

    import numpy as np

    from grader.student._execute import execute

    def draws():
        return np.random.random(2), random.random(), np.random.default_rng().random(2)

    module = types.SimpleNamespace(draws=draws)
    in_worker = [execute(module, "draws", (), {}, restore=False)["value"] for _ in range(2)]
    in_process = execute(module, "draws", (), {})["value"]
    for first, second in ((in_worker[0], in_worker[1]), (in_worker[0], in_process)):
        assert np.array_equal(first[0], second[0]) and first[1] == second[1] and np.array_equal(first[2], second[2])


def test_calls_in_process_start_seeded_and_the_callers_generators_are_put_back_at_closing(tmp_path):
    import random

    import numpy as np

    from grader.student import InProcessStudent

    path = tmp_path / "draws.py"
    path.write_text("import random\nimport numpy as np\n\ndef draws():\n"
                    "    return float(np.random.random()), random.random()\n", encoding="utf-8")
    random.seed(123)
    np.random.seed(456)
    expected = (random.random(), float(np.random.random()))
    random.seed(123)
    np.random.seed(456)
    student = InProcessStudent(path)
    try:
        first, second = student.call("draws"), student.call("draws")
    finally:
        student.close()
    assert first == second  # each call starts from the seed
    assert (random.random(), float(np.random.random())) == expected  # the caller's draws go on as if no call


def test_code_with_an_unseeded_generator_gets_the_same_report_every_run(config, tmp_path, monkeypatch):
    source = (REFERENCE.read_text(encoding="utf-8")
              .replace("def init_centers(data, k, rng):", "def init_centers(data, k, rng):\n    rng = np.random.default_rng()"))
    assert "rng = np.random.default_rng()" in source
    path = tmp_path / "kmeans.py"
    path.write_text(source, encoding="utf-8")
    monkeypatch.setenv("GRADER_NO_CACHE", "1")
    first = grade_submission(config, {"kmeans": path}, sandbox=True)
    second = grade_submission(config, {"kmeans": path}, sandbox=True)
    assert first.score < first.max_score
    assert _without_timing(first).exercises == _without_timing(second).exercises
