"""Messages say exactly what differs, show intermediate states as such, and name the file as submitted."""

from __future__ import annotations


import pytest

from grader.authoring import CheckContext
from grader.exercise import load_exercise
from grader.runner import RunSettings, run_check
from grader.student import InProcessStudent
from tests.conftest import edited_reference, run_grader
from tests.kmeans.diagnosis import DIAGNOSES
from tests.kmeans.mutants import VARIANTS


@pytest.fixture(scope="module")
def run_one(config, tmp_path_factory):
    """``run_one(mutant name, check id)``: the result of one check on one mutant, in process."""
    exercise = load_exercise(config.exercise("kmeans"), hidden=True)
    folder = tmp_path_factory.mktemp("messages")

    def run(name: str, check_id: str):
        diagnosis = next(d for d in DIAGNOSES if d.name == name)
        path = folder / name / "kmeans.py"
        path.parent.mkdir(exist_ok=True)
        path.write_text(diagnosis.mutant.source(), encoding="utf-8")
        bound = next(b for b in exercise.checks if b.id == check_id)
        return run_check(bound, InProcessStudent(path), RunSettings(seed=config.seed, max_examples=config.max_examples),
                         context=CheckContext(precision=config.exercise("kmeans").precision))

    return run


def test_intermediate_states_are_labelled_as_such(run_one):
    result = run_one("update_before_association", "kmeans.lloyd_iterations")
    assert not result.passed
    keys = set(result.counterexample)
    assert "labels" not in keys  # kmeans has no argument named labels
    assert {key for key in keys if "after iteration" in key}, keys
    assert {"data", "centers", "eps", "max_iter"} <= keys


def test_an_early_stop_reads_as_a_sentence(run_one):
    result = run_one("stops_after_one_iteration", "kmeans.respects_max_iter")
    assert not result.passed
    assert "but the association phase:" not in result.message
    assert result.message.startswith("stopping: with eps = 0 kmeans stopped after 1 of max_iter = ")
    assert "so its centers must no longer move, yet in its final " in result.message


def test_the_hidden_comparison_says_when_only_the_iteration_count_differs(run_one):
    result = run_one("n_iter_off_by_one", "kmeans.matches_reference")
    assert not result.passed
    assert "(the final labels are the same)" in result.message and "other labels" not in result.message
    assert set(result.counterexample) >= {"returned_n_iter", "expected_n_iter"}


def test_syntax_errors_and_tracebacks_name_the_file_as_submitted(tmp_path):
    broken = tmp_path / "my_kmeans.py"
    broken.write_text("def assign(:\n", encoding="utf-8")
    result = run_grader("check", "kmeans", "--path", str(broken))
    assert "my_kmeans.py is not valid Python" in result.stdout, result.stdout
    assert "'python my_kmeans.py'" in result.stdout

    raising = tmp_path / "mine.py"
    raising.write_text("def init_centers(data, k, rng):\n    return data[10**6]\n", encoding="utf-8")
    result = run_grader("check", "kmeans", "--path", str(raising), "--verbose")
    assert 'File "mine.py", line 2, in init_centers' in result.stdout, result.stdout
    frames = [line.strip() for line in result.stdout.splitlines() if line.strip().startswith("File ")]
    assert frames and all(line.startswith('File "mine.py"') for line in frames), frames


def test_a_cluster_told_empty_by_its_sum_is_told_to_count_its_points(run_one):
    result = run_one("update_zero_sum_as_empty", "update.centroids")
    assert not result.passed
    assert "the points of that center sum to 0, yet it has points, and it stayed where it was" in result.message
    assert "by its count of points (0), not by their sum" in result.message


def test_a_valid_k_refused_says_so(run_one):
    result = run_one("init_rejects_k_equal_n", "init_centers.distinct_data_points")
    assert not result.passed and result.verdict == "failed"
    assert result.message.startswith("initialisation with k = "), result.message
    assert "raised ValueError" in result.message and "any k from 1 to the number of points is valid" in result.message


def test_a_move_that_is_not_the_sum_over_the_centers_says_what_move_is(run_one):
    result = run_one("move_is_max_not_sum", "kmeans.stops_at_eps")
    assert not result.passed
    assert "(the sum over all centers of their squared displacement)" in result.message, result.message


def test_a_loop_going_on_after_a_move_of_exactly_0_is_told_how_to_compare(run_one):
    """A move of 0 that does not stop the loop at eps = 0: the strict comparison, or (the course's C style) a
    move measured to double means stored into float centers, which is never 0."""
    result = run_one("strict_less_than_eps", "kmeans.stops_at_eps")
    assert not result.passed
    assert "stop when move <= eps, not < eps" in result.message, result.message
    assert "stored into single-precision centers" in result.message, result.message


