"""Public checks of the main loop: Lloyd's iterations, convergence, stopping criteria, dimension independence.

The main loop is observed through its own contract: ``kmeans(..., max_iter=t)``
returns the state after ``t`` iterations, so running it with ``t = 1, 2, ...``
shows the whole trajectory, and each step can be checked against the
association and update phases without any reference solution.

The main loop calls the student's own ``assign`` and ``update``: a failure that
breaks a phase's property names that phase's check as a suspect (see
:func:`grader.authoring.fail`), so the report shows it under the phase's failure.
The checks of types and of inputs left unchanged run on well-separated blobs,
where no stopping rule can change the right answer.
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import Callable, Optional

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from grader.authoring import CheckFailed, check, fail, index, indices, precondition
from grader.exercises.kmeans.calls import (
    GENERAL_SUSPECTS,
    NONFINITE_SUSPECTS,
    call_kmeans,
    check_centroids,
    check_nearest,
    kmeans_result,
)
from grader.exercises.kmeans.geometry import (
    EPS,
    SINGLE_EPS,
    centroid_errors,
    distance_tolerance,
    inertia,
    magnitude,
    mean_tolerance,
    misassigned,
    same_array,
    squared_distances,
)
from grader.exercises.kmeans.strategies import Case, blob_cases, emptying_kmeans_cases, kmeans_cases, moving_kmeans_cases
from grader.precision import Rounding
from grader.student import call_each

#: Enough iterations for every generated dataset to converge from any start.
LONG_RUN = 60
#: How many iterations of a trajectory are examined (each costs one more call).
TRAJECTORY = 8
#: Checks that explain the main loop failing by an exception: a phase's (a wrong type or value from it), else the
#: loop's own first check, which calls kmeans on the most varied cases.  Never kmeans.inputs_untouched: the loop's
#: exception stops it before its property is tested, and its hint (copy the initial centers) would misdirect.
PHASE_SUSPECTS = ("assign.integer_array", "update.float_array", "assign.nearest_center", "update.centroids",
                  "update.empty_cluster_keeps_center", "assign.inputs_untouched", "update.inputs_untouched",
                  "kmeans.lloyd_iterations")
#: Checks whose failure can change the main loop's whole trajectory (its labels, centers, iteration count).
LOOP_SUSPECTS = ("assign.nearest_center", "update.centroids", "update.empty_cluster_keeps_center") + GENERAL_SUSPECTS
#: Phase checks whose failure can make the loop stop at the wrong time (moves computed from broken centers).
STOP_SUSPECTS = ("update.inputs_untouched", "update.empty_cluster_keeps_center", "kmeans.inputs_untouched")
#: The check of "never more than max_iter iterations", which every observation of the trajectory relies on.
MAX_ITER = "kmeans.respects_max_iter"
#: What to do when n_iter misses the iteration the loop left by the eps test (the C idiom ``for (step = 0; step <
#: max_iter; step++) { ...; if (move <= eps) break; } return step;``, where break skips the step++).
COUNT_THE_LAST = "n_iter counts the iterations made, the last one included"


def _iterations(count: int) -> str:
    return f"{count} iteration{'' if count == 1 else 's'}"


def _one_iteration(case: Case, before: np.ndarray, centers: np.ndarray, labels: np.ndarray) -> bool:
    """Whether (centers, labels) can be the state one iteration after the centers ``before``: labels nearest to
    them, centers at the means of those labels.  Only a message depends on it: single precision is accepted."""
    return not misassigned(case.data, before, labels, unit=SINGLE_EPS) and not centroid_errors(
        case.data, labels, before, centers, unit=SINGLE_EPS)


def _count_short(case: Case, starts: list[np.ndarray], state: tuple[np.ndarray, np.ndarray, int], t: int) -> str:
    """The likely cause, as the end of a message, when kmeans run with eps = 0 and max_iter = t returned
    n_iter = t - 1 with the state after t iterations, the last leaving in place the centers after t - 1
    (``starts``: the centers after 0, 1, ..., t - 1 iterations): a move of 0 <= eps ends the loop there, and
    its count misses that iteration.  "" when the state says otherwise, or is that after t - 1 iterations as
    well (t > 1; after 0 there is no state to compare, and n_iter = 0 is never right)."""
    centers, labels, n_iter = state
    before = starts[t - 1]
    tol = mean_tolerance(case.n, magnitude(case.data, before), SINGLE_EPS)
    if n_iter != t - 1 or not _one_iteration(case, before, centers, labels) or np.any(np.abs(centers - before) > tol):
        return ""
    if t > 1 and _one_iteration(case, starts[t - 2], centers, labels):
        return ""
    return (f"; yet its labels and centers are those after {_iterations(t)}, the last leaving the centers in "
            f"place (move 0 <= eps = 0): if your loop left there by the eps test, its n_iter is one short: "
            f"{COUNT_THE_LAST}")


def _association_after_update(case: Case, before: np.ndarray, centers: np.ndarray,
                              labels: np.ndarray) -> Optional[np.ndarray]:
    """The association with ``before`` (ties to the first or to the last center) whose means are ``centers``,
    when ``labels`` are not it but nearest to ``centers`` themselves: labels of an association made after the
    update (None otherwise).  With one center, or labels whose means the centers are, it is never so."""
    if misassigned(case.data, centers, labels, unit=SINGLE_EPS) or not centroid_errors(
            case.data, labels, before, centers, unit=SINGLE_EPS):
        return None
    d2 = squared_distances(case.data, before)
    for nearest in (d2.argmin(axis=1), len(before) - 1 - d2[:, ::-1].argmin(axis=1)):
        if not centroid_errors(case.data, nearest, before, centers, unit=SINGLE_EPS):
            return nearest
    return None


def _trajectory(student, case: Case, steps: int) -> list[tuple[np.ndarray, np.ndarray, int]]:
    """States after 1..steps iterations with eps = 0, each from its own run with max_iter = t (independent
    calls: made in one round trip, each result validated in turn as :func:`call_kmeans` does)."""
    results = call_each(student, "kmeans", [((case.data, case.centers), {"eps": 0.0, "max_iter": t})
                                            for t in range(1, steps + 1)])
    return [kmeans_result(next(results), case.data, case.centers, eps=0.0, max_iter=t) for t in range(1, steps + 1)]


def _trajectory_to_its_stop(student, case: Case, steps: int) -> list[tuple[np.ndarray, np.ndarray, int]]:
    """What :func:`_trajectory` gives, from fewer iterations: the run with max_iter = steps first.  When its
    loop ended by itself after n_iter < steps iterations (eps = 0: no center moved at the last one), the state
    after any t >= n_iter iterations is its final state, as its own n_iter says: only the runs with
    max_iter < n_iter are made.  Loop-style code spends most of a check here (each run of max_iter = t makes
    t iterations again)."""
    final = call_kmeans(student, case.data, case.centers, eps=0.0, max_iter=steps)
    n_iter = final[2]
    stopped = n_iter if 1 <= n_iter < steps else steps
    results = call_each(student, "kmeans", [((case.data, case.centers), {"eps": 0.0, "max_iter": t})
                                            for t in range(1, stopped)])
    states = [kmeans_result(next(results), case.data, case.centers, eps=0.0, max_iter=t) for t in range(1, stopped)]
    return states + [final] * (steps - stopped + 1)


@check("kmeans.lloyd_iterations", "main loop: each iteration is an association phase then an update phase",
       hint="In the loop: labels = association with the current centers, then new centers from those labels.",
       # One case in four has a center that moves and later has no point (rare among the others).
       suspects=PHASE_SUSPECTS, case=st.one_of(kmeans_cases(), kmeans_cases(), kmeans_cases(), emptying_kmeans_cases()))
def lloyd_iterations(student, case: Case, context):
    rounding = Rounding.of(context)
    _, _, total = call_kmeans(student, case.data, case.centers, eps=0.0, max_iter=LONG_RUN)
    previous = case.centers
    starts = [case.centers]  # the centers after 0, 1, ... iterations
    for t, (centers, labels, n_iter) in enumerate(_trajectory(student, case, min(max(total, 1), TRAJECTORY)), 1):
        call = {"data": case.data, "centers": case.centers, "eps": 0.0, "max_iter": t}
        if n_iter != t:
            # Still moving after t iterations when the long run went on past them; either way t are made.
            moving = ", still moving" if t < total else ""
            # More iterations than max_iter (or none) is the property of respects_max_iter: it owns this failure.
            fail(f"main loop: with max_iter = {t} (and eps = 0{moving}) kmeans returned n_iter = {n_iter}, "
                 f"expected {t}{_count_short(case, starts, (centers, labels, n_iter), t)}", **call,
                 returned=n_iter,
                 suspects=(MAX_ITER,) + GENERAL_SUSPECTS if not 1 <= n_iter <= t else GENERAL_SUSPECTS)
        # The intermediate states are what the student's kmeans returned with max_iter = t - 1 and t.
        seen = {f"centers after iteration {t - 1} (yours)": previous} if t > 1 else {}
        try:
            check_nearest(case.data, previous, labels, phase=f"iteration {t}, association phase",
                          rounding=rounding, shown={**call, **seen, "_labels_name": f"labels after iteration {t}"},
                          main_loop=True)
            check_centroids(case.data, labels, previous, centers, phase=f"iteration {t}, update phase",
                            rounding=rounding, main_loop=True,
                            shown={**call, **seen, f"labels after iteration {t} (yours)": indices(labels),
                                   "_centers_name": f"centers after iteration {t}"})
        except CheckFailed:
            _fail_if_runs_differ(student, case, t, (centers, labels), previous)
            _fail_if_associated_after_update(case, previous, (centers, labels), t, {**call, **seen})
            _fail_if_emptied_went_back(case, previous, (centers, labels), t, {**call, **seen})
            _fail_if_labels_one_behind(case, starts, (centers, labels), t, {**call, **seen}, rounding)
            raise
        previous = centers
        starts.append(centers)


def _fail_if_runs_differ(student, case: Case, t: int, state: tuple[np.ndarray, np.ndarray],
                         before: np.ndarray) -> None:
    """Fail with the cause when the runs that iteration ``t`` is read from answer otherwise when made again: the
    iterations are observed through separate runs (max_iter = t - 1 and t), which only agree for code that gives
    the same result for the same input (ties broken by a fixed rule, no generator of its own)."""
    # In another order than the first time, and twice: code whose ties depend on what ran before meets another past.
    runs = [m for m in (t, t - 1, t) if m >= 1]
    results = call_each(student, "kmeans", [((case.data, case.centers), {"eps": 0.0, "max_iter": m}) for m in runs])
    for m in runs:
        centers, labels, _ = kmeans_result(next(results), case.data, case.centers, eps=0.0, max_iter=m)
        first = (before,) if m < t else state
        second = (centers,) if m < t else (centers, labels)
        if not all(np.array_equal(a, b, equal_nan=np.asarray(a).dtype.kind == "f") for a, b in zip(first, second)):
            fail(f"kmeans gave different results on the same input (eps = 0, max_iter = {m}): the iterations are read "
                 "from separate runs (max_iter = 1, 2, ...), which must agree: the results must not depend on "
                 "uninitialised variables or arrays, on what ran before, or on chance (break ties between equally "
                 "close centers by a fixed rule, the first or the last of them, and draw nothing from a generator "
                 "of your own)", suspects=PHASE_SUSPECTS, data=case.data, centers=case.centers, eps=0.0,
                 max_iter=m, **{"returned_first run": list(first), "returned_second run": list(second)})


def _fail_if_labels_one_behind(case: Case, starts: list[np.ndarray], state: tuple[np.ndarray, np.ndarray], t: int,
                               shown: dict, rounding: Rounding) -> None:
    """Fail with the likely cause when the labels after iteration ``t`` are not nearest to the centers its
    association saw, but are to those the association before it saw: the labels returned are one iteration old."""
    if t < 2:
        return
    centers, labels = state
    try:
        check_nearest(case.data, starts[t - 1], labels, phase="", rounding=rounding)
        return  # the association of iteration t is right: what failed is elsewhere
    except CheckFailed:
        pass
    try:
        check_nearest(case.data, starts[t - 2], labels, phase="", rounding=rounding)
    except CheckFailed:
        return
    fail(f"iteration {t}, association phase: the labels returned are those of the association of iteration {t - 1} "
         f"(nearest to the centers it started from), not of iteration {t}: return the labels of the last "
         "association phase", suspects=PHASE_SUSPECTS, **shown,
         **{f"labels after iteration {t} (yours)": indices(labels), f"returned_centers after iteration {t}": centers})


def _fail_if_emptied_went_back(case: Case, before: np.ndarray, state: tuple[np.ndarray, np.ndarray], t: int,
                               shown: dict) -> None:
    """Fail with the likely cause when a center without points in iteration ``t`` is back at its initial position
    although an earlier iteration had moved it: update was given the initial centers, not the current ones."""
    centers, labels = state
    for j in range(case.k):
        if (not np.any(labels == j) and np.array_equal(centers[j], case.centers[j])
                and not np.array_equal(before[j], case.centers[j])):
            fail(f"iteration {t}, update phase: center {index(j)} has no point, so it must keep its position "
                 f"{before[j].tolist()}, where iteration {t - 1} left it; yours went back to its initial position "
                 f"{centers[j].tolist()}: does the main loop give update the current centers, not the initial ones "
                 "kmeans was given?", suspects=PHASE_SUSPECTS, **shown,
                 **{f"labels after iteration {t} (yours)": indices(labels),
                    f"returned_centers after iteration {t}": centers})


def _fail_if_associated_after_update(case: Case, before: np.ndarray, state: tuple[np.ndarray, np.ndarray], t: int,
                                     shown: dict) -> None:
    """Fail with the likely cause when the labels after iteration ``t`` are an association with its new centers
    (an assign after the loop): then both phases can be right, and the failure would blame one of them."""
    centers, labels = state
    association = _association_after_update(case, before, centers, labels)
    if association is None:
        return
    fail(f"iteration {t}: the labels kmeans returned are nearest to the centers it returned, but these centers are "
         "the means of an association with the centers before them, not of those labels: your labels look like "
         "an association made after the last update phase; return the labels of the last iteration's "
         "association phase (none after the loop)", suspects=GENERAL_SUSPECTS, **shown,
         **{f"centers after iteration {t} (yours)": centers,
            f"returned_labels after iteration {t}": indices(labels),
            f"expected_labels after iteration {t}": indices(association)})


def _check_final(case: Case, centers: np.ndarray, labels: np.ndarray, *, eps: float, max_iter: int, lead: str,
                 rounding: Rounding, slack: float = 0.0) -> None:
    """Fail unless the state kmeans returned is a fixed point: its labels nearest to its final centers (within
    ``slack``), each center with points at their mean.  The counterexample shows the call, then the final
    state as what the student's kmeans returned."""
    call = {"data": case.data, "centers": case.centers, "eps": eps, "max_iter": max_iter}
    check_nearest(case.data, centers, labels, phase="its final association phase", slack=slack, lead=lead,
                  rounding=rounding, main_loop=True,
                  shown={**call, "final centers (yours)": centers, "_labels_name": "final labels"})
    check_centroids(case.data, labels, centers, centers, phase="its final update phase", only="filled", lead=lead,
                    rounding=rounding, main_loop=True,
                    shown={**call, "final labels (yours)": indices(labels), "_centers_name": "final centers"})


