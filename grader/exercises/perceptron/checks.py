"""Public checks of the perceptron: the bias input, the forward pass, the learning rule and training.

Arithmetic is exact on the generated inputs (see :mod:`.strategies`), so results are
compared exactly; every property holds for any number of inputs and outputs.
"""

from __future__ import annotations

import itertools
import math
from typing import Callable, Iterator

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

from grader.authoring import CheckFailed, check, expect_array, fail, index, indices, precondition
from grader.exercises.perceptron.calls import (DIFFERENT_RUNS, SEEDED_HINT, SHUFFLE_HINT, again_orders, booleans_as_integers, order_flaw, call_forward, call_train,
                                               call_trains, call_update, every_order, seeds_in_stages,
                                               expected_outputs, first_difference, same,
                                               seeds_text, suspecting)
from grader.exercises.perceptron.strategies import (Layer, Separable, bias_column, layers, learning_rates, samples,
                                                    separable_sets)
from grader.student import StudentRaised
from grader.wire import Rng

SEEDS = st.integers(0, 2**32 - 1)
#: What a training check's failure probably comes from when these fail too: an epoch is forward, then update.
ONLINE_EPOCH = ("train.online_epoch",)
#: How many seeds train.online_epoch tries on each example.
ONLINE_SEEDS = 4
RULES = ("forward.threshold", "update.rule")
#: Layers for the checks that follow every order of the samples: few samples, and no more outputs than usual (the
#: wider layers the other checks draw would only cost here, and change which examples these checks meet).
FEW_SAMPLES = layers(max_n=4, wide_out=4)

# --- bias input -----------------------------------------------------------------------------------------------


@check("add_bias.appends_minus_one", "add_bias appends the bias input -1 as the last column",
       hint={"python": "np.hstack([x, -np.ones((len(x), 1))]) or np.concatenate(..., axis=1): the bias input is -1, last.",
             "c": "xb[i*(in_dim+1) + j] = x[i*in_dim + j], and xb[i*(in_dim+1) + in_dim] = -1: the bias input is -1, "
                  "last.",
             "fortran": "xb(:, 1:in_dim) = x and xb(:, in_dim + 1) = -1: the bias input is -1, last."},
       layer=layers())
def add_bias_appends(student, layer: Layer):
    x = layer.x[:, :-1]
    got = expect_array(student.call("add_bias", x), "add_bias", shape=(layer.n, layer.in_dim + 1), kind="number",
                       inputs={"x": x})
    want = bias_column(x)
    if not same(got, want):
        i, j = first_difference(got, want)
        what = "the bias input" if j == layer.in_dim else f"input {index(j)}"
        fail(f"add_bias: row {index(i)}, column {index(j)} ({what} of sample {index(i)}) is {got[i, j]:g}, expected {want[i, j]:g}",
             x=x, returned=got, expected=want)


@check("add_bias.inputs_untouched", "add_bias leaves x unchanged", layer=layers())
def add_bias_untouched(student, layer: Layer):
    x = layer.x[:, :-1]
    got, args = student.call_with_args("add_bias", x)
    with precondition():
        expect_array(got, "add_bias", shape=(layer.n, layer.in_dim + 1), kind="number", inputs={"x": x})
    if not same(args[0], x):
        fail("add_bias modified the array x it was given", x=x, x_afterwards=args[0])


# --- forward pass ---------------------------------------------------------------------------------------------


@check("forward.threshold", "forward: each output is 1 when h = x . w > 0, else 0 (any number of inputs and outputs)",
       hint={"python": "h = x @ w (x already holds the bias input); the output is 1 where h > 0 and 0 where h <= 0.",
             "c": "h = sum over j of x[i*(in_dim+1) + j] * w[j*out_dim + k] (x already holds the bias input); the "
                  "output is 1 where h > 0 and 0 where h <= 0.",
             "fortran": "h = matmul(x, w) (x already holds the bias input); the output is 1 where h > 0 and 0 where "
                        "h <= 0."},
       layer=layers())
