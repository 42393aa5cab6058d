"""Public checks of the initialisation, the association phase and the update phase.

Each check owns one property.  The checks of other properties than the main one of
a function (types, reproducibility, inputs left unchanged) run on examples where a
bug of the main property cannot change the right answer (one center to pick,
centers all equally near, clusters whose mean is not in doubt), or accept what such
a bug gives (the initialisation's reproducibility and generator take any k points of
the data, some picked twice: with any k, so that every index drawn is seen), and still
require that right answer: one bug fails one check of its function.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Optional

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

from grader.authoring import CheckFailed, check, describe, expect_array, fail, index, indices, precondition
from grader.exercises.kmeans.calls import (
    call_assign,
    call_update,
    check_centroids,
    check_nearest,
)
from grader.exercises.kmeans.geometry import same_array
from grader.exercises.kmeans.strategies import (
    Case,
    assign_cases,
    datasets,
    sizes,
    symmetric_update_cases,
    tied_assign_cases,
    update_cases,
)
from grader.precision import Rounding
from grader.student import StudentRaised, call_each
from grader.wire import Rng

# --- initialisation -------------------------------------------------------------------------------------------


@st.composite
def init_inputs(draw, *, one_center: bool = False) -> tuple[np.ndarray, int, int]:
    """(data, k, seed) with 1 <= k <= n; ``one_center``: k = 1, where drawing with or without replacement agree
    (for the checks of other properties than distinct indices)."""
    n, d = draw(sizes(max_class="medium"))
    data = draw(datasets(n, d))
    return data, 1 if one_center else draw(st.integers(1, n)), draw(st.integers(0, 2**32 - 1))


#: The check that owns "k data points at distinct indices", suspected when another initialisation check meets a
#: result that is not such points (those checks still require a right result).
_DISTINCT = ("init_centers.distinct_data_points",)


#: How init_centers refuses an impossible k in each language (the C and Fortran bindings turn the status -1
#: into a ValueError).
_REFUSES = {"python": "raises ValueError", "c": "returns -1", "fortran": "returns status -1"}


def _refused(language: str, error: StudentRaised) -> str:
    """What init_centers did when it refused k, in the language's terms."""
    if language == "python":
        return f"raised ValueError ({error.message})"
    return _REFUSES.get(language, "refused k").replace("returns", "returned")


def _initial_centers(student, data: np.ndarray, k: int, seed: int, *, kind: str = "number",
                     owner: bool = False, rounding: Optional[Rounding] = None, language: str = "python") -> np.ndarray:
    """Call init_centers and fail unless it returns rows of ``data`` at k distinct indices (``owner``: the
    calling check owns that property; otherwise a failure is suspected to come from the check that does)."""
    try:
        result = student.call("init_centers", data, k, Rng(seed))
    except StudentRaised as error:
        if "ValueError" not in error.mro:
            raise
        fail(f"initialisation with k = {k} for {len(data)} points {_refused(language, error)}, but any k "
             f"from 1 to the number of points is valid", suspects=() if owner else _DISTINCT, data=data, k=k,
             rng=Rng(seed))
    return _chosen_centers(result, data, k, seed, kind=kind, owner=owner, rounding=rounding)


