"""The course's files and printed steps, read as the three languages write them; the fixed-point arithmetic."""

from __future__ import annotations

import numpy as np
import pytest

from grader.exercises.kmeans_program.fileformat import input_file, parse_output, parse_steps, resolutions
from grader.exercises.kmeans_program.verify import fixed_point_mismatch, move_floor, outside_box, slack_of

C_STEPS = ("2 200\n"
           "Step : 1, error : 0.212345 , cent. move : 0.523456 \n"
           "Step : 2, error : 0.042006 , cent. move : 0.000982 \n")
FORTRAN_STEPS = """           2         200
 Step :           1  error :   9.19911861E-02  cent. move :   1.10250097E-02
 Step :           2  error :   2.37725750E-02  cent. move :   1.02234349E-04
"""
PYTHON_STEPS = """(200, 2)
Step : 1  error : 0.07798993886041929  cent. move : 0.02678303204783232
Step : 2  error : 0.06715637280550078  cent. move : 9.776215091889426e-05
"""


@pytest.mark.quick
def test_the_three_languages_steps_are_read():
    for text in (C_STEPS, FORTRAN_STEPS, PYTHON_STEPS):
        steps = parse_steps(text)
        assert [step.number for step in steps] == [1, 2]
        assert steps[0].error > steps[1].error and steps[1].move < 0.001


def test_other_spellings_and_non_finite_values_are_read():
    steps = parse_steps("iteration 3: error=1.5D-02, move=2.0d-04\nSTEP 4 err nan move -nan\nsteps 5 6 7")
    assert [(s.number, s.error) for s in steps[:1]] == [(3, 0.015)] and steps[0].move == 2e-4
    assert steps[1].number == 4 and np.isnan(steps[1].error) and np.isnan(steps[1].move)
    assert len(steps) == 2  # "steps": the word must be 'step' (or 'iteration', 'iter') itself


def test_lines_without_three_numbers_after_the_word_are_ignored():
    assert parse_steps("Step : 1 error : 0.5\nstepping 1 2 3\nStep : 1.5, error : 1 , move : 2") == []


@pytest.mark.quick
def test_output_files_of_the_three_languages():
    c = parse_output(b" 2 4 \n0.359826 0.082434 \n-0.020206 0.689113 \n1.196213 0.402666 \n0.396732 1.185201 \n", "o")
    fortran = parse_output(b"           5           1\n  0.363735795       7.65009448E-02   1.0   2.0\n"
                           b"  -1.65243577E-02\n", "o")  # a long row wrapped on two lines
    python = parse_output(b"# 2 1\n3.068752368415474385e-01 1.324504243279122917e-01\n", "o")
    assert c.centers.shape == (4, 2) and c.centers[1, 0] == -0.020206
    assert fortran.centers.shape == (1, 5) and fortran.centers[0, 4] == -1.65243577e-2
    assert python.centers.shape == (1, 2)


def test_unreadable_output_files_say_why():
    assert "two whole numbers" in parse_output(b"0.1 0.2\n0.3 0.4\n", "o").problem
    assert "k*ndim = 8" in parse_output(b"2 4\n0.1 0.2\n", "o").problem
    assert "not a number" in parse_output(b"2 1\n0.1 abc\n", "o").problem
    assert "brackets" in parse_output(b"2 2\n[[0.1 0.2]\n [0.3 0.4]]\n", "o").problem  # str() of an array
    assert "empty" in parse_output(b"", "o").problem
    assert "two whole numbers" in parse_output(b"2.5 1\n0.1 0.2\n", "o").problem
    assert "two whole numbers" in parse_output(b"nan 1\n0.1 0.2\n", "o").problem


def test_a_header_of_whole_values_written_as_reals_is_read_and_its_format_told():
    # numpy.savetxt of the whole table, or a program printing ndim and k with %f: the file is read all the same.
    for header in (b"2.000000000000000000e+00 1.000000000000000000e+00", b" 2.000000 1.000000 ", b"2. 1."):
        output = parse_output(header + b"\n0.1 0.2\n", "o")
        assert not output.problem and (output.ndim, output.k) == (2, 1) and output.centers.shape == (1, 2)
        assert "write ndim and k as whole numbers, '2 1'" in output.header_problem
    assert parse_output(b"2 1\n0.1 0.2\n", "o").header_problem == ""