def forward_threshold(student, layer: Layer):
    got = call_forward(student, layer.x, layer.w)
    want = expected_outputs(layer.x, layer.w)
    if not np.array_equal(got, want):
        i, j = first_difference(got, want)
        h = float(layer.x[i] @ layer.w[:, j])
        rule = "h = 0 gives 0 (the neuron fires only when h > 0)" if h == 0 else f"h = {h:g} gives {want[i, j]}"
        fail(f"forward: output {index(j)} of sample {index(i)} is {got[i, j]}, but {rule}", x=layer.x, w=layer.w, returned=got,
             expected=want)


@check("forward.scale_invariant", "forward: scaling the inputs and the bias weights by a positive factor changes no "
       "output", suspects=("forward.threshold",), layer=layers(), power=st.integers(-4, 4))
def forward_scale_invariant(student, layer: Layer, power: int):
    # The bias input stays -1 (the contract's x always ends with it): its weights are scaled instead, so that
    # h = x . w is multiplied by the factor.
    factor = 2.0**power
    scaled_x, scaled_w = layer.x.copy(), layer.w.copy()
    scaled_x[:, :-1] *= factor
    scaled_w[-1] *= factor
    first = call_forward(student, layer.x, layer.w)
    second = call_forward(student, scaled_x, scaled_w)
    if not np.array_equal(first, second):
        fail(f"forward: multiplying every input (not the bias input -1) and the bias weights (the last row of w) by "
             f"{factor:g} changed the outputs (h changes by a positive factor, so its sign and the outputs must not)",
             x=layer.x, w=layer.w, scaled_x=scaled_x, scaled_w=scaled_w, returned=second, expected=first)


@check("forward.inputs_untouched", "forward leaves x and w unchanged", suspects=("forward.threshold",), layer=layers())
def forward_untouched(student, layer: Layer):
    got, args = student.call_with_args("forward", layer.x, layer.w)
    with precondition(), suspecting("forward.threshold"):
        expect_array(booleans_as_integers(got), "forward", shape=(layer.n, layer.out_dim), kind="index", inputs={"x": layer.x, "w": layer.w})
    for name, sent, back in zip(("x", "w"), (layer.x, layer.w), args):
        if not same(back, sent):
            fail(f"forward modified the array {name} it was given", x=layer.x, w=layer.w,
                 **{f"{name}_afterwards": back})


# --- learning rule --------------------------------------------------------------------------------------------


def _rule(x, y, t, w, eta):
    return w - eta * np.outer(x, y - t)


@check("update.rule", "update: w[j, i] -= eta * (y[i] - t[i]) * x[j], for every input j and output i",
       hint={"python": "new_w = w - eta * np.outer(x, y - t): inputs index the rows of w, outputs its columns.",
             "c": "new_w[j*out_dim + k] = w[j*out_dim + k] - eta * (y[k] - t[k]) * x[j]: inputs index the rows of w, "
                  "outputs its columns.",
             "fortran": "new_w(j, k) = w(j, k) - eta * (y(k) - t(k)) * x(j): inputs index the rows of w, outputs its "
                        "columns."},
       sample=samples(), eta=learning_rates())
def update_rule(student, sample, eta):
    x, y, t, w = sample
    got = call_update(student, x, y, t, w, eta)
    want = _rule(x, y, t, w, eta)
    if not np.array_equal(got, want):
        j, i = first_difference(got, want)
        fail(f"update: w[{j}, {i}] became {got[j, i]:g}, expected w - eta (y - t) x = {w[j, i]:g} - {eta:g} * "
             f"({y[i]} - {t[i]}) * {x[j]:g} = {want[j, i]:g}", x=x, y=y, t=t, w=w, eta=eta, returned=got,
             expected=want)


@check("update.no_change_when_correct", "update leaves the weights unchanged when the outputs are right (y = t)",
       sample=samples(), eta=learning_rates())
def update_no_change(student, sample, eta):
    x, _, t, w = sample
    got = call_update(student, x, t.copy(), t, w, eta)
    if not np.array_equal(got, w):
        fail("update changed the weights although every output was right (y = t)", x=x, y=t, t=t, w=w, eta=eta,
             returned=got, expected=w)


@check("update.inputs_untouched", "update returns new weights and leaves x, y, t and w unchanged",
       hint={"python": "Work on a copy: new_w = w - ... (not w -= ..., which changes the caller's array).",
             "c": "Write only into new_w: x, y, t and w are const.",
             "fortran": "Assign only to new_w: x, y, t and w are intent(in)."},
       sample=samples(), eta=learning_rates())