def _eps_values(scale: float):
    return st.sampled_from([0.0, 1e-9, 1e-3, 1.0]).map(lambda factor: factor * scale * scale)


@check("kmeans.fixed_point", "convergence: when kmeans stops before max_iter, it is at a fixed point",
       hint="Stop only when move <= eps, where move sums the squared distances between old and new centers.",
       suspects=PHASE_SUSPECTS, case=kmeans_cases(many_centers=True), data=st.data())
def fixed_point(student, case: Case, data, context):
    rounding = Rounding.of(context)
    eps = data.draw(_eps_values(max(magnitude(case.data), 1e-3)), label="eps")
    centers, labels, n_iter = call_kmeans(student, case.data, case.centers, eps=eps, max_iter=LONG_RUN)
    if n_iter < LONG_RUN:
        # The last association saw centers within sqrt(eps) of the final ones: allow that much.
        slack = float(np.sqrt(2 * eps))
        lead = (f"convergence: kmeans stopped after {n_iter} of max_iter = {LONG_RUN} iterations, so it must be at "
                "a fixed point, yet in ")
        _check_final(case, centers, labels, eps=eps, max_iter=LONG_RUN, lead=lead, rounding=rounding, slack=slack)


@check("kmeans.inertia_never_increases", "convergence: the error never increases from one iteration to the next",
       suspects=PHASE_SUSPECTS, case=kmeans_cases())