@pytest.mark.quick
def test_input_file_is_the_course_format_and_round_trips():
    data = np.array([[0.1, -2.0], [1 / 3, 4.5], [7.0, 0.0]])
    lines = input_file(data).decode("ascii").split("\n")
    assert lines[0] == "2 3"
    back = np.array([[float(v) for v in line.split()] for line in lines[1:3]]).T
    assert np.array_equal(back, data)


def test_fixed_point_allows_the_slack_of_the_last_move_and_no_more():
    data = np.array([[0.0], [1.0], [2.0], [10.0], [11.0]])
    exact = np.array([[1.0], [10.5]])
    assert fixed_point_mismatch(data, exact, slack_of(0.0, 1e-3, 11.0)) is None
    # The last association put 2.0 with the right cluster, whose center then moved: 2.0 is now a hair
    # nearer to the left center, within the slack of the move, so the centers are accepted.
    right = np.mean([2.0, 10.0, 11.0])
    centers = np.array([[0.5], [right]])
    boundary_gap = abs(2.0 - 0.5) - abs(2.0 - right)
    assert boundary_gap < 0
    assert fixed_point_mismatch(data, centers, slack=abs(boundary_gap) + 1e-9) is None
    assert fixed_point_mismatch(data, centers, slack_of(0.0, 1e-3, 11.0)) is not None
    wrong = fixed_point_mismatch(data, np.array([[0.0], [10.5]]), slack_of(1e-3, 1e-3, 11.0))
    assert wrong is not None and wrong.center == 0 and wrong.points == 3


def test_centers_written_all_at_one_place_are_no_fixed_point_whatever_the_number_of_ties():
    """Four centers at one place make every point a tie among them: too many associations to try (4^16), yet
    no association makes them the means of points spread around two places.  Two centers at the mean of every
    point, all of them ties too, are a fixed point (one center takes every point, the other none)."""
    corners = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    data = np.vstack([corners, corners + 10, corners + 0.25, corners + 10.25])
    slack = slack_of(1e-3, 1e-3, 11.25)
    stuck = fixed_point_mismatch(data, np.repeat(corners.mean(axis=0, keepdims=True), 4, axis=0), slack)
    assert stuck is not None and stuck.points == 16 and stuck.gap > 4, stuck
    assert fixed_point_mismatch(data, np.repeat(data.mean(axis=0, keepdims=True), 2, axis=0), slack) is None
    # A real fixed point beside the tied pair: one center per cluster, the pair at the mean of the points.
    clusters = np.vstack([data, data + 100])
    centers = np.vstack([data.mean(axis=0), data.mean(axis=0), data.mean(axis=0) + 100])
    assert fixed_point_mismatch(clusters, centers, slack_of(1e-3, 1e-3, 111.0)) is None


def test_the_last_error_bounds_the_summed_move_from_below():
    # Two clusters of 3 points, means 1 and 11, whose centers came from 1.1 and 10.8: the last error, summed
    # from the points to those, is the spread about the means plus 3 * 0.1^2 + 3 * 0.2^2.
    data = np.array([[0.0], [1.0], [2.0], [10.0], [11.0], [12.0]])
    labels = np.array([0, 0, 0, 1, 1, 1])
    summed = float(((data[:, 0] - np.array([1.1, 1.1, 1.1, 10.8, 10.8, 10.8])) ** 2).sum())
    floor = move_floor(data, labels, summed)
    assert floor == pytest.approx(0.1 ** 2 + 0.2 ** 2)  # clusters of one size: the floor is the move itself
    assert max(0.1 ** 2, 0.2 ** 2) < floor and (0.1 ** 2 + 0.2 ** 2) / 2 < floor  # the largest, the mean: below
    # Clusters of 4 and 2 points: only a floor (the largest cluster weighs every squared move).
    data = np.array([[0.0], [1.0], [2.0], [3.0], [10.0], [12.0]])
    summed = float(((data[:, 0] - np.array([1.6, 1.6, 1.6, 1.6, 10.7, 10.7])) ** 2).sum())
    assert move_floor(data, np.array([0, 0, 0, 0, 1, 1]), summed) == pytest.approx((4 * 0.01 + 2 * 0.09) / 4)


