"""Each check starts from the submission as it was after its first load: module variables, C static and Fortran
saved variables are put back (the code is loaded again) before every check, and before Hypothesis runs again what
a replay of the example cache began.  So code that keeps state between calls gets the same report whatever ran
before a check: with the cache cold, warm (filled by a classmate) or off, in any order of a class, at any --jobs."""

from __future__ import annotations

import json

import pytest

from grader import grade_submission
from grader.config import Limits
from grader.student import InProcessStudent, open_student
from grader.student._base import FRESH_LOAD_MOST
from tests.conftest import ROOT, edited_reference

DATA = [[float(i), 0.0] for i in range(7)]
CENTERS = DATA

PYTHON = '''
import numpy as np
print("loaded")
calls = 0

def assign(data, centers):
    global calls
    calls += 1
    labels = np.zeros(len(data), dtype=int)
    labels[0] = (calls - 1) % len(centers)
    return labels
'''

C = '''
void assign(const double *data, int n, int d, const double *centers, int k, int *labels)
{
    static int calls = 0;
    calls++;
    for (int i = 0; i < n; i++) labels[i] = 0;
    labels[0] = (calls - 1) % k;
}
'''

FORTRAN = '''
module kmeans_mod
  use iso_c_binding
  implicit none
contains
  subroutine assign(data, n, d, centers, k, labels) bind(C, name="assign")
    integer(c_int), value :: n, d, k
    real(c_double), intent(in) :: data(n, d), centers(k, d)
    integer(c_int), intent(out) :: labels(n)
    integer, save :: calls = 0
    calls = calls + 1
    labels = 1
    labels(1) = mod(calls - 1, k) + 1
  end subroutine assign
end module kmeans_mod
'''


def _first_labels(student, times: int) -> list[int]:
    return [int(student.call("assign", DATA, CENTERS)[0]) for _ in range(times)]


@pytest.mark.parametrize("name, language, source", [("kmeans.py", "python", PYTHON), ("kmeans.c", "c", C),
                                                    ("kmeans.f90", "fortran", FORTRAN)])
def test_the_state_a_submission_keeps_between_calls_is_put_back_as_it_was_after_its_first_load(
        name, language, source, tmp_path, config):
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    exercise = config.exercise("kmeans").for_language(language)
    student = open_student(path, exercise, Limits(call_timeout=30), sandbox=True)
    try:
        # (A compiled call may be run more than once: see grader.student._compiled.)
        first = _first_labels(student, 3)
        assert len(set(first)) == 3
        student.fresh_state()
        assert _first_labels(student, 3) == first
        student.fresh_state()
        student.fresh_state()  # no call since: nothing to put back
        assert _first_labels(student, 1) == first[:1]
        if name.endswith(".py"):  # what the module prints when it loads is printed once
            assert student.output().count("loaded") == 1
    finally:
        student.close()


@pytest.mark.parametrize("name, language, source", [("kmeans.py", "python", PYTHON), ("kmeans.c", "c", C)])
def test_in_process_the_code_is_loaded_again_as_in_the_worker(name, language, source, tmp_path, config):
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    student = open_student(path, config.exercise("kmeans").for_language(language), Limits(call_timeout=30),
                           sandbox=False)
    assert isinstance(student, InProcessStudent)
    try:
        first = _first_labels(student, 2)
        assert first[0] != first[1]
        student.fresh_state()
        assert _first_labels(student, 2) == first
        if language == "python":
            assert student.output().count("loaded") == 1
    finally:
        student.close()


def test_a_module_slow_to_load_is_not_loaded_again_for_every_check(tmp_path, config):
    """Module-level work (a course script's computations) is not paid again at each check: its state stays."""
    path = tmp_path / "kmeans.py"
    path.write_text(PYTHON.replace('print("loaded")', f"""
import time
_start = time.process_time()
while time.process_time() - _start < {2 * FRESH_LOAD_MOST}:
    pass
"""), encoding="utf-8")
    student = open_student(path, config.exercise("kmeans"), Limits(call_timeout=30), sandbox=True)
    try:
        assert _first_labels(student, 1) == [0]
        student.fresh_state()  # loaded again once: too slow, it is not done again
        assert _first_labels(student, 1) == [0]
        student.fresh_state()
        assert _first_labels(student, 1) == [1]
    finally:
        student.close()


#: A realistic stateful bug beside a real one: assign logs each call's size into a module-level array of a fixed
#: size (it fails on the 1201st call in one process), and update starts an empty cluster at the origin.
LOGS_ITS_CALLS = (
    ("def assign(data, centers):\n", "_sizes = np.zeros(1200, dtype=int)\n_count = 0\n\n\ndef assign(data, centers):\n"
     "    global _count\n"),
    ("    labels = squared.argmin(axis=1)\n", "    labels = squared.argmin(axis=1)\n    _sizes[_count] = len(labels)\n"
     "    _count += 1\n"),
    ("new_centers = np.array(centers, dtype=float, copy=True)", "new_centers = np.zeros(np.shape(centers))"),
)


def _report(path, config, **options) -> str:
    report = json.loads(grade_submission(config, {"kmeans": path}, **options).to_json())
    report.pop("timing")
    for exercise in report["exercises"]:
        for check in exercise["checks"]:
            check.pop("duration")
    return json.dumps(report, sort_keys=True)


@pytest.mark.slow
def test_code_keeping_state_gets_the_same_report_with_the_cache_off_cold_or_filled_by_a_classmate(
        tmp_path, config, monkeypatch):
    path = edited_reference(tmp_path, LOGS_ITS_CALLS)
    monkeypatch.setenv("GRADER_NO_CACHE", "1")
    uncached = _report(path, config)
    monkeypatch.delenv("GRADER_NO_CACHE")
    monkeypatch.setenv("GRADER_CACHE_DIR", str(tmp_path / "cache"))
    cold = _report(path, config)
    grade_submission(config, {"kmeans": ROOT / "reference" / "kmeans.py"})  # a classmate first
    warm = _report(path, config)
    assert uncached == cold == warm
    assert json.loads(warm)["score"] < json.loads(warm)["max_score"]


#: A correct assign that keeps a pool of threads at module level: loading the module again at every check would
#: leave each load's idle threads behind, up to the limit of threads (it lost a third of its points).
KEEPS_A_POOL = (
    ("def assign(data, centers):\n",
     "import concurrent.futures\n_POOL = concurrent.futures.ThreadPoolExecutor(max_workers=8)\n\n\n"
     "def assign(data, centers):\n"),
    ("    labels = squared.argmin(axis=1)\n",
     "    chunks = np.array_split(np.arange(len(data)), 8)\n"
     "    labels = np.concatenate(list(_POOL.map(lambda rows: squared[rows].argmin(axis=1), chunks))).astype(int)\n"),
)


def test_code_keeping_threads_between_calls_is_not_loaded_again(tmp_path, config):
    path = edited_reference(tmp_path, KEEPS_A_POOL)
    report = grade_submission(config, {"kmeans": path})
    assert report.score == report.max_score, [(check.id, check.message) for exercise in report.exercises
                                              for check in exercise.checks if not check.passed]
