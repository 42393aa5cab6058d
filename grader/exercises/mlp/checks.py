"""Public checks of the multi-layer perceptron: the forward pass, back-propagation (a gradient check), training
and prediction, for any number of inputs, hidden neurons and outputs.

No check computes back-propagation: a step is checked against its defining property, ``-eta grad E`` with
``grad E`` by finite differences of the error (:func:`grader.exercises.mlp.network.numerical_gradient`), and
an epoch of training is observed through the student's own ``backprop`` (the contract says train takes one
backprop step per sample), each of its steps then checked against that property.

Every tolerance is derived for the least precise arithmetic the exercise's precision policy accepts
(``precision:`` in ``config.yaml``): a value within the single-precision bound but beyond the double one is
accepted under ``single-or-double`` (the report notes "computed in single precision" once) and explained in
words under ``double``; a value beyond the single-precision bound is wrong under either policy.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from typing import Any, Callable, Iterator, Optional, Sequence, Union

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

from grader.authoring import CheckContext, CheckFailed, check, fail, index, indices, precondition
from grader.exercises.mlp import network
from grader.exercises.mlp.network import EPS, SINGLE_EPS
from grader.exercises.mlp.calls import (FORWARD_SHAPES, call_backprop, call_backprops, call_forward, call_predict,
                                     call_train, call_trains, classes_returned)
from grader.exercises.perceptron.calls import (DIFFERENT_RUNS, SEEDED_HINT, SHUFFLE_HINT, again_orders, order_flaw, seeds_in_stages,
                                              seeds_text)
from grader.exercises.perceptron.calls import same as _same
from grader.exercises.mlp.strategies import Net, betas, nets, rates
from grader.precision import Rounding
from grader.student import TIME_LIMITS, CallAborted, NotImplementedYet, StudentRaised, call_each
from grader.wire import Rng

SEEDS = st.integers(0, 2**32 - 1)
GRADIENT_STEP = "backprop.gradient_step"
#: The checks of the forward pass: a failure computed with the student's own forward probably comes from them.
FORWARD = (FORWARD_SHAPES, "forward.bias_node", "forward.logistic")


def _gap(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """|a - b| entry by entry, 0 where both are NaN: for properties relating two results of the student's code
    (a NaN there is the same NaN, owned by the check of the values)."""
    with np.errstate(invalid="ignore"):
        return np.where(np.isnan(a) & np.isnan(b), 0.0, np.abs(a - b))


@dataclass(frozen=True)
class _Bounds:
    """How far a value is from the expected one, the bounds of double- and single-precision rounding on that
    distance (arrays of one shape, or scalars), and the expected value (for the relative difference)."""

    difference: np.ndarray
    double: Union[np.ndarray, float]
    single: Union[np.ndarray, float]
    expected: np.ndarray


def _offending(rounding: Rounding, bounds: Sequence[_Bounds]) -> Optional[tuple[int, tuple[int, ...], str]]:
    """The first entry the policy does not accept: (which of ``bounds``, its index, words to add to the message).

    An entry beyond single-precision rounding (or NaN) is wrong whatever the policy (no words added).  Otherwise
    an entry beyond double-precision rounding is single-precision-sized: accepted (and noted once) when the
    policy accepts single precision, else reported with the words saying so.  None: every entry accepted.
    """
    for which, item in enumerate(bounds):
        wrong = ~(np.asarray(item.difference) <= item.single)
        if np.any(wrong):
            return which, tuple(int(k) for k in np.argwhere(wrong)[0]), ""
    for which, item in enumerate(bounds):
        beyond = ~(np.asarray(item.difference) <= item.double)
        if np.any(beyond):
            if rounding.accept_single():
                return None
            index = tuple(int(k) for k in np.argwhere(beyond)[0])
            difference = float(np.asarray(item.difference)[index])
            reference = float(np.broadcast_to(item.expected, np.shape(item.difference))[index])
            return which, index, ": " + Rounding.explain("it differs from the expected value", difference, reference)
    return None


# --- forward pass ---------------------------------------------------------------------------------------------


@check("forward.shapes", "forward returns (hidden, y): hidden (n, hid_dim + 1) with the bias node, y (n, out_dim)",
       hint="Return two arrays: the hidden activations with a last column of -1 appended, and the outputs.",
       net=nets(), beta=betas())
def forward_shapes(student, net: Net, beta):
    call_forward(student, net.x, net.w1, net.w2, beta)


@check("forward.bias_node", "forward: the hidden layer ends with the bias node, fixed at -1",
       hint="After computing the hidden activations, append a column of -1: it feeds the last row of w2.",
       net=nets(), beta=betas())
def forward_bias_node(student, net: Net, beta):
    hidden, _ = call_forward(student, net.x, net.w1, net.w2, beta)
    if not np.all(hidden[:, -1] == -1):
        fail(f"forward: the last hidden activation must be the bias node -1, got {hidden[:, -1].tolist()}",
             **net.inputs(beta=beta), returned=hidden)


@check("forward.logistic", "forward: hidden = sigma(beta x.w1), y = sigma(beta hidden.w2), outputs in (0, 1)",
       hint={"python": "sigma(h) = 1 / (1 + np.exp(-beta * h)); the outputs use the hidden activations including "
                       "the bias node.",
             "c": "sigma(h) = 1 / (1 + exp(-beta * h)) (exp of math.h); the outputs use the hidden activations "
                  "including the bias node.",
             "fortran": "sigma(h) = 1 / (1 + exp(-beta * h)); the outputs use the hidden activations including the "
                        "bias node."},
       net=nets(), beta=betas())
def forward_logistic(student, net: Net, beta, context: CheckContext):
    """The logistic neurons: the hidden ones (not the bias node, forward.bias_node's), then the outputs, each
    sigma(beta hidden.w2) of the hidden layer returned: with the contract's bias node -1, or with the one the
    student returned (whose value then costs forward.bias_node only, a wrong bias node being one bug)."""
    rounding = Rounding.of(context)
    hidden, y = call_forward(student, net.x, net.w1, net.w2, beta)
    want_hidden, want_y = network.forward(net.x, net.w1, net.w2, beta)
    double, single = (network.forward_tolerance(net.x, net.w1, net.w2, beta, unit) for unit in (EPS, SINGLE_EPS))
    shown = {**net.inputs(beta=beta)}
    del shown["t"]
    # A wrong neuron where the bias node is wrong too (a layout that does not put it last): probably one bug.
    neurons = np.s_[:, :-1]
    found = _offending(rounding, [_Bounds(np.abs(hidden[neurons] - want_hidden[neurons]), double[0][neurons],
                                          single[0][neurons], want_hidden[neurons])])
    if found is not None:
        _, (i, j), words = found
        fail(f"forward: hidden neuron {index(j)} of sample {index(i)} is {hidden[i, j]:.9g}, expected sigma(beta h) = "
             f"{want_hidden[i, j]:.9g}{words}", **shown, returned=hidden, expected=want_hidden,
             suspects=() if words or np.all(hidden[:, -1] == -1) else ("forward.bias_node",))
    # Single precision rounds sigma(beta h) to exactly 1 once beta h is above about 17: such an output is within
    # rounding of the expected one, judged below as rounding (accepted or explained), not as a value outside (0, 1).
    outside = ~((y > 0) & (y < 1)) & ~(np.abs(y - want_y) <= single[1])
    if np.any(outside):
        fail("forward: logistic outputs lie strictly between 0 and 1", **shown, returned=y)
    found = _offending(rounding, [_Bounds(np.abs(y - want_y), double[1], single[1], want_y)])
    if found is not None and not _outputs_of_own_hidden(net, beta, hidden[:, -1], y, rounding):
        _, (i, j), words = found
        fail(f"forward: output {index(j)} of sample {index(i)} is {y[i, j]:.9g}, expected sigma(beta h) = {want_y[i, j]:.9g}"
             f"{words}", **shown, returned=y, expected=want_y)


def _outputs_of_own_hidden(net: Net, beta: float, bias: np.ndarray, y: np.ndarray, rounding: Rounding) -> bool:
    """The outputs ``y`` are sigma(beta hidden.w2) of a hidden layer whose bias node is ``bias`` (the student's,
    when it is not -1), within the rounding the policy accepts."""
    if np.all(bias == -1) or not np.all(np.isfinite(bias)):
        return False
    own_y = network.forward(net.x, net.w1, net.w2, beta, bias)[1]
    double, single = (network.forward_tolerance(net.x, net.w1, net.w2, beta, unit, bias)[1] for unit in (EPS, SINGLE_EPS))
    return _offending(rounding, [_Bounds(np.abs(y - own_y), double, single, own_y)]) is None


@check("forward.zero_weights", "forward: a network whose weights are all zero outputs 1/2",
       net=nets(), beta=betas())
def forward_zero_weights(student, net: Net, beta):
    w1, w2 = np.zeros_like(net.w1), np.zeros_like(net.w2)
    _, y = call_forward(student, net.x, w1, w2, beta)
    if np.any(np.abs(y - 0.5) > 4 * network.EPS):
        fail("forward: with all weights zero every h is 0 and every output sigma(0) = 1/2", x=net.x, w1=w1, w2=w2,
             beta=beta, returned=y, expected=np.full_like(y, 0.5))


@check("forward.hidden_permutation", "forward: permuting the hidden neurons permutes the hidden layer and changes "
       "no output", net=nets(), beta=betas(), data=st.data())
def forward_hidden_permutation(student, net: Net, beta, data, context: CheckContext):
    perm = np.array(data.draw(st.permutations(range(net.hid_dim)), label="permutation"))
    rows = np.append(perm, net.hid_dim)  # the bias node stays last
    hidden, y = call_forward(student, net.x, net.w1, net.w2, beta)
    hidden_p, y_p = call_forward(student, net.x, net.w1[:, perm], net.w2[rows], beta)
    # Each hidden neuron's sum is the same sum (a couple of ulps of an activation at most); the outputs' sums over
    # the hidden neurons change order: within the forward bounds of the two runs.
    (_, y_d), (_, y_s) = (network.forward_tolerance(net.x, net.w1, net.w2, beta, unit) for unit in (EPS, SINGLE_EPS))
    found = _offending(Rounding.of(context), [
        _Bounds(_gap(hidden_p, hidden[:, rows]), 2 * EPS, 2 * SINGLE_EPS, hidden[:, rows]),
        _Bounds(_gap(y_p, y), 2 * y_d, 2 * y_s, y)])
    if found is not None:
        fail(f"forward: with the hidden neurons in the order [{', '.join(index(k) for k in perm)}] (columns of w1, rows of w2, the bias "
             f"node last) the hidden layer should be permuted alike and the outputs unchanged{found[2]}",
             x=net.x, w1=net.w1, w2=net.w2, beta=beta, permutation=indices(perm), returned=[hidden_p, y_p],
             expected=[hidden[:, rows], y])


@check("forward.inputs_untouched", "forward leaves x, w1 and w2 unchanged", net=nets(), beta=betas())
def forward_untouched(student, net: Net, beta):
    _, args = student.call_with_args("forward", net.x, net.w1, net.w2, beta)
    for name, sent, back in zip(("x", "w1", "w2"), (net.x, net.w1, net.w2), args):
        if not _same(back, sent):
            fail(f"forward modified the array {name} it was given", x=net.x, w1=net.w1, w2=net.w2, beta=beta,
                 **{f"{name}_afterwards": back})


# --- back-propagation -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _WrongStep:
    """A weight that a step moved otherwise than gradient descent: what to say, the new weights and the step's."""

    what: str
    returned: np.ndarray
    expected: np.ndarray


def _wrong_step(x: np.ndarray, t: np.ndarray, w1: np.ndarray, w2: np.ndarray, new_w1: np.ndarray,
                new_w2: np.ndarray, eta: float, beta: float, rounding: Rounding) -> Optional[_WrongStep]:
    """The first weight that the step from (w1, w2) to (new_w1, new_w2) on the sample (x, t) does not move by
    -eta dE/dw, dE by finite differences within their derived tolerance plus the rounding of back-propagation in
    the arithmetic the policy accepts (None: a gradient step)."""
    (g1, g2), (tol1, tol2) = network.numerical_gradient(x, t, w1, w2, beta)
    rounding_d, rounding_s = (network.gradient_rounding(x, t, w1, w2, beta, unit) for unit in (EPS, SINGLE_EPS))
    names, olds, news, gradients = ("w1", "w2"), (w1, w2), (new_w1, new_w2), (g1, g2)
    bounds = []
    for old, new, gradient, tol, r_d, r_s in zip(olds, news, gradients, (tol1, tol2), rounding_d, rounding_s):
        # The step divided by eta carries the rounding of w - eta * g (a few units of |w|), amplified by 1/eta.
        slack_d = tol + r_d + 8 * EPS * (np.abs(old) + np.abs(new)) / eta
        slack_s = tol + r_s + 8 * SINGLE_EPS * (np.abs(old) + np.abs(new)) / eta
        bounds.append(_Bounds(np.abs((new - old) + eta * gradient), eta * slack_d, eta * slack_s, eta * gradient))
    found = _offending(rounding, bounds[::-1])  # w2 first: its gradient is the simpler one
    if found is None:
        return None
    which, (i, j), words = found
    k = 1 - which
    name, old, new = names[k], olds[k], news[k]
    # What is shown is the exact step (the finite differences carry a rounding that would make right entries of
    # the student's look wrong).
    step = network.gradient_step(x, t, w1, w2, eta, beta)[k]
    return _WrongStep(f"{name}[{i}, {j}] moved by {new[i, j] - old[i, j]:.6g}, but one step of gradient descent moves "
                      f"it by -eta dE/d{name}[{i}, {j}] = {step[i, j] - old[i, j] + 0.0:.6g} (E = 1/2 sum (y - t)^2)"
                      f"{words}", new, step)


@check("backprop.gradient_step", "backprop takes the step -eta grad E, grad E by central finite differences of "
       "E = 1/2 sum (y - t)^2",
       hint={"python": "delta_o = beta (y - t) y (1 - y); delta_h = beta a (1 - a) (w2 @ delta_o) for the real "
                       "hidden neurons (not the bias node), with the old w2; then w1 -= eta outer(x, delta_h), "
                       "w2 -= eta outer(hidden, delta_o).",
             "c": "delta_o[k] = beta (y[k] - t[k]) y[k] (1 - y[k]); delta_h[h] = beta a[h] (1 - a[h]) sum over k of "
                  "w2[h*out_dim + k] delta_o[k], for the real hidden neurons (not the bias node), with the old w2; "
                  "then new_w1[j*hid_dim + h] = w1[j*hid_dim + h] - eta x[j] delta_h[h] and new_w2[h*out_dim + k] = "
                  "w2[h*out_dim + k] - eta hidden[h] delta_o[k].",
             "fortran": "delta_o(k) = beta (y(k) - t(k)) y(k) (1 - y(k)); delta_h(h) = beta a(h) (1 - a(h)) "
                        "sum(w2(h, :) * delta_o), for the real hidden neurons (not the bias node), with the old w2; "
                        "then new_w1(j, h) = w1(j, h) - eta x(j) delta_h(h) and new_w2(h, k) = w2(h, k) - eta "
                        "hidden(h) delta_o(k)."},
       suspects=("forward.shapes",), net=nets(max_n=1), eta=rates(), beta=betas())
def backprop_gradient_step(student, net: Net, eta, beta, context: CheckContext):
    x, t = net.x[0], net.t[0]
    new_w1, new_w2 = call_backprop(student, x, t, net.w1, net.w2, eta, beta)
    wrong = _wrong_step(x, t, net.w1, net.w2, new_w1, new_w2, eta, beta, Rounding.of(context))
    if wrong is not None and net.w1.shape == net.w2.shape and _wrong_step(
            x, t, net.w1, net.w2, new_w2, new_w1, eta, beta, Rounding.of(context)) is None:
        fail("backprop returned the new weights in the order (w2, w1): they are a step of gradient descent once "
             "swapped; return (w1, w2)", x=x, t=t, w1=net.w1, w2=net.w2, eta=eta, beta=beta,
             returned=[new_w1, new_w2], expected=[new_w2, new_w1])
    if wrong is not None:
        fail(f"backprop: {wrong.what}", x=x, t=t, w1=net.w1, w2=net.w2, eta=eta, beta=beta, returned=wrong.returned,
             expected=wrong.expected, suspects=FORWARD)


@check("backprop.hidden_permutation", "backprop: permuting the hidden neurons permutes the new weights",
       suspects=("forward.shapes",), net=nets(max_n=1), eta=rates(), beta=betas(), data=st.data())
def backprop_hidden_permutation(student, net: Net, eta, beta, data, context: CheckContext):
    perm = np.array(data.draw(st.permutations(range(net.hid_dim)), label="permutation"))
    rows = np.append(perm, net.hid_dim)
    x, t = net.x[0], net.t[0]
    w1, w2 = call_backprop(student, x, t, net.w1, net.w2, eta, beta)
    w1_p, w2_p = call_backprop(student, x, t, net.w1[:, perm], net.w2[rows], eta, beta)
    # Only the order of sums over hidden neurons changes: rounding, a few ulps of each product involved; in single
    # precision the two gradients may each be anywhere within their rounding bound.
    scale = (1 + np.abs(net.w1).max() + np.abs(net.w2).max()) * (1 + eta)
    r1, r2 = network.gradient_rounding(x, t, net.w1, net.w2, beta, SINGLE_EPS)
    found = _offending(Rounding.of(context), [
        _Bounds(_gap(w1_p, w1[:, perm]), 64 * EPS * scale, 64 * SINGLE_EPS * scale + 2 * eta * r1[:, perm],
                w1[:, perm]),
        _Bounds(_gap(w2_p, w2[rows]), 64 * EPS * scale, 64 * SINGLE_EPS * scale + 2 * eta * r2[rows], w2[rows])])
    if found is not None:
        fail(f"backprop: with the hidden neurons in the order [{', '.join(index(k) for k in perm)}] (columns of w1, rows of w2, the bias "
             f"node last) the new weights should be permuted alike{found[2]}", x=x, t=t, w1=net.w1, w2=net.w2, eta=eta,
             beta=beta, permutation=indices(perm), returned=[w1_p, w2_p], expected=[w1[:, perm], w2[rows]])


@check("backprop.inputs_untouched", "backprop returns new weights and leaves x, t, w1 and w2 unchanged",
       hint={"python": "Work on copies: new_w1 = w1 - ..., not w1 -= ... (that changes the caller's array).",
             "c": "Write only into new_w1 and new_w2: x, t, w1 and w2 are const.",
             "fortran": "Assign only to new_w1 and new_w2: x, t, w1 and w2 are intent(in)."},
       suspects=("forward.shapes",), net=nets(max_n=1), eta=rates(), beta=betas())
def backprop_untouched(student, net: Net, eta, beta):
    x, t = net.x[0], net.t[0]
    with precondition():
        call_backprop(student, x, t, net.w1, net.w2, eta, beta)
    _, args = student.call_with_args("backprop", x, t, net.w1, net.w2, eta, beta)
    for name, sent, back in zip(("x", "t", "w1", "w2"), (x, t, net.w1, net.w2), args):
        if not _same(back, sent):
            fail(f"backprop modified the array {name} it was given", x=x, t=t, w1=net.w1, w2=net.w2, eta=eta,
                 beta=beta, **{f"{name}_afterwards": back})


# --- training -------------------------------------------------------------------------------------------------


class _ContractBackprop:
    """The student, whose ``backprop`` is back-propagation as the course states it, computed here
    (:func:`network.gradient_step`): a ``train`` that does its own back-propagation, without calling
    ``backprop``, is judged by it when the student's own ``backprop`` does not explain its weights."""

    def __init__(self, student: Any) -> None:
        self._student = student

    def call(self, function: str, *args: Any, **kwargs: Any) -> Any:
        if function == "backprop":
            return network.gradient_step(*args, **kwargs)
        return self._student.call(function, *args, **kwargs)

    def call_each(self, function: str, calls) -> Iterator[Any]:
        if function == "backprop":
            return (network.gradient_step(*args, **kwargs) for args, kwargs in calls)
        return iter(call_each(self._student, function, calls))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._student, name)