def update_untouched(student, sample, eta):
    x, y, t, w = sample
    got, args = student.call_with_args("update", x, y, t, w, eta)
    with precondition():
        got = expect_array(got, "update", shape=w.shape, kind="number", inputs={"x": x, "y": y, "t": t, "w": w})
        if not np.array_equal(got, _rule(x, y, t, w, eta)):
            fail("update: the new weights are not w - eta * outer(x, y - t)", x=x, y=y, t=t, w=w, eta=eta,
                 returned=got, expected=_rule(x, y, t, w, eta), suspects=("update.rule",))
    for name, sent, back in zip(("x", "y", "t", "w"), (x, y, t, w), args):
        if not same(back, sent):
            fail(f"update modified the array {name} it was given", x=x, y=y, t=t, w=w, eta=eta,
                 **{f"{name}_afterwards": back})


# --- training -------------------------------------------------------------------------------------------------


@check("train.online_epoch", "train: one epoch is an on-line pass of the rule over the samples, in some order",
       hint="For each sample in the shuffled order: forward, then update when an output is wrong (count it as a "
            "mistake). The weights change after every sample, not once per epoch.",
       suspects=RULES, layer=FEW_SAMPLES, eta=learning_rates(), seed=SEEDS)
def train_online_epoch(student, layer: Layer, eta, seed):
    passes = every_order(layer.x, layer.t, layer.w, eta)
    # A few seeds: an epoch drawing samples with replacement, or skipping one, shows only for some orders.
    for each in range(seed, seed + ONLINE_SEEDS):
        w, mistakes = call_train(student, layer.x, layer.t, layer.w, eta, 1, each)
        if not any(np.array_equal(w, want_w) and mistakes[0] == want_m for want_w, want_m in passes):
            _explain_epoch(layer, eta, each, w, mistakes, passes, student)
    if layer.n <= 3:
        _check_second_epoch(student, layer, eta, seed, passes)
    _check_chained_epochs(student, layer, eta, seed)


#: Epochs of :func:`_check_chained_epochs`: enough for a rate that changes after a few epochs (halved every five...).
CHAINED_EPOCHS = 6


def _check_chained_epochs(student, layer: Layer, eta: float, seed: int) -> None:
    """On the first sample alone (every order is the same), from weights that keep every output wrong until the
    last of :data:`CHAINED_EPOCHS` epochs, train makes one step of the rule per epoch, each with the same eta: the
    weights end at w0 - epochs * eta * outer(x, y - t), one mistake per epoch.  Each output's column starts at
    (epochs - 1/2) eta times x, on the wrong side: a step moves its h by eta |x|^2 towards the right side, which it
    reaches at the last step only (|x| >= 1 with the bias input; the arithmetic stays exact)."""
    x, t = layer.x[:1], layer.t[:1]
    wrong_side = np.where(t[0] == 0, 1.0, -1.0)  # h > 0 (output 1) where the target is 0, h < 0 where it is 1
    w0 = np.outer(x[0], wrong_side) * ((CHAINED_EPOCHS - 0.5) * eta)
    w, mistakes = call_train(student, x, t, w0, eta, CHAINED_EPOCHS, seed)
    states = [w0]
    for _ in range(CHAINED_EPOCHS):
        states.append(_rule(x[0], expected_outputs(x, states[-1])[0], t[0], states[-1], eta))
    if np.array_equal(w, states[-1]) and list(mistakes) == [1] * CHAINED_EPOCHS:
        return
    shown = {"x": x, "t": t, "w0": w0, "eta": eta, "epochs": CHAINED_EPOCHS, "rng": Rng(seed)}
    if np.array_equal(w, states[-1]):
        fail(f"train: the weights are right but the mistakes per epoch are {list(mistakes)}: on this sample, whose "
             f"outputs stay wrong until the last update, every epoch makes one mistake", **shown, returned=mistakes,
             expected=np.ones(CHAINED_EPOCHS, dtype=int), suspects=RULES)
    other = eta / 2
    w_other, _ = call_train(student, x, t, w0, other, CHAINED_EPOCHS, seed)
    if np.array_equal(w_other, w):
        fail(f"train: on this sample, whose outputs stay wrong until the last of {CHAINED_EPOCHS} epochs, the weights "
             f"are not those of {CHAINED_EPOCHS} steps of the rule, and they are the same with eta = {other:g} as "
             f"with eta = {eta:g}: does train update with the eta it is given, rather than a value of its own (a "
             "global, a constant)?", **shown, returned=w, expected=states[-1], suspects=RULES)
    stopped = next((k for k in range(CHAINED_EPOCHS) if np.array_equal(w, states[k])), None)
    what = (f"those after {stopped} epoch{'s' if stopped != 1 else ''}: every epoch must run, as many as `epochs`"
            if stopped is not None else
            f"not those of {CHAINED_EPOCHS} steps of the rule with the same eta: does every epoch update with the "
            "eta train is given (not one that changes from epoch to epoch, nor one of its own), from the weights "
            "the epoch before ended with?")
    fail(f"train: on this sample, whose outputs stay wrong until the last of {CHAINED_EPOCHS} epochs, each epoch "
         f"updates the weights once; after {CHAINED_EPOCHS} epochs they are {what}", **shown, returned=w,
         expected=states[-1], suspects=RULES)