def _chosen_centers(result, data: np.ndarray, k: int, seed: int, *, kind: str = "number",
                    owner: bool = False, rounding: Optional[Rounding] = None, distinct: bool = True) -> np.ndarray:
    """``result`` of init_centers(data, k, Rng(seed)), failed unless rows of ``data`` at k distinct indices
    (``owner`` as for :func:`_initial_centers`; ``distinct=False``: any k rows of ``data``).  Rows rounded to
    single precision (data converted to float32, as C ``float`` or Fortran ``real`` code holds them) are those
    rows when the ``rounding`` policy accepts single precision."""
    inputs = {"data": data, "k": k, "rng": Rng(seed)}
    suspects = () if owner else _DISTINCT
    try:
        centers = expect_array(result, "init_centers", shape=(k, data.shape[1]), kind=kind, inputs=inputs)
    except CheckFailed as failure:
        raise CheckFailed(failure.message, failure.counterexample, suspects) from None
    available = Counter(map(tuple, data.tolist()))
    rows = list(map(tuple, centers.tolist()))
    if any(row not in available for row in rows):
        available = _single_rows(data, rows, available, rounding or Rounding(), suspects, inputs, centers)
    for i, row in enumerate(rows):
        if row not in available:
            fail(f"initialisation: center {index(i)} = {list(row)} is not a point of the data", suspects=suspects,
                 **inputs, returned=centers)
    if not distinct:
        return centers
    taken = Counter(map(tuple, centers.tolist()))
    for row, count in taken.items():
        if count > available[row]:
            fail(f"initialisation: the point {list(row)} was picked {count} times but appears {available[row]} "
                 f"time{'s' if available[row] > 1 else ''} in the data: the k indices must be distinct "
                 "(draw them without replacement)", suspects=suspects, **inputs, returned=centers)
    return centers


@check("init_centers.distinct_data_points", "initialisation picks k data points at distinct indices",
       hint="Pick k different indices with the generator you are given, then take those rows of data.",
       case=init_inputs())
def init_distinct_points(student, case, context):
    data, k, seed = case
    _initial_centers(student, data, k, seed, owner=True, rounding=Rounding.of(context), language=context.language)


@check("init_centers.reproducible", "initialisation gives the same centers for the same seed",
       hint={"python": "Draw every random number from the generator rng that init_centers receives.",
             "c": "Draw every random number with random_index from the state started at seed (uint64_t state = seed).",
             "fortran": "Draw every random number with random_index from the state started at seed (state = seed)."},
       suspects=_DISTINCT,
       case=init_inputs())
def init_reproducible(student, case, context):
    data, k, seed = case
    rounding = Rounding.of(context).lenient()
    returned = call_each(student, "init_centers", [((data, k, Rng(seed)), {})] * 2)  # one round trip
    # Any k: every index drawn after the first must come from the generator too.  Points picked twice are
    # distinct_data_points' failure, not this one's.
    first = _chosen_centers(next(returned), data, k, seed, rounding=rounding, distinct=False)
    second = _chosen_centers(next(returned), data, k, seed, rounding=rounding, distinct=False)
    if not same_array(first, second):
        fail("initialisation: two generators with the same seed gave different centers", data=data, k=k,
             rng=Rng(seed), returned=[first, second])


@check("init_centers.uses_generator", "initialisation draws its indices with the generator it is given",
       hint={"python": "Use rng (e.g. rng.choice), not np.random.* or the random module, and do not create your own.",
             "c": "Draw every index with random_index(&state, ...) from state = seed; never rand(), time() or a "
                  "state of your own.",
             "fortran": "Draw every index with random_index(state, ...) from state = seed; never random_number or a "
                        "state of your own."},
       suspects=_DISTINCT, case=init_inputs())
def init_uses_generator(student, case, context):
    data, k, seed = case
    data = np.unique(data, axis=0)  # distinct points: a different index always shows as a different center
    assume(len(data) >= 3)
    k = min(k, len(data) - 1)
    # Independent calls: made in one round trip, each result validated in turn as _initial_centers does.
    returned = call_each(student, "init_centers", [((data, k, Rng(seed + offset)), {}) for offset in range(16)])
    rounding = Rounding.of(context).lenient()
    results = [_chosen_centers(next(returned), data, k, seed + offset, rounding=rounding, distinct=False)
               for offset in range(16)]
    if all(same_array(results[0], other) for other in results[1:]):
        fail("initialisation: 16 generators with different seeds all gave the same centers", data=data, k=k,
             rng=[str(Rng(seed + offset)) for offset in range(16)], returned=results[0])