def _steps_of(student: Any) -> str:
    """Whose back-propagation steps the weights are compared with, in a message."""
    return "back-propagation as the course states it" if isinstance(student, _ContractBackprop) else "your backprop"


def _own_backprop_or_the_contracts(body: Callable[..., None]) -> Callable[..., None]:
    """A check of ``train`` observed through back-propagation steps: through the student's own ``backprop`` (so
    that a train calling a wrong backprop is blamed on backprop alone), else through the contract's.  A train
    that does its own back-propagation is judged on what it does, whatever the state of ``backprop`` (wrong, not
    written yet, crashing).  When both fail, the failure told is that of the student's backprop, unless that
    backprop could not be called."""
    @functools.wraps(body)
    def judged(student, *args: Any, **kwargs: Any) -> None:
        # The notes an attempt made (single precision seen) are kept only with the outcome they belong to.
        context = next((arg for arg in (*args, *kwargs.values()) if isinstance(arg, CheckContext)), CheckContext())
        before = context.saved_notes()
        try:
            body(student, *args, **kwargs)
        except (NotImplementedYet, StudentRaised, CallAborted) as error:
            # A backprop that runs out of time is not called again for every example (each would wait as long):
            # the check times out as for any call.
            if error.call is None or error.call.function != "backprop" or (
                    isinstance(error, CallAborted) and error.kind in TIME_LIMITS):
                raise
            context.restore_notes(before)
            try:
                body(_ContractBackprop(student), *args, **kwargs)
            except CheckFailed as failure:
                # train did not call that backprop (it would have failed with it): its failure is its own.
                raise CheckFailed(failure.message, failure.counterexample,
                                  tuple(suspect for suspect in failure.suspects
                                        if not suspect.startswith("backprop."))) from None
        except CheckFailed as failure:
            first = context.saved_notes()
            context.restore_notes(before)
            try:
                body(_ContractBackprop(student), *args, **kwargs)
            except CheckFailed:
                context.restore_notes(first)
                raise failure from None

    return judged