def _check_second_epoch(student, layer: Layer, eta: float, seed: int, passes) -> None:
    """Two epochs are a pass in some order, then a pass in some order from where it ended, with the same eta."""
    w, mistakes = call_train(student, layer.x, layer.t, layer.w, eta, 2, seed)
    seconds = _every_order_from(layer, eta)
    for first_w, first_m in passes:
        for second_w, second_m in seconds(first_w):
            if np.array_equal(w, second_w) and list(mistakes) == [first_m, second_m]:
                return
    samples = "this sample" if layer.n == 1 else f"these {layer.n} samples"
    # Which of these it is, the result cannot tell (a sample left out of every epoch, or a stop after the first one,
    # may show only in the second): all are named.
    fail(f"train: after two epochs on {samples} the weights and mistakes are not those of two on-line passes of the "
         "perceptron rule: is every sample presented once in each epoch, does the second epoch start from the "
         "weights the first one ended with (not from w0 again), with the same eta, and count its own mistakes, does "
         "the loop over the epochs run `epochs` times, without stopping early?", x=layer.x, t=layer.t, w0=layer.w, eta=eta,
         epochs=2, rng=Rng(seed), returned=[w, mistakes], suspects=RULES)


def _explain_epoch(layer: Layer, eta: float, seed: int, w: np.ndarray, mistakes: np.ndarray, passes,
                   student) -> None:
    """Fail train.online_epoch: the epoch (seed ``seed``) that ended at ``w`` with ``mistakes`` is no pass.  When
    the weights moved, the same epoch with another eta tells whether train uses its ``eta`` at all: weights that
    moved by the rule move by eta times something."""
    shown = {"x": layer.x, "t": layer.t, "w0": layer.w, "eta": eta, "epochs": 1, "rng": Rng(seed)}
    if any(np.array_equal(w, want_w) for want_w, _ in passes):
        counts = sorted({m for want_w, m in passes if np.array_equal(w, want_w)})
        fail(f"train: the weights are right but the epoch's number of mistakes is {mistakes[0]}, expected "
             f"{' or '.join(map(str, counts))} (the samples whose outputs were wrong when they were presented)",
             **shown, returned=mistakes, suspects=RULES)
    samples = "this sample" if layer.n == 1 else f"these {layer.n} samples"
    if np.array_equal(w, layer.w):
        fail(f"train: after one epoch on {samples} the weights are still w0, although an on-line pass of the "
             "perceptron rule changes them in every order: is every sample presented once in the epoch, is a "
             "sample updated when any of its outputs is wrong, does the loop over the epochs run `epochs` times, "
             "does train return the weights it updated?", **shown, returned=w, expected=passes[0][0], suspects=RULES)
    other = eta / 2
    w_other, _ = call_train(student, layer.x, layer.t, layer.w, other, 1, seed)
    if np.array_equal(w_other, w):
        fail(f"train: after one epoch on {samples} the weights are not those of an on-line pass of the perceptron "
             f"rule, and they are the same with eta = {other:g} as with eta = {eta:g}: does train update with the "
             "eta it is given, rather than a value of its own (a global, a constant)?", **shown, returned=w,
             expected=passes[0][0], suspects=RULES)
    fail(f"train: after one epoch on {samples} the weights are not those of an on-line pass of the "
         "perceptron rule over the samples, in any order", **shown, returned=w, expected=passes[0][0],
         suspects=RULES)