def test_slack_never_exceeds_that_of_eps():
    assert slack_of(50.0, 1e-3, 1.0) == slack_of(1e-3, 1e-3, 1.0)
    assert slack_of(None, 1e-3, 1.0) == slack_of(1e-3, 1e-3, 1.0)


def test_bounding_box():
    data = np.array([[0.0, 0.0], [1.0, 2.0]])
    assert outside_box(data, np.array([[0.5, 1.0], [1.0, 2.0]])) is None
    assert outside_box(data, np.array([[0.5, 1.0], [0.0, 2.5]]))[:2] == (1, 1)


def test_french_words_and_numpy_reprs_are_steps():
    steps = parse_steps("Itération : 1  erreur : 0.5  déplacement : 0.25\n"
                        "Étape 2 : (np.float64(0.125), np.float64(0.0))\n"
                        "etape 3 erreur numpy.float32(0.1) mouvement np.float64(1e-05)\n")
    assert [(s.number, s.error, s.move) for s in steps] == [(1, 0.5, 0.25), (2, 0.125, 0.0), (3, 0.1, 1e-05)]


def test_a_summary_line_repeating_the_last_step_is_not_a_new_step():
    steps = parse_steps("Step : 1, error : 0.5, cent. move : 0.25\nStep : 2, error : 0.4, cent. move : 0.0\n"
                        "Converged at step 2: final error 0.4, last move 0.0\n")
    assert [s.number for s in steps] == [1, 2]
    # Its error measured after the last update, to the final centers: the same step still.
    steps = parse_steps("Step : 1, error : 0.5, cent. move : 0.25\nStep : 2, error : 0.4, cent. move : 0.001\n"
                        "Converged after step 2: final error 0.38, last move 0.001\n")
    assert [(s.number, s.error) for s in steps] == [(1, 0.5), (2, 0.4)]
    # Every step printed twice, the second error another: not a summary (steps follow), each step numbered twice.
    twice = parse_steps("Step : 1, error : 0.5, cent. move : 0.25\nStep : 1, error : 0.9, cent. move : 0.25\n"
                        "Step : 2, error : 0.4, cent. move : 0.001\nStep : 2, error : 0.7, cent. move : 0.001\n")
    assert [(s.number, s.error) for s in twice] == [(1, 0.5), (1, 0.9), (2, 0.4)]
    # A different line with the same number is a step of its own (numbered twice: the check says so).
    assert [s.number for s in parse_steps("step 1 0.5 0.25\nstep 1 0.4 0.0\n")] == [1, 1]


def test_printed_resolution_is_the_finest_digit_of_each_column():
    coarse = parse_steps("Step : 1, error : 0.512, cent. move : 0.250\nStep : 2, error : 0.401, cent. move : 0.000\n")
    assert coarse[1].move == 0.0 and abs(coarse[1].move_resolution - 5e-4) < 1e-12
    assert abs(coarse[0].error_resolution - 5e-4) < 1e-12
    python = parse_steps(PYTHON_STEPS + "Step : 3  error : 0.06715637280550078  cent. move : 0.0\n")
    assert python[2].move == 0.0 and python[2].move_resolution < 1e-16  # repr: an exact 0
    scientific = parse_steps("Step 1 error 1.23e-02 move 4.56e-03\nStep 2 error 1.20e-02 move 1.00e-05\n")
    assert abs(scientific[1].move_resolution - 5e-8) < 1e-20 and abs(scientific[0].move_resolution - 5e-6) < 1e-18


def test_output_files_keep_how_many_numbers_each_line_holds():
    assert parse_output(b"2 4\n0.1 0.2 0.3 0.4\n1.1 1.2 1.3 1.4\n", "o").per_line == (4, 4)
    assert parse_output(b"2 2\n0.1, 0.2\n\n1.1 1.2\n", "o").per_line == (2, 2)