def inertia_never_increases(student, case: Case, context):
    rounding = Rounding.of(context)
    states = _trajectory_to_its_stop(student, case, TRAJECTORY)
    scale = magnitude(case.data, case.centers)
    errors = [inertia(case.data, centers, labels) for centers, labels, _ in states]
    lost = next((t for t, error in enumerate(errors) if not np.isfinite(error)), None)
    if lost is not None:  # inf <= inf would hold: an error that is no number has grown without bound
        fail(f"convergence: the error (sum of squared distances to the centers) is {errors[lost]} after iteration "
             f"{lost + 1}: centers computed as means of data points stay finite", suspects=LOOP_SUSPECTS,
             data=case.data, centers=case.centers, eps=0.0,
             **{f"returned_centers after iteration {lost + 1}": states[lost][0]})

    def increase(unit: float) -> Optional[int]:
        tol = 4 * len(case.data) * distance_tolerance(case.d, scale, unit)
        return next((t for t in range(1, len(errors)) if not errors[t] <= errors[t - 1] + tol), None)

    t = increase(EPS)
    if t is None:
        return
    explanation = ""
    if increase(SINGLE_EPS) is None:
        if rounding.accept_single():
            return
        explanation = "; " + Rounding.explain("it went up", errors[t] - errors[t - 1], errors[t - 1])
    else:
        t = increase(SINGLE_EPS)
        assert t is not None
    fail(f"convergence: the error (sum of squared distances to the centers) went up from {errors[t - 1]:.6g} "
         f"after iteration {t} to {errors[t]:.6g} after iteration {t + 1}{explanation}",
         suspects=LOOP_SUSPECTS, data=case.data, centers=case.centers, eps=0.0,
         **{f"returned_centers after iteration {t}": states[t - 1][0],
            f"returned_centers after iteration {t + 1}": states[t][0]})