def _check_converged(student, case: Separable, eta: float, seed: int, epochs: int, what: str) -> None:
    w0 = np.zeros((case.x.shape[1], case.t.shape[1]))
    shown = {"x": case.x, "t": case.t, "w0": w0, "eta": eta, "epochs": epochs, "rng": Rng(seed)}
    w, mistakes = call_train(student, case.x, case.t, w0, eta, epochs, seed)
    total = int(mistakes.sum())
    if total > case.bound:
        fail(f"train made {total} mistakes in total on {what}, but the perceptron convergence theorem allows at most "
             f"(R / gamma)^2 = {case.bound:.4g} with these samples' radius R and margin gamma",
             **shown, separating_w=case.w_star, returned=mistakes, suspects=RULES + ONLINE_EPOCH)
    if mistakes[0] == 0 and np.any(case.t):
        fail("train counted no mistake in epoch 0, but with w0 = 0 every output is 0 until the first update, so the "
             "first sample presented with a target 1 is a mistake: count the mistakes of every epoch",
             **shown, returned=mistakes, suspects=RULES + ONLINE_EPOCH)
    clean = np.flatnonzero(mistakes == 0)
    if len(clean) and np.any(mistakes[clean[0]:]):
        fail(f"train: epoch {int(clean[0])} made no mistake, so the weights can no longer change, yet a later epoch "
             "counts mistakes", **shown, returned=mistakes, suspects=RULES + ONLINE_EPOCH)
    outputs = expected_outputs(case.x, w)
    if not np.array_equal(outputs, case.t):
        i = int(np.flatnonzero(np.any(outputs != case.t, axis=1))[0])
        fail(f"train did not end with zero training errors on {what} after {epochs} epochs (enough by the "
             f"convergence theorem): sample {index(i)} is still misclassified", **shown, separating_w=case.w_star,
             returned=w, suspects=RULES + ONLINE_EPOCH)


@check("train.converges_on_separable_data",
       "train on linearly separable data makes at most (R / gamma)^2 mistakes and ends with zero training errors",
       hint="Count a mistake each time a sample's outputs are wrong; update only then; shuffle with rng each epoch.",
       suspects=RULES, case=separable_sets(), eta=learning_rates(), seed=SEEDS)
def train_converges(student, case: Separable, eta, seed):
    _check_converged(student, case, eta, seed, math.floor(case.bound) + 1, "linearly separable data")


OR_X = bias_column(np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]))
OR_T = np.array([[0], [1], [1], [1]])


@check("train.learns_or", "train learns the OR gate from small random weights",
       suspects=RULES, w0=st.lists(st.integers(-10, 10), min_size=3, max_size=3), eta=learning_rates(), seed=SEEDS)
def train_learns_or(student, w0, eta, seed):
    w0 = np.array(w0, dtype=float).reshape(3, 1) / 1024  # uniform in [-0.01, 0.01] as in the course
    epochs = 50
    w, mistakes = call_train(student, OR_X, OR_T, w0, eta, epochs, seed)
    outputs = expected_outputs(OR_X, w)
    shown = {"x": OR_X, "t": OR_T, "w0": w0, "eta": eta, "epochs": epochs, "rng": Rng(seed),
             "returned": [w, mistakes], "expected_outputs": OR_T}
    if not np.array_equal(outputs, OR_T):
        fail(f"train did not learn OR in {epochs} epochs: the final weights give outputs {outputs[:, 0].tolist()} "
             "for the inputs (0,0), (0,1), (1,0), (1,1)", **shown, suspects=RULES + ONLINE_EPOCH)
    if mistakes[-1] != 0:
        # The weights are right: what is wrong is the count of the last epoch, which a perceptron that learnt OR
        # epochs earlier makes with no mistake.
        fail(f"train learnt OR (its final weights give the right outputs), but the mistakes it returned for the "
             f"last of its {epochs} epochs are {mistakes[-1]}, not 0: count in each epoch only that epoch's "
             "mistakes (start each epoch's count at 0)", **shown, suspects=RULES + ONLINE_EPOCH)