def test_resolution_of_printed_numbers_follows_their_format():
    fixed = resolutions(["1.234", "0.012", "0.000"])  # %.3f
    assert all(abs(r - 5e-4) < 1e-15 for r in fixed)
    general = resolutions(["1.23457", "0.0123457"])  # %g: six significant digits
    assert abs(general[0] - 5e-6) < 1e-18 and abs(general[1] - 5e-8) < 1e-20
    python = resolutions(["0.5", "0.06715637280550078", "0.0"])  # repr: short numbers are exact
    assert max(python) < 1e-16
    assert resolutions(["0", "12", "0.25"]) == [0.0, 0.0, resolutions(["0.25"])[0]]  # whole numbers: exact
    assert parse_output(b"2 1\n0.1235 -2.0000\n", "o").resolution == resolutions(["0.1235"])[0]


def test_centers_printed_with_few_decimals_are_judged_to_their_resolution():
    data = np.array([[0.0], [1.0 / 3.0], [1.0]])
    centers = np.array([[0.1667], [1.0]])  # %.4f of the exact means
    assert fixed_point_mismatch(data, centers, slack_of(0.0, 1e-3, 1.0)) is not None
    assert fixed_point_mismatch(data, centers, slack_of(0.0, 1e-3, 1.0), printed=5e-5) is None
    assert fixed_point_mismatch(data, np.array([[0.17], [1.0]]), slack_of(0.0, 1e-3, 1.0), printed=5e-5) is not None


def test_a_count_out_of_the_cap_and_digits_in_names_are_not_values():
    for line in ("Step 3/100 : error (L2) = 0.5, move = 1e-05", "step 3 of 100, error 0.5, move 1e-05",
                 "Étape 3 sur 100 : erreur 0.5, déplacement 1e-05", "step 3 x1 error 0.5 move 1e-05"):
        assert [(s.number, s.error, s.move) for s in parse_steps(line)] == [(3, 0.5, 1e-05)], line


@pytest.mark.parametrize("template", [
    "Step {s} : error = {e} ; ||dC||^2 = {m}",  # an exponent of a label
    "Step {s}: error (mean of d^2) = {e}, move (sum of dc^2) = {m}",
    "Step {s}: error {e}, dx**2 = {m}",
    "Étape {s} : erreur (norme 2 au carré) {e}, déplacement {m}",  # a whole number repeated in every line
    "Step {s}: 2D error {e}, move {m}",  # digits glued to a word
    "Step {s} (k=4): error {e}, move {m}",
    "Step {s}: error (for 200 points) {e}, move {m}",
    "Step {s} t=0.{s}3s: error {e}, move {m}",  # a unit glued to its number
])
@pytest.mark.parametrize("count", [1, 3])
def test_numbers_of_a_label_are_not_values(template, count):
    printed = "\n".join(template.format(s=step, e=0.5 / step, m=0.1 / step) for step in range(1, count + 1))
    expected = [(step, 0.5 / step, 0.1 / step) for step in range(1, count + 1)]
    assert [(s.number, s.error, s.move) for s in parse_steps(printed)] == expected, printed


def test_numbers_after_the_move_that_change_are_not_labels():
    varying = "Step 1 error 0.5 move 0.1 changed 12\nStep 2 error 0.4 move 0.01 changed 3\n"
    assert [(s.number, s.error, s.move) for s in parse_steps(varying)] == [(1, 0.5, 0.1), (2, 0.4, 0.01)]


@pytest.mark.parametrize("line", [
    "Step1, error :  0.5, cent. move :  1e-05",  # the word touching its number (C "Step%d", Fortran '(a,i0)')
    "Step_3 error 0.5 move 1e-05",
    "Step 3 error.500000 cent. move.000010",  # Fortran's F0.6 right after the label
    "Step 3 error0.500000 cent. move1.0E-05",
    "\x1b[1;32mStep\x1b[0m : 3, error : \x1b[33m0.5\x1b[0m, cent. move : 1e-05",  # terminal colours
    "n_iter = 3, error = 0.5, move = 1e-05",  # the word ending a variable's name
])
def test_steps_written_close_to_their_labels_are_read(line):
    assert [(s.number, s.error, s.move) for s in parse_steps(line)] in ([(1, 0.5, 1e-05)], [(3, 0.5, 1e-05)]), line