def _moves(start: np.ndarray, states) -> list[float]:
    return [float(moved.sum()) for moved in _center_moves(start, states)]


def _center_moves(start: np.ndarray, states) -> list[np.ndarray]:
    """Iteration by iteration, the squared distance each center moved (the move is their sum)."""
    positions = [start] + [centers for centers, _, _ in states]
    return [((positions[t] - positions[t - 1]) ** 2).sum(axis=1) for t in range(1, len(positions))]


def _splits(start: np.ndarray, states) -> list[float]:
    """An eps between the largest move of one center and the move (their sum), for each iteration where
    several centers moved: the loop must go on there, and only a loop that stops on one center's move (the
    largest, the mean, the last...) rather than on their sum stops."""
    return sorted({float((moved.max() + moved.sum()) / 2) for moved in _center_moves(start, states)
                   if moved.sum() > 1.05 * moved.max() > 0})


def _pick(data, values: list[float], label: str) -> float:
    """One of ``values`` (sorted, at most 12), drawn as an index whose range does not depend on them (it shrinks to
    the smallest).  The student's moves differ from another correct code's in their last bits, and so may their
    number (equal moves are counted once): a draw whose range depended on them would replay only for code that
    computes exactly as the code whose examples were recorded (see :mod:`grader.replay`)."""
    return values[data.draw(st.integers(0, 11), label=label) % len(values)]


