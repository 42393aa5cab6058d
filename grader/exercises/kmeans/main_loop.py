"""Public checks of the main loop: Lloyd's iterations, convergence, stopping criteria, dimension independence.

The main loop is observed through its own contract: ``kmeans(..., max_iter=t)``
returns the state after ``t`` iterations, so running it with ``t = 1, 2, ...``
shows the whole trajectory, and each step can be checked against the
association and update phases without any reference solution.
"""

from __future__ import annotations

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from grader.authoring import check, fail
from grader.exercises.kmeans.calls import call_kmeans, check_centroids, check_nearest, kmeans_result
from grader.exercises.kmeans.geometry import (
    EPS,
    distance_tolerance,
    inertia,
    magnitude,
    mean_tolerance,
    same_array,
)
from grader.exercises.kmeans.strategies import Case, blob_cases, kmeans_cases

#: Enough iterations for every generated dataset to converge from any start.
LONG_RUN = 60
#: How many iterations of a trajectory are examined (each costs one more call).
TRAJECTORY = 8


def _trajectory(student, case: Case, steps: int) -> list[tuple[np.ndarray, np.ndarray, int]]:
    """States after 1..steps iterations with eps = 0, each from its own run with max_iter = t."""
    return [call_kmeans(student, case.data, case.centers, eps=0.0, max_iter=t) for t in range(1, steps + 1)]


@check("kmeans.lloyd_iterations", "main loop: each iteration is an association phase then an update phase",
       hint="In the loop: labels = association with the current centers, then new centers from those labels.",
       case=kmeans_cases())
def lloyd_iterations(student, case: Case):
    _, _, total = call_kmeans(student, case.data, case.centers, eps=0.0, max_iter=LONG_RUN)
    previous = case.centers
    for t, (centers, labels, n_iter) in enumerate(_trajectory(student, case, min(max(total, 1), TRAJECTORY)), 1):
        inputs = {"eps": 0.0, "max_iter": t}
        if n_iter != t:
            fail(f"main loop: with max_iter = {t} (and eps = 0, still moving) kmeans returned n_iter = {n_iter}, "
                 f"expected {t}", data=case.data, centers=case.centers, **inputs, returned=n_iter)
        check_nearest(case.data, previous, labels, phase=f"iteration {t}, association phase", **inputs)
        check_centroids(case.data, labels, previous, centers, phase=f"iteration {t}, update phase", **inputs)
        previous = centers


def _eps_values(scale: float):
    return st.sampled_from([0.0, 1e-9, 1e-3, 1.0]).map(lambda factor: factor * scale * scale)


@check("kmeans.fixed_point", "convergence: when kmeans stops before max_iter, it is at a fixed point",
       hint="Stop only when move <= eps, where move sums the squared distances between old and new centers.",
       case=kmeans_cases(), data=st.data())
def fixed_point(student, case: Case, data):
    eps = data.draw(_eps_values(max(magnitude(case.data), 1e-3)), label="eps")
    centers, labels, n_iter = call_kmeans(student, case.data, case.centers, eps=eps, max_iter=LONG_RUN)
    if n_iter < LONG_RUN:
        # The last association saw centers within sqrt(eps) of the final ones: allow that much.
        slack = float(np.sqrt(2 * eps))
        check_nearest(case.data, centers, labels, phase="convergence: final association phase", slack=slack,
                      eps=eps, max_iter=LONG_RUN)
        check_centroids(case.data, labels, centers, centers, phase="convergence: final update phase",
                        only="filled", eps=eps, max_iter=LONG_RUN)


@check("kmeans.inertia_never_increases", "convergence: the error never increases from one iteration to the next",
       case=kmeans_cases())
def inertia_never_increases(student, case: Case):
    states = _trajectory(student, case, TRAJECTORY)
    scale = magnitude(case.data, case.centers)
    tol = 4 * len(case.data) * distance_tolerance(case.d, scale)
    errors = [inertia(case.data, centers, labels) for centers, labels, _ in states]
    for t in range(1, len(errors)):
        if not errors[t] <= errors[t - 1] + tol:
            fail(f"convergence: the error (sum of squared distances to the centers) went up from {errors[t - 1]:.6g} "
                 f"after iteration {t} to {errors[t]:.6g} after iteration {t + 1}", data=case.data,
                 centers=case.centers, eps=0.0, returned=[states[t - 1][0], states[t][0]])