def _backprop_epochs(student, net: Net, eta: float,
                     beta: float) -> list[tuple[tuple[int, ...], list[tuple[np.ndarray, np.ndarray]]]]:
    """For every order of the samples (in lexicographic order), the weights along one epoch of the student's own
    backprop steps (the start, then after each step), the steps that orders share computed once.  The steps of one
    depth are independent: they go to the student in one round trip."""
    level: list[tuple[tuple[int, ...], list[tuple[np.ndarray, np.ndarray]]]] = [((), [(net.w1, net.w2)])]
    for _ in range(net.n):
        children = [(order + (i,), states) for order, states in level for i in range(net.n) if i not in order]
        steps = [(net.x[order[-1]], net.t[order[-1]], *states[-1], eta, beta) for order, states in children]
        level = [(order, states + [after]) for (order, states), after in zip(children, call_backprops(student, steps))]
    return level


def _pass_tolerance(net: Net, unit: float) -> float:
    # Two correct computations of a few smooth steps, each a contraction or a mild expansion (slopes at most
    # beta / 4 <= 1/2, eta <= 1): their rounding stays within a small multiple of the rounding of one step.
    return 1024 * unit * (1 + np.abs(net.w1).max() + np.abs(net.w2).max())


def _matching_orders(net: Net, w1: np.ndarray, w2: np.ndarray, epochs, unit: float):
    """The orders (with their states) whose last backprop step ends within the pass tolerance of (w1, w2)."""
    tol = _pass_tolerance(net, unit)

    def close(got: np.ndarray, end: np.ndarray) -> bool:
        # NaN where the student's own backprop steps end at NaN: the epoch is theirs, the NaN forward's or backprop's.
        return bool(np.all((np.abs(got - end) <= tol) | (np.isnan(got) & np.isnan(end))))

    return [(order, states) for order, states in epochs if close(w1, states[-1][0]) and close(w2, states[-1][1])]


