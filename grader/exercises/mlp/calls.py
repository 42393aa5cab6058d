"""Calling the student's MLP functions and validating what comes back.

Each function but ``forward`` may call the student's ``forward`` (and ``train`` their ``backprop``): a value of
the wrong shape or type is suspected to come from the check that owns forward's shapes (and backprop's step),
so that a shape error in forward is reported once, with what it breaks linked to it.
"""

from __future__ import annotations

import numpy as np

from grader.authoring import describe, expect_array, fail
from grader.exercises.perceptron.calls import booleans_as_integers, suspecting as _suspecting
from grader.student import Student, call_each
from grader.wire import Rng

__all__ = ["call_forward", "call_backprop", "call_backprops", "call_train", "call_trains", "call_predict", "classes_returned",
           "FORWARD_SHAPES"]

#: The check of forward's shapes: what the other functions compute from forward's result depends on them.
FORWARD_SHAPES = "forward.shapes"


def _pair(result, function: str, shapes, names: str, inputs: dict) -> tuple[np.ndarray, ...]:
    if not isinstance(result, (tuple, list)) or len(result) != len(shapes):
        fail(f"{function} returned {describe(result, whole=True)}, expected a tuple ({names})", **inputs, returned=result)
    got = [np.shape(item) if isinstance(item, np.ndarray) else None for item in result]
    if got != list(shapes) and sorted(map(str, got)) == sorted(map(str, shapes)):
        fail(f"{function} returned arrays of shapes {', '.join(map(str, got))}: these are ({names}) in another order; "
             f"return them in the order ({names})", **inputs, returned=result)
    # Each value named in its place (train's errors: its 3rd value), so a wrong length points at the part wrong.
    parts = [part.strip() for part in names.split(",")]
    return tuple(expect_array(value, f"{function} ({'its ' + parts[index] + ', ' if len(parts) == len(shapes) else ''}"
                                     f"value {index + 1} of {len(shapes)})", shape=shape, kind="number", inputs=inputs)
                 for index, (value, shape) in enumerate(zip(result, shapes)))


def call_forward(student: Student, x: np.ndarray, w1: np.ndarray, w2: np.ndarray,
                 beta: float) -> tuple[np.ndarray, np.ndarray]:
    """(hidden (n, hid_dim + 1), outputs (n, out_dim))."""
    inputs = {"x": x, "w1": w1, "w2": w2, "beta": beta}
    shapes = ((len(x), w1.shape[1] + 1), (len(x), w2.shape[1]))
    result = student.call("forward", x, w1, w2, beta)
    with _suspecting(FORWARD_SHAPES):
        # Hidden neurons without the bias node, unless the second value has the hidden layer's shape: then the
        # first is the outputs (as wide as the hidden neurons when hid_dim = out_dim), the pair in another order.
        if (isinstance(result, (tuple, list)) and len(result) == 2 and np.shape(result[0]) == (len(x), w1.shape[1])
                and np.shape(result[1]) != shapes[0]):
            fail(f"forward returned hidden activations of shape {np.shape(result[0])}, one column per hidden neuron: "
                 f"the hidden layer must end with the bias node -1, shape ({len(x)}, {w1.shape[1] + 1}) (append a "
                 "column of -1)", **inputs, returned=result)
        hidden, y = _pair(result, "forward", shapes, "hidden, y", inputs)
    return hidden, y


def call_backprop(student: Student, x: np.ndarray, t: np.ndarray, w1: np.ndarray, w2: np.ndarray, eta: float,
                  beta: float) -> tuple[np.ndarray, np.ndarray]:
    """The new (w1, w2) after one step on the sample (x, t)."""
    inputs = {"x": x, "t": t, "w1": w1, "w2": w2, "eta": eta, "beta": beta}
    result = student.call("backprop", x, t, w1, w2, eta, beta)
    with _suspecting(FORWARD_SHAPES):
        new_w1, new_w2 = _pair(result, "backprop", (w1.shape, w2.shape), "w1, w2", inputs)
    return new_w1, new_w2


def call_backprops(student: Student, steps) -> list[tuple[np.ndarray, np.ndarray]]:
    """The new (w1, w2) of each independent step ``(x, t, w1, w2, eta, beta)`` of ``steps``, in one round trip
    (see :func:`grader.student.call_each`); each result is validated in turn, as by :func:`call_backprop`."""
    results = call_each(student, "backprop", [(tuple(step), {}) for step in steps])
    pairs = []
    for (x, t, w1, w2, eta, beta), result in zip(steps, results):
        inputs = {"x": x, "t": t, "w1": w1, "w2": w2, "eta": eta, "beta": beta}
        with _suspecting(FORWARD_SHAPES):
            new_w1, new_w2 = _pair(result, "backprop", (w1.shape, w2.shape), "w1, w2", inputs)
        pairs.append((new_w1, new_w2))
    return pairs


def call_trains(student: Student, x: np.ndarray, t: np.ndarray, w1: np.ndarray, w2: np.ndarray, eta: float,
                beta: float, epochs: int, seeds) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """What :func:`call_train` returns for each seed of ``seeds``, the calls in one round trip."""
    results = call_each(student, "train", [((x, t, w1, w2, eta, beta, epochs, Rng(seed)), {}) for seed in seeds])
    trained = []
    for seed, result in zip(seeds, results):
        inputs = {"x": x, "t": t, "w1": w1, "w2": w2, "eta": eta, "beta": beta, "epochs": epochs, "rng": Rng(seed)}
        with _suspecting(FORWARD_SHAPES, "backprop.gradient_step"):
            trained.append(_pair(result, "train", (w1.shape, w2.shape, (epochs,)), "w1, w2, errors", inputs))
    return trained  # type: ignore[return-value]


def call_train(student: Student, x: np.ndarray, t: np.ndarray, w1: np.ndarray, w2: np.ndarray, eta: float,
               beta: float, epochs: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(w1, w2, errors per epoch) returned by ``train``."""
    inputs = {"x": x, "t": t, "w1": w1, "w2": w2, "eta": eta, "beta": beta, "epochs": epochs, "rng": Rng(seed)}
    result = student.call("train", x, t, w1, w2, eta, beta, epochs, Rng(seed))
    with _suspecting(FORWARD_SHAPES, "backprop.gradient_step"):
        new_w1, new_w2, errors = _pair(result, "train", (w1.shape, w2.shape, (epochs,)), "w1, w2, errors", inputs)
    return new_w1, new_w2, errors


def call_predict(student: Student, x: np.ndarray, w1: np.ndarray, w2: np.ndarray, beta: float) -> np.ndarray:
    """The classes (n,) ``predict`` returns; with one output, ``y[:, 0] > 0.5`` (booleans) reads as classes 0 and 1."""
    return classes_returned(student.call("predict", x, w1, w2, beta), x, w1, w2, beta)


def classes_returned(result, x: np.ndarray, w1: np.ndarray, w2: np.ndarray, beta: float) -> np.ndarray:
    """What ``predict(x, w1, w2, beta)`` returned, validated as classes (n,) (see :func:`call_predict`)."""
    inputs = {"x": x, "w1": w1, "w2": w2, "beta": beta}
    with _suspecting(FORWARD_SHAPES):
        return expect_array(booleans_as_integers(result), "predict", shape=(len(x),), kind="index", inputs=inputs)