def test_a_first_step_0_of_the_initial_state_is_no_iteration():
    from grader.exercises.kmeans_program.running import _iterations

    initial = parse_steps("Step : 0, error : 0.9, cent. move : 0.000000\nStep : 1, error : 0.5, cent. move : 0.1\n"
                          "Step : 2, error : 0.4, cent. move : 0.0")
    assert [step.number for step in _iterations(initial)] == [1, 2]
    from_zero = parse_steps("Step : 0, error : 0.9, cent. move : 0.2\nStep : 1, error : 0.5, cent. move : 0.0")
    assert [step.number for step in _iterations(from_zero)] == [0, 1]  # iterations counted from 0: still wrong


def test_a_cap_named_with_the_word_is_a_setting_not_a_step():
    printed = ("Parameters: max iter = 100 | eps = 0.001 | k = 4\niter max : 100, eps 0.001, k 4\n"
               "maximum iteration 100 eps 0.001 k 4\nStep 1 error 0.5 move 0.25\niter 2 err 0.4 move 0.0001")
    assert [step.number for step in parse_steps(printed)] == [1, 2]
    assert parse_steps("Information: step 4 error inf move nan")[0].number == 4  # "inf" of a word is no number
    assert parse_steps("mystep 3 1 2\nsteps2go 3 1 2\nmax_iter = 100, eps = 0.001, k = 4") == []


def test_what_a_program_printed_is_shown_without_the_grader_s_folders():
    from types import SimpleNamespace

    from grader.exercises.kmeans_program.running import _printed_tail

    run = SimpleNamespace(printed='Traceback (most recent call last):\n'
                                  '  File "/tmp/grader-worker-p__c53t2/run-a8_k2m1x/kmeans_program.py", line 16, in <module>\n'
                                  "FileNotFoundError: [Errno 2] No such file or directory\n"
                                  "At line 21 of file /tmp/grader-build-x1/kmeans_program.f90 (unit = 10)\n")
    tail = _printed_tail(run)
    assert 'File "kmeans_program.py", line 16' in tail and "of file kmeans_program.f90" in tail
    assert "grader-" not in tail


class _Watched:
    """A compiled pattern that records what each search or match is given (the string and where it may look)."""

    def __init__(self, pattern):
        self.pattern, self.seen = pattern, []

    def search(self, string, pos=0, endpos=None):
        self.seen.append((string, pos, len(string) if endpos is None else endpos))
        return self.pattern.search(string, pos, len(string) if endpos is None else endpos)

    def match(self, string, pos=0, endpos=None):
        self.seen.append((string, pos, len(string) if endpos is None else endpos))
        return self.pattern.match(string, pos, len(string) if endpos is None else endpos)


def test_a_line_holding_the_word_thousands_of_times_is_read_in_one_pass(monkeypatch):
    """A program printing ``"max step " * 7200`` on one line (64 KB) once held the grader for minutes: each word
    had the whole line before it searched for a cap's name.  Each cap is now tried where the word is, on the line
    itself (never a copy of what is left of it), and the caps are still told from steps."""
    from grader.exercises.kmeans_program import fileformat

    line = "max step " * 7200
    watched = {name: _Watched(getattr(fileformat, name)) for name in ("_CAP_BEFORE", "_CAP_AFTER")}
    for name, pattern in watched.items():
        monkeypatch.setattr(fileformat, name, pattern)
    assert parse_steps(line + "\nStep : 1, error : 0.5 , cent. move : 0.25\nmax iter = 100 0.5 0.25\n")[0].number == 1
    before = watched["_CAP_BEFORE"].seen
    assert len(before) >= 7200
    # The line itself (its length: the escape codes removed, it is another object) or a short window of it.
    assert all(len(string) in (len(line), len(line.rstrip())) or len(string) < 100
               for string, _, _ in before + watched["_CAP_AFTER"].seen)
    assert max(end - start for _, start, end in before) <= fileformat._CAP_REACH
    assert parse_steps("iteration max : 100, 0.5, 0.25\nmaximum  step: 3 0.5 0.25\n") == []