def _stop_problem(moves: list[float], eps: float, n_iter: int, steps: int,
                  tolerance: Callable[[float], float]) -> Optional[tuple[str, int, float]]:
    """(message, expected n_iter, the move concerned) when stopping after ``n_iter`` iterations is wrong."""
    def must_stop(move: float) -> bool:
        return move <= eps - tolerance(move)

    def must_go_on(move: float) -> bool:
        return move > eps + tolerance(move)

    first = next((t for t, move in enumerate(moves, 1) if not must_go_on(move)), len(moves))
    for t in range(1, min(n_iter, steps + 1)):
        if must_stop(moves[t - 1]):
            return (f"stopping: the move of iteration {t} was {moves[t - 1]:.6g} <= eps = {eps:.6g}, so the loop "
                    f"must stop there, but it went on to {n_iter} iterations", t, moves[t - 1])
    if n_iter <= steps and must_go_on(moves[n_iter - 1]):
        return (f"stopping: the loop stopped after iteration {n_iter} although its move {moves[n_iter - 1]:.6g} "
                f"(the sum over all centers of their squared displacement) is > eps = {eps:.6g}", first,
                moves[n_iter - 1])
    return None


def _observable(case: Case, states) -> None:
    """Fail unless each state of the trajectory is the one after at most its ``max_iter`` iterations: the moves
    are read from ``kmeans(max_iter=t)``, and a loop that runs past max_iter would have them read off a shifted
    trajectory (moves its code never made)."""
    for t, (_, _, n_iter) in enumerate(states, 1):
        if n_iter > t:
            fail(f"stopping: the moves of the loop are observed through kmeans(max_iter = t), the state after t "
                 f"iterations, but with max_iter = {t} (and eps = 0) kmeans returned n_iter = {n_iter}: its moves "
                 "cannot be observed", suspects=(MAX_ITER, "kmeans.lloyd_iterations"), data=case.data,
                 centers=case.centers, eps=0.0, max_iter=t, returned=n_iter)


@check("kmeans.stops_at_eps", "stopping: the loop ends at the first iteration whose move is <= eps",
       hint="Compute move after each update phase and stop as soon as move <= eps (not <, not before updating).",
       suspects=PHASE_SUSPECTS, case=kmeans_cases() | moving_kmeans_cases(), data=st.data())
def stops_at_eps(student, case: Case, data, context):
    rounding = Rounding.of(context)
    steps = 12
    with precondition():
        states = _trajectory_to_its_stop(student, case, steps)
        _observable(case, states)
    moves = _moves(case.centers, states)
    scale = magnitude(case.data, case.centers)
    positive = sorted({move for move in moves if move > 0})
    splits = _splits(case.centers, states)
    choice = data.draw(st.sampled_from(["split"] * bool(splits) + ["zero", "tiny", "move", "move"]),
                       label="eps from")
    if choice == "zero" or (choice == "move" and not positive):
        eps = 0.0
    elif choice == "tiny":
        eps = 1e-12 * scale * scale
    elif choice == "split":
        eps = _pick(data, splits, "between one center's move and the sum")
    else:
        # An eps comparable to the moves themselves: the loop must stop exactly at the right iteration.
        eps = _pick(data, positive, "move") * data.draw(st.sampled_from([0.5, 1.0, 2.0, 10.0]), label="factor")

    # A move within rounding of eps may be compared either way.  A move of exactly 0
    # (centers that did not change) is 0 however it is computed, so it has no slack.
    def tolerance(unit: float) -> Callable[[float], float]:
        def within(move: float) -> float:
            if move == 0:
                return 0.0
            return 16 * (case.k * case.d + 2) * unit * move + case.k * distance_tolerance(case.d, scale, unit)
        return within

    loosest = tolerance(SINGLE_EPS)
    assume(any(not move > eps + loosest(move) for move in moves))
    returned = call_kmeans(student, case.data, case.centers, eps=eps, max_iter=LONG_RUN)
    n_iter = returned[2]
    first = next((t for t, move in enumerate(moves, 1) if not move > eps + loosest(move)), steps)
    shown = {"data": case.data, "centers": case.centers, "eps": eps, "max_iter": LONG_RUN,
             "moves (yours, iteration by iteration)": moves[: max(first, min(n_iter, steps))]}
    # The moves come from the trajectory: wrong when kmeans(max_iter=t) is not the state after t iterations.
    suspects = (STOP_SUSPECTS if np.all(np.isfinite(moves)) else NONFINITE_SUSPECTS + STOP_SUSPECTS) + (
        "kmeans.lloyd_iterations",)
    if n_iter < 1:
        fail(f"stopping: kmeans returned n_iter = {n_iter}, but the main loop always does at least one iteration",
             **shown, returned=n_iter)
    problem = _stop_problem(moves, eps, n_iter, steps, tolerance(EPS))
    if problem is None:
        return
    coarse = _stop_problem(moves, eps, n_iter, steps, loosest)
    message, expected, move = coarse or problem
    if coarse is None:
        if rounding.accept_single():
            return
        message += "; " + Rounding.explain("that move differs from eps", abs(move - eps), eps)
    if n_iter < expected:
        message += _one_more_under_eps(case, states, returned, eps, loosest)
    elif move == 0:
        # The centers kept did not move at all, yet the loop went on: its own move is measured elsewhere.
        before = "the initial centers" if expected == 1 else f"those after iteration {expected - 1}"
        message += (f" (the centers kmeans returns after iteration {expected} are exactly {before}, so this "
                    "iteration's move is 0: stop when move <= eps, not < eps; if your test "
                    "is <=, your loop's own move is not 0 there: is it the sum of the squared distances each center "
                    "moved in this iteration (between its position before and after this update, not since the "
                    "start, not the change of the error), computed and tested at every iteration, between the "
                    "positions the centers keep (not means in double precision stored into single-precision "
                    "centers)?)")
    fail(message, suspects=suspects, **shown, returned=n_iter, expected=expected)