def _moves(start: np.ndarray, states) -> list[float]:
    positions = [start] + [centers for centers, _, _ in states]
    return [float(((positions[t] - positions[t - 1]) ** 2).sum()) for t in range(1, len(positions))]


@check("kmeans.stops_at_eps", "stopping: the loop ends at the first iteration whose move is <= eps",
       hint="Compute move after each update phase and stop as soon as move <= eps (not <, not before updating).",
       case=kmeans_cases(), data=st.data())
def stops_at_eps(student, case: Case, data):
    steps = 12
    states = _trajectory(student, case, steps)
    moves = _moves(case.centers, states)
    scale = magnitude(case.data, case.centers)
    positive = sorted({move for move in moves if move > 0})
    choice = data.draw(st.sampled_from(["zero", "tiny", "move", "move"]), label="eps from")
    if choice == "zero" or (choice == "move" and not positive):
        eps = 0.0
    elif choice == "tiny":
        eps = 1e-12 * scale * scale
    else:
        # An eps comparable to the moves themselves: the loop must stop exactly at the right iteration.
        eps = data.draw(st.sampled_from(positive), label="move") * data.draw(
            st.sampled_from([0.5, 1.0, 2.0, 10.0]), label="factor")
    # A move within rounding of eps may be compared either way.  A move of exactly 0
    # (centers that did not change) is 0 however it is computed, so it has no slack.
    def tolerance(move: float) -> float:
        if move == 0:
            return 0.0
        return 16 * (case.k * case.d + 2) * EPS * move + case.k * distance_tolerance(case.d, scale)

    def must_stop(move: float) -> bool:
        return move <= eps - tolerance(move)

    def must_go_on(move: float) -> bool:
        return move > eps + tolerance(move)

    first = next((t for t, move in enumerate(moves, 1) if not must_go_on(move)), None)
    assume(first is not None)
    _, _, n_iter = call_kmeans(student, case.data, case.centers, eps=eps, max_iter=LONG_RUN)
    shown = {"data": case.data, "centers": case.centers, "eps": eps, "max_iter": LONG_RUN,
             "moves": moves[: max(first, min(n_iter, steps))]}
    if n_iter < 1:
        fail(f"stopping: kmeans returned n_iter = {n_iter}, but the main loop always does at least one iteration",
             **shown, returned=n_iter)
    for t in range(1, min(n_iter, steps + 1)):
        if must_stop(moves[t - 1]):
            fail(f"stopping: the move of iteration {t} was {moves[t - 1]:.6g} <= eps = {eps:.6g}, so the loop "
                 f"must stop there, but it went on to {n_iter} iterations", **shown, returned=n_iter, expected=t)
    if n_iter <= steps and must_go_on(moves[n_iter - 1]):
        fail(f"stopping: the loop stopped after iteration {n_iter} although its move {moves[n_iter - 1]:.6g} "
             f"is > eps = {eps:.6g}", **shown, returned=n_iter, expected=first)


@check("kmeans.respects_max_iter", "stopping: never more than max_iter iterations, exactly max_iter if not converged",
       hint="Count the iterations and leave the loop when the count reaches max_iter.",
       case=kmeans_cases(), max_iter=st.integers(1, 5))
def respects_max_iter(student, case: Case, max_iter):
    centers, labels, n_iter = call_kmeans(student, case.data, case.centers, eps=0.0, max_iter=max_iter)
    shown = {"eps": 0.0, "max_iter": max_iter}
    if not 1 <= n_iter <= max_iter:
        fail(f"stopping: with max_iter = {max_iter} kmeans returned n_iter = {n_iter}, expected between 1 and "
             f"{max_iter}", data=case.data, centers=case.centers, **shown, returned=n_iter)
    if n_iter < max_iter:
        # With eps = 0 an early stop means the centers did not move at all: a fixed point.
        check_nearest(case.data, centers, labels, phase=f"stopping: stopped early after {n_iter} iterations, but "
                      "the association phase", **shown)
        check_centroids(case.data, labels, centers, centers, phase=f"stopping: stopped early after {n_iter} "
                        "iterations, but the update phase", only="filled", **shown)


@check("kmeans.result_types", "main loop returns (centers, labels, n_iter) as float array, integer array, int",
       hint="Return a tuple: the (k, d) float centers, the (n,) integer labels and the int iteration count.",
       case=kmeans_cases())