def test_code_whose_answer_changes_between_calls_is_shown_the_input_it_first_failed_on(config, tmp_path):
    """Global state (here: the first call differs) makes Hypothesis call the failure flaky; the report still shows
    the input and what went wrong the first time, so the student can look for the state their code keeps."""
    source = (VARIANTS / "loops.py").read_text(encoding="utf-8") + (
        "\n\n_loop, _calls = kmeans, [0]\n\n\n"
        "def kmeans(data, centers, eps=1e-3, max_iter=100):\n"
        "    _calls[0] += 1\n"
        "    centers, labels, n_iter = _loop(data, centers, eps, max_iter)\n"
        "    return centers, labels, n_iter + (_calls[0] == 1)\n")
    path = tmp_path / "kmeans.py"
    path.write_text(source, encoding="utf-8")
    exercise = load_exercise(config.exercise("kmeans"), hidden=True)
    bound = next(b for b in exercise.checks if b.id == "kmeans.respects_max_iter")
    result = run_check(bound, InProcessStudent(path), RunSettings(seed=config.seed, max_examples=config.max_examples),
                       context=CheckContext(precision=config.exercise("kmeans").precision))
    assert not result.passed
    assert result.message.startswith("kmeans gave different results on the same input: it must not depend on "
                                     "global state, uninitialised variables or arrays, the clock or an unseeded "
                                     "random generator. The first time, "
                                     "on this input: stopping: "), result.message
    assert {"data", "centers", "max_iter"} <= set(result.counterexample or {})


def test_a_loop_past_max_iter_is_told_by_its_own_check_in_plain_words(run_one):
    """`while n_iter <= max_iter`: respects_max_iter says "expected 1", and the stopping check, which reads the moves
    off kmeans(max_iter=t), cites no move the code never made nor the hint about eps it has no evidence for."""
    owner = run_one("max_iter_plus_one", "kmeans.respects_max_iter")
    assert owner.message.endswith("expected 1") or "expected 1 " in owner.message, owner.message
    assert "between 1 and 1" not in owner.message
    stop = run_one("max_iter_plus_one", "kmeans.stops_at_eps")
    assert not stop.passed and "move" in stop.message
    assert "is > eps" not in stop.message and "<= eps" not in stop.message, stop.message
    assert stop.suspects[0] == "kmeans.respects_max_iter"
    assert stop.hint == ""


def test_an_inputs_check_failing_on_its_result_shows_no_hint_about_copies(run_one):
    """Sums, not means, inputs untouched: update.inputs_untouched fails on the result it needs, not on its property."""
    result = run_one("update_forgets_to_divide", "update.inputs_untouched")
    assert not result.passed and "modified" not in result.message
    assert result.hint == ""
    modified = run_one("update_modifies_centers", "update.inputs_untouched")
    assert "modified" in modified.message and "copy" in modified.hint


_KMEANS_DEF = "def kmeans(data, centers, eps=1e-3, max_iter=100, *, verbose=False):"
_REFUSED = {
    "renamed parameters": ((_KMEANS_DEF, "def kmeans(data, centers, tol=1e-3, n_max=100, *, verbose=False):"),
                           ("while n_iter < max_iter:", "while n_iter < n_max:"), ("if move <= eps:", "if move <= tol:")),
    "a wrapper taking *args only": ((_KMEANS_DEF, "def traced(f):\n    @functools.wraps(f)\n    def wrapper(*args):\n"
                                                  "        return f(*args)\n    return wrapper\n\n\n@traced\n" + _KMEANS_DEF),
                                    ("import numpy as np", "import functools\nimport numpy as np")),
}


def _inputs_check_of(config, tmp_path, edits):
    """The result of ``kmeans.inputs_untouched`` (a few examples, no shrinking) on the reference with ``edits``."""
    path = edited_reference(tmp_path, edits)
    exercise = load_exercise(config.exercise("kmeans"))
    bound = next(b for b in exercise.checks if b.id == "kmeans.inputs_untouched")
    return run_check(bound, InProcessStudent(path), RunSettings(seed=config.seed, max_examples=5, shrink_limit=0),
                     context=CheckContext(precision=config.exercise("kmeans").precision))


@pytest.mark.parametrize("how", sorted(_REFUSED))
def test_a_function_that_cannot_take_the_contracts_call_is_told_so_without_the_checks_hint(config, tmp_path, how):
    """``kmeans(data, centers, tol=..., n_max=...)``, or a decorator's wrapper that takes ``*args`` only: the call
    itself raises TypeError before a line of the student's runs; the message says how the grader calls it and what
    to change, and the check's hint (about its property, never tested) is left out."""
    result = _inputs_check_of(config, tmp_path, _REFUSED[how])
    assert result.verdict == "error"
    assert "got an unexpected keyword argument 'eps': the grader calls kmeans(..., ..., eps=..., max_iter=...)" \
        in result.message, result.message
    assert "give kmeans the skeleton's parameters" in result.message
    assert result.hint == ""  # the check's property was never tested


def test_a_type_error_inside_the_function_is_the_students_own_line_not_a_refused_call(config, tmp_path):
    result = _inputs_check_of(config, tmp_path, [("    n_iter = 0\n", "    n_iter = 0\n    len(5)\n")])
    assert result.verdict == "error" and "TypeError" in result.message
    assert "the grader calls" not in result.message and result.hint
    assert "len(5)" in result.counterexample["traceback"]