def test_a_failing_programs_last_lines_are_shown_cut_and_cleaned_from_a_bounded_prefix(monkeypatch):
    from types import SimpleNamespace

    from grader.exercises.kmeans_program import running

    pattern = running._BUILD_FOLDER
    watched = _Watched(pattern)
    watched.sub = lambda replacement, string: (watched.seen.append((string, 0, len(string))),
                                               pattern.sub(replacement, string))[1]
    monkeypatch.setattr(running, "_BUILD_FOLDER", watched)
    printed = "\n".join(["/" * 65000] * 40 + ["open /tmp/grader-worker-x1/run-ab12/out.dat failed", "x" * 5000]) + "\n"
    tail = running._printed_tail(SimpleNamespace(printed=printed)).splitlines()
    assert len(tail) == 15 and len(watched.seen) == 15
    assert all(len(string) <= 2 * running._LINE_SHOWN for string, _, _ in watched.seen)
    assert tail[0] == "/" * running._LINE_SHOWN + " ... (65000 characters)"
    assert tail[-2] == "open out.dat failed" and tail[-1].endswith(" ... (5000 characters)")


@pytest.mark.quick
def test_numbers_beyond_a_double_or_an_int_python_reads_are_values_as_printed():
    """A hostile program printing ``0e500`` (the resolution of its last digit, 10.0 ** 500, overflows), an exponent
    or a whole number of thousands of digits (int() refuses more than 4300) gets the checks' ordinary failures: the
    numbers are read as they print, never an error in the exercise's checks."""
    huge = "9" * 5000
    steps = parse_steps(f"Step : 1 error : 0e500 cent. move : 0e500\nStep : 2 error : 1e-{huge} move : 1e{huge}\n")
    assert [(step.number, step.error, step.move) for step in steps] == [(1, 0.0, 0.0), (2, 0.0, np.inf)]
    assert [(step.error_resolution, step.move_resolution) for step in steps] == [(0.0, 0.0), (0.0, 0.0)]
    assert resolutions(["0e500", "1.5", "0e308"]) == [0.0, 0.05, 0.5e307]
    for header in (f"{huge} 4", f"2 {huge}", f"-{huge} 4"):
        output = parse_output(f"{header}\n1 2\n".encode(), "kmeans_output_2d.dat")
        assert output.centers is None and output.problem.startswith(
            f"the first line of kmeans_output_2d.dat is '{header[:60]}': it must hold two whole numbers"), output
    written = parse_output(b"2 1\n0e500 1\n", "kmeans_output_2d.dat")
    assert written.centers.tolist() == [[0.0, 1.0]] and written.resolution == 0.0


@pytest.mark.quick
def test_a_fake_bounds_error_with_an_index_no_fortran_has_is_not_explained():
    from grader.exercises.kmeans_program.running import _explain

    printed = ("At line 3 of file kmeans_program.f90\nFortran runtime error: Index '{}' of dimension 1 of array 'data' "
               "outside of expected range (1:4)")
    assert "data(5) is above its upper bound 4" in _explain(printed.format(5))
    assert _explain(printed.format("9" * 5000)) == ""


def test_an_error_of_distances_rather_than_squared_distances_is_recognised():
    """The error printed as the mean (or the sum) of the distances, with a square root: when it goes up from one
    step to the next, the message names that (``stopping.printed_steps``), not the phases."""
    from grader.exercises.kmeans_program.checks import _error_of_distances
    from grader.exercises.kmeans_program.fileformat import OutputFile, Step
    from grader.exercises.kmeans_program.running import Observed

    data = np.array([[0.0, 0.0], [0.0, 2.0], [10.0, 0.0], [10.0, 4.0]])
    centers = np.array([[0.0, 1.0], [10.0, 2.0]])
    distances = np.array([1.0, 1.0, 2.0, 2.0])

    def observed(error: float) -> Observed:
        step = Step(number=2, error=error, move=0.0, line="", error_resolution=5e-7)
        return Observed(data=data, run=None, steps=[step],
                        output=OutputFile(ndim=2, k=2, centers=centers, resolution=5e-7))

    assert _error_of_distances(observed(float(distances.mean())))
    assert _error_of_distances(observed(float(distances.sum())))
    assert not _error_of_distances(observed(float((distances ** 2).mean())))
    assert not _error_of_distances(observed(float((distances ** 2).sum())))