def result_types(student, case: Case):
    centers, labels, n_iter = call_kmeans(student, case.data, case.centers, eps=0.0, max_iter=LONG_RUN, strict=True)
    if n_iter < LONG_RUN:
        check_nearest(case.data, centers, labels, phase="convergence: final association phase")


@check("kmeans.inputs_untouched", "main loop leaves data and the initial centers unchanged",
       hint="Work on a copy of the initial centers: centers = np.array(centers, dtype=float).", case=kmeans_cases())
def kmeans_inputs_untouched(student, case: Case):
    result, args = student.call_with_args("kmeans", case.data, case.centers, eps=0.0, max_iter=LONG_RUN)
    centers, labels, n_iter = kmeans_result(result, case.data, case.centers, eps=0.0, max_iter=LONG_RUN)
    if n_iter < LONG_RUN:
        check_nearest(case.data, centers, labels, phase="convergence: final association phase")
    for name, sent, back in zip(("data", "centers"), (case.data, case.centers), args):
        if not (isinstance(back, np.ndarray) and same_array(back, sent)):
            fail(f"main loop modified the {name} array it was given", data=case.data, centers=case.centers,
                 **{f"{name}_afterwards": back})


def _converged(student, case: Case, what: str) -> tuple[np.ndarray, np.ndarray, int]:
    centers, labels, n_iter = call_kmeans(student, case.data, case.centers, eps=0.0, max_iter=LONG_RUN)
    check_nearest(case.data, centers, labels, phase=f"{what}: final association phase")
    check_centroids(case.data, labels, centers, centers, phase=f"{what}: final update phase", only="filled")
    return centers, labels, n_iter


@st.composite
def _transforms(draw, case: Case):
    """A change of coordinates or of order, as (name, new case, map of the expected result)."""
    n, d, k = case.n, case.d, case.k
    kind = draw(st.sampled_from(["permute axes", "translate", "scale", "reorder points", "reorder centers"]))
    if kind == "permute axes":
        perm = np.array(draw(st.permutations(range(d))))
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


def _compare(student, case: Case, changed: Case, expect, what: str) -> None:
    centers, labels, n_iter = _converged(student, case, what)
    new_centers, new_labels, new_n_iter = _converged(student, changed, what)
    want_centers, want_labels = expect(centers, labels)
    shown = {"data": changed.data, "centers": changed.centers, "eps": 0.0, "max_iter": LONG_RUN}
    tol = mean_tolerance(case.n, magnitude(changed.data, changed.centers))
    if not np.array_equal(new_labels, want_labels) or new_n_iter != n_iter:
        fail(f"{what}: the same clustering problem gave different labels or iteration counts "
             f"({n_iter} vs {new_n_iter} iterations)", original_data=case.data, original_centers=case.centers,
             **shown, returned=new_labels, expected=want_labels)
    if not np.all(np.abs(new_centers - want_centers) <= tol):
        fail(f"{what}: the centers did not follow the change of coordinates", original_data=case.data,
             original_centers=case.centers, **shown, returned=new_centers, expected=want_centers)


@check("kmeans.equivariant", "dimension independence: permuting, translating or scaling coordinates moves the "
       "result the same way", hint="Use every coordinate in the same way; nothing may depend on axis order or "
       "units.", case=blob_cases(), data=st.data())
def equivariant(student, case: Case, data):
    kind, changed, expect = data.draw(_transforms(case), label="transformation")
    _compare(student, case, changed, expect, f"dimension independence ({kind})")


@check("kmeans.any_dimension", "dimension independence: extra constant coordinates change nothing",
       hint="Loop over all n_dims coordinates (data.shape[1]); never assume 2-D.",
       case=blob_cases(max_dims=4), extra=st.integers(1, 4), value=st.integers(-3, 3))
def any_dimension(student, case: Case, extra, value):
    pad = np.full((case.n, extra), float(value))
    changed = Case(np.hstack([case.data, pad]), np.hstack([case.centers, pad[: case.k]]))
    d = case.d

    def expect(centers, labels):
        return np.hstack([centers, np.full((case.k, extra), float(value))]), labels

    _compare(student, case, changed, expect, f"dimension independence ({d}-D data embedded in {d + extra}-D)")
