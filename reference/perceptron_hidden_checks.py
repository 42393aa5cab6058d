"""Hidden checks of the perceptron exercise: the course's iris data, and forward on arbitrary floats.

Instructors only: never shipped to students.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from grader.authoring import check, fail, index
from grader.exercises.perceptron.calls import call_forward
from grader.exercises.perceptron.checks import _check_converged
from grader.exercises.perceptron.strategies import Separable, bias_column, mistake_bound
from grader.precision import SINGLE_EPS, Rounding

DATA = Path(__file__).resolve().parent.parent / "data"

#: A separating vector of setosa against the two other species on the normalised iris features (with the bias
#: input), found by maximising the margin and rounded to eighths; ``_setosa`` verifies it separates the data.
SETOSA_SEPARATOR = np.array([[-1.0], [0.875], [-1.0], [-1.0], [1.0]])


def normalised(features: np.ndarray) -> np.ndarray:
    """The course's normalisation: subtract each feature's mean, divide by its largest absolute value."""
    centred = features - features.mean(axis=0)
    return centred / np.abs(centred).max(axis=0)


def _setosa() -> Separable:
    table = np.loadtxt(DATA / "iris.data")
    x = bias_column(normalised(table[:, :4]))
    t = (table[:, 4:5] == 0).astype(np.int64)
    if not np.array_equal((x @ SETOSA_SEPARATOR > 0).astype(np.int64), t):
        raise RuntimeError("the setosa separator does not separate data/iris.data")
    return Separable(x=x, t=t, w_star=SETOSA_SEPARATOR, bound=mistake_bound(x, SETOSA_SEPARATOR))


@check("train.iris_setosa", "train separates setosa from the other irises (course data, normalised features) "
       "within the convergence theorem's bound", suspects=("forward.threshold", "update.rule", "train.online_epoch"),
       seed=st.integers(0, 2), eta=st.sampled_from([0.1]))
def iris_setosa(student, seed, eta):
    case = _setosa()
    _check_converged(student, case, eta, seed, math.floor(case.bound) + 1, "setosa against the other irises")


@st.composite
def float_layers(draw):
    n, in_dim, out_dim = draw(st.integers(1, 20)), draw(st.integers(1, 8)), draw(st.integers(1, 4))
    finite = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)
    x = bias_column(draw(arrays(np.float64, (n, in_dim), elements=finite)))
    w = draw(arrays(np.float64, (in_dim + 1, out_dim), elements=finite))
    return x, w


@check("forward.float_inputs", "forward: the threshold of x . w on arbitrary floating-point inputs",
       layer=float_layers())
def forward_float_inputs(student, layer, context):
    x, w = layer
    got = call_forward(student, x, w)
    h = x @ w
    d = x.shape[1]
    # Any order of summation is within this bound of the exact h (Higham, dot products), in h and in the student's
    # sum alike; closer is ambiguous.  A product below double's normal range is also off by up to half the smallest
    # subnormal, whatever the other products (absolute rounding the relative bound misses): d products, twice,
    # d * 2^-1074 (2^-1075 itself is not a double).
    slack = 2 * d * np.finfo(float).eps * (np.abs(x) @ np.abs(w)) + d * 2.0**-1074
    wrong = ((h > slack) & (got == 0)) | ((h < -slack) & (got == 1))
    rounding = Rounding.of(context)
    if np.any(wrong) and rounding.single:
        # Inputs, weights, products and sums in float32: relative rounding of d + 2 operations (unit roundoff
        # u = 2^-24) and, for values below float32's range, an absolute error of half its smallest subnormal
        # (2^-150) per conversion and product, carried by the other factor.
        unit, tiny = SINGLE_EPS / 2, 2.0**-150
        slack = 2 * (d + 2) * unit * (np.abs(x) @ np.abs(w)) + 4 * tiny * (
            d + np.abs(x).sum(axis=1, keepdims=True) + np.abs(w).sum(axis=0, keepdims=True))
        wrong = ((h > slack) & (got == 0)) | ((h < -slack) & (got == 1))
        if not np.any(wrong):
            rounding.accept_single()
    if np.any(wrong):
        i, j = (int(k) for k in np.argwhere(wrong)[0])
        fail(f"forward: output {index(j)} of sample {index(i)} is {got[i, j]} but h = {h[i, j]:.6g}", x=x, w=w, returned=got,
             expected=(h > 0).astype(int))