@check("init_centers.rejects_impossible_k", "initialisation refuses an impossible k (k < 1 or k > n)",
       hint={"python": "Check k before drawing: raise ValueError('...') with a message that says what k may be.",
             "c": "Check k before drawing: return -1, writing nothing, when k < 1 or k > n.",
             "fortran": "Check k before drawing: status = -1, writing nothing, when k < 1 or k > n."},
       suspects=_DISTINCT, case=init_inputs(one_center=True), bad=st.sampled_from(["zero", "negative", "n+1", "more"]))
def init_rejects_impossible_k(student, case, bad, context):
    data, k, seed = case
    # A function that always refuses must not earn these points.
    _initial_centers(student, data, k, seed, rounding=Rounding.of(context).lenient(), language=context.language)
    n = len(data)
    wrong_k = {"zero": 0, "negative": -1, "n+1": n + 1, "more": n + 5}[bad]
    try:
        result = student.call("init_centers", data, wrong_k, Rng(seed))
    except StudentRaised as error:
        if "ValueError" in error.mro:
            return
        if context.language != "python":
            raise  # the binding's own words: an array written out of bounds, a status that is neither 0 nor -1
        fail(f"initialisation with k = {wrong_k} for {n} points raised {error.type_name}, expected ValueError",
             data=data, k=wrong_k, rng=Rng(seed))
    refuse = _REFUSES.get(context.language, "refuse")
    got = describe(result) if context.language == "python" else "0 and wrote centers"
    fail(f"initialisation with k = {wrong_k} for {n} points returned {got}; it {refuse} when k < 1 or k > n",
         data=data, k=wrong_k, rng=Rng(seed), returned=result)


@check("init_centers.inputs_untouched", "initialisation leaves data unchanged", suspects=_DISTINCT,
       case=init_inputs(one_center=True))
def init_inputs_untouched(student, case, context):
    data, k, seed = case
    with precondition():
        _initial_centers(student, data, k, seed, rounding=Rounding.of(context).lenient(), language=context.language)
    _, args = student.call_with_args("init_centers", data, k, Rng(seed))
    if not (isinstance(args[0], np.ndarray) and same_array(args[0], data)):
        fail("initialisation modified the data array it was given", data=data, k=k, rng=Rng(seed),
             returned_data=args[0])


def _single_rows(data: np.ndarray, rows: list[tuple[float, ...]], available: Counter, rounding: Rounding,
                 suspects: tuple[str, ...], inputs: dict[str, Any], centers: np.ndarray) -> Counter:
    """The points of ``data`` that ``rows`` may be: rounded to single precision when every row is such a point
    and the policy accepts it (noted once); failed with the explanation when only double precision is accepted;
    else ``available`` unchanged (the caller reports the row that is no point of the data)."""
    single = data.astype(np.float32).astype(np.float64)
    rounded = Counter(map(tuple, single.tolist()))
    if not all(row in rounded for row in rows):
        return available
    if rounding.accept_single():
        return rounded
    i = next(i for i, row in enumerate(rows) if row not in available)
    point = int(np.flatnonzero((single == np.array(rows[i])).all(axis=1))[0])
    difference = float(np.max(np.abs(data[point] - np.array(rows[i]))))
    fail(f"initialisation: center {index(i)} = {list(rows[i])} is point {index(point)} of the data, {data[point].tolist()}, "
         f"rounded to single precision: " + Rounding.explain("it differs from that point", difference,
                                                             float(np.max(np.abs(data[point])))),
         suspects=suspects, **inputs, returned=centers)


# --- association phase ----------------------------------------------------------------------------------------


@check("assign.nearest_center", "association phase: each point goes to a nearest center",
       hint="Compare the point's squared distance to every one of the k centers and keep the smallest.",
       case=assign_cases())
def assign_nearest_center(student, case: Case, context):
    rounding = Rounding.of(context)
    labels = call_assign(student, case.data, case.centers)
    check_nearest(case.data, case.centers, labels, phase="association phase", rounding=rounding)
    if case.k > 1 and case.n <= _FAR_POINTS:
        _check_far(student, case, rounding)


