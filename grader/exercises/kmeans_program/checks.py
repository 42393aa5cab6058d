"""The checks of the k-means program: black-box properties that hold whatever the random start.

Each example is a whole run of the student's program (see :mod:`.running`), so
every check caps its examples and the runs it may spend shrinking a failure.
Runs are cached by input in the student (the same dataset is run once per
grading), so checks that draw the same datasets share their runs.

The contract, from the course: read ``kmeans_input_file_2d.dat``; k centers
picked at random among the points; one printed line per iteration
(``Step : l, error : e, cent. move : m``, ``e`` the mean squared distance of the
points to their centers, ``m`` the summed squared move of the centers); stop at
the first step whose move is <= 0.001, or after 100 steps; write
``kmeans_output_2d.dat``, header ``ndim k`` then k rows.  Any dimension.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import numpy as np
from hypothesis import strategies as st

from grader.authoring import check, fail
from grader.exercises.kmeans_program.fileformat import INPUT_NAMES, OUTPUT_NAMES
from grader.exercises.kmeans_program.running import (
    EPS,
    MAX_STEPS,
    STEP_FORMAT,
    Observed,
    counterexample,
    observe,
    unrecognised_steps,
)
from grader.exercises.kmeans_program.verify import (
    PRINTED,
    SINGLE,
    fixed_associations,
    fixed_point_mismatch,
    last_error_bounds,
    mean_tolerance,
    move_floor,
    nearest_means,
    outside_box,
    slack_of,
)

#: The number of centers the course's program runs k-means with (its README: "k = 4").
K = 4
#: Examples per check (each one a run of the program) and runs spent shrinking a failure.
EXAMPLES = 12
SHRINK_RUNS = 24
_GRID = 64.0  # coordinates are multiples of 1/64: exact in every language's floating point


class Dataset:
    """Points of shape (n, d); shown in reports by their course file."""

    def __init__(self, data: np.ndarray) -> None:
        self.data = data

    def __repr__(self) -> str:
        n, d = self.data.shape
        return f"Dataset({n} points in {d}-D)"


@st.composite
def datasets(draw: Any, dims: tuple[int, ...] = (2,), min_points: int = 6, max_points: int = 30) -> Dataset:
    """Points in a few blobs, on a grid of 1/64, within [-4, 4]."""
    d = draw(st.sampled_from(dims), label="dimension")
    n = draw(st.integers(min_points, max_points), label="points")
    blobs = draw(st.lists(st.lists(st.integers(-192, 192), min_size=d, max_size=d), min_size=1, max_size=5),
                 label="blob centers")
    points = []
    for i in range(n):
        blob = blobs[draw(st.integers(0, len(blobs) - 1), label=f"blob of point {i}")]
        offset = draw(st.lists(st.integers(-32, 32), min_size=d, max_size=d), label=f"offset of point {i}")
        points.append([(b + o) / _GRID for b, o in zip(blob, offset)])
    return Dataset(np.array(points, dtype=np.float64).reshape(n, d))


@st.composite
def duplicated(draw: Any) -> Dataset:
    """Few distinct points (at least 4), each repeated many times: random starts often pick one twice."""
    distinct = draw(st.lists(st.tuples(st.integers(-128, 128), st.integers(-128, 128)), min_size=4, max_size=6,
                             unique=True), label="distinct points")
    copies = draw(st.lists(st.integers(1, 12), min_size=len(distinct), max_size=len(distinct)), label="copies")
    points = [point for point, count in zip(distinct, copies) for _ in range(count)]
    order = draw(st.permutations(range(len(points))), label="order")
    return Dataset(np.array([points[i] for i in order], dtype=np.float64) / _GRID)


def _centers(observed: Observed) -> np.ndarray:
    """The output's centers, failing unless their dimension is the data's and all are finite."""
    output = observed.output
    assert output is not None and output.centers is not None
    d = observed.data.shape[1]
    if output.ndim != d:
        fail(f"wrong output header: {observed.output_name} says ndim={output.ndim} on its first line, but the data "
             f"has {d} dimension{'s' if d != 1 else ''} (the first line is 'ndim k': the dimension first)",
             **counterexample(observed))
    if not np.isfinite(output.centers).all():
        fail(f"{observed.output_name} holds NaN or infinite coordinates (a center with no point divided by a "
             "count of 0? such a center must keep its position)", **counterexample(observed,
                                                                                     returned=output.centers))
    k = len(output.centers)
    if d > 1 and d % k and output.per_line == (k,) * d:
        # d lines of k numbers (no wrapping of k rows of d numbers gives that, d not being a multiple of k): the
        # centers written like the input file, if their transpose is what k-means ends with and they are not.
        slack, printed = _tolerances(observed)
        transposed = output.centers.reshape(d, k).T
        if fixed_point_mismatch(observed.data, transposed, slack, printed) is None \
                and fixed_point_mismatch(observed.data, output.centers, slack, printed) is not None:
            fail(f"{observed.output_name} holds {d} lines of {k} numbers after its first line: one line per "
                 f"coordinate, like the input file; it must hold one line per center ({k} lines of {d} "
                 "coordinates: write the transpose)",
                 **counterexample(observed, returned=output.centers, expected=transposed))
    return output.centers


def _tolerances(observed: Observed) -> tuple[float, float]:
    """(slack of the last association, resolution of the output's coordinates) for the fixed-point test."""
    data = observed.data
    scale = float(max(np.abs(data).max(), 1e-3))
    last = observed.steps[-1] if observed.steps else None
    # The last move as printed may be rounded down (0.000 for 0.0004): its resolution is added.
    slack = slack_of(None if last is None else last.move + last.move_resolution, EPS, scale)
    # Centers written with few decimals are known to their resolution only: a distance to one moves by at most
    # that times sqrt(d), the comparison of two such distances by twice as much.
    printed = observed.output.resolution if observed.output is not None else 0.0
    return slack + 2 * printed * float(np.sqrt(data.shape[1])), printed


def _fixed_point(observed: Observed, what: str) -> None:
    centers = _centers(observed)
    data = observed.data
    slack, printed = _tolerances(observed)
    mismatch = fixed_point_mismatch(data, centers, slack, printed)
    if mismatch is not None:
        fail(f"{what}: center {mismatch.center} of {observed.output_name} is at {np.round(mismatch.position, 6)}, "
             f"but the mean of the {mismatch.points} point{'s' if mismatch.points != 1 else ''} nearest to it is "
             f"{np.round(mismatch.mean, 6)} (off by {mismatch.gap:.3g}, more than the {mismatch.tolerance:.2g} that "
             f"rounding and the last move allow): when the loop ends, each center must be the mean of its points"
             f"{_likely_cause(data, centers, slack, printed)}",
             **counterexample(observed, returned=centers, expected=nearest_means(data, centers)))


def _likely_cause(data: np.ndarray, centers: np.ndarray, slack: float, printed: float) -> str:
    """A sentence naming the mix-up of the file formats that explains centers that are not a fixed point, or ""."""
    n, d = data.shape
    k = len(centers)
    if d == 1:
        return ""
    if fixed_point_mismatch(data.T.reshape(n, d), centers, slack, printed) is None:
        return (". Your centers are those of the data read point by point (x1 y1 x2 y2 ...), but the input file "
                "holds one line per coordinate: its line 2 holds the first coordinate of every point, line 3 the "
                "second one, and so on (read coordinate d of point i into data[i][d], looping over d outside)")
    if fixed_point_mismatch(data, centers.reshape(d, k).T, slack, printed) is None:
        return (". The numbers of your output file are the right centers written coordinate by coordinate (the "
                "first coordinate of every center, then the second one...): write one center after the other")
    if fixed_point_mismatch(data, centers[:, ::-1], slack, printed) is None:
        return ". Your centers are right but their coordinates are written in reverse order"
    if k > 1 and len(np.unique(centers, axis=0)) == 1:  # two initial picks may coincide, never all of them
        return (f". The {k} centers written are all the same point: does the loop that writes them write each "
                "center (its index moving with the loop)?")
    return ""


# --- the output file ------------------------------------------------------------------------------------------


@check("output.format", f"the output file: {OUTPUT_NAMES[0]}, first line 'ndim k', then k rows of ndim numbers",
       hint="Write the first line 'ndim k', then one center per line, its coordinates separated by spaces.",
       max_examples=EXAMPLES, shrink_limit=SHRINK_RUNS, case=datasets())
def output_format(student, case: Dataset):
    observed = observe(student, case.data, reads_steps=False)
    centers = _centers(observed)
    if observed.output is not None and observed.output.header_problem:
        fail(f"{observed.output.header_problem}.", **counterexample(observed))
    if len(centers) != K:
        kept = (", and write every one of them: a center left without points keeps its position, it is never "
                "removed" if len(centers) < K else "")
        fail(f"{observed.output_name} holds {len(centers)} center{'s' if len(centers) != 1 else ''}, but the program "
             f"runs k-means with k = {K} centers (the course's k): pick {K} initial centers{kept}",
             **counterexample(observed, returned=centers))


@check("output.input_untouched", "the program leaves its input file as it found it",
       hint="Open the data file for reading only ('r'), and never write to it.",
       max_examples=EXAMPLES, shrink_limit=SHRINK_RUNS, case=datasets())
def input_untouched(student, case: Dataset):
    observed = observe(student, case.data, reads_steps=False, reads_output=False)
    removed = [name for name in INPUT_NAMES if name in observed.run.removed]
    if removed:
        fail(f"your program removed its input file {removed[0]} (or put something else than a file in its "
             "place): it must only read it", **counterexample(observed))
    changed = [name for name in INPUT_NAMES if name in observed.run.files]
    if changed:
        fail(f"your program changed its input file {changed[0]}: it must only read it",
             **counterexample(observed, changed_input=observed.run.files[changed[0]].decode("latin-1")[:2000]))


# --- the result -----------------------------------------------------------------------------------------------


@check("result.fixed_point", "convergence: every final center is the mean of the points nearest to it",
       hint="After the association phase, move each center to the mean of its points; stop only when move <= eps.",
       max_examples=EXAMPLES, shrink_limit=SHRINK_RUNS, case=datasets())
def fixed_point(student, case: Dataset):
    _fixed_point(observe(student, case.data, reads_steps=False), "not converged")


@check("result.within_data", "every final center lies within the data's bounding box",
       hint="Initial centers are data points, and every update moves a center to a mean of data points.",
       max_examples=EXAMPLES, shrink_limit=SHRINK_RUNS, case=datasets())
def within_data(student, case: Dataset):
    observed = observe(student, case.data, reads_steps=False)
    centers = _centers(observed)
    outside = outside_box(case.data, centers, observed.output.resolution if observed.output is not None else 0.0)
    if outside is not None:
        j, axis, value, low, high = outside
        fail(f"center {j} has coordinate {axis + 1} = {value:.6g}, outside the data's range [{low:.6g}, {high:.6g}]: "
             "a center is always a data point or a mean of data points (a center outside the data often comes "
             "from an initial index out of range: rand() % (n + 1) can pick index n, one past the last point; "
             "from a center without points moved to an empty sum; or from a sum divided by the wrong count)",
             **counterexample(observed, returned=centers, expected=nearest_means(case.data, centers)))


# --- dimensions -----------------------------------------------------------------------------------------------


#: A small 2-D dataset, to tell a program without a main loop from one that only works in 2-D.
_PLANE = np.array([[0.0, 0.0], [0.25, 0.0], [2.0, 2.0], [2.25, 2.0], [0.0, 2.0], [4.0, 0.0]])


@check("dimensions.any", "the same program works in 1, 3 and 5 dimensions (ndim read from the file's first line)",
       hint="Read ndim from the first line and loop over it everywhere: no x and y variables, no 2 in the code.",
       max_examples=9, shrink_limit=SHRINK_RUNS, case=datasets(dims=(1, 3, 5)))
def any_dimension(student, case: Dataset):
    d = case.data.shape[1]
    observed = observe(student, case.data, needs_loop=False)
    if not observed.steps and not unrecognised_steps(observed):
        observe(student, _PLANE, needs_loop=True)  # no step in 2-D either: the main loop is not written yet
        fail(f"on {d}-D data your program printed no step (no line like '{STEP_FORMAT}')",
             **counterexample(observed))
    _fixed_point(observed, f"in {d}-D, not converged")


# --- stopping -------------------------------------------------------------------------------------------------


#: The check that owns how the steps are printed.
_STEPS = ("stopping.printed_steps",)


def _check_steps(observed: Observed, suspects: tuple[str, ...] = ()) -> None:
    """The printed steps; none to judge on a run whose steps are printed in a form that is not read (only
    ``stopping.printed_steps`` fails for that, see :func:`observe`).  ``suspects``: the checks a failure of the
    steps is linked to, a NaN apart (a check on other data judging the same steps: ``stopping.printed_steps``
    owns how they are printed)."""
    steps = observed.steps
    if not steps:
        return
    n = len(observed.data)
    numbers = [step.number for step in steps]
    if numbers != list(range(1, len(steps) + 1)):
        fail(f"the printed steps are numbered {numbers[:8]}{'...' if len(numbers) > 8 else ''}: they must count "
             "1, 2, 3, ... one line per iteration", suspects=suspects, **counterexample(observed))
    if len(steps) > MAX_STEPS:
        fail(f"{len(steps)} steps printed: the loop must stop after {MAX_STEPS} steps at most",
             suspects=suspects, **counterexample(observed))
    if _printed_before_update(steps):
        # How the steps are printed, not a NaN: linked to the steps' own check when the result is right.
        later = " and the next steps finite ones" if len(steps) > 1 else ""
        fail(f"step 1 printed an infinite error ({steps[0].line!r}){later}: those are the values your loop "
             "starts with (such as move = err = inf), so each step is printed before its association and update "
             "phases. Print the step after the update, with the error and the move that step computed", suspects=suspects if _is_fixed_point(observed) else (),
             **counterexample(observed))
    for step in steps:
        if not (np.isfinite(step.error) and np.isfinite(step.move)):
            fail(f"step {step.number} printed a NaN or infinite value ({step.line!r}): a center with no point "
                 "must keep its position, not be divided by a count of 0", **counterexample(observed))
    for step in steps[:-1]:
        if step.move <= EPS - _printed(step.move_resolution) - 1e-4 * EPS:
            fail(f"the loop went on after step {step.number}, whose move {step.move:.6g} is <= {EPS}: it must stop "
                 "at the first step whose move is <= eps", suspects=suspects, **counterexample(observed))
    last = steps[-1]
    if last.move > EPS + _printed(last.move_resolution) + 1e-4 * EPS and last.number != MAX_STEPS:
        fail(f"the loop stopped at step {last.number} with a move of {last.move:.6g} > {EPS}, before step "
             f"{MAX_STEPS}: it must go on until the move is <= eps (or it did, but did not print its last step: "
             "print each step before testing whether to stop)", suspects=suspects, **counterexample(observed))
    for before, after in zip(steps, steps[1:]):
        if after.error > before.error * (1 + 1e-4) + _printed(before.error_resolution) \
                + _printed(after.error_resolution):
            cause = (": the last one is the mean (or the sum) of the distances of the points to their centers, but "
                     "the error is the mean of their squares (no square root), which the association and update "
                     "phases never increase"
                     if _error_of_distances(observed) else
                     ": with the association and update phases right it never increases")
            fail(f"the printed error went up, from {before.error:.6g} at step {before.number} to {after.error:.6g} at "
                 f"step {after.number}{cause}", suspects=suspects, **counterexample(observed))
    unreal = _unreal_move(steps, n)
    if unreal is not None:
        before, after = unreal
        fail(f"step {before.number} printed a move of {before.move:.6g}, but the error only went from "
             f"{before.error:.6g} to {after.error:.6g} at the next step: the centers cannot have moved that much. "
             "A center without points must not count in the move (it stays where it is, so its move is 0); the "
             "move is the sum of the squared distances, reset to 0 at each step; and each step's error is measured "
             "in its association phase, from the points to the centers they were associated with (before the "
             f"update){_whole_errors(steps)}", suspects=suspects, **counterexample(observed))


def _error_of_distances(observed: Observed) -> bool:
    """Whether the last printed error is the mean or the sum of the distances (not squared) of the points to the
    nearest centers of the output file, the centers being a fixed point: an error computed with a square root,
    which Lloyd's phases do not make decrease (they decrease the squared distances)."""
    output, data, last = observed.output, observed.data, observed.steps[-1]
    if output is None or output.centers is None or output.ndim != data.shape[1] \
            or not np.isfinite(output.centers).all() or not np.isfinite(last.error):
        return False
    slack, printed = _tolerances(observed)
    if fixed_point_mismatch(data, output.centers, slack, printed) is not None:
        return False
    distances = np.sqrt(((data[:, None, :] - output.centers[None, :, :]) ** 2).sum(axis=2)).min(axis=1)
    room = _printed(last.error_resolution) + 1e-3 * abs(last.error) + PRINTED * len(data)
    return any(abs(last.error - total) <= room for total in (float(distances.mean()), float(distances.sum())))


def _printed_before_update(steps: list) -> bool:
    """Whether step 1 printed an error of +inf and every later step finite values: the error of a first
    association is finite (the centers start at data points), an infinite one is the value the loop starts with,
    printed at the top of the loop before any phase ran."""
    first = steps[0]
    return bool(first.error == np.inf and not np.isnan(first.move)
                and all(np.isfinite(step.error) and np.isfinite(step.move) for step in steps[1:]))


def _is_fixed_point(observed: Observed) -> bool:
    """Whether the output file holds centers of the data's dimension that are a fixed point."""
    output, data = observed.output, observed.data
    if output is None or output.centers is None or output.ndim != data.shape[1] \
            or not np.isfinite(output.centers).all():
        return False
    slack, printed = _tolerances(observed)
    return fixed_point_mismatch(data, output.centers, slack, printed) is None


def _whole_errors(steps: list) -> str:
    """A sentence when every printed error is a whole number (summed or divided as integers), or ""."""
    if all(np.isfinite(step.error) and step.error == int(step.error) for step in steps):
        return (". The printed errors are whole numbers: is the error summed in an integer variable, or divided "
                "as integers?")
    return ""


def _printed(resolution: float) -> float:
    """How far a printed value may be from the computed one: its printed resolution, at least six decimals'."""
    return max(PRINTED, resolution)


def _unreal_move(steps: list, n: int) -> Optional[tuple[Any, Any]]:
    """The first two steps whose error drop is too small for the move printed, or ``None``.

    Each center that moves by delta takes its points with it, so the summed squared distance drops by at least
    delta^2 for each of them: n times the drop of the mean error from step t (measured at its association, as
    the skeletons say) to step t+1 is at least step t's move.
    """
    for before, after in zip(steps, steps[1:]):
        move = before.move
        drop = n * (before.error - after.error)
        tolerance = n * (_printed(before.error_resolution) + _printed(after.error_resolution)
                         + 1e-4 * abs(before.error)) + _printed(before.move_resolution) + 1e-4 * move
        if move > drop + tolerance:
            return before, after
    return None


@check("stopping.printed_steps", f"stopping: steps 1, 2, ... printed, stop at the first move <= {EPS} or at step "
                                 f"{MAX_STEPS}, the error never increases",
       hint="Print one line per iteration, after the update; stop with 'move <= eps' or after 100 iterations.",
       max_examples=EXAMPLES, shrink_limit=SHRINK_RUNS, case=datasets())
def printed_steps(student, case: Dataset):
    observed = observe(student, case.data)
    _check_steps(observed)
    _check_last_error(observed)
    _check_last_move(observed)


#: Relative room for single-precision sums of squared distances, over the data's extent.
_SUM_ROOM = 1e-3


def _check_last_error(observed: Observed) -> None:
    """The last printed error is the mean squared distance of the points to their centers (see
    :func:`last_error_bounds`); judged only on a run whose output is readable and whose centers are a fixed
    point, where the last association is known from the output (other runs fail the checks of the result)."""
    output, data, last = observed.output, observed.data, observed.steps[-1]
    if output is None or output.centers is None or output.ndim != data.shape[1] \
            or not np.isfinite(output.centers).all() or not (np.isfinite(last.error) and np.isfinite(last.move)):
        return
    slack, printed = _tolerances(observed)
    if fixed_point_mismatch(data, output.centers, slack, printed) is not None:
        return
    low, high = last_error_bounds(data, output.centers, last.move + _printed(last.move_resolution), printed)
    if _error_scales(observed, low, high):
        return
    # Above what the printed move allows: the error, or a move printed smaller than the centers moved.
    move = (f"; or, if it is, the last move printed ({last.move:.6g}) is smaller than the centers moved at that "
            "step: the move is the sum over all the centers of the squared distance between the old and the new "
            "position of each one, reset to 0 at each step" if last.error > high else "")
    fail(f"the last step printed an error of {last.error:.6g}, but the mean squared distance of the points to the "
         f"centers of {observed.output_name} is {low:.6g}" + (f" (up to {high:.6g} with the last move)"
                                                              if high > low * 1.001 else "") +
         ": the error is the mean of the squared distances of the points to the centers of their association "
         f"(squared distances: no square root; divided by the number of points){_whole_errors(observed.steps)}"
         f"{move}", **counterexample(observed))


def _error_scales(observed: Observed, low: float, high: float) -> list[int]:
    """What the last printed error is the mean squared distance times: 1 for the mean, n for the sum as the
    course's vectorised variant prints it (the number of points is fixed: the stopping rule and the decrease of
    the error read the same either way); none when it lies outside ``low``, ``high`` (see
    :func:`last_error_bounds`) for both."""
    last = observed.steps[-1]
    scales = []
    for scale in (1, len(observed.data)):
        room = _printed(last.error_resolution) + _SUM_ROOM * (scale * high + PRINTED)
        if low * scale - room <= last.error <= high * scale + room:
            scales.append(scale)
    return scales


def _check_last_move(observed: Observed, suspects: tuple[str, ...] = ()) -> None:
    """The last printed move is at least what the last error says the centers moved (see :func:`_move_floor`).
    Judged on a converged run whose output's centers are a fixed point, like :func:`_check_last_error` (a last
    move above eps gets only eps's slack); other runs fail the checks of the result or of the error."""
    last = observed.steps[-1] if observed.steps else None
    if last is None or not (np.isfinite(last.error) and np.isfinite(last.move)) \
            or last.move > EPS + _printed(last.move_resolution) or not _is_fixed_point(observed):
        return
    floor = _move_floor(observed, last.move + _printed(last.move_resolution))
    if floor is None or last.move + _printed(last.move_resolution) >= floor:
        return
    fail(f"the last step printed a move of {last.move:.6g}, but its error ({last.error:.6g}) and the centers of "
         f"{observed.output_name} show that the centers moved more at that step: the sum of their squared moves "
         f"is at least {floor:.3g}. The move is the sum over all the centers of the squared distance between the "
         "old and the new position of each one (not the largest of them, not their mean), reset to 0 at each "
         "step", suspects=suspects, **counterexample(observed))


def _move_floor(observed: Observed, move: float) -> Optional[float]:
    """The least summed squared move of the last step that its printed error allows (see :func:`move_floor`),
    less every rounding, over the associations of the last step whose means are the output's centers (the
    nearest one, but for the points the last move and the rounding leave in doubt) and the readings of the error
    (see :func:`_error_scales`); ``None`` when there are too many associations to try, or no reading of the
    error (:func:`_check_last_error` fails).  ``move``: the last move, rounding included."""
    assert observed.output is not None and observed.output.centers is not None  # a fixed point: read
    data, last, centers = observed.data, observed.steps[-1], observed.output.centers
    slack, printed = _tolerances(observed)
    scales = _error_scales(observed, *last_error_bounds(data, centers, move, printed))
    associations = fixed_associations(data, centers, slack, printed)
    if not associations or not scales:
        return None
    n, k = data.shape[0], len(centers)
    # The program's centers are single-precision means, each up to this far from the exact ones the floor uses:
    # with sum(n_j * (delta_j + far) ** 2) <= largest * (move + 2 * far * sqrt(k * move) + k * far ** 2).
    extent = float(max(np.abs(data).max(), 1e-3))
    far = mean_tolerance(n, extent)
    blur = 2 * far * np.sqrt(k * move) + k * far ** 2
    # Each single-precision squared distance may be off by a few units of its terms (x.x - 2 x.c + c.c too).
    terms = 16 * n * SINGLE * data.shape[1] * extent ** 2
    floors = []
    for scale in scales:
        summed = last.error * n / scale
        # The printed error's resolution and a single-precision sum over the points (relative n * eps at most).
        room = n / scale * _printed(last.error_resolution) + max(1e-4, 2 * (n + 2) * SINGLE) * abs(summed) + terms
        floors += [move_floor(data, labels, summed) - (room / int(np.bincount(labels).max())) - blur
                   for labels in associations]
    return min(floors)


# --- robustness -----------------------------------------------------------------------------------------------


@check("robustness.duplicates", "many duplicated points (empty clusters): no NaN, no crash, the loop still stops",
       hint="Two initial centers can be the same point: one of them gets no point; it must keep its position.",
       max_examples=10, shrink_limit=SHRINK_RUNS, case=duplicated())
def duplicates(student, case: Dataset):
    observed = observe(student, case.data, reads_steps=False)
    _check_steps(observed, _STEPS)
    centers = _centers(observed)
    if len(centers) < K:
        fail(f"with duplicated points (empty clusters), {observed.output_name} holds {len(centers)} "
             f"center{'s' if len(centers) != 1 else ''}, not the {K} the program starts with: a center left without "
             "points keeps its position and is written with the others, never removed",
             **counterexample(observed, returned=centers), suspects=("output.format",))
    _fixed_point(observed, "with duplicated points, not converged")


# --- the course's data ----------------------------------------------------------------------------------------

_COURSE_FILES = ("kmeans_input_file_2d.dat", "kmeans_input_file_3d.dat")


def _data_folders() -> list[Path]:
    """Where the course's data files are: next to the course's config.yaml (the current folder or above),
    else next to this package in a course repository."""
    folders = []
    try:
        from grader.config import find_config

        folders.append(find_config().parent / "data")
    except Exception:  # no config.yaml around: the package's own course repository
        pass
    return folders + [Path(__file__).resolve().parents[3] / "data"]


def _course_data(configured: tuple[Path, ...] = ()) -> list[np.ndarray]:
    """The course's data sets: the exercise's ``data:`` files where config.yaml names them, else looked for."""
    found = []
    for name in _COURSE_FILES:
        named = [path for path in configured if path.name == name and path.is_file()]
        path = named[0] if named else next((folder / name for folder in _data_folders() if (folder / name).is_file()),
                                           None)
        if path is not None:
            text = path.read_text(encoding="ascii")
            lines = text.split("\n")
            d, n = (int(value) for value in lines[0].split())
            rows = [[float(value) for value in line.split()] for line in lines[1:1 + d]]
            found.append(np.array(rows, dtype=np.float64).T.reshape(n, d))
    return found


@check("course_data.fixed_point", "on the course's 2-D and 3-D data files, the result is a fixed point",
       hint="Run your program on the course's files and compare each center with the mean of its points.",
       max_examples=1, shrink_limit=1, case=st.just(None))
def course_data(student, case: None, context):
    datasets_found = _course_data(tuple(context.data))
    if not datasets_found:  # a fault of the installation, never a pass
        raise FileNotFoundError(f"the course's data files ({', '.join(_COURSE_FILES)}) are not in "
                                f"{' or '.join(str(folder) for folder in _data_folders())}")
    for data in datasets_found:
        observed = observe(student, data, reads_steps=False)
        _check_steps(observed, _STEPS)
        _fixed_point(observed, f"on the course's {data.shape[1]}-D data, not converged")
        # Their hundreds of points end on a last move above 0, unlike the small datasets of the other checks.
        _check_last_move(observed, _STEPS)