def _one_more_under_eps(case: Case, states, returned: tuple[np.ndarray, np.ndarray, int], eps: float,
                        tolerance: Callable[[float], float]) -> str:
    """The likely cause, as the end of a message, when the loop stopped too early after n_iter iterations but
    returned the state after one more, whose move is <= eps: a count that misses the iteration the loop left
    by the eps test ("" otherwise).  The centers after each iteration are read off the trajectory; when the
    state returned is the one after n_iter iterations as well, either is told."""
    centers, labels, n_iter = returned
    if not 1 <= n_iter <= len(states):
        return ""
    before = states[n_iter - 1][0]
    move = float(((centers - before) ** 2).sum())
    if move > eps + tolerance(move) or not _one_iteration(case, before, centers, labels):
        return ""
    earlier = states[n_iter - 2][0] if n_iter > 1 else case.centers
    if _one_iteration(case, earlier, centers, labels):
        return (f"; or it made iteration {n_iter + 1}, whose move {move:.6g} is <= eps, left there by the eps test "
                f"and returned an n_iter one short: {COUNT_THE_LAST}")
    return (f"; yet the state it returned is the one after iteration {n_iter + 1}, whose move {move:.6g} is "
            f"<= eps: your loop left there by the eps test, and its n_iter is one short: {COUNT_THE_LAST}")


@check("kmeans.respects_max_iter", "stopping: never more than max_iter iterations, exactly max_iter if not converged",
       hint="Count the iterations and leave the loop when the count reaches max_iter.",
       suspects=PHASE_SUSPECTS, case=kmeans_cases(), max_iter=st.integers(1, 5))
def respects_max_iter(student, case: Case, max_iter, context):
    rounding = Rounding.of(context)
    centers, labels, n_iter = call_kmeans(student, case.data, case.centers, eps=0.0, max_iter=max_iter)
    shown = {"eps": 0.0, "max_iter": max_iter}
    if not 1 <= n_iter <= max_iter:
        expected = "1" if max_iter == 1 else f"between 1 and {max_iter}"
        cause = _count_short(case, [case.centers], (centers, labels, n_iter), 1)
        # A loop that left after one iteration by the eps test never met max_iter: the hint, about leaving at
        # max_iter, would send the student to a line that is right.
        with precondition() if cause else nullcontext():
            fail(f"stopping: with max_iter = {max_iter} kmeans returned n_iter = {n_iter}, expected {expected}{cause}",
                 data=case.data, centers=case.centers, **shown, returned=n_iter)
    if n_iter < max_iter:
        # With eps = 0 an early stop means the centers did not move at all: a fixed point.
        lead = (f"stopping: with eps = 0 kmeans stopped after {n_iter} of max_iter = {max_iter} iterations, so its "
                "centers must no longer move, yet in ")
        _check_final(case, centers, labels, eps=0.0, max_iter=max_iter, lead=lead, rounding=rounding)