#: A power of two: the case multiplied by it puts every squared distance beyond 1e10 (times 2^40, exactly: the
#: nearest centers do not change), where a smallest distance started at a large finite number stops working.
_FAR = 2.0**20
#: The case multiplied by _FAR is called on cases of at most this many points (code with a loop per point and
#: per center pays for every call on the largest cases; the bug shows on any size).
_FAR_POINTS = 60


def _check_far(student, case: Case, rounding: Rounding) -> None:
    data, centers = case.data * _FAR, case.centers * _FAR
    labels = call_assign(student, data, centers)
    try:
        check_nearest(data, centers, labels, phase="association phase", rounding=rounding,
                      lead="with the same data and centers multiplied by 2^20 (every squared distance multiplied "
                           "by 2^40, the nearest centers the same), ")
    except CheckFailed as failure:
        if len(np.unique(np.asarray(labels))) == 1:  # every point kept the first best: no distance was below it
            cause = (": start the smallest distance so far at the first center's (or at infinity), not at a large "
                     "number such as 1e10, which distances can exceed, and keep it in a floating-point variable "
                     "(an integer one cannot hold such distances)")
        else:
            cause = (": the nearest centers depend on the size of the numbers; look for what caps or rounds the "
                     "distances (a smallest distance started at a large number such as 1e10, or kept in an integer "
                     "or single-precision variable)")
        raise CheckFailed(failure.message + cause, failure.counterexample, failure.suspects) from None


@check("assign.integer_array", "association phase returns an integer array of shape (n,)",
       hint={"python": "Create the labels with an integer dtype, e.g. np.zeros(n, dtype=int).",
             "c": "Write a label in 0..k-1 into labels[i] for every point i.",
             "fortran": "Set labels(i) to a center's index in 1..k for every point i."},
       suspects=("assign.nearest_center",), case=tied_assign_cases())
def assign_integer_array(student, case: Case):
    labels = call_assign(student, case.data, case.centers, kind="integer")
    check_nearest(case.data, case.centers, labels, phase="association phase", owner=False)


@check("assign.inputs_untouched", "association phase leaves data and centers unchanged",
       suspects=("assign.nearest_center",), case=tied_assign_cases())
def assign_inputs_untouched(student, case: Case):
    labels, args = student.call_with_args("assign", case.data, case.centers)
    with precondition():
        try:
            labels = expect_array(labels, "assign", shape=(case.n,), kind="index",
                                  inputs={"data": case.data, "centers": case.centers})
        except CheckFailed as failure:  # the check of the result's type owns that property
            raise CheckFailed(failure.message, failure.counterexample, ("assign.integer_array",)) from None
        check_nearest(case.data, case.centers, labels, phase="association phase", owner=False)
    for name, sent, after in zip(("data", "centers"), (case.data, case.centers), args):
        if not (isinstance(after, np.ndarray) and same_array(after, sent)):
            fail(f"association phase modified the {name} array it was given", data=case.data,
                 centers=case.centers, **{f"{name}_afterwards": after})


# --- update phase ---------------------------------------------------------------------------------------------


def _every_center_filled(case: Case) -> Case:
    """``case`` with one more point per center that has none, at that center's position (its new position either
    way): every center has points, the same k (``case`` itself when every center has points)."""
    labels = np.asarray(case.labels)
    empty = np.setdiff1d(np.arange(case.k), labels)
    if not len(empty):
        return case
    return Case(data=np.vstack([case.data, case.centers[empty]]), centers=case.centers,
                labels=np.concatenate([labels, empty]).astype(labels.dtype))


@check("update.centroids", "update phase: each center moves to the mean of its points",
       hint="Sum the points of each center and divide by their number; work on a copy of centers.",
       case=update_cases())
def update_centroids(student, case: Case, context):
    try:
        after = call_update(student, case.data, case.labels, case.centers)
    except StudentRaised as error:
        filled = _every_center_filled(case)
        if error.absent or filled is case:
            raise
        # An error on a center without points breaks the property of empty clusters (its own check): the
        # centers with points are checked on the same inputs with a point given to each of the others.
        case = filled
        after = call_update(student, case.data, case.labels, case.centers)
    check_centroids(case.data, case.labels, case.centers, after, phase="update phase", only="filled",
                    rounding=Rounding.of(context))
    _check_zero_sums(student, case, Rounding.of(context))


