"""A C or Fortran submission is told in its language's terms: array bounds, malloc, 1-based Fortran indices,
allocate; never a Python exception's name or a numpy idiom.

Every report of the C and Fortran corpora is checked as it is graded (the ``graded`` fixture, see
:mod:`tests.languages.terms`); here, what makes that hold: hints declared per language, the runners' wording
of a call that failed, and a representative mutant.
"""

from __future__ import annotations

import pytest

from grader.authoring import check
from grader.exercise import load_exercise
from grader.student._languages import runner_for
from tests.languages.conftest import needs
from tests.languages.mutants import MUTANTS
from tests.languages.terms import PYTHON_TERMS, python_terms


@pytest.mark.quick
def test_every_hint_and_title_a_compiled_submission_sees_speaks_its_language(config):
    for exercise_id, exercise in config.exercises.items():
        if exercise.kind == "program":
            continue  # programs are run, not called: their checks have no Python counterpart to leak
        for bound in load_exercise(exercise, hidden=True).checks:
            for language in ("c", "fortran"):
                for text in (bound.check.title, bound.check.hint_for(language)):
                    assert not PYTHON_TERMS.search(text), (exercise_id, bound.check.id, language, text)
            assert bound.check.hint_for("python") or not bound.check.hint  # Python keeps its own hints


def test_a_hint_is_for_every_language_or_one_per_language():
    shared = check("f.one", "one", hint="the same for all")(lambda student: None)
    assert shared.hint_for("c") == shared.hint_for("python") == "the same for all"
    mine = check("f.two", "two", hint={"python": "np.zeros(n, dtype=int)", "c": "labels[i] = c;"})(
        lambda student: None)
    assert (mine.hint_for("python"), mine.hint_for("c"), mine.hint_for("fortran")) == \
        ("np.zeros(n, dtype=int)", "labels[i] = c;", "")  # never another language's


def test_the_runners_say_what_a_failed_call_did_in_their_language():
    said = "update wrote element 7 of an array of 4 doubles (past its end)"
    assert runner_for("python").describe_raised("update", "IndexError", "index 7") == "update raised IndexError: index 7"
    for language in ("c", "fortran"):
        runner = runner_for(language)
        assert runner.describe_raised("update", "IndexError", said) == said  # named once, not "update: update..."
        assert runner.describe_raised("update", "RuntimeError", "status 3") == "update: status 3"
        assert runner.speak("rng = np.random.default_rng(3)") == "rng = seed 3" and not runner.shows_traceback
        assert runner.speak("np.random.default_rng(seed) for each of the 24 seeds 0 to 23") == \
            "seed for each of the 24 seeds 0 to 23"
    assert runner_for("python").speak("np.random.default_rng(3)") == "np.random.default_rng(3)"


@needs("c")
@pytest.mark.slow
def test_an_impossible_k_is_refused_with_a_status_in_c(graded):
    mutant = next(m for m in MUTANTS if m.language == "c" and m.name == "init_no_error_for_impossible_k")
    report = graded(mutant.source(), "c")  # graded also checks every view of it (see the module docstring)
    refused = next(c for e in report.exercises for c in e.checks if c.id == "init_centers.rejects_impossible_k")
    assert not refused.passed and "returns -1 when k < 1 or k > n" in refused.message
    assert "return -1" in refused.hint and python_terms(report) == []


def test_the_run_on_the_course_data_says_what_failed_in_the_submissions_language(config):
    from grader.showcase import run_showcase
    from grader.student._base import CallRecord, StudentRaised

    said = "kmeans wrote past the end of an array of 200 int values it was given"

    class Failing:
        has_showcase = True

        def run_showcase(self, student, exercise, *, seed):
            raise StudentRaised(CallRecord("kmeans", ()), "IndexError", said)

    kmeans = config.exercise("kmeans")
    in_c = run_showcase(kmeans.for_language("c"), None, seed=1, plugin=Failing())
    assert in_c is not None and in_c["error"].endswith(f": {said}") and "IndexError" not in in_c["error"]
    in_python = run_showcase(kmeans, None, seed=1, plugin=Failing())
    assert in_python is not None and "kmeans raised IndexError" in in_python["error"]


@pytest.mark.quick
def test_array_elements_are_written_with_the_languages_indices():
    # Checks name an element Python's way (w[1, 0], 0-based): Fortran reads w(2, 1), C w[1][0]; a list of values
    # ([0, 1]) or an index that is no number (x[i]) is left as it is.
    text = "update: w[1, 0] became 0, w1[2,0] moved; in the order [0, 1]; labels[3]; x[i]"
    assert runner_for("fortran").speak(text) == "update: w(2, 1) became 0, w1(3, 1) moved; in the order [0, 1]; " \
                                                "labels(4); x[i]"
    assert runner_for("c").speak(text) == "update: w[1][0] became 0, w1[2][0] moved; in the order [0, 1]; labels[3]; x[i]"