def _final_state(student, case: Case, rounding: Rounding, *, strict: bool = False, untouched: bool = False,
                 language: str = "python"):
    """kmeans to convergence on well-separated blobs, where every correct loop ends at the blobs; the result
    must be right (nearest centers, at the means of their points).  ``untouched``: first, the arguments must
    come back unchanged (checked before the result, which a modified input would spoil); named as the
    ``language``'s skeleton names them (in C and Fortran the initial centers are ``init``, ``centers`` the
    output)."""
    result, args = student.call_with_args("kmeans", case.data, case.centers, eps=0.0, max_iter=LONG_RUN)
    if untouched:
        names = ("data", "centers") if language == "python" else ("data", "init")
        for name, sent, back in zip(names, (case.data, case.centers), args):
            if not (isinstance(back, np.ndarray) and same_array(back, sent)):
                fail(f"main loop modified the {name} array it was given",
                     suspects=("assign.inputs_untouched", "update.inputs_untouched"), data=case.data,
                     centers=case.centers, **{f"{name}_afterwards": back})
    # For the inputs, a right result is what the check needs before it can test them, not their property.
    with precondition() if untouched else nullcontext():
        centers, labels, n_iter = kmeans_result(result, case.data, case.centers, eps=0.0, max_iter=LONG_RUN,
                                                strict=strict, rounding=rounding)
        lead = f"kmeans stopped after {_iterations(n_iter)} with eps = 0 (its centers no longer moving), yet in "
        _check_final(case, centers, labels, eps=0.0, max_iter=LONG_RUN, lead=lead, rounding=rounding.lenient())


@check("kmeans.result_types", "main loop returns (centers, labels, n_iter) as float array, integer array, int",
       hint={"python": "Return a tuple: the (k, d) float centers, the (n,) integer labels and the int iteration count.",
             "c": "Leave the k x d centers in centers and the n labels in labels; return the number of iterations.",
             "fortran": "Leave the k x d centers in centers and the n labels in labels; n_iter = the number of "
                        "iterations."},
       suspects=PHASE_SUSPECTS, case=blob_cases())
def result_types(student, case: Case, context):
    _final_state(student, case, Rounding.of(context), strict=True)


# An exception of kmeans stops this check before its property: it belongs to the loop, or to result_types, which
# makes the same call on the same blobs (when the loop's own check passes).
@check("kmeans.inputs_untouched", "main loop leaves data and the initial centers unchanged",
       hint={"python": "Work on a copy of the initial centers: centers = np.array(centers, dtype=float).",
             "c": "Copy init into centers (memcpy) and iterate there; data and init are const.",
             "fortran": "Copy init into centers (centers = init) and iterate there; data and init are intent(in)."},
       suspects=PHASE_SUSPECTS + ("kmeans.result_types",), case=blob_cases())
def kmeans_inputs_untouched(student, case: Case, context):
    _final_state(student, case, Rounding.of(context), untouched=True, language=context.language)


def _converged(result, case: Case, what: str, rounding: Rounding) -> tuple[np.ndarray, np.ndarray, int]:
    """``result`` of kmeans on ``case`` with eps = 0 and max_iter = LONG_RUN, validated as by :func:`call_kmeans`
    and failed unless it is a fixed point."""
    centers, labels, n_iter = kmeans_result(result, case.data, case.centers, eps=0.0, max_iter=LONG_RUN)
    lead = f"{what}: on these data kmeans stopped after {_iterations(n_iter)}, yet in "
    _check_final(case, centers, labels, eps=0.0, max_iter=LONG_RUN, lead=lead, rounding=rounding)
    return centers, labels, n_iter


def _moving_permutation(draw, d: int, axis: Optional[int]) -> np.ndarray:
    """A permutation of the d axes; when blobs are separated along ``axis`` only, one that moves that axis."""
    if axis is None or d < 2:
        return np.array(draw(st.permutations(range(d))))
    perm = np.array(draw(st.permutations(range(d)).filter(lambda p: p[axis] != axis)))
    return np.argsort(perm)  # new axis i is old axis perm_inv[i]: the separating axis moves to perm[axis]


@st.composite
def _transforms(draw, case: Case):
    """A change of coordinates or of order, as (name, new case, map of the expected result)."""
    n, d, k = case.n, case.d, case.k
    kinds = ["permute axes", "translate", "scale", "reorder points", "reorder centers"]
    kind = draw(st.sampled_from(kinds[:1] * 2 + kinds if case.separating_axis is not None else kinds))
    if kind == "permute axes":
        perm = _moving_permutation(draw, d, case.separating_axis)
        return kind, Case(case.data[:, perm], case.centers[:, perm]), lambda c, l: (c[:, perm], l)
    if kind == "translate":
        shift = draw(arrays(np.int64, (d,), elements=st.integers(-1000, 1000))).astype(float) * 2.0 ** draw(
            st.integers(-4, 4))
        return kind, Case(case.data + shift, case.centers + shift), lambda c, l: (c + shift, l)
    if kind == "scale":
        factor = 2.0 ** draw(st.integers(-10, 10).filter(lambda e: e != 0))
        return kind, Case(case.data * factor, case.centers * factor), lambda c, l: (c * factor, l)
    if kind == "reorder points":
        perm = np.array(draw(st.permutations(range(n))))
        return kind, Case(case.data[perm], case.centers), lambda c, l: (c, l[perm])
    perm = np.array(draw(st.permutations(range(k))))
    inverse = np.argsort(perm)
    return kind, Case(case.data, case.centers[perm]), lambda c, l: (c[perm], inverse[l])