#: How many of a case's points :func:`_check_zero_sums` pairs with their opposites.
_ZERO_SUM_PAIRS = 4


def _check_zero_sums(student, case: Case, rounding: Rounding) -> None:
    """The first points of ``case`` each paired with its opposite, each pair the cluster of a center at 1: x + (-x)
    is exactly 0 whatever the order of the sum, so every center must move to the origin, and an update that tells
    a cluster empty by the sum of its points (``if sum != 0``) rather than by their number leaves it at 1."""
    points = case.data[:_ZERO_SUM_PAIRS]
    pairs = np.arange(len(points))
    data, labels = np.concatenate([points, -points]), np.concatenate([pairs, pairs])
    centers = np.ones_like(points)
    after = call_update(student, data, labels, centers)
    try:
        check_centroids(data, labels, centers, after, phase="update phase", only="filled", rounding=rounding)
    except CheckFailed as failure:
        if not np.any(np.all(after == centers, axis=1)):
            raise  # no center left where it was: another fault than telling a cluster empty by its sum
        raise CheckFailed(failure.message + ": the points of that center sum to 0, yet it has points, and it stayed "
                          "where it was, as a center without points does: tell a center without points by its count "
                          "of points (0), not by their sum, and start each count at 0", failure.counterexample,
                          failure.suspects) from None


@check("update.empty_cluster_keeps_center", "update phase: a center with no point keeps its position",
       hint="When a center has no point, its mean is undefined (0/0): leave that center where it is.",
       case=symmetric_update_cases(empty=True))
def update_empty_cluster(student, case: Case, context):
    after = call_update(student, case.data, case.labels, case.centers)
    check_centroids(case.data, case.labels, case.centers, after, phase="update phase", owns="empty",
                    rounding=Rounding.of(context))


@check("update.float_array", "update phase returns a float array of shape (k, d)",
       hint={"python": "Build the new centers as floats, e.g. np.array(centers, dtype=float).",
             "c": "Write all k * d values of new_centers (a center without points copies its row of centers).",
             "fortran": "Set every new_centers(c, j) (a center without points copies centers(c, :))."}, suspects=("update.centroids",),
       case=symmetric_update_cases())
def update_float_array(student, case: Case, context):
    rounding = Rounding.of(context)
    after = call_update(student, case.data, case.labels, case.centers, kind="float", rounding=rounding)
    check_centroids(case.data, case.labels, case.centers, after, phase="update phase", owns="none",
                    rounding=rounding.lenient())


@check("update.inputs_untouched", "update phase leaves data, labels and centers unchanged",
       hint={"python": "Start from a copy: new_centers = centers.copy().",
             "c": "Write only into new_centers: data, labels and centers are const.",
             "fortran": "Assign only to new_centers: data, labels and centers are intent(in)."}, suspects=("update.centroids",),
       case=symmetric_update_cases())
def update_inputs_untouched(student, case: Case, context):
    after, args = student.call_with_args("update", case.data, case.labels, case.centers)
    with precondition():
        try:
            after = expect_array(after, "update", shape=case.centers.shape, kind="number",
                                 inputs={"data": case.data, "labels": indices(case.labels), "centers": case.centers})
        except CheckFailed as failure:  # the check of the result's type owns that property
            raise CheckFailed(failure.message, failure.counterexample, ("update.float_array",)) from None
        check_centroids(case.data, case.labels, case.centers, after, phase="update phase", owns="none",
                        rounding=Rounding.of(context).lenient())
    for name, sent, back in zip(("data", "labels", "centers"), (case.data, case.labels, case.centers), args):
        if not (isinstance(back, np.ndarray) and same_array(back, sent)):
            fail(f"update phase modified the {name} array it was given", data=case.data, labels=indices(case.labels),
                 centers=case.centers, **{f"{name}_afterwards": indices(back) if name == "labels" else back})