@check("train.online_epoch", "train: one epoch is one back-propagation step per sample, in some order, each a "
       "step of gradient descent",
       hint="For each sample in the order shuffled with rng: backprop on that sample, then the next sample starts "
            "from the new weights.",
       suspects=(FORWARD_SHAPES, GRADIENT_STEP, "backprop.inputs_untouched"), net=nets(max_n=3), eta=rates(), beta=betas(),
       seed=SEEDS)
@_own_backprop_or_the_contracts
def train_online_epoch(student, net: Net, eta, beta, seed, context: CheckContext):
    """Observed through the student's own backprop: train must end where one backprop step per sample ends
    for some order, and each step of that epoch must be a gradient step from where it starts."""
    rounding = Rounding.of(context)
    w1, w2, _ = call_train(student, net.x, net.t, net.w1, net.w2, eta, beta, 1, seed)
    shown = net.inputs(eta=eta, beta=beta, epochs=1, rng=Rng(seed))
    epochs = _backprop_epochs(student, net, eta, beta)
    matching = _matching_orders(net, w1, w2, epochs, EPS)
    samples = "this sample" if net.n == 1 else f"these {net.n} samples"
    words = (f"the weights are not those of one backprop step per sample ({_steps_of(student)}, each step starting "
             "from the weights the previous one returned), in any order")
    if not matching:
        matching = _matching_orders(net, w1, w2, epochs, SINGLE_EPS)
        if not matching:
            if _near((w1, w2), (net.w1, net.w2), 0.0) and not any(_near(states[-1], (net.w1, net.w2), 0.0)
                                                                  for _, states in epochs):
                fail(f"train: after one epoch on {samples} the weights are still the initial w1 and w2, although "
                     "one backprop step per sample changes them in every order: is every sample presented once in the "
                     "epoch, does the loop over the epochs run `epochs` times, does train return the weights it "
                     "updated?", **shown, returned=[w1, w2],
                     expected=list(epochs[0][1][-1]))
            unused = _unused_argument(student, net, eta, beta, seed, (w1, w2)) or _two_epochs(
                student, net, eta, beta, epochs, (w1, w2))
            fail(f"train: after one epoch on {samples} {words}{unused}", **shown, returned=[w1, w2],
                 expected=list(epochs[0][1][-1]), suspects=FORWARD + (GRADIENT_STEP, "backprop.inputs_untouched"))
        if not rounding.accept_single():
            last = matching[0][1][-1]
            difference = max(float(np.abs(w1 - last[0]).max()), float(np.abs(w2 - last[1]).max()))
            fail(f"train: after one epoch on {samples} {words}: "
                 + Rounding.explain("they differ from those of one backprop step per sample", difference,
                                    max(float(np.abs(last[0]).max()), float(np.abs(last[1]).max()))),
                 **shown, returned=[w1, w2], expected=list(last))
    order, states = matching[0]
    for k, i in enumerate(order):
        (w1_before, w2_before), (w1_after, w2_after) = states[k], states[k + 1]
        wrong = _wrong_step(net.x[i], net.t[i], w1_before, w2_before, w1_after, w2_after, eta, beta, rounding)
        if wrong is not None:
            fail(f"train: the epoch is one backprop step per sample in the order [{', '.join(index(sample) for sample in order)}], but "
                 f"its step {k + 1}, on sample {index(i)}, is not a step of gradient descent: {wrong.what}", suspects=(GRADIENT_STEP,),
                 **shown, **{f"weights before step {k + 1}": list(states[k])}, returned=wrong.returned,
                 expected=wrong.expected)
    if net.n <= 2:
        _check_second_epoch(student, net, eta, beta, seed, epochs)
        _check_rising_error(student, seed)


def _unused_argument(student, net: Net, eta: float, beta: float, seed: int, weights) -> str:
    """The end of train.online_epoch's message when the epoch ends at the same ``weights`` with another eta, or
    another beta: train does not use the one it is given (a notebook's global ETA or BETA); "" otherwise."""
    for name, changed in (("eta", {"eta": eta / 2, "beta": beta}), ("beta", {"eta": eta, "beta": beta * 2})):
        w1, w2, _ = call_train(student, net.x, net.t, net.w1, net.w2, changed["eta"], changed["beta"], 1, seed)
        if _near((w1, w2), weights, 0.0):
            return (f", and they are the same with {name} = {changed[name]:g} as with {name} = "
                    f"{eta if name == 'eta' else beta:g}: does train use the {name} it is given (passing it on to "
                    "the functions it calls), rather than a value of its own (a global, a constant)?")
    return ""


def _two_epochs(student, net: Net, eta: float, beta: float, epochs, weights) -> str:
    """The end of train.online_epoch's message when its one epoch ended where two epochs end (in some orders):
    the loop over the epochs runs once too often; "" otherwise."""
    tol = _pass_tolerance(net, SINGLE_EPS)
    for _, states in epochs:
        for _, second in _backprop_epochs(student, replace(net, w1=states[-1][0], w2=states[-1][1]), eta, beta):
            if _near(weights, second[-1], tol):
                return ": they are those of two epochs: does the loop over the epochs run exactly `epochs` times, not one more?"
    return ""