@check("train.reproducible", "train gives the same result for the same seed",
       hint=SEEDED_HINT,
       suspects=RULES, layer=layers(), eta=learning_rates(), seed=SEEDS)
def train_reproducible(student, layer: Layer, eta, seed):
    first = call_train(student, layer.x, layer.t, layer.w, eta, 3, seed)
    second = call_train(student, layer.x, layer.t, layer.w, eta, 3, seed)
    if not (same(first[0], second[0]) and same(first[1], second[1])):
        fail(f"train: {DIFFERENT_RUNS}", x=layer.x, t=layer.t, w0=layer.w, eta=eta, epochs=3, rng=Rng(seed),
             returned=[first[0], second[0]], suspects=RULES)


@check("train.shuffles_with_rng", "train presents the samples in an order drawn with rng: other seeds, other orders",
       hint=SHUFFLE_HINT,
       suspects=RULES, layer=FEW_SAMPLES, eta=learning_rates(), seed=SEEDS)
def train_shuffles(student, layer: Layer, eta, seed):
    outcomes = [w for w, _ in every_order(layer.x, layer.t, layer.w, eta)]
    most_common = max(sum(np.array_equal(a, b) for b in outcomes) for a in outcomes)
    # Only cases where at most half of the orders give the same weights: a shuffling train then gives the same
    # weights for all 24 seeds with probability at most 2^-24.
    assume(layer.n >= 3 and 2 * most_common <= len(outcomes))
    results = _weights_by_seed(student, layer, eta, 1, seed)
    first = next(results)
    if all(np.array_equal(first, other) for other in results):
        _check_probed_orders(student, seed)
        fail("train gave the same weights for 24 different seeds, although the order of the samples changes the "
             "result here: shuffle the samples with rng at every epoch", x=layer.x, t=layer.t, w0=layer.w, eta=eta,
             epochs=1, rng=seeds_text(seed, 24), returned=first, suspects=ONLINE_EPOCH)
    _check_new_order_every_epoch(student, layer, eta, seed, outcomes)


def _every_order_from(layer: Layer, eta: float) -> Callable[[np.ndarray], list[tuple[np.ndarray, int]]]:
    """:func:`every_order` from given weights, computed once for weights met again (orders often end at the same
    weights)."""
    seen: dict[bytes, list[tuple[np.ndarray, int]]] = {}

    def from_weights(w: np.ndarray) -> list[tuple[np.ndarray, int]]:
        key = np.asarray(w, dtype=float).tobytes()
        if key not in seen:
            seen[key] = every_order(layer.x, layer.t, w, eta)
        return seen[key]

    return from_weights


def _check_new_order_every_epoch(student, layer: Layer, eta: float, seed: int, firsts: list[np.ndarray]) -> None:
    """Two epochs: a train that draws no new order in the second epoch ends, for every seed, where some first order
    followed by a second order made from it without rng ends: the same order again, or the first order shuffled
    again the same way (see :func:`again_orders`).  Checked only when at most half of the pairs of orders end
    there: a train drawing a new order every epoch then ends there for all 24 seeds with probability at most
    2^-24.  ``firsts``: where one epoch ends in each order (:func:`every_order`, in ``itertools.permutations``
    order).  The pairs come first: computed here, they cost no call, and most examples end every pair where an
    order presented twice does (the perceptron stops moving).  A shuffle that draws only some orders ends there
    too: its message names what its first orders show (:func:`_check_first_orders`)."""
    seconds = _every_order_from(layer, eta)
    orders = list(itertools.permutations(range(layer.n)))
    position = {order: k for k, order in enumerate(orders)}
    suspects = [seconds(first)[position[again(order)]][0] for again in again_orders()
                for order, first in zip(orders, firsts)]

    def repeats(w: np.ndarray) -> bool:
        return any(np.array_equal(w, end) for end in suspects)

    pairs = [second for first in firsts for second, _ in seconds(first)]
    if 2 * sum(repeats(end) for end in pairs) > len(pairs):
        return
    results = _weights_by_seed(student, layer, eta, 2, seed)
    first = next(results)
    if repeats(first) and all(repeats(w) for w in results):
        _check_first_orders(student, layer, eta, seed, orders, firsts)
        fail("train: with 2 epochs, for 24 different seeds, the weights are those of a second epoch whose order was "
             "not drawn with rng: the first order presented again, or shuffled again the same way (a generator "
             "restarted from the seed at every epoch). Draw a new order with rng at every epoch (inside the loop "
             "over epochs), from a generator that goes on",
             x=layer.x, t=layer.t, w0=layer.w, eta=eta, epochs=2, rng=seeds_text(seed, 24),
             returned=first, suspects=ONLINE_EPOCH)