def test_a_count_that_misses_the_iteration_left_by_eps_is_told_so(run_one):
    """`for (step = 0; step < max_iter; step++) {...; if (move <= eps) break;} return step;`: max_iter is handled
    right, so no message blames it (nor its hint); each says the loop made one iteration more than n_iter counts,
    and none calls centers that did not move "still moving"."""
    owner = run_one("n_iter_not_counted_on_break", "kmeans.respects_max_iter")
    assert not owner.passed
    assert "n_iter counts the iterations made, the last one included" in owner.message, owner.message
    assert "if your loop left there by the eps test, its n_iter is one short" in owner.message
    assert owner.hint == ""  # its hint is about leaving at max_iter, which this loop does right
    loop = run_one("n_iter_not_counted_on_break", "kmeans.lloyd_iterations")
    assert not loop.passed and "still moving" not in loop.message, loop.message
    assert "n_iter counts the iterations made, the last one included" in loop.message
    stop = run_one("n_iter_not_counted_on_break", "kmeans.stops_at_eps")
    assert not stop.passed
    assert "n_iter one short" in stop.message or "its n_iter is one short" in stop.message, stop.message
    assert "n_iter counts the iterations made, the last one included" in stop.message


def test_a_count_is_blamed_only_where_the_states_tell_a_missed_iteration(run_one):
    """A loop that stops one iteration early returns the state it stopped at, and its count is right: where that
    state is the next one as well, the stopping check tells both causes, never the count alone; the loop
    check, which has the state before it, blames no count."""
    stop = run_one("stops_after_one_iteration", "kmeans.stops_at_eps")
    assert not stop.passed and "yet the state it returned is the one after" not in stop.message, stop.message
    early = run_one("max_iter_minus_one", "kmeans.lloyd_iterations")
    assert not early.passed and "one short" not in early.message, early.message


def test_labels_of_an_association_after_the_loop_are_told_so(run_one):
    """An assign after the loop: the labels are nearest to the final centers, and the centers the means of the
    last iteration's association, not of those labels.  The message names the extra association, not the update
    phase, which is right."""
    result = run_one("labels_of_final_centers", "kmeans.lloyd_iterations")
    assert not result.passed
    assert "look like an association made after the last update phase" in result.message, result.message
    assert "association phase (none after the loop)" in result.message
    assert "update phase:" not in result.message and "association phase:" not in result.message
    assert {key for key in result.counterexample if "after iteration" in key}, result.counterexample


def test_an_association_wrong_only_on_large_numbers_is_told_what_caps_the_distances(run_one):
    """Every point left with the first center once the numbers are large: a smallest distance started at 1e10.
    Other labels wrong there only: what caps or rounds the distances, whichever it is."""
    import numpy as np

    from grader.authoring import CheckFailed
    from grader.exercises.kmeans.phases import _FAR, _check_far
    from grader.exercises.kmeans.strategies import Case
    from grader.precision import Rounding

    sentinel = run_one("assign_finite_start", "assign.nearest_center")
    assert not sentinel.passed and "not at a large number such as 1e10" in sentinel.message, sentinel.message

    class SwapsOnLargeNumbers:
        """Right on small numbers; beyond 1e6 the first two points' labels swapped."""

        protections: dict = {}

        def call(self, function, data, centers):
            labels = ((data[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2).argmin(axis=1)
            if np.abs(data).max() > 1e6:
                labels[[0, 1]] = labels[[1, 0]]
            return labels

    case = Case(np.array([[0.0, 0.0], [10.0, 0.0], [0.5, 0.0]]), np.array([[0.0, 0.0], [10.0, 0.0]]))
    with pytest.raises(CheckFailed) as failed:
        _check_far(SwapsOnLargeNumbers(), case, Rounding.of(None))
    assert "multiplied by 2^20" in failed.value.message and _FAR == 2.0**20
    assert failed.value.message.endswith("the nearest centers depend on the size of the numbers; look for what caps or "
                                         "rounds the distances (a smallest distance started at a large number such as "
                                         "1e10, or kept in an integer or single-precision variable)"), \
        failed.value.message


@pytest.mark.parametrize("name, words", [
    ("update_from_initial_centers", "went back to its initial position"),
    ("labels_one_iteration_behind", "the labels returned are those of the association of iteration"),
    ("ties_broken_by_call_count", "kmeans gave different results on the same input"),
    # The same NaN on every run is no difference between runs.
    ("main_loop_means_of_nothing", "has no point, so it must keep its position"),
])
def test_a_main_loop_failure_names_its_cause_not_a_phase_that_is_right(run_one, name, words):
    """The centers of update taken from the start, the labels of the association before, ties broken otherwise
    from run to run: lloyd_iterations says so instead of blaming the association or the update phase."""
    result = run_one(name, "kmeans.lloyd_iterations")
    assert not result.passed and words in result.message, result.message