def _check_second_epoch(student, net: Net, eta: float, beta: float, seed: int, epochs) -> None:
    """Two epochs end where the first epoch of some order, then one backprop step per sample in some order from
    where it ended, end (the student's own backprop; rounding of either precision): the second epoch starts from
    the weights the first one ended with, with the same eta."""
    w1, w2, _ = call_train(student, net.x, net.t, net.w1, net.w2, eta, beta, 2, seed)
    tol = _pass_tolerance(net, SINGLE_EPS)
    ends = [second[-1] for _, states in epochs
            for _, second in _backprop_epochs(student, replace(net, w1=states[-1][0], w2=states[-1][1]), eta, beta)]
    if not any(_near((w1, w2), end, tol) for end in ends):
        samples = "this sample" if net.n == 1 else f"these {net.n} samples"
        # Which of these it is, the weights cannot tell (a sample left out of every epoch, or a stop after the
        # first one, may show only in the second): all are named.
        fail(f"train: after two epochs on {samples} the weights are not those of two epochs of one backprop step per "
             "sample: is every sample presented once in each epoch, does the second epoch start from the weights "
             "the first one ended with (not from w1 and w2 again), with the same eta, does the loop over the epochs "
             "run `epochs` times, without stopping early?", **net.inputs(eta=eta, beta=beta, epochs=2, rng=Rng(seed)),
             returned=[w1, w2], expected=list(ends[0]), suspects=(GRADIENT_STEP, "backprop.inputs_untouched"))


#: Two samples on which the training error goes down in the first epoch, up in the second and stays above the
#: first epoch's in the third, in every order of the samples (eta = 1, beta = 2; the smallest rise, 8e-5, far above
#: the rounding of either precision): the weights train returns are the last epoch's whatever the errors, and a
#: train that keeps the weights of its best epoch, stops when the error rises or changes eta then ends elsewhere.
RISING = Net(x=np.array([[-0.9375, -1.0], [-0.875, -1.0]]), t=np.array([[1.0], [0.0]]),
             w1=np.array([[-0.9375, -0.0625], [0.75, -1.375]]), w2=np.array([[1.25], [-1.0], [-0.3125]]))
RISING_ETA, RISING_BETA, RISING_EPOCHS = 1.0, 2.0, 3


def _check_rising_error(student, seed: int) -> None:
    """On :data:`RISING`, three epochs of train end where three epochs of one backprop step per sample end, in
    some order of each epoch (the student's own backprop; rounding of either precision)."""
    net, eta, beta = RISING, RISING_ETA, RISING_BETA
    w1, w2, _ = call_train(student, net.x, net.t, net.w1, net.w2, eta, beta, RISING_EPOCHS, seed)
    tol = _pass_tolerance(net, SINGLE_EPS)
    starts = [(net.w1, net.w2)]
    ends_by_epoch = []
    for _ in range(RISING_EPOCHS):
        ends = [states[-1] for w1_start, w2_start in starts
                for _, states in _backprop_epochs(student, replace(net, w1=w1_start, w2=w2_start), eta, beta)]
        ends_by_epoch.append(ends)
        starts = ends
    if any(_near((w1, w2), end, tol) for end in ends_by_epoch[-1]):
        return
    earlier = next((k + 1 for k, ends in enumerate(ends_by_epoch[:-1]) if any(_near((w1, w2), end, tol)
                                                                             for end in ends)), None)
    what = (f"those after epoch {earlier}, where the error was lower" if earlier is not None else
            f"not those of {RISING_EPOCHS} epochs of one backprop step per sample with the same eta")
    fail(f"train: on these 2 samples the training error rises in the second epoch, in every order of the samples; "
         f"after {RISING_EPOCHS} epochs the weights are {what}: train returns the weights the last epoch ended with, "
         "every epoch with the eta it is given, whatever the error does (no weights of the best epoch kept, no stop or "
         "change of eta when the error rises)", **net.inputs(eta=eta, beta=beta, epochs=RISING_EPOCHS, rng=Rng(seed)),
         returned=[w1, w2], expected=list(ends_by_epoch[-1][0]),
         suspects=(GRADIENT_STEP, "backprop.inputs_untouched"))


@check("train.error_curve", "train runs every epoch and returns the training error 1/2 sum (y - t)^2 after each "
       "one",
       hint="Run the loop over the epochs `epochs` times, every time to the end (no early stop); at the end of every "
            "epoch, compute the outputs of all training samples with the current weights and store 1/2 times the "
            "sum over samples and outputs of (y - t)^2.",
       suspects=(FORWARD_SHAPES, GRADIENT_STEP), net=nets(), eta=rates(), beta=betas(), seed=SEEDS, epochs=st.integers(1, 3),
       chained=st.integers(3, 6))
@_own_backprop_or_the_contracts
def train_error_curve(student, net: Net, eta, beta, seed, epochs, chained, context: CheckContext):
    """The last error is that of the final weights (any number of samples); every entry lies in the range of the
    error; then, on the first sample alone for ``chained`` epochs, every entry is the error after that many backprop
    steps (see :func:`_check_chained_epochs`)."""
    w1, w2, errors = call_train(student, net.x, net.t, net.w1, net.w2, eta, beta, epochs, seed)
    want = network.error(net.x, net.t, w1, w2, beta)
    # A sum of n * out_dim squares of values within the forward bounds: in double precision, relative rounding well
    # below 1e-12; in single precision, see _error_rounding.
    single = _error_rounding(net, w1, w2, beta, want)
    found = _offending(Rounding.of(context), [_Bounds(np.array([abs(errors[-1] - want)]),
                                                      1e-12 * (1 + want) + 4 * net.t.size * EPS, single,
                                                      np.array([want]))])
    if found is not None:
        fail(f"train: the last error should be 1/2 sum (y - t)^2 over the training set with the final weights, "
             f"{want:.9g}, got {errors[-1]:.9g}{found[2]}",
             **net.inputs(eta=eta, beta=beta, epochs=epochs, rng=Rng(seed)), returned=errors,
             suspects=FORWARD + ("train.online_epoch",))
    # Every epoch's error is a sum of squares of y - t with outputs strictly inside (0, 1) and targets 0 or 1:
    # strictly between 0 and n * out_dim / 2, whatever the weights.  Where single precision is accepted, outputs
    # it rounds to 1 (beta h above about 17) make the bounds themselves reachable.
    wrong = ~((errors >= 0) & (errors <= net.t.size / 2))
    at_bound = (errors == 0) | (errors == net.t.size / 2)
    if np.any(at_bound) and not Rounding.of(context).accept_single():
        wrong |= at_bound
    outside = np.flatnonzero(wrong)
    if len(outside):
        e = int(outside[0])
        samples = "this sample" if net.n == 1 else f"these {net.n} samples"
        fail(f"train: the error of epoch {e} is {errors[e]:.9g}, but 1/2 sum (y - t)^2 over {samples} "
             f"with outputs strictly between 0 and 1 lies strictly between 0 and {net.t.size / 2:g}: store the "
             "error of every epoch, at the end of that epoch", **net.inputs(eta=eta, beta=beta, epochs=epochs,
                                                                             rng=Rng(seed)), returned=errors)
    _check_chained_epochs(student, replace(net, x=net.x[:1], t=net.t[:1]), eta, beta, seed, chained,
                          Rounding.of(context))
    _check_chained_epochs(student, _learnt_sample(net), LEARNT_ETA, 1.0, seed, chained, Rounding.of(context),
                          LEARNT_WORDS)


#: The error curve of a network that has learnt its sample is nearly flat (see :func:`_learnt_sample`): with this
#: eta every epoch lowers the error by less than 1e-5 yet moves a weight by more than 5 times the pass tolerance
#: (worked out over the drawn inputs and first hidden weights, beta = 1), so a train that stops when the error
#: levels off ends measurably short of the last epoch's weights.
LEARNT_ETA = 16.0
LEARNT_WORDS = ("Here the output is already close to its target: the error barely changes from one epoch to the "
                "next, and every epoch must run all the same")