def _check_first_orders(student, layer: Layer, eta: float, seed: int, orders: list[tuple[int, ...]],
                        firsts: list[np.ndarray]) -> None:
    """Fail with what the first orders share (:func:`order_flaw`) when they show why the second epoch repeats the
    first (a shuffle of n - 1 samples, or one moving every sample, draws few orders).  Each seed's one epoch ends
    where the orders of ``firsts`` ending there do: the flaw is named only when all of them have it.  Run only when
    the check fails anyway (24 more calls)."""
    weights = list(_weights_by_seed(student, layer, eta, 1, seed))
    _fail_with_flaw(layer, eta, seed, weights, _first_orders_flaw(weights, orders, firsts), "")


def _first_orders_flaw(weights: list[np.ndarray], orders: list[tuple[int, ...]], firsts: list[np.ndarray]) -> str:
    """:func:`order_flaw` of the orders each seed's one epoch (ending at ``weights``) may have presented: those of
    ``orders`` whose epoch ends there (``firsts``)."""
    return order_flaw([{order for order, end in zip(orders, firsts) if np.array_equal(w, end)} for w in weights])


def _fail_with_flaw(layer: Layer, eta: float, seed: int, weights: list[np.ndarray], flaw: str, where: str) -> None:
    """Fail with ``flaw`` (what one epoch of each seed from ``seed`` on ``layer`` shows, ``where``: words saying
    which samples), unless it is empty."""
    if flaw:
        fail(f"train: in the first epoch of each of 24 different seeds{where}, {flaw}", x=layer.x, t=layer.t,
             w0=layer.w, eta=eta, epochs=1, rng=seeds_text(seed, 24), returned=weights[0], suspects=ONLINE_EPOCH)


def _order_probe(n: int) -> Layer:
    """``n`` samples whose every order ends one epoch (eta = 1) at different weights, so the weights tell the order.
    Sample i is the unit vector e_i (then the bias input -1); one output per pair a < b of samples, with targets 1
    for a and b, 0 for the others, and weights 0 for a, b and the bias, -n for the others: h = 0 gives 0, so the
    first of a and b presented is a mistake, its update (weight +1 on it, bias weight -1) makes the other's h = 1
    right, and the others' h stays below 0.  The output ends with weight 1 on whichever of a and b came first: the
    outputs of all the pairs give the order.  Arithmetic is exact."""
    pairs = list(itertools.combinations(range(n), 2))
    w = np.full((n + 1, len(pairs)), -float(n))
    t = np.zeros((n, len(pairs)), dtype=np.int64)
    for column, pair in enumerate(pairs):
        w[list(pair) + [n], column] = 0.0
        t[list(pair), column] = 1
    return Layer(x=bias_column(np.eye(n)), w=w, t=t)


#: The example :func:`_check_probed_orders` observes the orders on.  4 samples, not 3: a shuffle that leaves out
#: the last two samples still draws two orders of them, both with the last sample last, where with 3 it draws one.
ORDER_PROBE = _order_probe(4)


def _check_probed_orders(student, seed: int) -> None:
    """Fail with what the first orders share (:func:`order_flaw`) on :data:`ORDER_PROBE`, when train gave the same
    weights for every seed on an example where only some orders end apart: a shuffle drawing few orders (the last
    sample left out, every sample moved) may draw only orders ending at the same weights there, and so look like no
    shuffle at all.  Run only when the check fails anyway (24 more calls, with the same seeds); it only chooses the
    message, so a train the probe cannot run on, or whose weights show no order, keeps the generic one."""
    probe = ORDER_PROBE
    try:
        weights = list(_weights_by_seed(student, probe, 1.0, 1, seed))
    except (CheckFailed, StudentRaised):
        return
    orders = list(itertools.permutations(range(probe.n)))
    firsts = [w for w, _ in every_order(probe.x, probe.t, probe.w, 1.0)]
    where = f" on these {probe.n} samples (made so that the order they are presented in shows in the weights)"
    _fail_with_flaw(probe, 1.0, seed, weights, _first_orders_flaw(weights, orders, firsts), where)


