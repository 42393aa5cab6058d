"""Calling the student's perceptron functions and validating what comes back.

Each helper fails the check with a message in the course's words when a value has
the wrong type or shape, so that the properties only ever see clean arrays.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Callable, Collection, Iterator, Sequence, TypeVar

import numpy as np

from grader.authoring import CheckFailed, describe, expect_array, fail
from grader.student import Student, call_each
from grader.wire import Rng

T = TypeVar("T")

__all__ = ["DIFFERENT_RUNS", "SEEDED_HINT", "SHUFFLE_HINT", "CONFUSION_HINT", "SCORES_HINT", "ACCURACY_HINT", "again_orders", "order_flaw", "seeds_text", "seeds_in_stages", "booleans_as_integers", "call_forward", "call_update", "call_train", "call_trains", "expected_outputs", "same", "every_order", "first_difference",
           "suspecting"]


#: What train.reproducible says of two runs with the same input and seed that differ: the generator is one cause
#: among others (in C and Fortran, memory read before it is written, in forward or update as well as in train).
DIFFERENT_RUNS = ("two calls with the same input and generators with the same seed gave different results: it "
                  "must not depend on global state, uninitialised variables or arrays, the clock or a random "
                  "generator other than the one it is given")
#: Hints shared by the perceptron's and the MLP's checks, one per language (their C and Fortran shuffle with the
#: given generator, seeded by the caller; their confusion matrices are flat in C, 1-based in Fortran).
SEEDED_HINT = {
    "python": "Shuffle with the generator rng you are given (rng.permutation, rng.shuffle), not np.random.*.",
    "c": "Shuffle with shuffle(order, n, &state) from uint64_t state = seed; never rand(), time() or a state of "
         "your own.",
    "fortran": "Shuffle with call shuffle(order, n, state) from state = seed; never random_number or a state of "
               "your own.",
}
SHUFFLE_HINT = {
    "python": "Shuffle the order of the samples at every epoch with rng (rng.permutation(n) or rng.shuffle).",
    "c": "Shuffle the order of the samples at the start of every epoch: shuffle(order, n, &state).",
    "fortran": "Shuffle the order of the samples at the start of every epoch: call shuffle(order, n, state).",
}
CONFUSION_HINT = {
    "python": "Class of a row: np.argmax (or, with one output, value > 0.5). cm[predicted, target] += 1.",
    "c": "Class of a row: the index of its largest value (or, with one output, 1 when above 0.5). Set every entry "
         "of cm to 0, then cm[predicted * nc + target]++.",
    "fortran": "Class of a row: maxloc (or, with one output, 2 when above 0.5, else 1). cm = 0, then "
               "cm(predicted, target) = cm(predicted, target) + 1.",
}
SCORES_HINT = {
    "python": "recall[i] = cm[i, i] / (sum of column i); precision[i] = cm[i, i] / (sum of row i); 0 when the sum "
              "is 0.",
    "c": "recall[i] = cm[i*nc + i] / (sum of column i); precision[i] = cm[i*nc + i] / (sum of row i), divided as "
         "doubles; 0 when the sum is 0.",
    "fortran": "recall(i) = cm(i, i) / sum(cm(:, i)); precision(i) = cm(i, i) / sum(cm(i, :)), divided as reals; "
               "0 when the sum is 0.",
}

ACCURACY_HINT = {
    "python": "accuracy = (sum of the diagonal of cm, np.trace(cm)) / (sum of all of cm), as a float.",
    "c": "accuracy = (sum of cm[i*nc + i]) / (sum of all of cm), divided as doubles, not as ints.",
    "fortran": "accuracy = (sum of cm(i, i)) / sum(cm), divided as reals, not as integers.",
}


def same(a: Any, b: np.ndarray) -> bool:
    """``a`` is an array equal to ``b`` in shape and values (exact: the strategies keep arithmetic exact), NaN equal
    to NaN (the same result computed twice, or an input left as it was)."""
    return isinstance(a, np.ndarray) and a.shape == b.shape and bool(
        np.array_equal(a, b, equal_nan=a.dtype.kind == "f" and b.dtype.kind == "f"))


def first_difference(got: np.ndarray, want: np.ndarray) -> tuple[int, ...]:
    """Index of the first entry where ``got`` and ``want`` differ."""
    return tuple(int(i) for i in np.argwhere(got != want)[0])


def expected_outputs(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """The course's binary threshold neurons: 1 where h = x . w > 0, else 0."""
    return (x @ w > 0).astype(np.int64)