def _learnt_sample(net: Net) -> Net:
    """The first sample of ``net``, its first output and first hidden neuron, with weights that have learnt it:
    the output neuron gets 0 from the hidden neuron and +-4 from the bias node, so that beta h = +-4 (beta = 1)
    on the side of its target, the output within 0.02 of it."""
    t = net.t[:1, :1]
    w2 = np.vstack([np.zeros((1, 1)), 4 - 8 * t])  # the bias node is -1: h = 4 for the target 1, -4 for 0
    return Net(x=net.x[:1], t=t, w1=net.w1[:, :1], w2=w2)


def _check_chained_epochs(student, net: Net, eta: float, beta: float, seed: int, epochs: int,
                          rounding: Rounding, words: str = "") -> None:
    """On one sample (every order is the same), ``epochs`` epochs of train are ``epochs`` chained steps of the
    student's own backprop: the final weights are the chain's end and ``errors[e]`` the error after ``e + 1``
    steps.  The weights within the pass tolerance of single precision whatever the policy (the precision of an
    epoch is train.online_epoch's); the error within the rounding of computing it (by the policy) plus what that
    distance of the weights moves it: at most the distance times :func:`network.gradient_bound`, twice that for
    the curvature (as :func:`network.numerical_epochs`)."""
    w1, w2, errors = call_train(student, net.x, net.t, net.w1, net.w2, eta, beta, epochs, seed)
    shown = net.inputs(eta=eta, beta=beta, epochs=epochs, rng=Rng(seed))
    states = [(net.w1, net.w2)]
    for _ in range(epochs):
        states.append(call_backprop(student, net.x[0], net.t[0], *states[-1], eta, beta))
    tol = _pass_tolerance(net, SINGLE_EPS)

    def near(state) -> bool:
        return bool(np.all(_gap(w1, state[0]) <= tol) and np.all(_gap(w2, state[1]) <= tol))

    if not near(states[-1]):
        # Where the weights stopped, when they are those of fewer epochs: the last such count.
        stopped = max((k for k in range(epochs) if near(states[k])), default=None)
        if stopped is None and near(call_backprop(student, net.x[0], net.t[0], *states[-1], eta, beta)):
            stopped = epochs + 1  # one epoch too many
        what = {None: f"not those of {epochs} backprop steps ({_steps_of(student)}, each from the weights the previous one "
                       "returned, with the same eta)", 0: "still the initial w1 and w2",
                epochs + 1: f"those after {epochs + 1} epochs: the loop over the epochs runs once too often"}.get(
            stopped, f"those after {stopped} epoch{'s' if stopped != 1 else ''}")
        fail(f"train: after {epochs} epochs on this sample the weights are {what}: every epoch must run, each from "
             "the weights the previous one ended with (does the loop over the epochs run `epochs` times, without "
             f"stopping early?){'. ' + words if words else ''}", **shown, returned=[w1, w2], expected=list(states[-1]),
             suspects=("train.online_epoch", GRADIENT_STEP, "backprop.inputs_untouched"))
    want = np.array([network.error(net.x, net.t, *state, beta) for state in states[1:]])
    moved = np.array([2 * tol * network.gradient_bound(net.x, *state, beta) for state in states[1:]])
    single = np.array([_error_rounding(net, *state, beta, total) for state, total in zip(states[1:], want)])
    offending = _offending(rounding, [_Bounds(_gap(np.asarray(errors, dtype=float), want),
                                              moved + 1e-12 * (1 + want) + 4 * net.t.size * EPS, moved + single, want)])
    if offending is not None:
        _, (e,), words = offending
        fail(f"train: the error of epoch {index(e)} is {errors[e]:.9g}, but after {e + 1} epoch{'s' if e else ''} on "
             f"this sample (one backprop step each, {_steps_of(student)}) it is 1/2 sum (y - t)^2 = {want[e]:.9g}{words}: "
             "store the error of every epoch, computed with the weights at the end of that epoch", **shown,
             returned=errors, expected=want, suspects=FORWARD + ("train.online_epoch",))


def _error_rounding(net: Net, w1: np.ndarray, w2: np.ndarray, beta: float, want: float) -> float:
    """The single-precision bound on computing 1/2 sum (y - t)^2 over the samples of ``net`` with (w1, w2), the
    error being ``want``: each output within its forward bound ey moves its square's half by |y - t| ey; the sum of
    t.size terms adds t.size units of the total, its inputs and squares a few more."""
    _, y = network.forward(net.x, w1, w2, beta)
    _, ey = network.forward_tolerance(net.x, w1, w2, beta, SINGLE_EPS)
    return float(np.sum(np.abs(y - net.t) * ey)) + (net.t.size + 4) * SINGLE_EPS * (1 + want)


@check("train.decreases_error", "train with a small eta decreases the training error over an epoch",
       hint="Each step moves against the gradient: the new weight is the old one minus eta times its delta term "
            "(a wrong sign or a missing factor makes the error grow).",
       suspects=(FORWARD_SHAPES, GRADIENT_STEP), net=nets(max_n=4), beta=betas(), seed=SEEDS, eta=st.sampled_from([0.05, 0.1]))
def train_decreases_error(student, net: Net, beta, seed, eta):
    before = network.error(net.x, net.t, net.w1, net.w2, beta)
    # Every order of the samples decreases the error by at least `least` (computed, not assumed): an epoch of
    # gradient steps, the gradients by finite differences, ends within `margin` of the exact steps' error.
    least = min(before - after - margin for after, margin in network.numerical_epochs(net.x, net.t, net.w1, net.w2,
                                                                                       eta, beta))
    assume(least > 1e-9 * (1 + before))
    w1, w2, _ = call_train(student, net.x, net.t, net.w1, net.w2, eta, beta, 1, seed)
    after = network.error(net.x, net.t, w1, w2, beta)
    if not after <= before - least / 2:
        fail(f"train: one epoch with eta = {eta} should decrease the training error from {before:.9g} by at least "
             f"{least:.3g} (as it does for every order of the samples); it became {after:.9g}",
             **net.inputs(eta=eta, beta=beta, epochs=1, rng=Rng(seed)), returned=[w1, w2],
             suspects=("train.online_epoch", GRADIENT_STEP))  # its own epoch first: a train may not call backprop


@check("train.reproducible", "train gives the same result for the same seed",
       hint=SEEDED_HINT,
       suspects=(FORWARD_SHAPES, GRADIENT_STEP), net=nets(), eta=rates(), beta=betas(), seed=SEEDS)
def train_reproducible(student, net: Net, eta, beta, seed):
    first = call_train(student, net.x, net.t, net.w1, net.w2, eta, beta, 2, seed)
    second = call_train(student, net.x, net.t, net.w1, net.w2, eta, beta, 2, seed)
    # Within rounding: an OpenMP reduction (which the course allows) adds in an order that changes from run to run.
    tol = _pass_tolerance(net, EPS)
    if not all(_same(a, b) or _within(a, b, tol) for a, b in zip(first, second)):
        fail(f"train: {DIFFERENT_RUNS}", **net.inputs(eta=eta, beta=beta, epochs=2, rng=Rng(seed)),
             **{"returned_first run": list(first), "returned_second run": list(second)},
             suspects=(FORWARD_SHAPES, GRADIENT_STEP))


def _within(a: np.ndarray, b: np.ndarray, tol: float) -> bool:
    """Arrays of one shape, NaN where the other is NaN, the other entries within ``tol`` of one another (relative
    to the larger of them beyond 1)."""
    if a.shape != b.shape:
        return False
    nan = np.isnan(a)
    if not np.array_equal(nan, np.isnan(b)):
        return False
    scale = np.maximum(1.0, np.maximum(np.abs(a[~nan]), np.abs(b[~nan])))
    return bool(np.all(np.abs(a[~nan] - b[~nan]) <= tol * scale))