def _weights_by_seed(student, layer: Layer, eta: float, epochs: int, seed: int) -> Iterator[np.ndarray]:
    """The weights train returns for each of the 24 seeds from ``seed``, a few seeds first (see
    :func:`seeds_in_stages`)."""
    def weights(seeds: list[int]) -> list[np.ndarray]:
        return [w for w, _ in call_trains(student, layer.x, layer.t, layer.w, eta, epochs, seeds)]

    return seeds_in_stages(weights, seed, 24)


@check("train.equivariant", "train: permuting the inputs permutes the weights; scaling the initial weights and eta "
       "changes no output",
       suspects=RULES, layer=layers(), eta=learning_rates(), seed=SEEDS, data=st.data())
def train_equivariant(student, layer: Layer, eta, seed, data):
    epochs = 3
    w, mistakes = call_train(student, layer.x, layer.t, layer.w, eta, epochs, seed)
    perm = np.array(data.draw(st.permutations(range(layer.in_dim)), label="permutation") + [layer.in_dim])
    shown = {"x": layer.x, "t": layer.t, "w0": layer.w, "eta": eta, "epochs": epochs, "rng": Rng(seed)}
    w_p, mistakes_p = call_train(student, layer.x[:, perm], layer.t, layer.w[perm], eta, epochs, seed)
    if not (np.array_equal(w_p, w[perm]) and np.array_equal(mistakes_p, mistakes)):
        fail(f"train: with the inputs in the order [{', '.join(index(k) for k in perm)}] (and the rows of w0 alike), the weights should be "
             "the same rows in that order, with the same mistakes", **shown, permutation=indices(perm),
             returned=[w_p, mistakes_p], expected=[w[perm], mistakes], suspects=ONLINE_EPOCH + RULES)
    # Every weight, hence every h, is multiplied by the factor along the whole run: the same outputs, the same
    # mistakes.  (The inputs are not scaled: the bias input is -1 by contract.)
    factor = 2.0 ** data.draw(st.integers(-3, 3), label="power of two")
    w_s, mistakes_s = call_train(student, layer.x, layer.t, layer.w * factor, eta * factor, epochs, seed)
    same_outputs = np.array_equal(expected_outputs(layer.x, w_s), expected_outputs(layer.x, w))
    if not (same_outputs and np.array_equal(mistakes_s, mistakes)):
        fail(f"train: multiplying the initial weights and eta by {factor:g} must change no output and no mistake "
             "count (every weight is multiplied by it too)", **shown, factor=factor,
             returned=[w_s, mistakes_s], expected=[w * factor, mistakes], suspects=ONLINE_EPOCH + RULES)


@check("train.inputs_untouched", "train leaves x, t and w0 unchanged",
       hint={"python": "Start from a copy of w0: w = w0.copy(); shuffle indices, not the arrays themselves.",
             "c": "Copy w0 into w (memcpy) and train there; shuffle an array of indices, never x or t.",
             "fortran": "Start from w = w0 and train w; shuffle an array of indices, never x or t."},
       suspects=RULES, layer=layers(), eta=learning_rates(), seed=SEEDS)
def train_untouched(student, layer: Layer, eta, seed):
    with precondition():
        call_train(student, layer.x, layer.t, layer.w, eta, 2, seed)
    _, args = student.call_with_args("train", layer.x, layer.t, layer.w, eta, 2, Rng(seed))
    for name, sent, back in zip(("x", "t", "w0"), (layer.x, layer.t, layer.w), args):
        if not same(back, sent):
            fail(f"train modified the array {name} it was given", x=layer.x, t=layer.t, w0=layer.w, eta=eta,
                 epochs=2, rng=Rng(seed), **{f"{name}_afterwards": back})