def _binary(value: Any, function: str, shape: tuple[int, ...], inputs: dict[str, Any]) -> np.ndarray:
    outputs = expect_array(booleans_as_integers(value), function, shape=shape, kind="index", inputs=inputs)
    if not np.all((outputs == 0) | (outputs == 1)):
        fail(f"{function} returned values other than 0 and 1: the perceptron's outputs are binary", **inputs,
             returned=outputs)
    return outputs


def seeds_text(first: int, count: int) -> str:
    """The generators of ``count`` consecutive seeds, in words for a counterexample."""
    return f"{Rng(first)} for each of the {count} seeds {first} to {first + count - 1}".replace(f"({first})", "(seed)")


def again_orders() -> tuple[Callable[[tuple[int, ...]], tuple[int, ...]], ...]:
    """The second orders a train that draws no new order in its second epoch presents, from its first ``order``
    (the samples' indices in the order presented): the same order (drawn once, presented twice), and the first
    order shuffled again the same way, ``order[order[s]]`` (the same swaps made on the order kept from the first
    epoch: a generator restarted from the seed at every epoch, or one permutation applied at every epoch)."""
    return (lambda order: order, lambda order: tuple(order[i] for i in order))


def order_flaw(orders_by_seed: Sequence[Collection[tuple[int, ...]]]) -> str:
    """What the first orders of a train that shuffles wrongly all share, in words for its message, or "" when the
    weights do not show it.  ``orders_by_seed``: for each seed, the orders (the samples' indices in the order
    presented) whose epoch ends where that seed's did; a flaw is named only when every order of every seed has it
    and the seeds ended in at least two different places (so train does draw orders: one order for every seed is
    another failure).  A uniform shuffle of n >= 3 samples presents the last sample last with probability 1/n,
    and moves every sample with probability at most 3/8 (1/3 for 3 samples, 3/8 for 4, about 1/e beyond), per seed:
    for all the seeds of a check, almost never.  Only the message of a check that already fails depends on it,
    never the score."""
    if len(orders_by_seed) < 2 or not all(orders_by_seed) or len({frozenset(o) for o in orders_by_seed}) < 2:
        return ""
    orders = set().union(*orders_by_seed)
    if all(order[-1] == len(order) - 1 for order in orders):
        return ("the last sample is presented last, only the samples before it shuffled: the shuffle leaves out "
                "the last sample (a loop that stops one step early, or a permutation of n - 1 samples). Shuffle all "
                "n samples at every epoch")
    if all(all(sample != place for place, sample in enumerate(order)) for order in orders):
        return ("no sample is presented at its own place (sample i as the i-th): the shuffle moves every sample, "
                "and so draws only some of the orders, as a Fisher-Yates loop does when the position swapped with "
                "position i is drawn below i (Sattolo's algorithm). Draw it among all the positions up to i, i "
                "included")
    return ""


#: How many seeds a shuffling check tries before the others (see :func:`seeds_in_stages`).
FIRST_SEEDS = 3


def seeds_in_stages(results_of: Callable[[list[int]], list[T]], first: int, count: int) -> Iterator[T]:
    """The results of ``count`` consecutive seeds from ``first``, as ``results_of(seeds)`` gives them (one round trip
    per stage): :data:`FIRST_SEEDS` seeds, then the others only when they are asked for.

    A shuffling check fails only when every seed's result is alike (``all()`` over this iterator): a train that
    shuffles gives a different one within the first few seeds almost always, and its check then costs those few
    calls instead of ``count``, with the same verdict."""
    seeds = [first + k for k in range(count)]
    for stage in (seeds[:FIRST_SEEDS], seeds[FIRST_SEEDS:]):
        if stage:
            yield from results_of(stage)


def booleans_as_integers(value: Any) -> Any:
    """``value`` as 0 and 1 when it is an array (or nested lists) of booleans, such as ``x @ w > 0``: numpy's
    True and False are 1 and 0 in every arithmetic, so they are outputs of 0 and 1; anything else unchanged."""
    if isinstance(value, (np.ndarray, list, tuple)):
        try:
            array = np.asarray(value)
        except (ValueError, TypeError):
            return value
        if array.dtype.kind == "b":
            return array.astype(np.int64)
    return value


@contextmanager
def suspecting(*suspects: str) -> Iterator[None]:
    """A returned value that fails validation inside is suspected to come from ``suspects`` (unless the failure
    names its own): the check that owns the function's results, which drops itself from them.  So a shape error
    is reported once, by its owner, with the other checks it breaks linked to it."""
    try:
        yield
    except CheckFailed as failure:
        raise CheckFailed(failure.message, failure.counterexample, failure.suspects or suspects) from None