#: How many seeds train.shuffles_with_rng tries.
SHUFFLE_SEEDS = 24
#: The larger rates of :func:`rates` for train.shuffles_with_rng: with a small eta the orders of three samples end
#: within a few roundings of one another (their difference is of order eta^2) in most examples, which the check
#: must then set aside, each after 15 backprop steps of the student's.
SHUFFLE_RATES = st.sampled_from([1.0, 0.5])


@check("train.shuffles_with_rng", "train presents the samples in an order drawn with rng: other seeds, other orders",
       hint=SHUFFLE_HINT,
       suspects=(FORWARD_SHAPES, GRADIENT_STEP, "train.online_epoch"), net=nets(min_n=3, max_n=3),
       eta=SHUFFLE_RATES, beta=betas(), seed=SEEDS)
@_own_backprop_or_the_contracts
def train_shuffles(student, net: Net, eta, beta, seed, context: CheckContext):
    """Observed through the student's own backprop: the epochs of different orders end at different weights
    (beyond rounding) in the cases kept, so a train whose weights are the same for every seed never shuffles;
    then, over two epochs, a train that draws one order and presents it twice is told from one that draws a new
    order every epoch."""
    tol = _pass_tolerance(net, Rounding.of(context).unit)
    epochs = _backprop_epochs(student, net, eta, beta)
    ends = [states[-1] for _, states in epochs]
    # Only cases where every order ends farther than 4 tol from every other: train's weights, within tol of the
    # end of their order, are then within 2 tol of one another only for one order.  With 6 orders, a shuffling
    # train gives one order for all seeds with probability at most 6^-(SHUFFLE_SEEDS - 1).
    assume(not any(_near(a, b, 4 * tol) for k, a in enumerate(ends) for b in ends[k + 1:]))
    results = _weights_by_seed(student, net, eta, beta, 1, seed)
    first = next(results)
    if all(_near(first, other, 2 * tol) for other in results):
        fail(f"train gave the same weights for {SHUFFLE_SEEDS} different seeds, although the order of the samples "
             "changes the result here: shuffle the samples with rng at every epoch",
             **net.inputs(eta=eta, beta=beta, epochs=1), rng=seeds_text(seed, SHUFFLE_SEEDS),
             returned=list(first), suspects=("train.online_epoch",))
    _check_new_order_every_epoch(student, net, eta, beta, seed, epochs, tol)


def _weights_by_seed(student, net: Net, eta: float, beta: float, epochs: int, seed: int) -> Iterator[tuple]:
    """The weights (w1, w2) train returns for each of the :data:`SHUFFLE_SEEDS` seeds from ``seed``, a few seeds
    first (see :func:`seeds_in_stages`)."""
    def weights(seeds: list[int]) -> list[tuple]:
        return [trained[:2] for trained in call_trains(student, net.x, net.t, net.w1, net.w2, eta, beta, epochs, seeds)]

    return seeds_in_stages(weights, seed, SHUFFLE_SEEDS)


def _near(a, b, margin: float) -> bool:
    """The weights ``a`` and ``b`` (pairs (w1, w2)) are within ``margin`` of one another, entry by entry."""
    return bool(np.all(np.abs(a[0] - b[0]) <= margin) and np.all(np.abs(a[1] - b[1]) <= margin))


def _check_new_order_every_epoch(student, net: Net, eta: float, beta: float, seed: int, epochs, tol: float) -> None:
    """Two epochs: a train that draws no new order in the second epoch ends, for every seed, within tol of where
    some first order followed by a second order made from it without rng ends (by the student's own backprop):
    the same order again (drawn once, presented twice), or the first order shuffled again the same way (the
    generator restarted from the seed every epoch, the order kept: see :func:`again_orders`).  It fails only when
    at most half of the pairs of orders end within 2 tol of there: a train drawing a new order every epoch (within
    tol of its pair's end) then ends there for all the seeds with probability at most 2^-SHUFFLE_SEEDS.  The pairs
    are computed last, only when every seed ends there (a train that shuffles every epoch passes after a few seeds
    and a few backprop steps).  A shuffle that draws only some orders (the last sample left out, every sample
    moved) ends there too: its message names what its first orders show (:func:`_check_first_orders`)."""
    suspects = _epochs_again(student, net, eta, beta, epochs)
    results = _weights_by_seed(student, net, eta, beta, 2, seed)
    first = next(results)

    def repeats(result, margin: float) -> bool:
        return any(_near(result, suspect, margin) for suspect in suspects)

    if not (repeats(first, tol) and all(repeats(result, tol) for result in results)):
        return
    pairs = [second_states[-1] for _, states in epochs
             for _, second_states in _backprop_epochs(student, replace(net, w1=states[-1][0], w2=states[-1][1]),
                                                      eta, beta)]
    if 2 * sum(repeats(end, 2 * tol) for end in pairs) > len(pairs):
        return
    _check_first_orders(student, net, eta, beta, seed, epochs, tol)
    fail(f"train: with 2 epochs, for {SHUFFLE_SEEDS} different seeds, the weights are those of a second epoch whose "
         "order was not drawn with rng: the first order presented again, or shuffled again the same way (a "
         "generator restarted from the seed at every epoch). Draw a new order with rng at every epoch (inside the "
         "loop over epochs), from a generator that goes on", **net.inputs(eta=eta, beta=beta, epochs=2),
         rng=seeds_text(seed, SHUFFLE_SEEDS), returned=list(first),
         suspects=("train.online_epoch",))


def _check_first_orders(student, net: Net, eta: float, beta: float, seed: int, epochs, tol: float) -> None:
    """Fail with what the first orders share (:func:`order_flaw`) when they show why the second epoch repeats the
    first: a shuffle of the first n - 1 samples, or one moving every sample, draws so few orders of three samples
    that the second order is always one :func:`again_orders` makes.  Each seed's one epoch is within tol of where
    its order ends, and the orders end more than 4 tol apart (see :func:`train_shuffles`): within 2 tol of one
    order at most.  Run only when the check fails anyway (24 more calls)."""
    firsts = list(_weights_by_seed(student, net, eta, beta, 1, seed))
    flaw = order_flaw([{order for order, states in epochs if _near(first, states[-1], 2 * tol)} for first in firsts])
    if flaw:
        fail(f"train: in the first epoch of each of {SHUFFLE_SEEDS} different seeds, {flaw}",
             **net.inputs(eta=eta, beta=beta, epochs=1), rng=seeds_text(seed, SHUFFLE_SEEDS), returned=list(firsts[0]),
             suspects=("train.online_epoch",))


def _epochs_again(student, net: Net, eta: float, beta: float, epochs) -> list[tuple[np.ndarray, np.ndarray]]:
    """Where a second epoch in each order of :func:`again_orders` made from the first ends, from where each order of
    ``epochs`` (see :func:`_backprop_epochs`) ended, by the student's own backprop steps (those of one depth in one
    round trip)."""
    agains = again_orders()
    ends = [states[-1] for _, states in epochs] * len(agains)
    seconds = [again(order) for again in agains for order, _ in epochs]
    for depth in range(net.n):
        steps = [(net.x[second[depth]], net.t[second[depth]], *end, eta, beta) for second, end in zip(seconds, ends)]
        ends = call_backprops(student, steps)
    return ends


@check("train.inputs_untouched", "train leaves x, t, w1 and w2 unchanged",
       hint="Start from copies of w1 and w2; shuffle indices, not the arrays themselves.",
       suspects=(FORWARD_SHAPES, GRADIENT_STEP), net=nets(), eta=rates(), beta=betas(), seed=SEEDS)