def _compare(student, case: Case, changed: Case, expect, what: str, rounding: Rounding) -> None:
    # Independent calls: made in one round trip, each result validated in turn.
    results = call_each(student, "kmeans", [((problem.data, problem.centers), {"eps": 0.0, "max_iter": LONG_RUN})
                                            for problem in (case, changed)])
    centers, labels, n_iter = _converged(next(results), case, what, rounding)
    new_centers, new_labels, new_n_iter = _converged(next(results), changed, what, rounding)
    want_centers, want_labels = expect(centers, labels)
    shown = {"original_data": case.data, "original_centers": case.centers, "data": changed.data,
             "centers": changed.centers, "eps": 0.0, "max_iter": LONG_RUN}
    if not np.array_equal(new_labels, want_labels):
        differ = np.flatnonzero(new_labels != want_labels)
        fail(f"{what}: the same clustering problem gave other labels: point {index(differ[0])} got label "
             f"{index(new_labels[differ[0]])} instead of {index(want_labels[differ[0]])} ({len(differ)} of {case.n} "
             "points differ)", suspects=LOOP_SUSPECTS, **shown, returned_labels=indices(new_labels),
             expected_labels=indices(want_labels))
    if new_n_iter != n_iter:
        fail(f"{what}: the same clustering problem took {_iterations(new_n_iter)} instead of {n_iter} (the labels "
             "agree)", suspects=LOOP_SUSPECTS, **shown, returned_n_iter=new_n_iter, expected_n_iter=n_iter)
    tol = mean_tolerance(case.n, magnitude(changed.data, changed.centers), rounding.unit)
    if not np.all(np.abs(new_centers - want_centers) <= tol):
        fail(f"{what}: the centers did not follow the change of coordinates (labels and iteration count agree)",
             suspects=("update.centroids",) + LOOP_SUSPECTS, **shown, returned_centers=new_centers, expected_centers=want_centers)


@check("kmeans.equivariant", "dimension independence: permuting, translating or scaling coordinates moves the "
       "result the same way", hint="Use every coordinate in the same way; nothing may depend on axis order or "
       "units.", suspects=PHASE_SUSPECTS, case=blob_cases(min_k=2), data=st.data())
def equivariant(student, case: Case, data, context):
    kind, changed, expect = data.draw(_transforms(case), label="transformation")
    _compare(student, case, changed, expect, f"dimension independence ({kind})", Rounding.of(context))


#: How many constant axes are added: a few, or enough that the data has more dimensions than any fixed-size array
#: of the usual sizes holds (``double sums[10][8]``), which only overflows beyond them.
_EXTRA_AXES = (1, 2, 3, 4, 9, 14)


@st.composite
def _embeddings(draw, d: int):
    """(total dimension, positions of the d informative axes, value of each constant axis)."""
    extra = draw(st.sampled_from(_EXTRA_AXES))
    total = d + extra
    positions = np.sort(np.array(draw(st.permutations(range(total))))[:d])
    values = np.array(draw(st.lists(st.integers(-3, 3), min_size=extra, max_size=extra)), dtype=float)
    return total, positions, values


def _embed(points: np.ndarray, total: int, positions: np.ndarray, values: np.ndarray) -> np.ndarray:
    embedded = np.empty((len(points), total))
    constant = np.setdiff1d(np.arange(total), positions)
    embedded[:, positions] = points
    embedded[:, constant] = values
    return embedded


@check("kmeans.any_dimension", "dimension independence: extra constant coordinates change nothing",
       hint={"python": "Loop over all n_dims coordinates (data.shape[1]); never assume 2-D.",
             "c": "Loop over all d coordinates (the argument d); never assume 2-D.",
             "fortran": "Loop over all d coordinates (1..d, the argument d); never assume 2-D."},
       suspects=PHASE_SUSPECTS, case=blob_cases(max_dims=4), embedding=st.data())
def any_dimension(student, case: Case, embedding, context):
    total, positions, values = embedding.draw(_embeddings(case.d), label="embedding")
    changed = Case(_embed(case.data, total, positions, values), _embed(case.centers, total, positions, values))
    informative = ", ".join(str(int(axis)) for axis in positions)

    def expect(centers, labels):
        return _embed(centers, total, positions, values), labels

    _compare(student, case, changed, expect, f"dimension independence ({case.d}-D data embedded in {total}-D, "
             f"on axes {informative}, the others constant)", Rounding.of(context))