def call_forward(student: Student, x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Outputs (n, out_dim) of 0 and 1."""
    result = student.call("forward", x, w)
    with suspecting("forward.threshold"):
        return _binary(result, "forward", (len(x), w.shape[1]), {"x": x, "w": w})


def call_update(student: Student, x: np.ndarray, y: np.ndarray, t: np.ndarray, w: np.ndarray,
                eta: float) -> np.ndarray:
    inputs = {"x": x, "y": y, "t": t, "w": w, "eta": eta}
    result = student.call("update", x, y, t, w, eta)
    with suspecting("update.rule"):
        return expect_array(result, "update", shape=w.shape, kind="number", inputs=inputs)


def call_train(student: Student, x: np.ndarray, t: np.ndarray, w0: np.ndarray, eta: float, epochs: int,
               seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(weights, mistakes per epoch) returned by ``train``, validated."""
    return _trained(student.call("train", x, t, w0, eta, epochs, Rng(seed)), x, t, w0, eta, epochs, seed)


def call_trains(student: Student, x: np.ndarray, t: np.ndarray, w0: np.ndarray, eta: float, epochs: int,
                seeds) -> list[tuple[np.ndarray, np.ndarray]]:
    """What :func:`call_train` returns for each seed of ``seeds``, the calls in one round trip (see
    :func:`grader.student.call_each`), each result validated in turn."""
    results = call_each(student, "train", [((x, t, w0, eta, epochs, Rng(seed)), {}) for seed in seeds])
    return [_trained(result, x, t, w0, eta, epochs, seed) for seed, result in zip(seeds, results)]


def _trained(result: Any, x: np.ndarray, t: np.ndarray, w0: np.ndarray, eta: float, epochs: int,
             seed: int) -> tuple[np.ndarray, np.ndarray]:
    inputs = {"x": x, "t": t, "w0": w0, "eta": eta, "epochs": epochs, "rng": Rng(seed)}
    # train computes with the student's forward and update; when those are right, train itself is wrong
    with suspecting("forward.threshold", "update.rule", "train.online_epoch"):
        return _train_result(result, x, w0, epochs, inputs)


def _train_result(result: Any, x: np.ndarray, w0: np.ndarray, epochs: int,
                  inputs: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        fail(f"train returned {describe(result, whole=True)}, expected a tuple (w, mistakes)", **inputs, returned=result)
    if (np.shape(result[0]) == (epochs,) and np.shape(result[1]) == w0.shape) and (epochs,) != w0.shape:
        fail("train returned (mistakes, w): return the weights first, (w, mistakes)", **inputs, returned=result)
    w = expect_array(result[0], "train (its weights, value 1 of 2)", shape=w0.shape, kind="number", inputs=inputs)
    mistakes = expect_array(result[1], "train (its mistakes per epoch, value 2 of 2)", shape=(epochs,), kind="index",
                            inputs=inputs)
    if np.any(mistakes < 0) or np.any(mistakes > len(x)):
        fail(f"train: the number of mistakes of an epoch must be between 0 and the number of samples ({len(x)})",
             **inputs, returned=mistakes)
    return w, mistakes


def every_order(x: np.ndarray, t: np.ndarray, w: np.ndarray, eta: float) -> list[tuple[np.ndarray, int]]:
    """One epoch of the perceptron rule over the samples in every order (``itertools.permutations`` order): the
    weights and mistakes of each, the steps that orders share (the same samples first) made once."""
    level: list[tuple[tuple[int, ...], np.ndarray, int]] = [((), np.array(w, dtype=float), 0)]
    for _ in range(len(x)):
        level = [(order + (i,), *_step(x, t, w_now, eta, i, mistakes))
                 for order, w_now, mistakes in level for i in range(len(x)) if i not in order]
    return [(w_end, mistakes) for _, w_end, mistakes in level]


def _step(x: np.ndarray, t: np.ndarray, w: np.ndarray, eta: float, i: int, mistakes: int) -> tuple[np.ndarray, int]:
    """The perceptron rule on sample ``i``: the weights after it (updated only when an output is wrong), the mistakes
    so far."""
    y = expected_outputs(x[i : i + 1], w)[0]
    if np.any(y != t[i]):
        return w - eta * np.outer(x[i], y - t[i]), mistakes + 1
    return w, mistakes