def train_untouched(student, net: Net, eta, beta, seed):
    with precondition():
        call_train(student, net.x, net.t, net.w1, net.w2, eta, beta, 2, seed)
    _, args = student.call_with_args("train", net.x, net.t, net.w1, net.w2, eta, beta, 2, Rng(seed))
    for name, sent, back in zip(("x", "t", "w1", "w2"), (net.x, net.t, net.w1, net.w2), args):
        if not _same(back, sent):
            fail(f"train modified the array {name} it was given", **net.inputs(eta=eta, beta=beta, epochs=2,
                                                                               rng=Rng(seed)),
                 **{f"{name}_afterwards": back})


# --- prediction -----------------------------------------------------------------------------------------------


@check("predict.classes", "predict: the class of each sample is its largest output, the first of equal outputs "
       "(one output: the second class above 0.5, else the first)",
       hint={"python": "_, y = forward(...); np.argmax(y, axis=1), or (y[:, 0] > 0.5) with a single output.",
             "c": "classes[i] = the index of the largest y[i*out_dim + k] (the first on ties), or 1 when the single "
                  "output is above 0.5, else 0.",
             "fortran": "classes(i) = maxloc(y(i, :), 1) (the first on ties), or 2 when the single output is above 0.5, "
                        "else 1."},
       net=nets(), beta=betas())
def predict_classes(student, net: Net, beta, context: CheckContext):
    got = call_predict(student, net.x, net.w1, net.w2, beta)
    _check_classes(got, net, beta, Rounding.of(context))
    _check_exactly_half(student, net, beta)
    if net.w2.shape[1] >= 2:
        _check_first_of_ties(student, net, beta)


def _check_exactly_half(student, net: Net, beta: float) -> None:
    """One output and w2 all zero: every h is a sum of products by 0, every output sigma(0) = 0.5 exactly, in any
    precision and any form of the logistic function, so not above 0.5: class 0 for every sample.  (Of drawn
    weights, an output within rounding of 0.5 may be either side of it in a correct computation: there
    :func:`_check_classes` accepts either class.)"""
    _check_class_0_with_w2_zero(
        student, net, beta, 1, "predict: with a single output and w2 all zero, every output is sigma(0) = 0.5 "
        "exactly, which is not above 0.5: the class of sample {sample} is {first}, not {got} (one output: class "
        f"{index(1)} only when the output is above 0.5)")


def _check_first_of_ties(student, net: Net, beta: float) -> None:
    """Two outputs or more and w2 all zero: every output is sigma(0) = 0.5 exactly, in any precision and any form
    of the logistic function, so every sample's outputs tie exactly and its class is the first of them, class 0.
    (Of drawn weights, outputs within rounding of each other may come in either order in a correct computation:
    there :func:`_check_classes` accepts either class, so only here does a tie broken toward the last output
    show.)"""
    outputs = net.w2.shape[1]
    _check_class_0_with_w2_zero(
        student, net, beta, outputs, f"predict: with w2 all zero, every output is sigma(0) = 0.5 exactly, so the "
        f"{outputs} outputs of sample {{sample}} are equal; its class is the first of equal outputs, {{first}}, not "
        "{got}. Keep the first largest output: move to a later one only when it is strictly larger")


def _check_class_0_with_w2_zero(student, net: Net, beta: float, outputs: int, message: str) -> None:
    """Fail with ``message`` (its ``{sample}``, ``{first}`` and ``{got}`` filled in) unless predict, given ``net``
    with w2 all zero and ``outputs`` outputs, answers class 0 for every sample."""
    w2 = np.zeros((net.hid_dim + 1, outputs))
    got = call_predict(student, net.x, net.w1, w2, beta)
    wrong = np.flatnonzero(got != 0)
    if len(wrong):
        i = int(wrong[0])
        fail(message.format(sample=index(i), first=index(0), got=index(int(got[i]))), x=net.x, w1=net.w1, w2=w2,
             beta=beta, returned=indices(got), expected=indices(np.zeros_like(got)), suspects=FORWARD)


def _check_classes(got: np.ndarray, net: Net, beta: float, rounding: Rounding) -> None:
    """Fail unless ``got`` are the classes of ``net``'s samples (a tie within the rounding ``rounding`` accepts may
    go either way)."""
    inputs = {"x": net.x, "w1": net.w1, "w2": net.w2, "beta": beta}
    _, y = network.forward(net.x, net.w1, net.w2, beta)
    tol_d, tol_s = (network.forward_tolerance(net.x, net.w1, net.w2, beta, unit)[1] for unit in (EPS, SINGLE_EPS))
    want = network.classes_of(y)

    def gap(i: int) -> float:
        """How much more the expected class's output is than the returned one's (a tie within rounding: ambiguous,
        between classes that exist)."""
        if y.shape[1] == 1:
            return abs(float(y[i, 0]) - 0.5) if got[i] in (0, 1) else np.inf
        return float(y[i, want[i]] - y[i, got[i]]) if 0 <= got[i] < y.shape[1] else np.inf

    def bound(tol: np.ndarray, i: int) -> float:
        if y.shape[1] == 1:
            return float(tol[i, 0])
        # A class that does not exist (not set, numbered from 1 in C) has no output to add: gap(i) is infinite.
        return float(tol[i, want[i]] + (tol[i, got[i]] if 0 <= got[i] < y.shape[1] else 0.0))

    for i in range(net.n):
        if got[i] == want[i] or gap(i) <= bound(tol_d, i):
            continue
        words = ""
        if gap(i) <= bound(tol_s, i):
            if rounding.accept_single():
                continue
            words = ": " + Rounding.explain("the outputs deciding it differ", gap(i), float(y[i, want[i]]))
        classes = max(y.shape[1], 2)
        if not 0 <= got[i] < classes:
            words = f" (the classes are numbered {index(0)} to {index(classes - 1)}: is every sample's class set, numbered from {index(0)}?)"
        fail(f"predict: sample {index(i)} has outputs {np.round(y[i], 6).tolist()}, so its class is {index(want[i])}, "
             f"not {index(got[i])}{words}", **inputs, returned=indices(got), expected=indices(want), suspects=FORWARD)


@check("predict.inputs_untouched", "predict leaves x, w1 and w2 unchanged",
       hint={"python": "Compute from forward's outputs; never write into x, w1 or w2.",
             "c": "Write only into classes: x, w1 and w2 are const.",
             "fortran": "Assign only to classes: x, w1 and w2 are intent(in)."},
       suspects=("predict.classes",) + FORWARD, net=nets(min_out=2), beta=betas())
def predict_untouched(student, net: Net, beta, context: CheckContext):
    # At least two outputs: the single output's threshold, predict.classes' property, cannot change the answer.
    got, args = student.call_with_args("predict", net.x, net.w1, net.w2, beta)
    with precondition():
        classes = classes_returned(got, net.x, net.w1, net.w2, beta)
        try:
            _check_classes(classes, net, beta, Rounding.of(context).lenient())
        except CheckFailed as failure:  # a wrong class is predict.classes' (or, through it, forward's)
            raise CheckFailed(failure.message, failure.counterexample, ("predict.classes",) + FORWARD) from None
    for name, sent, back in zip(("x", "w1", "w2"), (net.x, net.w1, net.w2), args):
        if not _same(back, sent):
            fail(f"predict modified the array {name} it was given", x=net.x, w1=net.w1, w2=net.w2, beta=beta,
                 **{f"{name}_afterwards": back})
